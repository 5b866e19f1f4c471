// SPDX-License-Identifier: MIT
/*
 * Emulated GICv2 distributor (GIC spec IHI 0048B section 4.3) for a VM on GICv2 hardware:
 * the same interrupt model and per-INTID fields as the GICv3 distributor (vgic_dist.c), in the
 * GICv2 register map. No Security Extensions (GICD_CTLR EnableGrp0/EnableGrp1, IGROUPR
 * read/write), 128 INTIDs, CPUNumber = vCPUs - 1. SGIs and PPIs are banked per accessing vCPU
 * in the per-INTID registers (vgic_mmio_irq); SPIs are routed by GICD_ITARGETSR (one byte per
 * INTID, vCPU i = bit i; INTIDs 0..31 read as the accessing vCPU's own bit). GICD_SGIR sends
 * SGIs (vgic_sgi): an SGI is pending separately for each (source, target) pair (IHI 0048B
 * 3.2.x), kept per target and SGI as a mask of source vCPUs (vgic_irq.sgi_src); the list
 * register of an SGI carries one source in GICH_LR.CPUID, which the guest reads in
 * GICC_IAR.CPUID, and the others stay pending until that one is deactivated (docs/VGIC.md
 * "GICv2"). C/SPENDSGIR read, set and clear exactly those source bits. The CPU interface is
 * the hardware's GICV frame, mapped into the guest: nothing of it is emulated here.
 */
#include <bulkhead/errno.h>
#include <core/vgic/vgic_priv.h>

#define GICD_V2_FRAME_SIZE  UINT32_C(0x1000)
#define GICD_SGIR_INTID     GENMASK(3, 0)
#define GICD_SGIR_TARGETS   GENMASK(23, 16)
#define GICD_SGIR_FILTER    GENMASK(25, 24)
#define GICD_SGIR_LIST      0 /* CPUTargetList */
#define GICD_SGIR_OTHERS    1 /* all but the sender */
#define GICD_SGIR_SELF      2 /* the sender only */
#define VGIC_V2_PIDR2       UINT32_C(0x2b) /* ArchRev 2, JEP106 as GICv3's (vgic_mmio.c) */

static uint64_t vgic_v2_read_ctlr(struct vgic_access *a, uint32_t roff, unsigned size)
{
    (void)roff;
    (void)size;
    return (a->d->enable_grp0 ? GICD_CTLR_ENABLE_G0 : 0) |
           (a->d->enable_grp1 ? GICD_CTLR_ENABLE_G1 : 0);
}

static uint64_t vgic_v2_read_typer(struct vgic_access *a, uint32_t roff, unsigned size)
{
    (void)roff;
    (void)size;
    return FIELD_PREP(GICD_TYPER_ITLINES, VGIC_NR_IRQS / 32 - 1) |
           FIELD_PREP(GICD_TYPER_CPUNUMBER, a->d->nr_vcpus - 1);
}

static const uint32_t vgic_v2_idregs[GICD_IDREGS_SIZE / 4] = {
    0x44, 0x00, 0x00, 0x00, 0x42, 0xb0, VGIC_V2_PIDR2, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

static uint64_t vgic_v2_read_idregs(struct vgic_access *a, uint32_t roff, unsigned size)
{
    (void)a;
    (void)size;
    return vgic_v2_idregs[roff / 4];
}

/* ITARGETSR: SGIs/PPIs read as the accessing vCPU (GICD_ITARGETSR0..7 are read-only). */
static uint64_t vgic_v2_read_itargets(struct vgic_access *a, uint32_t roff, unsigned size)
{
    uint64_t v = 0;

    for (unsigned k = 0; k < size; k++) {
        uint32_t intid = roff + k;
        uint64_t byte = 0;
        if (intid < VGIC_SPI_BASE) {
            byte = BIT(a->vcpu);
        } else if (intid < VGIC_NR_IRQS && a->d->spi[intid - VGIC_SPI_BASE].owned) {
            byte = a->d->spi[intid - VGIC_SPI_BASE].irouter & 0xff;
        }
        v |= byte << (8 * k);
    }
    return v;
}

static void vgic_v2_write_itargets(struct vgic_access *a, uint32_t roff, unsigned size,
                                   uint64_t val)
{
    for (unsigned k = 0; k < size; k++) {
        uint32_t intid = roff + k;
        struct vgic_irq *irq;
        if (intid < VGIC_SPI_BASE || intid >= VGIC_NR_IRQS) {
            continue;
        }
        irq = &a->d->spi[intid - VGIC_SPI_BASE];
        /* routing another VM's SPI is configuration: ignored, no event (as IROUTER) */
        if (irq->owned) {
            a->kick |= vgic_irq_set_itargets(a->d, irq, (uint8_t)(val >> (8 * k)));
        }
    }
}

/*
 * C/SPENDSGIR (4.3.17, 4.3.18): one byte per SGI of the accessing CPU, bit s = pending from
 * source CPU s: the sources in the model and the one its LR holds pending. Bits of CPUs the
 * VM does not have are RAZ/WI.
 */
static uint64_t vgic_v2_get_sgi_pending(const struct vgic_irq *irq)
{
    return irq->sgi_src | (irq->lr_pending ? BIT(irq->lr_src) : 0);
}

static uint32_t vgic_v2_put_sgi_pend(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    uint8_t add = (uint8_t)(v & VGIC_ALL_VCPUS(d) & ~irq->sgi_src);

    if (!add) {
        return 0;
    }
    irq->sgi_src |= add; /* one from the LR's own source joins it at the flush */
    irq->pending_latch = true;
    return vgic_irq_kick(d, irq);
}

static uint32_t vgic_v2_put_sgi_unpend(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    uint8_t clr = (uint8_t)(v & VGIC_ALL_VCPUS(d));

    if (!(vgic_v2_get_sgi_pending(irq) & clr)) {
        return 0;
    }
    irq->sgi_src &= (uint8_t)~clr;
    irq->pending_latch = irq->sgi_src != 0;
    if (irq->lr_pending && (clr & BIT(irq->lr_src))) {
        /* the LR owner withdraws it at its next flush, unless the guest acknowledged it
         * first (as for ICPENDR, vgic_irq_set_pending) */
        irq->lr_pending = false;
    }
    return vgic_irq_kick(d, irq);
}

static const struct vgic_field vgic_field_sgi_pend_set = {
    8, VGIC_FIELD_W1S, true, false, vgic_v2_get_sgi_pending, vgic_v2_put_sgi_pend };
static const struct vgic_field vgic_field_sgi_pend_clr = {
    8, VGIC_FIELD_W1C, true, false, vgic_v2_get_sgi_pending, vgic_v2_put_sgi_unpend };

static const struct vgic_reg vgic_dist_v2_rows[] = {
    { .off = GICD_CTLR, .len = 4, .widths = VGIC_ACC_32, .name = "GICD_CTLR",
      .read = vgic_v2_read_ctlr, .write = vgic_dist_write_ctlr },
    { .off = GICD_TYPER, .len = 4, .widths = VGIC_ACC_32, .name = "GICD_TYPER",
      .read = vgic_v2_read_typer },
    { .off = GICD_IIDR, .len = 4, .widths = VGIC_ACC_32, .name = "GICD_IIDR",
      .read = vgic_mmio_read_iidr },
    VGIC_DIST_ROWS_GROUP_TO_PRIORITY,
    { .off = GICD_ITARGETSR, .len = 0x400, .widths = VGIC_ACC_8 | VGIC_ACC_32,
      .name = "GICD_ITARGETSR", .read = vgic_v2_read_itargets,
      .write = vgic_v2_write_itargets },
    VGIC_FIELD_ROW(GICD_ICFGR, 0x100, VGIC_ACC_32, "GICD_ICFGR", &vgic_field_config),
    /* GICD_SGIR (0xf00) is handled before the table: it calls into vgic_sgi. */
    VGIC_RAZWI_ROW(GICD_SGIR, 4, VGIC_ACC_32, "GICD_SGIR"),
    VGIC_FIELD_ROW(GICD_CPENDSGIR, 0x10, VGIC_ACC_8 | VGIC_ACC_32, "GICD_CPENDSGIR",
                 &vgic_field_sgi_pend_clr),
    VGIC_FIELD_ROW(GICD_SPENDSGIR, 0x10, VGIC_ACC_8 | VGIC_ACC_32, "GICD_SPENDSGIR",
                 &vgic_field_sgi_pend_set),
    { .off = GICD_V2_FRAME_SIZE - 0x30, .len = GICD_IDREGS_SIZE, .widths = VGIC_ACC_32,
      .name = "GICD_PIDR/CIDR", .read = vgic_v2_read_idregs },
};

const struct vgic_reg_table vgic_dist_v2_table = {
    .rows = vgic_dist_v2_rows,
    .count = sizeof(vgic_dist_v2_rows) / sizeof(vgic_dist_v2_rows[0]),
};

/* A GICD_SGIR write as the ICC_SGI1R_EL1 value vgic_sgi takes (vCPU i = Aff0 i). */
static uint64_t vgic_v2_sgir_to_sgi1r(unsigned src, uint32_t sgir, bool *ok)
{
    uint64_t list = FIELD_GET(GICD_SGIR_TARGETS, sgir);
    uint64_t v = FIELD_PREP(ICC_SGIR_INTID, FIELD_GET(GICD_SGIR_INTID, sgir));

    *ok = true;
    switch (FIELD_GET(GICD_SGIR_FILTER, sgir)) {
    case GICD_SGIR_LIST:
        return v | FIELD_PREP(ICC_SGIR_TARGETLIST, list);
    case GICD_SGIR_OTHERS:
        return v | ICC_SGIR_IRM;
    case GICD_SGIR_SELF:
        return v | FIELD_PREP(ICC_SGIR_TARGETLIST, BIT(src));
    default:
        *ok = false; /* reserved filter: no SGI */
        return 0;
    }
}

int vgic_dist_v2_mmio(struct vgic_vm *d, unsigned vcpu, uint32_t off, unsigned size, bool write,
                      uint64_t *val)
{
    if (vcpu >= d->nr_vcpus || off >= GICD_V2_FRAME_SIZE) {
        /* the rest of the 64 KiB window: reserved, RAZ/WI (as offsets no row covers) */
        if (vcpu < d->nr_vcpus && size == 4 && (off & 3) == 0) {
            if (!write) {
                *val = 0;
            }
            return 0;
        }
        return -BH_EINVAL;
    }
    if (off == GICD_SGIR && write && size == 4) {
        bool ok;
        uint64_t sgi1r = vgic_v2_sgir_to_sgi1r(vcpu, (uint32_t)*val, &ok);
        if (ok) {
            vgic_kick(d, vgic_sgi(d, vcpu, sgi1r) & ~(uint32_t)BIT(vcpu));
        }
        return 0;
    }
    return vgic_mmio_access(d, &vgic_dist_v2_table, vcpu, VGIC_NO_VCPU, off, size, write, val);
}
