/* SPDX-License-Identifier: MIT */
/*
 * The vGIC's GICv2 back end (vgic_v2.c), in ICH_* terms: the accessors of <arch/vgic_hw.h>
 * call these in a GICv2 build (PLAT_GIC_VERSION 2, platform.mk), the unit tests on a fake GICH
 * frame (<arch/vgic_gich.h>). Offsets are GICH's (IHI 0048B 5.3, vgic_regs.h); the registers
 * named here have the ICH_* layout where the vGIC looks.
 */
#pragma once

#include <stdint.h>

#define VGIC_V2_GICH_HCR    0x000u
#define VGIC_V2_GICH_VMCR   0x008u
#define VGIC_V2_GICH_MISR   0x010u
#define VGIC_V2_GICH_EISR0  0x020u
#define VGIC_V2_GICH_ELRSR0 0x030u
#define VGIC_V2_GICH_APR    0x0f0u
#define VGIC_V2_GICH_NONE   0xffffu /* reads 0, writes ignored (ICH_AP1R<n>, AP0R<n>, n > 0) */

/* List register i (below the GICH_VTR count) as an ICH_LR value, and written from one. */
uint64_t vgic_v2_read_lr(uint64_t i);
void vgic_v2_write_lr(uint64_t i, uint64_t v);
/* GICH_VTR as ICH_VTR_EL2 (ListRegs capped at VGIC_MAX_LRS - 1, PREbits and PRIbits). */
uint64_t vgic_v2_read_vtr(void);
/* A GICH register at off (VGIC_V2_GICH_*; NONE reads 0 and ignores writes). */
uint64_t vgic_v2_read(uint64_t off);
void vgic_v2_write(uint64_t off, uint64_t v);
