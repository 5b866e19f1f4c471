// SPDX-License-Identifier: MIT
/*
 * Long-running and crashing modes used as neighbours and victims in scenario tests: they
 * check the hypervisor's stop/restart policy and isolation, not the guest itself.
 */
#include "bootargs.h"
#include "psci.h"
#include "platform.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define SPIN_TICK_HZ        1000
#define SPIN_ALIVE_TICKS    500
#define SPIN_WAIT_MS        10000
#define DEFAULT_CRASH_AFTER_MS 100
#define DEFAULT_RESET_AFTER_MS 100
#define PSCI_SYSTEM_RESET   0x84000009u
#define CRASH_OFFSET        (16 * 0x100000UL) /* 16 MiB past the end of RAM */

static bool ticks_reached(const void *arg)
{
    return READ_ONCE(this_cpu()->timer_ticks) >= *(const uint32_t *)arg;
}

/*
 * tg.hz= ticks per second (default 1000), an "alive" line every half second unless
 * tg.alive=0. With a high tg.hz this is the round-robin "metronome" of the QEMU scenarios that
 * keep real-time deadlines beside Linux (configs/train.dts, guests/rtos/README.md).
 */
void mode_spin(void)
{
    uint32_t target = 0;
    bool say_alive = bootarg_get_u64("tg.alive", 1) != 0;
    uint32_t hz = (uint32_t)bootarg_get_u64("tg.hz", SPIN_TICK_HZ);
    uint32_t alive = (uint32_t)((uint64_t)SPIN_ALIVE_TICKS * hz / SPIN_TICK_HZ);

    if (hz == 0 || hz > 100000 || alive == 0) {
        tg_fatal("spin: tg.hz=%u out of range (2..100000)", hz);
    }
    tg_print("spinning at %u Hz", hz);
    timer_start_periodic(hz);
    for (;;) {
        target += alive;
        /* a missed deadline is worth a line, but spinning must go on regardless */
        if (!wait_irq_cond(ticks_reached, &target, SPIN_WAIT_MS)) {
            report_info("spin: tick %u not reached in %u ms", target, SPIN_WAIT_MS);
        }
        if (say_alive) {
            tg_print("alive %u", READ_ONCE(this_cpu()->timer_ticks));
        }
    }
}

void mode_crash(void)
{
    uint64_t delay_ms = bootarg_get_u64("tg.crash_after", DEFAULT_CRASH_AFTER_MS);
    uintptr_t target = platform_mem_highest_end() + CRASH_OFFSET;

    tg_print("crash in %lu ms", delay_ms);
    timer_delay_ms(delay_ms);
    tg_print("crashing: reading 0x%lx outside RAM", target);
    (void)*(volatile uint32_t *)target;
    /* only reached if the read did not fault: the platform failed to contain it */
    tg_fatal("crash: read of 0x%lx outside RAM did not fault", target);
}

void mode_reset(void)
{
    uint64_t delay_ms = bootarg_get_u64("tg.reset_after", DEFAULT_RESET_AFTER_MS);

    tg_print("reset in %lu ms", delay_ms);
    timer_delay_ms(delay_ms);
    tg_print("calling SYSTEM_RESET");
    int64_t r = psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    /* SYSTEM_RESET does not return on success (PSCI 5.11) */
    tg_fatal("SYSTEM_RESET returned %ld", (long)r);
}

/*
 * tg.mode=hog: a CPU hog that never idles (no WFI, no WFE) for tg.hog_ms of virtual time
 * (default 3000), with no timer of its own unless tg.hz is given (a guest OS tick), after
 * sleeping tg.idle_ms (default 0) in one WFI (an idle neighbour: tg.hog_ms=0). The
 * neighbour that real-time tests run beside: under QEMU's single-threaded round robin it
 * holds the host thread as long as nothing ends its turn (docs/VIRTUAL-CPU.md "QEMU
 * round-robin time slice").
 */
void mode_hog(void)
{
    uint64_t ms = bootarg_get_u64("tg.hog_ms", 3000);
    uint64_t idle_ms = bootarg_get_u64("tg.idle_ms", 0);
    uint32_t hz = (uint32_t)bootarg_get_u64("tg.hz", 0);
    uint64_t loops = 0;

    if (hz > 100000) {
        tg_fatal("hog: tg.hz=%u out of range (0..100000)", hz);
    }
    tg_print("hog: idle for %lu ms, then busy for %lu ms, tick %u Hz", idle_ms, ms, hz);
    if (idle_ms) {
        timer_delay_ms(idle_ms);
    }
    uint64_t end = timer_now() + timer_ms_to_ticks(ms);
    if (hz) {
        timer_start_periodic(hz);
    }
    while (timer_now() < end) {
        for (volatile unsigned i = 0; i < 1000; i++) {
        }
        loops++;
    }
    if (hz) {
        timer_stop();
    }
    report(loops > 0 || ms == 0, "hog: busy %lu ms without idling (%lu loops, %u ticks)", ms,
           (unsigned long)loops, READ_ONCE(this_cpu()->timer_ticks));
    tg_finish();
}
