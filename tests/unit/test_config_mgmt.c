// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config_mgmt.c: the management properties (autostart, manageable,
 * shutdown-timeout-ms) and grants (/vms/<vm>/management/<target> rights = ...). Every error
 * kind as a table row: the line it must give, one line only (no cascades), and the manager
 * (VM a) refused while the others stay valid. Plus the values a good scenario yields.
 */
#include "cfg_fixture.h"

#define FDT_BUF   16384
#define FILE_NAME "cfg.dts"
#define VM_A      "/vms/vm-a"
#define VM_B      "/vms/vm-b"
#define VM_C      "/vms/vm-c"
#define MGMT      VM_A "/management"
#define GRANT_B   MGMT "/b"

static void add_vm(void *fdt, const char *p, const char *name, uint32_t cpu)
{
    fix_vm_props(fdt, fix_path(fdt, p), name, cpu);
}

/* a manages b (observe, control) and observes c; c is not autostarted. */
static void build_base(void *fdt)
{
    static const char oc[] = "observe\0control";

    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    int vms = add_node(fdt, 0, "vms");
    add_node(fdt, vms, "vm-c");
    add_node(fdt, fix_path(fdt, "/vms"), "vm-b");
    add_node(fdt, fix_path(fdt, "/vms"), "vm-a");
    add_vm(fdt, VM_A, "a", 0);
    add_vm(fdt, VM_B, "b", 1);
    add_vm(fdt, VM_C, "c", 2);
    uint32_t zero = 0;
    setprop_cells(fdt, fix_path(fdt, VM_C), "autostart", &zero, 1);
    int m = add_node(fdt, fix_path(fdt, VM_A), "management");
    add_node(fdt, m, "c");
    add_node(fdt, fix_path(fdt, MGMT), "b");
    assert_int_equal(fdt_setprop(fdt, fix_path(fdt, GRANT_B), "rights", oc, sizeof(oc)), 0);
    assert_int_equal(fdt_setprop_string(fdt, fix_path(fdt, MGMT "/c"), "rights", "observe"), 0);
}

static void run(const struct op *ops, struct result *r)
{
    static uint8_t fdt[FDT_BUF];
    struct platinfo plat = test_plat();

    build_base(fdt);
    for (const struct op *o = ops; o && o->kind != OP_END; o++) {
        fix_apply(fdt, o);
    }
    fix_run(fdt, FILE_NAME, &plat, NULL, r);
    assert_int_equal(r->ret, 0);
}

static void test_good_values(void **state)
{
    static struct result r;
    (void)state;

    run(NULL, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_true(r.sc.vms[0].valid && r.sc.vms[1].valid && r.sc.vms[2].valid);
    assert_int_equal(r.sc.vms[0].manage[1], CFG_MANAGE_OBSERVE | CFG_MANAGE_CONTROL);
    assert_int_equal(r.sc.vms[0].manage[2], CFG_MANAGE_OBSERVE);
    assert_int_equal(r.sc.vms[0].manage[0], 0);
    assert_true(cfg_vm_is_manager(&r.sc.vms[0]));
    assert_false(cfg_vm_is_manager(&r.sc.vms[1]));
    assert_true(r.sc.vms[0].autostart && r.sc.vms[1].autostart && !r.sc.vms[2].autostart);
    assert_true(r.sc.vms[1].manageable);
    assert_int_equal(r.sc.vms[1].shutdown_timeout_ms, CFG_SHUTDOWN_TIMEOUT_MS_DEFAULT);
    assert_int_equal(r.sc.vms[0].wfi_trap, CFG_WFI_TRAP_ON); /* no priority: traps */
}

/* wfi-trap: by default a real-time VM (priority > 0) does not trap WFI; either way can be
 * chosen. */
static void test_wfi_trap(void **state)
{
    static const struct op ops[] = {
        CELLS(VM_A, "priority", 10), CELLS(VM_B, "priority", 10),
        CELLS(VM_B, "wfi-trap", 1), CELLS(VM_C, "wfi-trap", 0), END,
    };
    static struct result r;
    (void)state;

    run(ops, &r);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(r.sc.vms[0].wfi_trap, CFG_WFI_TRAP_OFF);
    assert_int_equal(r.sc.vms[1].wfi_trap, CFG_WFI_TRAP_ON);
    assert_int_equal(r.sc.vms[2].wfi_trap, CFG_WFI_TRAP_OFF);
}

struct mcase {
    const char *name;
    struct op ops[4];
    const char *line;
};

static const struct mcase cases[] = {
    { "unknown target VM", { NODE(MGMT, "zz"), STR(MGMT "/zz", "rights", "observe"), END },
      "cfg.dts: /vms/vm-a/management/zz: (node): no VM named 'zz'" },
    { "manages itself", { NODE(MGMT, "a"), STR(MGMT "/a", "rights", "observe"), END },
      "cfg.dts: /vms/vm-a/management/a: (node): a VM cannot manage itself" },
    { "target not manageable", { CELLS(VM_B, "manageable", 0), END },
      "cfg.dts: /vms/vm-a/management/b: (node): VM 'b' is not manageable (manageable = <0> in "
      "/vms/vm-b)" },
    { "unknown right", { STR(GRANT_B, "rights", "reboot"), END },
      "cfg.dts: /vms/vm-a/management/b: rights: unknown right 'reboot' (observe, control)" },
    { "right twice", { RAW(GRANT_B, "rights", "observe\0observe", 16), END },
      "cfg.dts: /vms/vm-a/management/b: rights: 'observe' is listed twice" },
    { "rights missing", { DEL(GRANT_B, "rights"), END },
      "cfg.dts: /vms/vm-a/management/b: rights: missing required property" },
    { "rights not strings", { CELLS(GRANT_B, "rights", 1), END },
      "cfg.dts: /vms/vm-a/management/b: rights: must be a list of strings" },
    { "unknown grant property", { STR(GRANT_B, "access", "rw"), END },
      "cfg.dts: /vms/vm-a/management/b: access: unknown property" },
    { "grant with a child", { NODE(GRANT_B, "x"), END },
      "cfg.dts: /vms/vm-a/management/b: (node): a grant has no child nodes" },
    { "autostart not 0/1", { CELLS(VM_A, "autostart", 2), END },
      "cfg.dts: /vms/vm-a: autostart: must be <0> or <1>, not <2>" },
    { "wfi-trap not 0/1", { CELLS(VM_A, "wfi-trap", 3), END },
      "cfg.dts: /vms/vm-a: wfi-trap: must be <0> or <1>, not <3>" },
    { "manageable cells", { CELLS(VM_A, "manageable", 1, 1), END },
      "cfg.dts: /vms/vm-a: manageable: must be one cell, not 8 bytes" },
    { "shutdown timeout 0", { CELLS(VM_A, "shutdown-timeout-ms", 0), END },
      "cfg.dts: /vms/vm-a: shutdown-timeout-ms: 0 ms is out of range (1..600000)" },
    { "shutdown timeout too long", { CELLS(VM_A, "shutdown-timeout-ms", 600001), END },
      "cfg.dts: /vms/vm-a: shutdown-timeout-ms: 600001 ms is out of range (1..600000)" },
};

static void test_error_case(void **state)
{
    const struct mcase *c = *state;
    static struct result r;

    run(c->ops, &r);
    assert_one_error(&r.cap, c->name, c->line);
    assert_false(r.sc.vms[0].valid);
    assert_true(r.sc.vms[1].valid && r.sc.vms[2].valid);
}

/* A bad grant refuses its manager before the checks between VMs: it blocks nobody. */
static void test_refused_manager_blocks_nobody(void **state)
{
    static const struct op ops[] = { STR(GRANT_B, "rights", "x"), CELLS(VM_B, "cpus", 0), END };
    static struct result r;
    (void)state;

    run(ops, &r);
    assert_int_equal(r.cap.count, 1);
    assert_false(r.sc.vms[0].valid);
    assert_true(r.sc.vms[1].valid); /* CPU 0 is free: its earlier claimant was refused */
}

int main(void)
{
    struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 3];
    size_t n = 0;

    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_good_values);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_refused_manager_blocks_nobody);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_wfi_trap);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tests[n++] = (struct CMUnitTest){ cases[i].name, test_error_case, NULL, NULL,
                                          (void *)&cases[i] };
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
