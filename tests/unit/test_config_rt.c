// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config_rt.c: the root property rt-slice-us (the round-robin time
 * slice of non-real-time pCPUs, docs/VIRTUAL-CPU.md). Table rows: the value the scenario
 * yields (cfg_rt_slice_us with a platform default of 100 us), the error line if any, and
 * that no VM is refused for it.
 */
#include "cfg_fixture.h"

#define FDT_BUF      8192
#define FILE_NAME    "cfg.dts"
#define PLATFORM_US  100u

struct rt_case {
    const char *name;
    struct op ops[2];
    uint32_t want_us;   /* cfg_rt_slice_us(sc, PLATFORM_US) */
    const char *error;  /* NULL: none */
};

static const struct rt_case cases[] = {
    { "absent: the platform's default", { END }, PLATFORM_US, NULL },
    { "0: off", { CELLS("/", "rt-slice-us", 0), END }, 0, NULL },
    { "250 us", { CELLS("/", "rt-slice-us", 250), END }, 250, NULL },
    { "lowest", { CELLS("/", "rt-slice-us", CFG_RT_SLICE_US_MIN), END }, CFG_RT_SLICE_US_MIN,
      NULL },
    { "highest", { CELLS("/", "rt-slice-us", CFG_RT_SLICE_US_MAX), END }, CFG_RT_SLICE_US_MAX,
      NULL },
    { "too short", { CELLS("/", "rt-slice-us", CFG_RT_SLICE_US_MIN - 1), END }, PLATFORM_US,
      "cfg.dts: /: rt-slice-us: 19 us is out of range (0: off, or 20..10000)" },
    { "too long", { CELLS("/", "rt-slice-us", CFG_RT_SLICE_US_MAX + 1), END }, PLATFORM_US,
      "cfg.dts: /: rt-slice-us: 10001 us is out of range (0: off, or 20..10000)" },
    { "two cells", { CELLS("/", "rt-slice-us", 0, 100), END }, PLATFORM_US,
      "cfg.dts: /: rt-slice-us: must be one cell, not 8 bytes" },
    { "a string", { STR("/", "rt-slice-us", "100us"), END }, PLATFORM_US,
      "cfg.dts: /: rt-slice-us: expected one cell (microseconds), got the string '100us'" },
};

static void build(void *fdt)
{
    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    int vms = add_node(fdt, 0, "vms");
    fix_vm_props(fdt, add_node(fdt, vms, "vm-rt"), "rt", 0);
    fix_vm_props(fdt, add_node(fdt, fix_path(fdt, "/vms"), "vm-gp"), "gp", 1);
    uint32_t prio = 10;
    setprop_cells(fdt, fix_path(fdt, "/vms/vm-rt"), "priority", &prio, 1);
}

static void test_rt_slice_table(void **state)
{
    static uint8_t fdt[FDT_BUF];
    static struct result r;
    struct platinfo plat = test_plat();

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct rt_case *t = &cases[i];
        build(fdt);
        for (const struct op *o = t->ops; o->kind != OP_END; o++) {
            fix_apply(fdt, o);
        }
        fix_run(fdt, FILE_NAME, &plat, NULL, &r);
        if (r.ret != 0 || cfg_rt_slice_us(&r.sc, PLATFORM_US) != t->want_us ||
            r.cap.count != (t->error ? 1 : 0) || (t->error && !has_line(&r.cap, t->error)) ||
            !r.sc.vms[0].valid || !r.sc.vms[1].valid) {
            print_error("case '%s': ret %d slice %u errors %d\n", t->name, r.ret,
                        cfg_rt_slice_us(&r.sc, PLATFORM_US), r.cap.count);
            dump_lines(&r.cap);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rt_slice_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
