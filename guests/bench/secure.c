// SPDX-License-Identifier: MIT
/*
 * bench.mode=secure: the round trip of a null secure-service call (BH_HC_SEC_NULL: guest ->
 * EL2 -> SMC -> EL3 -> back), booted through Bulkhead's bench EL3 firmware, which lets the
 * PMU count at EL3: the hypervisor's counter then holds EL2 + EL3 instructions (arch/aarch64
 * pmu.c), so one window around n calls, less a calibrated counter read, is the whole round
 * trip. The null hypercall is measured beside it for the difference (the world switch).
 * Needs a VM allowed "keys" (the null call is in that range).
 */
#include <bulkhead/abi.h>

#include "bench.h"
#include "bootargs.h"
#include "psci.h"
#include "report.h"

#define N_DEFAULT 200

void bench_secure(void)
{
    uint64_t n = bootarg_get_u64("bench.n", N_DEFAULT), bad = 0;
    uint64_t cal;

    if ((int64_t)bench_el2_insns() < 0) {
        tg_fatal("no EL2 instruction counter: not a CONFIG_BENCH build of Bulkhead");
    }
    cal = bench_calibrate();
    bad |= (uint64_t)smccc_hvc(BH_HC_SEC_NULL, 0, 0, 0); /* warm: first-touch paths */
    uint64_t a = bench_el2_insns();
    for (uint64_t i = 0; i < n; i++) {
        bad |= (uint64_t)smccc_hvc(BH_HC_SEC_NULL, 0, 0, 0);
    }
    uint64_t b = bench_el2_insns();
    report(bad == 0, "secure: BH_HC_SEC_NULL returned 0 (a secure world answers)");
    bench_print_result("sec_null", b - a - cal, n, cal);
    a = bench_el2_insns();
    for (uint64_t i = 0; i < n; i++) {
        bad |= (uint64_t)smccc_hvc(BH_HC_NULL, 0, 0, 0);
    }
    b = bench_el2_insns();
    report(bad == 0, "secure: BH_HC_NULL returned 0");
    bench_print_result("hvc", b - a - cal, n, cal);
    tg_finish();
}
