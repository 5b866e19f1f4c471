/* SPDX-License-Identifier: MIT */
/* The register frame saved on exception entry from a guest (arch/aarch64/vectors.S). */
#pragma once

#include <stdint.h>

struct trap_frame {
    uint64_t x[31];
    uint64_t elr;
    uint64_t spsr;
    uint64_t pad; /* keep 16-byte alignment for SP; dabt.c: an emulated access's value */
};

_Static_assert(sizeof(struct trap_frame) % 16 == 0, "frame must keep SP aligned");
