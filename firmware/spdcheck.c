// SPDX-License-Identifier: MIT
/*
 * What EL3 routes into the secure partition and what it lets come back (spd.h,
 * docs/TRUST.md "The secure partition"): portable, unit-tested on the host
 * (tests/unit/test_fw_spd.c). The partition is not trusted with the caller's registers: its
 * x0 is bounded per call (a length no larger than the call can answer and the caller allowed,
 * an error code from the call's own set), and a fault answers the call's own error.
 */
#include "spd.h"

#include <bulkhead/abi.h>
#include <bulkhead/optee.h>
#include <bulkhead/secsvc.h>

#define TRNG_RND32     0x84000053u
#define TRNG_RND64     0xc4000053u
#define TRNG_NOT_SUPPORTED  (-1)
#define TRNG_INVALID_PARAMS (-2)
#define TRNG_NO_ENTROPY     (-3)

bool spd_is_trng(uint32_t fid)
{
    return (fid & ~UINT32_C(0x4000000f)) == 0x84000050u;
}

static bool is_optee(uint32_t fid)
{
    unsigned oen = (fid >> 24) & 0x3f;
    return oen >= OPTEE_SMC_OEN_TOS && oen <= OPTEE_SMC_OEN_TOS_END;
}

static bool is_sip(uint32_t fid)
{
    return (fid & 0xffffff00u) == BH_SEC_FID(0);
}

/* What a call answers when the partition faulted or is not up. */
uint64_t spd_error_answer(uint32_t fid)
{
    if (spd_is_trng(fid)) {
        return (uint64_t)(int64_t)(fid == TRNG_RND32 || fid == TRNG_RND64 ? TRNG_NO_ENTROPY
                                                                          : TRNG_NOT_SUPPORTED);
    }
    if (is_optee(fid)) {
        return OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
    }
    return (uint64_t)(int64_t)BH_E_BUSY;
}

/* x0 of an answer within what the call can answer; else the call's error. cap: the caller's
 * x4 (the output's capacity). */
uint64_t spd_bound(uint32_t fid, uint64_t r0, uint64_t cap)
{
    int64_t r = (int64_t)r0;

    if (is_sip(fid)) {
        if (r < 0) {
            return r >= BH_E_TIMEOUT ? r0 : (uint64_t)(int64_t)BH_E_INVAL;
        }
        switch (fid) {
        case BH_SEC_SEAL:
        case BH_SEC_UNSEAL:
            return (uint64_t)r <= cap && (uint64_t)r <= BH_SEC_DATA_MAX + BH_SEAL_OVERHEAD
                       ? r0 : (uint64_t)(int64_t)BH_E_RANGE;
        case BH_SEC_SIGN:
            return r == BH_SEC_SIG_BYTES ? r0 : (uint64_t)(int64_t)BH_E_RANGE;
        case BH_SEC_DERIVE:
            return r == BH_SEC_KEY_BYTES ? r0 : (uint64_t)(int64_t)BH_E_RANGE;
        case BH_SEC_ATTEST:
            return (uint64_t)r <= cap && r == (int64_t)sizeof(struct bh_attest_report)
                       ? r0 : (uint64_t)(int64_t)BH_E_RANGE;
        default:
            return r0; /* NULL, MEASURE_*: 0; LOG_READ: kind | id << 8 */
        }
    }
    if ((fid == TRNG_RND32 || fid == TRNG_RND64) && r != 0 && r != TRNG_INVALID_PARAMS &&
        r != TRNG_NO_ENTROPY) {
        return (uint64_t)(int64_t)TRNG_NO_ENTROPY;
    }
    return r0;
}

bool spd_routes(uint32_t fid)
{
    return spd_is_trng(fid) || is_optee(fid) || is_sip(fid);
}
