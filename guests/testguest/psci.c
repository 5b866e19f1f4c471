// SPDX-License-Identifier: MIT
/*
 * SMCCC conduits and the PSCI wrappers. The calls treat x0-x17 as clobbered, which covers
 * both SMCCC v1.0 (x4-x17 unpreserved) and v1.1+ callee behaviour.
 */
#include "psci.h"

static enum psci_conduit conduit = PSCI_CONDUIT_NONE;

#define SMCCC_CLOBBERS                                                                      \
    "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",    \
        "x17", "memory"

int64_t smccc_hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;

    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : SMCCC_CLOBBERS);
    return (int64_t)x0;
}

int64_t smccc_hvc_res(uint32_t fid, uint64_t a1, uint64_t res[3])
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = 0;
    register uint64_t x3 __asm__("x3") = 0;

    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : SMCCC_CLOBBERS);
    res[0] = x1;
    res[1] = x2;
    res[2] = x3;
    return (int64_t)x0;
}

int64_t smccc_smc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;

    __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : SMCCC_CLOBBERS);
    return (int64_t)x0;
}

void psci_set_conduit(enum psci_conduit c)
{
    conduit = c;
}

enum psci_conduit psci_get_conduit(void)
{
    return conduit;
}

int64_t psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    switch (conduit) {
    case PSCI_CONDUIT_HVC:
        return smccc_hvc(fid, a1, a2, a3);
    case PSCI_CONDUIT_SMC:
        return smccc_smc(fid, a1, a2, a3);
    case PSCI_CONDUIT_NONE:
    default:
        return PSCI_RET_NOT_SUPPORTED;
    }
}

uint32_t psci_version(void)
{
    return (uint32_t)psci_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
}

int64_t psci_features(uint32_t fid)
{
    /* PSCI_FEATURES returns a 32-bit signed value */
    return (int32_t)psci_call(PSCI_1_0_FN_PSCI_FEATURES, fid, 0, 0);
}

int64_t psci_cpu_on(uint64_t mpidr, uintptr_t entry_pa, uint64_t context_id)
{
    return (int32_t)psci_call(PSCI_0_2_FN64_CPU_ON, mpidr, entry_pa, context_id);
}

int64_t psci_affinity_info(uint64_t mpidr)
{
    return (int32_t)psci_call(PSCI_0_2_FN64_AFFINITY_INFO, mpidr, PSCI_AFFINITY_LEVEL0, 0);
}

int64_t psci_cpu_off(void)
{
    return (int32_t)psci_call(PSCI_0_2_FN_CPU_OFF, 0, 0, 0);
}

void psci_system_off(void)
{
    psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
}
