/* SPDX-License-Identifier: MIT */
/*
 * The secure services of Bulkhead's EL3 firmware (docs/TRUST.md "Secure services"): what the
 * hypervisor, the firmware, the guests' libraries and the host tools share.
 *
 * The firmware's own calls are SiP service calls (SMCCC OEN 2, fast, SMC64) that only the
 * normal world's EL2 may make (a guest's SMC traps to the hypervisor, which mediates it): the
 * hypervisor passes the calling VM's client id in w7 (SMCCC: 0 = the hypervisor itself,
 * VM index + 1 for a VM) and every buffer as the physical address of its own bounce buffer,
 * never a guest address. Results in x0: a length (>= 0) or a BH_E_* error (bulkhead/abi.h).
 *
 * Guests reach the key store and attestation through Bulkhead hypercalls (bulkhead/abi.h
 * BH_HC_SEC_*), random numbers through the standard SMCCC TRNG interface (ARM DEN0098).
 * All multi-byte fields below are little-endian.
 */
#pragma once

#include <stdint.h>

#define BH_SEC_FID(n)        (UINT32_C(0xc2000000) | (n))
#define BH_SEC_NULL          BH_SEC_FID(0x00) /* -> 0: a round trip (benchmarks, probing) */
#define BH_SEC_MEASURE_VM    BH_SEC_FID(0x01) /* x1 = PA of a VM image's SHA-256; w7 = client */
#define BH_SEC_MEASURE_DONE  BH_SEC_FID(0x02) /* boot is over: no MEASURE_VM from now on */
#define BH_SEC_LOG_READ      BH_SEC_FID(0x03) /* x1 = index -> x0 = kind | id << 8, x1..x4 =
                                                 the digest (bytes 0-7 in x1, LE), or NOENT;
                                                 index ~0: the PCR */
#define BH_SEC_SEAL          BH_SEC_FID(0x10) /* x1 in PA, x2 len, x3 out PA, x4 cap -> len */
#define BH_SEC_UNSEAL        BH_SEC_FID(0x11) /* x1 blob PA, x2 len, x3 out PA, x4 cap -> len */
#define BH_SEC_SIGN          BH_SEC_FID(0x12) /* x1 msg PA, x2 len, x3 out PA (64 B) -> 64 */
#define BH_SEC_DERIVE        BH_SEC_FID(0x13) /* x1 label PA, x2 len, x3 out PA (32 B) -> 32 */
#define BH_SEC_ATTEST        BH_SEC_FID(0x20) /* x1 nonce PA (32 B), x3 out PA, x4 cap -> len */

#define BH_SEC_CLIENT_HYP    0u      /* client id of the hypervisor's own calls */
#define BH_SEC_DATA_MAX      1024u   /* bytes sealed, signed or used as a label at most */
#define BH_SEC_NONCE_BYTES   32u
#define BH_SEC_SIG_BYTES     64u     /* ECDSA P-256, raw r || s */
#define BH_SEC_KEY_BYTES     32u

/* Measurement log (BH_SEC_LOG_READ): a TPM-PCR style hash chain in secure SRAM,
 * pcr_0 = 32 zero bytes, pcr_n+1 = SHA-256(pcr_n || digest_n). */
#define BH_MLOG_HYP          1u      /* the hypervisor image, measured by the firmware */
#define BH_MLOG_BUNDLE       2u      /* the FIT bundle (scenario and every image) */
#define BH_MLOG_VM           3u      /* a VM's kernel image, by the hypervisor as it builds it;
                                        id = VM index */
#define BH_MLOG_MAX          16u

/* A sealed blob: this header, then the ciphertext (len bytes). ChaCha20-Poly1305 (RFC 8439)
 * with a key derived from the device root key, the VM index and the VM's image measurement;
 * the header before the tag is additional data. */
#define BH_SEAL_MAGIC        "BHS1"
struct bh_seal_hdr {
    uint8_t magic[4];
    uint32_t len;        /* plaintext bytes, 1..BH_SEC_DATA_MAX */
    uint8_t nonce[12];
    uint8_t tag[16];
};
#define BH_SEAL_OVERHEAD     36u
_Static_assert(sizeof(struct bh_seal_hdr) == BH_SEAL_OVERHEAD, "seal header layout");

/* An attestation report: signed by the device attestation key (ECDSA P-256, SHA-256 over
 * every byte before sig); its public half is build/fw/attest_pub.bin. */
#define BH_REPORT_MAGIC      "BHATTR01"
#define BH_REPORT_VERSION    1u
struct bh_attest_report {
    uint8_t magic[8];
    uint32_t version;
    uint32_t vm_id;                        /* VM index */
    uint8_t pcr[32];                       /* the platform PCR (measurement log) */
    uint8_t vm_measurement[32];            /* the VM's kernel image SHA-256 */
    uint8_t nonce[BH_SEC_NONCE_BYTES];     /* the verifier's challenge */
    uint8_t sig[BH_SEC_SIG_BYTES];
};
_Static_assert(sizeof(struct bh_attest_report) == 176, "attestation report layout");
