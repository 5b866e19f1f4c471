// SPDX-License-Identifier: MIT
/* Unit tests for core/event.c: record format, per-VM rate limit, ring overwrite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <core/event.h>
#include <stdio.h>
#include <string.h>

static void test_format(void **state)
{
    char buf[EVT_LINE_MAX];
    (void)state;
    evt_format(buf, sizeof(buf), "evil", "s2_fault", "ipa=0x%llx action=%s",
               (unsigned long long)0x50000000, "abort");
    assert_string_equal(buf, "EVT vm=evil kind=s2_fault ipa=0x50000000 action=abort");
    evt_format(buf, sizeof(buf), "a", "start", "%s", "");
    assert_string_equal(buf, "EVT vm=a kind=start");
}

static void test_bucket_limits_and_counts_drops(void **state)
{
    struct evt_bucket b;
    uint32_t dropped = 99;
    (void)state;
    evt_bucket_init(&b, 0);
    for (int i = 0; i < EVT_BURST; i++) {
        assert_true(evt_bucket_take(&b, 0, &dropped));
        assert_int_equal(dropped, 0);
    }
    for (int i = 0; i < 5; i++) {
        assert_false(evt_bucket_take(&b, 1, &dropped));
    }
    /* One refill period later exactly one token is back, and the drops are reported. */
    assert_true(evt_bucket_take(&b, EVT_REFILL_NS, &dropped));
    assert_int_equal(dropped, 5);
    assert_false(evt_bucket_take(&b, EVT_REFILL_NS, &dropped));
    /* A long quiet period refills to the burst size, not beyond. */
    uint64_t later = EVT_REFILL_NS * 1000;
    for (int i = 0; i < EVT_BURST; i++) {
        assert_true(evt_bucket_take(&b, later, &dropped));
    }
    assert_false(evt_bucket_take(&b, later, &dropped));
}

static void test_ring_overwrites_oldest(void **state)
{
    static struct evt_ring r;
    char line[32];
    (void)state;
    assert_null(evt_ring_get(&r, 0));
    for (int i = 0; i < EVT_RING_SIZE + 10; i++) {
        snprintf(line, sizeof(line), "rec %d", i);
        evt_ring_push(&r, (uint64_t)i, line);
    }
    assert_null(evt_ring_get(&r, 9));
    const struct evt_record *rec = evt_ring_get(&r, 10);
    assert_non_null(rec);
    assert_string_equal(rec->line, "rec 10");
    rec = evt_ring_get(&r, EVT_RING_SIZE + 9);
    assert_string_equal(rec->line, "rec 73");
    assert_null(evt_ring_get(&r, EVT_RING_SIZE + 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_bucket_limits_and_counts_drops),
        cmocka_unit_test(test_ring_overwrites_oldest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
