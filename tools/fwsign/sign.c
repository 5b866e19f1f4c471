// SPDX-License-Identifier: MIT
/*
 * The signer's half of include/bulkhead/sigbundle.h, with the same BearSSL the firmware
 * verifies with: SHA-256 of both images, SHA-256 of the public key as the key id, and an
 * ECDSA P-256 signature (RFC 6979 deterministic nonces, BearSSL's sign_raw) over the header
 * bytes before the signature.
 */
#include "sign.h"

#include <bearssl_hash.h>
#include <stddef.h>
#include <string.h>

static void sha256(const void *data, size_t len, uint8_t out[32])
{
    br_sha256_context ctx;
    br_sha256_init(&ctx);
    br_sha256_update(&ctx, data, len);
    br_sha256_out(&ctx, out);
}

int fwsign_public(const uint8_t key[32], uint8_t pub[BH_SIG_PUBKEY_BYTES])
{
    br_ec_private_key sk = { .curve = BR_EC_secp256r1, .x = (unsigned char *)key, .xlen = 32 };
    return br_ec_compute_pub(&br_ec_p256_m31, NULL, pub, &sk) == BH_SIG_PUBKEY_BYTES ? 0 : -1;
}

int fwsign_header(struct bh_sig_header *h, const uint8_t key[32], const void *hyp,
                  size_t hyp_len, const void *fit, size_t fit_len)
{
    uint8_t pub[BH_SIG_PUBKEY_BYTES], md[32];
    br_ec_private_key sk = { .curve = BR_EC_secp256r1, .x = (unsigned char *)key, .xlen = 32 };

    if (fwsign_public(key, pub) != 0) {
        return -1;
    }
    memset(h, 0, sizeof(*h));
    memcpy(h->magic, BH_SIG_MAGIC, sizeof(h->magic));
    h->version = BH_SIG_VERSION;
    h->header_size = BH_SIG_HEADER_SIZE;
    h->hyp_size = hyp_len;
    sha256(hyp, hyp_len, h->hyp_sha256);
    h->bundle_size = fit_len;
    sha256(fit, fit_len, h->bundle_sha256);
    sha256(pub, sizeof(pub), h->key_id);
    h->sig_alg = BH_SIG_ALG_P256;
    h->sig_len = BH_SIG_P256_BYTES;
    sha256(h, offsetof(struct bh_sig_header, sig), md);
    size_t n = br_ecdsa_i31_sign_raw(&br_ec_p256_m31, &br_sha256_vtable, md, &sk, h->sig);
    return n == BH_SIG_P256_BYTES ? 0 : -1;
}
