// SPDX-License-Identifier: MIT
/*
 * The EL1 physical timer, emulated (ARM DDI 0487 D11 "The Generic Timer", D11.2.4 for the
 * CNTP_* registers), as KVM does for guests without direct physical-timer access. The guest
 * device tree advertises it (PPI 14 = INTID 30), and Linux or a conformance suite may use it.
 *
 * - CNTHCTL_EL2.EL1PCEN = 0 keeps CNTP_CTL/CVAL/TVAL_EL0 trapping (EC 0x18); the physical
 *   count CNTPCT_EL0 stays readable (EL1PCTEN = 1). The state is per vCPU (struct
 *   arch_ptimer in struct vcpu): CTL.ENABLE/IMASK and CVAL. The physical timer compares CVAL
 *   with the physical count CNTPCT_EL0, never with CNTVCT_EL0 = CNTPCT_EL0 - CNTVOFF_EL2.
 * - TVAL is a signed 32-bit view of CVAL - CNTPCT: a read returns bits [31:0] of the
 *   difference (bits [63:32] RES0), a write sets CVAL = CNTPCT + SignExtend(TVAL[31:0]).
 * - ISTATUS reads 1 when enabled and CVAL <= CNTPCT. The output (ENABLE, !IMASK, condition
 *   met) drives PPI 30 as a level through vgic_set_level: a virtual level interrupt, so the
 *   vGIC resamples it at the guest's EOI and reads show its real state.
 * - The output can only rise by the passing of time, and only fall by a (trapped) register
 *   write. For the rise, the EL2 physical timer CNTHP is armed at CVAL while the guest runs:
 *   this CPU (cortex-a72 in QEMU) has no FEAT_VHE, so no EL2 virtual timer. CNTHP is shared
 *   through the pCPU's deadline set (<arch/deadline.h>: arch_vcpu_wait's time limit, this
 *   timer, the VM's watchdog), which programs the nearest.
 *   Nothing of this is on the hypercall fast path or the interrupt exit unless CNTHP fired.
 */
#include "vtimer.h"

#include <arch/cpu.h>
#include <arch/deadline.h>
#include <arch/sysreg.h>
#include <core/vgic/vgic.h>
#include <core/vm/vm.h>

#define CNTP_TVAL_ENC SYSREG_ENC(3, 3, 14, 2, 0)
#define CNTP_CTL_ENC  SYSREG_ENC(3, 3, 14, 2, 1)
#define CNTP_CVAL_ENC SYSREG_ENC(3, 3, 14, 2, 2)
#define CNT_CTL_RW    (CNT_CTL_ENABLE | CNT_CTL_IMASK)
#define TVAL_MASK     GENMASK(31, 0)

/* The physical count, not reordered before earlier instructions (D11.2.2). */
static uint64_t ptimer_count(void)
{
    isb();
    return sysreg_read(cntpct_el0);
}

static bool ptimer_met(const struct arch_ptimer *t, uint64_t now)
{
    return (t->ctl & CNT_CTL_ENABLE) && t->cval <= now;
}

void vtimer_ptimer_update(struct vcpu *v)
{
    struct arch_ptimer *t = &v->ptimer;
    uint64_t now = ptimer_count();
    bool met = ptimer_met(t, now);
    bool level = met && !(t->ctl & CNT_CTL_IMASK);

    if (level != t->level) {
        t->level = level;
        /* its own PPI: nothing for other vCPUs to refill */
        (void)vgic_set_level(&v->vm->vgic, v->idx, VGIC_PTIMER_INTID, level);
    }
    arch_deadline_set(v->pcpu, ARCH_DEADLINE_PTIMER,
                      (t->ctl & CNT_CTL_RW) == CNT_CTL_ENABLE && !met ? t->cval
                                                                       : ARCH_DEADLINE_NEVER);
}

bool vtimer_ptimer_deadline(void *ctx, bool can_stop)
{
    struct vcpu *v = pcpus[arch_cpu_id()].vcpu;

    (void)ctx, (void)can_stop;
    if (v && v->state == VCPU_RUNNING) {
        vtimer_ptimer_update(v);
    }
    return true;
}

void vtimer_ptimer_reset(struct vcpu *v)
{
    v->ptimer = (struct arch_ptimer){ 0 };
    /* the model may still hold the line of the PE's previous life (CPU_OFF, then CPU_ON) */
    (void)vgic_set_level(&v->vm->vgic, v->idx, VGIC_PTIMER_INTID, false);
    arch_deadline_set(v->pcpu, ARCH_DEADLINE_PTIMER, ARCH_DEADLINE_NEVER);
}

int vtimer_ptimer_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val)
{
    struct arch_ptimer *t = &v->ptimer;
    uint64_t now = ptimer_count();

    if (is_read) {
        switch (enc) {
        case CNTP_TVAL_ENC:
            *val = (t->cval - now) & TVAL_MASK;
            break;
        case CNTP_CTL_ENC:
            *val = t->ctl | (ptimer_met(t, now) ? CNT_CTL_ISTATUS : 0);
            break;
        default:
            *val = t->cval;
            break;
        }
        return 0;
    }
    switch (enc) {
    case CNTP_TVAL_ENC:
        /* two's complement: CNTPCT + SignExtend(TVAL) wraps like the hardware adder */
        t->cval = now + (uint64_t)(int64_t)(int32_t)(uint32_t)(*val & TVAL_MASK);
        break;
    case CNTP_CTL_ENC:
        t->ctl = (uint32_t)(*val & CNT_CTL_RW); /* ISTATUS is read-only */
        break;
    default:
        t->cval = *val;
        break;
    }
    vtimer_ptimer_update(v);
    return 0;
}
