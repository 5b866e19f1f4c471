// SPDX-License-Identifier: MIT
/*
 * The registration table of a VM's emulated MMIO windows (core/dev/mmio.h). A VM has a
 * handful of windows, so a sorted array searched linearly is the smallest structure; a byte
 * per 64 KiB granule of the virtual platform's device area names the window there, so the
 * abort path reaches every device in the same few steps.
 */
#include <core/dev/mmio.h>

#include <stddef.h>

void mmio_bus_init(struct mmio_bus *bus)
{
    bus->count = 0;
    for (unsigned g = 0; g < MMIO_FAST_SLOTS; g++) {
        bus->slot[g] = 0;
    }
}

/* The granule table from the windows (registration inserts, so indices move: all of it). */
static void slots_rebuild(struct mmio_bus *bus)
{
    const uint64_t end = MMIO_FAST_BASE + ((uint64_t)MMIO_FAST_SLOTS << MMIO_FAST_SHIFT);

    for (unsigned g = 0; g < MMIO_FAST_SLOTS; g++) {
        bus->slot[g] = 0;
    }
    for (unsigned i = 0; i < bus->count; i++) {
        const struct mmio_region *r = &bus->regions[i];
        uint64_t last = r->ipa + (r->size - 1); /* registration ruled out wrapping */
        if (last < MMIO_FAST_BASE || r->ipa >= end) {
            continue;
        }
        uint64_t lo = r->ipa < MMIO_FAST_BASE ? 0 : (r->ipa - MMIO_FAST_BASE) >> MMIO_FAST_SHIFT;
        uint64_t hi = last >= end ? MMIO_FAST_SLOTS - 1
                                  : (last - MMIO_FAST_BASE) >> MMIO_FAST_SHIFT;
        for (uint64_t g = lo; g <= hi; g++) {
            bus->slot[g] = bus->slot[g] == 0 ? (uint8_t)(i + 1) : MMIO_SLOT_SEARCH;
        }
    }
}

int mmio_register(struct mmio_bus *bus, const char *name, uint64_t ipa, uint64_t size,
                  mmio_access_fn access, void *dev)
{
    unsigned pos = 0;

    if (size == 0 || ipa + size < ipa || access == NULL) {
        return -BH_EINVAL;
    }
    while (pos < bus->count && bus->regions[pos].ipa < ipa) {
        pos++;
    }
    /* Sorted and disjoint: only the neighbours can overlap the new window. */
    if (pos > 0 && ipa - bus->regions[pos - 1].ipa < bus->regions[pos - 1].size) {
        return -BH_EEXIST;
    }
    if (pos < bus->count && bus->regions[pos].ipa - ipa < size) {
        return -BH_EEXIST;
    }
    if (bus->count == MMIO_MAX_REGIONS) {
        return -BH_ENOMEM;
    }
    for (unsigned i = bus->count; i > pos; i--) {
        bus->regions[i] = bus->regions[i - 1];
    }
    bus->regions[pos] = (struct mmio_region){
        .ipa = ipa, .size = size, .access = access, .dev = dev, .name = name,
    };
    bus->count++;
    slots_rebuild(bus);
    return 0;
}

const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t ipa)
{
    uint64_t g = (ipa - MMIO_FAST_BASE) >> MMIO_FAST_SHIFT; /* huge below the area */

    if (g < MMIO_FAST_SLOTS && bus->slot[g] != MMIO_SLOT_SEARCH) {
        const struct mmio_region *r;
        if (bus->slot[g] == 0) {
            return NULL;
        }
        r = &bus->regions[bus->slot[g] - 1];
        return ipa - r->ipa < r->size ? r : NULL;
    }
    for (unsigned i = 0; i < bus->count; i++) {
        const struct mmio_region *r = &bus->regions[i];

        if (ipa - r->ipa < r->size) {
            return r;
        }
    }
    return NULL;
}
