/* SPDX-License-Identifier: MIT */
/* Building VMs from their validated configuration at boot, and reloading them on restart. */
#pragma once

#include <stdint.h>

#include <bulkhead/errno.h>
#include <core/config/config.h>
#include <core/vm/vm.h>
#include <core/vm/vm_ram.h>

/*
 * Claim the host-physical RAM of VM number id when cfg is identity-mapped (a no-op returning 0
 * otherwise); every identity map is claimed before any VM is built or any channel memory is
 * carved. Prints `bulkhead: vm <name> not started: identity map 0x<first>-0x<last> overlaps
 * <what>` (and records the refusal) and returns -BH_EINVAL when the range is taken; the VM
 * must then not be built.
 */
int vm_claim_identity(struct vm *vm, unsigned id, const struct cfg_vm *cfg) BH_MUST_CHECK;

/*
 * Build VM number id from cfg, with images taken from the verified bundle fit: memory,
 * images, device tree, stage-2 tables, vGIC, virtual UART, vCPU pinning. Prints a
 * `bulkhead: vm <name> not started: <reason>` line and returns -BH_E* when it cannot; the
 * VM is then left refused and nothing of it is used.
 */
int vm_build(struct vm *vm, unsigned id, const struct cfg_vm *cfg, const void *fit) BH_MUST_CHECK;

/* Copy the images and the device tree into guest memory again and reset virtual devices. */
void vm_reload(struct vm *vm);

/* Benchmark builds: instructions spent hashing images at boot, and the bytes hashed. */
extern uint64_t bench_hash_insns;
extern uint64_t bench_hash_bytes;
