/* SPDX-License-Identifier: MIT */
/*
 * The key store's cryptography (docs/TRUST.md "Key store"): keys derived from the device root
 * key, sealing, signing, attestation reports and the measurement log's hash chain. Portable C
 * on BearSSL, no state of its own: built into the firmware (secsvc.c holds the root key and
 * the log) and into the host tools and unit tests (tests/unit/test_keystore.c).
 * Every function checks its sizes itself; buffers may not overlap unless said.
 */
#pragma once

#include <bulkhead/secsvc.h>

#include <stddef.h>
#include <stdint.h>

/* HMAC-SHA-256(root, label || vm (LE32) || extra): the one key derivation. */
void ks_kdf(const uint8_t root[32], const char *label, uint32_t vm, const void *extra,
            size_t extra_len, uint8_t out[32]);

/* Seal len bytes of in for VM vm whose image measurement is meas, with the caller's fresh
 * 12-byte nonce: the blob (BH_SEAL_OVERHEAD + len bytes) into out. Returns the blob's length,
 * or -BH_E_INVAL (len 0 or over BH_SEC_DATA_MAX), -BH_E_RANGE (cap too small). */
int64_t ks_seal(const uint8_t root[32], uint32_t vm, const uint8_t meas[32],
                const uint8_t nonce[12], const uint8_t *in, uint64_t len, uint8_t *out,
                uint64_t cap);

/* Unseal a blob for VM vm with measurement meas: the plaintext's length, or -BH_E_INVAL
 * (malformed), -BH_E_RANGE (cap too small), -BH_E_DENIED (another VM's or another image's
 * blob, or altered). out receives nothing unless the tag verified. */
int64_t ks_unseal(const uint8_t root[32], uint32_t vm, const uint8_t meas[32],
                  const uint8_t *blob, uint64_t len, uint8_t *out, uint64_t cap);

/* A P-256 private scalar derived for label and vm (never zero, below the order). */
void ks_p256_key(const uint8_t root[32], const char *label, uint32_t vm, uint8_t out[32]);

/* ECDSA P-256 / SHA-256 (RFC 6979 nonces) of msg with key: 0 and sig, or -BH_E_INVAL. */
int ks_sign(const uint8_t key[32], const void *msg, size_t len, uint8_t sig[64]);

/* The public point (65 bytes, uncompressed) of key. */
void ks_public(const uint8_t key[32], uint8_t pub[65]);

/* Fill and sign a report with the attestation key. */
void ks_report(const uint8_t attest_key[32], uint32_t vm, const uint8_t pcr[32],
               const uint8_t meas[32], const uint8_t nonce[32], struct bh_attest_report *r);

/* Whether r is well-formed and signed by pub (65 bytes). */
int ks_report_verify(const uint8_t pub[65], const struct bh_attest_report *r);

/* pcr = SHA-256(pcr || digest). */
void ks_pcr_extend(uint8_t pcr[32], const uint8_t digest[32]);

/* The key labels (domain separation). */
#define KS_LABEL_SEAL   "bulkhead seal v1"
#define KS_LABEL_SIGN   "bulkhead vm sign v1"
#define KS_LABEL_DERIVE "bulkhead vm derive v1"
#define KS_LABEL_ATTEST "bulkhead attest v1"
#define KS_ATTEST_VM    0xffffffffu /* the device key: no VM */
