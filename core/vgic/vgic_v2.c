// SPDX-License-Identifier: MIT
/*
 * The vGIC's GICv2 back end (GIC-400 and the like; IHI 0048B chapter 5, "GIC Support for
 * Virtualization"): the list registers and the other GICH registers, memory-mapped, under
 * the accessors of <arch/vgic_hw.h>, which call these on GICv2 hardware. The model, its
 * shadows and both fast paths keep using ICH_LR<n>_EL2 values; this file translates at the
 * hardware: 10-bit INTIDs, 5 priority bits, state and group in other places, EOI at bit 19.
 * The translation is exact for every value the vGIC builds (priority masked to the 5 bits
 * GICH_VTR reports, INTIDs below 1020), so a shadow compares equal to the LR read back.
 * An SGI's source CPU (ICH_LR_V2_SOURCE in the model's values) is GICH_LR.CPUID [12:10],
 * which the guest reads in GICC_IAR.CPUID (docs/VGIC.md, "GICv2").
 */
#include <core/vgic/vgic_v2.h>

#include <core/vgic/vgic_priv.h>

#include <arch/vgic_gich.h>

uint32_t vgic_v2_lr_to_hw(uint64_t ich)
{
    uint32_t v = (uint32_t)FIELD_PREP(GICH_LR_VIRTUALID, FIELD_GET(ICH_LR_VINTID, ich)) |
                 (uint32_t)FIELD_PREP(GICH_LR_PRIORITY,
                                      FIELD_GET(ICH_LR_PRIORITY, ich) >> GICH_LR_PRIO_SHIFT);

    if (ich & ICH_LR_HW) {
        v |= (uint32_t)(GICH_LR_HW | FIELD_PREP(GICH_LR_PHYSICALID, FIELD_GET(ICH_LR_PINTID, ich)));
    } else {
        v |= (uint32_t)FIELD_PREP(GICH_LR_CPUID, FIELD_GET(ICH_LR_V2_SOURCE, ich));
        v |= (ich & ICH_LR_EOI) ? (uint32_t)GICH_LR_EOI : 0;
    }
    v |= (ich & ICH_LR_GROUP) ? (uint32_t)GICH_LR_GROUP1 : 0;
    v |= (ich & ICH_LR_PENDING) ? (uint32_t)GICH_LR_PENDING : 0;
    v |= (ich & ICH_LR_ACTIVE) ? (uint32_t)GICH_LR_ACTIVE : 0;
    return v;
}

uint64_t vgic_v2_lr_from_hw(uint32_t lr)
{
    uint64_t v = FIELD_PREP(ICH_LR_VINTID, FIELD_GET(GICH_LR_VIRTUALID, lr)) |
                 FIELD_PREP(ICH_LR_PRIORITY, FIELD_GET(GICH_LR_PRIORITY, lr)
                                                 << GICH_LR_PRIO_SHIFT);

    if (lr & GICH_LR_HW) {
        v |= ICH_LR_HW | FIELD_PREP(ICH_LR_PINTID, FIELD_GET(GICH_LR_PHYSICALID, lr));
    } else {
        v |= FIELD_PREP(ICH_LR_V2_SOURCE, FIELD_GET(GICH_LR_CPUID, lr));
        v |= (lr & GICH_LR_EOI) ? ICH_LR_EOI : 0;
    }
    v |= (lr & GICH_LR_GROUP1) ? ICH_LR_GROUP : 0;
    v |= (lr & GICH_LR_PENDING) ? ICH_LR_PENDING : 0;
    v |= (lr & GICH_LR_ACTIVE) ? ICH_LR_ACTIVE : 0;
    return v;
}

/* <arch/vgic_hw.h>'s ICH_* accessors in a GICv2 build. */
uint64_t vgic_v2_read_lr(uint64_t i)
{
    return vgic_v2_lr_from_hw(arch_gich_read(GICH_LR0 + 4 * (unsigned)i));
}

void vgic_v2_write_lr(uint64_t i, uint64_t v)
{
    arch_gich_write(GICH_LR0 + 4 * (unsigned)i, vgic_v2_lr_to_hw(v));
}

uint64_t vgic_v2_read_vtr(void)
{
    uint32_t vtr = arch_gich_read(GICH_VTR);
    uint64_t lrs = FIELD_GET(GICH_VTR_LISTREGS, vtr);

    /* ICH_VTR_EL2.ListRegs has 5 bits; the model uses at most VGIC_MAX_LRS anyway */
    if (lrs > VGIC_MAX_LRS - 1) {
        lrs = VGIC_MAX_LRS - 1;
    }
    return FIELD_PREP(ICH_VTR_LISTREGS, lrs) | (vtr & (GICH_VTR_PREBITS | GICH_VTR_PRIBITS));
}

/* HCR, VMCR, MISR, EISR0, ELRSR0 and APR have the ICH_* layout where the vGIC looks. */
uint64_t vgic_v2_read(uint64_t off)
{
    return off == VGIC_V2_GICH_NONE ? 0 : arch_gich_read((unsigned)off);
}

void vgic_v2_write(uint64_t off, uint64_t v)
{
    if (off != VGIC_V2_GICH_NONE) {
        arch_gich_write((unsigned)off, (uint32_t)v);
    }
}

_Static_assert(VGIC_V2_GICH_HCR == GICH_HCR && VGIC_V2_GICH_VMCR == GICH_VMCR &&
                   VGIC_V2_GICH_MISR == GICH_MISR && VGIC_V2_GICH_EISR0 == GICH_EISR0 &&
                   VGIC_V2_GICH_ELRSR0 == GICH_ELRSR0 && VGIC_V2_GICH_APR == GICH_APR,
               "the arch accessors' GICH offsets");
