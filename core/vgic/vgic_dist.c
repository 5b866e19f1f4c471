// SPDX-License-Identifier: MIT
/*
 * Emulated GICv3 distributor (GIC spec IHI 0069H section 12.9) for one VM: a single security
 * state (GICD_CTLR.DS = 1), affinity routing always on (ARE = 1, RAO/WI), 128 INTIDs
 * (ITLinesNumber = 3), no LPIs, no message-based SPIs, no extended SPIs, no 1-of-N routing.
 * Because ARE = 1, the INTID 0..31 parts of the per-INTID registers are RAZ/WI here (they are
 * banked in the redistributors), and so are ITARGETSR, SGIR, CPENDSGIR and SPENDSGIR.
 */
#include <bulkhead/errno.h>
#include <core/vgic/vgic_priv.h>

/* ITLinesNumber = 3 (128 INTIDs), CPUNumber = 0 (ARE), IDbits = 9 (10 bits: no LPIs). */
#define VGIC_GICD_TYPER                                                       \
    (FIELD_PREP(GICD_TYPER_ITLINES, VGIC_NR_IRQS / 32 - 1) |                   \
     FIELD_PREP(GICD_TYPER_IDBITS, 9) | GICD_TYPER_NO1N)

_Static_assert(VGIC_NR_IRQS % 32 == 0, "ITLinesNumber counts blocks of 32 INTIDs");

static uint64_t vgic_dist_read_ctlr(struct vgic_access *a, uint32_t roff, unsigned size)
{
    (void)roff;
    (void)size;
    /* RWP reads 0: register writes take effect before the access completes. */
    return (a->d->enable_grp0 ? GICD_CTLR_ENABLE_G0 : 0) |
           (a->d->enable_grp1 ? GICD_CTLR_ENABLE_G1 : 0) | GICD_CTLR_ARE | GICD_CTLR_DS;
}

void vgic_dist_write_ctlr(struct vgic_access *a, uint32_t roff, unsigned size, uint64_t val)
{
    bool g0 = val & GICD_CTLR_ENABLE_G0, g1 = val & GICD_CTLR_ENABLE_G1;

    (void)roff;
    (void)size;
    if (g0 == a->d->enable_grp0 && g1 == a->d->enable_grp1) {
        return;
    }
    a->d->enable_grp0 = g0;
    a->d->enable_grp1 = g1;
    /* Every vCPU may gain or lose deliverable interrupts. */
    a->kick |= VGIC_ALL_VCPUS(a->d);
}

static uint64_t vgic_dist_read_typer(struct vgic_access *a, uint32_t roff, unsigned size)
{
    (void)a;
    (void)roff;
    (void)size;
    return VGIC_GICD_TYPER;
}

static const struct vgic_reg vgic_dist_rows[] = {
    { .off = GICD_CTLR, .len = 4, .widths = VGIC_ACC_32, .name = "GICD_CTLR",
      .read = vgic_dist_read_ctlr, .write = vgic_dist_write_ctlr },
    { .off = GICD_TYPER, .len = 4, .widths = VGIC_ACC_32, .name = "GICD_TYPER",
      .read = vgic_dist_read_typer },
    { .off = GICD_IIDR, .len = 4, .widths = VGIC_ACC_32, .name = "GICD_IIDR",
      .read = vgic_mmio_read_iidr },
    VGIC_RAZWI_ROW(GICD_TYPER2, 4, VGIC_ACC_32, "GICD_TYPER2"),
    VGIC_RAZWI_ROW(GICD_STATUSR, 4, VGIC_ACC_32, "GICD_STATUSR"),
    /* SETSPI/CLRSPI (NS and S): no message-based SPIs (TYPER.MBIS = 0): reserved. */
    VGIC_RAZWI_ROW(GICD_SETSPI_NSR, 0x20, VGIC_ACC_ANY, "GICD_SETSPI"),
    VGIC_DIST_ROWS_GROUP_TO_PRIORITY,
    VGIC_RAZWI_ROW(GICD_ITARGETSR, 0x400, VGIC_ACC_8 | VGIC_ACC_32, "GICD_ITARGETSR"),
    VGIC_FIELD_ROW(GICD_ICFGR, 0x100, VGIC_ACC_32, "GICD_ICFGR", &vgic_field_config),
    /* DS = 1: IGRPMODR and NSACR are RAZ/WI. */
    VGIC_RAZWI_ROW(GICD_IGRPMODR, GIC_BITMAP_SPAN, VGIC_ACC_32, "GICD_IGRPMODR"),
    VGIC_RAZWI_ROW(GICD_NSACR, 0x100, VGIC_ACC_32, "GICD_NSACR"),
    VGIC_RAZWI_ROW(GICD_SGIR, 4, VGIC_ACC_32, "GICD_SGIR"),
    VGIC_RAZWI_ROW(GICD_CPENDSGIR, 0x10, VGIC_ACC_8 | VGIC_ACC_32, "GICD_CPENDSGIR"),
    VGIC_RAZWI_ROW(GICD_SPENDSGIR, 0x10, VGIC_ACC_8 | VGIC_ACC_32, "GICD_SPENDSGIR"),
    VGIC_RAZWI_ROW(GICD_INMIR, GIC_BITMAP_SPAN, VGIC_ACC_ANY, "GICD_INMIR"),
    /* Extended SPI registers (TYPER.ESPI = 0): reserved, RAZ/WI at any width. */
    VGIC_RAZWI_ROW(GICD_ESPI_BASE, GICD_IROUTER - GICD_ESPI_BASE, VGIC_ACC_ANY, "GICD_ESPI"),
    VGIC_FIELD_ROW(GICD_IROUTER, 1024 * 8, VGIC_ACC_32 | VGIC_ACC_64, "GICD_IROUTER",
                   &vgic_field_irouter),
    VGIC_RAZWI_ROW(GICD_IROUTERE, 1024 * 8, VGIC_ACC_ANY, "GICD_IROUTERnE"),
    { .off = GICD_IDREGS, .len = GICD_IDREGS_SIZE, .widths = VGIC_ACC_32,
      .name = "GICD_PIDR/CIDR", .read = vgic_mmio_read_idregs },
};

const struct vgic_reg_table vgic_dist_table = {
    .rows = vgic_dist_rows,
    .count = sizeof(vgic_dist_rows) / sizeof(vgic_dist_rows[0]),
};

int vgic_dist_mmio(struct vgic_vm *d, unsigned vcpu, uint32_t off, unsigned size, bool write,
                   uint64_t *val)
{
    if (d->v2) {
        return vgic_dist_v2_mmio(d, vcpu, off, size, write, val);
    }
    if (vcpu >= d->nr_vcpus || off >= GICD_FRAME_SIZE) {
        return -BH_EINVAL;
    }
    return vgic_mmio_access(d, &vgic_dist_table, vcpu, VGIC_NO_VCPU, off, size, write, val);
}
