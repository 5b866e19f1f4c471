/* SPDX-License-Identifier: MIT */
/*
 * <arch/vgic_hw.h>'s accessors in a GICv2 build (PLAT_GIC_VERSION 2): every ICH_* register the
 * vGIC touches is the GICv2 back end's (core/vgic/vgic_v2.c, memory-mapped GICH, IHI 0048B
 * 5.3). GICv2 has one active-priority register, GICH_APR: it stands for ICH_AP0R0; the
 * others read 0 and ignore writes. Included by <arch/vgic_hw.h> only.
 */
#pragma once

#include <stdint.h>

#include <core/vgic/vgic_v2.h>

static inline uint64_t arch_vgic_read_vtr(void)
{
    return vgic_v2_read_vtr();
}

/* Reading an unimplemented LR reads junk: callers stay below arch_vgic_nr_lrs(). */
static inline uint64_t arch_vgic_read_lr(unsigned i)
{
    return vgic_v2_read_lr(i);
}

static inline void arch_vgic_write_lr(unsigned i, uint64_t v)
{
    vgic_v2_write_lr(i, v);
}

static inline uint32_t arch_vgic_read_elrsr(void)
{
    return (uint32_t)vgic_v2_read(VGIC_V2_GICH_ELRSR0);
}

static inline uint32_t arch_vgic_read_eisr(void)
{
    return (uint32_t)vgic_v2_read(VGIC_V2_GICH_EISR0);
}

static inline uint32_t arch_vgic_read_misr(void)
{
    return (uint32_t)vgic_v2_read(VGIC_V2_GICH_MISR);
}

static inline uint64_t arch_vgic_read_hcr(void)
{
    return vgic_v2_read(VGIC_V2_GICH_HCR);
}

static inline void arch_vgic_write_hcr(uint64_t v)
{
    vgic_v2_write(VGIC_V2_GICH_HCR, v);
}

static inline uint64_t arch_vgic_read_vmcr(void)
{
    return vgic_v2_read(VGIC_V2_GICH_VMCR);
}

static inline void arch_vgic_write_vmcr(uint64_t v)
{
    vgic_v2_write(VGIC_V2_GICH_VMCR, v);
}

static inline void arch_vgic_write_ap0r(unsigned n, uint32_t v)
{
    if (n == 0) {
        vgic_v2_write(VGIC_V2_GICH_APR, v);
    }
}

static inline uint32_t arch_vgic_read_ap0r(unsigned n)
{
    return n == 0 ? (uint32_t)vgic_v2_read(VGIC_V2_GICH_APR) : 0;
}

static inline uint32_t arch_vgic_read_ap1r(unsigned n)
{
    (void)n;
    return 0;
}

static inline void arch_vgic_write_ap1r(unsigned n, uint32_t v)
{
    (void)n;
    (void)v;
}
