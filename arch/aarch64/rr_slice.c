// SPDX-License-Identifier: MIT
/*
 * The round-robin time slice: a platform quirk of the reference platform (QEMU virt under
 * -icount), documented in docs/VIRTUAL-CPU.md "QEMU's round robin and the time slice".
 *
 * QEMU 7.2 with -icount runs every CPU on one host thread (accel/tcg/tcg-accel-ops-rr.c): a
 * CPU keeps the thread until it halts (WFI), yields (WFE/YIELD) or its instruction budget
 * ends, and the budget is the time to the next timer deadline of *any* CPU
 * (tcg-accel-ops-icount.c, icount_get_limit). A busy guest whose own timer is far away (a
 * CPU hog, Linux between its 4 ms ticks) therefore holds the thread for milliseconds while a
 * real-time vCPU's timer interrupt waits: on parallel hardware nothing of the kind happens.
 * The quirk gives every pCPU that runs a vCPU of a VM without a priority (not real-time) a
 * deadline of its own on the EL2 physical timer CNTHP (the deadline set's SLICE slot), at
 * the next multiple of the slice: its turn ends there, and re-arming the timer from EL2 makes
 * QEMU move on (a new earliest deadline kicks the round robin to the next CPU). The slice
 * stops while the vCPU sleeps in the hypervisor (a trapped WFI, a blocking call: the CPU
 * halts and gives the thread away by itself) and starts again when it runs.
 *
 * Real-time pCPUs never get the slice: no entry of theirs comes from it. The guests never see
 * it: CNTHP is the hypervisor's own timer (no virtual timer, CNTVOFF or physical-timer state
 * changes), and an expiry costs the interrupted vCPU one IRQ exit. Off on other platforms and
 * with `rt-slice-us = <0>` (docs/CONFIG.md).
 */
#include "rr_slice.h"

#include <arch/cpu.h>
#include <arch/deadline.h>
#include <core/vm/vm.h>

/* The platform's default (platform/<board>/platform.mk): only QEMU virt sets one. */
#ifndef PLAT_RT_SLICE_US
#define PLAT_RT_SLICE_US 0
#endif

uint64_t rr_slice_ticks[MAX_CPUS];
/* Expiries per pCPU, each written by its own pCPU only (STATS vm=... slice=). */
static uint64_t rr_slice_expiries[MAX_CPUS];

uint32_t arch_rt_slice_default_us(void)
{
    return PLAT_RT_SLICE_US;
}

void rr_slice_arm(unsigned cpu)
{
    uint64_t p = rr_slice_ticks[cpu];

    /* The next boundary of this pCPU: multiples of the slice shifted by cpu/count of it, so
     * the pCPUs' boundaries take turns. Measured on tests/scenarios/r-rtos-hogs.dts: with one
     * common boundary for all, the hog on CPU 0 got 3% of the work of the one on CPU 1
     * (phases: ~70%); "now + slice" instead of boundaries let RTOS jobs finish late. */
    uint64_t phase = p * cpu / (pcpu_count ? pcpu_count : 1);

    uint64_t now = arch_counter();
    uint64_t base = now > phase ? now - phase : 0; /* no wrap in the first slice after reset */

    arch_deadline_set(cpu, ARCH_DEADLINE_SLICE, (base / p + 1) * p + phase);
}

static bool slice_due(void *ctx, bool can_stop)
{
    unsigned cpu = arch_cpu_id_raw();
    struct vcpu *v = pcpus[cpu].vcpu;

    (void)ctx, (void)can_stop;
    rr_slice_expiries[cpu]++;
    /* asleep in the hypervisor or gone: the pCPU halts, and rr_slice_resume re-arms */
    if (v && v->state == VCPU_RUNNING && v->wait_kind == VCPU_WAIT_NONE) {
        rr_slice_arm(cpu);
    }
    return true;
}

uint64_t arch_rt_slice_expiries(unsigned cpu)
{
    return cpu < MAX_CPUS ? __atomic_load_n(&rr_slice_expiries[cpu], __ATOMIC_RELAXED) : 0;
}

void arch_rt_slice_enable(unsigned cpu, uint32_t slice_us)
{
    if (cpu >= MAX_CPUS || slice_us == 0) {
        return;
    }
    uint64_t ticks = arch_counter_hz() * slice_us / 1000000u;

    rr_slice_ticks[cpu] = ticks ? ticks : 1;
    arch_deadline_bind(cpu, ARCH_DEADLINE_SLICE, slice_due, NULL);
}
