// SPDX-License-Identifier: MIT
/*
 * The short ways through the list registers (docs/VGIC.md "Posted edges", "Timer re-arm"):
 * posted edges put straight into LRs, finished LRs re-armed in place, and the sync + flush of
 * an interrupt exit in its common shape. Each gives the same outcome as the general sync and
 * flush of vgic_lr.c, which takes over whenever the state is not in the shape a short way
 * knows.
 *
 * Lock order: d->lock only; the kick hook runs after it is dropped.
 */
#include <core/vgic/vgic_priv.h>

#include <arch/cpu.h>
#include <arch/vgic_hw.h>

/* The LR of vcpu holding irq, or -1. */
static int vgic_lr_of(const struct vgic_cpu *c, const struct vgic_irq *irq)
{
    for (uint32_t u = c->lr_used; u; u &= u - 1) {
        unsigned i = (unsigned)__builtin_ctz(u);
        if (c->lr_irq[i] == irq) {
            return (int)i;
        }
    }
    return -1;
}

/*
 * LR i of vcpu holds a finished interrupt that may simply be raised again in place: empty in
 * ELRSR (the guest deactivated it) while its shadow says "pending" (with hw: HW-linked, else
 * not, and no EOI maintenance owed). The model still believes that LR pending, which is its
 * state again once the shadow is written back: nothing else changes (see vgic_inbox_direct
 * for when that needs d->lock).
 */
static bool vgic_lr_rearmable(const struct vgic_cpu *c, int i, uint32_t elrsr, bool hw)
{
    uint64_t want = ICH_LR_PENDING | (hw ? ICH_LR_HW : 0);

    return i >= 0 && (elrsr & BIT(i)) &&
           (c->lr_shadow[i] & (ICH_LR_STATE | ICH_LR_HW | (hw ? 0 : ICH_LR_EOI))) == want;
}

bool vgic_rearm_hw(struct vgic_vm *d, unsigned vcpu, uint32_t intid)
{
    struct vgic_cpu *c;
    bool ok;
    int i;

    if (vcpu >= d->nr_vcpus || intid >= VGIC_NR_PRIVATE) {
        return false;
    }
    c = &d->cpu[vcpu];
    i = vgic_lr_of(c, &c->priv[intid]);
    if (!vgic_lr_rearmable(c, i, arch_vgic_read_elrsr(), true)) {
        return false;
    }
    if (d->nr_vcpus == 1) {
        /* Its registers are only reachable from this vCPU, which is here: nothing can
         * change it meanwhile. */
        arch_vgic_write_lr((unsigned)i, c->lr_shadow[i]);
        return true;
    }
    /* Another vCPU may write this one's redistributor: re-arm only if no change is pending
     * (one made before takes the lock and marks us dirty; one made after kicks us). */
    spin_lock(&d->lock);
    ok = !(d->dirty & BIT(vcpu));
    if (ok) {
        arch_vgic_write_lr((unsigned)i, c->lr_shadow[i]);
    }
    spin_unlock(&d->lock);
    return ok;
}

/*
 * A GICv2 SGI's posted sources src that vgic_edge_direct cannot put into an LR: into the
 * model, as vgic_inbox_to_model would (vcpu is dirty now, so the exit's flush orders them).
 */
static __attribute__((noinline)) bool vgic_edge_v2_model(struct vgic_vm *d, struct vgic_irq *irq,
                                                         uint8_t src)
{
    irq->sgi_src |= src;
    irq->pending_latch = true;
    (void)vgic_irq_kick(d, irq); /* irq is vcpu's own: marks it dirty, kicks nobody else */
    return true;
}

/*
 * One posted edge (an SPI or an SGI) that needs the model's state, under d->lock, once
 * vgic_inbox_locked found vcpu in shape: an edge interrupt whose LR the guest has finished
 * (empty in ICH_ELRSR_EL2) is re-armed in that LR; one in no LR, inactive, goes into a free
 * one. False: it was not taken (the model path merges it). A GICv2 SGI's posted sources are
 * taken here (true from then on): the lowest goes into the LR as its source, with EOI
 * maintenance if others remain in the model; if the LR cannot take one, all go to the model
 * (vgic_edge_v2_model), as do they when the model has sources waiting already.
 */
static inline __attribute__((always_inline)) bool
vgic_edge_direct(struct vgic_vm *d, struct vgic_cpu *c, unsigned vcpu, struct vgic_irq *irq,
                 uint32_t elrsr)
{
    uint32_t all = (uint32_t)BIT(d->nr_lrs) - 1;
    uint64_t v2 = 0;
    uint8_t src = 0;
    int i;

    if (irq->target != vcpu || irq->hw || irq->level || !irq->enabled ||
        !(irq->group1 ? d->enable_grp1 : d->enable_grp0)) {
        return false;
    }
    if (vgic_irq_v2_sgi(d, irq)) {
        src = vgic_v2_sgi_post_take(d, vcpu, irq->intid);
        if (!src) {
            return true; /* its sources came with an earlier bit */
        }
        if (irq->pending_latch) {
            return vgic_edge_v2_model(d, irq, src);
        }
    }
    if (irq->lr_vcpu == vcpu) {
        i = vgic_lr_of(c, irq);
        if (i < 0 || !(elrsr & BIT(i)) || (c->lr_shadow[i] & ICH_LR_EOI)) {
            /* still pending or active there: the sync and flush merge it */
            return src ? vgic_edge_v2_model(d, irq, src) : false;
        }
        /* finished by the guest: what the sync would fold, then the new edge */
    } else if (irq->lr_vcpu == VGIC_NO_VCPU && !irq->active && !irq->pending_latch &&
               (all & ~c->lr_used)) {
        i = __builtin_ctz(all & ~c->lr_used);
        c->lr_irq[i] = irq;
        c->lr_used |= (uint32_t)BIT(i);
        irq->lr_vcpu = (uint8_t)vcpu;
    } else {
        return src ? vgic_edge_v2_model(d, irq, src) : false;
    }
    irq->active = false;
    irq->lr_pending = true;
    irq->pending_latch = false;
    if (src) {
        irq->lr_src = (uint8_t)__builtin_ctz(src);
        irq->sgi_src = (uint8_t)(src & (src - 1));
        irq->pending_latch = irq->sgi_src != 0;
        v2 = FIELD_PREP(ICH_LR_V2_SOURCE, irq->lr_src) | (irq->pending_latch ? ICH_LR_EOI : 0);
    }
    c->lr_shadow[i] = FIELD_PREP(ICH_LR_VINTID, irq->intid) |
                      FIELD_PREP(ICH_LR_PRIORITY, irq->priority & d->lr_prio_mask) |
                      (irq->group1 ? ICH_LR_GROUP : 0) | v2 | ICH_LR_PENDING;
    arch_vgic_write_lr((unsigned)i, c->lr_shadow[i]);
    return true;
}

/*
 * Posted edges that need the model's state, under d->lock: vcpu must not be dirty (a model
 * change comes first), awake, with no underflow interrupt armed; then each goes through
 * vgic_edge_direct. bits are owned-SPI indices, *sgis SGI INTIDs of vcpu. Returns the SPI
 * bits it did not take, and leaves the SGIs it did not take in *sgis.
 */
static uint32_t vgic_inbox_locked(struct vgic_vm *d, struct vgic_cpu *c, unsigned vcpu,
                                  uint32_t bits, uint32_t *sgis)
{
    uint32_t rest = bits, elrsr;

    if ((d->dirty & BIT(vcpu)) || c->sleeping ||
        (arch_vgic_read_hcr() & (ICH_HCR_EN | ICH_HCR_UIE)) != ICH_HCR_EN) {
        return bits;
    }
    elrsr = arch_vgic_read_elrsr();
    for (; bits; bits &= bits - 1) {
        unsigned k = (unsigned)__builtin_ctz(bits);
        if (vgic_edge_direct(d, c, vcpu, &d->spi[d->owned_spi[k]], elrsr)) {
            rest &= ~((uint32_t)1 << k);
        }
    }
    for (uint32_t m = *sgis; m; m &= m - 1) {
        unsigned n = (unsigned)__builtin_ctz(m) & (VGIC_NR_SGIS - 1);
        if (vgic_edge_direct(d, c, vcpu, &c->priv[n], elrsr)) {
            *sgis &= ~((uint32_t)1 << n);
        }
    }
    return rest;
}

/*
 * What vgic_set_level(irq, true) + vgic_flush_fast_locked would do for a virtual level SPI
 * rising for here, on here's pCPU, under d->lock, when nothing else is to flush: here not
 * dirty (no other change waiting), awake, no underflow armed, a free LR; the SPI idle (not
 * pending, active or in an LR) and deliverable to here. Then it goes straight into that LR
 * and true is returned; otherwise nothing changed.
 */
static bool vgic_level_here_locked(struct vgic_vm *d, unsigned here, struct vgic_irq *irq)
{
    struct vgic_cpu *c = &d->cpu[here];
    uint32_t free = ((uint32_t)BIT(d->nr_lrs) - 1) & ~c->lr_used;

    if (!irq->owned || irq->hw || !irq->level || irq->line_level || irq->pending_latch ||
        irq->active || vgic_irq_in_lr(irq) || irq->target != here || !irq->enabled ||
        !(irq->group1 ? d->enable_grp1 : d->enable_grp0) || c->sleeping || !free ||
        (d->dirty & BIT(here)) ||
        (arch_vgic_read_hcr() & (ICH_HCR_EN | ICH_HCR_UIE)) != ICH_HCR_EN) {
        return false;
    }
    irq->line_level = true;
    irq->lr_pending = true;
    vgic_lr_put(d, here, (unsigned)__builtin_ctz(free), irq,
                FIELD_PREP(ICH_LR_VINTID, irq->intid) |
                    FIELD_PREP(ICH_LR_PRIORITY, irq->priority & d->lr_prio_mask) |
                    (irq->group1 ? ICH_LR_GROUP : 0) | ICH_LR_EOI | ICH_LR_PENDING);
    return true;
}

uint32_t vgic_set_level_here(struct vgic_vm *d, unsigned here, uint32_t intid, bool level)
{
    bool done;

    if (!level || here >= d->nr_vcpus || intid < VGIC_SPI_BASE || intid >= VGIC_NR_IRQS) {
        return vgic_set_level(d, 0, intid, level);
    }
    if (d->nr_vcpus == 1) {
        /* As vgic_inbox_direct: nothing another pCPU does meanwhile touches what this reads
         * or writes. The SPI's registers, the distributor's enables and the vCPU's wake
         * state are only reachable from the one vCPU, here, in this trap; its line is
         * driven by one device, whose lock the caller holds (a posted raise of it is taken
         * by that device's lowering first); the vCPU's LRs and their links are only written
         * on its pCPU. Others only add model changes for other interrupts under d->lock,
         * read here as a hint (dirty), and kick here for them. */
        done = vgic_level_here_locked(d, here, &d->spi[intid - VGIC_SPI_BASE]);
    } else {
        spin_lock(&d->lock);
        done = vgic_level_here_locked(d, here, &d->spi[intid - VGIC_SPI_BASE]);
        spin_unlock(&d->lock);
    }
    return done ? 0 : vgic_set_level(d, here, intid, level);
}

/*
 * The inbox of vcpu (on its pCPU) held only posted level raises (vgic_post_level): each
 * goes straight into an LR when vgic_level_here_locked can put it there, else into the
 * model. True when nothing is left for the exit (vcpu not dirty).
 */
static __attribute__((noinline)) bool vgic_inbox_levels(struct vgic_vm *d, unsigned vcpu)
{
    uint32_t me = (uint32_t)BIT(vcpu), kick = 0, bits;
    bool clean;

    spin_lock(&d->lock);
    bits = __atomic_exchange_n(&d->level_post, 0, __ATOMIC_ACQUIRE);
    for (; bits; bits &= bits - 1) {
        struct vgic_irq *irq = &d->spi[d->owned_spi[__builtin_ctz(bits)]];
        if (!vgic_level_here_locked(d, vcpu, irq)) {
            kick |= vgic_line_locked(d, irq, true);
        }
    }
    clean = !(d->dirty & me);
    spin_unlock(&d->lock);
    vgic_kick(d, kick & ~me);
    return clean;
}

/*
 * vcpu's posted edges (vgic_post_spi) straight into its LRs. In a VM with one vCPU the
 * steady state of a notification stream needs no lock at all: the SPI still owns the LR it
 * was last given (the link and shadow are this pCPU's own), the guest has finished it
 * (empty in ELRSR) and the shadow says "pending" only, so writing the shadow back is what a
 * sync would find unchanged, and the model, which still believes that state, needs no
 * update: one more edge on a pending edge interrupt. No other pCPU changes that SPI's state
 * meanwhile: its registers are only reachable from the VM's one vCPU, running here, and IPC
 * SPIs are raised only by posting. With several vCPUs another one could clear or disable
 * it concurrently, so those VMs, and anything else, take d->lock (vgic_inbox_locked).
 * Returns true when the exit needs nothing more: every edge taken and vcpu not dirty;
 * otherwise the edges left are back in the inbox for the model path.
 */
/*
 * vgic_inbox_direct's inbox held the flag of posted level raises (vgic_post_level), as SGI
 * bit VGIC_NR_SGIS of sgis: alone, they are taken straight (vgic_inbox_levels); with edges
 * too, everything goes back into the inbox for the model path, under one lock hold.
 */
static __attribute__((noinline)) bool vgic_inbox_flagged(struct vgic_vm *d, unsigned vcpu,
                                                         uint32_t rest, uint32_t sgis)
{
    _Static_assert(VGIC_INBOX_LEVEL - VGIC_INBOX_SGI == VGIC_NR_SGIS, "inbox layout");
    if (rest == 0 && sgis == BIT(VGIC_NR_SGIS)) {
        return vgic_inbox_levels(d, vcpu);
    }
    __atomic_fetch_or(&d->inbox[vcpu], rest | (uint64_t)sgis << VGIC_INBOX_SGI,
                      __ATOMIC_RELAXED);
    return false;
}

/* vgic_inbox_direct's edges that need the lock (rest), then its answer. */
static __attribute__((noinline)) bool vgic_inbox_rest(struct vgic_vm *d, struct vgic_cpu *c,
                                                      unsigned vcpu, uint32_t rest,
                                                      uint32_t sgis)
{
    spin_lock(&d->lock);
    rest = vgic_inbox_locked(d, c, vcpu, rest, &sgis);
    if (rest | sgis) { /* for the model */
        __atomic_fetch_or(&d->inbox[vcpu], rest | (uint64_t)sgis << VGIC_INBOX_SGI,
                          __ATOMIC_RELAXED);
    }
    spin_unlock(&d->lock);
    return !rest && !sgis && !(__atomic_load_n(&d->dirty, __ATOMIC_RELAXED) & BIT(vcpu));
}

bool vgic_inbox_direct(struct vgic_vm *d, unsigned vcpu)
{
    struct vgic_cpu *c = &d->cpu[vcpu];
    uint64_t all = __atomic_exchange_n(&d->inbox[vcpu], 0, __ATOMIC_ACQUIRE);
    uint32_t bits = (uint32_t)all, rest = 0;
    /* posted SGIs always take the lock: any vCPU may write the target's redistributor */
    uint32_t sgis = (uint32_t)(all >> VGIC_INBOX_SGI);
    uint32_t elrsr = arch_vgic_read_elrsr();

    if (d->nr_vcpus != 1) {
        rest = bits;
        bits = 0;
    }
    for (uint32_t m = bits; m; m &= m - 1) {
        unsigned k = (unsigned)__builtin_ctz(m);
        int i = vgic_lr_of(c, &d->spi[d->owned_spi[k]]);
        if (vgic_lr_rearmable(c, i, elrsr, false)) {
            arch_vgic_write_lr((unsigned)i, c->lr_shadow[i]);
        } else {
            rest |= (uint32_t)1 << k;
        }
    }
    if (rest | sgis) {
        if (sgis & BIT(VGIC_NR_SGIS)) {
            return vgic_inbox_flagged(d, vcpu, rest, sgis);
        }
        return vgic_inbox_rest(d, c, vcpu, rest, sgis);
    }
    return !(__atomic_load_n(&d->dirty, __ATOMIC_RELAXED) & BIT(vcpu));
}

/* What vgic_sync_flush_fast did. */
enum vgic_fast {
    VGIC_FAST_DONE,     /* all of it: nothing left to do */
    VGIC_FAST_UNTOUCHED,/* nothing: the LRs are not in its shape */
    VGIC_FAST_SYNCED,   /* the sync; the flush is left to the general path */
};

/*
 * The common shape of an interrupt exit, under d->lock, with the outcome of
 * vgic_sync_locked + vgic_flush_locked but none of their generality: every LR in use was
 * finished by the guest (empty in ICH_ELRSR_EL2, no EOI maintenance owed, its interrupt
 * still targeting vcpu) and is released; then, if vcpu is dirty, the noted interrupts that
 * are pending, inactive, edge-triggered (HW-linked ones too) and deliverable go straight into
 * free LRs. Anything else (an LR still in use, a level or active candidate, HW-linked level
 * ones included as they are resampled first, no free LR left, an underflow interrupt armed)
 * is left to the general path, which takes the state as this left it: both only ever make
 * consistent changes.
 */
static inline __attribute__((always_inline)) enum vgic_fast
vgic_sync_flush_fast(struct vgic_vm *d, unsigned vcpu, uint32_t me)
{
    struct vgic_cpu *c = &d->cpu[vcpu];
    uint32_t used = c->lr_used;
    bool grp0 = d->enable_grp0, grp1 = d->enable_grp1;

    if (used) {
        if (used & ~arch_vgic_read_elrsr()) {
            return VGIC_FAST_UNTOUCHED;
        }
        for (uint32_t u = used; u; u &= u - 1) {
            unsigned i = (unsigned)__builtin_ctz(u);
            uint64_t sh = c->lr_shadow[i];
            const struct vgic_irq *irq = c->lr_irq[i];
            /* (a HW level interrupt's software pending ends at its ack: the general fold) */
            if ((sh & (ICH_LR_HW | ICH_LR_EOI)) == ICH_LR_EOI || irq->target != vcpu ||
                ((sh & ICH_LR_HW) && irq->pending_latch && irq->level)) {
                return VGIC_FAST_UNTOUCHED;
            }
        }
        c->sync_gen++;
        for (; used; used &= used - 1) {
            unsigned i = (unsigned)__builtin_ctz(used);
            struct vgic_irq *irq = c->lr_irq[i];
            irq->lr_pending = false;
            irq->active = false; /* for HW=1 the guest's deactivation reached the GIC too */
            irq->lr_vcpu = VGIC_NO_VCPU;
            c->lr_irq[i] = NULL;
            c->lr_shadow[i] = 0; /* an empty LR may keep stale bits: not rewritten */
            vgic_note(d, irq);
            if (vgic_irq_model_pending(irq)) {
                d->dirty |= me;
            }
        }
        c->lr_used = 0;
    }
    if (!(d->dirty & me)) {
        return VGIC_FAST_DONE;
    }
    if ((arch_vgic_read_hcr() & (ICH_HCR_EN | ICH_HCR_UIE)) != ICH_HCR_EN || c->sleeping) {
        return VGIC_FAST_SYNCED;
    }
    d->dirty &= ~me;
    for (unsigned pass = 0; pass < 2; pass++) {
        uint32_t *bits = pass ? &c->maybe_spi : &c->maybe_priv;
        uint32_t m = pass ? *bits & ((uint32_t)BIT(d->nr_owned_spis) - 1) : *bits;
        for (; m; m &= m - 1) {
            unsigned k = (unsigned)__builtin_ctz(m);
            struct vgic_irq *irq = pass ? &d->spi[d->owned_spi[k]] : &c->priv[k];
            uint32_t free;
            unsigned i;
            if (!(irq->pending_latch | irq->line_level | irq->active) || irq->target != vcpu) {
                *bits &= ~((uint32_t)1 << k); /* as vgic_cands_collect forgets it */
                continue;
            }
            /* vgic_wants_lr, knowing it is owned, targets vcpu and vcpu is awake */
            if (vgic_irq_in_lr(irq) || (!irq->active && !(vgic_irq_model_pending(irq) &&
                                                          irq->enabled &&
                                                          (irq->group1 ? grp1 : grp0)))) {
                continue;
            }
            free = ((uint32_t)BIT(d->nr_lrs) - 1) & ~c->lr_used;
            /* HW-linked level interrupts are resampled first (vgic_wants_lr_now): they go
             * the general way, like active ones */
            if (irq->active || vgic_irq_is_hw_level(irq) || !free) {
                d->dirty |= me; /* the general flush takes it from here */
                return VGIC_FAST_SYNCED;
            }
            /* vgic_lr_decide + vgic_lr_build for an inactive one: an edge's latch moves into
             * the LR; a virtual level interrupt keeps its line and latch in the model and
             * asks for EOI maintenance, which resamples it; a GICv2 SGI moves its lowest
             * source into the LR, and asks for EOI maintenance while others remain */
            uint64_t v2 = 0;
            if (vgic_irq_v2_sgi(d, irq)) {
                if (!vgic_v2_sgi_take(irq, false)) {
                    continue; /* no source: not pending (vgic_irq_set_pending keeps one) */
                }
                v2 = FIELD_PREP(ICH_LR_V2_SOURCE, irq->lr_src) |
                     (irq->pending_latch ? ICH_LR_EOI : 0);
            } else {
                irq->pending_latch = irq->pending_latch && irq->level;
            }
            i = (unsigned)__builtin_ctz(free);
            irq->lr_pending = true;
            vgic_lr_put(d, vcpu, i, irq,
                        FIELD_PREP(ICH_LR_VINTID, irq->intid) |
                            FIELD_PREP(ICH_LR_PRIORITY, irq->priority & d->lr_prio_mask) |
                            (irq->group1 ? ICH_LR_GROUP : 0) |
                            (irq->hw ? ICH_LR_HW | FIELD_PREP(ICH_LR_PINTID, irq->pintid)
                                     : (irq->level ? ICH_LR_EOI : 0)) |
                            v2 | ICH_LR_PENDING);
        }
    }
    return VGIC_FAST_DONE;
}

bool vgic_flush_fast_locked(struct vgic_vm *d, unsigned vcpu)
{
    return vgic_sync_flush_fast(d, vcpu, (uint32_t)BIT(vcpu)) == VGIC_FAST_DONE;
}

/* Whatever vgic_sync_flush_fast left (fast: what it did), the general way. */
static __attribute__((noinline)) void vgic_sync_flush_general(struct vgic_vm *d, unsigned vcpu,
                                                             enum vgic_fast fast, uint32_t kick)
{
    uint32_t me = (uint32_t)BIT(vcpu);

    if (fast == VGIC_FAST_UNTOUCHED && d->cpu[vcpu].lr_used) {
        vgic_sync_locked(d, vcpu, &kick);
    }
    if (d->dirty & me) {
        vgic_flush_locked(d, vcpu, &kick);
    }
    spin_unlock(&d->lock);
    vgic_kick(d, kick & ~me);
}

/* vgic_sync_flush_lrs through the model (posted edges become model state first). */
void vgic_sync_flush_model(struct vgic_vm *d, unsigned vcpu)
{
    uint32_t me = (uint32_t)BIT(vcpu), kick;
    enum vgic_fast fast;
    bool used = d->cpu[vcpu].lr_used != 0;

    if (!used && !vgic_vcpu_pending_work(d, vcpu)) {
        return;
    }
    spin_lock(&d->lock);
    kick = vgic_inbox_to_model(d, vcpu, vgic_inbox_take(d, vcpu));
    fast = vgic_sync_flush_fast(d, vcpu, me);
    if (fast == VGIC_FAST_DONE) {
        spin_unlock(&d->lock);
        vgic_kick(d, kick & ~me);
    } else {
        vgic_sync_flush_general(d, vcpu, fast, kick); /* unlocks */
    }
    if (used) {
        arch_wake_all(); /* a remote reader may wait for this sync (vgic_mmio_access) */
    }
}
