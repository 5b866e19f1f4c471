/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for <arch/deadline.h> (per-pCPU EL2 timer deadlines): the counter is a
 * variable unit tests set, and arch_deadline_set records the last value per slot.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum arch_deadline_id {
    ARCH_DEADLINE_WAIT,
    ARCH_DEADLINE_PTIMER,
    ARCH_DEADLINE_WDOG,
    ARCH_DEADLINE_SHUTDOWN,
    ARCH_DEADLINE_COUNT,
};

#define ARCH_DEADLINE_NEVER UINT64_MAX

typedef bool arch_deadline_fn(void *ctx, bool can_stop);

/* What the code under test asked for, and the time it sees. */
extern uint64_t host_counter, host_counter_hz;
extern uint64_t host_deadline[ARCH_DEADLINE_COUNT];

static inline void arch_deadline_bind(unsigned cpu, enum arch_deadline_id id,
                                      arch_deadline_fn *fn, void *ctx)
{
    (void)cpu, (void)id, (void)fn, (void)ctx;
}

static inline void arch_deadline_set(unsigned cpu, enum arch_deadline_id id, uint64_t at)
{
    (void)cpu;
    host_deadline[id] = at;
}

static inline uint64_t arch_counter(void)
{
    return host_counter;
}

static inline uint64_t arch_counter_hz(void)
{
    return host_counter_hz;
}
