/* SPDX-License-Identifier: MIT */
/* The platform's round-robin time slice on EL2's timer (rr_slice.c, <arch/cpu.h>). */
#pragma once

#include <stdint.h>

#include <arch/layout.h>

/* Per pCPU: the slice in counter ticks, 0 where it is off (written at boot only). */
extern uint64_t rr_slice_ticks[MAX_CPUS];

/* The slice's slot passed or was never armed while the vCPU slept: arm the next boundary. */
void rr_slice_arm(unsigned cpu);

/*
 * This pCPU's vCPU is about to run guest code again after sleeping in the hypervisor (a
 * trapped WFI, a blocking call) or from reset: its slice starts again. A load and a branch
 * where the slice is off (every real-time pCPU, every platform without the quirk).
 */
static inline void rr_slice_resume(unsigned cpu)
{
    if (rr_slice_ticks[cpu]) {
        rr_slice_arm(cpu);
    }
}
