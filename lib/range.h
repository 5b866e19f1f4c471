/* SPDX-License-Identifier: MIT */
/*
 * Overflow-safe range checks for sizes and offsets that an image, a bundle or a scenario
 * controls. Written as `off <= size && len <= size - off` so no sum is ever formed: a check
 * written `off + len <= size` passes for off = 2^64 - small, which is how a crafted kernel
 * header once reached any host physical address (issue 9, hostile finding 1).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* [off, off + len) lies inside [0, size). True for len 0 when off <= size. */
static inline bool range_fits(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* *end = base + len; false (and *end untouched) when the sum wraps around 2^64. */
static inline bool range_end(uint64_t base, uint64_t len, uint64_t *end)
{
    uint64_t e;

    if (__builtin_add_overflow(base, len, &e)) {
        return false;
    }
    *end = e;
    return true;
}

/* v rounded up to a multiple of align (a power of two); false when that wraps. */
static inline bool range_align_up(uint64_t v, uint64_t align, uint64_t *out)
{
    uint64_t e;

    if (__builtin_add_overflow(v, align - 1, &e)) {
        return false;
    }
    *out = e & ~(align - 1);
    return true;
}
