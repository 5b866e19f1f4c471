/* SPDX-License-Identifier: MIT */
/*
 * The boot bundle: a U-Boot FIT image (doc/usage/fit in U-Boot) holding the scenario device
 * tree and every guest image, each with a SHA-256 hash node filled in by mkimage. Images are
 * looked up by their description, which is the path the scenario names.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/errno.h>

struct bundle_image {
    const void *data;
    uint64_t size;
    int node; /* FIT node offset */
};

/*
 * Check the FIT at fit (at most max_size bytes readable): header, every offset and size in
 * it, and the structure block (fdt_check_full); /images must exist. Returns 0 or -BH_EINVAL.
 * The other functions assume a bundle that passed.
 */
int bundle_open(const void *fit, uint64_t max_size) BH_MUST_CHECK;

/* The scenario blob, its size in bytes and its file name (the description of
 * /images/scenario). The blob is not checked: cfg_parse does that (within *size bytes). */
int bundle_scenario(const void *fit, const void **dtb, uint64_t *size,
                    const char **file) BH_MUST_CHECK;

/* Find the image whose description equals path. Returns 0 or -BH_ENOENT. */
int bundle_find(const void *fit, const char *path, struct bundle_image *out) BH_MUST_CHECK;

/*
 * Verify every hash-* subnode of the image that uses sha256 (at least one must exist).
 * Returns 0, -BH_EIO on a mismatch, -BH_EINVAL when there is no usable hash node.
 */
int bundle_verify(const void *fit, const struct bundle_image *img) BH_MUST_CHECK;
