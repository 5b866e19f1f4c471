/* SPDX-License-Identifier: MIT */
/*
 * Virtual GICv3 (Arm IHI 0069H) for one VM: an emulated distributor and one redistributor per
 * vCPU, and the list-register (LR) management that feeds the hardware virtual CPU interface.
 * The guest sees a GICv3 without LPIs/ITS, one security state (GICD_CTLR.DS = 1) and affinity
 * routing always on (ARE = 1, RAO/WI). Design notes and the integration contract are in
 * docs/VGIC.md.
 *
 * Locking: every function here takes d->lock itself when it needs it (callers must not hold
 * it); vgic_post_spi, vgic_rearm_hw and vgic_inbox_direct often need none. Hooks other than
 * kick run with d->lock held and must not call back into this module; kick runs after the lock
 * is dropped. Lock order: vm->lock -> vgic.lock -> locks taken by hooks (console, events, GIC).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/spinlock.h>

#define VGIC_MAX_VCPUS      8
#define VGIC_NR_SGIS        16
#define VGIC_NR_PRIVATE     32  /* SGIs + PPIs, banked per vCPU */
#define VGIC_SPI_BASE       32
#define VGIC_NR_SPIS        96  /* GICD_TYPER.ITLinesNumber = 3: INTIDs 0..127 */
#define VGIC_NR_IRQS        (VGIC_SPI_BASE + VGIC_NR_SPIS)
#define VGIC_MAX_OWNED_SPIS 32  /* SPIs one VM may own (virtual devices + pass-through) */
#define VGIC_MAX_LRS        16  /* architectural maximum of ICH_LR<n>_EL2 */
#define VGIC_VTIMER_INTID   27  /* virtual timer PPI, always HW-linked to physical PPI 27 */
#define VGIC_PMU_INTID      23  /* PMU overflow PPI, always HW-linked to physical PPI 23 */
#define VGIC_PTIMER_INTID   30  /* EL1 physical timer PPI: emulated, a virtual level line */
#define VGIC_NO_VCPU        0xffu
#define VGIC_INTID_NONE     UINT32_MAX
#define VGIC_INBOX_SGI      32  /* vgic_vm.inbox: bit VGIC_INBOX_SGI + n is SGI n */
#define VGIC_INBOX_LEVEL    48  /* vgic_vm.inbox: level raises posted (vgic_vm.level_post) */

/* Hooks into the VM layer. Any may be NULL; the ones marked "needed" degrade if missing. */
struct vgic_hooks {
    void *ctx;
    /*
     * A guest write tried to enable, pend or activate (a 1 in GICD_IS{ENABLE,PEND,ACTIVE}R) an
     * SPI the VM does not own (intid; the write had no effect), or an access hit a
     * redistributor frame beyond the VM's vCPUs (intid = VGIC_INTID_NONE; the access gets an
     * abort). Other accesses to unowned SPIs read as zero / are ignored silently, like
     * unimplemented INTIDs, because Linux initialises every SPI GICD_TYPER reports. reg names
     * the register. At most once per access; the caller rate-limits and records the event.
     */
    void (*deny)(void *ctx, unsigned vcpu, uint32_t intid, const char *reg, bool write);
    /* Pass-through SPI: mirror the guest's enable / routing on the physical GIC. target is a
     * vCPU index, or VGIC_NO_VCPU when GICD_IROUTER names no vCPU of the VM. */
    void (*hw_enable)(void *ctx, uint32_t pintid, bool enable);
    void (*hw_route)(void *ctx, uint32_t pintid, unsigned target);
    /*
     * Needed with HW-linked interrupts: set or clear the *physical* active state of pintid
     * (for a PPI, in the redistributor of vcpu's pCPU). Called when guest software changes the
     * virtual state of a HW-linked interrupt outside the list registers (ISPENDR, ICPENDR,
     * ISACTIVER, ICACTIVER, VM reset), to keep "virtual pending or active <=> physical active".
     */
    void (*hw_set_active)(void *ctx, unsigned vcpu, uint32_t pintid, bool active);
    /*
     * Level of the physical source of HW-linked interrupt pintid as seen from vcpu's pCPU
     * (called there, at sync): a level interrupt whose line dropped before the guest
     * acknowledged it stops being pending (IHI 0069 4.1.2). NULL: never resampled.
     */
    bool (*hw_line)(void *ctx, unsigned vcpu, uint32_t pintid);
    /* Needed with several vCPUs: an MMIO access, sync or maintenance made work for other
     * vCPUs (mask never contains the calling vCPU); send them a kick SGI. */
    void (*kick)(void *ctx, uint32_t vcpu_mask);
};

/* One SPI the VM owns; hw links it to physical INTID pintid (pass-through). */
struct vgic_spi_cfg {
    uint32_t intid;
    bool hw;
    uint32_t pintid;
};

struct vgic_vm_cfg {
    unsigned nr_vcpus;  /* 1..VGIC_MAX_VCPUS */
    bool v2;            /* the guest sees a GICv2 (GICv2 hardware): vgic_dist_mmio is a GICv2
                         * distributor (banked SGIs/PPIs, ITARGETSR, GICD_SGIR), no GICR */
    unsigned nr_spis;
    struct vgic_spi_cfg spis[VGIC_MAX_OWNED_SPIS];
    struct vgic_hooks hooks;
};

/* Model state of one interrupt. Fields are private to core/vgic/vgic*.c. */
struct vgic_irq {
    uint16_t intid;
    uint16_t pintid;        /* physical INTID when hw */
    uint8_t priority;       /* all 8 bits of GICD_IPRIORITYR */
    uint8_t target;         /* vCPU it is delivered to (owner for SGI/PPI), or VGIC_NO_VCPU */
    uint8_t lr_vcpu;        /* vCPU whose list register holds it, or VGIC_NO_VCPU */
    bool owned;             /* exists for this VM (SGIs/PPIs always) */
    bool hw;
    bool enabled;
    bool group1;
    bool level;             /* configured level-sensitive (GICD_ICFGR bit 1 clear) */
    bool line_level;        /* input line of a level-sensitive interrupt */
    bool pending_latch;     /* edge/software pending not yet handed to a list register */
    bool lr_pending;        /* pending state held in the list register (last known) */
    bool active;
    union {
        uint64_t irouter;   /* SPIs: GICD_IROUTER value (GICv2: the ITARGETSR byte) */
        struct {            /* SGIs of a GICv2 VM (docs/VGIC.md "GICv2"): */
            /* the source vCPUs (bit s = vCPU s) pending in the model, not in an LR;
             * pending_latch is "any set" */
            uint8_t sgi_src;
            /* the source its LR shows, or showed when it was acknowledged (while active) */
            uint8_t lr_src;
        };
    };
};

struct vgic_cpu {
    struct vgic_irq priv[VGIC_NR_PRIVATE];
    struct vgic_irq *lr_irq[VGIC_MAX_LRS];
    uint64_t lr_shadow[VGIC_MAX_LRS];   /* what the LR holds as far as we know */
    uint32_t lr_used;                   /* bit i: LR i holds one of our interrupts */
    /* bit n: private INTID n may be pending or active outside the LRs (a superset, cleared
     * lazily by the flush), so the flush looks at those only. */
    uint32_t maybe_priv;
    /* The same for the VM's own SPIs targeting this vCPU, by index in vgic_vm.owned_spi. */
    uint32_t maybe_spi;
    /* Bumped by every sync of this vCPU's LRs: a reader of state held in them waits for it. */
    volatile uint32_t sync_gen;
    bool sleeping;                      /* GICR_WAKER.ProcessorSleep */
};

struct vgic_stats {
    uint64_t denied;        /* accesses refused through the deny hook */
    uint64_t reserved;      /* accesses to reserved offsets (RAZ/WI) */
    uint64_t bad_access;    /* bad width or alignment (-BH_EINVAL) */
    uint64_t evictions;     /* pending LRs pushed back for a higher-priority interrupt */
    uint64_t overflows;     /* flushes that left interrupts waiting (UIE set) */
    uint64_t maintenance;   /* maintenance interrupts handled */
};

/* The best interrupts waiting for a list register, best first, and how many wait in all:
 * the flush's scratch, used under the VM's lock only. Private to core/vgic/vgic_lr.c. */
struct vgic_cands {
    struct vgic_irq *irq[VGIC_MAX_LRS];
    uint32_t key[VGIC_MAX_LRS];
    unsigned n;
    unsigned cap;
    unsigned total;
};

struct vgic_vm {
    struct spinlock lock;
    unsigned nr_vcpus;
    bool v2;                /* guest view: virtual GICv2 (vgic_dist_v2.c) */
    unsigned nr_lrs;        /* ICH_VTR_EL2.ListRegs + 1 */
    uint8_t lr_prio_mask;   /* priority bits the virtual CPU interface implements */
    bool enable_grp0;       /* GICD_CTLR.EnableGrp0 */
    bool enable_grp1;       /* GICD_CTLR.EnableGrp1 */
    struct vgic_hooks hooks;
    /*
     * Bit v: vCPU v's list registers may no longer match the model (an interrupt for it
     * changed state, or some wait for an LR), so its next entry must run the full flush.
     * Written under lock; read without it on the entry path (a setter on another CPU also
     * kicks v, so a bit missed there is seen on the exit the kick causes).
     */
    uint32_t dirty;
    /* Per vCPU: edges posted without the lock (atomic OR; taken with an exchange): bits
     * 0..31 SPIs by vgic_post_spi, by owned_spi index; bits 32..47 SGIs by vgic_sgi, bit
     * 32 + n for SGI n (affinity routing keeps one pending bit per SGI and target, not per
     * source; a GICv2 VM's SGIs are pending per source: their sources are in sgi_post).
     * The vCPU puts them into its LRs, or into the model, on its way back into the guest.
     * One word, so the exit paths test both with one load. */
    uint64_t inbox[VGIC_MAX_VCPUS];
    /* Virtual level SPIs raised without the lock (vgic_post_level), by owned_spi index, not
     * yet in the model: atomic OR by the raiser (which then sets bit VGIC_INBOX_LEVEL of the
     * target's inbox and kicks it), taken with an exchange under lock by whoever holds it
     * next with a reason to (the target's exit, any vgic_set_level, a pending-state
     * register, a fold): all of them at once, the line applied as vgic_set_level would. */
    uint32_t level_post;
    /* SPIs this VM owns (indices into spi[]): the only ones a flush has to look at. */
    uint8_t owned_spi[VGIC_MAX_OWNED_SPIS];
    uint8_t owned_idx[VGIC_NR_SPIS];    /* the reverse: SPI - 32 -> index in owned_spi */
    unsigned nr_owned_spis;
    struct vgic_irq spi[VGIC_NR_SPIS];
    struct vgic_cpu cpu[VGIC_MAX_VCPUS];
    struct vgic_stats stats;
    struct vgic_cands cands;
#if !defined(PLAT_GIC_VERSION) || PLAT_GIC_VERSION != 3
    /* A GICv2 VM's SGIs posted to vCPU v (vgic_sgi), by SGI: the sources (bit s = vCPU s),
     * atomic OR by the sender before it sets the SGI's inbox bit (release); taken with an
     * exchange by whoever takes that bit. Not in a GICv3 build (VGIC_HAS_V2). */
    uint8_t sgi_post[VGIC_MAX_VCPUS][VGIC_NR_SGIS];
#endif
};

/*
 * Validate cfg and set up d in the architectural reset state (vgic_vm_reset). Reads the LR
 * count and priority bits from the hardware (any pCPU; they are uniform). Returns 0,
 * -BH_EINVAL (nr_vcpus out of range, SPI outside 32..127, bad pINTID), -BH_EEXIST (SPI listed
 * twice) or -BH_ENOMEM (nr_spis > VGIC_MAX_OWNED_SPIS). d is unchanged on failure.
 */
int vgic_vm_init(struct vgic_vm *d, const struct vgic_vm_cfg *cfg)
    __attribute__((warn_unused_result));

/*
 * Return every register and interrupt to its reset state (VM restart). HW-linked interrupts
 * that were pending or active get hw_set_active(false); pass-through SPIs get hw_enable(false)
 * and hw_route(pintid, 0). All vCPUs must be out of the guest, and each vCPU's list registers
 * must be cleared (vgic_vcpu_reset_hw or vgic_hw_reset_cpu on its pCPU) before it re-enters.
 * WAKER.ProcessorSleep resets to 0: we play the firmware that wakes redistributors.
 */
void vgic_vm_reset(struct vgic_vm *d);

/*
 * Emulate a guest access to the 64 KiB GICD frame (off) or the GICR region (off; frame =
 * off / 0x20000, RD_base at +0, SGI_base at +0x10000). size is 1, 2, 4 or 8; *val is the value
 * to write, or receives the value read (zero-extended). Returns 0 when handled (RAZ/WI
 * included), -BH_EINVAL for a width or alignment the register does not allow (inject an
 * abort), -BH_ERANGE for a redistributor frame >= nr_vcpus (deny hook called; inject an abort).
 * vcpu is the accessing vCPU; the caller must have run vgic_sync_lrs since the guest exited.
 */
int vgic_dist_mmio(struct vgic_vm *d, unsigned vcpu, uint32_t off, unsigned size, bool write,
                   uint64_t *val);
/* The same for a VM with cfg.v2 (vgic_dist_mmio calls it): the GICv2 distributor (IHI 0048B
 * 4.3). GICD_SGIR raises SGIs like vgic_sgi (TargetListFilter, CPUTargetList = vCPU
 * indices); its kicks go through the kick hook. */
int vgic_dist_v2_mmio(struct vgic_vm *d, unsigned vcpu, uint32_t off, unsigned size, bool write,
                      uint64_t *val);
int vgic_redist_mmio(struct vgic_vm *d, unsigned vcpu, uint32_t off, unsigned size, bool write,
                     uint64_t *val);

/*
 * Injection. Each returns the vCPUs whose list registers need a refill: the caller kicks those
 * other than its own vCPU (which is refilled by vgic_flush_lrs on the way back in). Unknown,
 * foreign or out-of-range INTIDs are ignored (return 0).
 *
 * vgic_inject: an edge on intid (sets pending). For SGIs/PPIs vcpu selects the redistributor;
 * for SPIs it is ignored and GICD_IROUTER picks the target.
 * vgic_set_level: drive the input line of intid (level-sensitive: pending follows the line; if
 * the guest configured it edge-triggered, a rising edge sets pending).
 * vgic_inject_hw: a HW-linked interrupt (vtimer PPI 27, pass-through SPI) fired; EL2 has
 * acknowledged and priority-dropped the physical interrupt but NOT deactivated it. The guest's
 * deactivation will deactivate it through the LR HW bit. pintid must match the configured link
 * (the configured one is used).
 */
uint32_t vgic_inject(struct vgic_vm *d, unsigned vcpu, uint32_t intid);
/*
 * vgic_post_spi: an edge on SPI intid, like vgic_inject, without taking the VM's lock: it is
 * posted to the target vCPU, which takes it into its LRs (or the model) on its next way back
 * into the guest, typically straight from the kick's interrupt. For notifications other
 * pCPUs raise often (doorbells, queue interrupts). HW-linked, unroutable or disabled SPIs
 * take the locked path (a disabled one kicks nobody). Returns 0, no kick needed, when the
 * edge was already posted and not yet taken.
 */
uint32_t vgic_post_spi(struct vgic_vm *d, uint32_t intid);
uint32_t vgic_set_level(struct vgic_vm *d, unsigned vcpu, uint32_t intid, bool level);
/*
 * vgic_post_level: vgic_set_level(d, 0, intid, true) for a virtual level SPI without taking
 * the VM's lock, for a device raising another VM's line from this pCPU (virtio-net's receive
 * interrupt): posted like vgic_post_spi, the target takes it into the model on its next way
 * back into the guest. Its lowering, vgic_set_level(.., false), takes every posted raise
 * first under the lock, so a line dropped again is never delivered late, and the outcome is
 * that of vgic_set_level at the time of the post. The caller orders its raises and lowerings
 * of one line (a device lock). HW-linked, edge-configured, unroutable or disabled SPIs take
 * the locked path. Returns the vCPUs to kick (0 when a raise was already on its way).
 */
uint32_t vgic_post_level(struct vgic_vm *d, uint32_t intid);
/*
 * vgic_set_level for an SPI, called on the pCPU of vCPU here (a trap of here, with its list
 * registers synced; VGIC_NO_VCPU: none of this VM's): a virtual level SPI rising for here
 * with nothing else waiting goes straight into a free LR (EOI maintenance resamples it, as
 * after a flush) and here stays clean, so the way back into the guest has no LR work (a
 * device's interrupt raised by the vCPU's own access, such as virtio-net's used-buffer
 * interrupt on the frame path). Otherwise exactly vgic_set_level.
 */
uint32_t vgic_set_level_here(struct vgic_vm *d, unsigned here, uint32_t intid, bool level);
/*
 * vgic_rearm_hw: HW-linked private interrupt intid (the virtual timer) fired again on vcpu's
 * own pCPU. When the guest has finished its last one and nothing changed since, it is
 * re-armed in the same list register and true returned: nothing else to do (no model
 * change, no sync). Otherwise false: inject it with vgic_inject_hw. Call on vcpu's pCPU.
 */
bool vgic_rearm_hw(struct vgic_vm *d, unsigned vcpu, uint32_t intid);
/* vcpu is not running (off, or parked): its posted edges become model state, so that one
 * posted just as it went off, or to its old target after a retarget, is not left behind. */
void vgic_inbox_fold(struct vgic_vm *d, unsigned vcpu);
uint32_t vgic_inject_hw(struct vgic_vm *d, unsigned vcpu, uint32_t intid, uint32_t pintid);

/*
 * The guest on src_vcpu wrote sgir to ICC_SGI1R_EL1 (vgic_sgi: may raise SGIs of either group,
 * as GICD_CTLR.DS = 1 allows) or to ICC_SGI0R_EL1 / ICC_ASGI1R_EL1 (vgic_sgi0: Group 0 SGIs
 * only). TargetList/Aff3.Aff2.Aff1/RS select vCPUs (Aff0 = vCPU index), IRM = 1 means all but
 * the sender; targets outside the VM are ignored. Returns the vCPUs to refill, as above.
 * An SGI the target has enabled is posted like vgic_post_spi (its inbox bit, no lock;
 * no kick when the bit was already set), a disabled one becomes pending in the model under
 * the lock and kicks nobody. In a GICv2 VM an SGI is pending per source CPU (docs/VGIC.md
 * "GICv2"): src_vcpu's bit goes into the target's sgi_post byte before the inbox bit, and
 * one already posted from src_vcpu and not taken kicks nobody.
 */
uint32_t vgic_sgi(struct vgic_vm *d, unsigned src_vcpu, uint64_t sgir);
uint32_t vgic_sgi0(struct vgic_vm *d, unsigned src_vcpu, uint64_t sgir);

/*
 * List registers; all run on vcpu's own pCPU with the guest stopped.
 * vgic_sync_lrs: first thing after every guest exit. Reads back the LRs we filled so that what
 * the guest did (acknowledge, EOI/deactivate) reaches the model; frees finished LRs.
 * vgic_flush_lrs: last thing before every guest entry. Reconciles LRs with model changes and
 * fills free LRs with the highest-priority deliverable interrupts (evicting lower-priority
 * pending-only ones if needed); sets ICH_HCR_EL2.En, and UIE when interrupts are left waiting.
 * vgic_maintenance: the maintenance PPI (25) fired on this pCPU: sync + flush.
 */
void vgic_sync_lrs_slow(struct vgic_vm *d, unsigned vcpu);
void vgic_flush_lrs_slow(struct vgic_vm *d, unsigned vcpu);
/*
 * Both in one go, for an exit with nothing to do in between (an interrupt): the same as
 * vgic_sync_lrs + vgic_flush_lrs, under one lock hold. When the exit only brought posted
 * edges (vgic_post_spi) that can go straight into LRs, only that is done (no sync):
 * vgic_inbox_direct, true if it did all of it; vgic_sync_flush_model otherwise. quiet: the
 * interrupt itself left nothing for the LRs (a kick, a re-armed tick), so without a model
 * change or posted edge there is nothing to do at all: the LRs stay as the guest left them,
 * as while it runs, until an exit that needs the model.
 */
bool vgic_inbox_direct(struct vgic_vm *d, unsigned vcpu);
void vgic_sync_flush_model(struct vgic_vm *d, unsigned vcpu);

static inline void vgic_sync_flush_lrs(struct vgic_vm *d, unsigned vcpu, bool quiet)
{
    /* vcpu < d->nr_vcpus: the caller's own vCPU (the interrupt path, every exit) */
    if (__atomic_load_n(&d->inbox[vcpu], __ATOMIC_RELAXED)) {
        if (vgic_inbox_direct(d, vcpu)) {
            return;
        }
    } else if (quiet && !(__atomic_load_n(&d->dirty, __ATOMIC_RELAXED) & ((uint32_t)1 << vcpu))) {
        return;
    }
    vgic_sync_flush_model(d, vcpu);
}

/* The common case on every exit and entry is "nothing to do": decide that inline. */
static inline void vgic_sync_lrs(struct vgic_vm *d, unsigned vcpu)
{
    if (vcpu < d->nr_vcpus && d->cpu[vcpu].lr_used) {
        vgic_sync_lrs_slow(d, vcpu);
    }
}

/* Something for vcpu's next entry: a model change or a posted edge. */
static inline bool vgic_vcpu_pending_work(struct vgic_vm *d, unsigned vcpu)
{
    /* relaxed: a hint only; whoever acts on it takes d->lock (which orders the rest) */
    return (__atomic_load_n(&d->dirty, __ATOMIC_RELAXED) & ((uint32_t)1 << vcpu)) ||
           __atomic_load_n(&d->inbox[vcpu], __ATOMIC_RELAXED);
}

static inline void vgic_flush_lrs(struct vgic_vm *d, unsigned vcpu)
{
    if (vcpu < d->nr_vcpus && vgic_vcpu_pending_work(d, vcpu)) {
        vgic_flush_lrs_slow(d, vcpu);
    }
}
void vgic_maintenance(struct vgic_vm *d, unsigned vcpu);

/*
 * The vCPU's PE is reset (PSCI CPU_ON after CPU_OFF) or parked: hand what its LRs hold back to
 * the model (interrupt state lives in the redistributor and survives a PE reset, as on real
 * hardware), then clear the LRs, active-priority registers and ICH_VMCR_EL2 and disable the
 * virtual interface. Runs on vcpu's own pCPU.
 */
void vgic_vcpu_reset_hw(struct vgic_vm *d, unsigned vcpu);
/*
 * The same for a vCPU switched out of a shared pCPU, whose ICH_HCR_EL2 (En), VMCR and APRs the
 * switch saves and restores: vcpu is marked for a flush at its next entry only when its LRs
 * held something, so an idle vCPU with nothing pending is not woken by its own switch-out
 * (vgic_vcpu_pending_work stays false). Runs on vcpu's own pCPU.
 */
void vgic_vcpu_switch_out(struct vgic_vm *d, unsigned vcpu);

/*
 * Whether this pCPU's virtual CPU interface, as it stands, signals an interrupt to the guest
 * (GIC IHI 0069H 4.8): a list register in state pending (not active) whose group is enabled
 * in ICH_VMCR_EL2, with a priority above the priority mask and a group priority above the
 * running priority (ICH_AP0R/AP1R). For a trapped WFI: true means the guest's WFI would end
 * now. The binary point is not applied, so a same-group interrupt can look deliverable when
 * it is not: a WFI that ends early, which the architecture allows; never the other way round.
 */
bool vgic_lrs_signal(void);

/* vgic_lrs_signal in more detail: why the interface does not signal, or that it does. */
enum vgic_lrs {
    VGIC_LRS_EMPTY,  /* no list register holds an interrupt (all empty in ICH_ELRSR_EL2) */
    VGIC_LRS_QUIET,  /* some do, none would be signalled now */
    VGIC_LRS_SIGNAL, /* vgic_lrs_signal() is true */
};
/* vgic_lrs_check and vgic_lrs_signal need vgic_hw_reset_cpu to have run (on any pCPU). */
enum vgic_lrs vgic_lrs_check(void);

/*
 * For a trapped WFI that sleeps at EL2 with this pCPU's interface as vgic_lrs_check found it
 * (lrs) and ICH_HCR_EL2 = hcr: true when nothing in the virtual interface can end that WFI
 * early, so ICH_HCR_EL2.En need not be cleared around it: no LR holds an interrupt (none can
 * be pending) and hcr enables no maintenance interrupt (nothing but En set; a maintenance
 * condition needs its enable). Only this pCPU writes its LRs and ICH_HCR_EL2, and it does not
 * while it sleeps, so the answer holds until the wake-up. False: clear En while asleep.
 */
#define VGIC_LRS_HCR_EN UINT64_C(1) /* ICH_HCR_EL2.En (GICH_HCR.En on a GICv2) */
static inline bool vgic_lrs_sleep_quiet(enum vgic_lrs lrs, uint64_t hcr)
{
    return lrs == VGIC_LRS_EMPTY && (hcr & ~VGIC_LRS_HCR_EN) == 0;
}

/*
 * Clear this pCPU's virtual CPU interface (LRs, APRs, VMCR, ICH_HCR_EL2 = 0) without touching
 * any model. For pCPU bring-up; with a vCPU use vgic_vcpu_reset_hw so the model stays in step.
 */
void vgic_hw_reset_cpu(void);
