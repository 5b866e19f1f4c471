// SPDX-License-Identifier: MIT
/*
 * Stage-2 aborts from guests. An abort inside one of the emulated device windows registered
 * on the VM's MMIO bus (core/dev/mmio.h) is decoded once from the syndrome (ISV, SAS, SRT,
 * WnR, SSE, SF, IL: ARM DDI 0487 D17.2.37) and handed to the device; any other abort is
 * outside the VM's memory: it is logged as an s2_fault event, counted, and the VM's fault
 * policy applies. This file knows no device.
 */
#include "trap.h"

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <core/vm/vm.h>
#include <core/dev/mmio.h>

static uint64_t fault_ipa(void)
{
    uint64_t hpfar = sysreg_read(hpfar_el2);
    uint64_t far = sysreg_read(far_el2);

    return (FIELD_GET(HPFAR_FIPA, hpfar) << 12) | (far & 0xfff);
}

static void s2_fault(struct vcpu *v, struct trap_frame *f, uint64_t esr, uint64_t ipa,
                     bool is_exec)
{
    static const char *const action[] = {
        [CFG_FAULT_STOP] = "stop", [CFG_FAULT_RESTART] = "restart", [CFG_FAULT_ABORT] = "abort",
    };
    uint64_t far = sysreg_read(far_el2);

    v->stats.faults++;
    /* One that stops or restarts the VM is a lifecycle record: never dropped. */
    (v->vm->cfg->fault_policy == CFG_FAULT_ABORT ? vm_event : vm_event_always)(
        v->vm, "s2_fault", "ipa=0x%llx esr=0x%llx pc=0x%llx access=%s action=%s",
        (unsigned long long)ipa, (unsigned long long)esr, (unsigned long long)f->elr,
        is_exec ? "exec" : ((esr & ISS_WNR) ? "write" : "read"), action[v->vm->cfg->fault_policy]);
    fault_policy_apply(v, f, is_exec, far);
}

/* A device refused the access (not a register it has at that width): an external abort, like
 * hardware, with its record. */
static void mmio_deny(struct vcpu *v, struct trap_frame *f, uint64_t esr, uint64_t ipa)
{
    unsigned size = 1u << FIELD_GET(ISS_SAS, esr);
    bool write = esr & ISS_WNR;

    v->stats.denials++;
    vm_event(v->vm, "mmio_deny", "ipa=0x%llx size=%u dir=%s action=abort",
             (unsigned long long)ipa, size, write ? "write" : "read");
    inject_dabt(f, sysreg_read(far_el2));
}

static void mmio_emulate(struct vcpu *v, struct trap_frame *f, uint64_t esr,
                         const struct mmio_region *r, uint64_t ipa)
{
    unsigned size = 1u << FIELD_GET(ISS_SAS, esr);
    unsigned rt = (unsigned)FIELD_GET(ISS_SRT, esr);
    bool write = esr & ISS_WNR;
    /* The value the device reads or writes through a pointer lives in the frame's spare word,
     * not in a local: with no address-taken local this path has no stack canary to set and
     * check (11 instructions on every MMIO exit). The frame is this exit's own. */
    uint64_t *val = &f->pad;

    *val = (write && rt != 31) ? f->x[rt] : 0;
    if (write && size < 8) {
        *val &= (UINT64_C(1) << (size * 8)) - 1;
    }
    if (r->access(v, r->dev, ipa - r->ipa, size, write, val) != 0) {
        mmio_deny(v, f, esr, ipa);
        return;
    }
    v->stats.mmio_emulated++;
    if (!write && rt != 31) {
        /* vectors.S guest_dabt extends the same way */
        f->x[rt] = mmio_load_value(*val, size, esr & ISS_SSE, esr & ISS_SF);
    }
    arch_skip_insn(f, esr);
}

void dabt_guest(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    uint64_t ipa = fault_ipa();
    const struct mmio_region *r = mmio_find(&v->vm->mmio, ipa);

    if (r == NULL) {
        s2_fault(v, f, esr, ipa, false);
        return;
    }
    if (!(esr & ISS_ISV)) {
        /* Load/store pair, writeback or similar to a device: no syndrome to emulate from. */
        v->stats.denials++;
        vm_event(v->vm, "mmio_deny", "ipa=0x%llx esr=0x%llx reason=no_syndrome action=abort",
                 (unsigned long long)ipa, (unsigned long long)esr);
        inject_dabt(f, sysreg_read(far_el2));
        return;
    }
    mmio_emulate(v, f, esr, r, ipa);
}

void iabt_guest(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    s2_fault(v, f, esr, fault_ipa(), true);
}

/*
 * The two ways out of the data-abort path in the vector (vectors.S guest_dabt), which did what
 * trap_guest_sync -> ec_dabt -> dabt_guest does for an emulated access up to the device's
 * answer (the list-register sync had nothing to do: no LR in use), with the frame completed:
 * trap_guest_mmio_deny: the device refused the access (ELR not stepped): the same abort and
 * record as mmio_emulate, then the way back; trap_guest_mmio_tail: the access is done (Rt
 * written, ELR stepped) but the vCPU may not go straight back (its VM or itself is not
 * running, or it has list-register work): vcpu_return, as trap_guest_sync ends.
 */
void trap_guest_mmio_deny(struct trap_frame *f);
void trap_guest_mmio_deny(struct trap_frame *f)
{
    struct vcpu *v = pcpus[arch_cpu_id_raw()].vcpu;

    mmio_deny(v, f, sysreg_read(esr_el2), fault_ipa());
    vcpu_return(v);
}

void trap_guest_mmio_tail(struct trap_frame *f);
void trap_guest_mmio_tail(struct trap_frame *f)
{
    (void)f;
    vcpu_return(pcpus[arch_cpu_id_raw()].vcpu);
}
