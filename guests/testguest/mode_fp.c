// SPDX-License-Identifier: MIT
/*
 * tg.mode=fpshare: FP/SIMD state kept across vCPU switches on a shared pCPU (the hypervisor
 * switches it lazily, arch/aarch64/vcpu_switch.c). Rounds of: fill q0-q31 and FPCR with a
 * pattern of this round (tg.fp_seed apart per VM), busy a varying time without touching them
 * (so some switches find the registers used since the vCPU came in and some find them
 * untouched), then check every one. Neighbours with other seeds on the same pCPU make any
 * register seen from another vCPU, or lost, a failure.
 */
#include "bootargs.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

void fp_fill(uint64_t seed, uint64_t fpcr);
uint64_t fp_check(uint64_t seed, uint64_t fpcr);

#define FPCR_RMODE_SHIFT 22 /* rounding mode, FPCR[23:22] */

void mode_fpshare(void)
{
    uint64_t ms = bootarg_get_u64("tg.fp_ms", 200);
    uint64_t seed = bootarg_get_u64("tg.fp_seed", 1) << 32;
    uint64_t fpcr = (bootarg_get_u64("tg.fp_seed", 1) & 3) << FPCR_RMODE_SHIFT;
    uint64_t end = timer_now() + timer_ms_to_ticks(ms);
    uint64_t rounds = 0, bad = 0, first_bad = 0;

    tg_print("fpshare: %lu ms of FP/SIMD rounds, seed 0x%lx, FPCR 0x%lx", ms, seed, fpcr);
    while (timer_now() < end) {
        uint64_t s = seed + rounds * 64;
        fp_fill(s, fpcr);
        /* 0..3.5 ms without FP: longer than a 1 ms turn at times */
        uint64_t until = timer_now() + timer_ms_to_ticks(rounds % 8) / 2;
        while (timer_now() < until) {
        }
        uint64_t n = fp_check(s, fpcr);
        if (n && !bad) {
            first_bad = rounds;
        }
        bad += n;
        rounds++;
    }
    fp_fill(0, 0);
    report(bad == 0 && rounds >= 16,
           "fpshare: q0-q31 and FPCR kept in %lu rounds (%lu differences, first in round %lu)",
           (unsigned long)rounds, (unsigned long)bad, (unsigned long)first_bad);
    tg_finish();
}
