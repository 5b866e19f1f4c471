/* SPDX-License-Identifier: MIT */
/*
 * Mediation of guest calls into the secure world (docs/TRUST.md "Mediation"): which SMCCC
 * function ranges belong to which secure service, and whether a VM's secure-services property
 * (core/config/config_secsvc.c) lets it call them. Portable: smccc_dispatch asks it before any
 * service sees a call; unit-tested on the host (tests/unit/test_secpolicy.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Bulkhead's secure-service hypercalls (bulkhead/abi.h BH_HC_SEC_*): function numbers. */
#define SECPOLICY_BH_KEYS_FIRST   0x0030u
#define SECPOLICY_BH_KEYS_LAST    0x0037u
#define SECPOLICY_BH_ATTEST_FIRST 0x0038u
#define SECPOLICY_BH_ATTEST_LAST  0x003fu

/* No policy name grants the range: always denied (SiP, OEM, CPU, other standard services). */
#define SECPOLICY_NEVER UINT32_C(0x80000000)

struct secpolicy_verdict {
    bool allowed;
    bool quiet;          /* a denied discovery probe (TRNG_VERSION, TRNG_FEATURES): no record */
    const char *service; /* what the range is called in the smc_deny record */
};

/*
 * The CFG_SEC_* bit a call of fid needs, SECPOLICY_NEVER for a secure range no VM may call,
 * or 0 for a call the policy does not mediate (PSCI, the architecture calls, hypervisor calls,
 * malformed and reserved IDs: the dispatcher answers those as before). *service names the
 * range (never NULL when the result is not 0).
 */
uint32_t secpolicy_need(uint32_t fid, const char **service);

/* The decision for a VM whose secure-services mask is allowed. */
struct secpolicy_verdict secpolicy_decide(uint32_t allowed, uint32_t fid);

/*
 * A guest buffer argument of a secure-service call: true when [ipa, ipa + len) lies inside
 * the VM's RAM [mem_ipa, mem_ipa + mem_size) and len is 1..max. Overflow-safe for any
 * values the guest chooses (ipa near 2^64, len huge).
 */
bool secpolicy_buffer_ok(uint64_t mem_ipa, uint64_t mem_size, uint64_t ipa, uint64_t len,
                         uint64_t max);
