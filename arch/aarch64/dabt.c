// SPDX-License-Identifier: MIT
/*
 * Stage-2 aborts from guests. An abort inside one of the VM's emulated device windows (vGIC
 * distributor and redistributors, virtual UART) is decoded from the syndrome (ISV, SAS, SRT,
 * WnR, SSE, SF: ARM DDI 0487 D17.2.37) and emulated; any other abort is outside the VM's
 * memory: it is logged as an s2_fault event, counted, and the VM's fault policy applies.
 */
#include "trap.h"

#include <arch/sysreg.h>
#include <core/config/config.h>
#include <core/vm/vm.h>
#include <core/ipc/vm_ipc.h>

static uint64_t fault_ipa(void)
{
    uint64_t hpfar = sysreg_read(hpfar_el2);
    uint64_t far = sysreg_read(far_el2);

    return (FIELD_GET(HPFAR_FIPA, hpfar) << 12) | (far & 0xfff);
}

enum mmio_dev { DEV_NONE, DEV_GICD, DEV_GICR, DEV_UART, DEV_IPC, DEV_GPIO };

static enum mmio_dev mmio_lookup(const struct vm *vm, uint64_t ipa, uint32_t *off)
{
    if (ipa - VPLAT_GICD_IPA < VPLAT_GICD_SIZE) {
        *off = (uint32_t)(ipa - VPLAT_GICD_IPA);
        return DEV_GICD;
    }
    /* The whole architectural window of 8 frames: frames past the VM's vCPUs are refused by
     * the vGIC with an event, rather than looking like unmapped memory. */
    if (ipa - VPLAT_GICR_IPA < VPLAT_GICR_STRIDE * VCPU_MAX) {
        *off = (uint32_t)(ipa - VPLAT_GICR_IPA);
        return DEV_GICR;
    }
    if (ipa - VPLAT_UART_IPA < VPLAT_UART_SIZE) {
        *off = (uint32_t)(ipa - VPLAT_UART_IPA);
        return DEV_UART;
    }
    /* Pages of objects the VM may not use are refused by vm_ipc_mmio with an event. */
    if (ipa - VPLAT_IPC_IPA < VPLAT_IPC_SIZE) {
        *off = (uint32_t)(ipa - VPLAT_IPC_IPA);
        return DEV_IPC;
    }
    if (ipa - VPLAT_GPIO_IPA < VPLAT_GPIO_SIZE && vm->cfg->ipc_notify == CFG_NOTIFY_GPIO) {
        *off = (uint32_t)(ipa - VPLAT_GPIO_IPA);
        return DEV_GPIO;
    }
    return DEV_NONE;
}

static int mmio_dispatch(struct vcpu *v, enum mmio_dev dev, uint32_t off, unsigned size,
                         bool write, uint64_t *val)
{
    struct vm *vm = v->vm;

    switch (dev) {
    case DEV_GICD:
        return vgic_dist_mmio(&vm->vgic, v->idx, off, size, write, val);
    case DEV_GICR:
        return vgic_redist_mmio(&vm->vgic, v->idx, off, size, write, val);
    case DEV_UART:
        return vuart_mmio(&vm->vuart, off, size, write, val);
    case DEV_IPC:
        return vm_ipc_mmio(v, off, size, write, val);
    case DEV_GPIO:
        return vgpio_mmio(&vm->gpio, off / VPLAT_IPC_PAGE, off % VPLAT_IPC_PAGE, size, write,
                          val);
    case DEV_NONE:
    default:
        return -BH_ERANGE;
    }
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

static void mmio_emulate(struct vcpu *v, struct trap_frame *f, uint64_t esr, enum mmio_dev dev,
                         uint32_t off, uint64_t ipa)
{
    unsigned size = 1u << FIELD_GET(ISS_SAS, esr);
    unsigned rt = (unsigned)FIELD_GET(ISS_SRT, esr);
    bool write = esr & ISS_WNR;
    uint64_t val = (write && rt != 31) ? f->x[rt] : 0;

    if (write && size < 8) {
        val &= (UINT64_C(1) << (size * 8)) - 1;
    }
    if (mmio_dispatch(v, dev, off, size, write, &val) != 0) {
        /* Not a register the device has at that width: an external abort, like hardware. */
        v->vm->stats.denials++;
        vm_event(v->vm, "mmio_deny", "ipa=0x%llx size=%u dir=%s action=abort",
                 (unsigned long long)ipa, size, write ? "write" : "read");
        inject_dabt(f, sysreg_read(far_el2));
        return;
    }
    v->vm->stats.mmio_emulated++;
    if (!write && rt != 31) {
        if ((esr & ISS_SSE) && size < 8 && (val & (UINT64_C(1) << (size * 8 - 1)))) {
            val |= ~((UINT64_C(1) << (size * 8)) - 1);
        }
        if (!(esr & ISS_SF)) {
            val &= 0xffffffffu;
        }
        f->x[rt] = val;
    }
    arch_skip_insn(f, esr);
}

void dabt_guest(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    uint64_t ipa = fault_ipa();
    uint32_t off = 0;
    enum mmio_dev dev = mmio_lookup(v->vm, ipa, &off);

    if (dev == DEV_NONE) {
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
    mmio_emulate(v, f, esr, dev, off, ipa);
}

void iabt_guest(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    s2_fault(v, f, esr, fault_ipa(), true);
}
