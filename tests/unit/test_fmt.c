// SPDX-License-Identifier: MIT
/* Unit tests for lib/fmt.c: the formatter behind every console line and event record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <lib/fmt.h>
#include <string.h>

static void expect_fmt(const char *want, const char *fmt, ...)
{
    char buf[128];
    va_list ap;

    va_start(ap, fmt);
    int r = bh_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    assert_string_equal(buf, want);
    assert_int_equal(r, (int)strlen(want));
}

static void test_conversions(void **state)
{
    (void)state;
    expect_fmt("a 42 -7 ff", "a %d %i %x", 42, -7, 255);
    expect_fmt("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    expect_fmt("-9223372036854775808", "%lld", (long long)INT64_MIN);
    expect_fmt("0x00001000", "0x%08lx", 0x1000UL);
    expect_fmt("[ab   ][   ab]", "[%-5s][%5s]", "ab", "ab");
    expect_fmt("c=x 100%", "c=%c 100%%", 'x');
    expect_fmt("(null)", "%s", (char *)NULL);
    expect_fmt("-0042", "%05d", -42);
}

static void test_truncation(void **state)
{
    char buf[8];
    (void)state;
    int r = bh_snprintf(buf, sizeof(buf), "%s", "0123456789");
    assert_int_equal(r, 10);
    assert_string_equal(buf, "0123456");
    r = bh_snprintf(buf, 0, "%d", 5);
    assert_int_equal(r, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
