// SPDX-License-Identifier: MIT
/*
 * Emulated GICv3 redistributors (GIC spec IHI 0069H section 12.10), one 128 KiB region per
 * vCPU: the RD_base frame (control, identification, power management) and the SGI_base frame
 * holding the banked SGI/PPI state. No LPIs: the LPI registers are RAZ/WI. Any vCPU may access
 * any of its VM's frames (Linux reads every GICR_TYPER to find its own); a frame beyond the
 * VM's vCPUs is refused with an abort and a deny record.
 */
#include <bulkhead/errno.h>
#include <core/vgic/vgic_priv.h>

/* The 64-bit value of one register seen through a 32- or 64-bit access at roff. */
static uint64_t vgic_part(uint64_t v, uint32_t roff, unsigned size)
{
    return size == 8 ? v : v >> ((roff % 8) * 8);
}

/* Affinity = 0.0.0.<index> like the vCPU's MPIDR_EL1; Last marks the final frame. */
static uint64_t vgic_rd_read_typer(struct vgic_access *a, uint32_t roff, unsigned size)
{
    uint64_t v = FIELD_PREP(GICR_TYPER_AFFINITY, a->rd) | FIELD_PREP(GICR_TYPER_PROCNUM, a->rd);

    if (a->rd + 1 == a->d->nr_vcpus) {
        v |= GICR_TYPER_LAST;
    }
    return vgic_part(v, roff, size);
}

/* ChildrenAsleep follows ProcessorSleep at once: there is nothing to quiesce. */
static uint64_t vgic_rd_read_waker(struct vgic_access *a, uint32_t roff, unsigned size)
{
    (void)roff;
    (void)size;
    return a->d->cpu[a->rd].sleeping ? GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP : 0;
}

static void vgic_rd_write_waker(struct vgic_access *a, uint32_t roff, unsigned size,
                                uint64_t val)
{
    bool sleep = val & GICR_WAKER_SLEEP;

    (void)roff;
    (void)size;
    if (a->d->cpu[a->rd].sleeping != sleep) {
        a->d->cpu[a->rd].sleeping = sleep;
        a->kick |= (uint32_t)BIT(a->rd); /* delivery to it starts or stops */
    }
}

#define VGIC_RAZWI_ROW(o, l, w, n) { .off = (o), .len = (l), .widths = (w), .name = (n) }
#define VGIC_ACC_REG64             (VGIC_ACC_32 | VGIC_ACC_64)

static const struct vgic_reg vgic_rd_rows[] = {
    /* No LPIs, writes complete at once: EnableLPIs, RWP, UWP... all zero. */
    VGIC_RAZWI_ROW(GICR_CTLR, 4, VGIC_ACC_32, "GICR_CTLR"),
    { .off = GICR_IIDR, .len = 4, .widths = VGIC_ACC_32, .name = "GICR_IIDR",
      .read = vgic_mmio_read_iidr },
    { .off = GICR_TYPER, .len = 8, .widths = VGIC_ACC_REG64, .name = "GICR_TYPER",
      .read = vgic_rd_read_typer },
    VGIC_RAZWI_ROW(GICR_STATUSR, 4, VGIC_ACC_32, "GICR_STATUSR"),
    { .off = GICR_WAKER, .len = 4, .widths = VGIC_ACC_32, .name = "GICR_WAKER",
      .read = vgic_rd_read_waker, .write = vgic_rd_write_waker },
    VGIC_RAZWI_ROW(GICR_MPAMIDR, 4, VGIC_ACC_32, "GICR_MPAMIDR"),
    VGIC_RAZWI_ROW(GICR_PARTIDR, 4, VGIC_ACC_32, "GICR_PARTIDR"),
    VGIC_RAZWI_ROW(GICR_SETLPIR, 8, VGIC_ACC_REG64, "GICR_SETLPIR"),
    VGIC_RAZWI_ROW(GICR_CLRLPIR, 8, VGIC_ACC_REG64, "GICR_CLRLPIR"),
    VGIC_RAZWI_ROW(GICR_PROPBASER, 8, VGIC_ACC_REG64, "GICR_PROPBASER"),
    VGIC_RAZWI_ROW(GICR_PENDBASER, 8, VGIC_ACC_REG64, "GICR_PENDBASER"),
    VGIC_RAZWI_ROW(GICR_INVLPIR, 8, VGIC_ACC_REG64, "GICR_INVLPIR"),
    VGIC_RAZWI_ROW(GICR_INVALLR, 8, VGIC_ACC_REG64, "GICR_INVALLR"),
    VGIC_RAZWI_ROW(GICR_SYNCR, 4, VGIC_ACC_32, "GICR_SYNCR"), /* Busy = 0 */
    { .off = GICR_IDREGS, .len = GICD_IDREGS_SIZE, .widths = VGIC_ACC_32,
      .name = "GICR_PIDR/CIDR", .read = vgic_mmio_read_idregs },
};

#define VGIC_SGI_ROW(o, l, w, n, f)                                                       \
    {                                                                                     \
        .off = (o), .len = (l), .widths = (w), .name = (n), .read = vgic_mmio_read_field, \
        .write = vgic_mmio_write_field, .field = (f)                                      \
    }

static const struct vgic_reg vgic_sgi_rows[] = {
    VGIC_SGI_ROW(GICR_IGROUPR0, 4, VGIC_ACC_32, "GICR_IGROUPR0", &vgic_field_group),
    VGIC_SGI_ROW(GICR_ISENABLER0, 4, VGIC_ACC_32, "GICR_ISENABLER0", &vgic_field_enable_set),
    VGIC_SGI_ROW(GICR_ICENABLER0, 4, VGIC_ACC_32, "GICR_ICENABLER0", &vgic_field_enable_clr),
    VGIC_SGI_ROW(GICR_ISPENDR0, 4, VGIC_ACC_32, "GICR_ISPENDR0", &vgic_field_pend_set),
    VGIC_SGI_ROW(GICR_ICPENDR0, 4, VGIC_ACC_32, "GICR_ICPENDR0", &vgic_field_pend_clr),
    VGIC_SGI_ROW(GICR_ISACTIVER0, 4, VGIC_ACC_32, "GICR_ISACTIVER0", &vgic_field_active_set),
    VGIC_SGI_ROW(GICR_ICACTIVER0, 4, VGIC_ACC_32, "GICR_ICACTIVER0", &vgic_field_active_clr),
    VGIC_SGI_ROW(GICR_IPRIORITYR0, VGIC_NR_PRIVATE, VGIC_ACC_8 | VGIC_ACC_32,
                 "GICR_IPRIORITYR", &vgic_field_priority),
    /* ICFGR0 (SGIs) reads 0xaaaaaaaa and ignores writes; ICFGR1 configures PPIs. */
    VGIC_SGI_ROW(GICR_ICFGR0, 8, VGIC_ACC_32, "GICR_ICFGR", &vgic_field_config),
    VGIC_RAZWI_ROW(GICR_IGRPMODR0, 4, VGIC_ACC_32, "GICR_IGRPMODR0"),
    VGIC_RAZWI_ROW(GICR_NSACR, 4, VGIC_ACC_32, "GICR_NSACR"),
    VGIC_RAZWI_ROW(GICR_INMIR0, 4, VGIC_ACC_32, "GICR_INMIR0"),
};

const struct vgic_reg_table vgic_rd_table = {
    .rows = vgic_rd_rows,
    .count = sizeof(vgic_rd_rows) / sizeof(vgic_rd_rows[0]),
};

const struct vgic_reg_table vgic_sgi_table = {
    .rows = vgic_sgi_rows,
    .count = sizeof(vgic_sgi_rows) / sizeof(vgic_sgi_rows[0]),
};

int vgic_redist_mmio(struct vgic_vm *d, unsigned vcpu, uint32_t off, unsigned size, bool write,
                     uint64_t *val)
{
    uint32_t frame = off / GICR_FRAME_SIZE, in = off % GICR_FRAME_SIZE;
    const struct vgic_reg_table *t = in < GICR_SGI_OFFSET ? &vgic_rd_table : &vgic_sgi_table;

    if (vcpu >= d->nr_vcpus) {
        return -BH_EINVAL;
    }
    in %= GICR_SGI_OFFSET;
    if (frame >= d->nr_vcpus) {
        const struct vgic_reg *r = vgic_reg_find(t, in);
        spin_lock(&d->lock);
        d->stats.denied++;
        if (d->hooks.deny) {
            d->hooks.deny(d->hooks.ctx, vcpu, VGIC_INTID_NONE, r ? r->name : "GICR", write);
        }
        spin_unlock(&d->lock);
        return -BH_ERANGE;
    }
    return vgic_mmio_access(d, t, vcpu, frame, in, size, write, val);
}
