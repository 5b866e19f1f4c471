// SPDX-License-Identifier: MIT
/*
 * Negative cases: the guest reaches for memory, interrupts, registers and calls that are not
 * its own. Each access must be contained (fault injected, write ignored, call refused) and
 * the guest must be able to continue. With tg.bare=1 (plain QEMU, no hypervisor) an
 * uncontained result is printed as INFO instead of counted as FAIL.
 */
#include <stdarg.h>

#include "bootargs.h"
#include "exc.h"
#include "gicx.h"
#include "mmio.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "tests.h"

#define MIB                   0x100000UL
#define BEYOND_RAM_OFFSET     (16 * MIB)
#define BELOW_RAM_OFFSET      (2 * MIB)
#define DEFAULT_FOREIGN_SPI   79
#define GIC_FIRST_SPI         32
#define GIC_MAX_SPI           1019
#define PROBE_WRITE_VALUE     0x5447beefU
#define BULKHEAD_UNKNOWN_HVC  0xC600FFFFU /* vendor hypervisor service range, unassigned */
#define UNKNOWN_SMC           0x82001234U /* SiP service range, SMC32 */
#define PMCR_N                GENMASK(15, 11)
#define ITARGETS_BITS         8     /* GICD_ITARGETSR: one byte per INTID */
#define ITARGETS_BYTE         0xffU
#define GICC_FRAME_SIZE       0x2000 /* GICC: two 4 KiB pages (IHI 0048B 4.4) */
#define ABSENT_SGI            9

static bool bare;

/* Report a containment result; on bare hardware an uncontained one is only informational. */
static void contained(bool ok, const char *fmt, ...) __printf(2, 3);
static void contained(bool ok, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (ok || !bare) {
        vreport(ok, fmt, ap);
    } else {
        vreport_info(fmt, ap);
    }
    va_end(ap);
}

static void test_memory_outside(void)
{
    uint64_t esr = 0;
    uint32_t val = 0;
    uintptr_t beyond = platform_mem_highest_end() + BEYOND_RAM_OFFSET;

    bool faulted = !probe_read32_esr(beyond, &val, &esr);
    contained(faulted && esr_ec(esr) == ESR_EC_DABT_CUR,
              "hostile: read 0x%lx (16 MiB past RAM) -> %s ESR=0x%lx", beyond,
              faulted ? "abort" : "no abort", esr);

    uint64_t base = platform_mem_lowest();
    if (base <= BELOW_RAM_OFFSET) {
        report_info("hostile: RAM starts at 0x%lx, no room below it to probe", base);
        return;
    }
    uintptr_t below = base - BELOW_RAM_OFFSET;
    esr = 0;
    faulted = !probe_write32_esr(below, PROBE_WRITE_VALUE, &esr);
    contained(faulted && esr_ec(esr) == ESR_EC_DABT_CUR,
              "hostile: write 0x%lx (2 MiB below RAM) -> %s ESR=0x%lx", below,
              faulted ? "abort" : "no abort", esr);
}

/* Write one distributor word and read it back; an abort on either access also contains. */
static bool gicd_poke(uint32_t off, uint32_t val, uint32_t *readback)
{
    uintptr_t reg = plat.gicd_base + off;

    *readback = 0;
    if (!probe_write32(reg, val)) {
        return true;
    }
    return probe_read32(reg, readback);
}

/* GICv3: route it to the last CPU we own, so a write that takes is visible (CPU0 is often 0) */
static void probe_foreign_irouter(uint32_t spi)
{
    uint32_t rb;
    uint64_t mpidr = plat.cpu_mpidr[plat.cpu_count - 1];
    uint32_t route_lo = (uint32_t)(mpidr & (MPIDR_AFF0 | MPIDR_AFF1 | MPIDR_AFF2));
    uint32_t route_hi = (uint32_t)FIELD_GET(MPIDR_AFF3, mpidr);
    uint32_t rb_hi = 0;
    if (!route_lo && !route_hi) {
        route_lo = GICD_IROUTER_IRM; /* single CPU at affinity 0: "any of my CPUs" */
    }
    uint32_t irouter = GICD_IROUTER + spi * GICD_IROUTER_STRIDE;
    gicd_poke(irouter, route_lo, &rb);
    gicd_poke(irouter + sizeof(uint32_t), route_hi, &rb_hi);
    contained(!rb && !rb_hi, "hostile: GICD_IROUTER%u write 0x%x_%08x reads back 0x%x_%08x", spi,
              route_hi, route_lo, rb_hi, rb);
}

/* Byte lane of INTID intid in its GICD_ITARGETSR word (IHI 0048B 4.3.12). */
static uint32_t itargets_shift(uint32_t intid)
{
    return (intid % sizeof(uint32_t)) * ITARGETS_BITS;
}

/*
 * GICv2: name every CPU interface as the foreign SPI's target. The word also holds up to
 * three neighbours, possibly ours (the UART's SPI 33 beside 34): they are written back as
 * read, and only the foreign SPI's byte is looked at.
 */
static void probe_foreign_itargets(uint32_t spi)
{
    uintptr_t reg = plat.gicd_base + GICD_ITARGETSR + (spi & ~3U);
    uint32_t shift = itargets_shift(spi), lane = ITARGETS_BYTE << shift, old = 0, rb = 0;

    if (probe_read32(reg, &old) && probe_write32(reg, old | lane)) {
        probe_read32(reg, &rb);
        probe_write32(reg, old); /* undo if it took */
    }
    contained(!(rb & lane), "hostile: GICD_ITARGETSR%u write 0x%x reads back 0x%x", spi,
              ITARGETS_BYTE, (rb & lane) >> shift);
}

static void test_foreign_spi(void)
{
    uint32_t spi = (uint32_t)bootarg_get_u64("tg.foreign_spi", DEFAULT_FOREIGN_SPI);
    uint32_t word = (spi / GIC_REG_BITS) * sizeof(uint32_t);
    uint32_t bit = (uint32_t)BIT(spi % GIC_REG_BITS);
    uint32_t rb;

    if (spi < GIC_FIRST_SPI || spi > GIC_MAX_SPI) {
        report(false, "hostile: tg.foreign_spi=%u is not an SPI", spi);
        return;
    }

    gicd_poke(GICD_ISENABLER + word, bit, &rb);
    contained(!(rb & bit), "hostile: GICD_ISENABLER for foreign SPI %u reads back 0x%x", spi,
              rb);
    probe_write32(plat.gicd_base + GICD_ICENABLER + word, bit); /* undo if it took */

    if (plat.gic_v2) {
        probe_foreign_itargets(spi);
    } else {
        probe_foreign_irouter(spi);
    }

    gicd_poke(GICD_ISPENDR + word, bit, &rb);
    contained(!(rb & bit), "hostile: GICD_ISPENDR for foreign SPI %u reads back 0x%x", spi, rb);
    probe_write32(plat.gicd_base + GICD_ICPENDR + word, bit);
}

/* tg.foreign_mmio=<pa>: a device window given to another VM is not in our stage 2. */
static void test_foreign_mmio(void)
{
    uintptr_t pa = (uintptr_t)bootarg_get_u64("tg.foreign_mmio", 0);
    uint64_t esr = 0;
    uint32_t val = 0;

    if (!pa) {
        return;
    }
    bool faulted = !probe_read32_esr(pa, &val, &esr);
    contained(faulted && esr_ec(esr) == ESR_EC_DABT_CUR,
              "hostile: read 0x%lx (another VM's device) -> %s ESR=0x%lx%s", pa,
              faulted ? "abort" : "no abort", esr, faulted ? "" : " (value read)");
}

static void test_foreign_redist(void)
{
    /* our frames are one per CPU in the DT; the next one belongs to nobody we know */
    uint32_t own = plat.cpu_count_dt > plat.cpu_count ? plat.cpu_count_dt : plat.cpu_count;
    uintptr_t rd = plat.gicr_base + own * gic_redist_stride();
    uint32_t lo = 0, hi = 0;
    uint64_t esr = 0;

    bool readable = probe_read32_esr(rd + GICR_TYPER, &lo, &esr) &&
                    probe_read32_esr(rd + GICR_TYPER_HI, &hi, &esr);
    report(!readable || (!lo && !hi),
           "hostile: redistributor frame %u at 0x%lx -> %s (GICR_TYPER=0x%x_%08x ESR=0x%lx)",
           own, rd, readable ? "read" : "abort", hi, lo, esr);
}

/*
 * GICv2 has no per-CPU frames: a CPU beyond ours is a bit in GICD_ITARGETSR and GICD_SGIR
 * only (IHI 0048B 4.3.12: such target bits are RAZ/WI; 4.3.15: an SGI to a CPU interface that
 * does not exist goes nowhere), and the CPU interface is one banked frame, past whose 8 KiB
 * there is nothing of ours.
 */
static void test_absent_cpus_v2(void)
{
    uint32_t own = plat.cpu_count_dt > plat.cpu_count ? plat.cpu_count_dt : plat.cpu_count;
    uint32_t absent = (uint32_t)(GENMASK(GICV2_MAX_CPUS - 1, 0) & ~GENMASK(own - 1, 0));
    uint32_t spi = plat.uart_intid, shift = itargets_shift(spi);
    uintptr_t reg = plat.gicd_base + GICD_ITARGETSR + (spi & ~3U);
    uint32_t lane = ITARGETS_BYTE << shift, old, rb;

    if (own >= GICV2_MAX_CPUS) {
        report_info("hostile: %u CPUs, no absent GICv2 CPU interface to name", own);
    } else {
        /* our own SPI (the UART's), aimed at every absent CPU interface and at CPU 0 */
        old = mmio_read32(reg);
        mmio_write32(reg, (old & ~lane) | ((absent | 1U) << shift));
        rb = mmio_read32(reg);
        mmio_write32(reg, old);
        report(((rb & lane) >> shift) == 1U,
               "hostile: GICD_ITARGETSR%u write 0x%x (CPU interfaces %u..7 absent) reads back "
               "0x%x",
               spi, absent | 1U, own, (rb & lane) >> shift);

        /* an SGI to the absent ones only: nothing reaches ours, and we go on */
        mmio_write32(plat.gicd_base + GICD_ICPENDR, gic_bit(ABSENT_SGI));
        dsb_sy();
        mmio_write32(plat.gicd_base + GICD_SGIR,
                     absent << GICD_SGIR_TARGETS_SHIFT | ABSENT_SGI);
        dsb_sy();
        bool pend = mmio_read32(plat.gicd_base + GICD_ISPENDR) & gic_bit(ABSENT_SGI);
        report(!pend, "hostile: GICD_SGIR SGI %u to CPU interfaces 0x%x only: not pending here",
               ABSENT_SGI, absent);
    }

    uintptr_t past = plat.gicc_base + GICC_FRAME_SIZE;
    uint64_t esr = 0;
    uint32_t val = 0;
    bool faulted = !probe_read32_esr(past, &val, &esr);
    contained(faulted && esr_ec(esr) == ESR_EC_DABT_CUR,
              "hostile: read 0x%lx (past the 8 KiB GICC) -> %s ESR=0x%lx", past,
              faulted ? "abort" : "no abort", esr);
}

static void test_forbidden_sysregs(void)
{
    uint64_t esr = 0;

    /* (the EL1 physical timer, CNTP_*, is emulated now: tg.mode=timer checks it) */
    /* The PMU counters beyond PMCR_EL0.N (the hypervisor's, in benchmark builds) */
    uint64_t n = FIELD_GET(PMCR_N, read_sysreg(pmcr_el0));
    esr = 0;
    write_sysreg(n, pmselr_el0);
    isb();
    fault_expect();
    __asm__ volatile("msr pmxevcntr_el0, xzr" : : : "memory");
    bool undef = fault_taken(&esr) && esr_ec(esr) == ESR_EC_UNKNOWN;
    write_sysreg(0, pmselr_el0);
    contained(undef, "hostile: write PMU counter %lu (PMCR_EL0.N) -> %s (ESR=0x%lx)", n,
              undef ? "UNDEF" : "no UNDEF", esr);
}

static void test_unknown_calls(void)
{
    uint64_t esr = 0;

    fault_expect();
    int64_t ret = smccc_hvc(BULKHEAD_UNKNOWN_HVC, 0, 0, 0);
    bool faulted = fault_taken(&esr);
    contained(!faulted && (int32_t)ret == SMCCC_RET_NOT_SUPPORTED,
              "hostile: HVC 0x%x -> x0=0x%lx%s ESR=0x%lx", BULKHEAD_UNKNOWN_HVC, ret,
              faulted ? " (exception)" : "", esr);

    esr = 0;
    fault_expect();
    ret = smccc_smc(UNKNOWN_SMC, 0, 0, 0);
    faulted = fault_taken(&esr);
    contained(!faulted && (int32_t)ret == SMCCC_RET_NOT_SUPPORTED,
              "hostile: SMC 0x%x -> x0=0x%lx%s ESR=0x%lx", UNKNOWN_SMC, ret,
              faulted ? " (exception)" : "", esr);
}

void tests_hostile(void)
{
    bare = bootarg_get_u64("tg.bare", 0) != 0;
    if (bare) {
        report_info("hostile: tg.bare=1, uncontained results are informational");
    }
    test_memory_outside();
    test_foreign_spi();
    test_foreign_mmio();
    if (plat.gic_v2) {
        test_absent_cpus_v2();
    } else {
        test_foreign_redist();
    }
    test_forbidden_sysregs();
    test_unknown_calls();
    report(true, "hostile: guest still running after all probes");
    tg_finish();
}
