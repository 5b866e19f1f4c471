// SPDX-License-Identifier: MIT
/*
 * The firmware's verdict on the signed boot header (include/bulkhead/sigbundle.h, docs/TRUST.md).
 * Everything in the header and the images is hostile until the signature has verified: the
 * header is copied out before any field is read, every size is checked against its window
 * without overflow, and the order is fixed: form, key, signature (over the header), then the
 * two image hashes. Built for EL3 and for the host unit tests (BearSSL's ECDSA i31 code and
 * its P-256 implementation, Debian's libbearssl-dev).
 */
#include "sigcheck.h"

#include <bearssl_ec.h>
#include <bearssl_hash.h>
#include <lib/string.h>

#include <stddef.h>

static const char *const reasons[] = {
    [SIG_OK] = "signature verified",
    [SIG_MISSING] = "no signature (unsigned bundle)",
    [SIG_MALFORMED] = "malformed signature header",
    [SIG_BOUNDS] = "image sizes out of bounds",
    [SIG_OTHER_KEY] = "signed with another key",
    [SIG_BAD_SIGNATURE] = "signature does not verify",
    [SIG_HYP_TAMPERED] = "hypervisor image does not match its signed hash",
    [SIG_BUNDLE_TAMPERED] = "bundle does not match its signed hash",
};

const char *sigcheck_reason(enum sig_verdict v)
{
    return (unsigned)v < sizeof(reasons) / sizeof(reasons[0]) ? reasons[v] : "unknown verdict";
}

/* Constant-time compare: the hashes are public, but a habit costs nothing here. */
static int differs(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint8_t d = 0;
    for (size_t i = 0; i < n; i++) {
        d |= (uint8_t)(a[i] ^ b[i]);
    }
    return d != 0;
}

static enum sig_verdict check_form(const struct bh_sig_header *h, const struct sig_images *img)
{
    if (h->version != BH_SIG_VERSION || h->header_size != BH_SIG_HEADER_SIZE ||
        h->sig_alg != BH_SIG_ALG_P256 || h->sig_len != BH_SIG_P256_BYTES) {
        return SIG_MALFORMED;
    }
    if (h->hyp_size == 0 || h->hyp_size > img->hyp_window || h->bundle_size == 0 ||
        h->bundle_size > img->file_window - BH_SIG_HEADER_SIZE) {
        return SIG_BOUNDS;
    }
    return SIG_OK;
}

static int signature_ok(const struct bh_sig_header *h, const uint8_t pub[BH_SIG_PUBKEY_BYTES])
{
    uint8_t md[32];
    br_sha256_context ctx;
    br_ec_public_key pk = { .curve = BR_EC_secp256r1, .q = (unsigned char *)(uintptr_t)pub,
                            .qlen = BH_SIG_PUBKEY_BYTES };

    br_sha256_init(&ctx);
    br_sha256_update(&ctx, h, offsetof(struct bh_sig_header, sig));
    br_sha256_out(&ctx, md);
    return br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, md, sizeof(md), &pk, h->sig, h->sig_len) == 1;
}

enum sig_verdict sigcheck_verify(const struct sig_images *img,
                                 const uint8_t pub[BH_SIG_PUBKEY_BYTES], sigcheck_hash_fn hash,
                                 uint64_t *bundle_size)
{
    struct bh_sig_header h;
    uint8_t md[32];

    if (img->file_window < BH_SIG_HEADER_SIZE ||
        memcmp(img->signed_file, BH_SIG_MAGIC, sizeof(h.magic)) != 0) {
        return SIG_MISSING;
    }
    memcpy(&h, img->signed_file, sizeof(h));
    enum sig_verdict v = check_form(&h, img);
    if (v != SIG_OK) {
        return v;
    }
    hash(pub, BH_SIG_PUBKEY_BYTES, md);
    if (differs(md, h.key_id, sizeof(md))) {
        return SIG_OTHER_KEY;
    }
    if (!signature_ok(&h, pub)) {
        return SIG_BAD_SIGNATURE;
    }
    hash(img->hyp, h.hyp_size, md);
    if (differs(md, h.hyp_sha256, sizeof(md))) {
        return SIG_HYP_TAMPERED;
    }
    hash(img->signed_file + BH_SIG_HEADER_SIZE, h.bundle_size, md);
    if (differs(md, h.bundle_sha256, sizeof(md))) {
        return SIG_BUNDLE_TAMPERED;
    }
    *bundle_size = h.bundle_size;
    return SIG_OK;
}
