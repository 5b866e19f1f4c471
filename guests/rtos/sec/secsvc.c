// SPDX-License-Identifier: MIT
/*
 * The RTOS's client of the secure services (rt/secsvc.h): Bulkhead's BH_HC_SEC_* hypercalls,
 * their BH_E_* results mapped to the kernel's RT_E* codes.
 */
#include <bulkhead/abi.h>
#include <bulkhead/hvc.h>
#include <bulkhead/secsvc.h>

#include <rt/rt.h>
#include <rt/secsvc.h>

static int code(int64_t r)
{
    if (r >= 0) {
        return r > INT32_MAX ? RT_EINVAL : (int)r;
    }
    switch (r) {
    case BH_E_NOT_SUPPORTED:
        return RT_ENOTSUP;
    case BH_E_DENIED:
        return RT_EPERM;
    case BH_E_BUSY:
        return RT_EBUSY;
    default:
        return RT_EINVAL;
    }
}

int rt_sec_null(void)
{
    return code(bh_hvc(BH_HC_SEC_NULL, 0, 0, 0, 0));
}

int rt_sec_seal(const void *in, size_t len, void *out, size_t cap)
{
    return code(bh_hvc(BH_HC_SEC_SEAL, (uintptr_t)in, len, (uintptr_t)out, cap));
}

int rt_sec_unseal(const void *blob, size_t len, void *out, size_t cap)
{
    return code(bh_hvc(BH_HC_SEC_UNSEAL, (uintptr_t)blob, len, (uintptr_t)out, cap));
}

int rt_sec_derive(const void *label, size_t len, uint8_t key[32])
{
    return code(bh_hvc(BH_HC_SEC_DERIVE, (uintptr_t)label, len, (uintptr_t)key, 32));
}
