/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for <arch/vgic_gich.h>: a fake GICv2 GICH frame (IHI 0048B 5.3) with 4 list
 * registers and 5 priority bits, for the GICv2 back end's unit tests (core/vgic/vgic_v2.c).
 * ELRSR0 and EISR0 are derived from the LRs as the spec defines them.
 */
#pragma once

#include <stdint.h>

#define VGIC_FAKE_GICH_WORDS 128 /* 0x000..0x1ff */

__attribute__((weak)) uint32_t vgic_fake_gich[VGIC_FAKE_GICH_WORDS];

static inline void vgic_fake_gich_reset(void)
{
    for (unsigned i = 0; i < VGIC_FAKE_GICH_WORDS; i++) {
        vgic_fake_gich[i] = 0;
    }
    /* GICH_VTR: PRIbits 4, PREbits 4, ListRegs 3 (4 LRs) */
    vgic_fake_gich[0x004 / 4] = (UINT32_C(4) << 29) | (UINT32_C(4) << 26) | 3;
}

static inline uint32_t arch_gich_read(unsigned off)
{
    uint32_t m = 0;

    if (off == 0x030 || off == 0x020) { /* ELRSR0, EISR0 */
        for (unsigned i = 0; i < 4; i++) {
            uint32_t lr = vgic_fake_gich[0x100 / 4 + i];
            bool invalid = (lr & (UINT32_C(3) << 28)) == 0;
            bool eoi = !(lr & (UINT32_C(1) << 31)) && (lr & (UINT32_C(1) << 19));
            if (invalid && (off == 0x030 ? !eoi : eoi)) {
                m |= UINT32_C(1) << i;
            }
        }
        return m;
    }
    return off / 4 < VGIC_FAKE_GICH_WORDS ? vgic_fake_gich[off / 4] : 0;
}

static inline void arch_gich_write(unsigned off, uint32_t v)
{
    if (off / 4 < VGIC_FAKE_GICH_WORDS) {
        vgic_fake_gich[off / 4] = v;
    }
}
