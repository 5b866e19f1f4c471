// SPDX-License-Identifier: MIT
/*
 * The registration table of a VM's emulated MMIO windows (core/dev/mmio.h). A VM has a
 * handful of windows, so a sorted array searched linearly is both the smallest and, on the
 * abort path, the fastest structure: the common devices (GICD, GICR) sit first.
 */
#include <core/dev/mmio.h>

#include <stddef.h>

void mmio_bus_init(struct mmio_bus *bus)
{
    bus->count = 0;
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
    return 0;
}

const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t ipa)
{
    for (unsigned i = 0; i < bus->count; i++) {
        const struct mmio_region *r = &bus->regions[i];

        if (ipa - r->ipa < r->size) {
            return r;
        }
    }
    return NULL;
}
