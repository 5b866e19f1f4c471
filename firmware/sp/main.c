// SPDX-License-Identifier: MIT
/*
 * The secure partition's dispatcher (S-EL1, docs/TRUST.md "The secure partition"): one call
 * in, one answer out (head.S). SPD_INIT, once, takes over what the firmware hands over (the
 * verified images' hashes, the DRBG seed); after it, the TRNG, Bulkhead's SiP calls
 * (measurement log, key store, attestation) and the OP-TEE ABI, as secsvc.c and optee.c have
 * them. The device root key is part of this image (build/fw/devroot.h): the firmware loads
 * the image and wipes its own copy of it, so only this partition's memory holds the key.
 *
 * The partition trusts EL3 (which may read and write all of it) and nothing else: every
 * buffer address still has to lie in the hypervisor's window, and inputs are copied in first.
 */
#include "sp.h"

#include <bulkhead/abi.h>

static bool initialised;

void bh_panic(const char *file, int line, const char *msg) __attribute__((noreturn));

/* lib/compat.c's stack-protector and checked-copy failures: a fault, which EL3 contains. */
void bh_panic(const char *file, int line, const char *msg)
{
    (void)file;
    (void)line;
    (void)msg;
    for (;;) {
        __asm__ volatile("udf #0");
    }
}

void sp_dispatch(struct sp_frame *f)
{
    uint32_t fid = (uint32_t)f->x[0];

    if (fid == SPD_INIT) {
        const struct spd_handoff *h = (const struct spd_handoff *)(uintptr_t)f->x[1];
        if (initialised || h->magic != SPD_HANDOFF_MAGIC) {
            f->x[0] = (uint64_t)(int64_t)BH_E_DENIED;
            return;
        }
        secsvc_init(h);
        initialised = true;
        f->x[0] = BH_OK;
        return;
    }
    if (!initialised) {
        f->x[0] = (uint64_t)(int64_t)BH_E_BUSY;
        return;
    }
    if (CONFIG_FW_TEST && fid == SPD_TEST_FAULT) {
        __asm__ volatile("udf #0x5350"); /* "SP": a fault the vectors must contain */
    }
    if (CONFIG_FW_TEST && fid == SPD_TEST_SCAN) {
        f->x[0] = f->x[2] < 32 ? 0 : secsvc_count_root_key((const uint8_t *)(uintptr_t)f->x[1],
                                                           f->x[2]);
        return;
    }
    if (optee_is_call(fid)) {
        optee_call(f, fid); /* results in x0..x3, as the OP-TEE ABI has them */
        return;
    }
    if (!secsvc_call(f, fid)) {
        f->x[0] = (uint64_t)(int64_t)BH_E_NOT_SUPPORTED;
    }
}
