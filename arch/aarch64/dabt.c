// SPDX-License-Identifier: MIT
/*
 * Stage-2 aborts from guests. An abort inside one of the emulated device windows registered
 * on the VM's MMIO bus (core/dev/mmio.h) is decoded once from the syndrome (ISV, SAS, SRT,
 * WnR, SSE, SF, IL: ARM DDI 0487 D17.2.37) and handed to the device; any other abort is
 * outside the VM's memory: it is logged as an s2_fault event, counted, and the VM's fault
 * policy applies. This file knows no device.
 */
#include "trap.h"

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

    v->vm->stats.faults++;
    /* One that stops or restarts the VM is a lifecycle record: never dropped. */
    (v->vm->cfg->fault_policy == CFG_FAULT_ABORT ? vm_event : vm_event_always)(
        v->vm, "s2_fault", "ipa=0x%llx esr=0x%llx pc=0x%llx access=%s action=%s",
        (unsigned long long)ipa, (unsigned long long)esr, (unsigned long long)f->elr,
        is_exec ? "exec" : ((esr & ISS_WNR) ? "write" : "read"), action[v->vm->cfg->fault_policy]);
    fault_policy_apply(v, f, is_exec, far);
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
        /* Not a register the device has at that width: an external abort, like hardware. */
        v->vm->stats.denials++;
        vm_event(v->vm, "mmio_deny", "ipa=0x%llx size=%u dir=%s action=abort",
                 (unsigned long long)ipa, size, write ? "write" : "read");
        inject_dabt(f, sysreg_read(far_el2));
        return;
    }
    v->vm->stats.mmio_emulated++;
    if (!write && rt != 31) {
        uint64_t x = *val;
        if ((esr & ISS_SSE) && size < 8 && (x & (UINT64_C(1) << (size * 8 - 1)))) {
            x |= ~((UINT64_C(1) << (size * 8)) - 1);
        }
        if (!(esr & ISS_SF)) {
            x &= 0xffffffffu;
        }
        f->x[rt] = x;
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
        v->vm->stats.denials++;
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
