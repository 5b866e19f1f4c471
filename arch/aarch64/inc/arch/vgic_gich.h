/* SPDX-License-Identifier: MIT */
/*
 * EL2 access to the GICv2 virtual interface control registers (GICH, IHI 0048B 5.3), the
 * hardware under core/vgic/vgic_v2.c on GICv2 hardware. The frame is banked: each CPU sees
 * its own virtual interface at the same address. Writes take effect for the guest at the
 * next ERET into it (the DSB before the exception return orders them).
 */
#pragma once

#include <stdint.h>

extern uint64_t arch_gich_base; /* EL2 (identity) address of GICH, set at boot (boot.c) */

static inline uint32_t arch_gich_read(unsigned off)
{
    return *(volatile uint32_t *)(uintptr_t)(arch_gich_base + off);
}

static inline void arch_gich_write(unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)(arch_gich_base + off) = v;
}
