/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by core/vgic/vgic*.c: interrupt state transitions (vgic.c), the MMIO register
 * table machinery (vgic_mmio.c) and the list-register encoding (vgic_lr.c). Not for other
 * modules; unit tests include it to check tables and encodings.
 *
 * State model of one interrupt (docs/VGIC.md has the long version):
 *   - pending_latch: an edge or software-set pending state not yet given to a list register.
 *     Handing it to an LR moves it there (lr_pending); a new edge while the LR still shows
 *     pending merges, one after the guest acknowledged becomes pending+active.
 *   - level interrupts are pending while line_level || pending_latch (ISPENDR); their LR
 *     carries the EOI bit so deactivation exits and the line is resampled.
 *   - HW-linked interrupts behave as edges here: the physical GIC holds the level; the
 *     physical interrupt stays active until the guest deactivates the virtual one.
 *   - while an interrupt sits in vCPU v's LR, only v's pCPU writes that LR; others change the
 *     model under d->lock and kick v, whose next flush reconciles the LR.
 */
#pragma once

#include <core/vgic/vgic.h>
#include <core/vgic/vgic_regs.h>

#include <arch/vgic_hw.h>

/* ------------------------------------------------------------------ interrupt state */

#define VGIC_ALL_VCPUS(d) ((uint32_t)BIT((d)->nr_vcpus) - 1)

/* Record that an interrupt may want a list register of its target (vgic_cpu.maybe_priv,
 * maybe_spi): every change that could make it want one ends here (vgic_irq_kick). */
static inline void vgic_note(struct vgic_vm *d, const struct vgic_irq *irq)
{
    if (irq->target >= VGIC_MAX_VCPUS) {
        return;
    }
    if (irq->intid < VGIC_NR_PRIVATE) {
        d->cpu[irq->target].maybe_priv |= (uint32_t)1 << irq->intid;
    } else if (irq->owned) {
        d->cpu[irq->target].maybe_spi |= (uint32_t)1 << d->owned_idx[irq->intid - VGIC_SPI_BASE];
    }
}

static inline bool vgic_irq_in_lr(const struct vgic_irq *irq)
{
    return irq->lr_vcpu != VGIC_NO_VCPU;
}

/* Virtual level interrupts: the model holds the line, an EOI maintenance resamples it. */
static inline bool vgic_irq_is_level(const struct vgic_irq *irq)
{
    return irq->level && !irq->hw;
}

/*
 * HW-linked level interrupts (the virtual timer, a pass-through SPI left level): line_level
 * is a physical interrupt EL2 took (and holds active) that no list register holds yet; it
 * moves into an LR like an edge, and is withdrawn when the source no longer asserts it
 * (vgic_hw_resample). pending_latch is only software pending (ISPENDR), kept until ack.
 */
static inline bool vgic_irq_is_hw_level(const struct vgic_irq *irq)
{
    return irq->level && irq->hw;
}

/* Pending state held by the model itself (not counting a list register). */
static inline bool vgic_irq_model_pending(const struct vgic_irq *irq)
{
    return irq->pending_latch || (irq->level && irq->line_level);
}

/*
 * SGIs of a GICv2 VM are pending per source CPU (IHI 0048B 3.2.x): vgic_irq.sgi_src holds the
 * sources the model has, lr_src the one an LR shows (GICH_LR.CPUID, GICC_IAR.CPUID), one
 * source per LR at a time as KVM's vgic-v2 does. GICv2 VMs exist only on GICv2 hardware, so a
 * GICv3 build (PLAT_GIC_VERSION 3) compiles all of it out of its paths; the host unit tests
 * build both.
 */
#if defined(PLAT_GIC_VERSION) && PLAT_GIC_VERSION == 3
#define VGIC_HAS_V2 0
#else
#define VGIC_HAS_V2 1
#endif

#if VGIC_HAS_V2
/* The sources of SGI n posted to vcpu (vgic_vm.sgi_post), taken: the caller took (or is
 * taking) the SGI's inbox bit. 0: an earlier taker had them already. */
static inline uint8_t vgic_v2_sgi_post_take(struct vgic_vm *d, unsigned vcpu, unsigned n)
{
    return __atomic_exchange_n(&d->sgi_post[vcpu & (VGIC_MAX_VCPUS - 1)][n & (VGIC_NR_SGIS - 1)],
                               0, __ATOMIC_ACQUIRE);
}
#else
static inline uint8_t vgic_v2_sgi_post_take(struct vgic_vm *d, unsigned vcpu, unsigned n)
{
    (void)d;
    (void)vcpu;
    (void)n;
    return 0;
}
#endif

static inline bool vgic_irq_v2_sgi(const struct vgic_vm *d, const struct vgic_irq *irq)
{
    return VGIC_HAS_V2 && d->v2 && irq->intid < VGIC_NR_SGIS;
}

/* A GICv2 SGI from source src (< VGIC_MAX_VCPUS) pending in the model. */
static inline void vgic_v2_sgi_raise(struct vgic_irq *irq, unsigned src)
{
    irq->sgi_src |= (uint8_t)(1u << (src & (VGIC_MAX_VCPUS - 1)));
    irq->pending_latch = true;
}

/* A GICv2 SGI's LR gives back its pending state: its source goes back to the model. */
static inline void vgic_v2_sgi_unlr(struct vgic_irq *irq)
{
    vgic_v2_sgi_raise(irq, irq->lr_src);
}

/*
 * A GICv2 SGI's LR takes one source from the model. keep: the LR is bound to lr_src (the
 * interrupt is active with it, or its LR is pending with it): only that source can join.
 * Otherwise the lowest pending source becomes lr_src. False: no source could go.
 */
static inline bool vgic_v2_sgi_take(struct vgic_irq *irq, bool keep)
{
    unsigned s = keep ? irq->lr_src : (unsigned)__builtin_ctz(irq->sgi_src | 0x100u);

    if (s >= VGIC_MAX_VCPUS || !(irq->sgi_src & (1u << s))) {
        irq->pending_latch = irq->sgi_src != 0; /* never pending without a source */
        return false;
    }
    irq->sgi_src &= (uint8_t)~(1u << s);
    irq->lr_src = (uint8_t)s;
    irq->pending_latch = irq->sgi_src != 0;
    return true;
}

/* Guest-visible pending state (GICD_ISPENDR). */
static inline bool vgic_irq_is_pending(const struct vgic_irq *irq)
{
    return vgic_irq_model_pending(irq) || irq->lr_pending;
}

struct vgic_irq *vgic_irq_get(struct vgic_vm *d, unsigned vcpu, uint32_t intid);
bool vgic_irq_deliverable(const struct vgic_vm *d, const struct vgic_irq *irq, unsigned vcpu);
uint32_t vgic_irq_kick(struct vgic_vm *d, const struct vgic_irq *irq);
/*
 * HW-level irq (vgic_irq_is_hw_level) seen from vcpu, under d->lock: whether its source
 * asserts it now. Asks the hw_line hook only where it can answer (an SPI, or a PPI of vcpu
 * itself: the caller runs on vcpu's pCPU), else returns the model's last view (line_level).
 * A line_level not in an LR whose source dropped is withdrawn, and the physical interrupt
 * completed unless still pending (ISPENDR) or active; the vCPUs to kick are added to *kick.
 */
bool vgic_hw_resample(struct vgic_vm *d, struct vgic_irq *irq, unsigned vcpu, uint32_t *kick);
/* Posted edges (vgic_cpu.inbox bits) become model state: pending, and the target marked
 * dirty. Under d->lock; returns the vCPUs to kick. _fold_all takes every vCPU's inbox
 * first (before reading or changing pending state through registers). */
uint32_t vgic_inbox_to_model(struct vgic_vm *d, unsigned vcpu, uint64_t bits);
/* A virtual line of irq changes (vgic_set_level's effect), under d->lock; returns the vCPUs
 * to kick. Posted level raises (vgic_post_level) are not taken: the caller's business. */
uint32_t vgic_line_locked(struct vgic_vm *d, struct vgic_irq *irq, bool level);
uint32_t vgic_inbox_fold_all(struct vgic_vm *d);
void vgic_kick(struct vgic_vm *d, uint32_t mask);

/* State changes by guest software (MMIO) or devices; each returns the vCPUs to kick. */
uint32_t vgic_irq_set_enabled(struct vgic_vm *d, struct vgic_irq *irq, bool enable);
uint32_t vgic_irq_set_pending(struct vgic_vm *d, struct vgic_irq *irq, bool pending);
uint32_t vgic_irq_set_active(struct vgic_vm *d, struct vgic_irq *irq, bool active);
uint32_t vgic_irq_set_group(struct vgic_vm *d, struct vgic_irq *irq, bool group1);
uint32_t vgic_irq_set_priority(struct vgic_vm *d, struct vgic_irq *irq, uint8_t prio);
uint32_t vgic_irq_set_config(struct vgic_vm *d, struct vgic_irq *irq, bool level);
uint32_t vgic_irq_set_irouter(struct vgic_vm *d, struct vgic_irq *irq, uint64_t irouter);
uint32_t vgic_irq_set_itargets(struct vgic_vm *d, struct vgic_irq *irq, uint8_t targets);
bool vgic_irq_config_is_ro(const struct vgic_irq *irq);

/* ------------------------------------------------------------------ MMIO tables */

/* Access widths a register accepts, as a mask of access sizes in bytes. */
#define VGIC_ACC_8   0x1u
#define VGIC_ACC_16  0x2u /* reserved offsets only (vgic_mmio.c) */
#define VGIC_ACC_32  0x4u
#define VGIC_ACC_64  0x8u
/* Reserved locations (RAZ/WI at every naturally aligned width, vgic_mmio.c) */
#define VGIC_ACC_ANY (VGIC_ACC_8 | VGIC_ACC_16 | VGIC_ACC_32 | VGIC_ACC_64)

struct vgic_reg;

/* One emulated access in progress. */
struct vgic_access {
    struct vgic_vm *d;
    const struct vgic_reg *reg;
    unsigned vcpu;      /* accessing vCPU */
    unsigned rd;        /* redistributor frame owner; VGIC_NO_VCPU in the distributor */
    bool write;
    uint32_t kick;      /* vCPUs to kick once the lock is dropped */
    uint32_t refill;    /* reads too: vCPUs a resampled line left work for (kicked after) */
};

enum vgic_field_kind {
    VGIC_FIELD_RW,      /* value written is the new field value */
    VGIC_FIELD_W1S,     /* write 1 sets, 0 ignored */
    VGIC_FIELD_W1C,     /* write 1 clears, 0 ignored */
};

/* A per-INTID field packed bits-per-INTID into a register class (IGROUPR, IPRIORITYR...). */
struct vgic_field {
    uint8_t bits;               /* 1, 2, 8 or 64 */
    uint8_t kind;               /* enum vgic_field_kind */
    bool lr_state;              /* the value may be cached in another vCPU's LR */
    bool line;                  /* pending state: a HW-level source's line counts too */
    uint64_t (*get)(const struct vgic_irq *irq);
    uint32_t (*set)(struct vgic_vm *d, struct vgic_irq *irq, uint64_t v);
};

/*
 * One row of a register table: [off, off + len) accepting the widths in `widths`. read == NULL
 * reads as zero, write == NULL ignores writes. roff is the offset inside the row.
 */
struct vgic_reg {
    uint32_t off;
    uint32_t len;
    uint8_t widths;
    const char *name;
    uint64_t (*read)(struct vgic_access *a, uint32_t roff, unsigned size);
    void (*write)(struct vgic_access *a, uint32_t roff, unsigned size, uint64_t val);
    const struct vgic_field *field;
};

struct vgic_reg_table {
    const struct vgic_reg *rows;
    size_t count;
};

extern const struct vgic_reg_table vgic_dist_table;
extern const struct vgic_reg_table vgic_rd_table;
extern const struct vgic_reg_table vgic_sgi_table;
extern const struct vgic_reg_table vgic_dist_v2_table;

/* Per-INTID fields, shared by the distributor and redistributor tables. */
extern const struct vgic_field vgic_field_group, vgic_field_enable_set, vgic_field_enable_clr,
    vgic_field_pend_set, vgic_field_pend_clr, vgic_field_active_set, vgic_field_active_clr,
    vgic_field_priority, vgic_field_config, vgic_field_irouter;

const struct vgic_reg *vgic_reg_find(const struct vgic_reg_table *t, uint32_t off);
int vgic_mmio_access(struct vgic_vm *d, const struct vgic_reg_table *t, unsigned vcpu,
                     unsigned rd, uint32_t off, unsigned size, bool write, uint64_t *val);
uint64_t vgic_mmio_read_field(struct vgic_access *a, uint32_t roff, unsigned size);
void vgic_mmio_write_field(struct vgic_access *a, uint32_t roff, unsigned size, uint64_t val);
uint64_t vgic_mmio_read_idregs(struct vgic_access *a, uint32_t roff, unsigned size);
uint64_t vgic_mmio_read_iidr(struct vgic_access *a, uint32_t roff, unsigned size);

/* Table rows: a per-INTID field, and a reserved or unimplemented range (RAZ/WI). */
#define VGIC_FIELD_ROW(o, l, w, n, f)                                                     \
    {                                                                                     \
        .off = (o), .len = (l), .widths = (w), .name = (n), .read = vgic_mmio_read_field, \
        .write = vgic_mmio_write_field, .field = (f)                                      \
    }
#define VGIC_RAZWI_ROW(o, l, w, n) { .off = (o), .len = (l), .widths = (w), .name = (n) }

/* The distributor rows GICv2 and GICv3 share: same offsets, same per-INTID fields (the
 * GICv3 distributor's ITARGETSR row sits between IPRIORITYR and ICFGR in both tables). */
#define VGIC_DIST_ROWS_GROUP_TO_PRIORITY                                                  \
    VGIC_FIELD_ROW(GICD_IGROUPR, GIC_BITMAP_SPAN, VGIC_ACC_32, "GICD_IGROUPR",            \
                   &vgic_field_group),                                                    \
    VGIC_FIELD_ROW(GICD_ISENABLER, GIC_BITMAP_SPAN, VGIC_ACC_32, "GICD_ISENABLER",        \
                   &vgic_field_enable_set),                                               \
    VGIC_FIELD_ROW(GICD_ICENABLER, GIC_BITMAP_SPAN, VGIC_ACC_32, "GICD_ICENABLER",        \
                   &vgic_field_enable_clr),                                               \
    VGIC_FIELD_ROW(GICD_ISPENDR, GIC_BITMAP_SPAN, VGIC_ACC_32, "GICD_ISPENDR",            \
                   &vgic_field_pend_set),                                                 \
    VGIC_FIELD_ROW(GICD_ICPENDR, GIC_BITMAP_SPAN, VGIC_ACC_32, "GICD_ICPENDR",            \
                   &vgic_field_pend_clr),                                                 \
    VGIC_FIELD_ROW(GICD_ISACTIVER, GIC_BITMAP_SPAN, VGIC_ACC_32, "GICD_ISACTIVER",        \
                   &vgic_field_active_set),                                               \
    VGIC_FIELD_ROW(GICD_ICACTIVER, GIC_BITMAP_SPAN, VGIC_ACC_32, "GICD_ICACTIVER",        \
                   &vgic_field_active_clr),                                               \
    VGIC_FIELD_ROW(GICD_IPRIORITYR, 0x400, VGIC_ACC_8 | VGIC_ACC_32, "GICD_IPRIORITYR",   \
                   &vgic_field_priority)

/* GICD_CTLR writes, the same for both versions: EnableGrp0/1 (every vCPU may gain or lose
 * deliverable interrupts); the version's other bits read as fixed. */
void vgic_dist_write_ctlr(struct vgic_access *a, uint32_t roff, unsigned size, uint64_t val);
void vgic_deny(struct vgic_access *a, uint32_t intid);

/* ------------------------------------------------------------------ list registers */

/* Decoded ICH_LR<n>_EL2. */
struct vgic_lr {
    uint32_t vintid;
    uint32_t pintid;    /* HW = 1 only */
    uint8_t priority;
    bool group1;
    bool hw;
    bool eoi;           /* HW = 0 only: maintenance interrupt on deactivation */
    bool pending;
    bool active;
    uint8_t source;     /* HW = 0, a GICv2 VM's SGI: the source CPU (ICH_LR_V2_SOURCE) */
};

uint64_t vgic_lr_encode(const struct vgic_lr *lr);
struct vgic_lr vgic_lr_decode(uint64_t v);
/* The GICv2 back end (vgic_v2.c): an ICH_LR value as GICH_LR and back (exact for the values
 * the vGIC builds: INTIDs < 1020, priority within the 5 bits GICH_VTR reports). */
uint32_t vgic_v2_lr_to_hw(uint64_t ich);
uint64_t vgic_v2_lr_from_hw(uint32_t lr);

/* Shared by vgic_lr.c (the general sync and flush) and vgic_fast.c (the short ways); all
 * under d->lock. Link LR i of vcpu to irq and write val into it (on vcpu's pCPU); fold what
 * the guest did to vcpu's LRs into the model; the flush of a dirty vcpu; take vcpu's posted
 * edges. */
static inline void vgic_lr_put(struct vgic_vm *d, unsigned vcpu, unsigned i,
                               struct vgic_irq *irq, uint64_t val)
{
    struct vgic_cpu *c = &d->cpu[vcpu];

    c->lr_irq[i] = irq;
    c->lr_shadow[i] = val;
    c->lr_used |= (uint32_t)BIT(i);
    irq->lr_vcpu = (uint8_t)vcpu;
    arch_vgic_write_lr(i, val);
}

void vgic_sync_locked(struct vgic_vm *d, unsigned vcpu, uint32_t *kick);
void vgic_flush_locked(struct vgic_vm *d, unsigned vcpu, uint32_t *kick);
uint64_t vgic_inbox_take(struct vgic_vm *d, unsigned vcpu);
/*
 * The flush of a dirty vcpu in its common shape (vgic_fast.c), under d->lock: no LR in use
 * but finished ones (released, as a sync would), and the noted interrupts that want an LR
 * inactive, not HW-linked level, and fewer than the free LRs. True when that was all;
 * false: vgic_flush_locked does the rest, from the consistent state this left.
 */
bool vgic_flush_fast_locked(struct vgic_vm *d, unsigned vcpu);
