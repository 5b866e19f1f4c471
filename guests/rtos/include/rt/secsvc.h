/* SPDX-License-Identifier: MIT */
/*
 * The secure services for RTOS tasks (docs/TRUST.md "Secure services", bulkhead/abi.h
 * BH_HC_SEC_*): the key store's seal, unseal, sign and derive, and the null round trip, as
 * the hypervisor mediates them for this VM (its secure-services property decides; a denied
 * call answers RT_ENOTSUP). Buffers are the task's own memory (identity-mapped: their
 * addresses are the IPAs the hypervisor checks). Results: a length (>= 0) or a negative
 * code: RT_ENOTSUP (not allowed, or no secure world), RT_EPERM (refused: another VM's or
 * another image's blob, or an altered one), RT_EINVAL (bad buffer or length), RT_EBUSY.
 * Any task context; one call at a time per vCPU (the hypercall does not block).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* 0 when the secure world answers a null call (a round trip through EL3). */
int rt_sec_null(void);

/* Seal len (1..1024) bytes into out (cap bytes, len + 36 needed): the blob's length. */
int rt_sec_seal(const void *in, size_t len, void *out, size_t cap);

/* Unseal a blob of this VM and its current image: the plaintext's length. */
int rt_sec_unseal(const void *blob, size_t len, void *out, size_t cap);

/* 32 bytes derived for this VM from label (1..1024 bytes): 32. */
int rt_sec_derive(const void *label, size_t len, uint8_t key[32]);
