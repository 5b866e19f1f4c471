// SPDX-License-Identifier: MIT
/*
 * The image checks and the guest RAM layout, shared by bhcfg and the loader (vm_build.c), so
 * the checker and the boot agree on every image. Layout (arm64 boot protocol,
 * Documentation/arch/arm64/booting.rst): the kernel at text_offset from the 2 MiB aligned RAM
 * base (raw binaries at the base), the device tree in the top 2 MiB of RAM, the initrd right
 * below it. Header fields are image-controlled: every sum is checked with lib/range.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <core/config/config.h>
#include <lib/fmt.h>
#include <lib/range.h>

/* arm64 Image header (booting.rst "Header notes"): little-endian fields. */
#define IMAGE_TEXT_OFFSET 8
#define IMAGE_SIZE        16
#define IMAGE_MAGIC_OFF   56
#define IMAGE_MAGIC       UINT32_C(0x644d5241) /* "ARM\x64" */
#define IMAGE_ALIGN       (4 * CFG_SZ_KIB)     /* text_offset: the kernel maps itself by page */
#define INITRD_ALIGN      (4 * CFG_SZ_KIB)
#define INSN_ALIGN        4                    /* A64 instructions */

typedef unsigned long long ull; /* what %llx takes, whatever uint64_t is */

static uint64_t le_bytes(const uint8_t *p, int n)
{
    uint64_t v = 0;

    for (int i = n - 1; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

#define FAIL(p, ...)                                                                       \
    do {                                                                                   \
        *prop = (p);                                                                       \
        bh_snprintf(why, why_len, __VA_ARGS__);                                            \
        return -BH_EINVAL;                                                                 \
    } while (0)

/* Where the kernel goes and how far it reaches (BSS included); the entry point. */
static int kernel_place(const struct cfg_vm *vm, const struct cfg_image *k, struct cfg_layout *out,
                        const char **prop, char *why, size_t why_len)
{
    uint64_t reach = k->size;

    if (vm->kernel_type == CFG_KERNEL_RAW) {
        if (vm->entry % INSN_ALIGN != 0) {
            FAIL("entry", "0x%llx is not 4-byte aligned", (ull)vm->entry);
        }
        if (vm->entry >= k->size) {
            FAIL("entry", "0x%llx is beyond the kernel image (0x%llx bytes)", (ull)vm->entry,
                 (ull)k->size);
        }
        out->kernel_off = 0;
        out->entry_off = vm->entry;
    } else {
        if (k->head_len < CFG_IMAGE_HEAD) {
            FAIL("kernel", "'%s' is not an arm64 Image: 0x%llx bytes, shorter than its header",
                 vm->kernel, (ull)k->size);
        }
        if (le_bytes(&k->head[IMAGE_MAGIC_OFF], 4) != IMAGE_MAGIC) {
            FAIL("kernel", "'%s' is not an arm64 Image: no 'ARM\\x64' magic at 0x38 "
                 "(kernel-type 'raw' for a flat binary)", vm->kernel);
        }
        uint64_t text_offset = le_bytes(&k->head[IMAGE_TEXT_OFFSET], 8);
        uint64_t image_size = le_bytes(&k->head[IMAGE_SIZE], 8);
        if (text_offset % IMAGE_ALIGN != 0) {
            FAIL("kernel", "'%s': Image text_offset 0x%llx is not 4 KiB aligned", vm->kernel,
                 (ull)text_offset);
        }
        /* image_size 0: a kernel before v3.17, size unknown beyond the file (booting.rst) */
        if (image_size != 0 && image_size < k->size) {
            FAIL("kernel", "'%s': Image image_size 0x%llx is smaller than the file (0x%llx)",
                 vm->kernel, (ull)image_size, (ull)k->size);
        }
        reach = image_size > k->size ? image_size : k->size;
        out->kernel_off = text_offset;
        out->entry_off = text_offset;
    }
    if (!range_end(out->kernel_off, reach, &out->kernel_end)) {
        FAIL("kernel", "'%s': text_offset 0x%llx + size 0x%llx wraps around", vm->kernel,
             (ull)out->kernel_off, (ull)reach);
    }
    return 0;
}

int cfg_image_layout(const struct cfg_vm *vm, const struct cfg_image *kernel,
                     uint64_t initrd_size, struct cfg_layout *out, const char **prop, char *why,
                     size_t why_len)
{
    int r = kernel_place(vm, kernel, out, prop, why, why_len);

    if (r != 0) {
        return r;
    }
    /* The kernel needs at least the 2 MiB block it starts in, the device tree the top one. */
    if (vm->mem_size < 2 * CFG_FDT_RESERVE) {
        FAIL("memory-size", "0x%llx bytes: at least 0x%llx are needed (kernel and device tree)",
             (ull)vm->mem_size, (ull)(2 * CFG_FDT_RESERVE));
    }
    out->dtb_off = vm->mem_size - CFG_FDT_RESERVE;
    out->initrd_off = out->dtb_off;
    if (initrd_size > out->dtb_off ||
        !range_fits(out->kernel_off, out->kernel_end - out->kernel_off,
                    (out->dtb_off - initrd_size) & ~(INITRD_ALIGN - 1))) {
        /* what it would take: kernel, initrd page-aligned, device tree (saturating) */
        uint64_t need = UINT64_MAX, initrd_pages;
        if (range_align_up(initrd_size, INITRD_ALIGN, &initrd_pages) &&
            range_end(out->kernel_end, initrd_pages, &need) &&
            !range_end(need, CFG_FDT_RESERVE, &need)) {
            need = UINT64_MAX;
        }
        FAIL("memory-size",
             "0x%llx bytes cannot hold kernel (0x%llx with its offset and BSS), initrd "
             "(0x%llx) and device tree (0x%llx): 0x%llx needed",
             (ull)vm->mem_size, (ull)out->kernel_end, (ull)initrd_size, (ull)CFG_FDT_RESERVE,
             (ull)need);
    }
    out->initrd_off = (out->dtb_off - initrd_size) & ~(INITRD_ALIGN - 1);
    return 0;
}
