// SPDX-License-Identifier: MIT
/*
 * Which SMCCC ranges are secure-world services, by owning entity (ARM DEN0028 table 6-4) and
 * function number, and which secure-services name grants each (docs/TRUST.md "Mediation"):
 *   OEN 0 (Arm architecture), PSCI (OEN 4, 0x00-0x1f), OEN 5 and 6 (hypervisor calls):
 *     not mediated, every VM's;
 *   TRNG (OEN 4, 0x50-0x5f, DEN0098): "trng";
 *   Bulkhead's key-store and attestation hypercalls (OEN 6, secpolicy.h): "keys", "attest";
 *   Trusted Applications and Trusted OS (OEN 48-63, fast and yielding): "tee";
 *   CPU, SiP and OEM services (OEN 1-3) and the other standard secure services (SDEI, MM,
 *     ...): no name grants them: a guest never talks to the platform's firmware directly.
 */
#include <core/dev/secpolicy.h>

#include <core/config/config.h>

/* DEN0028 2.5 and table 6-4 (as core/dev/smccc.h, which needs the arch trap frame). */
#define SMCCC_FID_FAST      (UINT32_C(1) << 31)
#define SMCCC_FID_64        (UINT32_C(1) << 30)
#define SMCCC_FID_OEN(fid)  (((fid) >> 24) & 0x3fu)
#define SMCCC_FID_FN(fid)   ((fid) & 0xffffu)
#define SMCCC_FID_MBZ       UINT32_C(0x00ff0000)
#define SMCCC_OEN_STD       4
#define SMCCC_OEN_VENDOR_HYP 6

#define STD_PSCI_LAST  0x1fu
#define STD_TRNG_FIRST 0x50u
#define STD_TRNG_LAST  0x5fu
#define TRNG_VERSION_FN  0x50u
#define TRNG_FEATURES_FN 0x51u
#define OEN_CPU        1
#define OEN_SIP        2
#define OEN_OEM        3
#define OEN_TAPP_FIRST 48
#define OEN_TOS_LAST   63

uint32_t secpolicy_need(uint32_t fid, const char **service)
{
    unsigned oen = SMCCC_FID_OEN(fid), fn = SMCCC_FID_FN(fid);

    if ((fid & SMCCC_FID_FAST) && (fid & SMCCC_FID_MBZ)) {
        return 0; /* malformed: the dispatcher's unknown-call path */
    }
    if (oen >= OEN_TAPP_FIRST && oen <= OEN_TOS_LAST) {
        *service = "tee";
        return CFG_SEC_TEE;
    }
    if (!(fid & SMCCC_FID_FAST)) {
        return 0; /* other yielding calls: nobody implements them */
    }
    switch (oen) {
    case OEN_CPU:
        *service = "cpu";
        return SECPOLICY_NEVER;
    case OEN_SIP:
        *service = "sip";
        return SECPOLICY_NEVER;
    case OEN_OEM:
        *service = "oem";
        return SECPOLICY_NEVER;
    case SMCCC_OEN_STD:
        if (fn <= STD_PSCI_LAST) {
            return 0;
        }
        if (fn >= STD_TRNG_FIRST && fn <= STD_TRNG_LAST) {
            *service = "trng";
            return CFG_SEC_TRNG;
        }
        *service = "std";
        return SECPOLICY_NEVER;
    case SMCCC_OEN_VENDOR_HYP:
        if (fn >= SECPOLICY_BH_KEYS_FIRST && fn <= SECPOLICY_BH_KEYS_LAST) {
            *service = "keys";
            return CFG_SEC_KEYS;
        }
        if (fn >= SECPOLICY_BH_ATTEST_FIRST && fn <= SECPOLICY_BH_ATTEST_LAST) {
            *service = "attest";
            return CFG_SEC_ATTEST;
        }
        return 0;
    default:
        return 0;
    }
}

struct secpolicy_verdict secpolicy_decide(uint32_t allowed, uint32_t fid)
{
    struct secpolicy_verdict v = { .allowed = true, .quiet = false, .service = NULL };
    uint32_t need = secpolicy_need(fid, &v.service);

    if (need == 0 || (need != SECPOLICY_NEVER && (allowed & need) == need)) {
        return v;
    }
    v.allowed = false;
    /* A guest asking whether TRNG exists is not misbehaving (DEN0098 2.1: VERSION answers
     * NOT_SUPPORTED when the interface is absent): answered, not recorded. */
    v.quiet = need == CFG_SEC_TRNG && SMCCC_FID_OEN(fid) == SMCCC_OEN_STD &&
              !(fid & SMCCC_FID_64) &&
              (SMCCC_FID_FN(fid) == TRNG_VERSION_FN || SMCCC_FID_FN(fid) == TRNG_FEATURES_FN);
    return v;
}

bool secpolicy_buffer_ok(uint64_t mem_ipa, uint64_t mem_size, uint64_t ipa, uint64_t len,
                         uint64_t max)
{
    return len != 0 && len <= max && ipa >= mem_ipa && ipa - mem_ipa <= mem_size &&
           len <= mem_size - (ipa - mem_ipa);
}
