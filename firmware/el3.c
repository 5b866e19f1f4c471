// SPDX-License-Identifier: MIT
/*
 * The secure side of the CPU that the normal world cannot set up itself (ARM DDI 0487
 * D17.2), the same on every platform: the EL3 controls (SCR_EL3 sends the lower ELs to
 * non-secure AArch64 with HVC enabled, CPTR_EL3 and MDCR_EL3 trap nothing of FP/SIMD, the
 * PMU, debug or the counters) and the EL2 state Bulkhead expects at entry (MMU off, as the
 * arm64 boot protocol). The GIC's secure set-up and the power lines are the platform's
 * (firmware/<platform>/board.c).
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
#define SCTLR_EL2_RES1 0x30c50830u        /* MMU and caches off */
#define CPTR_EL2_RES1  0x33ffu
#define CNTHCTL_EL1PCTEN_PCEN 0x3u

void el3_cpu_init(unsigned cpu)
{
    (void)cpu;
    el3_world(false);
    SYSREG_W(cptr_el3, 0);
    SYSREG_W(mdcr_el3, MDCR_SDD | (CONFIG_BENCH ? MDCR_SPME : 0));
    if (SYSREG_R(cntfrq_el0) == 0) {
        SYSREG_W(cntfrq_el0, FW_CNTFRQ_HZ);
    }
    plat_gic_cpu_init();
    SYSREG_W(sctlr_el2, SCTLR_EL2_RES1);
    SYSREG_W(hcr_el2, 0);
    SYSREG_W(cptr_el2, CPTR_EL2_RES1);
    SYSREG_W(cnthctl_el2, CNTHCTL_EL1PCTEN_PCEN);
    SYSREG_W(cntvoff_el2, 0);
    SYSREG_W(vpidr_el2, SYSREG_R(midr_el1));
    SYSREG_W(vmpidr_el2, SYSREG_R(mpidr_el1));
    __asm__ volatile("isb");
}

/* Everything that powers off or resets goes through here: the next reset holds the
 * secondaries again (head.S) until the primary has set the firmware up. */
void el3_power(bool reset)
{
    if (reset) {
        *(volatile uint64_t *)FW_HOLD_PA = 0;
    }
    __asm__ volatile("dsb sy");
    plat_power(reset);
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
