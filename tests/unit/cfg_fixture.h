/* SPDX-License-Identifier: MIT */
/*
 * Fixtures shared by the scenario-parser tests (test_config.c, test_config_chan.c): an error
 * line collector, the reference platform, and device-tree building helpers on libfdt.
 */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <stdio.h>

#include <core/config.h>
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

/* The reference machine as platinfo_parse() describes it, 128 MiB kept for the hypervisor. */
static inline struct platinfo test_plat(void)
{
    struct platinfo p = {
        .cpu_count = 4,
        .mpidr = { 0, 1, 2, 3 },
        .ram = { 0x40000000, 0x80000000 },
        .vm_ram_avail = 0x80000000 - 128 * FIX_MIB,
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
