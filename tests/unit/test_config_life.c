// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config_life.c: power-button and standby-for (graceful shutdown
 * and failover, docs/MANAGEMENT.md). Every error kind as a table row: the lines it must give
 * (no cascades) and which VMs are refused. Plus the values a good scenario yields.
 *
 * Base: c sends requests on queue "req" that a and b both receive, and a and b both send
 * replies on "rep" to c: a may stand by for b (same rights), not for c.
 */
#include "cfg_fixture.h"

#define FDT_BUF   16384
#define FILE_NAME "cfg.dts"
#define VM_A      "/vms/vm-a"
#define VM_B      "/vms/vm-b"
#define VM_C      "/vms/vm-c"
#define CH        "/channels"

static void add_vm(void *fdt, const char *p, const char *name, uint32_t cpu)
{
    fix_vm_props(fdt, fix_path(fdt, p), name, cpu);
}

static void add_queue(void *fdt, const char *name, const char *senders, int slen,
                      const char *receivers, int rlen, uint32_t rx_intid)
{
    int q = add_node(fdt, fix_path(fdt, CH), name);
    uint32_t one = 1, eight = 8;

    assert_int_equal(fdt_setprop_string(fdt, q, "compatible", "bulkhead,msgq"), 0);
    setprop_cells(fdt, q, "depth", &one, 1);
    setprop_cells(fdt, q, "msg-size", &eight, 1);
    assert_int_equal(fdt_setprop(fdt, q, "senders", senders, slen), 0);
    assert_int_equal(fdt_setprop(fdt, q, "receivers", receivers, rlen), 0);
    setprop_cells(fdt, q, "rx-intid", &rx_intid, 1);
}

static void build_base(void *fdt)
{
    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    int vms = add_node(fdt, 0, "vms");
    add_node(fdt, vms, "vm-c");
    add_node(fdt, fix_path(fdt, "/vms"), "vm-b");
    add_node(fdt, fix_path(fdt, "/vms"), "vm-a");
    add_vm(fdt, VM_A, "a", 0);
    add_vm(fdt, VM_B, "b", 1);
    add_vm(fdt, VM_C, "c", 2);
    add_node(fdt, 0, "channels");
    add_queue(fdt, "rep", "a\0b", 4, "c", 2, 41);
    add_queue(fdt, "req", "c", 2, "a\0b", 4, 40);
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

static int valid_chans_of(const struct cfg_scenario *sc)
{
    int n = 0;

    for (uint32_t i = 0; i < sc->chan_count; i++) {
        n += sc->chans[i].valid;
    }
    return n;
}

static void test_good_values(void **state)
{
    static const struct op ops[] = { STR(VM_A, "standby-for", "b"),
                                     CELLS(VM_C, "power-button", 0),
                                     CELLS(VM_B, "virtio-console", 1), END };
    static struct result r;
    (void)state;

    run(NULL, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    for (int i = 0; i < 3; i++) {
        assert_true(r.sc.vms[i].valid && r.sc.vms[i].power_button && r.sc.vms[i].autostart);
        assert_int_equal(r.sc.vms[i].standby_for, CFG_STANDBY_NONE);
        assert_false(r.sc.vms[i].virtio_console); /* off unless asked for */
    }
    run(ops, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_true(r.sc.vms[0].valid && r.sc.vms[1].valid && r.sc.vms[2].valid);
    assert_int_equal(r.sc.vms[0].standby_for, 1);   /* a stands by for b */
    assert_false(r.sc.vms[0].autostart);            /* ... so it does not start at boot */
    assert_true(r.sc.vms[1].autostart);
    assert_false(r.sc.vms[2].power_button);
    assert_true(r.sc.vms[1].virtio_console);
    assert_int_equal(valid_chans_of(&r.sc), 2);
}

struct lcase {
    const char *name;
    struct op ops[8];
    const char *lines[2];
    unsigned invalid; /* bit i: VM i (a, b, c) refused */
};

static const struct lcase cases[] = {
    { "standby for an unknown VM", { STR(VM_A, "standby-for", "zz"), END },
      { "cfg.dts: /vms/vm-a: standby-for: no VM named 'zz'" }, 1 },
    { "standby for itself", { STR(VM_A, "standby-for", "a"), END },
      { "cfg.dts: /vms/vm-a: standby-for: a VM cannot stand by for itself" }, 1 },
    { "standby-for not a string", { CELLS(VM_A, "standby-for", 1), END },
      { "cfg.dts: /vms/vm-a: standby-for: must be a single string" }, 1 },
    { "standby cycle",
      { STR(VM_A, "standby-for", "b"), STR(VM_B, "standby-for", "a"), END },
      { "cfg.dts: /vms/vm-a: standby-for: 'b' is itself a standby (for 'a'): no chains or "
        "cycles",
        "cfg.dts: /vms/vm-b: standby-for: 'a' is itself a standby (for 'b'): no chains or "
        "cycles" }, 3 },
    { "standby chain",
      { STR(VM_A, "standby-for", "b"), STR(VM_B, "standby-for", "c"), END },
      { "cfg.dts: /vms/vm-a: standby-for: 'b' is itself a standby (for 'c'): no chains or "
        "cycles",
        "cfg.dts: /vms/vm-b: standby-for: channel 'req': must hold the rights of 'c' (0x4), "
        "not 0x8" }, 3 },
    { "two standbys for one primary",
      { STR(VM_A, "standby-for", "b"), STR(VM_C, "standby-for", "b"), END },
      { "cfg.dts: /vms/vm-c: standby-for: 'b' already has a standby ('a' in /vms/vm-a)" }, 4 },
    { "standby with autostart on",
      { STR(VM_A, "standby-for", "b"), CELLS(VM_A, "autostart", 1), END },
      { "cfg.dts: /vms/vm-a: autostart: a standby does not start at boot (standby-for = \"b\")" },
      1 },
    { "standby without the primary's rights", { STR(VM_A, "standby-for", "c"), END },
      { "cfg.dts: /vms/vm-a: standby-for: channel 'req': must hold the rights of 'c' (0x4), "
        "not 0x8" }, 1 },
    { "standby for a VM a doorbell rings",
      { STR(VM_A, "standby-for", "b"), NODE(CH, "db"), STR(CH "/db", "compatible",
        "bulkhead,doorbell"), STR(CH "/db", "from", "c"), STR(CH "/db", "to", "b"),
        CELLS(CH "/db", "intid", 50), END },
      { "cfg.dts: /vms/vm-a: standby-for: doorbell 'db' rings 'b' only: a standby cannot take "
        "it over (use a message queue)" }, 1 },
    { "power-button not 0/1", { CELLS(VM_A, "power-button", 2), END },
      { "cfg.dts: /vms/vm-a: power-button: must be <0> or <1>, not <2>" }, 1 },
    { "power-button cells", { CELLS(VM_A, "power-button", 1, 1), END },
      { "cfg.dts: /vms/vm-a: power-button: must be one cell, not 8 bytes" }, 1 },
    { "virtio-console not 0/1", { CELLS(VM_A, "virtio-console", 3), END },
      { "cfg.dts: /vms/vm-a: virtio-console: must be <0> or <1>, not <3>" }, 1 },
    { "queue interrupt on the virtio console's",
      { CELLS(VM_B, "virtio-console", 1), CELLS(CH "/req", "rx-intid", 45), END },
      { "cfg.dts: /channels/req: rx-intid: INTID 45 is the interrupt of 'virtio-console' in VM "
        "'b'" }, 0 },
    { "queue interrupt on the power button's",
      { CELLS(CH "/req", "rx-intid", 46), END },
      { "cfg.dts: /channels/req: rx-intid: INTID 46 is the interrupt of 'power-button' in VM "
        "'a'",
        "cfg.dts: /channels/req: rx-intid: INTID 46 is the interrupt of 'power-button' in VM "
        "'b'" }, 0 },
};

static void test_error_case(void **state)
{
    const struct lcase *c = *state;
    static struct result r;
    int want = c->lines[1] ? 2 : 1;

    run(c->ops, &r);
    bool same = r.cap.count == want;
    for (int i = 0; same && i < want; i++) {
        same = strcmp(r.cap.lines[i], c->lines[i]) == 0;
    }
    if (!same) {
        print_message("case %s: want %s\n", c->name, c->lines[0]);
        dump_lines(&r.cap);
    }
    assert_int_equal(r.cap.count, want);
    for (int i = 0; i < want; i++) {
        assert_string_equal(r.cap.lines[i], c->lines[i]);
    }
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(!r.sc.vms[i].valid, (c->invalid >> i) & 1);
    }
}

/* power-button = <0> frees INTID 46 for a channel. */
static void test_power_button_off_frees_intid(void **state)
{
    static const struct op ops[] = { CELLS(CH "/req", "rx-intid", 46),
                                     CELLS(VM_A, "power-button", 0),
                                     CELLS(VM_B, "power-button", 0), END };
    static struct result r;
    (void)state;

    run(ops, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(valid_chans_of(&r.sc), 2);
}

int main(void)
{
    struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 2];
    size_t n = 0;

    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_good_values);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_power_button_off_frees_intid);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tests[n++] = (struct CMUnitTest){ cases[i].name, test_error_case, NULL, NULL,
                                          (void *)&cases[i] };
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
