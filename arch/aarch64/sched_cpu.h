/* SPDX-License-Identifier: MIT */
/* Shared pCPUs: the arch side of the vCPU scheduler (sched_cpu.c, docs/SCHEDULING.md). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/layout.h>

#include "vdebug.h"
#include "vpmu.h"

struct vcpu;
struct trap_frame;

/* Per pCPU: true when it runs a scheduler (policy priority or partitions). Boot only. */
extern bool sched_pcpu_shared[MAX_CPUS];

static inline bool sched_is_shared(unsigned cpu)
{
    return cpu < MAX_CPUS && sched_pcpu_shared[cpu];
}

/* What a switch keeps of a vCPU that is out (vcpu_switch.c). */
struct vcpu_hw {
    uint64_t el1[24];
    uint64_t fp[66];       /* q0-q31, FPCR, FPSR */
    bool fp_live;          /* fp is in the registers (the vCPU used FP/SIMD since it came
                            * in, CPTR_EL2.TFP clear): to be saved when it goes out */
    uint64_t cntv_ctl, cntv_cval;
    uint64_t ich_vmcr, ich_hcr;
    uint32_t ap0r[4], ap1r[4];
    uint64_t hcr, vmpidr, vttbr;
    uint32_t ppi_active;   /* the virtual timer's and PMU's physical PPIs active (HW-linked
                            * in an LR, the guest has not deactivated them), by bit */
    struct vpmu_state pmu; /* only for guests that touched them (valid) */
    struct vdebug_state dbg;
};

/* Save this pCPU's state of the vCPU going out (its timer is silenced) / load the one coming
 * in. The list registers are the vGIC's business (vgic_vcpu_reset_hw, then a flush). */
void vcpu_hw_save(struct vcpu_hw *hw);
void vcpu_hw_load(const struct vcpu_hw *hw);
/* v's first FP/SIMD instruction since it came in trapped (CPTR_EL2.TFP, set by
 * vcpu_hw_load): load its registers and stop trapping. Returns false when v is not the vCPU
 * of a shared pCPU waiting for its FP/SIMD state (the trap is then not ours to answer). */
bool sched_fp_trap(struct vcpu *v);
/* The loading itself, for hw of the vCPU that trapped (vcpu_switch.c). */
void vcpu_hw_fp_in(struct vcpu_hw *hw);

/* When the saved state wakes its vCPU (counter ticks): its virtual timer fires, 0 when its
 * PMU's overflow interrupt is up; UINT64_MAX: never. */
uint64_t vcpu_hw_timer_at(const struct vcpu_hw *hw);

/* The trap frame of v: at the top of its own EL2 stack on a shared pCPU. */
struct trap_frame *sched_vcpu_frame(struct vcpu *v);

/*
 * v (on a shared pCPU, in a trapped WFI or a blocking wait: kind VCPU_WAIT_*) has nothing to
 * do: give the pCPU to another vCPU, or sleep (WFI) when none may run. done/arg: the wait's
 * condition (NULL for a WFI: a pending interrupt ends it), wait_at its time limit in counter
 * ticks (ARCH_DEADLINE_NEVER: none). Returns true when v was switched out and is back (the
 * caller re-checks and re-arms its own time limit), false after a plain WFI.
 */
bool sched_block(struct vcpu *v, bool (*done)(void *), void *arg, uint64_t wait_at);

/* v's wait ended: it is runnable again (and may be switched out at once for a better one).
 * Returns the counter ticks v spent runnable without the pCPU (waiting or throttled) since the
 * wait's first sched_block: time the caller does not count as idle or blocked. */
uint64_t sched_unblock(struct vcpu *v);

/* The idle loop of a shared pCPU: start, wake and run its vCPUs. Does not return. */
void sched_idle_loop(unsigned cpu) __attribute__((noreturn));

/* v leaves its shared pCPU for good (park): its thread starts afresh on its next start. */
void sched_park(struct vcpu *v);

/* A scheduler event on this pCPU (its deadline, a GIC_SGI_SCHED kick): decide again, which
 * may switch to another vCPU. A load and a branch on exclusive pCPUs. */
void sched_event(unsigned cpu);
