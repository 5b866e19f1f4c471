// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/config/config_colour.c (docs/COLOURING.md): the root property
 * llc-way-size, the VM properties colours and shared-colours, the checks between VMs (no
 * colour in two VMs unless both declare it shared), against identity-map, and the RAM the
 * colour pool takes (a VM alone, and with the others). Every error kind is a table row: the
 * lines it gives and which VMs are refused. Then the sums the boot allocates with.
 *
 * Base: VMs a (CPU 0) and b (CPU 1), 32 MiB each; the reference platform leaves 0x70000000
 * bytes for VMs.
 */
#include "cfg_fixture.h"

#define FDT_BUF   8192
#define FILE_NAME "cfg.dts"
#define VM_A      "/vms/vm-a"
#define VM_B      "/vms/vm-b"
#define WAY64K    CELLS("/", "llc-way-size", 0x10000)

struct colour_case {
    const char *name;
    struct op ops[8];
    bool a_valid, b_valid;
    uint64_t a_colours, b_colours;  /* when valid */
    const char *error[2];           /* every line there must be (NULL: fewer) */
};

static const struct colour_case cases[] = {
    { "no colouring", { END }, true, true, 0, 0, { NULL } },
    { "two VMs, own colours",
      { WAY64K, CELLS(VM_A, "colours", 0, 1, 2, 3), CELLS(VM_B, "colours", 15, 4), END },
      true, true, 0xf, 0x8010, { NULL } },
    { "a colour in both: the later VM is refused",
      { WAY64K, CELLS(VM_A, "colours", 0, 1), CELLS(VM_B, "colours", 1, 2), END },
      true, false, 0x3, 0,
      { "cfg.dts: /vms/vm-b: colours: colour 1 is also VM 'a''s (a colour two VMs use must be "
        "in the shared-colours of both)" } },
    { "a colour both declare shared",
      { WAY64K, CELLS(VM_A, "colours", 0, 1), CELLS(VM_A, "shared-colours", 1),
        CELLS(VM_B, "colours", 1, 2), CELLS(VM_B, "shared-colours", 1), END },
      true, true, 0x3, 0x6, { NULL } },
    { "shared by one VM only",
      { WAY64K, CELLS(VM_A, "colours", 0, 1), CELLS(VM_A, "shared-colours", 1),
        CELLS(VM_B, "colours", 1, 2), END },
      true, false, 0x3, 0, { "cfg.dts: /vms/vm-b: colours: colour 1 is also VM 'a''s" } },
    { "colour out of range",
      { WAY64K, CELLS(VM_A, "colours", 3, 16), END }, false, true, 0, 0,
      { "cfg.dts: /vms/vm-a: colours: colour 16 is out of range (0..15 for a 0x10000-byte way)" } },
    { "colour twice",
      { WAY64K, CELLS(VM_A, "colours", 3, 3), END }, false, true, 0, 0,
      { "cfg.dts: /vms/vm-a: colours: colour 3 is listed twice" } },
    { "colours without llc-way-size",
      { CELLS(VM_A, "colours", 0), END }, false, true, 0, 0,
      { "cfg.dts: /vms/vm-a: colours: needs the root property llc-way-size (the last-level "
        "cache's way size)" } },
    { "llc-way-size not a power of two",
      { CELLS("/", "llc-way-size", 0x3000), CELLS(VM_A, "colours", 0), END }, false, true, 0, 0,
      { "cfg.dts: /: llc-way-size: 0x3000 must be a power of two from 0x2000 to 0x40000 (2 to "
        "64 colours of 4 KiB)",
        "cfg.dts: /vms/vm-a: colours: the root property llc-way-size is invalid (reported "
        "above)" } },
    { "llc-way-size too large",
      { CELLS("/", "llc-way-size", 0x80000), END }, true, true, 0, 0,
      { "cfg.dts: /: llc-way-size: 0x80000 must be a power of two from 0x2000 to 0x40000" } },
    { "llc-way-size a string",
      { STR("/", "llc-way-size", "64K"), END }, true, true, 0, 0,
      { "cfg.dts: /: llc-way-size: expected one cell (bytes), got the string '64K'" } },
    { "llc-way-size two cells",
      { CELLS("/", "llc-way-size", 0, 0x10000), END }, true, true, 0, 0,
      { "cfg.dts: /: llc-way-size: must be one cell, not 8 bytes" } },
    { "colours a string",
      { WAY64K, STR(VM_A, "colours", "0-3"), END }, false, true, 0, 0,
      { "cfg.dts: /vms/vm-a: colours: expected <u32> cells, got the string '0-3'" } },
    { "with identity-map",
      { WAY64K, CELLS(VM_A, "colours", 0), CELLS(VM_A, "memory-base", 0, 0x50000000),
        CELLS(VM_A, "identity-map", 1), END }, false, true, 0, 0,
      { "cfg.dts: /vms/vm-a: colours: cannot be combined with identity-map (a coloured VM's "
        "RAM is scattered 4 KiB pages; an identity map is one contiguous host range)" } },
    { "shared-colours not among colours",
      { WAY64K, CELLS(VM_A, "colours", 0, 1), CELLS(VM_A, "shared-colours", 2), END },
      false, true, 0, 0,
      { "cfg.dts: /vms/vm-a: shared-colours: colour 2 is not one of the VM's colours" } },
    { "shared-colours without colours",
      { WAY64K, CELLS(VM_A, "shared-colours", 2), END }, false, true, 0, 0,
      { "cfg.dts: /vms/vm-a: shared-colours: needs colours" } },
    { "one colour cannot hold the VM",
      { WAY64K, CELLS(VM_A, "colours", 0), CELLS(VM_A, "memory-size", 0, 0x08000000), END },
      false, true, 0, 0,
      { "cfg.dts: /vms/vm-a: colours: 0: 0x8000000 bytes of RAM in 1 of 16 colours take "
        "0x80820000 bytes of the VMs' RAM (every colour alike), over the 0x70000000 "
        "available" } },
    { "an uncoloured VM after the colour pool",
      { WAY64K, CELLS(VM_A, "colours", 0), CELLS(VM_A, "memory-size", 0, 0x06000000),
        CELLS(VM_B, "memory-size", 0, 0x20000000), END },
      true, false, 0x1, 0,
      { "cfg.dts: /vms/vm-b: memory-size: 0x20000000 more bytes would bring VM memory to "
        "0x80800000, over the 0x70000000 available for VMs" } },
    { "the colour pool after an uncoloured VM",
      { WAY64K, CELLS(VM_A, "memory-size", 0, 0x10000000), CELLS(VM_B, "colours", 1),
        CELLS(VM_B, "memory-size", 0, 0x06800000), END },
      true, false, 0, 0,
      { "cfg.dts: /vms/vm-b: colours: 0x68800000 more bytes would bring VM memory to "
        "0x78800000, over the 0x70000000 available for VMs" } },
};

static void build(void *fdt)
{
    assert_int_equal(fdt_create_empty_tree(fdt, FDT_BUF), 0);
    assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "bulkhead,scenario"), 0);
    int vms = add_node(fdt, 0, "vms");
    fix_vm_props(fdt, add_node(fdt, vms, "vm-b"), "b", 1);
    fix_vm_props(fdt, add_node(fdt, fix_path(fdt, "/vms"), "vm-a"), "a", 0);
}

static void run_case(const struct colour_case *t, struct result *r)
{
    static uint8_t fdt[FDT_BUF];
    struct platinfo plat = test_plat();

    build(fdt);
    for (const struct op *o = t->ops; o->kind != OP_END; o++) {
        fix_apply(fdt, o);
    }
    fix_run(fdt, FILE_NAME, &plat, NULL, r);
}

static void test_colour_table(void **state)
{
    static struct result r;
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct colour_case *t = &cases[i];
        int want_lines = (t->error[0] != NULL) + (t->error[1] != NULL);
        run_case(t, &r);
        const struct cfg_vm *a = &r.sc.vms[0], *b = &r.sc.vms[1];
        bool ok = r.ret == 0 && r.sc.vm_count == 2 && a->valid == t->a_valid &&
                  b->valid == t->b_valid && r.cap.count == want_lines;
        ok = ok && (!a->valid || a->colours == t->a_colours) &&
             (!b->valid || b->colours == t->b_colours);
        for (int l = 0; l < 2; l++) {
            ok = ok && (t->error[l] == NULL || has_line(&r.cap, t->error[l]));
        }
        if (!ok) {
            print_error("case '%s': ret %d a %d/%llx b %d/%llx errors %d\n", t->name, r.ret,
                        a->valid, (unsigned long long)a->colours, b->valid,
                        (unsigned long long)b->colours, r.cap.count);
            dump_lines(&r.cap);
            fail();
        }
    }
}

/* Pages, shares and the pool, as the boot allocates (core/vm/vm_colour.c). */
static void test_colour_sums(void **state)
{
    static struct result r;
    const struct colour_case shared = {
        "sums", { WAY64K, CELLS(VM_A, "colours", 0, 1, 2), CELLS(VM_A, "shared-colours", 2),
                  CELLS(VM_B, "colours", 2, 3), CELLS(VM_B, "shared-colours", 2), END },
        true, true, 0x7, 0xc, { NULL } };
    (void)state;

    run_case(&shared, &r);
    const struct cfg_vm *a = &r.sc.vms[0], *b = &r.sc.vms[1];
    assert_true(a->valid && b->valid);
    assert_int_equal(cfg_colour_count(&r.sc), 16);
    /* 32 MiB at 0x40000000: 8192 pages, 16 + 1 tables at stage 2 and 16 + 1 in the alias. */
    assert_int_equal(cfg_colour_pages(a), 8192 + 17 + 17);
    /* 8226 over 3 colours: 2742 each; over 2: 4113 each. */
    assert_int_equal(cfg_colour_share(a, 0), 2742);
    assert_int_equal(cfg_colour_share(a, 2), 2742);
    assert_int_equal(cfg_colour_share(a, 3), 0);
    assert_int_equal(cfg_colour_share(b, 3), 4113);
    /* Colour 2 carries both: 2742 + 4113 pages of 64 KiB rows, in 2 MiB blocks. */
    uint64_t pool = ((2742 + 4113) * UINT64_C(0x10000) + 0x1fffff) & ~UINT64_C(0x1fffff);
    assert_int_equal(cfg_colour_pool_size(&r.sc, 2), pool);
    assert_int_equal(cfg_colour_pool_size(&r.sc, 1),
                     (2742 * UINT64_C(0x10000) + 0x1fffff) & ~UINT64_C(0x1fffff));
    assert_int_equal(cfg_vm_ram(&r.sc, 2), pool);
    /* An uneven split: 8226 pages over 4 colours give the first two one more. */
    struct cfg_vm v = *a;
    v.colours = 0xf0;
    assert_int_equal(cfg_colour_share(&v, 4), 2057);
    assert_int_equal(cfg_colour_share(&v, 5), 2057);
    assert_int_equal(cfg_colour_share(&v, 6), 2056);
    assert_int_equal(cfg_colour_share(&v, 64), 0);
    v.colours = 0;
    assert_int_equal(cfg_colour_pages(&v), 0);
}

static void test_colour_list(void **state)
{
    char buf[160];
    (void)state;

    assert_string_equal(cfg_colour_list(0xf, buf, sizeof(buf)), "0-3");
    assert_string_equal(cfg_colour_list(0x80f0, buf, sizeof(buf)), "4-7,15");
    assert_string_equal(cfg_colour_list(0x5, buf, sizeof(buf)), "0,2");
    assert_string_equal(cfg_colour_list(UINT64_C(0xaaaaaaaaaaaaaaaa), buf, sizeof(buf)),
                        "1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39,41,43,45,47,49,"
                        "51,53,55,57,59,61,63");
    assert_string_equal(cfg_colour_list(UINT64_MAX, buf, sizeof(buf)), "0-63");
    assert_string_equal(cfg_colour_list(0, buf, sizeof(buf)), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colour_table),
        cmocka_unit_test(test_colour_sums),
        cmocka_unit_test(test_colour_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
