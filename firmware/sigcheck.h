/* SPDX-License-Identifier: MIT */
/* Checking the signed boot header (include/bulkhead/sigbundle.h): portable, unit-tested. */
#pragma once

#include <bulkhead/sigbundle.h>

#include <stdint.h>

enum sig_verdict {
    SIG_OK,
    SIG_MISSING,         /* no header magic: an unsigned bundle */
    SIG_MALFORMED,       /* version, header size or algorithm not ours */
    SIG_BOUNDS,          /* an image size is zero or larger than its load window */
    SIG_OTHER_KEY,       /* key_id names a key other than the built-in one */
    SIG_BAD_SIGNATURE,   /* the signature does not verify with the built-in key */
    SIG_HYP_TAMPERED,    /* the hypervisor image differs from its signed hash */
    SIG_BUNDLE_TAMPERED, /* the FIT differs from its signed hash */
};

/* SHA-256 of len bytes (the firmware uses the CPU's instructions, the host BearSSL). */
typedef void (*sigcheck_hash_fn)(const void *data, uint64_t len, uint8_t out[32]);

struct sig_images {
    const uint8_t *hyp;       /* the hypervisor image as loaded */
    uint64_t hyp_window;      /* bytes it may occupy */
    const uint8_t *signed_file; /* the header, then the FIT */
    uint64_t file_window;     /* bytes header + FIT may occupy */
};

/*
 * Checks the header at img->signed_file against the public key pub (uncompressed P-256
 * point), then both images against their signed hashes; reads nothing outside the windows
 * (the header is copied first: the caller's memory may be unaligned). On SIG_OK *bundle_size
 * is the FIT's size (it starts at signed_file + BH_SIG_HEADER_SIZE).
 */
enum sig_verdict sigcheck_verify(const struct sig_images *img,
                                 const uint8_t pub[BH_SIG_PUBKEY_BYTES], sigcheck_hash_fn hash,
                                 uint64_t *bundle_size);

/* The one-line reason for a verdict ("signature does not verify"). */
const char *sigcheck_reason(enum sig_verdict v);
