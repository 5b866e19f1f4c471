// SPDX-License-Identifier: MIT
/*
 * The hardware state of a vCPU on a shared pCPU, saved when it is switched out and loaded when
 * it comes back (sched_cpu.c; ARM DDI 0487 D1 for the EL1 registers, D11.2.4 for the virtual
 * timer, GIC IHI 0069H 12.5 for the ICH_* registers). What is not here, and why:
 * - general-purpose registers: the guest's are in its trap frame, on its own EL2 stack;
 * - the list registers: vgic_vcpu_reset_hw hands them back to the vGIC model (active
 *   interrupts stay active there) and the next flush refills them; the active priorities
 *   (APRs) are kept here, so an interrupt the guest acknowledged keeps its place;
 * - CNTVOFF_EL2 stays 0 for every VM: guest virtual time is the counter's and keeps running
 *   while the vCPU is out, so its timer fires on time (a hypervisor deadline wakes it);
 * - PMU and debug registers: switched (vpmu_save/load, vdebug_save/load) only for guests that
 *   touched them since their reset (every access traps), else left in their reset state;
 * - FP/SIMD registers (q0-q31, FPCR, FPSR): lazily. A vCPU comes in with CPTR_EL2.TFP set and
 *   its registers in memory; its first FP/SIMD instruction traps (sched_fp_trap), which loads
 *   them and clears TFP; they are saved as it goes out only if it came that far (fp_live).
 *   Most guest code never touches them (Linux's kernel uses them in a few places), so most
 *   switches pay a CPTR_EL2 write instead of 66 registers each way (as KVM does);
 * - AArch32 EL1 registers (DACR32, IFSR32, FPEXC32): guests run AArch64 at EL1 (HCR_EL2.RW).
 */
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <arch/vgic_hw.h>
#include <core/hyp.h>
#include <core/platinfo.h>
#include <core/vgic/vgic_regs.h>
#include <drivers/gic.h>

#include "sched_cpu.h"
#include "vtimer.h"

void sched_fp_save(uint64_t *buf);
void sched_fp_load(const uint64_t *buf);

/* PREbits + 1 preemption bits need 2^(PREbits + 1 - 5) active-priority registers. */
static unsigned nr_aprs(void)
{
    return 1u << (FIELD_GET(ICH_VTR_PREBITS, arch_vgic_read_vtr()) + 1 - 5);
}

#define EL1_REGS(X)                                                                             \
    X(0, sctlr_el1) X(1, ttbr0_el1) X(2, ttbr1_el1) X(3, tcr_el1) X(4, mair_el1)                \
    X(5, amair_el1) X(6, esr_el1) X(7, far_el1) X(8, afsr0_el1) X(9, afsr1_el1)                 \
    X(10, vbar_el1) X(11, contextidr_el1) X(12, tpidr_el0) X(13, tpidr_el1)                     \
    X(14, tpidrro_el0) X(15, sp_el0) X(16, sp_el1) X(17, elr_el1) X(18, spsr_el1)               \
    X(19, cpacr_el1) X(20, par_el1) X(21, cntkctl_el1) X(22, csselr_el1) X(23, mdscr_el1)

void vcpu_hw_save(struct vcpu_hw *hw)
{
    uint32_t vppi = hyp_plat.timer_intid[PLATINFO_TIMER_VIRT];
    unsigned n = nr_aprs();

#define SAVE(i, r) hw->el1[i] = sysreg_read(r);
    EL1_REGS(SAVE)
#undef SAVE
    if (hw->fp_live) { /* TFP is clear: its registers are in the CPU */
        sched_fp_save(hw->fp);
        hw->fp_live = false;
    }
    hw->cntv_ctl = sysreg_read(cntv_ctl_el0);
    hw->cntv_cval = sysreg_read(cntv_cval_el0);
    sysreg_write(cntv_ctl_el0, 0); /* its output must not reach the next vCPU */
    hw->ich_vmcr = arch_vgic_read_vmcr();
    hw->ich_hcr = arch_vgic_read_hcr();
    for (unsigned i = 0; i < n && i < 4; i++) {
        hw->ap0r[i] = arch_vgic_read_ap0r(i);
        hw->ap1r[i] = arch_vgic_read_ap1r(i);
    }
    hw->hcr = sysreg_read(hcr_el2);
    hw->vmpidr = sysreg_read(vmpidr_el2);
    hw->vttbr = sysreg_read(vttbr_el2);
    /* the timer's or PMU's PPI active (HW-linked, the guest has not deactivated it): the next
     * vCPU's could never fire */
    uint32_t ppis = (vppi < 32 ? UINT32_C(1) << vppi : 0) | UINT32_C(1) << VPMU_INTID;
    hw->ppi_active = gic_local_active() & ppis;
    for (uint32_t a = hw->ppi_active; a != 0; a &= a - 1) {
        gic_set_active((uint32_t)__builtin_ctz(a), arch_cpu_id_raw(), false);
    }
    vpmu_save(&hw->pmu);
    vdebug_save(&hw->dbg);
}

void vcpu_hw_load(const struct vcpu_hw *hw)
{
    unsigned n = nr_aprs();

#define LOAD(i, r) sysreg_write(r, hw->el1[i]);
    EL1_REGS(LOAD)
#undef LOAD
    /* its FP/SIMD registers stay in memory until it uses them (vcpu_hw_fp_in); whatever the
     * CPU holds is not its to see: the first access traps */
    sysreg_write(cptr_el2, CPTR_EL2_RES1 | CPTR_EL2_TFP);
    for (uint32_t a = hw->ppi_active; a != 0; a &= a - 1) {
        gic_set_active((uint32_t)__builtin_ctz(a), arch_cpu_id_raw(), true);
    }
    vpmu_load(&hw->pmu);
    vdebug_load(&hw->dbg);
    sysreg_write(cntv_cval_el0, hw->cntv_cval);
    sysreg_write(cntv_ctl_el0, hw->cntv_ctl);
    arch_vgic_write_vmcr(hw->ich_vmcr);
    for (unsigned i = 0; i < n && i < 4; i++) {
        arch_vgic_write_ap0r(i, hw->ap0r[i]);
        arch_vgic_write_ap1r(i, hw->ap1r[i]);
    }
    arch_vgic_write_hcr(hw->ich_hcr);
    sysreg_write(hcr_el2, hw->hcr);
    sysreg_write(vmpidr_el2, hw->vmpidr);
    sysreg_write(vttbr_el2, hw->vttbr);
    isb();
}

void vcpu_hw_fp_in(struct vcpu_hw *hw)
{
    sysreg_write(cptr_el2, CPTR_EL2_RES1);
    isb(); /* before EL2's own FP/SIMD loads below */
    sched_fp_load(hw->fp);
    hw->fp_live = true;
}

uint64_t vcpu_hw_timer_at(const struct vcpu_hw *hw)
{
    /* an interrupt of it still active: the timer cannot signal again before it is done */
    uint32_t vppi = hyp_plat.timer_intid[PLATINFO_TIMER_VIRT];
    bool active = vppi < 32 && (hw->ppi_active & (UINT32_C(1) << vppi));

    /* its PMU's overflow line was up as it went out: it has something to do now (the line
     * comes back with vpmu_load; a level interrupt, it would be lost as a wake-up) */
    if (hw->pmu.valid && hw->pmu.irq_line &&
        !(hw->ppi_active & (UINT32_C(1) << VPMU_INTID))) {
        return 0;
    }
    if (active || (hw->cntv_ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) != CNT_CTL_ENABLE) {
        return UINT64_MAX;
    }
    return hw->cntv_cval; /* CNTVOFF_EL2 = 0: virtual and physical counts are one */
}
