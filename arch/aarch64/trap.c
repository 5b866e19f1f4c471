// SPDX-License-Identifier: MIT
/*
 * Synchronous exceptions from guests (ARM DDI 0487 D1.10): a const table dispatches on the
 * exception class; the default injects UNDEF, records an event and counts it. Also exception
 * injection into the guest's EL1, following the architecture's rules for the target vector
 * and the saved state (D1.10.2, "Exception entry").
 */
#include "sched_cpu.h"
#include "trap.h"

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <core/dev/smccc.h>
#include <core/hyp.h>
#include <core/vm/vm.h>
#include <core/vm/vm_ctl.h>
#include <core/vm/vm_fault.h>
#include <core/ipc/vm_ipc.h>
#include <drivers/gic.h>

typedef void (*ec_handler)(struct vcpu *v, struct trap_frame *f, uint64_t esr);

/* Vector offsets from VBAR_EL1 (D1.10.2 table D1-7). */
#define VEC_CUR_SP0   0x000
#define VEC_CUR_SPX   0x200
#define VEC_LOWER_64  0x400
#define VEC_LOWER_32  0x600
#define PSR_AARCH32   BIT(4)

void inject_sync(struct trap_frame *f, uint64_t esr, uint64_t far)
{
    uint64_t mode = f->spsr & PSR_MODE_MASK;
    uint64_t off = (f->spsr & PSR_AARCH32) ? VEC_LOWER_32 :
                   mode == PSR_MODE_EL1H   ? VEC_CUR_SPX :
                   mode == PSR_MODE_EL1T   ? VEC_CUR_SP0 : VEC_LOWER_64;

    sysreg_write(esr_el1, esr);
    sysreg_write(far_el1, far);
    sysreg_write(elr_el1, f->elr);
    sysreg_write(spsr_el1, f->spsr);
    f->elr = sysreg_read(vbar_el1) + off;
    f->spsr = PSR_DAIF | PSR_MODE_EL1H;
    /* where this vCPU was sent: a stage-2 fault right there is a fault while delivering one */
    pcpus[arch_cpu_id()].vcpu->injected_pc = f->elr;
}

void inject_undef(struct trap_frame *f)
{
    inject_sync(f, ((uint64_t)EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL, 0);
}

static uint64_t abort_ec(const struct trap_frame *f, bool is_exec)
{
    bool from_el0 = (f->spsr & PSR_AARCH32) || (f->spsr & PSR_MODE_MASK) == 0;

    if (is_exec) {
        return from_el0 ? EC_IABT_LOW : EC_IABT_CUR;
    }
    return from_el0 ? EC_DABT_LOW : EC_DABT_CUR;
}

void inject_dabt(struct trap_frame *f, uint64_t far)
{
    inject_sync(f, (abort_ec(f, false) << ESR_EC_SHIFT) | ESR_IL | FSC_SEA, far);
}

void inject_iabt(struct trap_frame *f, uint64_t far)
{
    inject_sync(f, (abort_ec(f, true) << ESR_EC_SHIFT) | ESR_IL | FSC_SEA, far);
}

/* The immediate of an HVC or SMC (ISS[15:0] of EC 0x16 / 0x17). */
#define ESR_HVC_IMM GENMASK(15, 0)

/* HVC and SMC: an SMCCC call only with an immediate of 0 (DEN0028 2.9: other values are
 * reserved). Any other immediate is not a call: nothing is dispatched, x0 = NOT_SUPPORTED
 * (-1), x1-x17 unchanged, and a record, as KVM answers an SMC #imm != 0 (its
 * handle_smc); we treat HVC the same way, so no guest reaches PSCI or Bulkhead's calls
 * through an HVC #imm (vectors.S sends those here, off the hypercall fast paths). */
static bool hvc_imm_refused(struct vcpu *v, struct trap_frame *f, uint64_t esr, bool is_smc)
{
    unsigned imm = (unsigned)(esr & ESR_HVC_IMM);

    if (imm == 0) {
        return false;
    }
    v->stats.denials++;
    vm_event(v->vm, is_smc ? "smc_unknown" : "hvc_unknown",
             "func=0x%x pc=0x%llx imm=0x%x action=not_supported", (unsigned)(uint32_t)f->x[0],
             (unsigned long long)f->elr, imm);
    f->x[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
    return true;
}

static void ec_hvc(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    v->stats.exits[EXIT_HVC]++;
    if (!hvc_imm_refused(v, f, esr, false)) {
        smccc_dispatch(v, f, false);
    }
}

static void ec_smc(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    v->stats.exits[EXIT_SMC]++;
    /* A trapped SMC returns to the SMC itself (D1.10.2) with SPSR.SS as it was (unlike an
     * HVC, which has executed: the PE reports SS 0 for it): stepped like any other emulated
     * instruction (arch_skip_insn). */
    arch_skip_insn(f, esr);
    if (!hvc_imm_refused(v, f, esr, true)) {
        smccc_dispatch(v, f, true);
    }
}

static void ec_dabt(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    v->stats.exits[EXIT_DABT]++;
    dabt_guest(v, f, esr);
}

static void ec_iabt(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    v->stats.exits[EXIT_IABT]++;
    iabt_guest(v, f, esr);
}

void sysreg_guest(struct vcpu *v, struct trap_frame *f, uint64_t esr);

static void ec_sysreg(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    v->stats.exits[EXIT_SYSREG]++;
    sysreg_guest(v, f, esr);
}

static void ec_undef(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    v->stats.exits[EXIT_OTHER]++;
    v->stats.denials++;
    vm_event(v->vm, "trap_undef", "ec=0x%llx esr=0x%llx pc=0x%llx action=undef",
             (unsigned long long)ESR_EC(esr), (unsigned long long)esr,
             (unsigned long long)f->elr);
    inject_undef(f);
}

/*
 * WFI and WFE (EC 0x01; HCR_EL2.TWI traps WFI, WFE is not trapped). ISS.TI: 0 WFI, 1 WFE,
 * 2 WFIT, 3 WFET (FEAT_WFxT). A WFI sleeps in the hypervisor, so its time is counted as idle
 * (docs/MANAGEMENT.md); the others complete at once, which the architecture allows for any
 * of them (a spurious wake-up). An AArch32 WFI that fails its condition may still trap
 * (IMPLEMENTATION DEFINED); with ISS.CV set the condition is checked, and a failed one is a NOP.
 */
#define ESR_WFX_TI   GENMASK(1, 0)
#define ESR_WFX_CV   BIT(24)
#define ESR_WFX_COND GENMASK(23, 20)

static bool aarch32_cond_passed(uint64_t spsr, unsigned cond)
{
    bool n = spsr & BIT(31), z = spsr & BIT(30), c = spsr & BIT(29), v = spsr & BIT(28);
    bool r;

    switch (cond >> 1) {
    case 0: r = z; break;                 /* EQ / NE */
    case 1: r = c; break;                 /* CS / CC */
    case 2: r = n; break;                 /* MI / PL */
    case 3: r = v; break;                 /* VS / VC */
    case 4: r = c && !z; break;           /* HI / LS */
    case 5: r = n == v; break;            /* GE / LT */
    case 6: r = n == v && !z; break;      /* GT / LE */
    default: return true;                 /* AL (and 0b1111) */
    }
    return (cond & 1) ? !r : r;
}

static void ec_wfx(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    v->stats.exits[EXIT_WFX]++;
    arch_skip_insn(f, esr);
    if ((esr & ESR_WFX_TI) != 0) {
        return;
    }
    if ((f->spsr & PSR_AARCH32) && (esr & ESR_WFX_CV) &&
        !aarch32_cond_passed(f->spsr, (unsigned)((esr & ESR_WFX_COND) >> 20))) {
        return;
    }
    arch_vcpu_idle(v);
}

/* An FP/SIMD access: on a shared pCPU, the vCPU's first since it came in (lazy switch,
 * vcpu_switch.c); it runs again with its own registers. Nothing else traps FP/SIMD. */
static void ec_fp(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    if (!sched_fp_trap(v)) {
        ec_undef(v, f, esr);
    }
}

static const ec_handler ec_table[EC_COUNT] = {
    [EC_WFX] = ec_wfx,
    [EC_FP_ASIMD] = ec_fp,
    [EC_HVC64] = ec_hvc,
    [EC_SMC64] = ec_smc,
    [EC_SYSREG] = ec_sysreg,
    [EC_IABT_LOW] = ec_iabt,
    [EC_DABT_LOW] = ec_dabt,
};

void trap_guest_sync(struct trap_frame *f);
void trap_guest_sync(struct trap_frame *f)
{
    struct vcpu *v = pcpus[arch_cpu_id()].vcpu;
    uint64_t esr = sysreg_read(esr_el2);
    ec_handler h = ec_table[ESR_EC(esr)];

    /* A WFI syncs the list registers only if and when it must (arch_vcpu_idle): what the
     * guest did before it is folded with the interrupt that ends it, as on an IRQ exit. */
    if (ESR_EC(esr) != EC_WFX) {
        vgic_sync_lrs(&v->vm->vgic, v->idx);
    }
    (h ? h : ec_undef)(v, f, esr);
    vcpu_return(v);
}

/* The vCPU can go back without vcpu_return's work: running, with no model change or posted
 * edge for its list registers. */
static inline bool vcpu_return_is_noop(const struct vcpu *v)
{
    return v->vm->state == VM_RUNNING && v->state == VCPU_RUNNING &&
           !vgic_vcpu_pending_work(&v->vm->vgic, v->idx);
}

/*
 * A Bulkhead hypercall (vectors.S saved x0-x18, x30 and ELR only). The list registers are not
 * synced first: no Bulkhead call reads this vCPU's interrupt state, and a call that changes
 * it (a notification into the caller's own vCPU) leaves it dirty or with a posted edge,
 * which sends it through trap_guest_hvc_tail. Returns nonzero when that way back is needed.
 */
uint64_t trap_guest_hvc(struct trap_frame *f);
uint64_t trap_guest_hvc(struct trap_frame *f)
{
    struct vcpu *v = pcpus[arch_cpu_id_raw()].vcpu;
    uint32_t fid = (uint32_t)f->x[0];

    v->stats.exits[EXIT_HVC]++;
    if (vm_ipc_is_call(fid)) {
        f->x[0] = (uint64_t)vm_ipc_call(v, fid, &f->x[1]);
    } else if (!vbh_call(v, f, fid)) {
        smccc_dispatch(v, f, false);
    }
    return !vcpu_return_is_noop(v);
}

/*
 * A guest write of ICC_SGI1R_EL1 from x0..x19 (vectors.S saved x0-x19, x30 and ELR only):
 * what sysreg_guest does for it (vgic_sgi, the kicks, the step over the MSR), without the
 * list-register sync (posting an SGI reads none of this vCPU's interrupt state; one to
 * itself leaves a posted edge, which sends it through trap_guest_hvc_tail). Returns
 * nonzero when that way back is needed.
 */
uint64_t trap_guest_sgi(struct trap_frame *f);
uint64_t trap_guest_sgi(struct trap_frame *f)
{
    struct vcpu *v = pcpus[arch_cpu_id_raw()].vcpu;
    unsigned rt = (unsigned)FIELD_GET(SYSREG_ISS_RT, sysreg_read(esr_el2)); /* <= 19 */

    v->stats.exits[EXIT_SYSREG]++;
    vm_kick_mask(v->vm, vgic_sgi(&v->vm->vgic, v->idx, f->x[rt]));
    f->elr += 4; /* EC 0x18 is AArch64 only: IL = 1 */
    sysreg_write(elr_el2, f->elr);
    /* No SPSR.SS to clear (arch_skip_insn's step rule): vectors.S guest_sysreg sends an MSR
     * the guest is single-stepping the full way, so SS is 0 here (d-step's IPI case). */
    return !vcpu_return_is_noop(v);
}

/* The rest of a hypercall's exit, with the frame completed by vectors.S. */
void trap_guest_hvc_tail(struct trap_frame *f);
void trap_guest_hvc_tail(struct trap_frame *f)
{
    struct vcpu *v = pcpus[arch_cpu_id_raw()].vcpu;

    (void)f;
    vgic_sync_lrs(&v->vm->vgic, v->idx);
    vcpu_return(v);
}

/* The VM is not running or the vCPU is off: hold it while the VM is paused, else leave the
 * guest for good. Off the hot paths; returns only when the vCPU may go back into the guest
 * (the callers tail-call it, so the fast paths keep no stack frame). */
static void __attribute__((noinline, cold)) vcpu_leave(struct vcpu *v)
{
    /* A loop: the VM may be paused again between the resume that woke us and this check
     * (parking then would turn the vCPU off in a running VM). */
    while (v->vm->state == VM_PAUSED && v->state == VCPU_RUNNING) {
        vm_vcpu_hold(v);
    }
    if (v->vm->state == VM_RUNNING && v->state == VCPU_RUNNING) {
        return;
    }
    arch_vcpu_park();
}

static void __attribute__((noinline, cold)) irq_return_slow(struct vcpu *v, bool quiet)
{
    vcpu_leave(v);
    vgic_sync_flush_lrs(&v->vm->vgic, v->idx, quiet);
}

/* The way back from an interrupt (quiet: see vgic_sync_flush_lrs). */
static inline __attribute__((always_inline)) void irq_return(struct vcpu *v, bool quiet)
{
    if (v->vm->state != VM_RUNNING || v->state != VCPU_RUNNING) {
        irq_return_slow(v, quiet);
        return;
    }
    vgic_sync_flush_lrs(&v->vm->vgic, v->idx, quiet);
}

/* An interrupt exit, the interrupt acknowledged (intid; on GICv3 by the vector, which
 * handles the virtual timer's usual tick itself: vectors.S guest_irq). The frame holds
 * x0-x18 and x30 only, and nothing here needs it. */
void trap_guest_irq_acked(uint32_t intid);
void trap_guest_irq_acked(uint32_t intid)
{
    struct vcpu *v = pcpus[arch_cpu_id_raw()].vcpu;

    v->stats.exits[EXIT_IRQ]++;
    /* Handlers may inject before the LRs are synced, like another pCPU could at any time:
     * the sync then folds what the guest did and the flush refills, in one lock hold. The
     * kick SGI, the hot one, is completed right here. */
    if (intid == GIC_SGI_KICK) {
        irq_kick_taken(intid);
        irq_return(v, true);
        return;
    }
    irq_return(v, intid < ICC_IAR_SPURIOUS && irq_handle(v, intid));
}

/* The rest of a kick SGI's exit once the vector has completed the kick and counted the exit
 * (vectors.S guest_kick: the vCPU had more than posted SGIs for its LRs, or is dirty). */
void trap_guest_kick_rest(void);
void trap_guest_kick_rest(void)
{
    irq_return(pcpus[arch_cpu_id_raw()].vcpu, true);
}

/* An interrupt exit on a GIC whose acknowledge the vector does not do (GICv2: MMIO). */
void trap_guest_irq(struct trap_frame *f);
void trap_guest_irq(struct trap_frame *f)
{
    (void)f;
    trap_guest_irq_acked(gic_ack());
}

/*
 * A physical FIQ taken while the guest ran (HCR_EL2.FMO routes it here; vectors.S guest_fiq
 * saved x0-x18 and x30 only, and nothing here needs more). Bulkhead configures no Group 0
 * interrupt and no FIQ source, so one is a platform or firmware fault: taken through the IRQ
 * path's ICC_IAR1_EL1 it would read as spurious and come back at once, forever. Instead:
 *   - what the GIC signals as FIQ is acknowledged as the architecture allows at EL2 (GICv3:
 *     ICC_IAR0_EL1; a GICv2 with FIQEn clear signals none), disabled so that it cannot come
 *     back, priority-dropped and deactivated;
 *   - if nothing can be acknowledged (spurious: signalled and withdrawn, or not from the
 *     GIC), this pCPU's CPU interface stops signalling Group 0 (ICC_IGRPEN0_EL1); if it
 *     already had, the FIQ does not come from the GIC and cannot be stopped at its source,
 *     so FIQ routing to EL2 is masked for this pCPU (HCR_EL2.FMO cleared in the live HCR,
 *     which this vCPU keeps until its next reset): a physical FIQ is then the guest's own
 *     (taken at EL1 only if it unmasks PSTATE.F), never a hypervisor spinning on it.
 * Each outcome is one rate-limited fiq record of the running VM (action=disable, group0_off,
 * fmo_off); none can repeat for the same cause. d-fiq.test drives all three from EL2 test
 * code (CONFIG_FIQ_TEST, trap_fiq_selftest) that no guest can reach.
 */
void trap_guest_fiq(void);
void trap_guest_fiq(void)
{
    struct vcpu *v = pcpus[arch_cpu_id_raw()].vcpu;
    uint32_t intid = gic_ack_fiq();

    if (intid < ICC_IAR_SPURIOUS) {
        gic_enable(intid, false);
        gic_eoi_fiq(intid);
        gic_deactivate(intid);
        vm_event(v->vm, "fiq", "intid=%u action=disable", intid);
    } else if (gic_fiq_off()) {
        vm_event(v->vm, "fiq", "intid=none action=group0_off");
    } else {
        sysreg_write(hcr_el2, sysreg_read(hcr_el2) & ~(uint64_t)HCR_FMO);
        isb();
        vm_event(v->vm, "fiq", "intid=none action=fmo_off");
    }
}

#ifdef CONFIG_FIQ_TEST
/*
 * The test build's FIQ self-test (make O=build/fiqtest EL2_EXTRA=-DCONFIG_FIQ_TEST=1;
 * tests/scenarios/d-fiq.test), on pCPU 0 just before its vCPU first enters the guest: the
 * two ways of trap_guest_fiq that need a FIQ nothing acknowledges, called directly (Group 0
 * off already: FMO cleared, then restored; Group 0 on: turned off), then a Group 0 SGI made
 * pending here (gicv3_test_fiq_sgi), which the CPU takes as a FIQ from the guest at the ERET
 * (vectors.S guest_fiq). No guest can start or steer any of it. GICv3 builds (a GICv2 has no
 * Group 0 FIQ: FIQEn clear).
 */
#define FIQ_TEST_SGI 14

void trap_fiq_selftest(void)
{
#if PLAT_GIC_VERSION == 3
    sysreg_write(ICC_IGRPEN0_EL1, 0);
    isb();
    trap_guest_fiq();
    hyp_printf("bulkhead: fiq test: after a FIQ from outside the GIC, HCR_EL2.FMO=%u",
               (unsigned)((sysreg_read(hcr_el2) & HCR_FMO) != 0));
    sysreg_write(hcr_el2, sysreg_read(hcr_el2) | HCR_FMO);
    sysreg_write(ICC_IGRPEN0_EL1, 1);
    isb();
    trap_guest_fiq();
    hyp_printf("bulkhead: fiq test: after a spurious FIQ, ICC_IGRPEN0_EL1=%u",
               (unsigned)(sysreg_read(ICC_IGRPEN0_EL1) & 1));
    gicv3_test_fiq_sgi(FIQ_TEST_SGI);
    hyp_printf("bulkhead: fiq test: Group 0 SGI %u pending", FIQ_TEST_SGI);
#endif
}
#endif

/*
 * A physical SError taken while the guest ran (HCR_EL2.AMO routes it here). Under the abort
 * policy the guest gets a virtual SError (HCR_EL2.VSE; ARM DDI 0487 D1.14.6): asynchronous, like
 * the physical one, taken when the guest unmasks PSTATE.A, with the syndrome from VSESR_EL2 when
 * FEAT_RAS is implemented (IDS set: implementation-defined syndrome, as KVM reports it).
 */
static void inject_vserror(void)
{
    if (FIELD_GET(ID_AA64PFR0_RAS, sysreg_read(id_aa64pfr0_el1)) != 0) {
        sysreg_write(VSESR_EL2, VSESR_IDS);
    }
    sysreg_write(hcr_el2, sysreg_read(hcr_el2) | HCR_VSE);
    isb();
}

void trap_guest_serror(struct trap_frame *f);
void trap_guest_serror(struct trap_frame *f)
{
    struct vcpu *v = pcpus[arch_cpu_id()].vcpu;
    uint64_t esr = sysreg_read(esr_el2);
    enum vm_fault_action act =
        vm_fault_decide(v->vm->cfg->fault_policy, VM_FAULT_SERROR, f->elr, v->injected_pc);

    vgic_sync_lrs(&v->vm->vgic, v->idx); /* vcpu_return may flush: never on a stale LR view */
    v->stats.faults++;
    (act == VM_FAULT_INJECT_VSERROR ? vm_event : vm_event_always)(
        v->vm, "serror", "esr=0x%llx pc=0x%llx action=%s", (unsigned long long)esr,
        (unsigned long long)f->elr,
        act == VM_FAULT_INJECT_VSERROR ? "vserror" : (act == VM_FAULT_RESTART ? "restart" : "stop"));
    if (act == VM_FAULT_INJECT_VSERROR) {
        inject_vserror();
    } else {
        vm_stop(v->vm, "fault", act == VM_FAULT_RESTART);
    }
    vcpu_return(v);
}

static void __attribute__((noinline, cold)) vcpu_return_slow(struct vcpu *v)
{
    vcpu_leave(v);
    vgic_flush_lrs(&v->vm->vgic, v->idx);
}

void vcpu_return(struct vcpu *v)
{
    if (v->vm->state != VM_RUNNING || v->state != VCPU_RUNNING) {
        vcpu_return_slow(v);
        return;
    }
    vgic_flush_lrs(&v->vm->vgic, v->idx);
}

/* The abort policy's injection faulted again at the vector it went to: injecting once more
 * would loop (VBAR_EL1 outside RAM, say), so the VM stops, with its record. */
static void fault_loop_stop(struct vcpu *v, const struct trap_frame *f, bool is_exec)
{
    vm_event_always(v->vm, "fault_loop", "pc=0x%llx vbar=0x%llx access=%s action=stop",
                    (unsigned long long)f->elr, (unsigned long long)sysreg_read(vbar_el1),
                    is_exec ? "exec" : "data");
    vm_stop(v->vm, "fault_loop", false);
}

void fault_policy_apply(struct vcpu *v, struct trap_frame *f, bool is_exec, uint64_t far)
{
    switch (vm_fault_decide(v->vm->cfg->fault_policy, is_exec ? VM_FAULT_IABT : VM_FAULT_DABT,
                            f->elr, v->injected_pc)) {
    case VM_FAULT_INJECT_IABT:
        inject_iabt(f, far);
        break;
    case VM_FAULT_INJECT_DABT:
        inject_dabt(f, far);
        break;
    case VM_FAULT_STOP_LOOP:
        fault_loop_stop(v, f, is_exec);
        break;
    case VM_FAULT_RESTART:
        vm_stop(v->vm, "fault", true);
        break;
    case VM_FAULT_STOP:
    case VM_FAULT_INJECT_VSERROR: /* not for synchronous faults */
    default:
        vm_stop(v->vm, "fault", false);
        break;
    }
}

static const char *const el2_fault_names[] = {
    "sync_sp0", "irq_sp0", "fiq_sp0", "serror_sp0", "sync", "irq", "fiq", "serror",
};

void trap_el2_fault(struct trap_frame *f, unsigned kind);
void trap_el2_fault(struct trap_frame *f, unsigned kind)
{
    hyp_printf("bulkhead: EL2 exception %s esr=0x%llx elr=0x%llx far=0x%llx cpu=%u",
               kind < 8 ? el2_fault_names[kind] : "?",
               (unsigned long long)sysreg_read(esr_el2), (unsigned long long)f->elr,
               (unsigned long long)sysreg_read(far_el2), arch_cpu_id());
    bh_panic(__FILE__, __LINE__, "exception at EL2");
}
