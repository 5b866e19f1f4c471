// SPDX-License-Identifier: MIT
/*
 * List-register management for the GICv3 virtual CPU interface (GIC spec IHI 0069H chapter 6,
 * "Virtual interrupt handling and prioritization", and the ICH_* registers of 12.5). vCPUs are
 * pinned, so a vCPU's LRs stay live in its pCPU's hardware between exits: after an exit we
 * fold what the guest did (acknowledge: pending -> active; deactivate: active -> invalid) back
 * into the model, and before an entry we reconcile the LRs with model changes and fill free
 * ones with the best deliverable interrupts. A per-LR shadow holds what the LR held when we
 * last looked, which is how guest actions are told apart from changes made by other vCPUs.
 *
 * Lock order: d->lock only; the kick hook runs after it is dropped.
 */
#include <core/vgic/vgic_priv.h>

#include <arch/cpu.h>
#include <arch/vgic_hw.h>

/* ------------------------------------------------------------------ encoding */

uint64_t vgic_lr_encode(const struct vgic_lr *lr)
{
    uint64_t v = FIELD_PREP(ICH_LR_VINTID, lr->vintid) | FIELD_PREP(ICH_LR_PRIORITY, lr->priority);

    if (lr->group1) {
        v |= ICH_LR_GROUP;
    }
    if (lr->hw) {
        v |= ICH_LR_HW | FIELD_PREP(ICH_LR_PINTID, lr->pintid);
    } else if (lr->eoi) {
        v |= ICH_LR_EOI;
    }
    if (VGIC_HAS_V2 && !lr->hw) {
        v |= FIELD_PREP(ICH_LR_V2_SOURCE, lr->source);
    }
    if (lr->pending) {
        v |= ICH_LR_PENDING;
    }
    if (lr->active) {
        v |= ICH_LR_ACTIVE;
    }
    return v;
}

struct vgic_lr vgic_lr_decode(uint64_t v)
{
    bool hw = v & ICH_LR_HW;

    return (struct vgic_lr){
        .vintid = (uint32_t)FIELD_GET(ICH_LR_VINTID, v),
        .pintid = hw ? (uint32_t)FIELD_GET(ICH_LR_PINTID, v) : 0,
        .priority = (uint8_t)FIELD_GET(ICH_LR_PRIORITY, v),
        .group1 = v & ICH_LR_GROUP,
        .hw = hw,
        .eoi = !hw && (v & ICH_LR_EOI),
        .pending = v & ICH_LR_PENDING,
        .active = v & ICH_LR_ACTIVE,
        .source = VGIC_HAS_V2 && !hw ? (uint8_t)FIELD_GET(ICH_LR_V2_SOURCE, v) : 0,
    };
}

/* ------------------------------------------------------------------ one LR */

/*
 * Decide what irq's LR on vcpu must show and move pending state between model and LR:
 * a new edge while the LR still shows pending merges into it; pending goes back to the model
 * when irq is no longer deliverable here (disabled, group off, retargeted, asleep) or, for a
 * level interrupt, when the line and latch dropped; model pending joins an active LR as
 * pending+active except for level interrupts (resampled at EOI) and HW ones (the physical GIC
 * keeps that state). Returns false when irq needs no LR. *pending receives the LR's P bit.
 */
static bool vgic_lr_decide(struct vgic_vm *d, unsigned vcpu, struct vgic_irq *irq, bool *pending)
{
    bool deliver = vgic_irq_deliverable(d, irq, vcpu);
    bool level = vgic_irq_is_level(irq);
    bool hwl = vgic_irq_is_hw_level(irq);
    bool v2sgi = vgic_irq_v2_sgi(d, irq);
    bool p = irq->lr_pending;

    /* What an LR takes: an edge's latch; a HW level interrupt's taken line (its software
     * latch stays until ack); nothing of a virtual level one (the model keeps the line); of
     * a GICv2 SGI, only another one from the source the LR shows. */
    if (p && hwl) {
        irq->line_level = false;
    } else if (p && v2sgi) {
        (void)vgic_v2_sgi_take(irq, true);
    } else if (p && !level) {
        irq->pending_latch = false;
    }
    if (p && (!deliver || (level && !vgic_irq_model_pending(irq)))) {
        p = false;
        irq->line_level |= hwl; /* resampled before it is offered again */
        if (v2sgi) {
            vgic_v2_sgi_unlr(irq);
        } else {
            irq->pending_latch |= !level && !hwl;
        }
    }
    if (!p && deliver && vgic_irq_model_pending(irq) && (!irq->active || (!level && !irq->hw))) {
        if (v2sgi) {
            /* an active one keeps its source: another source waits for its deactivation
             * (the EOI maintenance vgic_lr_build asks for while sources remain) */
            p = vgic_v2_sgi_take(irq, irq->active);
        } else {
            p = true;
            if (hwl) {
                irq->line_level = false;
            } else if (!level) {
                irq->pending_latch = false;
            }
        }
    }
    irq->lr_pending = p;
    *pending = p;
    return p || irq->active;
}

/*
 * The LR value for irq. EOI asks for a maintenance interrupt at deactivation, needed to
 * resample a level line or to hand on pending state the LR could not take. An active LR keeps
 * the priority and group it was acknowledged with: the active-priority registers hold it.
 */
static uint64_t vgic_lr_build(const struct vgic_vm *d, const struct vgic_irq *irq, bool pending,
                              uint64_t cur)
{
    struct vgic_lr lr = {
        .vintid = irq->intid,
        .pintid = irq->pintid,
        .priority = irq->priority & d->lr_prio_mask,
        .group1 = irq->group1,
        .hw = irq->hw,
        .eoi = !irq->hw && (vgic_irq_is_level(irq) || irq->pending_latch),
        .pending = pending,
        .active = irq->active,
        .source = vgic_irq_v2_sgi(d, irq) ? irq->lr_src : 0,
    };

    if (cur & ICH_LR_ACTIVE) {
        struct vgic_lr old = vgic_lr_decode(cur);
        lr.priority = old.priority;
        lr.group1 = old.group1;
    }
    return vgic_lr_encode(&lr);
}

/* Unlink LR i. An LR that is empty in ICH_ELRSR_EL2 terms may keep stale bits; one still
 * valid or waiting for EOI maintenance is cleared. */
static void vgic_lr_release(struct vgic_vm *d, unsigned vcpu, unsigned i)
{
    struct vgic_cpu *c = &d->cpu[vcpu];
    uint64_t v = c->lr_shadow[i];

    if ((v & ICH_LR_STATE) || (!(v & ICH_LR_HW) && (v & ICH_LR_EOI))) {
        arch_vgic_write_lr(i, 0);
    }
    c->lr_irq[i]->lr_vcpu = VGIC_NO_VCPU;
    vgic_note(d, c->lr_irq[i]);
    c->lr_irq[i] = NULL;
    c->lr_shadow[i] = 0;
    c->lr_used &= ~(uint32_t)BIT(i);
}

/* Push a pending-only LR back to the model (it has not been acknowledged). */
static void vgic_lr_evict(struct vgic_vm *d, unsigned vcpu, unsigned i)
{
    struct vgic_irq *irq = d->cpu[vcpu].lr_irq[i];

    if (vgic_irq_is_hw_level(irq)) {
        irq->line_level |= irq->lr_pending;
    } else if (vgic_irq_v2_sgi(d, irq)) {
        if (irq->lr_pending) {
            vgic_v2_sgi_unlr(irq); /* its source is pending in the model again */
        }
    } else {
        irq->pending_latch |= irq->lr_pending && !vgic_irq_is_level(irq);
    }
    irq->lr_pending = false;
    vgic_lr_release(d, vcpu, i);
}

/* Apply to the model what the guest did to LR i since we last looked (now = its value). */
static void vgic_lr_fold(struct vgic_vm *d, unsigned vcpu, unsigned i, uint64_t now,
                         uint32_t *kick)
{
    struct vgic_cpu *c = &d->cpu[vcpu];
    struct vgic_irq *irq = c->lr_irq[i];
    uint64_t was = c->lr_shadow[i];
    bool acked = (was & ICH_LR_PENDING) && !(now & ICH_LR_PENDING);

    if (now == was) {
        return;
    }
    if (acked) {
        irq->lr_pending = false;
        irq->active = true;
        if (irq->level) {
            irq->pending_latch = false; /* ISPENDR state of a level interrupt ends at ack */
        }
    }
    if (((was & ICH_LR_ACTIVE) || acked) && !(now & ICH_LR_ACTIVE)) {
        irq->active = false; /* for HW=1 the hardware deactivated the physical one too */
    }
    c->lr_shadow[i] = now;
    if (!(now & ICH_LR_STATE)) {
        vgic_lr_release(d, vcpu, i);
        *kick |= vgic_irq_kick(d, irq) & ~(uint32_t)BIT(vcpu);
    }
}

/* Bring LR i in line with model changes made since the last flush (flush phase 1). */
static void vgic_lr_refresh(struct vgic_vm *d, unsigned vcpu, unsigned i, uint32_t *kick)
{
    struct vgic_cpu *c = &d->cpu[vcpu];
    struct vgic_irq *irq = c->lr_irq[i];
    uint64_t val;
    bool p;

    if (!vgic_lr_decide(d, vcpu, irq, &p)) {
        vgic_lr_release(d, vcpu, i);
        *kick |= vgic_irq_kick(d, irq) & ~(uint32_t)BIT(vcpu);
        return;
    }
    val = vgic_lr_build(d, irq, p, c->lr_shadow[i]);
    if (val != c->lr_shadow[i]) {
        arch_vgic_write_lr(i, val);
        c->lr_shadow[i] = val;
    }
}

/* ------------------------------------------------------------------ candidates */

/* Active ones first (they must be in an LR for the guest to deactivate them), then priority,
 * then INTID. Smaller is better. */
static uint32_t vgic_cand_key(const struct vgic_irq *irq)
{
    return ((uint32_t)!irq->active << 24) | ((uint32_t)irq->priority << 16) | irq->intid;
}

static void vgic_cand_add(struct vgic_cands *c, struct vgic_irq *irq)
{
    uint32_t key = vgic_cand_key(irq);
    unsigned i;

    c->total++;
    if (c->n == c->cap) {
        if (c->cap == 0 || key >= c->key[c->n - 1]) {
            return;
        }
        c->n--;
    }
    for (i = c->n; i > 0 && c->key[i - 1] > key; i--) {
        c->key[i] = c->key[i - 1];
        c->irq[i] = c->irq[i - 1];
    }
    c->key[i] = key;
    c->irq[i] = irq;
    c->n++;
}

static bool vgic_wants_lr(const struct vgic_vm *d, const struct vgic_irq *irq, unsigned vcpu)
{
    if (!irq->owned || vgic_irq_in_lr(irq) || irq->target != vcpu) {
        return false;
    }
    return irq->active || (vgic_irq_model_pending(irq) && vgic_irq_deliverable(d, irq, vcpu));
}

/* A HW level interrupt taken while it could not be delivered (disabled, asleep...) is offered
 * only if its source still asserts it: a timer stopped meanwhile must not fire late. */
static bool vgic_wants_lr_now(struct vgic_vm *d, struct vgic_irq *irq, unsigned vcpu,
                              uint32_t *kick)
{
    if (!vgic_wants_lr(d, irq, vcpu)) {
        return false;
    }
    if (vgic_irq_is_hw_level(irq) && irq->line_level && !irq->active) {
        vgic_hw_resample(d, irq, vcpu, kick);
        return vgic_wants_lr(d, irq, vcpu);
    }
    return true;
}

static void vgic_cands_collect(struct vgic_vm *d, unsigned vcpu, struct vgic_cands *c,
                               uint32_t *kick)
{
    struct vgic_cpu *cpu = &d->cpu[vcpu];
    uint32_t maybe = cpu->maybe_priv;

    /* Only interrupts noted since they last left the model (vgic_note_private) can want an
     * LR; a noted one that is neither pending nor active any more is forgotten here. */
    while (maybe) {
        unsigned i = (unsigned)__builtin_ctz(maybe);
        struct vgic_irq *irq = &cpu->priv[i];
        maybe &= maybe - 1;
        if (!(irq->pending_latch | irq->line_level | irq->active)) {
            cpu->maybe_priv &= ~((uint32_t)1 << i);
        } else if (vgic_wants_lr_now(d, irq, vcpu, kick)) {
            vgic_cand_add(c, irq);
        }
    }
    /* The same for the VM's SPIs; one noted for this vCPU that has been retargeted since
     * was noted for its new target too (irouter changes go through vgic_irq_kick). */
    maybe = cpu->maybe_spi & ((uint32_t)BIT(d->nr_owned_spis) - 1);
    while (maybe) {
        unsigned k = (unsigned)__builtin_ctz(maybe);
        struct vgic_irq *irq = &d->spi[d->owned_spi[k]];
        maybe &= maybe - 1;
        if (!(irq->pending_latch | irq->line_level | irq->active) || irq->target != vcpu) {
            cpu->maybe_spi &= ~((uint32_t)1 << k);
        } else if (vgic_wants_lr_now(d, irq, vcpu, kick)) {
            vgic_cand_add(c, irq);
        }
    }
}

/*
 * The pending-only LR to give up for cand: the one with the lowest priority, if cand beats it
 * as the CPU interface sees priorities (an active cand always wins). -1 if none.
 */
static int vgic_lr_victim(const struct vgic_vm *d, unsigned vcpu, const struct vgic_irq *cand)
{
    const struct vgic_cpu *c = &d->cpu[vcpu];
    uint32_t worst = 0;
    int victim = -1;

    for (unsigned i = 0; i < VGIC_MAX_LRS; i++) {
        const struct vgic_irq *irq = c->lr_irq[i];
        uint32_t key;
        if (!(c->lr_used & BIT(i)) || (c->lr_shadow[i] & ICH_LR_ACTIVE)) {
            continue;
        }
        key = ((uint32_t)(irq->priority & d->lr_prio_mask) << 16) | irq->intid;
        if (victim < 0 || key > worst) {
            victim = (int)i;
            worst = key;
        }
    }
    if (victim >= 0 && !cand->active &&
        (uint32_t)(cand->priority & d->lr_prio_mask) >= worst >> 16) {
        return -1;
    }
    return victim;
}

/* Flush phase 2: fill free LRs, evict if that lets a better interrupt in, arm underflow. */
static void vgic_lr_fill(struct vgic_vm *d, unsigned vcpu, uint32_t *kick)
{
    struct vgic_cpu *c = &d->cpu[vcpu];
    struct vgic_cands *cands = &d->cands; /* only n, cap, total need a value */
    uint32_t all = (uint32_t)BIT(d->nr_lrs) - 1;
    unsigned k = 0, evicted = 0;
    uint64_t hcr, want;

    cands->n = 0;
    cands->cap = d->nr_lrs;
    cands->total = 0;
    vgic_cands_collect(d, vcpu, cands, kick);
    for (; k < cands->n; k++) {
        uint32_t free = all & ~c->lr_used;
        struct vgic_irq *irq = cands->irq[k];
        int i = free ? __builtin_ctz(free) : vgic_lr_victim(d, vcpu, irq);
        bool p;
        if (i < 0) {
            break;
        }
        if (!free) {
            vgic_lr_evict(d, vcpu, (unsigned)i);
            evicted++;
        }
        if (vgic_lr_decide(d, vcpu, irq, &p)) {
            vgic_lr_put(d, vcpu, (unsigned)i, irq, vgic_lr_build(d, irq, p, 0));
        }
    }
    d->stats.evictions += evicted;
    /* Interrupts left waiting: a maintenance interrupt when at most one LR is still valid
     * (UIE) brings us back to refill. En must stay set for the guest to see anything. */
    hcr = arch_vgic_read_hcr();
    want = (hcr | ICH_HCR_EN) & ~ICH_HCR_UIE;
    if ((cands->total > k || evicted) && d->nr_lrs > 1) { /* 1 LR: U would fire at once */
        want |= ICH_HCR_UIE;
        d->stats.overflows++;
    }
    /* Interrupts still waiting for an LR keep this vCPU dirty until they are in. */
    if (cands->total > k || evicted) {
        d->dirty |= (uint32_t)BIT(vcpu);
    }
    if (want != hcr) {
        arch_vgic_write_hcr(want);
    }
}

/* ------------------------------------------------------------------ public entry points */

/*
 * A HW-linked level interrupt still only pending in LR i (not acknowledged): EL2 holds the
 * physical one active, so the physical GIC cannot withdraw it when its line drops (the guest
 * masked its timer, the device cleared its request). Resample the source; if low, the
 * interrupt is no longer pending: clear it and complete the physical one (as KVM folds mapped
 * level IRQs). Software pending (ISPENDR) stays until acknowledged, like on a GIC.
 */
static void vgic_lr_resample_hw(struct vgic_vm *d, unsigned vcpu, unsigned i, uint32_t *kick)
{
    struct vgic_cpu *c = &d->cpu[vcpu];
    struct vgic_irq *irq = c->lr_irq[i];
    uint64_t v = c->lr_shadow[i];

    if (!(v & ICH_LR_HW) || (v & ICH_LR_STATE) != ICH_LR_PENDING ||
        !vgic_irq_is_hw_level(irq) || irq->pending_latch || !d->hooks.hw_line ||
        d->hooks.hw_line(d->hooks.ctx, vcpu, irq->pintid)) {
        return;
    }
    irq->lr_pending = false;
    irq->line_level = false;
    vgic_lr_release(d, vcpu, i);
    if (d->hooks.hw_set_active) {
        d->hooks.hw_set_active(d->hooks.ctx, vcpu, irq->pintid, false);
    }
    *kick |= vgic_irq_kick(d, irq) & ~(uint32_t)BIT(vcpu);
}

void vgic_sync_locked(struct vgic_vm *d, unsigned vcpu, uint32_t *kick)
{
    struct vgic_cpu *c = &d->cpu[vcpu];
    uint32_t used = c->lr_used, elrsr;

    c->sync_gen++;
    if (!used) {
        return;
    }
    elrsr = arch_vgic_read_elrsr();
    for (; used; used &= used - 1) {
        unsigned i = (unsigned)__builtin_ctz(used);
        /* ELRSR says "empty": the state is invalid without reading the LR. */
        uint64_t now = (elrsr & BIT(i)) ? c->lr_shadow[i] & ~ICH_LR_STATE : arch_vgic_read_lr(i);
        vgic_lr_fold(d, vcpu, i, now, kick);
        if (c->lr_used & BIT(i)) {
            vgic_lr_resample_hw(d, vcpu, i, kick);
        }
    }
}

void vgic_sync_lrs_slow(struct vgic_vm *d, unsigned vcpu)
{
    uint32_t kick = 0;

    /* lr_used only changes on this vCPU's own pCPU (or at reset, with the vCPU parked). */
    if (vcpu >= d->nr_vcpus || !d->cpu[vcpu].lr_used) {
        return;
    }
    spin_lock(&d->lock);
    /* What the guest did needs no refill by itself: an interrupt that leaves its LR while
     * still pending in the model, or one that became pending meanwhile, was marked dirty
     * for its target by vgic_irq_kick (in the fold, or by whoever changed it). */
    vgic_sync_locked(d, vcpu, &kick);
    spin_unlock(&d->lock);
    arch_wake_all(); /* a remote reader may wait for this sync (vgic_mmio_access) */
    vgic_kick(d, kick);
}

/* The flush itself, under d->lock, when vcpu is dirty. */
void vgic_flush_locked(struct vgic_vm *d, unsigned vcpu, uint32_t *kick)
{
    d->dirty &= ~(uint32_t)BIT(vcpu);
    for (uint32_t used = d->cpu[vcpu].lr_used; used; used &= used - 1) {
        vgic_lr_refresh(d, vcpu, (unsigned)__builtin_ctz(used), kick);
    }
    vgic_lr_fill(d, vcpu, kick);
}

/* vcpu's posted edges (vgic_post_spi), taken: the caller holds d->lock. */
uint64_t vgic_inbox_take(struct vgic_vm *d, unsigned vcpu)
{
    if (!__atomic_load_n(&d->inbox[vcpu], __ATOMIC_RELAXED)) {
        return 0;
    }
    return __atomic_exchange_n(&d->inbox[vcpu], 0, __ATOMIC_ACQUIRE);
}

void vgic_flush_lrs_slow(struct vgic_vm *d, unsigned vcpu)
{
    uint32_t kick;

    if (vcpu >= d->nr_vcpus || !vgic_vcpu_pending_work(d, vcpu)) {
        return;
    }
    spin_lock(&d->lock);
    kick = vgic_inbox_to_model(d, vcpu, vgic_inbox_take(d, vcpu));
    if ((d->dirty & (uint32_t)BIT(vcpu)) && !vgic_flush_fast_locked(d, vcpu) &&
        (d->dirty & (uint32_t)BIT(vcpu))) {
        vgic_flush_locked(d, vcpu, &kick);
    }
    spin_unlock(&d->lock);
    vgic_kick(d, kick & ~(uint32_t)BIT(vcpu));
}

void vgic_maintenance(struct vgic_vm *d, unsigned vcpu)
{
    if (vcpu >= d->nr_vcpus) {
        return;
    }
    /* EOI (EISR), underflow and no-pending causes are all handled by a full sync + refill;
     * MISR is read for the record only. */
    (void)arch_vgic_read_misr();
    spin_lock(&d->lock);
    d->stats.maintenance++;
    spin_unlock(&d->lock);
    vgic_sync_lrs(d, vcpu);
    vgic_flush_lrs(d, vcpu);
}

/*
 * ICH_VTR_EL2 is fixed by the implementation: vgic_hw_reset_cpu, which every pCPU runs at
 * bring-up, keeps it for vgic_lrs_check, which read it three times on every trapped WFI's
 * wake-up before (under QEMU every GIC register access is a call into its GIC model under
 * its global lock; GICH_VTR is an MMIO read on a GICv2). Every pCPU reads the same value,
 * which d->nr_lrs (vgic_vm_init) assumes as well, so a later vgic_hw_reset_cpu (a vCPU's
 * reset) rewrites it unchanged while others may read it: a plain aligned 64-bit access,
 * single-copy atomic (an __atomic load cost the idle path 3 instructions).
 */
static uint64_t lrs_vtr;

void vgic_hw_reset_cpu(void)
{
    uint64_t vtr = arch_vgic_read_vtr();
    unsigned nr_lrs = arch_vgic_nr_lrs();
    /* PREbits + 1 preemption bits need 2^(PREbits + 1 - 5) active-priority registers. */
    unsigned nr_apr = 1u << (FIELD_GET(ICH_VTR_PREBITS, vtr) + 1 - 5);

    arch_vgic_write_hcr(0);
    for (unsigned i = 0; i < nr_lrs && i < VGIC_MAX_LRS; i++) {
        arch_vgic_write_lr(i, 0);
    }
    for (unsigned n = 0; n < nr_apr; n++) {
        arch_vgic_write_ap0r(n, 0);
        arch_vgic_write_ap1r(n, 0);
    }
    arch_vgic_write_vmcr(0);
    lrs_vtr = vtr; /* the same value from every pCPU */
}

enum vgic_lrs vgic_lrs_check(void)
{
    uint64_t vtr = lrs_vtr;
    unsigned nr_lrs = (unsigned)(vtr & 0x1f) + 1; /* ListRegs + 1, as arch_vgic_nr_lrs */
    uint32_t live = ~arch_vgic_read_elrsr() & (uint32_t)((UINT64_C(1) << nr_lrs) - 1);
    unsigned best = 0x100; /* the highest priority a pending LR offers; 0x100: none */

    if (live == 0) {
        return VGIC_LRS_EMPTY;
    }
    uint64_t vmcr = arch_vgic_read_vmcr();
    unsigned pmr = (unsigned)FIELD_GET(ICH_VMCR_VPMR, vmcr);
    for (; live != 0; live &= live - 1) {
        uint64_t lr = arch_vgic_read_lr((unsigned)__builtin_ctz(live));
        unsigned prio = (unsigned)FIELD_GET(ICH_LR_PRIORITY, lr);
        bool enabled = (lr & ICH_LR_GROUP) ? (vmcr & ICH_VMCR_VENG1) : (vmcr & ICH_VMCR_VENG0);

        if ((lr & ICH_LR_STATE) == ICH_LR_PENDING && enabled && prio < pmr && prio < best) {
            best = prio;
        }
    }
    if (best == 0x100) {
        return VGIC_LRS_QUIET;
    }
    /* Running priority: the highest (lowest-numbered) active group priority, one
     * active-priority bit per group priority; idle above every priority. */
    unsigned prebits = (unsigned)FIELD_GET(ICH_VTR_PREBITS, vtr) + 1;
    unsigned nr_apr = 1u << (prebits - 5);
    for (unsigned n = 0; n < nr_apr && n < 4; n++) {
        uint32_t a = arch_vgic_read_ap0r(n) | arch_vgic_read_ap1r(n);
        if (a) {
            unsigned running = (n * 32 + (unsigned)__builtin_ctz(a)) << (8 - prebits);
            return (best & (0xffu << (8 - prebits)) & 0xffu) < running ? VGIC_LRS_SIGNAL
                                                                         : VGIC_LRS_QUIET;
        }
    }
    return VGIC_LRS_SIGNAL;
}

bool vgic_lrs_signal(void)
{
    return vgic_lrs_check() == VGIC_LRS_SIGNAL;
}

_Static_assert(VGIC_LRS_HCR_EN == ICH_HCR_EN, "vgic_lrs_sleep_quiet's En");

/* refill: mark vcpu for a flush at its next entry even when its LRs held nothing. Inlined
 * into both callers: the shared pCPU's switch pays for no call or flag test (make bench). */
static inline __attribute__((always_inline)) void reset_hw(struct vgic_vm *d, unsigned vcpu,
                                                            bool refill)
{
    uint32_t kick = 0;

    if (vcpu >= d->nr_vcpus) {
        return;
    }
    spin_lock(&d->lock);
    kick = vgic_inbox_to_model(d, vcpu, vgic_inbox_take(d, vcpu)); /* posted edges stay */
    vgic_sync_locked(d, vcpu, &kick);
    refill |= d->cpu[vcpu].lr_used != 0;
    for (unsigned i = 0; i < VGIC_MAX_LRS; i++) {
        if (d->cpu[vcpu].lr_used & BIT(i)) {
            struct vgic_irq *irq = d->cpu[vcpu].lr_irq[i];
            vgic_lr_evict(d, vcpu, i); /* pending back to the model; active stays active */
            kick |= vgic_irq_kick(d, irq);
        }
    }
    if (refill) {
        d->dirty |= (uint32_t)BIT(vcpu); /* the LRs are about to be wiped: refill on entry */
    }
    d->cpu[vcpu].maybe_priv = ~(uint32_t)0;
    d->cpu[vcpu].maybe_spi = ~(uint32_t)0;
    spin_unlock(&d->lock);
    vgic_hw_reset_cpu();
    vgic_kick(d, kick & ~(uint32_t)BIT(vcpu));
}

void vgic_vcpu_reset_hw(struct vgic_vm *d, unsigned vcpu)
{
    reset_hw(d, vcpu, true);
}

void vgic_vcpu_switch_out(struct vgic_vm *d, unsigned vcpu)
{
    /* Empty LRs: nothing to put back, and whatever the model holds for vcpu marked it dirty
     * when it changed (vgic_irq_kick). Marking it here would read as a wake-up to the
     * scheduler (vgic_vcpu_pending_work) of a vCPU that has nothing to do. */
    reset_hw(d, vcpu, false);
}
