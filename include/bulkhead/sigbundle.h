/* SPDX-License-Identifier: MIT */
/*
 * The signed boot header (docs/TRUST.md): a 4 KiB block that the EL3 firmware (firmware/)
 * checks before Bulkhead runs. It names two images by size and SHA-256, the hypervisor
 * (build/bulkhead.bin) and the FIT bundle (tools/mkbundle.sh, the scenario and every VM image
 * in it), and carries an ECDSA P-256 signature (raw r || s, FIPS 186-4, SHA-256) over every
 * header byte before the signature field: so every byte of both images is covered. The signed
 * bundle file is this header followed by the FIT. tools/fwsign writes it; firmware/sigcheck.c
 * reads it. All fields little-endian.
 */
#pragma once

#include <stdint.h>

#define BH_SIG_MAGIC        "BHSIGN01"
#define BH_SIG_VERSION      1u
#define BH_SIG_HEADER_SIZE  4096u          /* the FIT starts this far into the signed file */
#define BH_SIG_ALG_P256     1u             /* ECDSA over NIST P-256 with SHA-256 */
#define BH_SIG_P256_BYTES   64u
#define BH_SIG_PUBKEY_BYTES 65u            /* uncompressed point: 0x04 || X || Y */

struct bh_sig_header {
    uint8_t magic[8];               /* BH_SIG_MAGIC, no NUL */
    uint32_t version;               /* BH_SIG_VERSION */
    uint32_t header_size;           /* BH_SIG_HEADER_SIZE */
    uint64_t hyp_size;              /* bytes of the hypervisor image */
    uint8_t hyp_sha256[32];
    uint64_t bundle_size;           /* bytes of FIT after the header */
    uint8_t bundle_sha256[32];
    uint8_t key_id[32];             /* SHA-256 of the signer's public key (names it only) */
    uint32_t sig_alg;               /* BH_SIG_ALG_P256 */
    uint32_t sig_len;               /* BH_SIG_P256_BYTES */
    uint8_t sig[BH_SIG_P256_BYTES]; /* over bytes [0, offsetof(sig)) of this header */
};

_Static_assert(sizeof(struct bh_sig_header) == 200, "signed header layout");
