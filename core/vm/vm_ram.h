/* SPDX-License-Identifier: MIT */
/*
 * Host-physical RAM for VMs: one region (platinfo vm_ram) from which guest RAM, IPC pages and
 * shared memory are carved top-down, minus named reserved ranges (the boot objects and the
 * identity-mapped VMs' RAM, docs/CONFIG.md "Identity-mapped VMs"). Boot CPU only, no lock.
 */
#pragma once

#include <stdint.h>

#include <bulkhead/errno.h>

#define VM_RAM_MAX_RESERVED 16 /* boot objects (3) + one identity map per VM (8), and spare */

/* The RAM VMs may be carved from, [base, base + size); forgets every reservation. */
void vm_ram_init(uint64_t base, uint64_t size);

/*
 * A physical range the allocator must not hand out (hypervisor image, bundle, host DT), named
 * `what` (a static string, for refusals). Ignored when the table is full: only boot objects
 * outside the VM RAM are reserved this way, so the allocator would not hand them out anyway.
 */
void vm_ram_reserve(uint64_t pa, uint64_t size, const char *what);

/*
 * Claim [pa, pa + size) for an identity-mapped VM (named who, a string that outlives the
 * allocator): it must lie inside the VM RAM and overlap no reserved or claimed range, and
 * must come before any vm_ram_alloc. Returns 0 (the range is reserved), or -BH_EBUSY with
 * *what naming the range it overlaps (*who set to that range's VM name or NULL), or -BH_ENOMEM
 * when the table is full. Sizes are hostile-safe (no wrap-around).
 */
BH_MUST_CHECK int vm_ram_claim(uint64_t pa, uint64_t size, const char *who, const char **what,
                               const char **owner);

/* Carve size bytes (2 MiB aligned) of free RAM below every earlier carve; 0 when none fits. */
uint64_t vm_ram_alloc(uint64_t size);
