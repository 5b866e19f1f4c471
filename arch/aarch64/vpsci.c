// SPDX-License-Identifier: MIT
/*
 * PSCI 1.1 for a VM's vCPUs (DEN0022D), one service of the SMCCC table (core/dev/smccc.h):
 * CPU_ON/OFF/SUSPEND, AFFINITY_INFO, SYSTEM_OFF/RESET, FEATURES. A VM whose last vCPU turns
 * itself off has stopped, like SYSTEM_OFF, with its record.
 */
#include "pmu.h"
#include "trap.h"

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <bulkhead/abi.h>
#include <core/dev/smccc.h>
#include <core/vm/vm.h>

#define PSCI_VERSION_1_1       0x10001u
#define PSCI_POWER_STATE_TYPE  BIT(16) /* 1 = powerdown */
#define PSCI_FN_LAST           0x1fu   /* PSCI's share of the standard service's numbers */

static int64_t vcpu_target(struct vm *vm, uint64_t mpidr, struct vcpu **out)
{
    /* Our vCPUs have MPIDR Aff0 = index and every other affinity field 0. */
    if ((mpidr & ~UINT64_C(0xff)) != 0 || (mpidr & 0xff) >= vm->nr_vcpus) {
        return PSCI_RET_INVALID_PARAMS;
    }
    *out = &vm->vcpus[mpidr & 0xff];
    return PSCI_RET_SUCCESS;
}

static bool ipa_in_ram(const struct vm *vm, uint64_t ipa)
{
    return ipa - vm->mem_ipa < vm->mem_size;
}

static int64_t psci_cpu_on(struct vcpu *v, uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
    struct vm *vm = v->vm;
    struct vcpu *t;
    int64_t r = vcpu_target(vm, mpidr, &t);

    if (r) {
        return r;
    }
    if (!ipa_in_ram(vm, entry) || (entry & 3)) {
        return PSCI_RET_INVALID_ADDRESS;
    }
    spin_lock(&vm->lock);
    if (t->state == VCPU_RUNNING) {
        r = PSCI_RET_ALREADY_ON;
    } else if (t->state == VCPU_ON_PENDING) {
        r = PSCI_RET_ON_PENDING;
    } else {
        t->entry = entry;
        t->ctx_id = ctx;
        t->state = VCPU_ON_PENDING;
    }
    spin_unlock(&vm->lock);
    if (r == PSCI_RET_SUCCESS) {
        arch_wake_all();
        arch_kick(t->pcpu);
    }
    return r;
}

static int64_t psci_affinity_info(struct vcpu *v, uint64_t mpidr, uint64_t level)
{
    struct vcpu *t;

    if (level != 0 || vcpu_target(v->vm, mpidr, &t)) {
        return PSCI_RET_INVALID_PARAMS;
    }
    switch (t->state) {
    case VCPU_RUNNING:
        return 0;
    case VCPU_ON_PENDING:
        return 2;
    case VCPU_OFF:
    default:
        return 1;
    }
}

static bool psci_implemented(uint32_t fid)
{
    switch (fid) {
    case PSCI_VERSION: case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64: case PSCI_CPU_OFF:
    case PSCI_CPU_ON_32: case PSCI_CPU_ON_64: case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET: case PSCI_FEATURES: case SMCCC_VERSION:
        return true;
    default:
        return false;
    }
}

/* CPU_SUSPEND: standby and powerdown both wait here, as a WFI does (idle time), until an
 * interrupt would reach the vCPU; a powerdown state then resumes at the entry point, as after
 * CPU_ON (DEN0022D 5.4). */
static int64_t psci_cpu_suspend(struct vcpu *v, struct trap_frame *f, uint64_t state,
                                uint64_t entry, uint64_t ctx)
{
    if ((state & PSCI_POWER_STATE_TYPE) && (!ipa_in_ram(v->vm, entry) || (entry & 3))) {
        return PSCI_RET_INVALID_ADDRESS;
    }
    arch_vcpu_idle(v);
    if (state & PSCI_POWER_STATE_TYPE) {
        sysreg_write(sctlr_el1, SCTLR_EL1_RESET);
        f->elr = entry;
        f->spsr = PSR_DAIF | PSR_MODE_EL1H;
        return (int64_t)ctx;
    }
    return PSCI_RET_SUCCESS;
}

/* CPU_OFF never returns. The last vCPU of the VM going off is the VM stopping: recorded, and
 * the platform powers off when it was the last VM, instead of a silent zombie. */
static void __attribute__((noreturn)) psci_cpu_off(struct vcpu *v)
{
    struct vm *vm = v->vm;
    bool last = true;

    spin_lock(&vm->lock);
    v->state = VCPU_OFF;
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        if (vm->vcpus[i].state != VCPU_OFF) {
            last = false;
        }
    }
    spin_unlock(&vm->lock);
    if (last) {
        vm_stop(vm, "cpu_off", false);
    }
    arch_vcpu_park();
}

static bool psci_call(struct vcpu *v, struct trap_frame *f, uint32_t fid, int64_t *ret)
{
    switch (fid) {
    case PSCI_VERSION:
        *ret = PSCI_VERSION_1_1;
        return true;
    case PSCI_FEATURES:
        *ret = psci_implemented((uint32_t)f->x[1]) ? 0 : PSCI_RET_NOT_SUPPORTED;
        return true;
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
        *ret = psci_cpu_on(v, f->x[1], f->x[2], f->x[3]);
        return true;
    case PSCI_CPU_OFF:
        psci_cpu_off(v);
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
        *ret = psci_affinity_info(v, f->x[1], f->x[2]);
        return true;
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
        *ret = psci_cpu_suspend(v, f, f->x[1], f->x[2], f->x[3]);
        return true;
    case PSCI_MIGRATE_INFO_TYPE:
        *ret = 2; /* no trusted OS needing migration */
        return true;
    case PSCI_SYSTEM_OFF:
        vm_stop(v->vm, "system_off", false);
        *ret = PSCI_RET_SUCCESS;
        return true;
    case PSCI_SYSTEM_RESET:
        vm_stop(v->vm, "system_reset", true);
        *ret = PSCI_RET_SUCCESS;
        return true;
    default:
        return false;
    }
}

static bool psci_service_call(struct vcpu *v, struct trap_frame *f, uint32_t fid)
{
    int64_t ret;

    if (!psci_call(v, f, fid, &ret)) {
        return false;
    }
    f->x[0] = (uint64_t)ret;
    return true;
}

const struct smccc_service vpsci_service = {
    .name = "psci",
    .oen = SMCCC_OEN_STD,
    .fn_first = 0,
    .fn_last = PSCI_FN_LAST,
    .call = psci_service_call,
};
