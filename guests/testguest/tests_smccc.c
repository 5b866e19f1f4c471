// SPDX-License-Identifier: MIT
/*
 * tg.mode=smccc: the firmware interface as the SMC Calling Convention (ARM DEN0028 v1.1), the
 * TRNG interface (ARM DEN0098) and PSCI (DEN0022D) specify discovery. Probes must be answered
 * (and leave no hvc_unknown record: the scenario forbids it); malformed or unknown calls answer
 * NOT_SUPPORTED (and are recorded).
 * tg.mode=cpuoff: CPU_OFF of every vCPU, the last one included: the VM then counts as
 * stopped (the scenario checks the hypervisor's record).
 */
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "sysreg.h"
#include "tests.h"
#include "timer.h"

#define SMCCC_VERSION           0x80000000U
#define SMCCC_ARCH_FEATURES     0x80000001U
#define SMCCC_ARCH_SOC_ID       0x80000002U
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffU
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffU
#define SMCCC_ARCH_UNKNOWN      0x80000100U
#define SMCCC_VERSION_1_1       0x10001
#define STD_SVC_UID             0x8400ff01U
#define STD_HYP_SVC_UID         0x8500ff01U
#define VENDOR_HYP_UID          0x8600ff01U
#define BULKHEAD_UID0           0x6b1d7c5e
#define TRNG_VERSION            0x84000050U
#define TRNG_FEATURES           0x84000051U
#define TRNG_GET_UUID           0x84000052U
#define TRNG_RND64              0xc4000053U
#define TRNG_INVALID_PARAMS     (-2)
#define YIELDING_CALL           0x04000000U /* bit 31 clear */
#define FAST_CALL_MBZ_SET       0x84010000U /* bits 23:16 must be zero */
#define MIDR_PART(m)            (((m) >> 4) & 0xfff)
#define MIDR_IMPL(m)            (((m) >> 24) & 0xff)
#define ID_ISAR0_RNDR(v)        (((v) >> 60) & 0xf)

/* SMCCC results are 32-bit signed for SMC32 function IDs. */
static int32_t call32(uint32_t fid, uint64_t a1)
{
    return (int32_t)psci_call(fid, a1, 0, 0);
}

static void test_discovery(void)
{
    int32_t r = (int32_t)psci_features(SMCCC_VERSION);

    report(r == 0, "smccc: PSCI_FEATURES(SMCCC_VERSION) = %d (implemented)", r);
    r = call32(SMCCC_VERSION, 0);
    report(r == SMCCC_VERSION_1_1, "smccc: SMCCC_VERSION = 0x%x (1.1)", (unsigned)r);
    r = call32(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES);
    report(r == 0, "smccc: ARCH_FEATURES(ARCH_FEATURES) = %d", r);
    r = call32(SMCCC_ARCH_FEATURES, SMCCC_ARCH_UNKNOWN);
    report(r == SMCCC_RET_NOT_SUPPORTED, "smccc: ARCH_FEATURES(unknown arch call) = %d", r);
    r = call32(SMCCC_ARCH_FEATURES, PSCI_0_2_FN_PSCI_VERSION);
    report(r == SMCCC_RET_NOT_SUPPORTED, "smccc: ARCH_FEATURES(a PSCI call) = %d (not arch)", r);
    r = call32(SMCCC_ARCH_FEATURES, SMCCC_ARCH_SOC_ID);
    report(r == SMCCC_RET_NOT_SUPPORTED, "smccc: ARCH_FEATURES(SOC_ID) = %d (not offered)", r);

    r = call32(STD_SVC_UID, 0);
    report(r == SMCCC_RET_NOT_SUPPORTED, "smccc: standard service UID = %d", r);
    r = call32(STD_HYP_SVC_UID, 0);
    report(r == SMCCC_RET_NOT_SUPPORTED, "smccc: standard hypervisor service UID = %d", r);
    r = call32(VENDOR_HYP_UID, 0);
    report(r == BULKHEAD_UID0, "smccc: vendor hypervisor UID word 0 = 0x%x (Bulkhead)",
           (unsigned)r);
}

/* What DEN0028 7.4-7.6 allow, and what this PE should get: Cortex-A72 (QEMU's model, no
 * firmware mitigation beneath) is affected by Spectre v2 and v4 with nothing to offer, and by
 * BHB with the 8-branch loop the hypervisor runs. */
static void test_workarounds(void)
{
    uint64_t midr = read_sysreg(midr_el1);
    bool a72 = MIDR_IMPL(midr) == 0x41 && MIDR_PART(midr) == 0xd08;
    int32_t w1 = call32(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1);
    int32_t w2 = call32(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2);
    int32_t w3 = call32(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_3);

    report(w1 >= -1 && w1 <= 1, "smccc: ARCH_FEATURES(WORKAROUND_1) = %d (a defined value)", w1);
    report(w2 >= -2 && w2 <= 1, "smccc: ARCH_FEATURES(WORKAROUND_2) = %d (a defined value)", w2);
    report(w3 >= -1 && w3 <= 1, "smccc: ARCH_FEATURES(WORKAROUND_3) = %d (a defined value)", w3);
    if (a72) {
        report(w1 == -1 && w2 == -1 && w3 == 0,
               "smccc: Cortex-A72 without firmware help: WA1 %d WA2 %d WA3 %d (-1 -1 0)", w1,
               w2, w3);
    }
    if (w3 >= 0) {
        int32_t r = call32(SMCCC_ARCH_WORKAROUND_3, 0);
        report(r == 0, "smccc: WORKAROUND_3 call returns %d", r);
    }
    if (w1 >= 0) {
        int32_t r = call32(SMCCC_ARCH_WORKAROUND_1, 0);
        report(r == 0, "smccc: WORKAROUND_1 call returns %d", r);
    }
}

static void test_trng(void)
{
    bool rndr = ID_ISAR0_RNDR(read_sysreg(id_aa64isar0_el1)) != 0;
    int32_t v = call32(TRNG_VERSION, 0);

    if (!rndr) {
        report(v == SMCCC_RET_NOT_SUPPORTED, "trng: TRNG_VERSION = %d without FEAT_RNG", v);
        int32_t f = call32(TRNG_FEATURES, TRNG_RND64);
        report(f == SMCCC_RET_NOT_SUPPORTED, "trng: TRNG_FEATURES(RND64) = %d", f);
        return;
    }
    report(v >= 0x10000, "trng: TRNG_VERSION = 0x%x (>= 1.0)", (unsigned)v);
    report(call32(TRNG_FEATURES, TRNG_RND64) == 0, "trng: TRNG_FEATURES(RND64) = 0");
    report(call32(TRNG_GET_UUID, 0) != -1, "trng: TRNG_GET_UUID answers");
    report(psci_call(TRNG_RND64, 0, 0, 0) == TRNG_INVALID_PARAMS, "trng: RND64(0 bits) invalid");
    report(psci_call(TRNG_RND64, 193, 0, 0) == TRNG_INVALID_PARAMS,
           "trng: RND64(193 bits) invalid");
    uint64_t a[3], b[3];
    int64_t ra = smccc_hvc_res(TRNG_RND64, 192, a), rb = smccc_hvc_res(TRNG_RND64, 192, b);
    report(ra == 0 && rb == 0 && (a[0] != b[0] || a[1] != b[1] || a[2] != b[2]),
           "trng: two RND64(192 bits) draws succeed and differ");
    uint64_t c[3];
    int64_t rc = smccc_hvc_res(TRNG_RND64, 8, c);
    report(rc == 0 && c[0] == 0 && c[1] == 0 && c[2] <= 0xff,
           "trng: RND64(8 bits) fills only the low 8 bits of x3");
}

static void test_malformed(void)
{
    int64_t r = psci_call(YIELDING_CALL, 0, 0, 0);

    report(r == SMCCC_RET_NOT_SUPPORTED, "smccc: yielding call 0x%x = %ld (not supported)",
           YIELDING_CALL, r);
    r = psci_call(FAST_CALL_MBZ_SET, 0, 0, 0);
    report(r == SMCCC_RET_NOT_SUPPORTED, "smccc: fast call with bits 23:16 set = %ld", r);
}

void tests_smccc(void)
{
    test_discovery();
    test_workarounds();
    test_trng();
    test_malformed();
    tg_finish();
}

/* ---------------------------------------------------------------- CPU_OFF of every vCPU */

static bool cpu_off_now(const void *arg)
{
    return psci_affinity_info(*(const uint64_t *)arg) == PSCI_AFFINITY_OFF;
}

void tests_cpuoff(void)
{
    for (uint32_t i = 1; i < plat.cpu_count; i++) {
        int64_t ret = psci_cpu_on(plat.cpu_mpidr[i], (uintptr_t)secondary_entry, i);
        report(ret == PSCI_RET_SUCCESS, "cpuoff: CPU_ON(cpu %u) = %ld", i, ret);
        /* The secondary part of this mode returns at once: the CPU turns itself off. */
        report(wait_event_cond(cpu_off_now, &plat.cpu_mpidr[i], 1000),
               "cpuoff: cpu %u turned itself off", i);
    }
    if (tg_summary()) {
        int64_t ret = psci_cpu_off();
        tg_print("CPU_OFF of the last vCPU returned %ld", ret);
    }
    for (;;) {
        wfi();
    }
}

void tests_cpuoff_secondary(void)
{
}
