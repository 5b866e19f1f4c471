/* SPDX-License-Identifier: MIT */
/*
 * What the architecture gives a load (LDRB/LDRH/LDR W/LDR X, LDRSB/LDRSH/LDRSW into W or X) of
 * memory holding raw's low `size` bytes, written with C's own conversions: the reference both
 * tests/unit/test_mmio.c (core/dev/mmio.h mmio_load_value) and tests/arch/test_dabt_load.c
 * (the vector's dabt_load.inc under qemu-aarch64) compare with.
 */
#ifndef TESTS_LOAD_REFERENCE_H
#define TESTS_LOAD_REFERENCE_H

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t load_reference(uint64_t raw, unsigned size, bool sse, bool sf)
{
    uint64_t x;

    switch (size) {
    case 1: x = sse ? (uint64_t)(int64_t)(int8_t)raw : (uint8_t)raw; break;
    case 2: x = sse ? (uint64_t)(int64_t)(int16_t)raw : (uint16_t)raw; break;
    case 4: x = sse ? (uint64_t)(int64_t)(int32_t)raw : (uint32_t)raw; break;
    default: x = raw; break;
    }
    return sf ? x : (uint32_t)x;
}

#endif
