// SPDX-License-Identifier: MIT
/*
 * Fuzz target: what the loader trusts from images and the boot bundle (issue 9, hostile
 * finding 1). The input is
 *   [0, 64)   an arm64 Image header (booting.rst), used as the kernel's first bytes
 *   [64, 96)  kernel size, initrd size, memory-size (2 MiB multiple), raw entry (u64 LE each)
 *   [96]      kernel-type (bit 0: raw)
 *   [97, ...) a FIT boot bundle (core/vm/bundle.c: open, scenario, find, sha256 verify)
 * Properties: cfg_image_layout either refuses or returns offsets that all lie inside the
 * VM's RAM with the kernel, initrd and device tree in order and apart; the bundle readers
 * only return data inside the bundle.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/vm/bundle.h>

#include "fuzz_input.h"

#define HEADER_PART 97

static void check_layout(struct fuzz_in *in, const uint8_t *head)
{
    struct cfg_vm vm = { .valid = true };
    struct cfg_image k = { 0 };
    struct cfg_layout lay;
    const char *prop = NULL;
    char why[CFG_MSG_MAX];

    memcpy(k.head, head, CFG_IMAGE_HEAD);
    k.size = fuzz_in_u64(in);
    k.head_len = k.size < CFG_IMAGE_HEAD ? (uint32_t)k.size : CFG_IMAGE_HEAD;
    uint64_t initrd = fuzz_in_u64(in);
    vm.mem_size = fuzz_in_u64(in) & ~(CFG_MEM_ALIGN - 1);
    vm.entry = fuzz_in_u64(in);
    vm.kernel_type = (fuzz_in_u8(in) & 1) ? CFG_KERNEL_RAW : CFG_KERNEL_LINUX;
    memcpy(vm.kernel, "fuzz.img", sizeof("fuzz.img"));
    if (cfg_image_layout(&vm, &k, initrd, &lay, &prop, why, sizeof(why)) != 0) {
        FUZZ_CHECK(prop != NULL && strlen(why) < sizeof(why));
        return;
    }
    /* what vm_reload copies and clears must stay inside [0, mem_size) */
    FUZZ_CHECK(lay.kernel_off <= lay.kernel_end && lay.kernel_end - lay.kernel_off >= k.size);
    FUZZ_CHECK(lay.kernel_end <= lay.initrd_off);
    FUZZ_CHECK(lay.initrd_off <= lay.dtb_off && initrd <= lay.dtb_off - lay.initrd_off);
    FUZZ_CHECK(lay.dtb_off + CFG_FDT_RESERVE == vm.mem_size);
    FUZZ_CHECK(lay.entry_off >= lay.kernel_off && lay.entry_off < lay.kernel_end);
}

/* Every image the readers return lies inside the bundle. */
static void check_bundle(const uint8_t *fit, size_t size)
{
    static const char *const paths[] = { "build/testguest/testguest.bin", "a", "" };
    struct bundle_image img;
    const void *scen;
    uint64_t scen_size;
    const char *file;

    if (bundle_open(fit, size) != 0) {
        return;
    }
    if (bundle_scenario(fit, &scen, &scen_size, &file) == 0) {
        FUZZ_CHECK((const uint8_t *)scen >= fit && scen_size <= size &&
                   (size_t)((const uint8_t *)scen - fit) <= size - scen_size);
        FUZZ_CHECK(strlen(file) < size || strcmp(file, "scenario") == 0);
    }
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        if (bundle_find(fit, paths[i], &img) == 0) {
            const uint8_t *d = img.data;
            FUZZ_CHECK(d >= fit && img.size <= size && (size_t)(d - fit) <= size - img.size);
            int r = bundle_verify(fit, &img);
            FUZZ_CHECK(r == 0 || r == -BH_EIO || r == -BH_EINVAL);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    uint8_t head[CFG_IMAGE_HEAD] = { 0 };

    for (size_t i = 0; i < CFG_IMAGE_HEAD; i++) {
        head[i] = fuzz_in_u8(&in);
    }
    check_layout(&in, head);
    if (size > HEADER_PART) {
        /* the bundle as the hypervisor sees it: 8-byte aligned, exactly size bytes */
        size_t n = size - HEADER_PART;
        uint8_t *fit = malloc(n);
        FUZZ_CHECK(fit != NULL);
        memcpy(fit, data + HEADER_PART, n);
        check_bundle(fit, n);
        free(fit);
    }
    return 0;
}
