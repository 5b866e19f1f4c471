// SPDX-License-Identifier: MIT
/*
 * Virtual GICv3 interrupt model: configuration, reset, injection, SGI generation and the state
 * transitions that guest software triggers through the distributor and redistributors (GIC
 * spec IHI 0069H chapter 4, "Physical interrupt handling and prioritization", applied to the
 * virtual machine). The register front ends are vgic_dist.c/vgic_redist.c; list registers are
 * vgic_lr.c.
 *
 * Lock order: callers' locks (vm, vuart) -> d->lock -> whatever the hooks take.
 */
#include <bulkhead/errno.h>
#include <core/vgic/vgic_priv.h>
#include <lib/string.h>

#include <arch/vgic_hw.h>

_Static_assert(sizeof(struct vgic_irq) == 24, "a GICv2 SGI's sources share irouter's bytes");

/* Interrupt intid as seen by vCPU vcpu (banked SGIs/PPIs), or NULL if out of range. */
struct vgic_irq *vgic_irq_get(struct vgic_vm *d, unsigned vcpu, uint32_t intid)
{
    if (intid < VGIC_NR_PRIVATE) {
        return vcpu < d->nr_vcpus ? &d->cpu[vcpu].priv[intid] : NULL;
    }
    if (intid < VGIC_NR_IRQS) {
        return &d->spi[intid - VGIC_SPI_BASE];
    }
    return NULL;
}

/* Would the GIC forward irq to vcpu's CPU interface now (pending state aside)? */
bool vgic_irq_deliverable(const struct vgic_vm *d, const struct vgic_irq *irq, unsigned vcpu)
{
    bool grp = irq->group1 ? d->enable_grp1 : d->enable_grp0;

    return vcpu < d->nr_vcpus && irq->owned && irq->enabled && grp && irq->target == vcpu &&
           !d->cpu[vcpu].sleeping;
}

/* Which vCPU has to look at irq after a state change: the one holding it in an LR, or the
 * target that could now take it. */
static uint32_t vgic_irq_kick_mask(const struct vgic_vm *d, const struct vgic_irq *irq)
{
    if (vgic_irq_in_lr(irq)) {
        return (uint32_t)BIT(irq->lr_vcpu);
    }
    if (irq->target >= d->nr_vcpus) {
        return 0;
    }
    if ((vgic_irq_model_pending(irq) && vgic_irq_deliverable(d, irq, irq->target)) ||
        irq->active) {
        return (uint32_t)BIT(irq->target);
    }
    return 0;
}

/* Every state change ends here: the vCPUs it concerns must flush before their next entry. */
uint32_t vgic_irq_kick(struct vgic_vm *d, const struct vgic_irq *irq)
{
    uint32_t mask = vgic_irq_kick_mask(d, irq);

    d->dirty |= mask;
    vgic_note(d, irq);
    return mask;
}

/* Called without d->lock. */
void vgic_kick(struct vgic_vm *d, uint32_t mask)
{
    if (mask && d->hooks.kick) {
        d->hooks.kick(d->hooks.ctx, mask);
    }
}

/* ------------------------------------------------------------------ HW-linked interrupts */

static bool vgic_irq_busy(const struct vgic_irq *irq)
{
    return vgic_irq_is_pending(irq) || irq->active;
}

/* Keep "virtual pending or active <=> physical active" across a software state change. */
static void vgic_hw_follow(struct vgic_vm *d, const struct vgic_irq *irq, bool was_busy)
{
    bool busy = vgic_irq_busy(irq);

    if (!irq->hw || busy == was_busy || !d->hooks.hw_set_active) {
        return;
    }
    d->hooks.hw_set_active(d->hooks.ctx, irq->target == VGIC_NO_VCPU ? 0 : irq->target,
                           irq->pintid, busy);
}

static bool vgic_irq_is_hw_spi(const struct vgic_irq *irq)
{
    return irq->hw && irq->intid >= VGIC_SPI_BASE;
}

/*
 * As KVM resamples mapped level interrupts (vgic_irq_handle_resampling): EL2 holds a taken
 * physical interrupt active, so the physical GIC cannot withdraw it when its line drops; we
 * look at the source instead. Only from a pCPU that sees it: a PPI's source (the timer) is
 * its own CPU's.
 */
bool vgic_hw_resample(struct vgic_vm *d, struct vgic_irq *irq, unsigned vcpu, uint32_t *kick)
{
    bool was = vgic_irq_busy(irq), line;

    if (!d->hooks.hw_line || (irq->intid < VGIC_SPI_BASE && irq->target != vcpu)) {
        return irq->line_level;
    }
    line = d->hooks.hw_line(d->hooks.ctx, vcpu, irq->pintid);
    if (!line && irq->line_level && !vgic_irq_in_lr(irq)) {
        irq->line_level = false;
        vgic_hw_follow(d, irq, was);
        *kick |= vgic_irq_kick(d, irq);
    }
    return line;
}

/* ------------------------------------------------------------------ software state changes */

uint32_t vgic_irq_set_enabled(struct vgic_vm *d, struct vgic_irq *irq, bool enable)
{
    if (irq->enabled == enable) {
        return 0;
    }
    irq->enabled = enable;
    if (vgic_irq_is_hw_spi(irq) && d->hooks.hw_enable) {
        d->hooks.hw_enable(d->hooks.ctx, irq->pintid, enable);
    }
    return vgic_irq_kick(d, irq);
}

/* GICD_ISPENDR/ICPENDR: the latch only; a level interrupt stays pending while its line is. */
uint32_t vgic_irq_set_pending(struct vgic_vm *d, struct vgic_irq *irq, bool pending)
{
    bool was = vgic_irq_busy(irq);

    if (vgic_irq_v2_sgi(d, irq)) {
        /* GICv2 SGI through GICD_ISPENDR/ICPENDR (the per-source registers are S/CPENDSGIR,
         * vgic_dist_v2.c): set pends it from the accessing CPU (whose banked copy irq is, as
         * KVM picks for a source it cannot know); clear ends every source, the LR's too. */
        irq->sgi_src = pending ? (uint8_t)(irq->sgi_src | BIT(irq->target & 7)) : 0;
    }
    irq->pending_latch = pending;
    if (!pending && vgic_irq_is_hw_level(irq)) {
        /* The physical interrupt is completed (vgic_hw_follow) and comes back if its source
         * still asserts it, as KVM's vgic_hw_irq_cpending does. */
        irq->line_level = false;
    }
    if (!pending) {
        /* The LR's pending state goes too, unless the line still asserts it; the LR owner
         * applies this at its next flush (unless the guest acknowledged first). */
        irq->lr_pending = irq->lr_pending && vgic_irq_model_pending(irq);
    }
    vgic_hw_follow(d, irq, was);
    return vgic_irq_kick(d, irq);
}

uint32_t vgic_irq_set_active(struct vgic_vm *d, struct vgic_irq *irq, bool active)
{
    bool was = vgic_irq_busy(irq);

    irq->active = active;
    vgic_hw_follow(d, irq, was);
    return vgic_irq_kick(d, irq);
}

uint32_t vgic_irq_set_group(struct vgic_vm *d, struct vgic_irq *irq, bool group1)
{
    if (irq->group1 == group1) {
        return 0;
    }
    irq->group1 = group1;
    return vgic_irq_kick(d, irq);
}

uint32_t vgic_irq_set_priority(struct vgic_vm *d, struct vgic_irq *irq, uint8_t prio)
{
    if (irq->priority == prio) {
        return 0;
    }
    irq->priority = prio;
    return vgic_irq_kick(d, irq);
}

/* SGIs are always edge; HW-linked PPIs (the timer) are level as the hardware is. */
bool vgic_irq_config_is_ro(const struct vgic_irq *irq)
{
    return irq->intid < VGIC_NR_SGIS || (irq->hw && irq->intid < VGIC_SPI_BASE);
}

uint32_t vgic_irq_set_config(struct vgic_vm *d, struct vgic_irq *irq, bool level)
{
    if (vgic_irq_config_is_ro(irq) || irq->level == level) {
        return 0;
    }
    if (irq->hw && irq->line_level) {
        /* a taken physical interrupt stays pending: an HW-linked edge keeps it in the latch */
        irq->pending_latch = true;
        irq->line_level = false;
    }
    irq->level = level;
    return vgic_irq_kick(d, irq);
}

/* Affinity routing target: Aff0 names the vCPU, higher levels must be zero. */
static uint8_t vgic_route(const struct vgic_vm *d, uint64_t irouter)
{
    uint64_t aff0 = FIELD_GET(GICD_IROUTER_AFF0, irouter);

    if (irouter & (GICD_IROUTER_AFF1 | GICD_IROUTER_AFF2 | GICD_IROUTER_AFF3)) {
        return VGIC_NO_VCPU;
    }
    return aff0 < d->nr_vcpus ? (uint8_t)aff0 : VGIC_NO_VCPU;
}

uint32_t vgic_irq_set_irouter(struct vgic_vm *d, struct vgic_irq *irq, uint64_t irouter)
{
    uint8_t target;

    irq->irouter = irouter & GICD_IROUTER_WRITABLE; /* IRM is RES0: GICD_TYPER.No1N = 1 */
    target = vgic_route(d, irq->irouter);
    if (target == irq->target) {
        return 0;
    }
    irq->target = target;
    if (vgic_irq_is_hw_spi(irq) && d->hooks.hw_route) {
        d->hooks.hw_route(d->hooks.ctx, irq->pintid, target);
    }
    /* A vCPU holding it pending in an LR gives it up at its next flush and kicks the new
     * target; otherwise the new target may take it now. */
    return vgic_irq_kick(d, irq);
}

/* GICv2 GICD_ITARGETSR byte of an SPI (kept in irouter): delivered to the lowest-numbered
 * vCPU it names (no 1-of-N: docs/VGIC.md "GICv2"); none of the VM's: nowhere. The bits of
 * CPU interfaces the VM does not have are RAZ/WI (IHI 0048B 4.3.12). */
uint32_t vgic_irq_set_itargets(struct vgic_vm *d, struct vgic_irq *irq, uint8_t targets)
{
    uint32_t mine = targets & VGIC_ALL_VCPUS(d);
    uint8_t target = mine ? (uint8_t)__builtin_ctz(mine) : VGIC_NO_VCPU;

    irq->irouter = mine;
    if (target == irq->target) {
        return 0;
    }
    irq->target = target;
    if (vgic_irq_is_hw_spi(irq) && d->hooks.hw_route) {
        d->hooks.hw_route(d->hooks.ctx, irq->pintid, target);
    }
    return vgic_irq_kick(d, irq);
}

/* ------------------------------------------------------------------ init / reset */

static int vgic_cfg_check(const struct vgic_vm_cfg *cfg)
{
    uint32_t seen[VGIC_NR_IRQS / 32] = { 0 };

    if (cfg->nr_vcpus == 0 || cfg->nr_vcpus > VGIC_MAX_VCPUS) {
        return -BH_EINVAL;
    }
    if (cfg->nr_spis > VGIC_MAX_OWNED_SPIS) {
        return -BH_ENOMEM;
    }
    for (unsigned i = 0; i < cfg->nr_spis; i++) {
        const struct vgic_spi_cfg *s = &cfg->spis[i];
        if (s->intid < VGIC_SPI_BASE || s->intid >= VGIC_NR_IRQS) {
            return -BH_EINVAL;
        }
        /* 1020..1023 are special INTIDs; the LR pINTID field is 13 bits. */
        if (s->hw && (s->pintid < VGIC_SPI_BASE || s->pintid >= 1020)) {
            return -BH_EINVAL;
        }
        if (seen[s->intid / 32] & BIT(s->intid % 32)) {
            return -BH_EEXIST;
        }
        seen[s->intid / 32] |= (uint32_t)BIT(s->intid % 32);
    }
    return 0;
}

int vgic_vm_init(struct vgic_vm *d, const struct vgic_vm_cfg *cfg)
{
    unsigned pri_bits;
    int r = vgic_cfg_check(cfg);

    if (r) {
        return r;
    }
    memset(d, 0, sizeof(*d));
    spin_lock_init(&d->lock);
    d->nr_vcpus = cfg->nr_vcpus;
    d->v2 = cfg->v2;
    d->hooks = cfg->hooks;
    d->nr_lrs = arch_vgic_nr_lrs();
    if (d->nr_lrs > VGIC_MAX_LRS) {
        d->nr_lrs = VGIC_MAX_LRS;
    }
    pri_bits = (unsigned)FIELD_GET(ICH_VTR_PRIBITS, arch_vgic_read_vtr()) + 1;
    d->lr_prio_mask = (uint8_t)(0xffu << (8 - pri_bits));
    for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++) {
        for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++) {
            struct vgic_irq *irq = &d->cpu[v].priv[i];
            irq->intid = (uint16_t)i;
            irq->owned = true;
            irq->hw = i == VGIC_VTIMER_INTID || i == VGIC_PMU_INTID;
            irq->pintid = irq->hw ? (uint16_t)i : 0;
        }
    }
    for (unsigned i = 0; i < VGIC_NR_SPIS; i++) {
        d->spi[i].intid = (uint16_t)(VGIC_SPI_BASE + i);
    }
    d->nr_owned_spis = cfg->nr_spis;
    for (unsigned i = 0; i < cfg->nr_spis; i++) {
        struct vgic_irq *irq = &d->spi[cfg->spis[i].intid - VGIC_SPI_BASE];
        d->owned_spi[i] = (uint8_t)(cfg->spis[i].intid - VGIC_SPI_BASE);
        d->owned_idx[cfg->spis[i].intid - VGIC_SPI_BASE] = (uint8_t)i;
        irq->owned = true;
        irq->hw = cfg->spis[i].hw;
        irq->pintid = irq->hw ? (uint16_t)cfg->spis[i].pintid : 0;
    }
    vgic_vm_reset(d);
    return 0;
}

/* Architectural reset values; identity (intid, owned, hw, pintid) survives. */
static void vgic_irq_reset(struct vgic_vm *d, struct vgic_irq *irq, unsigned owner)
{
    if (irq->hw && vgic_irq_busy(irq) && d->hooks.hw_set_active) {
        d->hooks.hw_set_active(d->hooks.ctx, irq->target == VGIC_NO_VCPU ? 0 : irq->target,
                               irq->pintid, false);
    }
    irq->priority = 0;
    irq->lr_vcpu = VGIC_NO_VCPU;
    irq->enabled = false;
    irq->group1 = false;
    /* SGIs are edge, PPIs level (the timer is); SPIs reset to level (GICD_ICFGR = 0). */
    irq->level = irq->intid >= VGIC_NR_SGIS;
    irq->line_level = false;
    irq->pending_latch = false;
    irq->lr_pending = false;
    irq->active = false;
    irq->irouter = 0; /* and a GICv2 SGI's sgi_src, lr_src */
    irq->target = irq->intid < VGIC_SPI_BASE ? (uint8_t)owner : vgic_route(d, 0);
    if (d->v2 && irq->intid >= VGIC_SPI_BASE) {
        irq->irouter = 1; /* GICv2: ITARGETSR = CPU 0, the same target as GICv3's reset */
    }
    if (vgic_irq_is_hw_spi(irq)) {
        if (d->hooks.hw_enable) {
            d->hooks.hw_enable(d->hooks.ctx, irq->pintid, false);
        }
        if (d->hooks.hw_route) {
            d->hooks.hw_route(d->hooks.ctx, irq->pintid, irq->target);
        }
    }
}

void vgic_vm_reset(struct vgic_vm *d)
{
    spin_lock(&d->lock);
    d->enable_grp0 = false;
    d->enable_grp1 = false;
    for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++) {
        struct vgic_cpu *c = &d->cpu[v];
        for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++) {
            vgic_irq_reset(d, &c->priv[i], v);
        }
        memset(c->lr_irq, 0, sizeof(c->lr_irq));
        memset(c->lr_shadow, 0, sizeof(c->lr_shadow));
        c->lr_used = 0;
        c->maybe_priv = ~(uint32_t)0;
        c->maybe_spi = ~(uint32_t)0;
        __atomic_store_n(&d->inbox[v], 0, __ATOMIC_RELAXED);
        c->sleeping = false;
    }
    __atomic_store_n(&d->level_post, 0, __ATOMIC_RELAXED); /* the lines are reset below */
#if VGIC_HAS_V2
    memset(d->sgi_post, 0, sizeof(d->sgi_post)); /* with the inboxes */
#endif
    for (unsigned i = 0; i < VGIC_NR_SPIS; i++) {
        if (d->spi[i].owned) {
            vgic_irq_reset(d, &d->spi[i], 0);
        }
    }
    d->dirty = (uint32_t)BIT(d->nr_vcpus) - 1;
    spin_unlock(&d->lock);
}

/* ------------------------------------------------------------------ injection */

/* The owned interrupt intid for vcpu, or NULL. */
static struct vgic_irq *vgic_irq_owned(struct vgic_vm *d, unsigned vcpu, uint32_t intid)
{
    struct vgic_irq *irq = vgic_irq_get(d, vcpu, intid);

    return irq && irq->owned ? irq : NULL;
}

uint32_t vgic_inject(struct vgic_vm *d, unsigned vcpu, uint32_t intid)
{
    uint32_t kick = 0;
    struct vgic_irq *irq;

    spin_lock(&d->lock);
    irq = vgic_irq_owned(d, vcpu, intid);
    if (irq) {
        if (vgic_irq_v2_sgi(d, irq)) {
            vgic_v2_sgi_raise(irq, vcpu); /* an SGI with no sender: its own CPU's */
        }
        irq->pending_latch = true;
        kick = vgic_irq_kick(d, irq);
    }
    spin_unlock(&d->lock);
    return kick;
}

uint32_t vgic_post_spi(struct vgic_vm *d, uint32_t intid)
{
    struct vgic_irq *irq;
    uint64_t bit;
    unsigned t;

    if (intid < VGIC_SPI_BASE || intid >= VGIC_NR_IRQS) {
        return 0;
    }
    irq = &d->spi[intid - VGIC_SPI_BASE];
    /* Read without the lock: a target changing meanwhile is caught by the taker, which
     * hands an edge that is not its own to the model (vgic_inbox_to_model). */
    t = __atomic_load_n(&irq->target, __ATOMIC_RELAXED);
    /* A disabled SPI takes the locked path too: it becomes pending in the model and kicks
     * nobody (vgic_irq_kick), and enabling it later, under the same lock, delivers it. So a
     * guest that rings another's disabled doorbell in a loop cannot make it exit. */
    if (!irq->owned || irq->hw || t >= d->nr_vcpus || !irq->enabled) {
        return vgic_inject(d, 0, intid);
    }
    bit = (uint64_t)1 << d->owned_idx[intid - VGIC_SPI_BASE];
    /* Already posted and not yet taken: the kick that came with it is on its way, and the
     * target takes both edges at once (an edge on a pending edge interrupt changes nothing). */
    if (__atomic_fetch_or(&d->inbox[t], bit, __ATOMIC_RELEASE) & bit) {
        return 0;
    }
    return (uint32_t)BIT(t);
}

uint32_t vgic_line_locked(struct vgic_vm *d, struct vgic_irq *irq, bool level)
{
    if (irq->hw || irq->line_level == level) {
        return 0;
    }
    irq->line_level = level;
    if (!irq->level && level) {
        irq->pending_latch = true; /* configured edge: a rising edge */
    }
    return irq->level || level ? vgic_irq_kick(d, irq) : 0;
}

/* Every posted level raise (vgic_post_level) into the model, under d->lock. */
static uint32_t vgic_level_take(struct vgic_vm *d)
{
    uint32_t bits = __atomic_exchange_n(&d->level_post, 0, __ATOMIC_ACQUIRE), kick = 0;

    for (; bits; bits &= bits - 1) {
        kick |= vgic_line_locked(d, &d->spi[d->owned_spi[__builtin_ctz(bits)]], true);
    }
    return kick;
}

uint32_t vgic_post_level(struct vgic_vm *d, uint32_t intid)
{
    const uint64_t flag = BIT(VGIC_INBOX_LEVEL);
    struct vgic_irq *irq;
    uint32_t bit;
    unsigned t;

    if (intid < VGIC_SPI_BASE || intid >= VGIC_NR_IRQS) {
        return 0;
    }
    irq = &d->spi[intid - VGIC_SPI_BASE];
    /* Read without the lock, as vgic_post_spi: the taker applies the raise to whatever the
     * SPI has become meanwhile (configuration, target, enable) and kicks accordingly. */
    t = __atomic_load_n(&irq->target, __ATOMIC_RELAXED);
    if (!irq->owned || irq->hw || !__atomic_load_n(&irq->level, __ATOMIC_RELAXED) ||
        t >= d->nr_vcpus || !__atomic_load_n(&irq->enabled, __ATOMIC_RELAXED)) {
        return vgic_set_level(d, 0, intid, true);
    }
    bit = (uint32_t)1 << d->owned_idx[intid - VGIC_SPI_BASE];
    /* Still posted: raised twice with no lowering between, which changes nothing. Then the
     * target's flag (release: the level bit before it); already set, its kick is on its way. */
    if ((__atomic_fetch_or(&d->level_post, bit, __ATOMIC_RELEASE) & bit) ||
        (__atomic_fetch_or(&d->inbox[t], flag, __ATOMIC_RELEASE) & flag)) {
        return 0;
    }
    return (uint32_t)BIT(t);
}

uint32_t vgic_inbox_to_model(struct vgic_vm *d, unsigned vcpu, uint64_t bits)
{
    uint32_t kick = 0;

    if (bits == 0) {
        return 0; /* the usual case on the general paths */
    }
    for (uint32_t spis = (uint32_t)bits; spis; spis &= spis - 1) {
        struct vgic_irq *irq = &d->spi[d->owned_spi[__builtin_ctz(spis)]];
        irq->pending_latch = true;
        kick |= vgic_irq_kick(d, irq);
    }
    for (uint32_t sgis = (uint32_t)(bits >> VGIC_INBOX_SGI) & (BIT(VGIC_NR_SGIS) - 1); sgis;
         sgis &= sgis - 1) {
        struct vgic_irq *irq = &d->cpu[vcpu].priv[__builtin_ctz(sgis) & (VGIC_NR_SGIS - 1)];
        if (vgic_irq_v2_sgi(d, irq)) {
            uint8_t src = vgic_v2_sgi_post_take(d, vcpu, irq->intid);
            if (!src) {
                continue; /* its sources came with an earlier bit */
            }
            irq->sgi_src |= src;
        }
        irq->pending_latch = true;
        kick |= vgic_irq_kick(d, irq);
    }
    if (bits & BIT(VGIC_INBOX_LEVEL)) {
        kick |= vgic_level_take(d);
    }
    return kick;
}

void vgic_inbox_fold(struct vgic_vm *d, unsigned vcpu)
{
    uint32_t kick;

    if (vcpu >= d->nr_vcpus || !__atomic_load_n(&d->inbox[vcpu], __ATOMIC_RELAXED)) {
        return;
    }
    spin_lock(&d->lock);
    kick = vgic_inbox_to_model(d, vcpu,
                               __atomic_exchange_n(&d->inbox[vcpu], 0, __ATOMIC_ACQUIRE));
    spin_unlock(&d->lock);
    vgic_kick(d, kick);
}

uint32_t vgic_inbox_fold_all(struct vgic_vm *d)
{
    uint32_t kick = 0;

    for (unsigned v = 0; v < d->nr_vcpus; v++) {
        if (__atomic_load_n(&d->inbox[v], __ATOMIC_RELAXED)) {
            kick |= vgic_inbox_to_model(
                d, v, __atomic_exchange_n(&d->inbox[v], 0, __ATOMIC_ACQUIRE));
        }
    }
    /* a raise posted to a target that has moved, or whose flag is not set yet */
    if (__atomic_load_n(&d->level_post, __ATOMIC_RELAXED)) {
        kick |= vgic_level_take(d);
    }
    return kick;
}

uint32_t vgic_inject_hw(struct vgic_vm *d, unsigned vcpu, uint32_t intid, uint32_t pintid)
{
    uint32_t kick = 0;
    struct vgic_irq *irq;

    /* The physical INTID is fixed by the configuration; the caller's copy only documents
     * which physical interrupt it left active. */
    (void)pintid;
    spin_lock(&d->lock);
    irq = vgic_irq_owned(d, vcpu, intid);
    if (irq) {
        /* HW level: pending while the source asserts it (resampled); edge: latched */
        if (vgic_irq_is_hw_level(irq)) {
            irq->line_level = true;
        } else {
            irq->pending_latch = true;
        }
        kick = vgic_irq_kick(d, irq);
    }
    spin_unlock(&d->lock);
    return kick;
}

uint32_t vgic_set_level(struct vgic_vm *d, unsigned vcpu, uint32_t intid, bool level)
{
    uint32_t kick = 0;
    struct vgic_irq *irq;

    spin_lock(&d->lock);
    /* Raises posted before this change come first (a lowering must not be overtaken by a
     * raise that preceded it: the line would be delivered after it dropped). */
    if (__atomic_load_n(&d->level_post, __ATOMIC_RELAXED)) {
        kick = vgic_level_take(d);
    }
    irq = vgic_irq_owned(d, vcpu, intid);
    if (irq) {
        kick |= vgic_line_locked(d, irq, level);
    }
    spin_unlock(&d->lock);
    return kick;
}

/* vCPUs an ICC_SGI1R_EL1-format value names, the sender excluded for IRM = 1. */
static uint32_t vgic_sgi_targets(const struct vgic_vm *d, unsigned src, uint64_t sgir)
{
    uint32_t mask = 0;
    unsigned base = (unsigned)FIELD_GET(ICC_SGIR_RS, sgir) * 16;
    uint64_t list = FIELD_GET(ICC_SGIR_TARGETLIST, sgir);

    if (sgir & ICC_SGIR_IRM) {
        return VGIC_ALL_VCPUS(d) & ~(uint32_t)BIT(src);
    }
    /* Our vCPUs are Aff3.Aff2.Aff1 = 0.0.0, Aff0 = index: TargetList bit b is vCPU
     * RS * 16 + b, and only vCPUs 0..nr_vcpus - 1 (< 32) exist. */
    if (sgir & (ICC_SGIR_AFF1 | ICC_SGIR_AFF2 | ICC_SGIR_AFF3) || base >= 32) {
        return 0;
    }
    mask = (uint32_t)(list << base);
    return mask & VGIC_ALL_VCPUS(d);
}

static uint32_t vgic_sgi_send(struct vgic_vm *d, unsigned src, uint64_t sgir, bool allow_g1)
{
    unsigned intid = (unsigned)FIELD_GET(ICC_SGIR_INTID, sgir);
    uint32_t targets, kick = 0;

    if (src >= d->nr_vcpus) {
        return 0;
    }
    targets = vgic_sgi_targets(d, src, sgir);
    for (; targets; targets &= targets - 1) {
        unsigned t = (unsigned)__builtin_ctz(targets);
        struct vgic_irq *irq = &d->cpu[t].priv[intid];
        uint64_t bit = (uint64_t)1 << (VGIC_INBOX_SGI + intid);
        /* A Group 0 request cannot raise a Group 1 SGI (GIC spec 12.2.x, DS = 1). Read
         * without the lock, like the enable below: the request is ordered before a change
         * made meanwhile, and the taker checks the target's state again (vgic_fast.c). */
        if (__atomic_load_n(&irq->group1, __ATOMIC_RELAXED) && !allow_g1) {
            continue;
        }
        if (!__atomic_load_n(&irq->enabled, __ATOMIC_RELAXED)) {
            /* pending in the model, which kicks nobody; enabling it delivers it */
            spin_lock(&d->lock);
            if (vgic_irq_v2_sgi(d, irq)) {
                vgic_v2_sgi_raise(irq, src); /* from src (docs/VGIC.md "GICv2") */
            }
            irq->pending_latch = true;
            kick |= vgic_irq_kick(d, irq);
            spin_unlock(&d->lock);
            continue;
        }
#if VGIC_HAS_V2
        /* GICv2: pending per source. The source goes with the post; already posted from src
         * and not taken: nothing changes, and its kick is on its way. */
        if (d->v2 && (__atomic_fetch_or(&d->sgi_post[t][intid], (uint8_t)BIT(src),
                                        __ATOMIC_RELAXED) & BIT(src))) {
            continue;
        }
#endif
        /* Posted (vgic_post_spi): already posted and not yet taken means its kick is on
         * its way, and one pending bit holds both (GICv2: and the sources their byte). */
        if (!(__atomic_fetch_or(&d->inbox[t], bit, __ATOMIC_RELEASE) & bit)) {
            kick |= (uint32_t)BIT(t);
        }
    }
    return kick;
}

uint32_t vgic_sgi(struct vgic_vm *d, unsigned src_vcpu, uint64_t sgir)
{
    return vgic_sgi_send(d, src_vcpu, sgir, true);
}

uint32_t vgic_sgi0(struct vgic_vm *d, unsigned src_vcpu, uint64_t sgir)
{
    return vgic_sgi_send(d, src_vcpu, sgir, false);
}
