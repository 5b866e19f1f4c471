// SPDX-License-Identifier: MIT
/* Unit tests for core/event.c: record format, rate limit per VM and kind, lifecycle records never
 * dropped, every drop reported, ring overwrite. */
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
        evt_ring_push(&r, (uint64_t)i, (uint32_t)(i % 3), "kind", line);
    }
    assert_null(evt_ring_get(&r, 9));
    const struct evt_record *rec = evt_ring_get(&r, 10);
    assert_non_null(rec);
    assert_string_equal(rec->text, "rec 10");
    assert_int_equal(rec->vm, 1);
    rec = evt_ring_get(&r, EVT_RING_SIZE + 9);
    char want[32];
    snprintf(want, sizeof(want), "rec %d", EVT_RING_SIZE + 9);
    assert_string_equal(rec->text, want);
    assert_null(evt_ring_get(&r, EVT_RING_SIZE + 10));
}

/* A reader with a cursor gets every record in order while it keeps up, then learns exactly
 * how many it missed when a flood overwrote what it had not read. */
static void test_ring_cursor_counts_missed(void **state)
{
    static struct evt_ring r;
    struct evt_record rec;
    uint64_t cursor = 0, missed = 0;
    (void)state;

    assert_false(evt_ring_read(&r, &cursor, &rec, &missed));
    evt_ring_push(&r, 5, 2, "start", "vcpus=1");
    evt_ring_push(&r, 6, EVT_VM_NONE, "a_kind_name_longer_than_fits", "");
    assert_true(evt_ring_read(&r, &cursor, &rec, &missed));
    assert_int_equal(rec.seq, 0);
    assert_int_equal(rec.time_ns, 5);
    assert_int_equal(rec.vm, 2);
    assert_string_equal(rec.kind, "start");
    assert_string_equal(rec.text, "vcpus=1");
    assert_true(evt_ring_read(&r, &cursor, &rec, &missed));
    assert_int_equal(strlen(rec.kind), EVT_KIND_MAX - 1); /* cut, terminated */
    assert_false(evt_ring_read(&r, &cursor, &rec, &missed));
    assert_int_equal(cursor, 2);
    assert_int_equal(missed, 0);
    /* A flood of 3 ring sizes: the reader missed all but the newest EVT_RING_SIZE. */
    for (int i = 0; i < 3 * EVT_RING_SIZE; i++) {
        evt_ring_push(&r, 10 + (uint64_t)i, 1, "hvc_unknown", "func=0x1");
    }
    assert_true(evt_ring_read(&r, &cursor, &rec, &missed));
    assert_int_equal(missed, 2 * EVT_RING_SIZE);
    assert_int_equal(rec.seq, 2 + 2 * EVT_RING_SIZE);
    unsigned n = 1;
    while (evt_ring_read(&r, &cursor, &rec, &missed)) {
        n++;
    }
    assert_int_equal(n, EVT_RING_SIZE);
    assert_int_equal(cursor, evt_ring_next(&r));
    assert_int_equal(missed, 2 * EVT_RING_SIZE);
    /* A cursor beyond the newest reads nothing and misses nothing. */
    uint64_t ahead = evt_ring_next(&r) + 100;
    assert_false(evt_ring_read(&r, &ahead, &rec, &missed));
    assert_int_equal(missed, 2 * EVT_RING_SIZE);
}

/* Use up kind k's burst at time now. */
static void exhaust(struct evt_limiter *l, enum evt_kind k, uint64_t now)
{
    uint32_t dropped;

    for (int i = 0; i < EVT_BURST; i++) {
        assert_true(evt_limiter_take(l, k, false, now, &dropped));
    }
}

static void test_kind_names_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < EVT_KIND_OTHER; k++) {
        assert_int_equal(evt_kind_of(evt_kind_name((enum evt_kind)k)), k);
    }
    assert_int_equal(evt_kind_of("not_a_kind"), EVT_KIND_OTHER);
    assert_int_equal(evt_kind_of("s2_fault"), EVT_KIND_S2_FAULT);
    assert_true(evt_kind_is_lifecycle(evt_kind_of("stop")));
    assert_true(evt_kind_is_lifecycle(evt_kind_of("restart_limit")));
    assert_true(evt_kind_is_lifecycle(evt_kind_of("config_error")));
    assert_true(evt_kind_is_lifecycle(evt_kind_of("refused")));
    assert_false(evt_kind_is_lifecycle(evt_kind_of("hvc_unknown")));
    assert_false(evt_kind_is_lifecycle(evt_kind_of("s2_fault")));
    assert_false(evt_kind_is_lifecycle(EVT_KIND_OTHER));
}

/* A flood of one kind leaves another kind's burst untouched. */
static void test_flood_of_one_kind_does_not_hide_another(void **state)
{
    struct evt_limiter l;
    uint32_t dropped = 99;
    (void)state;
    evt_limiter_init(&l, 0);
    exhaust(&l, EVT_KIND_HVC_UNKNOWN, 0);
    for (int i = 0; i < 1000; i++) {
        assert_false(evt_limiter_take(&l, EVT_KIND_HVC_UNKNOWN, false, 1, &dropped));
    }
    for (int i = 0; i < EVT_BURST; i++) {
        assert_true(evt_limiter_take(&l, EVT_KIND_IPC_DENY, false, 1, &dropped));
        assert_int_equal(dropped, 0);
    }
    assert_false(evt_limiter_take(&l, EVT_KIND_IPC_DENY, false, 1, &dropped));
}

/* Unknown kinds share one limited bucket: not unlimited by accident. */
static void test_unknown_kinds_are_limited(void **state)
{
    struct evt_limiter l;
    uint32_t dropped;
    (void)state;
    evt_limiter_init(&l, 0);
    exhaust(&l, evt_kind_of("new_kind_a"), 0);
    assert_false(evt_limiter_take(&l, evt_kind_of("new_kind_b"), false, 0, &dropped));
}

/* Lifecycle kinds and `always` records go out with every bucket empty, and report the drops of
 * their kind that came before. */
static void test_lifecycle_and_fatal_never_dropped(void **state)
{
    struct evt_limiter l;
    uint32_t dropped = 99;
    (void)state;
    evt_limiter_init(&l, 0);
    for (int i = 0; i < 3 * EVT_BURST; i++) {
        assert_true(evt_limiter_take(&l, EVT_KIND_START, false, 0, &dropped));
        assert_int_equal(dropped, 0);
        assert_true(evt_limiter_take(&l, EVT_KIND_STOP, false, 0, &dropped));
        assert_true(evt_limiter_take(&l, EVT_KIND_RESTART_LIMIT, false, 0, &dropped));
    }
    /* s2_fault under the abort policy floods and is dropped; the fatal one is not */
    exhaust(&l, EVT_KIND_S2_FAULT, 0);
    for (int i = 0; i < 7; i++) {
        assert_false(evt_limiter_take(&l, EVT_KIND_S2_FAULT, false, 0, &dropped));
    }
    assert_true(evt_limiter_take(&l, EVT_KIND_S2_FAULT, true, 0, &dropped));
    assert_int_equal(dropped, 7);
    /* and its report is not owed twice */
    enum evt_kind k;
    uint32_t count;
    assert_false(evt_limiter_next_drop(&l, 0, true, &k, &count));
}

/* Drops of a kind are reported once that kind has a token again, also through another kind's
 * record (next_drop without force), and at stop whatever the buckets say (force). */
static void test_every_drop_reported(void **state)
{
    struct evt_limiter l;
    enum evt_kind k;
    uint32_t count, dropped;
    (void)state;
    evt_limiter_init(&l, 0);
    exhaust(&l, EVT_KIND_HVC_UNKNOWN, 0);
    exhaust(&l, EVT_KIND_MMIO_DENY, 0);
    for (int i = 0; i < 65536 - EVT_BURST; i++) {
        assert_false(evt_limiter_take(&l, EVT_KIND_HVC_UNKNOWN, false, 0, &dropped));
    }
    for (int i = 0; i < 3; i++) {
        assert_false(evt_limiter_take(&l, EVT_KIND_MMIO_DENY, false, 0, &dropped));
    }
    /* no token yet: nothing may be reported without force */
    assert_false(evt_limiter_next_drop(&l, 1, false, &k, &count));
    /* a refill period later both kinds have a token: both reported, each once */
    assert_true(evt_limiter_next_drop(&l, EVT_REFILL_NS, false, &k, &count));
    assert_int_equal(k, EVT_KIND_MMIO_DENY);
    assert_int_equal(count, 3);
    assert_true(evt_limiter_next_drop(&l, EVT_REFILL_NS, false, &k, &count));
    assert_int_equal(k, EVT_KIND_HVC_UNKNOWN);
    assert_int_equal(count, 65536 - EVT_BURST);
    assert_false(evt_limiter_next_drop(&l, EVT_REFILL_NS, false, &k, &count));
    /* the reports took the tokens: the next records of those kinds wait */
    assert_false(evt_limiter_take(&l, EVT_KIND_HVC_UNKNOWN, false, EVT_REFILL_NS, &dropped));
    /* at stop (force), with the bucket empty, that drop is still reported */
    assert_true(evt_limiter_next_drop(&l, EVT_REFILL_NS, true, &k, &count));
    assert_int_equal(k, EVT_KIND_HVC_UNKNOWN);
    assert_int_equal(count, 1);
    assert_false(evt_limiter_next_drop(&l, EVT_REFILL_NS, true, &k, &count));
}

/* The drop counter saturates instead of wrapping to "nothing dropped". */
static void test_drop_count_saturates(void **state)
{
    struct evt_bucket b = { .tokens = 0, .dropped = UINT32_MAX - 1, .last_ns = 0 };
    uint32_t dropped = 0;
    (void)state;
    assert_false(evt_bucket_take(&b, 0, &dropped));
    assert_false(evt_bucket_take(&b, 0, &dropped));
    assert_true(evt_bucket_take(&b, EVT_REFILL_NS, &dropped));
    assert_int_equal(dropped, UINT32_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_bucket_limits_and_counts_drops),
        cmocka_unit_test(test_ring_overwrites_oldest),
        cmocka_unit_test(test_ring_cursor_counts_missed),
        cmocka_unit_test(test_kind_names_round_trip),
        cmocka_unit_test(test_flood_of_one_kind_does_not_hide_another),
        cmocka_unit_test(test_unknown_kinds_are_limited),
        cmocka_unit_test(test_lifecycle_and_fatal_never_dropped),
        cmocka_unit_test(test_every_drop_reported),
        cmocka_unit_test(test_drop_count_saturates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
