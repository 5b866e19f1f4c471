/* SPDX-License-Identifier: MIT */
/* Host stand-in for the parts of <arch/cpu.h> that portable core code uses in unit tests:
 * time advances 1 ms per reading, so bounded waits end; events are no-ops. */
#pragma once

#include <stdint.h>

static inline uint64_t arch_now_ns(void)
{
    static uint64_t t;
    return t += 1000000;
}

static inline void arch_wake_all(void)
{
}

static inline void arch_wait_event(void)
{
}
