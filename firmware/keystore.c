// SPDX-License-Identifier: MIT
/*
 * The key store's cryptography (keystore.h, docs/TRUST.md "Key store"). One derivation,
 * HMAC-SHA-256 over a label, the VM index and optional context, gives every key: the sealing
 * key of (VM, image measurement), a VM's signing and derivation keys, the device attestation
 * key. Sealing is ChaCha20-Poly1305 (RFC 8439) with the blob header as additional data, so a
 * blob sealed for another VM or another image fails its tag and yields nothing. Signatures are
 * ECDSA P-256 with RFC 6979 nonces (BearSSL i31). Portable: firmware and host alike.
 */
#include "keystore.h"

#include <bearssl_block.h>
#include <bearssl_ec.h>
#include <bearssl_hash.h>
#include <bearssl_hmac.h>
#include <bulkhead/abi.h>
#include <lib/string.h>

void ks_kdf(const uint8_t root[32], const char *label, uint32_t vm, const void *extra,
            size_t extra_len, uint8_t out[32])
{
    br_hmac_key_context kc;
    br_hmac_context hc;
    uint8_t id[4] = { (uint8_t)vm, (uint8_t)(vm >> 8), (uint8_t)(vm >> 16), (uint8_t)(vm >> 24) };

    br_hmac_key_init(&kc, &br_sha256_vtable, root, 32);
    br_hmac_init(&hc, &kc, 0);
    br_hmac_update(&hc, label, strlen(label) + 1); /* the NUL ends the label */
    br_hmac_update(&hc, id, sizeof(id));
    if (extra_len) {
        br_hmac_update(&hc, extra, extra_len);
    }
    br_hmac_out(&hc, out);
}

/* The additional data: header bytes before the tag, the VM, the measurement. */
static void seal_aad(const struct bh_seal_hdr *h, uint32_t vm, const uint8_t meas[32],
                     uint8_t aad[20 + 4 + 32])
{
    memcpy(aad, h, 20);
    for (unsigned i = 0; i < 4; i++) {
        aad[20 + i] = (uint8_t)(vm >> (8 * i));
    }
    memcpy(aad + 24, meas, 32);
}

int64_t ks_seal(const uint8_t root[32], uint32_t vm, const uint8_t meas[32],
                const uint8_t nonce[12], const uint8_t *in, uint64_t len, uint8_t *out,
                uint64_t cap)
{
    struct bh_seal_hdr h;
    uint8_t key[32], aad[56];

    if (len == 0 || len > BH_SEC_DATA_MAX) {
        return BH_E_INVAL;
    }
    if (cap < BH_SEAL_OVERHEAD || cap - BH_SEAL_OVERHEAD < len) {
        return BH_E_RANGE;
    }
    memcpy(h.magic, BH_SEAL_MAGIC, 4);
    h.len = (uint32_t)len;
    memcpy(h.nonce, nonce, 12);
    ks_kdf(root, KS_LABEL_SEAL, vm, meas, 32, key);
    seal_aad(&h, vm, meas, aad);
    memmove(out + BH_SEAL_OVERHEAD, in, (size_t)len);
    br_poly1305_ctmul_run(key, h.nonce, out + BH_SEAL_OVERHEAD, (size_t)len, aad, sizeof(aad),
                          h.tag, br_chacha20_ct_run, 1);
    memcpy(out, &h, sizeof(h));
    memset(key, 0, sizeof(key));
    return (int64_t)(BH_SEAL_OVERHEAD + len);
}

int64_t ks_unseal(const uint8_t root[32], uint32_t vm, const uint8_t meas[32],
                  const uint8_t *blob, uint64_t len, uint8_t *out, uint64_t cap)
{
    struct bh_seal_hdr h;
    uint8_t key[32], aad[56], tag[16], tmp[BH_SEC_DATA_MAX];
    uint8_t diff = 0;

    if (len < BH_SEAL_OVERHEAD) {
        return BH_E_INVAL;
    }
    memcpy(&h, blob, sizeof(h));
    if (memcmp(h.magic, BH_SEAL_MAGIC, 4) != 0 || h.len == 0 || h.len > BH_SEC_DATA_MAX ||
        len - BH_SEAL_OVERHEAD != h.len) {
        return BH_E_INVAL;
    }
    if (cap < h.len) {
        return BH_E_RANGE;
    }
    memcpy(tmp, blob + BH_SEAL_OVERHEAD, h.len);
    ks_kdf(root, KS_LABEL_SEAL, vm, meas, 32, key);
    seal_aad(&h, vm, meas, aad);
    br_poly1305_ctmul_run(key, h.nonce, tmp, h.len, aad, sizeof(aad), tag, br_chacha20_ct_run,
                          0);
    memset(key, 0, sizeof(key));
    for (unsigned i = 0; i < 16; i++) {
        diff |= (uint8_t)(tag[i] ^ h.tag[i]);
    }
    if (diff != 0) {
        memset(tmp, 0, sizeof(tmp));
        return BH_E_DENIED;
    }
    memcpy(out, tmp, h.len);
    memset(tmp, 0, sizeof(tmp));
    return h.len;
}

/* P-256's order n, big-endian (SEC 2 2.4.2). */
static const uint8_t p256_n[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

static int scalar_ok(const uint8_t k[32])
{
    uint8_t any = 0;
    for (unsigned i = 0; i < 32; i++) {
        any |= k[i];
    }
    return any != 0 && memcmp(k, p256_n, 32) < 0;
}

void ks_p256_key(const uint8_t root[32], const char *label, uint32_t vm, uint8_t out[32])
{
    /* Rejection sampling on a counter: a 32-byte HMAC output is a valid scalar with
     * probability 1 - 2^-32, so the second round is a formality that never loops long. */
    for (uint8_t ctr = 0;; ctr++) {
        ks_kdf(root, label, vm, &ctr, 1, out);
        if (scalar_ok(out)) {
            return;
        }
    }
}

int ks_sign(const uint8_t key[32], const void *msg, size_t len, uint8_t sig[64])
{
    br_sha256_context ctx;
    uint8_t md[32];
    br_ec_private_key sk = { .curve = BR_EC_secp256r1, .x = (unsigned char *)(uintptr_t)key,
                             .xlen = 32 };

    br_sha256_init(&ctx);
    br_sha256_update(&ctx, msg, len);
    br_sha256_out(&ctx, md);
    return br_ecdsa_i31_sign_raw(&br_ec_p256_m31, &br_sha256_vtable, md, &sk, sig) == 64
               ? 0 : BH_E_INVAL;
}

void ks_public(const uint8_t key[32], uint8_t pub[65])
{
    br_ec_private_key sk = { .curve = BR_EC_secp256r1, .x = (unsigned char *)(uintptr_t)key,
                             .xlen = 32 };
    br_ec_public_key pk;

    br_ec_compute_pub(&br_ec_p256_m31, &pk, pub, &sk);
}

void ks_report(const uint8_t attest_key[32], uint32_t vm, const uint8_t pcr[32],
               const uint8_t meas[32], const uint8_t nonce[32], struct bh_attest_report *r)
{
    memset(r, 0, sizeof(*r));
    memcpy(r->magic, BH_REPORT_MAGIC, sizeof(r->magic));
    r->version = BH_REPORT_VERSION;
    r->vm_id = vm;
    memcpy(r->pcr, pcr, 32);
    memcpy(r->vm_measurement, meas, 32);
    memcpy(r->nonce, nonce, 32);
    if (ks_sign(attest_key, r, offsetof(struct bh_attest_report, sig), r->sig) != 0) {
        memset(r->sig, 0, sizeof(r->sig)); /* never verifies */
    }
}

int ks_report_verify(const uint8_t pub[65], const struct bh_attest_report *r)
{
    br_sha256_context ctx;
    uint8_t md[32];
    br_ec_public_key pk = { .curve = BR_EC_secp256r1, .q = (unsigned char *)(uintptr_t)pub,
                            .qlen = 65 };

    if (memcmp(r->magic, BH_REPORT_MAGIC, sizeof(r->magic)) != 0 ||
        r->version != BH_REPORT_VERSION) {
        return 0;
    }
    br_sha256_init(&ctx);
    br_sha256_update(&ctx, r, offsetof(struct bh_attest_report, sig));
    br_sha256_out(&ctx, md);
    return br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, md, 32, &pk, r->sig, 64) == 1;
}

void ks_pcr_extend(uint8_t pcr[32], const uint8_t digest[32])
{
    br_sha256_context ctx;

    br_sha256_init(&ctx);
    br_sha256_update(&ctx, pcr, 32);
    br_sha256_update(&ctx, digest, 32);
    br_sha256_out(&ctx, pcr);
}
