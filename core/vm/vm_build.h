/* SPDX-License-Identifier: MIT */
/* Building VMs from their validated configuration at boot, and reloading them on restart. */
#pragma once

#include <stdint.h>

#include <bulkhead/errno.h>
#include <core/config/config.h>
#include <core/vm/vm.h>

/* A physical range the VM allocator must not hand out (hypervisor image, bundle, host DT). */
void vm_ram_reserve(uint64_t pa, uint64_t size);
/* Carve size bytes (2 MiB aligned) of free RAM; 0 when none is left. */
uint64_t vm_ram_alloc(uint64_t size);
/* The RAM VMs may be carved from. */
void vm_ram_init(uint64_t base, uint64_t size);

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
