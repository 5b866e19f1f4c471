// SPDX-License-Identifier: MIT
/*
 * Reads the FIT boot bundle with libfdt and checks image hashes with BearSSL's SHA-256 (both
 * Debian packages, see scripts/deps.sh). Only "data" (embedded) images are accepted: the
 * bundle is self-contained and lives in memory no guest can reach.
 */
#include <core/vm/bundle.h>

#include <bearssl_hash.h>
#include <libfdt.h>

#include <lib/string.h>

#define SHA256_BYTES 32

int bundle_open(const void *fit, uint64_t max_size)
{
    if (fdt_check_header(fit) != 0 || fdt_totalsize(fit) > max_size) {
        return -BH_EINVAL;
    }
    return fdt_path_offset(fit, "/images") < 0 ? -BH_EINVAL : 0;
}

static int image_data(const void *fit, int node, struct bundle_image *out)
{
    int len = 0;
    const void *data = fdt_getprop(fit, node, "data", &len);

    if (!data || len < 0) {
        return -BH_EINVAL;
    }
    out->data = data;
    out->size = (uint64_t)len;
    out->node = node;
    return 0;
}

int bundle_scenario(const void *fit, const void **dtb, const char **file)
{
    struct bundle_image img;
    int node = fdt_path_offset(fit, "/images/scenario");

    if (node < 0 || image_data(fit, node, &img) != 0) {
        return -BH_ENOENT;
    }
    *dtb = img.data;
    *file = fdt_getprop(fit, node, "description", NULL);
    if (!*file) {
        *file = "scenario";
    }
    return 0;
}

int bundle_find(const void *fit, const char *path, struct bundle_image *out)
{
    int images = fdt_path_offset(fit, "/images");
    int node;

    fdt_for_each_subnode(node, fit, images) {
        int len = 0;
        const char *desc = fdt_getprop(fit, node, "description", &len);
        if (desc && len > 0 && strnlen(desc, (size_t)len) == strlen(path) &&
            strcmp(desc, path) == 0 && strcmp(fdt_get_name(fit, node, NULL), "scenario") != 0) {
            return image_data(fit, node, out);
        }
    }
    return -BH_ENOENT;
}

int bundle_verify(const void *fit, const struct bundle_image *img)
{
    int checked = 0;
    int h;

    fdt_for_each_subnode(h, fit, img->node) {
        int len = 0;
        const char *algo = fdt_getprop(fit, h, "algo", NULL);
        const uint8_t *want = fdt_getprop(fit, h, "value", &len);
        if (!algo || strcmp(algo, "sha256") != 0) {
            continue;
        }
        if (!want || len != SHA256_BYTES) {
            return -BH_EINVAL;
        }
        br_sha256_context ctx;
        uint8_t got[SHA256_BYTES];
        br_sha256_init(&ctx);
        br_sha256_update(&ctx, img->data, (size_t)img->size);
        br_sha256_out(&ctx, got);
        if (memcmp(got, want, SHA256_BYTES) != 0) {
            return -BH_EIO;
        }
        checked++;
    }
    return checked ? 0 : -BH_EINVAL;
}
