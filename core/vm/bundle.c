// SPDX-License-Identifier: MIT
/*
 * Reads the FIT boot bundle with libfdt and checks image hashes: SHA-256 with the CPU's own
 * instructions where it has them (arch_sha256), else with BearSSL's (both libraries are Debian
 * packages, see scripts/deps.sh). Only "data" (embedded) images are accepted: the
 * bundle is self-contained and lives in memory no guest can reach.
 */
#include <core/vm/bundle.h>

#include <bearssl_hash.h>
#include <libfdt.h>

#include <arch/cpu.h>
#include <core/fdtcheck.h>
#include <lib/string.h>

#define SHA256_BYTES 32

int bundle_open(const void *fit, uint64_t max_size)
{
    /* The header's offsets and sizes must stay inside the bundle before anything is read;
     * fdt_check_full then walks the structure block once (not the image data it skips). */
    /* fdtcheck first: libfdt 1.6.1 hangs or faults on some crafted blobs (core/fdtcheck.h) */
    if (max_size < sizeof(struct fdt_header) || fdt_check_header(fit) != 0 ||
        fdt_totalsize(fit) > max_size || fdtcheck_blob(fit, max_size) != 0 ||
        fdt_check_full(fit, fdt_totalsize(fit)) != 0) {
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

/* A string property: NUL-terminated inside its length, or NULL. */
static const char *prop_string(const void *fit, int node, const char *name)
{
    int len = 0;
    const char *s = fdt_getprop(fit, node, name, &len);

    return s && len > 0 && memchr(s, '\0', (size_t)len) != NULL ? s : NULL;
}

int bundle_scenario(const void *fit, const void **dtb, uint64_t *size, const char **file)
{
    struct bundle_image img;
    int node = fdt_path_offset(fit, "/images/scenario");

    if (node < 0 || image_data(fit, node, &img) != 0) {
        return -BH_ENOENT;
    }
    *dtb = img.data;
    *size = img.size;
    *file = prop_string(fit, node, "description");
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
        const char *desc = prop_string(fit, node, "description");
        const char *name = fdt_get_name(fit, node, NULL);
        if (desc && name && strcmp(desc, path) == 0 && strcmp(name, "scenario") != 0) {
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
        const char *algo = prop_string(fit, h, "algo");
        const uint8_t *want = fdt_getprop(fit, h, "value", &len);
        if (!algo || strcmp(algo, "sha256") != 0) {
            continue;
        }
        if (!want || len != SHA256_BYTES) {
            return -BH_EINVAL;
        }
        uint8_t got[SHA256_BYTES];
        if (!arch_sha256(img->data, img->size, got)) {
            br_sha256_context ctx;
            br_sha256_init(&ctx);
            br_sha256_update(&ctx, img->data, (size_t)img->size);
            br_sha256_out(&ctx, got);
        }
        if (memcmp(got, want, SHA256_BYTES) != 0) {
            return -BH_EIO;
        }
        checked++;
    }
    return checked ? 0 : -BH_EINVAL;
}
