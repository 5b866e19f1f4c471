/* SPDX-License-Identifier: MIT */
/*
 * Time base: the EL1 virtual counter (ARM ARM D11.2). Under Bulkhead CNTVOFF_EL2 is 0, so
 * virtual time is the platform's counter time; under QEMU -icount it is instruction time.
 */
#pragma once

#include <rt/rt.h>

/* Current virtual count; an ISB orders it after earlier instructions. Any context. */
static inline rt_time_t rt_now(void)
{
    uint64_t v;

    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
}

/* Counter frequency in Hz (CNTFRQ_EL0, read once at boot). */
uint64_t rt_clock_hz(void);

/* Conversions; rounding down. Saturate instead of overflowing. */
uint64_t rt_us_to_ticks(uint64_t us);
uint64_t rt_ticks_to_us(uint64_t ticks);

/* Microseconds since the kernel started (rt_kernel_start). */
uint64_t rt_uptime_us(void);

/*
 * Called first in the timer interrupt handler, in kernel context with IRQs masked, with the
 * counter read at the handler's entry and the compare value that fired (rt.app=latency). The
 * probe must not block; NULL removes it. Any context.
 */
typedef void (*rt_clock_probe_fn)(rt_time_t now, rt_time_t cval);
void rt_clock_set_probe(rt_clock_probe_fn probe);
