// SPDX-License-Identifier: MIT
/*
 * Builds VMSAv8-64 translation tables (4 KiB granule, levels 1-3, ARM DDI 0487 D8.3): block
 * descriptors where a range is aligned, page descriptors elsewhere. Shared by EL2 stage 1 and
 * stage 2 because only the leaf attribute bits differ.
 */
#include <arch/pgtable.h>

#include <stddef.h>

static unsigned level_shift(int level)
{
    return 12 + 9 * (unsigned)(3 - level);
}

static uint64_t *next_table(struct pgtable *pt, uint64_t *entry)
{
    if (*entry & PTE_VALID) {
        if (!(*entry & PTE_TABLE)) {
            return NULL; /* a block is already there */
        }
        return pt->to_va(*entry & PTE_ADDR_MASK);
    }
    uint64_t *t = pt->alloc(pt->ctx);
    if (!t) {
        return NULL;
    }
    *entry = pt->to_pa(t) | PTE_TABLE | PTE_VALID;
    return t;
}

static int map_level(struct pgtable *pt, uint64_t *table, int level, uint64_t ia, uint64_t pa,
                     uint64_t size, uint64_t attr)
{
    unsigned shift = level_shift(level);
    uint64_t span = UINT64_C(1) << shift;

    while (size) {
        uint64_t *e = &table[(ia >> shift) & (PT_ENTRIES - 1)];
        uint64_t chunk = span - (ia & (span - 1));
        if (chunk > size) {
            chunk = size;
        }
        bool leaf_ok = level == 3 || (level >= 1 && chunk == span && (pa & (span - 1)) == 0);
        if (leaf_ok) {
            if (*e & PTE_VALID) {
                return -BH_EEXIST;
            }
            *e = (pa & PTE_ADDR_MASK) | attr | PTE_AF | PTE_VALID | (level == 3 ? PTE_TABLE : 0);
        } else {
            uint64_t *t = next_table(pt, e);
            if (!t) {
                return (*e & PTE_VALID) ? -BH_EEXIST : -BH_ENOMEM;
            }
            int r = map_level(pt, t, level + 1, ia, pa, chunk, attr);
            if (r) {
                return r;
            }
        }
        ia += chunk;
        pa += chunk;
        size -= chunk;
    }
    return 0;
}

int pt_map(struct pgtable *pt, uint64_t ia, uint64_t pa, uint64_t size, uint64_t attr)
{
    const uint64_t page_mask = PT_PAGE_SIZE - 1;

    if ((ia | pa | size) & page_mask || size == 0) {
        return -BH_EINVAL;
    }
    if (ia + size < ia || ia + size > (UINT64_C(1) << PT_IA_BITS)) {
        return -BH_EINVAL;
    }
    return map_level(pt, pt->root, 1, ia, pa, size, attr);
}

bool pt_walk(const struct pgtable *pt, uint64_t ia, uint64_t *pa, uint64_t *desc)
{
    const uint64_t *table = pt->root;

    if (ia >= (UINT64_C(1) << PT_IA_BITS)) {
        return false;
    }
    for (int level = 1; level <= 3; level++) {
        unsigned shift = level_shift(level);
        uint64_t e = table[(ia >> shift) & (PT_ENTRIES - 1)];
        if (!(e & PTE_VALID)) {
            return false;
        }
        if (level < 3 && (e & PTE_TABLE)) {
            table = pt->to_va(e & PTE_ADDR_MASK);
            continue;
        }
        if (level == 3 && !(e & PTE_TABLE)) {
            return false; /* reserved encoding at level 3 */
        }
        uint64_t off_mask = (UINT64_C(1) << shift) - 1;
        *pa = (e & PTE_ADDR_MASK & ~off_mask) | (ia & off_mask);
        *desc = e;
        return true;
    }
    return false;
}
