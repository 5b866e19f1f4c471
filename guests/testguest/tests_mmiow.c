// SPDX-License-Identifier: MIT
/*
 * tg.mode=mmiow: the decode of emulated MMIO accesses (ESR_EL2 ISS: SAS, SSE, SRT, SF, WnR;
 * ARM DDI 0487 D17.2.37), which the hypervisor does in its exception vector for every Rt of
 * an AArch64 access (arch/aarch64/vectors.S guest_dabt) and in C otherwise (dabt.c): loads
 * and stores of every size, zero- and sign-extending loads into W and X registers, xzr as
 * Rt, Rt x19-x28 and x30 (callee-saved in C: the vector writes the register itself), 64-bit
 * accesses (the redistributor's GICR_TYPER, the SPI's GICD_IROUTER) and the ones a device
 * refuses (64-bit to the PL011: an external abort), and accesses while a list register is in
 * use (the LRs are synced first). Every value is compared against what the device must
 * return: the PL011's ID registers (DDI 0183G), the UARTIBRD it stores (16 bits), and with
 * tg.mmiow_wdog=1 the SP805's 32-bit WDOGLOAD. Destination registers are preloaded with a
 * pattern, so a load that writes the wrong bits, or none, shows.
 */
#include "bootargs.h"
#include "dt_dev.h"
#include "exc.h"
#include "gic.h"
#include "platform.h"
#include "report.h"
#include "sysreg.h"
#include "tests.h"

#define UART_FR        0x018
#define UART_IBRD      0x024
#define UART_PERIPHID0 0xfe0 /* 0x11 */
#define UART_PCELLID1  0xff4 /* 0xF0 */
#define UART_PCELLID3  0xffc /* 0xB1 */
#define WD_LOAD        0x000
#define WD_LOCK        0xc00
#define WD_UNLOCK      0x1acce551u
#define GICD_IROUTER   0x6000
#define GICX_ISPENDR0  0x0200 /* GICR SGI_base (GICv3) */
#define GICX_ICPENDR0  0x0280
#define GICX_ISACTIVER0 0x0300
#define MW_SGI         9
#define PRELOAD        0xdeadbeefcafef00dull
#define EC_DABT_CUR    0x25u

/* A load of `op` into register `reg` (an x name) as its W or X form (mod "w" / "x"). */
#define MLOAD(op, mod, reg, addr)                                                  \
    ({                                                                             \
        register uint64_t r_ __asm__(reg) = PRELOAD;                               \
        __asm__ volatile(op " %" mod "0, [%1]" : "+r"(r_) : "r"(addr) : "memory"); \
        r_;                                                                        \
    })
#define MSTORE(op, mod, reg, addr, val)                                                  \
    do {                                                                                 \
        register uint64_t r_ __asm__(reg) = (val);                                       \
        __asm__ volatile(op " %" mod "0, [%1]" : : "r"(r_), "r"(addr) : "memory");      \
    } while (0)

static unsigned bad;

static void check(const char *what, uint64_t got, uint64_t want)
{
    if (got != want) {
        bad++;
        report_info("mmiow: %s: 0x%lx, want 0x%lx", what, got, want);
    }
}

static void test_zero_extending(uintptr_t u)
{
    bad = 0;
    check("LDRB w5 PCellID1", MLOAD("ldrb", "w", "x5", u + UART_PCELLID1), 0xf0);
    check("LDRB w0 PCellID3+1", MLOAD("ldrb", "w", "x0", u + UART_PCELLID3 + 1), 0);
    check("LDRH w9 PCellID3", MLOAD("ldrh", "w", "x9", u + UART_PCELLID3), 0xb1);
    check("LDR w18 PeriphID0", MLOAD("ldr", "w", "x18", u + UART_PERIPHID0), 0x11);
    check("LDR w1 PCellID1", MLOAD("ldr", "w", "x1", u + UART_PCELLID1), 0xf0);
    check("LDRSW x3 PCellID3", MLOAD("ldrsw", "x", "x3", u + UART_PCELLID3), 0xb1);
    report(bad == 0, "mmiow: LDRB, LDRH, LDR W and LDRSW of positive values: zero-extended to 64 "
           "bits (PL011 ID registers)");
}

static void test_stores(uintptr_t u)
{
    uintptr_t ibrd = u + UART_IBRD;

    bad = 0;
    MSTORE("strb", "w", "x2", ibrd, 0x23);
    MSTORE("strb", "w", "x7", ibrd + 1, 0x81);
    check("STRB lanes 0, 1 -> LDR", MLOAD("ldr", "w", "x4", ibrd), 0x8123);
    MSTORE("strb", "w", "x6", ibrd, 0xffffffffffffff5aull); /* only the byte is stored */
    check("STRB of a wide register", MLOAD("ldr", "w", "x4", ibrd), 0x815a);
    MSTORE("strh", "w", "x10", ibrd, 0xffff0000a55aull);
    check("STRH", MLOAD("ldrh", "w", "x11", ibrd), 0xa55a);
    MSTORE("str", "w", "x17", ibrd, 0xffffffff12345678ull); /* IBRD keeps 16 bits */
    check("STR W", MLOAD("ldr", "w", "x16", ibrd), 0x5678);
    report(bad == 0, "mmiow: STRB, STRH, STR W store only the access's bytes (UARTIBRD lanes)");
}

static void test_sign_extending(uintptr_t u)
{
    uintptr_t ibrd = u + UART_IBRD;

    bad = 0;
    MSTORE("strh", "w", "x3", ibrd, 0x8123);
    check("LDRSH x5", MLOAD("ldrsh", "x", "x5", ibrd), 0xffffffffffff8123ull);
    check("LDRSH w6", MLOAD("ldrsh", "w", "x6", ibrd), 0xffff8123ull);
    check("LDRSB x7 lane 1", MLOAD("ldrsb", "x", "x7", ibrd + 1), 0xffffffffffffff81ull);
    check("LDRSB w8 lane 1", MLOAD("ldrsb", "w", "x8", ibrd + 1), 0xffffff81ull);
    check("LDRSB x9 lane 0", MLOAD("ldrsb", "x", "x9", ibrd), 0x23);
    check("LDRSW x12", MLOAD("ldrsw", "x", "x12", ibrd), 0x8123);
    check("LDRSB x13 PCellID1", MLOAD("ldrsb", "x", "x13", u + UART_PCELLID1),
          0xfffffffffffffff0ull);
    check("LDRSB w14 PCellID1", MLOAD("ldrsb", "w", "x14", u + UART_PCELLID1), 0xfffffff0ull);
    check("LDRSH x15 PCellID1", MLOAD("ldrsh", "x", "x15", u + UART_PCELLID1), 0xf0);
    MSTORE("strh", "w", "x3", ibrd, 0x7fff);
    check("LDRSH x0 positive", MLOAD("ldrsh", "x", "x0", ibrd), 0x7fff);
    report(bad == 0, "mmiow: LDRSB, LDRSH, LDRSW sign-extend from the access size, into X "
           "(64 bits) and W (32 bits, upper half zero)");
}

/* Store 0x8000 | n through xn, load it back sign-extended into xn and zero-extended into wn. */
#define HIGH_RT(n)                                                                          \
    do {                                                                                    \
        MSTORE("strh", "w", "x" #n, ibrd, 0xffff8000ull | (n));                             \
        check("LDRSH x" #n, MLOAD("ldrsh", "x", "x" #n, ibrd), 0xffffffffffff8000ull | (n)); \
        check("LDRH w" #n, MLOAD("ldrh", "w", "x" #n, ibrd), 0x8000u | (n));                 \
        check("LDRSB w" #n, MLOAD("ldrsb", "w", "x" #n, ibrd + 1), 0xffffff80ull);           \
    } while (0)

static void test_xzr_and_high_rt(uintptr_t u)
{
    uintptr_t ibrd = u + UART_IBRD;

    bad = 0;
    MSTORE("strh", "w", "x3", ibrd, 0x1234);
    __asm__ volatile("strh wzr, [%0]" : : "r"(ibrd) : "memory");
    check("STRH wzr", MLOAD("ldr", "w", "x4", ibrd), 0);
    __asm__ volatile("ldr wzr, [%0]" : : "r"(u + UART_FR) : "memory");
    __asm__ volatile("ldrsb xzr, [%0]" : : "r"(u + UART_PCELLID1) : "memory");
    HIGH_RT(19);
    HIGH_RT(20);
    HIGH_RT(21);
    HIGH_RT(22);
    HIGH_RT(23);
    HIGH_RT(24);
    HIGH_RT(25);
    HIGH_RT(26);
    HIGH_RT(27);
    HIGH_RT(28);
    HIGH_RT(30);
    check("LDRB w19", MLOAD("ldrb", "w", "x19", u + UART_PCELLID3), 0xb1);
    MSTORE("strh", "w", "x3", ibrd, 0);
    report(bad == 0, "mmiow: xzr as Rt (a store writes 0, a load changes nothing) and Rt = "
           "x19-x28, x30 (each stored through, loaded into) give the same results");
}

static void test_64bit(uintptr_t u)
{
    uint64_t esr = 0, x = PRELOAD;

    bad = 0;
    if (!plat.gic_v2) {
        /* the last vCPU's frame: Last set, its affinity (Aff0 = index) in the upper half */
        uint64_t last = plat.cpu_count - 1;
        uintptr_t rd = gic_find_redist((read_sysreg(mpidr_el1) & 0xff00ffff00ull) | last);
        uint64_t lo = MLOAD("ldr", "w", "x2", rd + GICR_TYPER);
        uint64_t hi = MLOAD("ldr", "w", "x3", rd + GICR_TYPER_HI);
        check("LDR x6 GICR_TYPER", MLOAD("ldr", "x", "x6", rd + GICR_TYPER), lo | hi << 32);
        check("GICR_TYPER.Last", lo & GICR_TYPER_LAST, GICR_TYPER_LAST);
        check("GICR_TYPER affinity", hi, last);
        uintptr_t irouter = plat.gicd_base + GICD_IROUTER + 8 * plat.uart_intid;
        uint64_t route = MLOAD("ldr", "x", "x8", irouter);
        MSTORE("str", "x", "x9", irouter, route);
        check("STR x then LDR x GICD_IROUTER", MLOAD("ldr", "x", "x10", irouter), route);
    }
    /* The PL011 has no 64-bit registers: refused, an external abort, Rt untouched. */
    fault_expect();
    {
        register uint64_t r_ __asm__("x5") = PRELOAD;
        __asm__ volatile("ldr %0, [%1]" : "+r"(r_) : "r"(u + UART_FR) : "memory");
        x = r_;
    }
    check("refused LDR x5: taken", fault_taken(&esr), 1);
    check("refused LDR x5: EC", esr_ec(esr), EC_DABT_CUR);
    check("refused LDR x5: x5", x, PRELOAD);
    fault_expect();
    MSTORE("str", "x", "x7", u + UART_IBRD, 0x1111);
    check("refused STR x7: taken", fault_taken(&esr), 1);
    check("refused STR x7: IBRD unchanged", MLOAD("ldr", "w", "x4", u + UART_IBRD), 0);
    report(bad == 0, "mmiow: 64-bit LDR/STR X (GICR_TYPER = its two halves, GICD_IROUTER), and "
           "a 64-bit access the PL011 refuses: an external abort, Rt unchanged%s",
           plat.gic_v2 ? " (GICv2: the PL011 only)" : "");
}

static void test_watchdog_load(void)
{
    struct dt_dev dev;

    bad = 0;
    if (!dt_find_device("arm,sp805", &dev)) {
        report(false, "mmiow: tg.mmiow_wdog=1 without an arm,sp805 device");
        return;
    }
    check("LDR w2 WDOGLOAD (reset)", MLOAD("ldr", "w", "x2", dev.base + WD_LOAD), 0xffffffffull);
    check("LDRSW x3 WDOGLOAD (reset)", MLOAD("ldrsw", "x", "x3", dev.base + WD_LOAD),
          0xffffffffffffffffull);
    MSTORE("str", "w", "x4", dev.base + WD_LOCK, WD_UNLOCK);
    MSTORE("str", "w", "x4", dev.base + WD_LOAD, 0xffffffff80000001ull);
    check("LDRSW x5", MLOAD("ldrsw", "x", "x5", dev.base + WD_LOAD), 0xffffffff80000001ull);
    check("LDR w6", MLOAD("ldr", "w", "x6", dev.base + WD_LOAD), 0x80000001ull);
    check("LDRSW x22", MLOAD("ldrsw", "x", "x22", dev.base + WD_LOAD),
          0xffffffff80000001ull);
    MSTORE("str", "w", "x4", dev.base + WD_LOAD, 0xffffffffu);
    report(bad == 0, "mmiow: LDRSW of a 32-bit register with bit 31 set: sign-extended into X "
           "(SP805 WDOGLOAD)");
}

static volatile unsigned sgi_taken;
static volatile uint64_t sgi_active, sgi_pending;
static uintptr_t sgi_base;

/* Inside the handler the guest has acknowledged the SGI: its LR holds it active, which the
 * redistributor's registers show only once the LRs are synced. */
static void mw_sgi(uint32_t intid)
{
    (void)intid;
    sgi_active = MLOAD("ldr", "w", "x5", sgi_base + GICX_ISACTIVER0) & (1u << MW_SGI);
    sgi_pending = MLOAD("ldr", "w", "x6", sgi_base + GICX_ISPENDR0) & (1u << MW_SGI);
    sgi_taken++;
}

/* An SGI pending in a list register (IRQs masked) while the guest reads and clears its
 * pending bit through the redistributor: the LRs are synced before the access. */
static void test_lr_in_use(void)
{
    uint64_t mpidr = read_sysreg(mpidr_el1) & 0xff00ffffffull;
    uintptr_t sgi;

    /* GICv2: the distributor's banked GICD_ISPENDR0/ICPENDR0/ISACTIVER0, same offsets */
    sgi = plat.gic_v2 ? plat.gicd_base : gic_find_redist(mpidr) + GICR_SGI_OFFSET;
    sgi_base = sgi;
    bad = 0;
    gic_set_handler(MW_SGI, mw_sgi);
    gic_enable_private(MW_SGI);
    __asm__ volatile("msr daifset, #2" : : : "memory");
    gic_send_sgi(MW_SGI, mpidr);
    __asm__ volatile("isb" : : : "memory");
    /* stores and loads through x19-x22 and x5 while the LR is in use (the LR sync's call) */
    MSTORE("strh", "w", "x21", plat.uart_base + UART_IBRD, 0x4321);
    check("LDR w22 with an LR in use", MLOAD("ldr", "w", "x22", plat.uart_base + UART_IBRD),
          0x4321);
    MSTORE("strh", "w", "x19", plat.uart_base + UART_IBRD, 0x1234);
    check("LDRSH x5 with an LR in use", MLOAD("ldrsh", "x", "x5", plat.uart_base + UART_IBRD),
          0x1234);
    MSTORE("strh", "w", "x3", plat.uart_base + UART_IBRD, 0);
    check("ISPENDR0 with the SGI in an LR",
          MLOAD("ldr", "w", "x5", sgi + GICX_ISPENDR0) & (1u << MW_SGI), 1u << MW_SGI);
    MSTORE("str", "w", "x6", sgi + GICX_ICPENDR0, 1u << MW_SGI);
    check("ISPENDR0 after ICPENDR0", MLOAD("ldr", "w", "x7", sgi + GICX_ISPENDR0) &
          (1u << MW_SGI), 0);
    __asm__ volatile("msr daifclr, #2; isb" : : : "memory");
    for (volatile unsigned i = 0; i < 10000; i++) {
    }
    check("SGI taken after its pending bit was cleared", sgi_taken, 0);
    gic_send_sgi(MW_SGI, mpidr);
    for (volatile unsigned i = 0; i < 100000 && sgi_taken == 0; i++) {
    }
    check("SGI taken when sent again", sgi_taken, 1);
    check("GICR_ISACTIVER0 in its handler", sgi_active, 1u << MW_SGI);
    check("GICR_ISPENDR0 in its handler", sgi_pending, 0);
    gic_disable_private(MW_SGI);
    report(bad == 0, "mmiow: with an SGI pending in a list register, stores and loads through "
           "x19-x22 and x5 are exact, GICR_ISPENDR0 shows it and GICR_ICPENDR0 clears it (not "
           "delivered after); acknowledged (active in its LR), GICR_ISACTIVER0 shows it active "
           "and no longer pending");
}

void tests_mmiow(void)
{
    uintptr_t u = plat.uart_base;

    test_zero_extending(u);
    test_stores(u);
    test_sign_extending(u);
    test_xzr_and_high_rt(u);
    test_64bit(u);
    if (bootarg_get_u64("tg.mmiow_wdog", 0)) {
        test_watchdog_load();
    }
    test_lr_in_use();
    tg_finish();
}
