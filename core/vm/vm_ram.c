// SPDX-License-Identifier: MIT
/*
 * Host-physical RAM for VMs: a top-down carve of one region that skips named reserved ranges.
 * Identity-mapped VMs (docs/CONFIG.md "Identity-mapped VMs") claim their fixed ranges here
 * before anything is carved, so the allocator steps around them; a claim that overlaps a boot
 * object or another claim is refused with the name of what it hit. The checker refuses the
 * same cases from the scenario alone (config_ident.c); this is the boot's own word on it.
 */
#include <core/vm/vm_ram.h>

#include <stdbool.h>
#include <stddef.h>

#include <lib/range.h>

#define SZ_2M UINT64_C(0x200000)

struct reserved {
    uint64_t base;
    uint64_t size;
    const char *what;
    const char *owner; /* identity map: the VM's name */
};

static struct reserved reserved[VM_RAM_MAX_RESERVED];
static unsigned reserved_count;
static uint64_t ram_base;
static uint64_t ram_top;
static uint64_t ram_end; /* ram_top before any carve */

void vm_ram_init(uint64_t base, uint64_t size)
{
    ram_base = base;
    ram_top = base + size;
    ram_end = ram_top;
    reserved_count = 0;
}

void vm_ram_reserve(uint64_t pa, uint64_t size, const char *what)
{
    if (reserved_count < VM_RAM_MAX_RESERVED) {
        reserved[reserved_count++] = (struct reserved){ pa, size, what, NULL };
    }
}

static bool overlaps(const struct reserved *r, uint64_t base, uint64_t size)
{
    return r->size != 0 && size != 0 && base < r->base + r->size && r->base < base + size;
}

int vm_ram_claim(uint64_t pa, uint64_t size, const char *who, const char **what,
                 const char **owner)
{
    *owner = NULL;
    if (pa < ram_base || !range_fits(pa - ram_base, size, ram_end - ram_base) || size == 0) {
        *what = pa < ram_base ? "the hypervisor's own RAM" : "memory outside the VMs' RAM";
        return -BH_EBUSY;
    }
    /* [pa, pa + size) is inside the region now: the sums below do not wrap. */
    if (ram_top != ram_end) {
        *what = "RAM already given to another VM"; /* claims come before any carve */
        return -BH_EBUSY;
    }
    for (unsigned i = 0; i < reserved_count; i++) {
        if (overlaps(&reserved[i], pa, size)) {
            *what = reserved[i].what;
            *owner = reserved[i].owner;
            return -BH_EBUSY;
        }
    }
    if (reserved_count == VM_RAM_MAX_RESERVED) {
        *what = "the reservation table (full)";
        return -BH_ENOMEM;
    }
    reserved[reserved_count++] = (struct reserved){ pa, size, "the identity map of VM", who };
    return 0;
}

uint64_t vm_ram_alloc(uint64_t size)
{
    for (;;) {
        if (ram_top < ram_base || ram_top - ram_base < size) {
            return 0;
        }
        uint64_t cand = (ram_top - size) & ~(SZ_2M - 1);
        bool clash = false;
        for (unsigned i = 0; i < reserved_count; i++) {
            const struct reserved *r = &reserved[i];
            if (overlaps(r, cand, size)) {
                ram_top = r->base; /* below it: the allocator only moves down */
                clash = true;
            }
        }
        if (!clash) {
            ram_top = cand;
            return cand;
        }
    }
}
