/* SPDX-License-Identifier: MIT */
/*
 * The power button and the graceful shutdown (core/vm/vm_power.c, docs/MANAGEMENT.md
 * "Graceful shutdown"), and failover to a standby (core/vm/vm_failover.c, "Failover").
 */
#pragma once

#include <stdbool.h>

#include <core/vm/vm.h>

/* The power button's SPI into spis[*n] when the VM has one: 0, or -BH_ENOMEM if full. */
int vm_power_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
    BH_MUST_CHECK;

/* Set up the VM's power button (after its vGIC and vm_mmio_register): its PL061 window and
 * the forced stop's deadline on vCPU 0's pCPU. 0 or the bus's error. */
int vm_power_setup(struct vm *vm) BH_MUST_CHECK;

/* The VM is reloaded: the button released, its controller at reset. */
void vm_power_reset(struct vm *vm);

/*
 * Ask the running VM to shut down: record `EVT kind=shutdown phase=requested`, press its
 * power button and stop it by force after its shutdown-timeout-ms (`phase=forced`, reason
 * shutdown_forced). The caller (vm_ctl_shutdown) has checked the state and set
 * vm->shutdown_deadline_ns under vm->lock.
 */
void vm_power_press(struct vm *vm);

/* vm_stop of a VM with a shutdown pending (the caller owns the stop): the timer off and, when
 * the guest stopped itself in time, `EVT kind=shutdown phase=done by=guest reason=...`. */
void vm_power_stopped(struct vm *vm, const char *reason);

/* The reason vm_stop gets when the timeout forces the stop. */
#define VM_POWER_FORCED_REASON "shutdown_forced"

/*
 * vm stopped for good because it failed (fault, fault loop, watchdog, restart limit): start
 * its standby, if it has one that is not running (`EVT vm=<standby> kind=failover`). Called
 * by vm_stop before the VM is marked stopped, so the platform does not power off between.
 */
void vm_failover(struct vm *vm, const char *reason);

/* Whether a stop with this reason (and a restart refused by the restart limit) is a failure
 * that hands over to the standby. A manager's stop, a shutdown or the guest's own power-off
 * is not. */
bool vm_stop_is_failure(const char *reason, bool restart_refused);
