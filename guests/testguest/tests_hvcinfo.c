// SPDX-License-Identifier: MIT
/*
 * tg.mode=hvcinfo: the register-only Bulkhead calls (include/bulkhead/abi.h BH_HC_NULL,
 * BH_HC_VERSION, BH_HC_VM_ID), which the hypervisor answers in its exception vector
 * (arch/aarch64/vectors.S guest_hvc_other), and the function IDs around them that it must
 * leave to the C dispatcher: each returns its answer in x0, leaves x1-x3 as they were, and
 * the function ID's upper 32 bits are ignored (SMCCC: W0 holds it). tg.vm_id names the VM's
 * index the scenario expects. HV_ROUNDS of each, so the scenario can count the exits.
 */
#include <bulkhead/abi.h>

#include "bootargs.h"
#include "report.h"
#include "tests.h"

#define HV_ROUNDS          100
#define HV_NOT_SUPPORTED   UINT64_MAX /* SMCCC NOT_SUPPORTED, -1 */
#define HV_X1              0x1111111111111111ull
#define HV_X2              0x2222222222222222ull
#define HV_X3              0x3333333333333333ull

/* One HVC; true when x1-x3 came back unchanged. */
static bool hv_call(uint64_t fid, uint64_t *ret)
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = HV_X1;
    register uint64_t x2 __asm__("x2") = HV_X2;
    register uint64_t x3 __asm__("x3") = HV_X3;

    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    *ret = x0;
    return x1 == HV_X1 && x2 == HV_X2 && x3 == HV_X3;
}

static void hv_check(const char *name, uint64_t fid, uint64_t want)
{
    uint64_t got = 0;
    unsigned good = 0;

    for (unsigned i = 0; i < HV_ROUNDS; i++) {
        bool kept = hv_call(fid, &got);
        good += kept && got == want;
    }
    report(good == HV_ROUNDS, "hvcinfo: %s (0x%lx) returns 0x%lx, x1-x3 kept: %u of %u (last 0x%lx)",
           name, (unsigned long)fid, (unsigned long)want, good, HV_ROUNDS, (unsigned long)got);
}

void tests_hvcinfo(void)
{
    uint64_t id = bootarg_get_u64("tg.vm_id", 0);

    hv_check("BH_HC_NULL", BH_HC_NULL, BH_OK);
    hv_check("BH_HC_VERSION", BH_HC_VERSION, BH_ABI_VERSION);
    hv_check("BH_HC_VM_ID", BH_HC_VM_ID, id);
    hv_check("BH_HC_NULL, upper half set", 0xffffffff00000000ull | BH_HC_NULL, BH_OK);
    hv_check("function 3", BH_HC_BASE + 3, HV_NOT_SUPPORTED);
    hv_check("function 0 as SMC32", BH_HC_NULL & ~(1ull << 30), HV_NOT_SUPPORTED);
    hv_check("function 0 as yielding", BH_HC_NULL & ~(1ull << 31), HV_NOT_SUPPORTED);
    tg_finish();
}
