// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/fdtcheck.c: the structure walk that guards libfdt 1.6.1 from crafted
 * blobs (a property length that makes fdt_next_tag loop forever, a pre-v16 root that makes
 * fdt_check_full dereference NULL; both found by the fuzz targets), and every other way a
 * blob's offsets and sizes can point outside it. Each bad blob is a good one with one field
 * changed, so each case fails for its own reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <string.h>

#include <core/fdtcheck.h>

#define BUF 4096

static char blob[BUF];

/* / { a = <1>; n { s = "x"; }; };  packed, v17 */
static void build(void)
{
    assert_int_equal(fdt_create_empty_tree(blob, BUF), 0);
    assert_int_equal(fdt_setprop_u32(blob, 0, "a", 1), 0);
    int n = fdt_add_subnode(blob, 0, "n");
    assert_true(n >= 0);
    assert_int_equal(fdt_setprop_string(blob, n, "s", "x"), 0);
    assert_int_equal(fdt_pack(blob), 0);
}

static uint8_t *structure(void)
{
    return (uint8_t *)blob + fdt_off_dt_struct(blob);
}

static void put32(uint8_t *p, uint32_t v)
{
    fdt32_t be = cpu_to_fdt32(v);
    memcpy(p, &be, 4);
}

/* Offset in the structure block of the first property "a": tag, len, nameoff, value. */
static uint8_t *first_prop(void)
{
    int prop = fdt_first_property_offset(blob, 0);
    assert_true(prop >= 0);
    return structure() + prop;
}

static void test_good(void **state)
{
    (void)state;
    build();
    assert_int_equal(fdtcheck_blob(blob, fdt_totalsize(blob)), 0);
    assert_int_equal(fdtcheck_blob(blob, BUF), 0);
}

/* len = -12 brings fdt_next_tag back to the same tag: libfdt walks forever. */
static void test_prop_len_wraps(void **state)
{
    (void)state;
    build();
    put32(first_prop() + 4, 0xfffffff4u);
    assert_int_equal(fdtcheck_blob(blob, fdt_totalsize(blob)), -BH_EINVAL);
}

static void test_prop_len_beyond_block(void **state)
{
    (void)state;
    build();
    put32(first_prop() + 4, fdt_size_dt_struct(blob));
    assert_int_equal(fdtcheck_blob(blob, fdt_totalsize(blob)), -BH_EINVAL);
}

static void test_prop_name_beyond_strings(void **state)
{
    (void)state;
    build();
    put32(first_prop() + 8, fdt_size_dt_strings(blob));
    assert_int_equal(fdtcheck_blob(blob, fdt_totalsize(blob)), -BH_EINVAL);
}

/* Pre-v16 blobs are not read (fdt_check_full's NULL dereference on their root names). */
static void test_old_version(void **state)
{
    (void)state;
    build();
    fdt_set_version(blob, 16);
    assert_int_equal(fdtcheck_blob(blob, fdt_totalsize(blob)), -BH_EINVAL);
    fdt_set_version(blob, 5);
    assert_int_equal(fdtcheck_blob(blob, fdt_totalsize(blob)), -BH_EINVAL);
}

static void test_blocks_outside(void **state)
{
    (void)state;
    build();
    assert_int_equal(fdtcheck_blob(blob, fdt_totalsize(blob) - 1), -BH_EINVAL);
    fdt_set_size_dt_struct(blob, fdt_totalsize(blob));
    assert_int_equal(fdtcheck_blob(blob, BUF), -BH_EINVAL);
    build();
    fdt_set_off_dt_strings(blob, 0xfffffff0u);
    assert_int_equal(fdtcheck_blob(blob, BUF), -BH_EINVAL);
    build();
    fdt_set_magic(blob, 0xd00dfeee);
    assert_int_equal(fdtcheck_blob(blob, BUF), -BH_EINVAL);
    assert_int_equal(fdtcheck_blob(blob, 39), -BH_EINVAL);
}

/* Tags: an unknown one, an END_NODE too many, no FDT_END, an unterminated name. */
static void test_bad_tags(void **state)
{
    uint32_t size;

    (void)state;
    build();
    put32(first_prop(), 7);
    assert_int_equal(fdtcheck_blob(blob, BUF), -BH_EINVAL);
    build();
    put32(first_prop(), FDT_END_NODE); /* closes the root early: the rest is a 2nd root */
    assert_int_equal(fdtcheck_blob(blob, BUF), -BH_EINVAL);
    build();
    size = fdt_size_dt_struct(blob);
    fdt_set_size_dt_struct(blob, size - 4); /* FDT_END cut off */
    assert_int_equal(fdtcheck_blob(blob, BUF), -BH_EINVAL);
    build();
    size = fdt_size_dt_struct(blob);
    memset(structure() + 4, 'x', 4); /* root name "" becomes "xxxx" + ... */
    fdt_set_size_dt_struct(blob, 8);  /* ... cut off before any NUL */
    assert_int_equal(fdtcheck_blob(blob, BUF), -BH_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_prop_len_wraps),
        cmocka_unit_test(test_prop_len_beyond_block),
        cmocka_unit_test(test_prop_name_beyond_strings),
        cmocka_unit_test(test_old_version),
        cmocka_unit_test(test_blocks_outside),
        cmocka_unit_test(test_bad_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
