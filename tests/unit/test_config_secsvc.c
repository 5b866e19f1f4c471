// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config_secsvc.c: the secure-services VM property (docs/TRUST.md
 * "Mediation"). The default (PSCI only), the values a good list yields, and every error kind
 * as a table row: the one line it gives, and that only its VM is refused.
 */
#include "cfg_fixture.h"

#define FDT_BUF   8192
#define FILE_NAME "cfg.dts"
#define VM_A      "/vms/vm-a"
#define VM_B      "/vms/vm-b"

static void run(const struct op *ops, struct result *r)
{
    static uint8_t fdt[FDT_BUF];
    struct platinfo plat = test_plat();

    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    add_node(fdt, add_node(fdt, 0, "vms"), "vm-b");
    add_node(fdt, fix_path(fdt, "/vms"), "vm-a");
    fix_vm_props(fdt, fix_path(fdt, VM_A), "a", 0);
    fix_vm_props(fdt, fix_path(fdt, VM_B), "b", 1);
    for (const struct op *o = ops; o && o->kind != OP_END; o++) {
        fix_apply(fdt, o);
    }
    fix_run(fdt, FILE_NAME, &plat, NULL, r);
    assert_int_equal(r->ret, 0);
}

static void test_default_is_psci_only(void **state)
{
    static struct result r;
    (void)state;

    run(NULL, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_int_equal(r.sc.vms[0].secure_services, CFG_SEC_PSCI);
    assert_int_equal(r.sc.vms[1].secure_services, CFG_SEC_PSCI);
}

static void test_good_lists(void **state)
{
    static const struct op ops[] = { RAW(VM_A, "secure-services", "trng\0keys\0attest", 17),
                                     RAW(VM_B, "secure-services", "psci\0tee", 9), END };
    static struct result r;
    (void)state;

    run(ops, &r);
    dump_lines(&r.cap);
    assert_int_equal(r.cap.count, 0);
    assert_true(r.sc.vms[0].valid && r.sc.vms[1].valid);
    assert_int_equal(r.sc.vms[0].secure_services,
                     CFG_SEC_PSCI | CFG_SEC_TRNG | CFG_SEC_KEYS | CFG_SEC_ATTEST);
    assert_int_equal(r.sc.vms[1].secure_services, CFG_SEC_PSCI | CFG_SEC_TEE);
    assert_string_equal(cfg_secure_service_name(CFG_SEC_TRNG), "trng");
    assert_null(cfg_secure_service_name(CFG_SEC_TRNG | CFG_SEC_KEYS));
}

struct scase {
    const char *name;
    struct op ops[3];
    const char *line;
};

static const struct scase cases[] = {
    { "unknown service", { STR(VM_A, "secure-services", "optee"), END },
      "cfg.dts: /vms/vm-a: secure-services: unknown secure service 'optee' (psci, trng, keys, "
      "attest, tee)" },
    { "service named twice", { RAW(VM_A, "secure-services", "trng\0keys\0trng", 15), END },
      "cfg.dts: /vms/vm-a: secure-services: secure service 'trng' named twice" },
    { "psci named twice", { RAW(VM_A, "secure-services", "psci\0psci", 10), END },
      "cfg.dts: /vms/vm-a: secure-services: secure service 'psci' named twice" },
    { "cells instead of names", { CELLS(VM_A, "secure-services", 1), END },
      "cfg.dts: /vms/vm-a: secure-services: expected a list of service names (psci, trng, "
      "keys, attest, tee)" },
    { "empty member", { RAW(VM_A, "secure-services", "trng\0\0keys", 11), END },
      "cfg.dts: /vms/vm-a: secure-services: expected a list of service names (psci, trng, "
      "keys, attest, tee)" },
    { "empty value", { RAW(VM_A, "secure-services", "", 0), END },
      "cfg.dts: /vms/vm-a: secure-services: expected a list of service names (psci, trng, "
      "keys, attest, tee)" },
};

static void test_error_case(void **state)
{
    const struct scase *c = *state;
    static struct result r;

    run(c->ops, &r);
    assert_one_error(&r.cap, c->name, c->line);
    assert_false(r.sc.vms[0].valid);
    assert_true(r.sc.vms[1].valid);
}

int main(void)
{
    struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 2];
    size_t n = 0;

    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_default_is_psci_only);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_good_lists);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tests[n++] = (struct CMUnitTest){ cases[i].name, test_error_case, NULL, NULL,
                                          (void *)&cases[i] };
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
