/* SPDX-License-Identifier: MIT */
/* The EL2 stage-1 MMU: an identity map of RAM (RW, never executable), the hypervisor image
 * (text RX, rodata RO, data RW+XN) and the devices the hypervisor drives. */
#pragma once

#include <stdint.h>

#include <arch/pgtable.h>

/* Build the tables on the boot CPU. Returns 0 or -BH_ENOMEM. */
int mmu_init(uint64_t ram_base, uint64_t ram_size) BH_MUST_CHECK;
/* Map a device window (Device-nGnRE, XN). */
int mmu_map_device(uint64_t pa, uint64_t size) BH_MUST_CHECK;
/* Turn the MMU and caches on for the calling CPU. */
void mmu_enable(void);
/* Allocate a zeroed 4 KiB page for translation tables (also stage 2); NULL when exhausted. */
uint64_t *mmu_table_alloc(void *ctx);
/* Identity conversions used by struct pgtable at EL2. */
uint64_t mmu_to_pa(const void *p);
uint64_t *mmu_to_va(uint64_t pa);
