// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config*.c: every configuration error kind, as a table of edits applied
 * to a known-good scenario (built with libfdt's read-write API), each run as its own cmocka
 * test. A case names the substring its error line must contain, how many lines it expects
 * (one, unless said otherwise: no cascades) and which VMs must stay valid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include <core/config/config.h>
#include <core/platinfo.h>

#include "cfg_fixture.h"

#define FDT_BUF     32768
#define MAX_OPS     16
#define MIB         FIX_MIB
#define FILE_NAME   "cfg.dts"
#define VM_A        "/vms/vm-a"
#define VM_B        "/vms/vm-b"
#define PT_B        "/vms/vm-b/passthrough"
#define DEV0        "/vms/vm-b/passthrough/dev0"

/* ------------------------------------------------------------------ fixtures */

struct fake_image {
    const char *path;
    uint64_t size;
    bool linux_header;    /* starts with an arm64 Image header */
    uint64_t text_offset; /* ... with these fields */
    uint64_t image_size;
};

/* tg.bin is an arm64 Image too: the test guest's binary starts with the header. */
static const struct fake_image images[] = {
    { "tg.bin", 100 * 1024, true, 0, 0x40000 },
    { "linux/Image", 30 * MIB, true, 0, 31 * MIB },
    { "linux/initrd", 1 * MIB, false, 0, 0 },
    { "empty.bin", 0, false, 0, 0 },
    { "raw.bin", 100 * 1024, false, 0, 0 },
    { "tiny.bin", 16, false, 0, 0 },
    { "wrap.img", 100 * 1024, true, UINT64_C(0xfffffffffffff000), 0x200000 },
    { "huge.img", 100 * 1024, true, 0, UINT64_C(0xffffffffffffff00) },
    { "far.img", 100 * 1024, true, 0x10000000, 0x200000 },
    { "odd.img", 100 * 1024, true, 0x80010, 0x200000 },
    { "short.img", 100 * 1024, true, 0, 0x1000 },
    { "bigrd.img", UINT64_C(0xfffffffffffff000), false, 0, 0 },
};

static int fake_image(void *ctx, const char *path, struct cfg_image *out)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
        const struct fake_image *f = &images[i];
        if (strcmp(f->path, path) == 0) {
            out->size = f->size;
            out->head_len = f->size < CFG_IMAGE_HEAD ? (uint32_t)f->size : CFG_IMAGE_HEAD;
            memset(out->head, 0x5a, sizeof(out->head)); /* raw: no magic */
            if (f->linux_header) {
                fix_image_header(out->head, f->text_offset, f->image_size);
            }
            return 0;
        }
    }
    return -BH_ENOENT;
}

/*
 * Known good: VM a (CPUs 0-1, 64 MiB, bare-metal) and VM b (CPUs 2-3, 64 MiB, Linux with an
 * initrd and one passthrough device at 0x0a000000 with SPIs 48 and 49).
 */
static void build_base(void *fdt)
{
    static const uint32_t cpus_a[] = { 0, 1 }, cpus_b[] = { 2, 3 };
    static const uint32_t mem64[] = { 0, 64 * MIB };
    static const uint32_t reg[] = { 0, 0x0a000000, 0, 0x200 }, irqs[] = { 48, 49 };

    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    int vms = add_node(fdt, 0, "vms");
    int b = add_node(fdt, vms, "vm-b"); /* added first: fdt_add_subnode prepends */
    int a = add_node(fdt, vms, "vm-a");

    assert_int_equal(fdt_setprop_string(fdt, a, "compatible", "bulkhead,vm"), 0);
    assert_int_equal(fdt_setprop_string(fdt, a, "name", "a"), 0);
    setprop_cells(fdt, a, "cpus", cpus_a, 2);
    setprop_cells(fdt, a, "memory-size", mem64, 2);
    assert_int_equal(fdt_setprop_string(fdt, a, "kernel", "tg.bin"), 0);
    b = fdt_path_offset(fdt, VM_B);
    assert_int_equal(fdt_setprop_string(fdt, b, "compatible", "bulkhead,vm"), 0);
    assert_int_equal(fdt_setprop_string(fdt, b, "name", "b"), 0);
    setprop_cells(fdt, b, "cpus", cpus_b, 2);
    setprop_cells(fdt, b, "memory-size", mem64, 2);
    assert_int_equal(fdt_setprop_string(fdt, b, "kernel", "linux/Image"), 0);
    assert_int_equal(fdt_setprop_string(fdt, b, "initrd", "linux/initrd"), 0);
    assert_int_equal(fdt_setprop_string(fdt, b, "bootargs", "console=ttyAMA0"), 0);
    int dev = add_node(fdt, add_node(fdt, b, "passthrough"), "dev0");
    assert_int_equal(fdt_setprop_string(fdt, dev, "compatible", "vendor,dev"), 0);
    setprop_cells(fdt, dev, "reg", reg, 4);
    setprop_cells(fdt, dev, "interrupts", irqs, 2);
}

/* ------------------------------------------------------------------ edits */

/* ------------------------------------------------------------------ running */

enum plat_variant {
    PLAT_REF, PLAT_UART_SPI_40, PLAT_AVAIL_1G, PLAT_BUS_MASTERS, PLAT_DMA_OVERFLOW
};

struct cfg_case {
    const char *name;
    struct op ops[MAX_OPS];
    const char *expect;     /* substring of one error line */
    int extra_errors;       /* lines beyond the first */
    bool a_invalid;
    bool b_invalid;
    enum plat_variant plat;
};

static void run_fdt(const void *fdt, const struct platinfo *plat, struct result *r)
{
    fix_run(fdt, FILE_NAME, plat, fake_image, r);
}

static void run_case_ops(const struct cfg_case *tc, struct result *r)
{
    static char fdt[FDT_BUF];
    struct platinfo plat = test_plat();

    build_base(fdt);
    for (int i = 0; i < MAX_OPS && tc->ops[i].kind != OP_END; i++) {
        fix_apply(fdt, &tc->ops[i]);
    }
    if (tc->plat == PLAT_UART_SPI_40) {
        plat.uart_intid = 40;
    } else if (tc->plat == PLAT_AVAIL_1G) {
        plat.vm_ram_avail = 1024 * MIB;
    } else if (tc->plat == PLAT_BUS_MASTERS) {
        /* what platinfo_parse reads from QEMU virt's tree (test_platinfo.c checks it) */
        plat.has_its = true;
        plat.its = (struct platinfo_region){ 0x08080000, 0x20000 };
        plat.dma[plat.dma_count++] = (struct platinfo_dma){ { 0x09020000, 0x18 },
                                                            "fw_cfg DMA interface" };
        plat.dma[plat.dma_count++] = (struct platinfo_dma){ { 0x0a000000, 0x4000 },
                                                            "virtio-mmio" };
    } else if (tc->plat == PLAT_DMA_OVERFLOW) {
        plat.dma_overflow = true;
    }
    run_fdt(fdt, &plat, r);
}

static void run_case(void **state)
{
    const struct cfg_case *tc = *state;
    static struct result r;

    run_case_ops(tc, &r);
    if (r.ret != 0 || !has_line(&r.cap, tc->expect) || r.cap.count != 1 + tc->extra_errors) {
        dump_lines(&r.cap);
        fail_msg("%s: ret %d, %d line(s), want one containing \"%s\"", tc->name, r.ret,
                 r.cap.count, tc->expect);
    }
    assert_int_equal(r.sc.error_count, (uint32_t)r.cap.count);
    assert_int_equal(r.sc.vm_count, 2);
    assert_int_equal(r.sc.vms[0].valid, !tc->a_invalid);
    assert_int_equal(r.sc.vms[1].valid, !tc->b_invalid);
}

/* Every line must look like "<file>: <node path>: <property>: <reason>". */
static void test_line_format(void **state)
{
    static const struct cfg_case tc = {
        .name = "format", .ops = { CELLS(VM_B, "cpus", 1, 2) }, .expect = "", .b_invalid = true,
    };
    static struct result r;

    (void)state;
    run_case_ops(&tc, &r);
    assert_int_equal(r.cap.count, 1);
    assert_string_equal(r.cap.lines[0],
                        "cfg.dts: /vms/vm-b: cpus: CPU 1 is already given to VM 'a'");
}


/* ------------------------------------------------------------------ the error table */

#define PT_A    "/vms/vm-a/passthrough"
#define DEVX    PT_A "/devx"
#define DEV1    PT_B "/dev1"
#define NAME32  "abcdefghijabcdefghijabcdefghijab"
/* A second device in VM b; fdt_add_subnode puts it before dev0, so dev0 is checked second. */
#define ADD_DEV1(base) NODE(PT_B, "dev1"), STR(DEV1, "compatible", "x,y"), \
    CELLS(DEV1, "reg", 0, (base), 0, 0x1000)
#define ADD_DEVX(base) NODE(VM_A, "passthrough"), NODE(PT_A, "devx"), \
    STR(DEVX, "compatible", "x,y"), CELLS(DEVX, "reg", 0, (base), 0, 0x1000)

static const struct cfg_case cases[] = {
    /* missing required properties */
    { "missing vm compatible", { DEL(VM_A, "compatible") },
      VM_A ": compatible: missing required property", .a_invalid = true },
    { "missing name", { DEL(VM_A, "name") }, VM_A ": name: missing required property",
      .a_invalid = true },
    { "missing cpus", { DEL(VM_A, "cpus") }, VM_A ": cpus: missing required property",
      .a_invalid = true },
    { "missing memory-size", { DEL(VM_A, "memory-size") },
      VM_A ": memory-size: missing required property", .a_invalid = true },
    { "missing kernel", { DEL(VM_A, "kernel") }, VM_A ": kernel: missing required property",
      .a_invalid = true },
    { "missing dev compatible", { DEL(DEV0, "compatible") },
      DEV0 ": compatible: missing required property", .b_invalid = true },
    { "missing dev reg", { DEL(DEV0, "reg") }, DEV0 ": reg: missing required property",
      .b_invalid = true },
    { "several errors in one VM", { DEL(VM_A, "kernel"), STR(VM_A, "colour", "blue") },
      VM_A ": colour: unknown property", .extra_errors = 1, .a_invalid = true },
    { "invalid VM blocks nobody", { DEL(VM_A, "kernel"), CELLS(VM_B, "cpus", 0, 1) },
      VM_A ": kernel: missing required property", .a_invalid = true },

    /* unknown properties and nodes */
    { "unknown vm property", { STR(VM_A, "colour", "blue") }, VM_A ": colour: unknown property",
      .a_invalid = true },
    { "unknown dev property", { CELLS(DEV0, "clocks", 1) }, DEV0 ": clocks: unknown property",
      .b_invalid = true },
    { "property in passthrough", { STR(PT_B, "foo", "x") }, PT_B ": foo: unknown property",
      .b_invalid = true },
    { "unknown vm child", { NODE(VM_A, "extra") },
      VM_A "/extra: (node): unknown child node", .a_invalid = true },
    { "unknown dev child", { NODE(DEV0, "sub") }, DEV0 "/sub: (node): unknown child node",
      .b_invalid = true },

    /* malformed values */
    { "memory-size one cell", { CELLS(VM_A, "memory-size", 64 * MIB) },
      VM_A ": memory-size: expected 2 cells (a 64-bit value), got 4 bytes", .a_invalid = true },
    { "memory-base three cells", { CELLS(VM_A, "memory-base", 0, 0, 0) },
      VM_A ": memory-base: expected 2 cells", .a_invalid = true },
    { "cpus empty", { RAW(VM_A, "cpus", "", 0) }, VM_A ": cpus: must not be empty",
      .a_invalid = true },
    { "cpus not cells", { RAW(VM_A, "cpus", "\0\0\1", 3) },
      VM_A ": cpus: expected 32-bit cells, got 3 bytes", .a_invalid = true },
    { "name not a string", { CELLS(VM_A, "name", 1) }, VM_A ": name: must be a single string",
      .a_invalid = true },
    { "name two strings", { RAW(VM_A, "name", "a\0b", 4) },
      VM_A ": name: must be a single string", .a_invalid = true },
    { "name empty", { STR(VM_A, "name", "") }, VM_A ": name: must not be empty",
      .a_invalid = true },
    { "name bad characters", { STR(VM_A, "name", "A!") },
      VM_A ": name: 'A!' has a character other than a-z, 0-9, '_' and '-'", .a_invalid = true },
    { "name too long", { REPEAT(VM_A, "name", "x", 16) },
      VM_A ": name: too long: 16 characters (at most 15)", .a_invalid = true },
    { "name duplicate", { STR(VM_B, "name", "a") },
      VM_B ": name: VM name 'a' is already used by /vms/vm-a", .b_invalid = true },
    { "vm compatible wrong", { STR(VM_A, "compatible", "foo,vm") },
      VM_A ": compatible: expected \"bulkhead,vm\"", .a_invalid = true },
    { "kernel-type unknown", { STR(VM_A, "kernel-type", "elf64-image") },
      VM_A ": kernel-type: unknown kernel type 'elf64-image' (linux, raw)", .a_invalid = true },
    { "fault-policy unknown", { STR(VM_A, "fault-policy", "explode") },
      VM_A ": fault-policy: unknown fault policy 'explode'", .a_invalid = true },
    { "ipc-notify unknown", { STR(VM_A, "ipc-notify", "irq") },
      VM_A ": ipc-notify: unknown notification kind 'irq' (spi, gpio)", .a_invalid = true },
    { "priority too high", { CELLS(VM_A, "priority", 256) },
      VM_A ": priority: 256 is above the highest priority 255", .a_invalid = true },
    { "priority two cells", { CELLS(VM_A, "priority", 0, 1) },
      VM_A ": priority: must be one cell, not 8 bytes", .a_invalid = true },
    { "watchdog unknown", { STR(VM_A, "watchdog", "sbsa") },
      VM_A ": watchdog: unknown watchdog 'sbsa' (none, sp805)", .a_invalid = true },
    { "watchdog-clock-hz too low", { STR(VM_A, "watchdog", "sp805"),
                                     CELLS(VM_A, "watchdog-clock-hz", 999) },
      VM_A ": watchdog-clock-hz: 999 Hz is out of range (1000..1000000000)", .a_invalid = true },
    { "watchdog-clock-hz too high", { STR(VM_A, "watchdog", "sp805"),
                                      CELLS(VM_A, "watchdog-clock-hz", 1000000001) },
      VM_A ": watchdog-clock-hz: 1000000001 Hz is out of range", .a_invalid = true },
    { "watchdog-clock-hz two cells", { STR(VM_A, "watchdog", "sp805"),
                                       CELLS(VM_A, "watchdog-clock-hz", 0, 1000000) },
      VM_A ": watchdog-clock-hz: must be one cell, not 8 bytes", .a_invalid = true },
    { "watchdog-clock-hz without watchdog", { CELLS(VM_A, "watchdog-clock-hz", 1000000) },
      VM_A ": watchdog-clock-hz: only allowed with watchdog = \"sp805\"", .a_invalid = true },
    { "passthrough over the watchdog",
      { STR(VM_B, "watchdog", "sp805"), CELLS(DEV0, "ipa", 0, 0x090c0000) },
      DEV0 ": ipa: guest window 0x90c0000+0x1000 overlaps the virtual watchdog at 0x90c0000",
      .b_invalid = true },
    { "passthrough over the virtio console",
      { CELLS(VM_B, "virtio-console", 1), CELLS(DEV0, "ipa", 0, 0x090e0000) },
      DEV0 ": ipa: guest window 0x90e0000+0x1000 overlaps the virtual virtio console at "
           "0x90e0000", .b_invalid = true },
    { "passthrough over the notification GPIOs",
      { STR(VM_B, "ipc-notify", "gpio"), CELLS(DEV0, "ipa", 0, 0x0a0bf000) },
      DEV0 ": ipa: guest window 0xa0bf000+0x1000 overlaps the virtual notification GPIOs at "
           "0xa080000", .b_invalid = true },
    { "entry for linux", { CELLS(VM_A, "entry", 0, 0) },
      VM_A ": entry: only allowed with kernel-type \"raw\"", .a_invalid = true },
    { "entry misaligned", { STR(VM_A, "kernel-type", "raw"), CELLS(VM_A, "entry", 0, 2) },
      VM_A ": entry: 0x2 is not 4-byte aligned", .a_invalid = true },
    { "entry beyond image", { STR(VM_A, "kernel-type", "raw"), CELLS(VM_A, "entry", 0, MIB) },
      VM_A ": entry: 0x100000 is beyond the kernel image (0x19000 bytes)", .a_invalid = true },
    { "entry one cell", { STR(VM_A, "kernel-type", "raw"), CELLS(VM_A, "entry", 4) },
      VM_A ": entry: expected 2 cells", .a_invalid = true },
    { "kernel absolute", { STR(VM_A, "kernel", "/boot/Image") },
      VM_A ": kernel: '/boot/Image' must be relative to the root directory", .a_invalid = true },
    { "kernel quote", { STR(VM_A, "kernel", "a\"b") },
      VM_A ": kernel: 'a\"b' contains a quote or backslash", .a_invalid = true },
    { "initrd empty", { STR(VM_B, "initrd", "") }, VM_B ": initrd: must not be empty",
      .b_invalid = true },
    /* a string where cells are expected: named as such, not read as a number (issue 9) */
    { "cpus a string", { STR(VM_A, "cpus", "two") },
      VM_A ": cpus: expected <u32> cells, got the string 'two'", .a_invalid = true },
    { "memory-size a string", { STR(VM_A, "memory-size", "64M") },
      VM_A ": memory-size: expected <u32 u32> cells (a 64-bit value), got the string '64M'",
      .a_invalid = true },
    { "priority a string", { STR(VM_A, "priority", "high") },
      VM_A ": priority: expected one <u32> cell, got the string 'high'", .a_invalid = true },
    { "dev reg a string", { STR(DEV0, "reg", "0xa000000") },
      DEV0 ": reg: expected <u32> cells (2 address + 2 size), got the string '0xa000000'",
      .b_invalid = true },
    { "interrupts a string list", { RAW(DEV0, "interrupts", "spi\0x48", 8) },
      DEV0 ": interrupts: expected <u32> cells, got the string 'spi'", .b_invalid = true },
    { "long string cut", { STR(VM_A, "cpus", "zero-one-two-three") },
      VM_A ": cpus: expected <u32> cells, got the string 'zero-one-two-th...'",
      .a_invalid = true },
    { "bootargs too long", { REPEAT(VM_A, "bootargs", "x", 257) },
      VM_A ": bootargs: too long: 257 characters (at most 256)", .a_invalid = true },
    { "bootargs non-printable", { STR(VM_A, "bootargs", "a\tb") },
      VM_A ": bootargs: contains a non-printable character", .a_invalid = true },
    { "dev compatible empty", { STR(DEV0, "compatible", "") },
      DEV0 ": compatible: must be a non-empty string list", .b_invalid = true },
    { "dev compatible empty member", { RAW(DEV0, "compatible", "a\0\0b", 5) },
      DEV0 ": compatible: must not contain an empty string", .b_invalid = true },
    { "dev compatible too long", { REPEAT(DEV0, "compatible", "x", 70) },
      DEV0 ": compatible: too long: 71 bytes (at most 64)", .b_invalid = true },
    { "dev reg two cells", { CELLS(DEV0, "reg", 0, 0x0a000000) },
      DEV0 ": reg: expected 4 cells (2 address + 2 size), got 8 bytes", .b_invalid = true },
    { "dev ipa one cell", { CELLS(DEV0, "ipa", 0x0c000000) },
      DEV0 ": ipa: expected 2 cells", .b_invalid = true },
    { "dev name too long", { NODE(PT_B, NAME32) },
      PT_B "/" NAME32 ": (node): node name longer than 31 characters", .b_invalid = true },
    { "interrupts not cells", { RAW(DEV0, "interrupts", "\0\0", 2) },
      DEV0 ": interrupts: expected 32-bit cells, got 2 bytes", .b_invalid = true },

    /* CPUs */
    { "cpu out of range", { CELLS(VM_A, "cpus", 4) },
      VM_A ": cpus: CPU 4 does not exist (the platform has 4)", .a_invalid = true },
    { "cpu twice in a VM", { CELLS(VM_A, "cpus", 0, 0) }, VM_A ": cpus: CPU 0 is listed twice",
      .a_invalid = true },
    { "cpu in two VMs", { CELLS(VM_B, "cpus", 1, 2) },
      VM_B ": cpus: CPU 1 is already given to VM 'a'", .b_invalid = true },
    { "too many vcpus", { CELLS(VM_A, "cpus", 0, 1, 2, 3, 4, 5, 6, 7, 8) },
      VM_A ": cpus: too many vCPUs: 9 (at most 8)", .a_invalid = true },

    /* memory */
    { "memory size 0", { CELLS(VM_A, "memory-size", 0, 0) }, VM_A ": memory-size: must not be 0",
      .a_invalid = true },
    { "memory size not 2M", { CELLS(VM_A, "memory-size", 0, 3 * MIB) },
      VM_A ": memory-size: 0x300000 is not a multiple of 2 MiB", .a_invalid = true },
    { "memory base misaligned", { CELLS(VM_A, "memory-base", 0, 0x40100000) },
      VM_A ": memory-base: 0x40100000 is not 2 MiB aligned", .a_invalid = true },
    { "memory beyond IPA space", { CELLS(VM_A, "memory-base", 0x7f, 0xfe000000) },
      VM_A ": memory-base: guest RAM 0x7ffe000000+0x4000000 goes beyond the 39-bit IPA space",
      .a_invalid = true },
    { "memory wraps", { CELLS(VM_A, "memory-base", 0xffffffff, 0xffe00000) },
      VM_A ": memory-base: guest RAM 0xffffffffffe00000+0x4000000 goes beyond",
      .a_invalid = true },
    { "memory size beyond IPA space", { CELLS(VM_A, "memory-size", 0x80, 0) },
      VM_A ": memory-size: guest RAM 0x40000000+0x8000000000 goes beyond", .a_invalid = true },
    { "memory over the virtual GIC",
      { CELLS(VM_A, "memory-base", 0, 0x08000000), CELLS(VM_A, "memory-size", 0, 4 * MIB) },
      VM_A ": memory-base: guest RAM 0x8000000+0x400000 overlaps the virtual GICD at 0x8000000",
      .extra_errors = 1, .a_invalid = true },
    { "memory over the virtual GICR",
      { CELLS(VM_A, "memory-base", 0, 0x08000000), CELLS(VM_A, "memory-size", 0, 4 * MIB) },
      VM_A ": memory-base: guest RAM 0x8000000+0x400000 overlaps the virtual GICR at 0x80a0000",
      .extra_errors = 1, .a_invalid = true },
    { "memory over the virtual UART", { CELLS(VM_A, "memory-base", 0, 0x09000000),
                                        CELLS(VM_A, "power-button", 0) },
      VM_A ": memory-base: guest RAM 0x9000000+0x4000000 overlaps the virtual UART at 0x9000000",
      .a_invalid = true },
    { "memory over a passthrough window", { CELLS(VM_B, "memory-base", 0, 0x0a000000) },
      VM_B ": memory-base: guest RAM 0xa000000+0x4000000 overlaps passthrough device 'dev0'",
      .b_invalid = true },
    { "total memory too large", { CELLS(VM_B, "memory-size", 0, 992 * MIB) },
      VM_B ": memory-size: 0x3e000000 more bytes would bring VM memory to 0x42000000, over the "
           "0x40000000 available for VMs",
      .b_invalid = true, .plat = PLAT_AVAIL_1G },

    /* passthrough windows */
    { "dev reg inside a page wraps", { CELLS(DEV0, "reg", 0xffffffff, 0xfffff100, 0, 0xf00) },
      DEV0 ": reg: window 0xfffffffffffff100+0xf00 wraps around", .b_invalid = true },
    { "dev reg size 0", { CELLS(DEV0, "reg", 0, 0x0a000000, 0, 0) },
      DEV0 ": reg: size must not be 0", .b_invalid = true },
    { "dev reg wraps", { CELLS(DEV0, "reg", 0xffffffff, 0xfffff000, 0, 0x2000) },
      DEV0 ": reg: window 0xfffffffffffff000+0x2000 wraps around", .b_invalid = true },
    { "dev ipa misaligned", { CELLS(DEV0, "ipa", 0, 0x0c000100) },
      DEV0 ": ipa: 0xc000100 is not 4 KiB aligned", .b_invalid = true },
    { "dev ipa over virtual GICD", { CELLS(DEV0, "ipa", 0, 0x08000000) },
      DEV0 ": ipa: guest window 0x8000000+0x1000 overlaps the virtual GICD at 0x8000000",
      .b_invalid = true },
    { "dev ipa over virtual GICR", { CELLS(DEV0, "ipa", 0, 0x080c0000) },
      DEV0 ": ipa: guest window 0x80c0000+0x1000 overlaps the virtual GICR at 0x80a0000",
      .b_invalid = true },
    { "dev ipa over virtual UART",
      { CELLS(DEV0, "reg", 0, 0x09010000, 0, 0x1000), CELLS(DEV0, "ipa", 0, 0x09000000) },
      DEV0 ": ipa: guest window 0x9000000+0x1000 overlaps the virtual UART at 0x9000000",
      .b_invalid = true },
    { "dev default ipa over virtual GICR", { CELLS(DEV0, "reg", 0, 0x080a0000, 0, 0x1000) },
      DEV0 ": reg: guest window 0x80a0000+0x1000 overlaps the virtual GICR",
      .extra_errors = 1, .b_invalid = true },
    { "dev ipa beyond IPA space", { CELLS(DEV0, "ipa", 0x80, 0) },
      DEV0 ": ipa: guest window 0x8000000000+0x1000 goes beyond the 39-bit IPA space",
      .b_invalid = true },
    { "dev is the hypervisor's GICD",
      { CELLS(DEV0, "reg", 0, 0x08000000, 0, 0x10000), CELLS(DEV0, "ipa", 0, 0x0c000000) },
      DEV0 ": reg: 0x8000000+0x10000 overlaps the hypervisor's GIC distributor at 0x8000000",
      .b_invalid = true },
    { "dev is the hypervisor's GICR",
      { CELLS(DEV0, "reg", 0, 0x08100000, 0, 0x1000), CELLS(DEV0, "ipa", 0, 0x0c000000) },
      DEV0 ": reg: 0x8100000+0x1000 overlaps the hypervisor's GIC redistributors at 0x80a0000",
      .b_invalid = true },
    { "dev is the console UART",
      { CELLS(DEV0, "reg", 0, 0x09000000, 0, 0x1000), CELLS(DEV0, "ipa", 0, 0x0c000000) },
      DEV0 ": reg: 0x9000000+0x1000 overlaps the hypervisor's console UART at 0x9000000",
      .b_invalid = true },
    { "dev is RAM",
      { CELLS(DEV0, "reg", 0, 0x50000000, 0, 0x1000), CELLS(DEV0, "ipa", 0, 0x0c000000) },
      DEV0 ": reg: 0x50000000+0x1000 overlaps the hypervisor's RAM at 0x40000000",
      .b_invalid = true },
    { "two devs same window", { ADD_DEV1(0x0a000000) },
      DEV0 ": reg: 0xa000000+0x1000 overlaps device 'dev1'", .b_invalid = true },
    { "two devs same guest window", { ADD_DEV1(0x0a001000), CELLS(DEV1, "ipa", 0, 0x0a000000) },
      DEV0 ": reg: guest window 0xa000000+0x1000 overlaps device 'dev1'", .b_invalid = true },
    { "dev window in two VMs", { ADD_DEVX(0x0a000000) },
      DEV0 ": reg: 0xa000000+0x1000 overlaps device 'devx' of VM 'a'", .b_invalid = true },
    { "too many devs",
      { ADD_DEV1(0x0a001000), NODE(PT_B, "dev2"), STR(PT_B "/dev2", "compatible", "x,y"),
        CELLS(PT_B "/dev2", "reg", 0, 0x0a002000, 0, 0x1000), NODE(PT_B, "dev3"),
        STR(PT_B "/dev3", "compatible", "x,y"),
        CELLS(PT_B "/dev3", "reg", 0, 0x0a003000, 0, 0x1000), NODE(PT_B, "dev4"),
        STR(PT_B "/dev4", "compatible", "x,y"),
        CELLS(PT_B "/dev4", "reg", 0, 0x0a004000, 0, 0x1000) },
      DEV0 ": (node): too many passthrough devices (at most 4)", .b_invalid = true },

    /* bus masters (issue 9, hostile finding 2): no SMMU, so never to a VM */
    { "dev is a virtio-mmio slot of the platform", { END },
      DEV0 ": reg: 0xa000000+0x1000 is DMA-capable (virtio-mmio at 0xa000000): without an "
           "IOMMU it could write any memory", .b_invalid = true, .plat = PLAT_BUS_MASTERS },
    { "dev is fw_cfg",
      { CELLS(DEV0, "reg", 0, 0x09020000, 0, 0x18), CELLS(DEV0, "ipa", 0, 0x0c000000) },
      DEV0 ": reg: 0x9020000+0x1000 is DMA-capable (fw_cfg DMA interface at 0x9020000)",
      .b_invalid = true, .plat = PLAT_BUS_MASTERS },
    { "dev DMA-capable by its compatible", { STR(DEV0, "compatible", "pci-host-ecam-generic") },
      DEV0 ": reg: 0xa000000+0x1000 is DMA-capable (PCIe host bridge at 0xa000000)",
      .b_invalid = true },
    { "dma-unsafe-ack needs identity mapping",
      { STR(DEV0, "compatible", "virtio,mmio"), RAW(DEV0, "dma-unsafe-ack", "", 0) },
      DEV0 ": dma-unsafe-ack: DMA-capable device (virtio-mmio) needs an identity-mapped VM "
           "(identity-map = <1>): it is given guest-physical addresses", .b_invalid = true },
    { "dma-unsafe-ack with a value", { CELLS(DEV0, "dma-unsafe-ack", 1) },
      DEV0 ": dma-unsafe-ack: takes no value (write `dma-unsafe-ack;`)", .b_invalid = true },
    { "unknown bus masters", { END },
      DEV0 ": reg: 0xa000000+0x1000 is DMA-capable (the platform lists more bus masters than "
           "Bulkhead tracks at 0xa000000)", .b_invalid = true, .plat = PLAT_DMA_OVERFLOW },
    { "dev is the GIC ITS",
      { CELLS(DEV0, "reg", 0, 0x08080000, 0, 0x10000), CELLS(DEV0, "ipa", 0, 0x0c000000) },
      DEV0 ": reg: 0x8080000+0x10000 overlaps the hypervisor's GIC ITS at 0x8080000",
      .b_invalid = true, .plat = PLAT_BUS_MASTERS },

    /* interrupts */
    { "more SPIs than the vGIC holds",
      { CELLS(DEV0, "interrupts", 40, 41, 42, 43, 44, 45, 46, 47), ADD_DEV1(0x0a001000),
        CELLS(DEV1, "interrupts", 50, 51, 52, 53, 54, 55, 56, 57), NODE(PT_B, "dev2"),
        STR(PT_B "/dev2", "compatible", "x,y"),
        CELLS(PT_B "/dev2", "reg", 0, 0x0a002000, 0, 0x1000),
        CELLS(PT_B "/dev2", "interrupts", 60, 61, 62, 63, 64, 65, 66, 67), NODE(PT_B, "dev3"),
        STR(PT_B "/dev3", "compatible", "x,y"),
        CELLS(PT_B "/dev3", "reg", 0, 0x0a003000, 0, 0x1000),
        CELLS(PT_B "/dev3", "interrupts", 70, 71, 72, 73, 74, 75, 76, 77),
        CELLS(VM_B, "power-button", 0) },
      DEV0 ": interrupts: the VM would own 33 virtual SPIs (its UART's and its devices'); "
           "at most 32", .b_invalid = true },
    { "irq of the virtio console", { CELLS(VM_B, "virtio-console", 1),
                                     CELLS(DEV0, "interrupts", 45) },
      DEV0 ": interrupts: INTID 45 is the virtio console's interrupt in this VM",
      .b_invalid = true },
    { "irq of the power button", { CELLS(DEV0, "interrupts", 46) },
      DEV0 ": interrupts: INTID 46 is the power button's interrupt in this VM (power-button = "
           "<0> frees it)", .b_invalid = true },
    { "irq below SPIs", { CELLS(DEV0, "interrupts", 31) },
      DEV0 ": interrupts: INTID 31 is not an SPI (32..1019)", .b_invalid = true },
    { "irq above SPIs", { CELLS(DEV0, "interrupts", 1020) },
      DEV0 ": interrupts: INTID 1020 is not an SPI", .b_invalid = true },
    { "irq of the console UART", { CELLS(DEV0, "interrupts", 33) },
      DEV0 ": interrupts: INTID 33 belongs to the hypervisor's console UART", .b_invalid = true },
    { "irq of the console UART elsewhere", { CELLS(DEV0, "interrupts", 40) },
      DEV0 ": interrupts: INTID 40 belongs to the hypervisor's console UART", .b_invalid = true,
      .plat = PLAT_UART_SPI_40 },
    { "irq of the virtual UART", { CELLS(DEV0, "interrupts", 33) },
      DEV0 ": interrupts: INTID 33 is the virtual UART's interrupt in this VM",
      .b_invalid = true, .plat = PLAT_UART_SPI_40 },
    { "irq of the watchdog", { STR(VM_B, "watchdog", "sp805"), CELLS(DEV0, "interrupts", 47) },
      DEV0 ": interrupts: INTID 47 is the virtual watchdog's interrupt in this VM",
      .b_invalid = true },
    { "watchdog SPI counts against the vGIC's",
      { STR(VM_B, "watchdog", "sp805"), CELLS(VM_B, "power-button", 0),
        CELLS(DEV0, "interrupts", 40, 41, 42, 43, 44, 45, 46, 48),
        ADD_DEV1(0x0a001000), CELLS(DEV1, "interrupts", 50, 51, 52, 53, 54, 55, 56, 57),
        NODE(PT_B, "dev2"), STR(PT_B "/dev2", "compatible", "x,y"),
        CELLS(PT_B "/dev2", "reg", 0, 0x0a002000, 0, 0x1000),
        CELLS(PT_B "/dev2", "interrupts", 60, 61, 62, 63, 64, 65, 66, 67), NODE(PT_B, "dev3"),
        STR(PT_B "/dev3", "compatible", "x,y"),
        CELLS(PT_B "/dev3", "reg", 0, 0x0a003000, 0, 0x1000),
        CELLS(PT_B "/dev3", "interrupts", 70, 71, 72, 73, 74, 75, 76) },
      DEV0 ": interrupts: the VM would own 33 virtual SPIs", .b_invalid = true },
    { "irq twice in a dev", { CELLS(DEV0, "interrupts", 48, 48) },
      DEV0 ": interrupts: INTID 48 is listed twice", .b_invalid = true },
    { "irq in two devs", { ADD_DEV1(0x0a001000), CELLS(DEV1, "interrupts", 48) },
      DEV0 ": interrupts: INTID 48 is already given to device 'dev1'", .b_invalid = true },
    { "irq in two VMs", { ADD_DEVX(0x0b000000), CELLS(DEVX, "interrupts", 49) },
      DEV0 ": interrupts: INTID 49 is already given to VM 'a'", .b_invalid = true },
    { "too many irqs", { CELLS(DEV0, "interrupts", 50, 51, 52, 53, 54, 55, 56, 57, 58) },
      DEV0 ": interrupts: too many interrupts: 9 (at most 8)", .b_invalid = true },

    /* images */
    { "kernel missing", { STR(VM_A, "kernel", "nope.bin") },
      VM_A ": kernel: image 'nope.bin' not found", .a_invalid = true },
    { "initrd missing", { STR(VM_B, "initrd", "nope.img") },
      VM_B ": initrd: image 'nope.img' not found", .b_invalid = true },
    { "kernel empty", { STR(VM_A, "kernel", "empty.bin") },
      VM_A ": kernel: image 'empty.bin' is empty", .a_invalid = true },
    { "images too large", { CELLS(VM_B, "memory-size", 0, 32 * MIB) },
      VM_B ": memory-size: 0x2000000 bytes cannot hold kernel (0x1f00000 with its offset and "
           "BSS), initrd (0x100000) and device tree (0x200000): 0x2200000 needed",
      .b_invalid = true },
    /* Image header checks (booting.rst): the loader's own function, so the checker and the
     * boot refuse the same images. */
    { "raw binary declared linux", { STR(VM_A, "kernel", "raw.bin") },
      VM_A ": kernel: 'raw.bin' is not an arm64 Image: no 'ARM\\x64' magic at 0x38",
      .a_invalid = true },
    { "image shorter than its header", { STR(VM_A, "kernel", "tiny.bin") },
      VM_A ": kernel: 'tiny.bin' is not an arm64 Image: 0x10 bytes, shorter than its header",
      .a_invalid = true },
    { "raw binary may be tiny", { STR(VM_A, "kernel", "tiny.bin"), STR(VM_A, "kernel-type", "raw"),
      CELLS(VM_A, "entry", 0, 16) },
      VM_A ": entry: 0x10 is beyond the kernel image (0x10 bytes)", .a_invalid = true },
    { "text_offset wraps", { STR(VM_A, "kernel", "wrap.img") },
      VM_A ": kernel: 'wrap.img': text_offset 0xfffffffffffff000 + size 0x200000 wraps around",
      .a_invalid = true },
    { "image_size huge", { STR(VM_A, "kernel", "huge.img") },
      VM_A ": memory-size: 0x4000000 bytes cannot hold kernel (0xffffffffffffff00 with its "
           "offset and BSS), initrd (0x0) and device tree (0x200000): 0xffffffffffffffff needed",
      .a_invalid = true },
    { "text_offset beyond RAM", { STR(VM_A, "kernel", "far.img") },
      VM_A ": memory-size: 0x4000000 bytes cannot hold kernel (0x10200000 with its offset",
      .a_invalid = true },
    { "text_offset misaligned", { STR(VM_A, "kernel", "odd.img") },
      VM_A ": kernel: 'odd.img': Image text_offset 0x80010 is not 4 KiB aligned",
      .a_invalid = true },
    { "image_size below the file", { STR(VM_A, "kernel", "short.img") },
      VM_A ": kernel: 'short.img': Image image_size 0x1000 is smaller than the file (0x19000)",
      .a_invalid = true },
    { "initrd larger than RAM", { STR(VM_B, "initrd", "bigrd.img") },
      VM_B ": memory-size: 0x4000000 bytes cannot hold kernel (0x1f00000 with its offset and "
           "BSS), initrd (0xfffffffffffff000) and device tree (0x200000): 0xffffffffffffffff",
      .b_invalid = true },
    { "smallest memory", { CELLS(VM_A, "memory-size", 0, 2 * MIB) },
      VM_A ": memory-size: 0x200000 bytes: at least 0x400000 are needed", .a_invalid = true },
};

#define CASE_COUNT (sizeof(cases) / sizeof(cases[0]))

/* ------------------------------------------------------------------ other tests */

static void test_base_ok(void **state)
{
    static const struct cfg_case none = { .name = "base" };
    static struct result r;

    (void)state;
    run_case_ops(&none, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.ret, 0);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(r.sc.error_count, 0);
    assert_int_equal(r.sc.vm_count, 2);

    const struct cfg_vm *a = cfg_find_vm(&r.sc, "a");
    const struct cfg_vm *b = cfg_find_vm(&r.sc, "b");
    assert_ptr_equal(a, &r.sc.vms[0]);
    assert_ptr_equal(b, &r.sc.vms[1]);
    assert_null(cfg_find_vm(&r.sc, "c"));
    assert_true(a->valid && b->valid);
    assert_string_equal(a->path, VM_A);
    assert_int_equal(a->vcpu_count, 2);
    assert_int_equal(a->cpus[1], 1);
    assert_int_equal(a->mem_ipa, VPLAT_RAM_IPA);
    assert_false(a->has_mem_base);
    assert_int_equal(a->mem_size, 64 * MIB);
    assert_string_equal(a->kernel, "tg.bin");
    assert_int_equal(a->kernel_size, 100 * 1024);
    assert_int_equal(a->kernel_type, CFG_KERNEL_LINUX);
    assert_int_equal(a->fault_policy, CFG_FAULT_STOP);
    assert_string_equal(a->initrd, "");
    assert_string_equal(a->bootargs, "");
    assert_int_equal(a->dev_count, 0);

    assert_string_equal(b->initrd, "linux/initrd");
    assert_int_equal(b->initrd_size, MIB);
    assert_string_equal(b->bootargs, "console=ttyAMA0");
    assert_int_equal(b->dev_count, 1);
    const struct cfg_dev *d = &b->devs[0];
    assert_string_equal(d->name, "dev0");
    assert_int_equal(d->compat_len, sizeof("vendor,dev"));
    assert_memory_equal(d->compat, "vendor,dev", sizeof("vendor,dev"));
    assert_int_equal(d->pa, 0x0a000000);
    assert_int_equal(d->ipa, 0x0a000000); /* default: same as physical */
    assert_int_equal(d->size, 0x1000);     /* 0x200 rounded up to a page */
    assert_int_equal(d->irq_count, 2);
    assert_int_equal(d->irqs[1], 49);
}

static void test_optional_values(void **state)
{
    static const struct cfg_case tc = {
        .name = "optional",
        .ops = { CELLS(VM_A, "memory-base", 0x10, 0), STR(VM_A, "kernel-type", "raw"),
                 CELLS(VM_A, "entry", 0, 0x800), STR(VM_A, "fault-policy", "abort"),
                 STR(VM_B, "fault-policy", "restart"), STR(VM_B, "name", "abcdefghij-_012"),
                 REPEAT(VM_A, "bootargs", "y", 256), CELLS(DEV0, "ipa", 0, 0x0c000000),
                 RAW(DEV0, "compatible", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
                                         "\0abcdefghij", 64),
                 CELLS(VM_B, "memory-size", 0, 36 * MIB), STR(VM_A, "ipc-notify", "gpio"),
                 CELLS(VM_B, "priority", 255), STR(VM_B, "ipc-notify", "spi"),
                 STR(VM_B, "watchdog", "sp805"), STR(VM_A, "watchdog", "none"),
                 CELLS(VM_B, "watchdog-clock-hz", 32768) },
    };
    static struct result r;

    (void)state;
    run_case_ops(&tc, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    const struct cfg_vm *a = &r.sc.vms[0];
    const struct cfg_vm *b = &r.sc.vms[1];
    assert_true(a->valid && b->valid);
    assert_int_equal(a->mem_ipa, UINT64_C(0x1000000000));
    assert_true(a->has_mem_base);
    assert_int_equal(a->kernel_type, CFG_KERNEL_RAW);
    assert_true(a->has_entry);
    assert_int_equal(a->entry, 0x800);
    assert_int_equal(a->fault_policy, CFG_FAULT_ABORT);
    assert_int_equal(strlen(a->bootargs), 256);
    assert_int_equal(b->fault_policy, CFG_FAULT_RESTART);
    assert_int_equal(a->ipc_notify, CFG_NOTIFY_GPIO);
    assert_int_equal(b->ipc_notify, CFG_NOTIFY_SPI);
    assert_int_equal(a->priority, 0);
    assert_int_equal(b->priority, 255);
    assert_string_equal(b->name, "abcdefghij-_012");
    assert_int_equal(b->devs[0].ipa, 0x0c000000);
    assert_true(b->devs[0].has_ipa);
    assert_int_equal(b->devs[0].compat_len, 64);
    assert_string_equal(cfg_kernel_type_name(a->kernel_type), "raw");
    assert_string_equal(cfg_fault_policy_name(b->fault_policy), "restart");
    assert_int_equal(a->watchdog, CFG_WDOG_NONE);
    assert_int_equal(a->watchdog_hz, 0);
    assert_int_equal(b->watchdog, CFG_WDOG_SP805);
    assert_int_equal(b->watchdog_hz, 32768);
}

/* Exactly the RAM left for VMs is fine; one 2 MiB more is not (see "total memory" case). */
static void test_total_memory_exact(void **state)
{
    static const struct cfg_case tc = {
        .name = "exact", .ops = { CELLS(VM_B, "memory-size", 0, 960 * MIB) },
        .plat = PLAT_AVAIL_1G,
    };
    static struct result r;

    (void)state;
    run_case_ops(&tc, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
}

/* n VMs "vm0".. each on CPU i % 8 with 32 MiB, written with the sequential-write API. */
static void build_many(void *fdt, int n)
{
    const fdt32_t mem32[] = { 0, cpu_to_fdt32(32 * MIB) };
    char node[16], name[16];

    assert_int_equal(fdt_create(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_finish_reservemap(fdt), 0);
    assert_int_equal(fdt_begin_node(fdt, ""), 0);
    assert_int_equal(fdt_property_string(fdt, "compatible", "bulkhead,scenario"), 0);
    assert_int_equal(fdt_begin_node(fdt, "vms"), 0);
    for (int i = 0; i < n; i++) {
        snprintf(node, sizeof(node), "vm%d", i);
        snprintf(name, sizeof(name), "n%d", i);
        assert_int_equal(fdt_begin_node(fdt, node), 0);
        assert_int_equal(fdt_property_string(fdt, "compatible", "bulkhead,vm"), 0);
        assert_int_equal(fdt_property_string(fdt, "name", name), 0);
        assert_int_equal(fdt_property_u32(fdt, "cpus", (uint32_t)i % 8), 0);
        assert_int_equal(fdt_property(fdt, "memory-size", mem32, sizeof(mem32)), 0);
        assert_int_equal(fdt_property_string(fdt, "kernel", "tg.bin"), 0);
        assert_int_equal(fdt_end_node(fdt), 0);
    }
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_finish(fdt), 0);
}

static void test_too_many_vms(void **state)
{
    static char fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();

    (void)state;
    plat.cpu_count = 8;
    build_many(fdt, CFG_MAX_VMS + 1);
    run_fdt(fdt, &plat, &r);
    assert_int_equal(r.ret, 0);
    assert_int_equal(r.cap.count, 1);
    assert_string_equal(r.cap.lines[0], "cfg.dts: /vms/vm8: (node): too many VMs (at most 8)");
    assert_int_equal(r.sc.vm_count, CFG_MAX_VMS);
    for (int i = 0; i < CFG_MAX_VMS; i++) {
        assert_true(r.sc.vms[i].valid);
    }
}

static void test_long_node_path(void **state)
{
    static char fdt[FDT_BUF];
    static struct result r;
    char name[CFG_PATH_MAX + 8];
    struct platinfo plat = test_plat();

    (void)state;
    build_many(fdt, 1);
    assert_int_equal(fdt_open_into(fdt, fdt, FDT_BUF), 0);
    memset(name, 'v', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    assert_int_equal(fdt_set_name(fdt, fdt_path_offset(fdt, "/vms/vm0"), name), 0);
    run_fdt(fdt, &plat, &r);
    assert_int_equal(r.ret, 0);
    assert_true(has_line(&r.cap, ": (node): node path too long (at most 127 bytes)"));
    assert_int_equal(r.cap.count, 1);
    assert_false(r.sc.vms[0].valid);
}

struct scenario_case {
    const char *name;
    struct op ops[2];
    const char *expect; /* the whole line */
};

static const struct scenario_case scenario_cases[] = {
    { "root compatible wrong", { STR("/", "compatible", "vendor,board") },
      "cfg.dts: /: compatible: expected \"bulkhead,scenario\"" },
    { "root compatible missing", { DEL("/", "compatible") },
      "cfg.dts: /: compatible: expected \"bulkhead,scenario\"" },
    { "no /vms", { DELNODE("/vms") }, "cfg.dts: /vms: (node): missing required node" },
    { "empty /vms", { DELNODE(VM_A), DELNODE(VM_B) }, "cfg.dts: /vms: (node): no VM node" },
};

static void test_scenario_errors(void **state)
{
    static char fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();

    (void)state;
    for (size_t i = 0; i < sizeof(scenario_cases) / sizeof(scenario_cases[0]); i++) {
        const struct scenario_case *tc = &scenario_cases[i];
        build_base(fdt);
        for (int j = 0; j < 2 && tc->ops[j].kind != OP_END; j++) {
            fix_apply(fdt, &tc->ops[j]);
        }
        run_fdt(fdt, &plat, &r);
        assert_int_equal(r.ret, -BH_EINVAL);
        assert_int_equal(r.cap.count, 1);
        assert_string_equal(r.cap.lines[0], tc->expect);
        assert_int_equal(r.sc.vm_count, 0);
    }
}

static void test_not_a_dtb(void **state)
{
    static const char junk[256] = "this is not a device tree";
    static struct result r;
    struct platinfo plat = test_plat();

    (void)state;
    run_fdt(junk, &plat, &r);
    assert_int_equal(r.ret, -BH_EINVAL);
    assert_int_equal(r.cap.count, 1);
    assert_non_null(strstr(r.cap.lines[0], "cfg.dts: /: (node): not a valid device tree blob"));
}

/*
 * A blob older than v16 (node names were paths) is refused before libfdt's fdt_check_full,
 * which dereferences NULL on such a root in libfdt 1.6.1 (tests/fuzz/fuzz_config.c found it;
 * the input is tests/fuzz/corpus/config/crash-v5-root.hex).
 */
static void test_old_blob_version(void **state)
{
    static char fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();

    (void)state;
    build_base(fdt);
    assert_int_equal(fdt_pack(fdt), 0);
    fdt_set_version(fdt, 5);
    fdt_set_last_comp_version(fdt, 0);
    run_fdt(fdt, &plat, &r);
    assert_int_equal(r.ret, -BH_EINVAL);
    assert_int_equal(r.cap.count, 1);
    assert_non_null(strstr(r.cap.lines[0], "cfg.dts: /: (node): not a valid device tree blob"));
}

/* bootargs = "" is a valid (empty) command line, not a missing one (issue 9). */
static void test_empty_bootargs(void **state)
{
    static const struct cfg_case tc = { .name = "empty bootargs",
                                        .ops = { STR(VM_A, "bootargs", "") } };
    static struct result r;

    (void)state;
    run_case_ops(&tc, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_true(r.sc.vms[0].valid);
    assert_string_equal(r.sc.vms[0].bootargs, "");
}

/* A VM refused for a taken name keeps that name, so the boot refusal names it (issue 9);
 * lookups by name still find the first VM. */
static void test_duplicate_keeps_name(void **state)
{
    static const struct cfg_case tc = { .name = "dup", .ops = { STR(VM_B, "name", "a") } };
    static struct result r;

    (void)state;
    run_case_ops(&tc, &r);
    assert_int_equal(r.cap.count, 1);
    assert_false(r.sc.vms[1].valid);
    assert_string_equal(r.sc.vms[1].name, "a");
    assert_ptr_equal(cfg_find_vm(&r.sc, "a"), &r.sc.vms[0]);
}

/* Without the image hook the image checks are skipped; without error, lines are only counted. */
static void test_hooks_optional(void **state)
{
    static char fdt[FDT_BUF];
    static struct cfg_scenario sc;
    struct platinfo plat = test_plat();
    struct cfg_hooks no_images = { .ctx = NULL, .error = NULL, .image = NULL };

    (void)state;
    build_base(fdt);
    assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, VM_A), "kernel", "nope"), 0);
    assert_int_equal(cfg_parse(fdt, FILE_NAME, &plat, &no_images, &sc), 0);
    assert_int_equal(sc.error_count, 0);
    assert_true(sc.vms[0].valid);
    assert_int_equal(sc.vms[0].kernel_size, 0);
    assert_int_equal(fdt_delprop(fdt, fdt_path_offset(fdt, VM_A), "kernel"), 0);
    assert_int_equal(cfg_parse(fdt, FILE_NAME, &plat, NULL, &sc), 0);
    assert_int_equal(sc.error_count, 1);
    assert_false(sc.vms[0].valid);
}

int main(void)
{
    static struct CMUnitTest table[CASE_COUNT];
    const struct CMUnitTest others[] = {
        cmocka_unit_test(test_base_ok),         cmocka_unit_test(test_optional_values),
        cmocka_unit_test(test_line_format),     cmocka_unit_test(test_total_memory_exact),
        cmocka_unit_test(test_too_many_vms),    cmocka_unit_test(test_long_node_path),
        cmocka_unit_test(test_scenario_errors), cmocka_unit_test(test_not_a_dtb),
        cmocka_unit_test(test_hooks_optional),  cmocka_unit_test(test_empty_bootargs),
        cmocka_unit_test(test_duplicate_keeps_name), cmocka_unit_test(test_old_blob_version),
    };

    for (size_t i = 0; i < CASE_COUNT; i++) {
        table[i] = (struct CMUnitTest){ .name = cases[i].name, .test_func = run_case,
                                        .initial_state = (void *)&cases[i] };
    }
    int failed = cmocka_run_group_tests_name("config", others, NULL, NULL);
    failed += _cmocka_run_group_tests("config errors", table, CASE_COUNT, NULL, NULL);
    return failed != 0;
}
