/* SPDX-License-Identifier: MIT */
/*
 * Per-pCPU deadlines on the one EL2 timer this CPU has (CNTHP, the EL2 physical timer: no
 * FEAT_VHE, so no EL2 virtual timer). Each user owns a slot holding a physical count value
 * (CNTPCT_EL0); the nearest of a pCPU's slots is what CNTHP is programmed with, and when it
 * passes, every due slot is cleared and its owner called on that pCPU. Times are counter
 * values, never ns, so no conversion happens on the way (arch/aarch64/deadline.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* A slot; the first two are the arch layer's own. */
enum arch_deadline_id {
    ARCH_DEADLINE_WAIT,   /* arch_vcpu_wait's time limit (no callback: the waiter re-checks) */
    ARCH_DEADLINE_PTIMER, /* the vCPU's emulated EL1 physical timer (vtimer.c) */
    ARCH_DEADLINE_WDOG,   /* the VM's virtual watchdog, on its vCPU 0's pCPU (core/vm/vm_wdog.c) */
    ARCH_DEADLINE_SHUTDOWN, /* a graceful shutdown's forced stop, on vCPU 0's pCPU (vm_power.c) */
    ARCH_DEADLINE_CONSOLE,  /* the end of a hold of the console UART's receiver (irq.c) */
    ARCH_DEADLINE_SLICE,    /* the platform's round-robin time slice (rr_slice.c) */
    ARCH_DEADLINE_SCHED,    /* a shared pCPU's next scheduling decision (sched_cpu.c) */
    ARCH_DEADLINE_COUNT,
};

#define ARCH_DEADLINE_NEVER UINT64_MAX

/*
 * A bound slot's callback, on the slot's pCPU with interrupts masked, once the counter
 * reached the slot's value (the slot is cleared first: re-arm it with arch_deadline_set).
 * can_stop is false while the pCPU blocks in arch_vcpu_wait for its vCPU: a callback that
 * must stop or restart its VM then returns false, the wait ends, and the callback runs again
 * (can_stop true) as soon as the vCPU is back in the guest. Otherwise it returns true.
 */
typedef bool arch_deadline_fn(void *ctx, bool can_stop);

/* Give slot id of pCPU cpu a callback (boot, before the slot is set). */
void arch_deadline_bind(unsigned cpu, enum arch_deadline_id id, arch_deadline_fn *fn, void *ctx);

/*
 * Slot id of pCPU cpu passes at counter value at (ARCH_DEADLINE_NEVER: off). From any pCPU:
 * another pCPU is interrupted to reprogram its timer when the slot moved earlier (a later
 * value waits for the earlier expiry, which finds the slot not yet due and re-arms).
 */
void arch_deadline_set(unsigned cpu, enum arch_deadline_id id, uint64_t at);

/* The physical count (CNTPCT_EL0), ordered after earlier instructions. */
uint64_t arch_counter(void);

/* Its frequency in Hz (CNTFRQ_EL0; the architecture keeps it below 2^32). */
uint64_t arch_counter_hz(void);
