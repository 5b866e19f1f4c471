/* SPDX-License-Identifier: MIT */
/*
 * The management device of a manager VM (core/dev/vmgmt.c; ABI include/bulkhead/mgmt.h,
 * docs/MANAGEMENT.md): registers for lifecycle operations, statistics snapshots and the event
 * log, with read-only data pages. Only VMs holding a grant (cfg_vm_is_manager) get one.
 */
#pragma once

#include <core/vm/vm.h>

/*
 * Set up vm's management device if it is a manager (else nothing): its register page on the
 * VM's MMIO bus and its data pages mapped read-only in its stage 2. At VM build, after the
 * stage-2 tables and vm_mmio_register. 0 or the bus's / mapping's error.
 */
int vmgmt_init(struct vm *vm) BH_MUST_CHECK;
