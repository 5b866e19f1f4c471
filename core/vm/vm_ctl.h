/* SPDX-License-Identifier: MIT */
/*
 * Lifecycle operations on a VM, for managers (core/dev/vmgmt.c) and the hypervisor console:
 * the state machine of docs/MANAGEMENT.md "Lifecycle" (core/vm/vm_ctl.c). Rights are the
 * caller's to check. Each returns 0, -BH_EBUSY while the VM is in a transition (stopping,
 * reloading), or -BH_EINVAL when the operation does not apply to its state (or the VM was
 * refused). Safe from any pCPU except the target VM's own (the target's vCPUs are kicked
 * out of the guest and waited for).
 */
#pragma once

#include <stdint.h>

#include <core/vm/vm.h>

/* Defined or stopped -> running; a stopped VM is reloaded from the verified bundle. */
int vm_ctl_start(struct vm *vm);
/* Running or paused -> stopped at once (vm_stop, reason "manager"). */
int vm_ctl_stop(struct vm *vm);
/* Running or paused -> stopped and started again (reloaded); stopped -> start. Counts
 * against the restart limit like any restart. */
int vm_ctl_restart(struct vm *vm);
/* Running -> paused: returns once every vCPU is out of the guest (or after 100 ms). */
int vm_ctl_pause(struct vm *vm);
/* Paused -> running: every vCPU continues where it was. */
int vm_ctl_resume(struct vm *vm);
/* Running: press its power button and stop it by force after its shutdown-timeout-ms unless
 * it stops itself first (core/vm/vm_power.c). -BH_ENOTSUP without a power button, -BH_EBUSY
 * while a shutdown is pending, -BH_EINVAL in any other state (a paused VM cannot answer). */
int vm_ctl_shutdown(struct vm *vm);

/* On v's own pCPU, on its way back into the guest while its VM is paused: sleep until the
 * VM is resumed or stopped (the caller then re-checks and enters or parks). */
void vm_vcpu_hold(struct vcpu *v);

/* Where a vCPU's time went (ns) and its scheduler counts (docs/MANAGEMENT.md "Statistics"). */
struct vm_vcpu_times {
    uint64_t run_ns;       /* running guest code (on a shared pCPU: holding the pCPU) */
    uint64_t idle_ns;      /* idle in WFI (PSCI CPU_SUSPEND included) */
    uint64_t blocked_ns;   /* blocked in IPC calls */
    uint64_t paused_ns;    /* held by a pause */
    uint64_t wait_ns;      /* shared pCPU: runnable, another vCPU had the pCPU; else 0 */
    uint64_t throttled_ns; /* shared pCPU: runnable, its budget gone; else 0 */
    uint64_t preemptions;  /* shared pCPU: switched out while it could have run on */
    uint64_t throttles;    /* shared pCPU: how often its budget ran out */
};
/* v's times so far; the six add up to the time it was on (on a shared pCPU, to within the
 * hypervisor's handling of its waits, plus the wait for its first turn after a start, which
 * is waiting but not yet on). */
void vm_vcpu_times(const struct vcpu *v, struct vm_vcpu_times *t);
