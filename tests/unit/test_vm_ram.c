// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/vm/vm_ram.c: identity-map claims (inside the VMs' RAM, clear of the
 * boot objects and of each other, before any carve) and the top-down carve stepping around
 * them. The reference machine: RAM 0x40000000+2 GiB, the VMs' part from 0x50000000.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <core/vm/vm_ram.h>

#define MIB       UINT64_C(0x100000)
#define VM_BASE   UINT64_C(0x50000000)
#define VM_SIZE   UINT64_C(0x70000000)
#define VM_END    (VM_BASE + VM_SIZE)

static void setup_ram(void)
{
    vm_ram_init(VM_BASE, VM_SIZE);
    vm_ram_reserve(UINT64_C(0x40200000), 4 * MIB, "the hypervisor image");
    vm_ram_reserve(UINT64_C(0x48000000), 8 * MIB, "the boot bundle");
}

static void test_claim_and_carve_around(void **state)
{
    const char *what = NULL, *owner = NULL;
    (void)state;

    setup_ram();
    /* an identity map at the top: the first carve lands right below it */
    assert_int_equal(vm_ram_claim(VM_END - 64 * MIB, 64 * MIB, "up", &what, &owner), 0);
    assert_int_equal(vm_ram_claim(VM_BASE, 32 * MIB, "low", &what, &owner), 0);
    assert_int_equal(vm_ram_alloc(32 * MIB), VM_END - 96 * MIB);
    assert_int_equal(vm_ram_alloc(2 * MIB), VM_END - 98 * MIB);
    /* everything else down to the low identity map, never into it */
    uint64_t left = VM_END - 98 * MIB - (VM_BASE + 32 * MIB);
    assert_int_equal(vm_ram_alloc(left), VM_BASE + 32 * MIB);
    assert_int_equal(vm_ram_alloc(2 * MIB), 0);
}

struct ccase {
    const char *name;
    uint64_t pa, size;
    int ret;
    const char *what;
    const char *owner;
};

static const struct ccase ccases[] = {
    { "in the hypervisor's reserve", UINT64_C(0x40000000), 64 * MIB, -BH_EBUSY,
      "the hypervisor's own RAM", NULL },
    { "straddling the VM RAM's base", VM_BASE - 2 * MIB, 4 * MIB, -BH_EBUSY,
      "the hypervisor's own RAM", NULL },
    { "beyond the VM RAM", VM_END - 2 * MIB, 4 * MIB, -BH_EBUSY,
      "memory outside the VMs' RAM", NULL },
    { "size wraps", VM_BASE, UINT64_MAX - 0xfff, -BH_EBUSY, "memory outside the VMs' RAM",
      NULL },
    { "empty", VM_BASE, 0, -BH_EBUSY, "memory outside the VMs' RAM", NULL },
    { "on the other identity map", UINT64_C(0x60000000) + 2 * MIB, 2 * MIB, -BH_EBUSY,
      "the identity map of VM", "first" },
};

static void test_claim_refused(void **state)
{
    const struct ccase *c = *state;
    const char *what = NULL, *owner = "x";

    setup_ram();
    assert_int_equal(vm_ram_claim(UINT64_C(0x60000000), 16 * MIB, "first", &what, &owner), 0);
    assert_int_equal(vm_ram_claim(c->pa, c->size, "second", &what, &owner), c->ret);
    assert_string_equal(what, c->what);
    if (c->owner) {
        assert_string_equal(owner, c->owner);
    } else {
        assert_null(owner);
    }
}

/* A boot object that (on some other board) lies inside the VMs' RAM is named. */
static void test_claim_on_boot_object(void **state)
{
    const char *what = NULL, *owner = "x";
    (void)state;

    vm_ram_init(VM_BASE, VM_SIZE);
    vm_ram_reserve(VM_BASE + 6 * MIB, 1 * MIB, "the host device tree");
    assert_int_equal(vm_ram_claim(VM_BASE, 8 * MIB, "a", &what, &owner), -BH_EBUSY);
    assert_string_equal(what, "the host device tree");
    assert_null(owner);
}

/* Claims come first: once anything is carved, a claim could land on it. */
static void test_claim_after_carve(void **state)
{
    const char *what = NULL, *owner = NULL;
    (void)state;

    setup_ram();
    assert_int_not_equal(vm_ram_alloc(2 * MIB), 0);
    assert_int_equal(vm_ram_claim(VM_BASE, 2 * MIB, "late", &what, &owner), -BH_EBUSY);
    assert_string_equal(what, "RAM already given to another VM");
}

static void test_claim_table_full(void **state)
{
    const char *what = NULL, *owner = NULL;
    (void)state;

    vm_ram_init(VM_BASE, VM_SIZE);
    for (unsigned i = 0; i < VM_RAM_MAX_RESERVED; i++) {
        assert_int_equal(vm_ram_claim(VM_BASE + i * 2 * MIB, 2 * MIB, "v", &what, &owner), 0);
    }
    assert_int_equal(vm_ram_claim(VM_END - 2 * MIB, 2 * MIB, "v", &what, &owner), -BH_ENOMEM);
}

int main(void)
{
    struct CMUnitTest tests[sizeof(ccases) / sizeof(ccases[0]) + 4];
    size_t n = 0;

    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_claim_and_carve_around);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_claim_on_boot_object);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_claim_after_carve);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_claim_table_full);
    for (size_t i = 0; i < sizeof(ccases) / sizeof(ccases[0]); i++) {
        tests[n++] = (struct CMUnitTest){ ccases[i].name, test_claim_refused, NULL, NULL,
                                          (void *)&ccases[i] };
    }
    return _cmocka_run_group_tests("vm_ram", tests, n, NULL, NULL);
}
