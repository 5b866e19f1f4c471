/* SPDX-License-Identifier: MIT */
/* The arch side of the per-pCPU deadline set (deadline.c, <arch/deadline.h>). */
#pragma once

#include <stdbool.h>

#include <arch/deadline.h>
#include <arch/layout.h>
#include <arch/sysreg.h>

/* SGI that makes a pCPU reprogram CNTHP after another pCPU moved one of its slots earlier. */
#define GIC_SGI_DEADLINE 1
#define CNTHP_CTL_ENABLE BIT(0) /* CNTHP_CTL_EL2 (ARM DDI 0487 D11.2.4) */

/* This pCPU: every slot off, CNTHP off (callbacks bound so far are kept). */
void deadline_init_cpu(void);

/* CNTHP's PPI fired on this pCPU: call the owners of every due slot, reprogram. */
void deadline_fire(void);

/* GIC_SGI_DEADLINE: program CNTHP with this pCPU's nearest slot. */
void deadline_program(void);

/* One pCPU's slots (written by deadline.c; arch_vcpu_wait reads its own). */
struct deadline_set {
    uint64_t at[ARCH_DEADLINE_COUNT]; /* counter values; ARCH_DEADLINE_NEVER: off */
    arch_deadline_fn *fn[ARCH_DEADLINE_COUNT];
    void *ctx[ARCH_DEADLINE_COUNT];
    uint64_t cnthp;   /* the compare value CNTHP is programmed with (NEVER: off) */
    bool in_wait;     /* arch_vcpu_wait blocks here */
    uint8_t deferred; /* slots whose callback asked for a context where it may stop its VM:
                       * due, but left out of CNTHP until the wait ends (bit per slot) */
} __attribute__((aligned(64)));

extern struct deadline_set deadline_sets[MAX_CPUS];

/* arch_vcpu_wait starts blocking on this pCPU (callbacks get can_stop = false). */
static inline struct deadline_set *deadline_wait_begin(void)
{
    struct deadline_set *d = &deadline_sets[arch_cpu_id_raw()];

    d->in_wait = true;
    return d;
}

/* A callback returned false during the wait: the wait must end (deadline.h contract). */
static inline bool deadline_wait_must_end(const struct deadline_set *d)
{
    return d->deferred != 0;
}

/* The wait's own slot is off (never armed, or it passed): arm it before sleeping. */
static inline bool deadline_wait_is_unarmed(const struct deadline_set *d)
{
    return __atomic_load_n(&d->at[ARCH_DEADLINE_WAIT], __ATOMIC_RELAXED) == ARCH_DEADLINE_NEVER;
}

/*
 * Arm the wait's own slot at counter value at (this pCPU's set d; only this pCPU writes it,
 * with interrupts masked). CNTHP is only touched when at is the nearest: an earlier value
 * programmed already (often the previous wait's, left to lapse) fires first and reprograms.
 */
static inline void deadline_wait_arm(struct deadline_set *d, uint64_t at)
{
    __atomic_store_n(&d->at[ARCH_DEADLINE_WAIT], at, __ATOMIC_RELAXED);
    if (at < d->cnthp) {
        sysreg_write(cnthp_cval_el2, at);
        sysreg_write(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
        isb();
        d->cnthp = at;
    }
}

/*
 * The wait ends. Its slot stays as it is: the next wait with a time limit overwrites it, and
 * if none comes first it passes once, as a spurious CNTHP interrupt that clears it. Disarming
 * here would reprogram CNTHP at the end of every blocking call (the IPC round trip's cost).
 */
static inline void deadline_wait_end(struct deadline_set *d)
{
    d->in_wait = false;
    if (d->deferred) {
        deadline_program(); /* the deferred slots are due: CNTHP fires in the guest */
    }
}

/* The vCPU leaves this pCPU (park): its own slots (wait, physical timer) off; the watchdog's
 * stays, since the VM may still run on its other vCPUs. */
void deadline_park(void);
