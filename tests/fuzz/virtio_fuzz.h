/* SPDX-License-Identifier: MIT */
/*
 * What every virtio-mmio device's register access must satisfy, whatever the guest asked
 * (the fuzz targets of core/dev/vnet.c and core/dev/vcons.c): an access the transport does
 * not have (beyond the window, 64-bit, misaligned, not 32-bit below the configuration space)
 * is refused, and a read returns no bits beyond its size.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>
#include <core/dev/virtio_mmio.h>

#include "fuzz_input.h"

static inline void virtio_fuzz_check_access(int r, uint32_t off, unsigned access, bool write,
                                            uint64_t val)
{
    if (off >= VIRTIO_MMIO_SIZE || access == 8 || off % access != 0 ||
        (off < VIRTIO_MMIO_CONFIG && access != 4)) {
        FUZZ_CHECK(r == -BH_EINVAL);
    }
    if (r == 0 && !write) {
        FUZZ_CHECK(val >> (8 * access) == 0);
    }
}
