// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the whole scenario check (core/config: cfg_parse, VM, passthrough, image and
 * channel checks) on a mutated flattened device tree, against the reference platform as
 * bhcfg builds it (QEMU virt, with its bus masters). Images are answered by a hook whose
 * sizes and arm64 Image headers come from the path bytes, so the image checks and
 * cfg_image_layout run too. Properties kept: no crash or sanitizer report; every line
 * counted; a VM that stays valid has a layout that fits its RAM.
 * Seeds: the .hex files in tests/fuzz/corpus/config/, shipped scenarios compiled with dtc.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/platinfo.h>
#include <tools/bhcfg/virtplat.h>

#include "fuzz_input.h"

static uint32_t lines;

static void on_error(void *ctx, const char *msg)
{
    (void)ctx;
    FUZZ_CHECK(strlen(msg) < CFG_MSG_MAX);
    lines++;
}

/* Deterministic per path: size and header fields from an FNV-1a hash of the path. */
static int on_image(void *ctx, const char *path, struct cfg_image *out)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);

    (void)ctx;
    for (const char *p = path; *p != '\0'; p++) {
        h = (h ^ (uint8_t)*p) * UINT64_C(0x100000001b3);
    }
    if ((h & 0xf) == 0) {
        return -BH_ENOENT;
    }
    out->size = (h >> 4) & 0xffffff; /* up to 16 MiB, sometimes 0 */
    out->head_len = out->size < CFG_IMAGE_HEAD ? (uint32_t)out->size : CFG_IMAGE_HEAD;
    memset(out->head, 0, sizeof(out->head));
    uint64_t text_offset = (h & 0x30) ? 0 : (h >> 8) << 12;
    uint64_t image_size = (h & 0x40) ? 0 : out->size + ((h >> 20) & 0xfffff);
    memcpy(&out->head[8], &text_offset, 8);
    memcpy(&out->head[16], &image_size, 8);
    if (h & 0x80) {
        memcpy(&out->head[56], "ARM\x64", 4);
    }
    return 0;
}

static const struct platinfo *reference(void)
{
    static struct platinfo plat;
    static char tree[VIRTPLAT_FDT_SIZE];
    static int done;

    if (!done) {
        FUZZ_CHECK(virtplat_build(tree, sizeof(tree)) == 0);
        FUZZ_CHECK(platinfo_parse(tree, &plat) == 0);
        done = 1;
    }
    return &plat;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cfg_scenario sc;
    const struct cfg_hooks hooks = { .error = on_error, .image = on_image };

    /* cfg_parse's contract: fdt_totalsize() bytes readable (the bundle code checks that) */
    if (size < sizeof(struct fdt_header) || fdt_totalsize(data) > size) {
        return 0;
    }
    void *fdt = malloc(size); /* 8-byte aligned, as the hypervisor's copy */
    FUZZ_CHECK(fdt != NULL);
    memcpy(fdt, data, size);
    lines = 0;
    int r = cfg_parse(fdt, "fuzz.dts", reference(), &hooks, &sc);
    FUZZ_CHECK(sc.error_count == lines);
    FUZZ_CHECK(r == 0 || r == -BH_EINVAL);
    for (uint32_t i = 0; r == 0 && i < sc.vm_count; i++) {
        const struct cfg_vm *vm = &sc.vms[i];
        struct cfg_image k = { 0 };
        struct cfg_layout lay;
        const char *prop;
        char why[CFG_MSG_MAX];
        if (!vm->valid) {
            continue;
        }
        FUZZ_CHECK(vm->mem_size != 0 && vm->vcpu_count != 0);
        FUZZ_CHECK(on_image(NULL, vm->kernel, &k) == 0);
        FUZZ_CHECK(cfg_image_layout(vm, &k, vm->initrd_size, &lay, &prop, why, sizeof(why)) == 0);
        FUZZ_CHECK(lay.kernel_end <= lay.initrd_off && lay.initrd_off <= lay.dtb_off &&
                   lay.dtb_off < vm->mem_size);
    }
    free(fdt);
    return 0;
}
