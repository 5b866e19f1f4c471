/* SPDX-License-Identifier: MIT */
/*
 * The contract between the EL3 firmware's dispatcher (spd.c) and the secure partition at
 * S-EL1 (firmware/sp/, docs/TRUST.md "The secure partition"), in the shape of an FF-A direct
 * message: EL3 enters the partition at its entry point with x0..x7 (the function ID, its
 * arguments, w7 the client), the partition answers with one SMC. Shared by both sides.
 */
#pragma once


/* EL3 -> SP, once at boot: x1 = PA of struct spd_handoff (EL3's memory), -> 0 */
#define SPD_INIT        0xc2ff0001
/* SP -> EL3, the answer: x1..x5 = the caller's x0..x4 */
#define SPD_DONE        0xc2ff0002
/* SP -> EL3 from its exception vectors: x1 = ESR_EL1, x2 = ELR_EL1 */
#define SPD_FAULT       0xc2ff0003
/* Test firmware only (CONFIG_FW_TEST): the partition takes an undefined instruction; it
 * counts the copies of the device root key in [x1, x1 + x2) (-> x0) */
#define SPD_TEST_FAULT  0xc2ff0010
#define SPD_TEST_SCAN   0xc2ff0011

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

/* spdcheck.c (EL3): the calls the partition answers (TRNG, Bulkhead's SiP calls, the OP-TEE
 * ABI); the partition's x0 bounded for fid (cap: the caller's x4, its output's capacity);
 * what fid answers when the partition faulted or is not up. */
bool spd_routes(uint32_t fid);
bool spd_is_trng(uint32_t fid);
uint64_t spd_bound(uint32_t fid, uint64_t r0, uint64_t cap);
uint64_t spd_error_answer(uint32_t fid);

#define SPD_HANDOFF_MAGIC 0x46464f444e414842ull /* "BHANDOFF" */
#define SPD_SEED_MAX    64u

/* What the firmware hands over once (then wipes its copy): the verified images' hashes (the
 * measurement log's first entries), QEMU's secure-only rng-seed and the counter. */
struct spd_handoff {
    uint64_t magic;
    uint8_t hyp_sha256[32];
    uint8_t bundle_sha256[32];
    uint64_t now;
    uint32_t seed_len;          /* <= SPD_SEED_MAX */
    uint32_t pad;
    uint8_t seed[SPD_SEED_MAX];
};
#endif
