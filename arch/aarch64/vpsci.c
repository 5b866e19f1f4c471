// SPDX-License-Identifier: MIT
/*
 * PSCI 1.1 for a VM's vCPUs (DEN0022D), one service of the SMCCC table (core/dev/smccc.h):
 * CPU_ON/OFF/SUSPEND, AFFINITY_INFO, SYSTEM_OFF/RESET, FEATURES. A VM whose last vCPU turns
 * itself off has stopped, like SYSTEM_OFF, with its record.
 *
 * Arguments follow the function ID's convention (DEN0028 2.6): an SMC32/HVC32 ID (bit 30
 * clear) passes W registers, so the upper halves of x1..x3 are not the caller's and are read
 * away here (never cleared in the frame: x1-x17 go back as they came). Parameters the
 * specification types uint32 (power_state, lowest_affinity_level, a function ID) are 32-bit in
 * the SMC64 forms too. Where DEN0022D leaves the choice, we answer as KVM does (its
 * arch/arm64/kvm/psci.c); docs/ABI.md lists the answers.
 */
#include "pmu.h"
#include "trap.h"

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <bulkhead/abi.h>
#include <core/dev/smccc.h>
#include <core/vm/vm.h>

#define PSCI_VERSION_1_1       0x10001u
#define PSCI_FN_LAST           0x1fu   /* PSCI's share of the standard service's numbers */

/* power_state, original format (DEN0022D 5.4.2.1): StateID 15:0, StateType 16, PowerLevel
 * 25:24; every other bit is reserved and must be zero. */
#define PSCI_POWER_STATE_TYPE  BIT(16) /* 1 = powerdown */
#define PSCI_POWER_STATE_LEVEL GENMASK(25, 24)
#define PSCI_POWER_STATE_RSVD  (GENMASK(31, 26) | GENMASK(23, 17))

/* MPIDR affinity fields: Aff3 39:32, Aff2 23:16, Aff1 15:8, Aff0 7:0; any other bit of a
 * target_affinity argument is INVALID_PARAMETERS (KVM's kvm_psci_valid_affinity). */
#define MPIDR_AFF_MASK         (GENMASK(39, 32) | GENMASK(23, 0))
#define PSCI_AFF_LEVEL_MAX     3u

/* Argument n of fid, as the calling convention of fid passes it. */
static uint64_t psci_arg(const struct trap_frame *f, uint32_t fid, unsigned n)
{
    return (fid & SMCCC_FID_64) ? f->x[n] : (uint32_t)f->x[n];
}

/* The MPIDR affinity fields of vCPU i: Aff0 = index, every other field 0 (vmpidr_el2). */
static uint64_t vcpu_mpidr(unsigned i)
{
    return i;
}

static int64_t vcpu_target(struct vm *vm, uint64_t mpidr, struct vcpu **out)
{
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
    if (vm->state != VM_RUNNING) {
        /* being stopped (vm_stop pulls every vCPU once it set VM_STOPPING under this lock):
         * a vCPU turned on now would outlive the stop, into the next start */
        r = PSCI_RET_DENIED;
    } else if (t->state == VCPU_RUNNING) {
        r = PSCI_RET_ALREADY_ON;
    } else if (t->state == VCPU_ON_PENDING) {
        r = PSCI_RET_ON_PENDING;
    } else {
        t->entry = entry;
        t->ctx_id = ctx;
        /* it starts with the caller's endianness (DEN0022D 6.4.3.3), as KVM's CPU_ON */
        t->entry_be = (sysreg_read(sctlr_el1) & SCTLR_EE) != 0;
        t->state = VCPU_ON_PENDING;
    }
    spin_unlock(&vm->lock);
    if (r == PSCI_RET_SUCCESS) {
        arch_wake_all();
        arch_kick(t->pcpu);
    }
    return r;
}

/*
 * AFFINITY_INFO (DEN0022D 5.7): the state of the affinity instance target names at
 * lowest_affinity_level, whose lower affinity fields are ignored. Levels 1-3 are answered as
 * KVM does (the aggregate: ON if any vCPU of the instance is on), not refused as PSCI 1.0
 * would allow: ON_PENDING if none is on and one is pending, else OFF. An instance with no
 * vCPU, a level above 3 or a bit outside the affinity fields: INVALID_PARAMETERS.
 */
static int64_t psci_affinity_info(struct vcpu *v, uint64_t target, uint32_t level)
{
    struct vm *vm = v->vm;
    uint64_t mask;
    bool found = false, on = false, pending = false;

    if (level > PSCI_AFF_LEVEL_MAX || (target & ~MPIDR_AFF_MASK) != 0) {
        return PSCI_RET_INVALID_PARAMS;
    }
    /* the fields of levels >= level: Aff0 is 8 bits at level 0, Aff3 at bit 32 */
    mask = MPIDR_AFF_MASK & ~(level == 0 ? 0 : GENMASK(8 * level - 1, 0));
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        if ((vcpu_mpidr(i) & mask) != (target & mask)) {
            continue;
        }
        found = true;
        on |= vm->vcpus[i].state == VCPU_RUNNING;
        pending |= vm->vcpus[i].state == VCPU_ON_PENDING;
    }
    if (!found) {
        return PSCI_RET_INVALID_PARAMS;
    }
    return on ? 0 : pending ? 2 : 1;
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
static int64_t psci_cpu_suspend(struct vcpu *v, struct trap_frame *f, uint32_t state,
                                uint64_t entry, uint64_t ctx)
{
    /* One power level, the vCPU's own (PowerLevel 0); any StateID, as KVM (which does not
     * look at power_state at all); reserved bits set: INVALID_PARAMETERS (DEN0022D 5.4.2). */
    if ((state & (PSCI_POWER_STATE_RSVD | PSCI_POWER_STATE_LEVEL)) != 0) {
        return PSCI_RET_INVALID_PARAMS;
    }
    if ((state & PSCI_POWER_STATE_TYPE) && (!ipa_in_ram(v->vm, entry) || (entry & 3))) {
        return PSCI_RET_INVALID_ADDRESS;
    }
    arch_vcpu_idle(v);
    if (state & PSCI_POWER_STATE_TYPE) {
        /* as after CPU_ON by itself: MMU and caches off, the endianness it had */
        sysreg_write(sctlr_el1, SCTLR_EL1_RESET | (sysreg_read(sctlr_el1) & SCTLR_EE));
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
        /* 0 for each: CPU_SUSPEND's flags say original power_state format, no OS-initiated
         * mode (DEN0022D 5.15.2), as KVM answers */
        *ret = psci_implemented((uint32_t)f->x[1]) ? 0 : PSCI_RET_NOT_SUPPORTED;
        return true;
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
        *ret = psci_cpu_on(v, psci_arg(f, fid, 1), psci_arg(f, fid, 2), psci_arg(f, fid, 3));
        return true;
    case PSCI_CPU_OFF:
        psci_cpu_off(v);
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
        *ret = psci_affinity_info(v, psci_arg(f, fid, 1), (uint32_t)f->x[2]);
        return true;
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
        *ret = psci_cpu_suspend(v, f, (uint32_t)f->x[1], psci_arg(f, fid, 2),
                                psci_arg(f, fid, 3));
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
