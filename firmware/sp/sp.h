/* SPDX-License-Identifier: MIT */
/* The secure partition's internal interfaces (docs/TRUST.md "The secure partition"). */
#pragma once

#include "plat.h"
#include "spd.h"

#include <stdbool.h>
#include <stdint.h>

#ifndef CONFIG_FW_TEST
#define CONFIG_FW_TEST 0 /* 1 in the test firmware (build/fw/test): the SPD_TEST_* calls */
#endif

/* One call: x0..x7 as the normal world's caller gave them (EL3 passes them through); the
 * answer goes into x0..x4 (EL3 copies x0..x3 back, x4 for BH_SEC_LOG_READ only). */
struct sp_frame {
    uint64_t x[8];
};

/* head.S */
void sp_dispatch(struct sp_frame *f);         /* main.c, from sp_entry */
extern const uint8_t sp_image_start[], sp_image_end[];

/* secsvc.c: the TRNG, measurement log, key store and attestation */
/* Clients of the secure services (w7): 0 the hypervisor, 1..FW_MAX_CLIENTS a VM (index + 1). */
#define FW_MAX_CLIENTS 8
void secsvc_init(const struct spd_handoff *h);
bool secsvc_call(struct sp_frame *f, uint32_t fid);  /* true: fid was one of them */
unsigned secsvc_count_root_key(const uint8_t *p, uint64_t len); /* test firmware's scan */
/* For optee.c: [pa, pa + len) lies in the hypervisor's window; len random bytes (false: the
 * source has none now); seal or unseal for VM index vm, as BH_SEC_SEAL/UNSEAL. */
bool secsvc_hyp_buffer_ok(uint64_t pa, uint64_t len);
bool secsvc_random_bytes(uint8_t *out, uint64_t len);
int64_t secsvc_seal_vm(int vm, bool unseal, const uint8_t *in, uint64_t len, uint8_t *out,
                       uint64_t cap);

/* optee.c: the OP-TEE SMC and message ABI (docs/TRUST.md "OP-TEE") */
bool optee_is_call(uint32_t fid);                  /* OEN 50..63: the Trusted OS's */
void optee_call(struct sp_frame *f, uint32_t fid);
