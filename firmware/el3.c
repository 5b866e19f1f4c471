// SPDX-License-Identifier: MIT
/*
 * The secure side of QEMU virt that the normal world cannot set up itself (ARM DDI 0487
 * D17.2, GICv3 spec IHI 0069 12.9): the EL3 controls (SCR_EL3 sends the lower ELs to
 * non-secure AArch64 with HVC enabled, CPTR_EL3 and MDCR_EL3 trap nothing of FP/SIMD, the
 * PMU, debug or the counters), the GICv3's secure-only registers (affinity routing for both
 * states, every interrupt non-secure group 1, each redistributor awake, ICC_SRE_EL3 so EL2
 * may use the system-register interface), the EL2 state Bulkhead expects at entry (MMU off,
 * as the arm64 boot protocol), and the power lines.
 */
#include "fw.h"

#define SYSREG_W(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define SYSREG_R(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })

#define BIT(n) (UINT64_C(1) << (n))

#define SCR_NS   BIT(0)
#define SCR_RES1 (BIT(4) | BIT(5))
#define SCR_HCE  BIT(8)
#define SCR_RW   BIT(10)                  /* SMD (bit 7) = 0: SMC is enabled */
#define MDCR_SDD BIT(16)                  /* no secure self-hosted debug */
#define MDCR_SPME BIT(17)                 /* secure PMU counting: bench builds only (head.S) */
#define ICC_SRE_EL3_ALL 0xfu              /* SRE, DFB, DIB, Enable (lower ELs may use SRE) */
#define SCTLR_EL2_RES1 0x30c50830u        /* MMU and caches off */
#define CPTR_EL2_RES1  0x33ffu
#define CNTHCTL_EL1PCTEN_PCEN 0x3u

#define GICD_CTLR      0x0000
#define GICD_TYPER     0x0004
#define GICD_IGROUPR   0x0080
#define GICD_IGRPMODR  0x0d00
#define GICD_CTLR_RWP  BIT(31)
#define GICD_CTLR_ARE_S  BIT(4)
#define GICD_CTLR_ARE_NS BIT(5)
#define GICR_WAKER     0x0014
#define GICR_TYPER     0x0008
#define GICR_TYPER_LAST BIT(4)
#define GICR_WAKER_PSLEEP BIT(1)
#define GICR_WAKER_CASLEEP BIT(2)
#define GICR_SGI       0x10000
#define GICR_IGROUPR0  (GICR_SGI + 0x0080)
#define GICR_IGRPMODR0 (GICR_SGI + 0x0d00)
#define GPIO_DIR       0x400
#define POLL_LIMIT     1000000u           /* our own hardware; still never an endless loop */

static inline uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint64_t r64(uint64_t a) { return *(volatile uint64_t *)a; }

static void wait_clear(uint64_t reg, uint32_t mask)
{
    for (unsigned i = 0; i < POLL_LIMIT && (r32(reg) & mask); i++) {
    }
}

void el3_gic_dist_init(void)
{
    w32(FW_GICD_PA + GICD_CTLR, 0);
    wait_clear(FW_GICD_PA + GICD_CTLR, GICD_CTLR_RWP);
    w32(FW_GICD_PA + GICD_CTLR, GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS);
    wait_clear(FW_GICD_PA + GICD_CTLR, GICD_CTLR_RWP);
    unsigned words = (r32(FW_GICD_PA + GICD_TYPER) & 0x1f) + 1; /* ITLinesNumber */
    for (unsigned i = 1; i < words; i++) {                       /* SPIs; word 0 is per CPU */
        w32(FW_GICD_PA + GICD_IGROUPR + 4 * i, 0xffffffff);
        w32(FW_GICD_PA + GICD_IGRPMODR + 4 * i, 0);
    }
}

static void gic_redist_init(uint64_t mpidr)
{
    uint32_t aff = (uint32_t)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
    uint64_t rd = FW_GICR_PA;

    for (unsigned i = 0; i < FW_MAX_CPUS; i++, rd += FW_GICR_STRIDE) {
        uint64_t typer = r64(rd + GICR_TYPER);
        if ((uint32_t)(typer >> 32) == aff) {
            w32(rd + GICR_WAKER, r32(rd + GICR_WAKER) & ~(uint32_t)GICR_WAKER_PSLEEP);
            wait_clear(rd + GICR_WAKER, GICR_WAKER_CASLEEP);
            w32(rd + GICR_IGROUPR0, 0xffffffff);
            w32(rd + GICR_IGRPMODR0, 0);
            return;
        }
        if (typer & GICR_TYPER_LAST) {
            break;
        }
    }
    fw_puts("bulkhead-fw: no GIC redistributor for this CPU");
}

void el3_cpu_init(unsigned cpu)
{
    (void)cpu;
    el3_world(false);
    SYSREG_W(cptr_el3, 0);
    SYSREG_W(mdcr_el3, MDCR_SDD | (CONFIG_BENCH ? MDCR_SPME : 0));
    if (SYSREG_R(cntfrq_el0) == 0) {
        SYSREG_W(cntfrq_el0, FW_CNTFRQ_HZ);
    }
    SYSREG_W(S3_6_C12_C12_5, ICC_SRE_EL3_ALL); /* ICC_SRE_EL3 */
    __asm__ volatile("isb");
    gic_redist_init(SYSREG_R(mpidr_el1));
    SYSREG_W(sctlr_el2, SCTLR_EL2_RES1);
    SYSREG_W(hcr_el2, 0);
    SYSREG_W(cptr_el2, CPTR_EL2_RES1);
    SYSREG_W(cnthctl_el2, CNTHCTL_EL1PCTEN_PCEN);
    SYSREG_W(cntvoff_el2, 0);
    SYSREG_W(vpidr_el2, SYSREG_R(midr_el1));
    SYSREG_W(vmpidr_el2, SYSREG_R(mpidr_el1));
    __asm__ volatile("isb");
}

/* QEMU virt, secure=on: the secure PL061's line 0 drives gpio-poweroff, line 1 gpio-restart
 * (hw/arm/virt.c create_gpio_devices); a rising edge acts. */
void el3_power(bool reset)
{
    unsigned line = reset ? FW_GPIO_RESET : FW_GPIO_POWEROFF;

    if (reset) {
        *(volatile uint64_t *)FW_HOLD_PA = 0; /* the next reset holds the secondaries again */
    }
    __asm__ volatile("dsb sy");
    w32(FW_SECURE_GPIO_PA + GPIO_DIR, r32(FW_SECURE_GPIO_PA + GPIO_DIR) | (1u << line));
    w32(FW_SECURE_GPIO_PA + ((1u << line) << 2), 1u << line);
    fw_park();
}

void el3_sev(void)
{
    __asm__ volatile("dsb sy; sev" ::: "memory");
}

void el3_wfe(void)
{
    __asm__ volatile("wfe" ::: "memory");
}

void el3_wfi(void)
{
    __asm__ volatile("dsb sy; wfi" ::: "memory");
}

bool el3_has_sha256_insns(void)
{
    return ((SYSREG_R(id_aa64isar0_el1) >> 12) & 0xf) != 0;
}

/* SCR_EL3 for a call into the secure partition (NS = 0: S-EL1 AArch64, no interrupt routed
 * to EL3, SMC enabled) or back to the normal world. */
void el3_world(bool secure)
{
    /* QEMU 7.2 accounts PMU event counters lazily and re-evaluates whether one counts (EL2's
     * reserved counters depend on the security state) only at its own hook points: an
     * exception-level change or a PMU register write, not an SCR_EL3 write. Pausing the
     * enabled counters around the write keeps their values right (a few EL3 instructions
     * go uncounted); without it the hypervisor's counter came out wrapped. */
    uint64_t on = SYSREG_R(pmcntenset_el0);

    SYSREG_W(pmcntenclr_el0, on);
    SYSREG_W(scr_el3, secure ? (SCR_RES1 | SCR_RW) : (SCR_NS | SCR_RES1 | SCR_HCE | SCR_RW));
    __asm__ volatile("isb");
    SYSREG_W(pmcntenset_el0, on);
}
