// SPDX-License-Identifier: MIT
/*
 * Guest firmware calls over HVC and SMC (SMC Calling Convention DEN0028 v1.1): PSCI 1.1 for
 * the VM's vCPUs (DEN0022D), the SMCCC architecture queries, the Bulkhead vendor hypervisor
 * service (include/bulkhead/abi.h). Anything else answers NOT_SUPPORTED and is logged.
 */
#include "pmu.h"
#include "trap.h"

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <bulkhead/abi.h>
#include <core/vm/vm.h>
#include <core/ipc/vm_ipc.h>

#define SMCCC_VERSION          0x80000000u
#define SMCCC_ARCH_FEATURES    0x80000001u
#define SMCCC_VERSION_1_1      0x10001u
#define PSCI_VERSION_1_1       0x10001u
#define SMCCC_FN_MASK          0xffffu
/* SMCCC general queries of the vendor hypervisor service (OEN 6), 32-bit calling convention
 * as DEN0028 section 6.2 specifies for them. */
#define BH_HC_CALL_UID         0x8600ff01u
#define BH_HC_REVISION         0x8600ff03u
#define PSCI_POWER_STATE_TYPE  BIT(16) /* 1 = powerdown */

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

/* CPU_SUSPEND: standby and powerdown both wait for an interrupt here; a powerdown state then
 * resumes at the entry point, as after CPU_ON (DEN0022D 5.4). */
static int64_t psci_cpu_suspend(struct vcpu *v, struct trap_frame *f, uint64_t state,
                                uint64_t entry, uint64_t ctx)
{
    if ((state & PSCI_POWER_STATE_TYPE) && (!ipa_in_ram(v->vm, entry) || (entry & 3))) {
        return PSCI_RET_INVALID_ADDRESS;
    }
    wfi();
    if (state & PSCI_POWER_STATE_TYPE) {
        sysreg_write(sctlr_el1, SCTLR_EL1_RESET);
        f->elr = entry;
        f->spsr = PSR_DAIF | PSR_MODE_EL1H;
        return (int64_t)ctx;
    }
    return PSCI_RET_SUCCESS;
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
        v->state = VCPU_OFF;
        arch_vcpu_park();
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

/* Bulkhead's own calls (SMCCC OEN 6): the value for x0, false for an unknown function. */
static bool bh_call(struct vcpu *v, struct trap_frame *f, uint32_t fid, int64_t *ret)
{
    switch (fid) {
    case BH_HC_NULL:
        *ret = BH_OK;
        return true;
    case BH_HC_VERSION:
    case BH_HC_REVISION:
        *ret = BH_ABI_VERSION;
        return true;
    case BH_HC_BENCH_EL2_INSNS:
        if (!IS_ENABLED(CONFIG_BENCH)) {
            return false;
        }
        *ret = (int64_t)pmu_el2_insns();
        return true;
    case BH_HC_VM_ID:
        *ret = v->vm->id;
        return true;
    case BH_HC_CALL_UID:
        /* UUID 6b1d7c5e-0b0e-4a1f-9c3d-42756c6b6864 ("Bulkhead") in SMCCC UID layout. */
        *ret = 0x6b1d7c5e;
        f->x[1] = 0x4a1f0b0e;
        f->x[2] = 0x6c42d3c9;
        f->x[3] = 0x64686b75;
        return true;
    default:
        return false;
    }
}

static void smccc_unknown(struct vcpu *v, struct trap_frame *f, uint32_t fid, bool is_smc)
{
    v->vm->stats.denials++;
    vm_event(v->vm, is_smc ? "smc_unknown" : "hvc_unknown",
             "func=0x%x pc=0x%llx action=not_supported", fid, (unsigned long long)f->elr);
    f->x[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
}

void smccc_bh_call(struct vcpu *v, struct trap_frame *f, bool is_smc)
{
    uint32_t fid = (uint32_t)f->x[0];
    int64_t ret;

    /* The IPC calls are the hot ones: no detour through the switch. */
    if (vm_ipc_is_call(fid)) {
        f->x[0] = (uint64_t)vm_ipc_call(v, fid, &f->x[1]);
    } else if (bh_call(v, f, fid, &ret)) {
        f->x[0] = (uint64_t)ret;
    } else {
        smccc_unknown(v, f, fid, is_smc);
    }
}

void smccc_guest_call(struct vcpu *v, struct trap_frame *f, bool is_smc)
{
    uint32_t fid = (uint32_t)f->x[0];
    int64_t ret = PSCI_RET_NOT_SUPPORTED;
    bool known;

    if (((fid >> BH_SMCCC_OEN_SHIFT) & BH_SMCCC_OEN_MASK) == BH_SMCCC_OEN_VENDOR_HYP) {
        smccc_bh_call(v, f, is_smc);
        return;
    }
    if (fid == SMCCC_VERSION) {
        ret = SMCCC_VERSION_1_1;
        known = true;
    } else if (fid == SMCCC_ARCH_FEATURES) {
        ret = (uint32_t)f->x[1] == SMCCC_VERSION ? 0 : PSCI_RET_NOT_SUPPORTED;
        known = true;
    } else {
        known = psci_call(v, f, fid, &ret);
    }
    if (!known) {
        smccc_unknown(v, f, fid, is_smc);
        return;
    }
    f->x[0] = (uint64_t)ret;
}
