// SPDX-License-Identifier: MIT
/*
 * Guest overhead (docs/PERFORMANCE.md, measurement 6): a fixed compute workload under a 1 kHz
 * virtual-timer tick, timed with the guest's own virtual counter. The same binary runs on
 * plain QEMU and under Bulkhead; with QEMU -icount shift=0 a counter tick stands for a fixed
 * number of instructions on every CPU, so the difference is the hypervisor's share.
 */
#include "bench.h"
#include "bootargs.h"
#include "report.h"
#include "timer.h"

#define TICK_HZ            1000
#define WORK_ITERS_DEFAULT 20000000UL
#define XORSHIFT_SEED      0x9e3779b97f4a7c15UL
#define TICK_TIMEOUT_MS    100

/* xorshift64 (Marsaglia 2003): a few ALU instructions per step, no memory traffic. */
static uint64_t __attribute__((noinline)) workload(uint64_t iters)
{
    uint64_t x = XORSHIFT_SEED;

    for (uint64_t i = 0; i < iters; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

static bool tick_after(const void *arg)
{
    return READ_ONCE(this_cpu()->timer_ticks) > *(const uint32_t *)arg;
}

void bench_overhead(void)
{
    uint64_t iters = bootarg_get_u64("bench.work", WORK_ITERS_DEFAULT);

    timer_start_periodic(TICK_HZ);
    uint32_t t = 0;
    report(wait_irq_cond(tick_after, &t, TICK_TIMEOUT_MS), "overhead: 1 kHz tick running");
    /* start right after a tick, so both runs see the same tick phase */
    t = READ_ONCE(this_cpu()->timer_ticks);
    wait_irq_cond(tick_after, &t, TICK_TIMEOUT_MS);

    uint32_t ticks0 = READ_ONCE(this_cpu()->timer_ticks);
    uint64_t c0 = timer_now();
    uint64_t sum = workload(iters);
    uint64_t c1 = timer_now();
    uint32_t ticks1 = READ_ONCE(this_cpu()->timer_ticks);

    timer_stop();
    tg_print("BENCH overhead elapsed_cnt=%lu freq=%lu ticks=%u iters=%lu checksum=0x%lx", c1 - c0,
             timer_freq(), ticks1 - ticks0, iters, sum);
    tg_finish();
}
