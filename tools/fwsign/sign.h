/* SPDX-License-Identifier: MIT */
/* Writing the signed boot header (include/bulkhead/sigbundle.h), for tools/fwsign and tests. */
#pragma once

#include <bulkhead/sigbundle.h>

#include <bearssl_ec.h>
#include <stddef.h>
#include <stdint.h>

/* The P-256 public key of private scalar key (32 bytes) into pub (uncompressed point);
 * 0 or -1 when key is not a valid scalar. */
int fwsign_public(const uint8_t key[32], uint8_t pub[BH_SIG_PUBKEY_BYTES]);

/* Fills h (all of it: zeroed first) for hypervisor image hyp and FIT fit and signs it with
 * the private scalar key. 0, or -1 when the key is not valid. */
int fwsign_header(struct bh_sig_header *h, const uint8_t key[32], const void *hyp,
                  size_t hyp_len, const void *fit, size_t fit_len);
