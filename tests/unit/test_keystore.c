// SPDX-License-Identifier: MIT
/*
 * Unit tests for firmware/keystore.c (docs/TRUST.md "Key store", "Attestation"): the key
 * derivation is deterministic and separates labels, VMs and contexts; a sealed blob has the
 * documented form, unseals for its own VM and measurement only (another VM, another image
 * measurement, any changed byte, a short or long length: refused, nothing written); signing
 * verifies with the derived public key; a report verifies with the attestation public key and
 * a changed byte, another key or a bad magic is refused; the PCR chain is SHA-256(pcr || d).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <bearssl_ec.h>
#include <bearssl_hash.h>
#include <bulkhead/abi.h>

#include "firmware/keystore.h"

static const uint8_t root[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };
static const uint8_t meas_a[32] = { 0xaa }, meas_b[32] = { 0xbb };
static const uint8_t nonce12[12] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };

static void test_kdf_separates(void **state)
{
    uint8_t a[32], b[32], c[32], d[32], e[32];
    (void)state;

    ks_kdf(root, KS_LABEL_DERIVE, 0, "x", 1, a);
    ks_kdf(root, KS_LABEL_DERIVE, 0, "x", 1, b);
    assert_memory_equal(a, b, 32);
    ks_kdf(root, KS_LABEL_DERIVE, 1, "x", 1, c);         /* another VM */
    ks_kdf(root, KS_LABEL_SIGN, 0, "x", 1, d);           /* another label */
    ks_kdf(root, KS_LABEL_DERIVE, 0, "y", 1, e);         /* another context */
    assert_memory_not_equal(a, c, 32);
    assert_memory_not_equal(a, d, 32);
    assert_memory_not_equal(a, e, 32);
}

static void test_seal_form_and_roundtrip(void **state)
{
    static const char msg[] = "a secret of some length";
    uint8_t blob[256], out[64];
    struct bh_seal_hdr h;
    (void)state;

    int64_t n = ks_seal(root, 3, meas_a, nonce12, (const uint8_t *)msg, sizeof(msg), blob,
                        sizeof(blob));
    assert_int_equal(n, BH_SEAL_OVERHEAD + sizeof(msg));
    memcpy(&h, blob, sizeof(h));
    assert_memory_equal(h.magic, BH_SEAL_MAGIC, 4);
    assert_int_equal(h.len, sizeof(msg));
    assert_memory_equal(h.nonce, nonce12, 12);
    assert_null(memmem(blob, (size_t)n, "secret", 6)); /* encrypted */
    memset(out, 0, sizeof(out));
    assert_int_equal(ks_unseal(root, 3, meas_a, blob, (uint64_t)n, out, sizeof(out)),
                     sizeof(msg));
    assert_memory_equal(out, msg, sizeof(msg));
}

static void test_unseal_refusals(void **state)
{
    static const char msg[] = "bound to vm 3 and image a";
    uint8_t blob[256], out[64], zero[64] = { 0 };
    (void)state;

    int64_t n = ks_seal(root, 3, meas_a, nonce12, (const uint8_t *)msg, sizeof(msg), blob,
                        sizeof(blob));
    memset(out, 0, sizeof(out));
    assert_int_equal(ks_unseal(root, 4, meas_a, blob, (uint64_t)n, out, sizeof(out)),
                     BH_E_DENIED); /* another VM */
    assert_int_equal(ks_unseal(root, 3, meas_b, blob, (uint64_t)n, out, sizeof(out)),
                     BH_E_DENIED); /* the VM's image changed */
    uint8_t other_root[32];
    memcpy(other_root, root, 32);
    other_root[0] ^= 1;
    assert_int_equal(ks_unseal(other_root, 3, meas_a, blob, (uint64_t)n, out, sizeof(out)),
                     BH_E_DENIED); /* another device */
    assert_memory_equal(out, zero, sizeof(out)); /* nothing leaked into out */
    for (int64_t i = 0; i < n; i++) { /* every byte, header included, is covered */
        blob[i] ^= 0x01;
        int64_t r = ks_unseal(root, 3, meas_a, blob, (uint64_t)n, out, sizeof(out));
        assert_true(r == BH_E_DENIED || r == BH_E_INVAL);
        blob[i] ^= 0x01;
    }
    assert_int_equal(ks_unseal(root, 3, meas_a, blob, (uint64_t)n - 1, out, sizeof(out)),
                     BH_E_INVAL);
    assert_int_equal(ks_unseal(root, 3, meas_a, blob, (uint64_t)n + 1, out, sizeof(out)),
                     BH_E_INVAL);
    assert_int_equal(ks_unseal(root, 3, meas_a, blob, BH_SEAL_OVERHEAD - 1, out, sizeof(out)),
                     BH_E_INVAL);
    assert_int_equal(ks_unseal(root, 3, meas_a, blob, (uint64_t)n, out, 4), BH_E_RANGE);
    assert_int_equal(ks_unseal(root, 3, meas_a, blob, (uint64_t)n, out, sizeof(out)),
                     sizeof(msg));
}

static void test_seal_limits(void **state)
{
    static uint8_t big[BH_SEC_DATA_MAX + 1], blob[BH_SEC_DATA_MAX + 64];
    (void)state;

    assert_int_equal(ks_seal(root, 0, meas_a, nonce12, big, 0, blob, sizeof(blob)), BH_E_INVAL);
    assert_int_equal(ks_seal(root, 0, meas_a, nonce12, big, sizeof(big), blob, sizeof(blob)),
                     BH_E_INVAL);
    assert_int_equal(ks_seal(root, 0, meas_a, nonce12, big, 10, blob, BH_SEAL_OVERHEAD + 9),
                     BH_E_RANGE);
    assert_int_equal(ks_seal(root, 0, meas_a, nonce12, big, 10, blob, 3), BH_E_RANGE);
    assert_int_equal(ks_seal(root, 0, meas_a, nonce12, big, BH_SEC_DATA_MAX, blob,
                             sizeof(blob)), BH_SEC_DATA_MAX + BH_SEAL_OVERHEAD);
}

static void test_sign_verifies(void **state)
{
    uint8_t key[32], pub[65], sig[64], sig2[64], md[32];
    br_sha256_context c;
    (void)state;

    ks_p256_key(root, KS_LABEL_SIGN, 2, key);
    ks_public(key, pub);
    assert_int_equal(ks_sign(key, "hello", 5, sig), 0);
    assert_int_equal(ks_sign(key, "hello", 5, sig2), 0);
    assert_memory_equal(sig, sig2, 64); /* RFC 6979 */
    br_sha256_init(&c);
    br_sha256_update(&c, "hello", 5);
    br_sha256_out(&c, md);
    br_ec_public_key pk = { .curve = BR_EC_secp256r1, .q = pub, .qlen = 65 };
    assert_int_equal(br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, md, 32, &pk, sig, 64), 1);
    md[0] ^= 1;
    assert_int_equal(br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, md, 32, &pk, sig, 64), 0);
}

static void test_report(void **state)
{
    uint8_t key[32], pub[65], other[32], other_pub[65], pcr[32] = { 0 }, nonce[32] = { 7 };
    struct bh_attest_report r;
    (void)state;

    ks_p256_key(root, KS_LABEL_ATTEST, KS_ATTEST_VM, key);
    ks_public(key, pub);
    ks_report(key, 5, pcr, meas_a, nonce, &r);
    assert_memory_equal(r.magic, BH_REPORT_MAGIC, 8);
    assert_int_equal(r.version, BH_REPORT_VERSION);
    assert_int_equal(r.vm_id, 5);
    assert_memory_equal(r.vm_measurement, meas_a, 32);
    assert_memory_equal(r.nonce, nonce, 32);
    assert_true(ks_report_verify(pub, &r));
    for (size_t i = 0; i < sizeof(r); i++) { /* any byte changed: refused */
        ((uint8_t *)&r)[i] ^= 0x80;
        assert_false(ks_report_verify(pub, &r));
        ((uint8_t *)&r)[i] ^= 0x80;
    }
    ks_p256_key(root, KS_LABEL_SIGN, 5, other); /* a VM's key is not the device's */
    ks_public(other, other_pub);
    assert_false(ks_report_verify(other_pub, &r));
    ks_report(other, 5, pcr, meas_a, nonce, &r); /* a report forged with another key */
    assert_false(ks_report_verify(pub, &r));
}

static void test_pcr_chain(void **state)
{
    uint8_t pcr[32] = { 0 }, d[32] = { 0x11 }, want[32], buf[64];
    br_sha256_context c;
    (void)state;

    memcpy(buf + 32, d, 32);
    memset(buf, 0, 32);
    br_sha256_init(&c);
    br_sha256_update(&c, buf, 64);
    br_sha256_out(&c, want);
    ks_pcr_extend(pcr, d);
    assert_memory_equal(pcr, want, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kdf_separates),
        cmocka_unit_test(test_seal_form_and_roundtrip),
        cmocka_unit_test(test_unseal_refusals),
        cmocka_unit_test(test_seal_limits),
        cmocka_unit_test(test_sign_verifies),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_pcr_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
