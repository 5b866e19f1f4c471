/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 translation tables with the 4 KiB granule and a 39-bit input address (start at
 * level 1), used for both the EL2 stage-1 tables and the per-VM stage-2 tables (ARM DDI 0487
 * D8.3). Pure memory manipulation, so it is unit-tested on the host.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#define PT_ENTRIES      512
#define PT_PAGE_SIZE    UINT64_C(4096)
#define PT_BLOCK_L2     UINT64_C(0x200000)
#define PT_BLOCK_L1     UINT64_C(0x40000000)
#define PT_IA_BITS      39

/* Descriptor bits common to both regimes. */
#define PTE_VALID       (UINT64_C(1) << 0)
#define PTE_TABLE       (UINT64_C(1) << 1) /* at levels 1-2: table; at level 3: page */
#define PTE_AF          (UINT64_C(1) << 10)
#define PTE_SH_INNER    (UINT64_C(3) << 8)
#define PTE_ADDR_MASK   UINT64_C(0x0000fffffffff000)

/* EL2 stage 1 (single privilege level: AP[1] is RES1). */
#define PTE_S1_ATTR(i)  ((uint64_t)(i) << 2)
#define PTE_S1_AP_RO    (UINT64_C(1) << 7)
#define PTE_S1_AP1      (UINT64_C(1) << 6)
#define PTE_S1_XN       (UINT64_C(1) << 54)
#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_EL2_VALUE  (UINT64_C(0xff) | (UINT64_C(0x04) << 8))

/* Stage 2 (D8.5.5). */
#define PTE_S2_MEMATTR_NORMAL (UINT64_C(0xf) << 2) /* outer+inner write-back */
#define PTE_S2_MEMATTR_DEVICE (UINT64_C(0x1) << 2) /* Device-nGnRE */
#define PTE_S2_AP_RO    (UINT64_C(1) << 6)
#define PTE_S2_AP_RW    (UINT64_C(3) << 6)
#define PTE_S2_XN       (UINT64_C(2) << 53)

/* Page allocator the table code draws from: returns a zeroed, 4 KiB-aligned table or NULL. */
typedef uint64_t *(*pt_alloc_fn)(void *ctx);

struct pgtable {
    uint64_t *root; /* level-1 table, 512 entries */
    pt_alloc_fn alloc;
    void *ctx;
    /* Converts a table pointer to the address the MMU walks (identity at EL2, host fake). */
    uint64_t (*to_pa)(const void *p);
    uint64_t *(*to_va)(uint64_t pa);
};

/*
 * Map [ia, ia + size) to [pa, pa + size) with leaf attributes attr (permission, memory type
 * and XN bits; valid/AF/table bits are added here). Uses 1 GiB / 2 MiB blocks where alignment
 * allows, 4 KiB pages elsewhere. All three of ia, pa, size must be 4 KiB aligned and the range
 * must fit in 39 bits. A range overlapping an existing mapping fails with -BH_EEXIST (entries
 * mapped before the overlap stay: callers map disjoint ranges they checked beforehand). Returns
 * 0, -BH_EINVAL, -BH_EEXIST or -BH_ENOMEM. The caller does the TLB maintenance.
 */
int pt_map(struct pgtable *pt, uint64_t ia, uint64_t pa, uint64_t size, uint64_t attr)
    BH_MUST_CHECK;

/* Translate ia through the tables; returns true and the output address and leaf descriptor. */
bool pt_walk(const struct pgtable *pt, uint64_t ia, uint64_t *pa, uint64_t *desc);
