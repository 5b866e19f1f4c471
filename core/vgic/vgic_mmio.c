// SPDX-License-Identifier: MIT
/*
 * Register-table machinery shared by the emulated distributor and redistributors: row lookup,
 * width/alignment checks (GIC spec IHI 0069H 12.1.3, "GIC memory-mapped register access"), and
 * the generic handlers for registers that pack one field per INTID (IGROUPR, IS/ICENABLER,
 * IS/ICPENDR, IS/ICACTIVER, IPRIORITYR, ICFGR, IROUTER), including the ownership check: SPIs
 * the VM does not own read as zero and ignore writes, like unimplemented ones; only an attempt
 * to enable, pend or activate one (a 1 written to a set register) is reported, once per
 * access, through the deny hook.
 *
 * Lock order: d->lock is taken here around one access; the kick hook runs after it is dropped.
 */
#include <bulkhead/errno.h>
#include <core/vgic/vgic_priv.h>

#include <arch/cpu.h>

/* ------------------------------------------------------------------ per-INTID fields */

static uint64_t vgic_get_group(const struct vgic_irq *irq)
{
    return irq->group1;
}

static uint32_t vgic_put_group(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    return vgic_irq_set_group(d, irq, v != 0);
}

static uint64_t vgic_get_enabled(const struct vgic_irq *irq)
{
    return irq->enabled;
}

/* W1S/W1C setters are only called for 1 bits, so the value carries no information. */
static uint32_t vgic_put_enable(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    (void)v;
    return vgic_irq_set_enabled(d, irq, true);
}

static uint32_t vgic_put_disable(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    (void)v;
    return vgic_irq_set_enabled(d, irq, false);
}

static uint64_t vgic_get_pending(const struct vgic_irq *irq)
{
    return vgic_irq_is_pending(irq);
}

static uint32_t vgic_put_pend(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    (void)v;
    return vgic_irq_set_pending(d, irq, true);
}

static uint32_t vgic_put_unpend(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    (void)v;
    return vgic_irq_set_pending(d, irq, false);
}

static uint64_t vgic_get_active(const struct vgic_irq *irq)
{
    return irq->active;
}

static uint32_t vgic_put_activate(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    (void)v;
    return vgic_irq_set_active(d, irq, true);
}

static uint32_t vgic_put_deactivate(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    (void)v;
    return vgic_irq_set_active(d, irq, false);
}

static uint64_t vgic_get_priority(const struct vgic_irq *irq)
{
    return irq->priority;
}

/*
 * IPRIORITYR implements the priority bits the (virtual) CPU interface does, ICH_VTR_EL2.PRIbits
 * + 1 (what the guest reads in ICV_CTLR_EL1.PRIbits and gets back from ICV_PMR_EL1 = 0xff);
 * the low bits are RAZ/WI (IHI 0069H 12.9.20), as KVM keeps only VGIC_PRI_BITS. Otherwise a
 * guest reads back priorities its CPU interface cannot tell apart (0x80 and 0x84 are one
 * level in ICV_RPR_EL1 and for preemption) and a running priority that matches no IPRIORITYR.
 */
static uint32_t vgic_put_priority(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    return vgic_irq_set_priority(d, irq, (uint8_t)(v & d->lr_prio_mask));
}

static uint64_t vgic_get_config(const struct vgic_irq *irq)
{
    return irq->level ? 0 : GIC_ICFGR_EDGE;
}

static uint32_t vgic_put_config(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    return vgic_irq_set_config(d, irq, !(v & GIC_ICFGR_EDGE));
}

static uint64_t vgic_get_irouter(const struct vgic_irq *irq)
{
    return irq->irouter;
}

static uint32_t vgic_put_irouter(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v)
{
    return vgic_irq_set_irouter(d, irq, v);
}

/* bits, kind, lr_state (may be cached in an LR), line (a HW-level source counts), get, set */
const struct vgic_field vgic_field_group = { 1, VGIC_FIELD_RW, false, false, vgic_get_group,
                                             vgic_put_group };
const struct vgic_field vgic_field_enable_set = { 1, VGIC_FIELD_W1S, false, false,
                                                  vgic_get_enabled, vgic_put_enable };
const struct vgic_field vgic_field_enable_clr = { 1, VGIC_FIELD_W1C, false, false,
                                                  vgic_get_enabled, vgic_put_disable };
const struct vgic_field vgic_field_pend_set = { 1, VGIC_FIELD_W1S, true, true, vgic_get_pending,
                                                vgic_put_pend };
const struct vgic_field vgic_field_pend_clr = { 1, VGIC_FIELD_W1C, true, true, vgic_get_pending,
                                                vgic_put_unpend };
const struct vgic_field vgic_field_active_set = { 1, VGIC_FIELD_W1S, true, false,
                                                  vgic_get_active, vgic_put_activate };
const struct vgic_field vgic_field_active_clr = { 1, VGIC_FIELD_W1C, true, false,
                                                  vgic_get_active, vgic_put_deactivate };
const struct vgic_field vgic_field_priority = { 8, VGIC_FIELD_RW, false, false,
                                                vgic_get_priority, vgic_put_priority };
const struct vgic_field vgic_field_config = { 2, VGIC_FIELD_RW, false, false, vgic_get_config,
                                              vgic_put_config };
const struct vgic_field vgic_field_irouter = { 64, VGIC_FIELD_RW, false, false,
                                               vgic_get_irouter, vgic_put_irouter };

/* ------------------------------------------------------------------ generic handlers */

void vgic_deny(struct vgic_access *a, uint32_t intid)
{
    a->d->stats.denied++;
    if (a->d->hooks.deny) {
        a->d->hooks.deny(a->d->hooks.ctx, a->vcpu, intid, a->reg->name, a->write);
    }
}

/*
 * The interrupt behind intid for this access: banked SGI/PPI of the redistributor frame, or an
 * owned SPI in the distributor. NULL for INTIDs that read as zero here (0..31 in the
 * distributor under ARE, unimplemented ones); *foreign is set for SPIs the VM does not own.
 */
static struct vgic_irq *vgic_mmio_irq(const struct vgic_access *a, uint32_t intid, bool *foreign)
{
    struct vgic_irq *irq;

    *foreign = false;
    if (a->rd != VGIC_NO_VCPU) {
        return intid < VGIC_NR_PRIVATE ? &a->d->cpu[a->rd].priv[intid] : NULL;
    }
    if (a->d->v2 && intid < VGIC_NR_PRIVATE) {
        return &a->d->cpu[a->vcpu].priv[intid]; /* GICv2: banked per accessing CPU */
    }
    if (intid < VGIC_SPI_BASE || intid >= VGIC_NR_IRQS) {
        return NULL;
    }
    irq = &a->d->spi[intid - VGIC_SPI_BASE];
    if (!irq->owned) {
        *foreign = true;
        return NULL;
    }
    return irq;
}

/* A read of state another vCPU may hold more recently in its LR: ask it to sync. */
static void vgic_mmio_note_read(struct vgic_access *a, const struct vgic_irq *irq)
{
    if (a->reg->field->lr_state && vgic_irq_in_lr(irq) && irq->lr_vcpu != a->vcpu) {
        a->kick |= (uint32_t)BIT(irq->lr_vcpu);
    }
}

/* IROUTER: one 64-bit field per INTID, accessed whole or as 32-bit halves. */
static uint64_t vgic_mmio_read_wide(struct vgic_access *a, uint32_t roff, unsigned size)
{
    bool foreign;
    struct vgic_irq *irq = vgic_mmio_irq(a, roff / 8, &foreign);
    unsigned shift = (roff % 8) * 8;

    if (!irq) {
        return 0; /* foreign or unimplemented: reads as zero, no event (see read_field) */
    }
    return size == 8 ? a->reg->field->get(irq) : a->reg->field->get(irq) >> shift;
}

static void vgic_mmio_write_wide(struct vgic_access *a, uint32_t roff, unsigned size,
                                 uint64_t val)
{
    bool foreign;
    struct vgic_irq *irq = vgic_mmio_irq(a, roff / 8, &foreign);
    unsigned shift = (roff % 8) * 8;
    uint64_t v;

    (void)foreign; /* routing another VM's SPI is configuration: ignored, no event */
    if (!irq) {
        return;
    }
    v = val;
    if (size != 8) {
        v = (a->reg->field->get(irq) & ~(GENMASK(31, 0) << shift)) | (val << shift);
    }
    a->kick |= a->reg->field->set(a->d, irq, v);
}

uint64_t vgic_mmio_read_field(struct vgic_access *a, uint32_t roff, unsigned size)
{
    const struct vgic_field *f = a->reg->field;
    unsigned per = f->bits, n = size * 8 / per;
    uint32_t first = roff * 8 / per;
    uint64_t mask, v = 0;

    if (per == 64) {
        return vgic_mmio_read_wide(a, roff, size);
    }
    mask = BIT(per) - 1;
    for (unsigned k = 0; k < n; k++) {
        bool foreign;
        struct vgic_irq *irq = vgic_mmio_irq(a, first + k, &foreign);
        if (!irq) {
            continue;
        }
        /* A HW-linked level interrupt is pending while its source asserts it (IHI 0069
         * 4.1.2), whether or not EL2 has taken it yet (e.g. while the guest disabled it);
         * a taken one whose source dropped is withdrawn first. */
        if (f->line && vgic_irq_is_hw_level(irq) && vgic_hw_resample(a->d, irq, a->vcpu,
                                                                     &a->refill)) {
            v |= UINT64_C(1) << (k * per);
        }
        v |= (f->get(irq) & mask) << (k * per);
        vgic_mmio_note_read(a, irq);
    }
    /*
     * Other VMs' interrupts read as zero, exactly like unimplemented ones, so a read reveals
     * nothing and is not an event: guests legitimately read whole register banks.
     */
    return v;
}

void vgic_mmio_write_field(struct vgic_access *a, uint32_t roff, unsigned size, uint64_t val)
{
    const struct vgic_field *f = a->reg->field;
    unsigned per = f->bits, n = size * 8 / per;
    uint32_t first = roff * 8 / per, denied = VGIC_INTID_NONE;
    uint64_t mask;

    if (per == 64) {
        vgic_mmio_write_wide(a, roff, size, val);
        return;
    }
    mask = BIT(per) - 1;
    for (unsigned k = 0; k < n; k++) {
        bool foreign;
        uint64_t fv = (val >> (k * per)) & mask;
        struct vgic_irq *irq = vgic_mmio_irq(a, first + k, &foreign);
        /*
         * Only an attempt to raise or enable (write 1 to a set register) an interrupt of
         * another VM is a denial. Clearing or configuring one is ignored silently, as for an
         * unimplemented interrupt: Linux initialises every SPI that GICD_TYPER reports.
         */
        if (foreign && fv && f->kind == VGIC_FIELD_W1S && denied == VGIC_INTID_NONE) {
            denied = first + k;
        }
        if (!irq || (f->kind != VGIC_FIELD_RW && !fv)) {
            continue;
        }
        a->kick |= f->set(a->d, irq, fv);
    }
    if (denied != VGIC_INTID_NONE) {
        vgic_deny(a, denied);
    }
}

/*
 * Peripheral and component ID registers, in address order PIDR4..7, PIDR0..3, CIDR0..3:
 * JEP106 0x43B (PIDR1[7:4] = 0xB, PIDR2[2:0] = 3, PIDR4[3:0] = 4 continuation codes), part
 * number 0x042 ('B'), ArchRev 3, 64 KiB block (PIDR4.SIZE = 4).
 */
static const uint32_t vgic_idregs[GICD_IDREGS_SIZE / 4] = {
    0x44, 0x00, 0x00, 0x00, 0x42, 0xb0, VGIC_PIDR2_VALUE, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

uint64_t vgic_mmio_read_idregs(struct vgic_access *a, uint32_t roff, unsigned size)
{
    (void)a;
    (void)size;
    return vgic_idregs[roff / 4];
}

uint64_t vgic_mmio_read_iidr(struct vgic_access *a, uint32_t roff, unsigned size)
{
    (void)a;
    (void)roff;
    (void)size;
    return VGIC_IIDR_VALUE;
}

/* ------------------------------------------------------------------ dispatch */

/* Rows are sorted and disjoint (checked by the unit tests): binary search. */
const struct vgic_reg *vgic_reg_find(const struct vgic_reg_table *t, uint32_t off)
{
    size_t lo = 0, hi = t->count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct vgic_reg *r = &t->rows[mid];
        if (off < r->off) {
            hi = mid;
        } else if (off - r->off >= r->len) {
            lo = mid + 1;
        } else {
            return r;
        }
    }
    return NULL;
}

/*
 * Offsets no row describes are reserved (RES0) or IMPLEMENTATION DEFINED (GICD 0xc000-0xffcf,
 * which we leave empty): RAZ/WI. On the GICv3 face at every naturally aligned width, as QEMU's
 * and KVM's emulated GICv3 do: a reserved location is not a register whose widths the
 * architecture lists (IHI 0069H 12.1.3), and an abort there is a fault no guest expects (a
 * 64-bit or byte probe of a hole). The GICv2 face keeps 32-bit only.
 */
/* They span the whole frame (off 0, len UINT32_MAX), so the bounds check below holds. */
static const struct vgic_reg vgic_reserved = { .len = UINT32_MAX, .widths = VGIC_ACC_ANY,
                                               .name = "reserved" };
static const struct vgic_reg vgic_reserved_v2 = { .len = UINT32_MAX, .widths = VGIC_ACC_32,
                                                  .name = "reserved" };

static bool vgic_access_ok(const struct vgic_reg *r, uint32_t off, unsigned size)
{
    bool pow2 = size == 1 || size == 2 || size == 4 || size == 8;

    return pow2 && (r->widths & size) && (off & (size - 1)) == 0 &&
           off - r->off + size <= r->len;
}

/*
 * A read of pending/active state that other vCPUs hold in their list registers: the guests
 * may have acknowledged or completed those interrupts without an exit, so kick the holders
 * and wait (bounded: WFE with the EL2 event stream) until each has synced, then read again.
 * Registers must read the current state (IHI 0069 12.9); KVM halts the guest for the same.
 */
#define VGIC_REMOTE_SYNC_NS 100000000u /* generous: TCG vCPU threads of a loaded host */

/*
 * gen: the holders' sync generations as the read saw them (under the lock, so a sync between
 * the read and the kick counts). The waiter syncs its own LRs while it waits: another vCPU
 * may be waiting the same way for state this one holds.
 */
static void vgic_wait_remote_sync(struct vgic_vm *d, unsigned vcpu, uint32_t mask,
                                  const uint32_t *gen)
{
    uint64_t deadline = arch_now_ns() + VGIC_REMOTE_SYNC_NS;

    vgic_kick(d, mask);
    for (unsigned v = 0; v < d->nr_vcpus; v++) {
        while ((mask & BIT(v)) && d->cpu[v].sync_gen == gen[v] && arch_now_ns() < deadline) {
            arch_wait_event();
            vgic_sync_lrs(d, vcpu);
        }
    }
}

static int vgic_mmio_access_once(struct vgic_vm *d, const struct vgic_reg_table *t,
                                 unsigned vcpu, unsigned rd, uint32_t off, unsigned size,
                                 bool write, uint64_t *val, uint32_t *remote, uint32_t *gen);

int vgic_mmio_access(struct vgic_vm *d, const struct vgic_reg_table *t, unsigned vcpu,
                     unsigned rd, uint32_t off, unsigned size, bool write, uint64_t *val)
{
    uint32_t remote = 0, gen[VGIC_MAX_VCPUS];
    int ret = vgic_mmio_access_once(d, t, vcpu, rd, off, size, write, val, &remote, gen);

    if (ret == 0 && !write && remote) {
        vgic_wait_remote_sync(d, vcpu, remote, gen);
        ret = vgic_mmio_access_once(d, t, vcpu, rd, off, size, write, val, &remote, gen);
    }
    return ret;
}

static int vgic_mmio_access_once(struct vgic_vm *d, const struct vgic_reg_table *t,
                                 unsigned vcpu, unsigned rd, uint32_t off, unsigned size,
                                 bool write, uint64_t *val, uint32_t *remote, uint32_t *gen)
{
    const struct vgic_reg *r = vgic_reg_find(t, off);
    struct vgic_access a = { .d = d, .vcpu = vcpu, .rd = rd, .write = write };
    uint64_t mask = size >= 8 ? ~UINT64_C(0) : BIT(size * 8) - 1;
    uint32_t fold_kick;
    int ret = 0;

    a.reg = r ? r : d->v2 ? &vgic_reserved_v2 : &vgic_reserved;
    spin_lock(&d->lock);
    /* Posted edges are pending state: the pending/active registers show and change them. */
    fold_kick = a.reg->field && a.reg->field->lr_state ? vgic_inbox_fold_all(d) : 0;
    if (!vgic_access_ok(a.reg, off, size)) {
        d->stats.bad_access++;
        ret = -BH_EINVAL;
        goto out_unlock;
    }
    d->stats.reserved += !r;
    if (write) {
        if (a.reg->write) {
            a.reg->write(&a, off - a.reg->off, size, *val & mask);
        }
        /* Writes are rare and may touch every interrupt (GICD_CTLR, GICR_WAKER): every
         * vCPU reconsiders all of them at its next entry. */
        d->dirty = (uint32_t)BIT(d->nr_vcpus) - 1;
        for (unsigned v = 0; v < d->nr_vcpus; v++) {
            d->cpu[v].maybe_priv = ~(uint32_t)0;
            d->cpu[v].maybe_spi = ~(uint32_t)0;
        }
    } else {
        *val = a.reg->read ? a.reg->read(&a, off - a.reg->off, size) & mask : 0;
        /* holders of state this read reports must sync at their next exit: dirty also
         * keeps them off the posted-edge fast path, which does not sync */
        if (a.kick & ~(uint32_t)BIT(vcpu)) {
            d->dirty |= a.kick & ~(uint32_t)BIT(vcpu);
            for (unsigned v = 0; v < d->nr_vcpus; v++) {
                gen[v] = d->cpu[v].sync_gen;
            }
        }
    }
out_unlock:
    spin_unlock(&d->lock);
    if (fold_kick | a.refill) {
        vgic_kick(d, (fold_kick | a.refill) & ~(uint32_t)BIT(vcpu));
    }
    if (write) {
        vgic_kick(d, a.kick & ~(uint32_t)BIT(vcpu));
    } else {
        *remote = a.kick & ~(uint32_t)BIT(vcpu); /* holders of state this read reports */
    }
    return ret;
}
