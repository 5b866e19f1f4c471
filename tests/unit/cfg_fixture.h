/* SPDX-License-Identifier: MIT */
/*
 * Fixtures shared by the scenario-parser tests (test_config.c, test_config_chan.c): an error
 * line collector, the reference platform, and device-tree building helpers on libfdt.
 */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include <core/config/config.h>
#include <core/platinfo.h>

#define FIX_MAX_LINES 32
#define FIX_MAX_CELLS 12
#define FIX_MIB       (1024u * 1024u)

/* Error lines reported through cfg_hooks.error. */
struct capture {
    int count;
    char lines[FIX_MAX_LINES][CFG_MSG_MAX];
};

static inline void capture_error(void *ctx, const char *msg)
{
    struct capture *cap = ctx;
    if (cap->count < FIX_MAX_LINES) {
        snprintf(cap->lines[cap->count], CFG_MSG_MAX, "%s", msg);
    }
    cap->count++;
}

/* The reference machine as platinfo_parse() describes it. */
static inline struct platinfo test_plat(void)
{
    struct platinfo p = {
        .cpu_count = 4,
        .mpidr = { 0, 1, 2, 3 },
        .ram = { 0x40000000, 0x80000000 },
        .vm_ram = { 0x40000000 + PLATINFO_HYP_RESERVE, 0x80000000 - PLATINFO_HYP_RESERVE },
        .vm_ram_avail = 0x80000000 - PLATINFO_HYP_RESERVE,
        .gicd = { 0x08000000, 0x10000 },
        .gicr = { 0x080a0000, 0xf60000 },
        .has_uart = true,
        .uart = { 0x09000000, 0x1000 },
        .uart_intid = 33,
        .timer_intid = { 29, 30, 27, 26 },
        .psci = PLATINFO_PSCI_SMC,
    };
    return p;
}

static inline void setprop_cells(void *fdt, int node, const char *prop, const uint32_t *v, int n)
{
    fdt32_t be[FIX_MAX_CELLS];
    assert_true(n <= FIX_MAX_CELLS);
    for (int i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(v[i]);
    }
    assert_int_equal(fdt_setprop(fdt, node, prop, be, n * 4), 0);
}

static inline int add_node(void *fdt, int parent, const char *name)
{
    int node = fdt_add_subnode(fdt, parent, name);
    assert_true(node >= 0);
    return node;
}

/* An arm64 Image header (booting.rst): text_offset, image_size, "ARM\x64" magic at 0x38. */
static inline void fix_image_header(uint8_t *head, uint64_t text_offset, uint64_t image_size)
{
    memset(head, 0, CFG_IMAGE_HEAD);
    for (int i = 0; i < 8; i++) {
        head[8 + i] = (uint8_t)(text_offset >> (8 * i));
        head[16 + i] = (uint8_t)(image_size >> (8 * i));
    }
    memcpy(&head[56], "ARM\x64", 4);
}

/* ------------------------------------------------------------------ edits of a base tree */

enum op_kind { OP_END, OP_STR, OP_CELLS, OP_RAW, OP_REPEAT, OP_DEL, OP_NODE, OP_DELNODE };

/* One edit of the base scenario tree, applied by fix_apply. */
struct op {
    enum op_kind kind;
    const char *path;
    const char *prop;  /* OP_NODE: the new node's name */
    const char *str;   /* OP_STR, OP_RAW, OP_REPEAT (one character) */
    int len;           /* OP_RAW bytes, OP_REPEAT count */
    uint32_t cells[FIX_MAX_CELLS];
    int ncells;
};

#define N_CELLS(...) ((int)(sizeof((uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t)))
#define STR(p, n, s)   { .kind = OP_STR, .path = (p), .prop = (n), .str = (s) }
#define CELLS(p, n, ...)                                                                     \
    { .kind = OP_CELLS, .path = (p), .prop = (n), .cells = { __VA_ARGS__ },                   \
      .ncells = N_CELLS(__VA_ARGS__) }
#define RAW(p, n, s, l) { .kind = OP_RAW, .path = (p), .prop = (n), .str = (s), .len = (l) }
#define REPEAT(p, n, c, l) { .kind = OP_REPEAT, .path = (p), .prop = (n), .str = (c), .len = (l) }
#define DEL(p, n)      { .kind = OP_DEL, .path = (p), .prop = (n) }
#define NODE(p, n)     { .kind = OP_NODE, .path = (p), .prop = (n) }
#define DELNODE(p)     { .kind = OP_DELNODE, .path = (p) }
#define END            { .kind = OP_END }

static inline int fix_path(void *fdt, const char *p)
{
    int node = fdt_path_offset(fdt, p);
    assert_true(node >= 0);
    return node;
}

static inline void fix_apply(void *fdt, const struct op *op)
{
    int node = fix_path(fdt, op->path);
    char buf[512];

    switch (op->kind) {
    case OP_STR:
        assert_int_equal(fdt_setprop_string(fdt, node, op->prop, op->str), 0);
        break;
    case OP_CELLS:
        setprop_cells(fdt, node, op->prop, op->cells, op->ncells);
        break;
    case OP_RAW:
        assert_int_equal(fdt_setprop(fdt, node, op->prop, op->str, op->len), 0);
        break;
    case OP_REPEAT:
        assert_true(op->len < (int)sizeof(buf));
        memset(buf, op->str[0], (size_t)op->len);
        buf[op->len] = '\0';
        assert_int_equal(fdt_setprop_string(fdt, node, op->prop, buf), 0);
        break;
    case OP_DEL:
        assert_int_equal(fdt_delprop(fdt, node, op->prop), 0);
        break;
    case OP_NODE:
        add_node(fdt, node, op->prop);
        break;
    case OP_DELNODE:
        assert_int_equal(fdt_del_node(fdt, node), 0);
        break;
    case OP_END:
        break;
    }
}

/* ------------------------------------------------------------------ running the parser */

struct result {
    int ret;
    struct capture cap;
    struct cfg_scenario sc;
};

/* cfg_parse of fdt as file, errors captured; image may be NULL (images unknown). */
static inline void fix_run(const void *fdt, const char *file, const struct platinfo *plat,
                           int (*image)(void *, const char *, struct cfg_image *),
                           struct result *r)
{
    struct cfg_hooks hooks = { .ctx = &r->cap, .error = capture_error, .image = image };
    memset(&r->cap, 0, sizeof(r->cap));
    r->ret = cfg_parse(fdt, file, plat, &hooks, &r->sc);
}

/* The required properties of a VM node: one vCPU on cpu, 32 MiB, kernel "tg.bin". */
static inline void fix_vm_props(void *fdt, int vm, const char *name, uint32_t cpu)
{
    static const uint32_t mem[] = { 0, 32 * FIX_MIB };

    assert_int_equal(fdt_setprop_string(fdt, vm, "compatible", "bulkhead,vm"), 0);
    assert_int_equal(fdt_setprop_string(fdt, vm, "name", name), 0);
    setprop_cells(fdt, vm, "cpus", &cpu, 1);
    setprop_cells(fdt, vm, "memory-size", mem, 2);
    assert_int_equal(fdt_setprop_string(fdt, vm, "kernel", "tg.bin"), 0);
}

static inline bool has_line(const struct capture *cap, const char *substr)
{
    for (int i = 0; i < cap->count && i < FIX_MAX_LINES; i++) {
        if (strstr(cap->lines[i], substr) != NULL) {
            return true;
        }
    }
    return false;
}

static inline void dump_lines(const struct capture *cap)
{
    for (int i = 0; i < cap->count && i < FIX_MAX_LINES; i++) {
        print_message("  line: %s\n", cap->lines[i]);
    }
}

/* Exactly one error line, and it is line; the lines are shown under the case's name when not. */
static inline void assert_one_error(const struct capture *cap, const char *name, const char *line)
{
    if (cap->count != 1 || strcmp(cap->lines[0], line) != 0) {
        print_message("case %s: want %s\n", name, line);
        dump_lines(cap);
    }
    assert_int_equal(cap->count, 1);
    assert_string_equal(cap->lines[0], line);
}
