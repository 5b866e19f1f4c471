// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/sched/sched.c, the decisions of a shared pCPU (docs/SCHEDULING.md):
 * budget shares, throttling, priority preemption on a wake-up, turns among equals, idle
 * vCPUs giving the pCPU away, partition windows in order with their jitter. Each test drives
 * the scheduler as the arch layer does: account, wake, pick, and the next decision at
 * sched_next_event (plus a lateness where a test wants one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <core/sched/sched.h>

#define QUANTUM 100u

/* One decision at now: what the arch layer does on the scheduler's deadline. */
static unsigned decide(struct sched_cpu *c, uint64_t now, uint64_t *next)
{
    sched_account(c, now);
    sched_wake_due(c, now);
    unsigned i = sched_pick(c, now);
    *next = sched_next_event(c, now);
    return i;
}

/* sched_add and runnable from time 0, as most cases begin. */
static unsigned add_runnable(struct sched_cpu *c, unsigned vm, uint32_t prio, uint64_t budget,
                             uint64_t period)
{
    unsigned e = sched_add(c, vm, prio, budget, period, 0);

    assert_int_not_equal(e, SCHED_NONE);
    sched_set_state(c, e, SCHED_RUNNABLE, SCHED_NEVER, 0);
    return e;
}

/* Run both always-busy entities until `end`, deciding only at the scheduler's own events. */
static void run_until(struct sched_cpu *c, uint64_t now, uint64_t end)
{
    uint64_t next;

    for (unsigned guard = 0; now < end && guard < 1000000; guard++) {
        (void)decide(c, now, &next);
        assert_true(next > now);
        now = next < end ? next : end;
    }
    sched_account(c, end);
}

static void test_budget_shares_30_70(void **state)
{
    struct sched_cpu c;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    unsigned a = add_runnable(&c, 0, 1, 3000, 10000);
    unsigned b = add_runnable(&c, 1, 1, 7000, 10000);
    run_until(&c, 0, 1000000);
    assert_int_equal(c.ent[a].run_ticks, 300000);
    assert_int_equal(c.ent[b].run_ticks, 700000);
    assert_int_equal(c.ent[a].run_ticks + c.ent[b].run_ticks, 1000000);
}

static void test_throttled_hog_keeps_to_budget(void **state)
{
    struct sched_cpu c;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    unsigned h = add_runnable(&c, 0, 5, 2000, 10000);
    run_until(&c, 0, 100000);
    assert_int_equal(c.ent[h].run_ticks, 20000);
    assert_int_equal(c.ent[h].throttled_ticks, 80000);
    assert_int_equal(c.ent[h].throttles, 10);
    /* a late decision (the interrupt came 50 ticks late) overruns by that much only */
    uint64_t next;
    assert_int_equal(decide(&c, 100000, &next), h);
    assert_int_equal(next, 102000);
    assert_int_equal(decide(&c, 102050, &next), SCHED_NONE);
    assert_int_equal(c.ent[h].run_ticks, 22050);
    assert_int_equal(next, 110000);
    /* ... and pays it back from the next period's budget */
    assert_int_equal(decide(&c, 110000, &next), h);
    assert_int_equal(next, 111950);
    assert_int_equal(decide(&c, 111950, &next), SCHED_NONE);
    assert_int_equal(c.ent[h].run_ticks, 24000);
}

static void test_wakeup_preempts_lower_priority(void **state)
{
    struct sched_cpu c;
    uint64_t next;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    unsigned rt = sched_add(&c, 0, 10, 0, 0, 0);
    unsigned hog = add_runnable(&c, 1, 0, 0, 0);
    sched_set_state(&c, rt, SCHED_BLOCKED, 1000, 0); /* its timer at 1000 */
    assert_int_equal(decide(&c, 0, &next), hog);
    assert_int_equal(next, 1000);
    assert_int_equal(decide(&c, 1000, &next), rt);
    /* it goes idle: the hog gets the pCPU back at once */
    sched_account(&c, 1200);
    sched_set_state(&c, rt, SCHED_BLOCKED, SCHED_NEVER, 1200);
    assert_int_equal(decide(&c, 1200, &next), hog);
    assert_int_equal(next, SCHED_NEVER);
    /* an interrupt wakes it (sched_set_state from the wake-up path) */
    sched_account(&c, 1500);
    sched_set_state(&c, rt, SCHED_RUNNABLE, SCHED_NEVER, 1500);
    assert_int_equal(decide(&c, 1500, &next), rt);
    sched_account(&c, 1600);
    assert_int_equal(c.ent[rt].run_ticks, 300);
    assert_int_equal(c.ent[hog].run_ticks, 1300);
    assert_int_equal(c.ent[hog].wait_ticks, 300);
}

static void test_equals_take_turns(void **state)
{
    struct sched_cpu c;
    uint64_t next;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    unsigned a = add_runnable(&c, 0, 1, 0, 0);
    unsigned b = add_runnable(&c, 1, 1, 0, 0);
    unsigned first = decide(&c, 0, &next);
    assert_int_equal(next, QUANTUM);
    assert_int_equal(decide(&c, QUANTUM, &next), first == a ? b : a);
    assert_int_equal(decide(&c, 2 * QUANTUM, &next), first);
    /* a decision inside the quantum keeps the running one */
    assert_int_equal(decide(&c, 2 * QUANTUM + 10, &next), first);
    assert_int_equal(next, 3 * QUANTUM);
}

static void test_blocked_idles_pcpu(void **state)
{
    struct sched_cpu c;
    uint64_t next;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    unsigned a = sched_add(&c, 0, 1, 0, 0, 0);
    sched_set_state(&c, a, SCHED_BLOCKED, 5000, 0);
    assert_int_equal(decide(&c, 0, &next), SCHED_NONE);
    assert_int_equal(next, 5000);
    assert_int_equal(decide(&c, 5000, &next), a);
    assert_int_equal(c.ent[a].wait_ticks, 0);
}

static void test_add_refuses_bad_budgets(void **state)
{
    struct sched_cpu c;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    assert_int_equal(sched_add(&c, 0, 1, 20, 10, 0), SCHED_NONE);
    assert_int_equal(sched_add(&c, 0, 1, 20, 0, 0), SCHED_NONE);
    for (unsigned i = 0; i < SCHED_MAX_ENTS; i++) {
        assert_int_equal(sched_add(&c, 0, 1, 0, 0, 0), i);
    }
    assert_int_equal(sched_add(&c, 0, 1, 0, 0, 0), SCHED_NONE);
}

static void test_partition_windows_in_order(void **state)
{
    struct sched_cpu c;
    uint64_t next, now = 0;
    static const unsigned want_vm[] = { 0, 1, 2, 0, 1, 2, 0 };

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PARTITIONS, QUANTUM, 0);
    assert_true(sched_add_window(&c, 0, 4000));
    assert_true(sched_add_window(&c, 1, 3000));
    assert_true(sched_add_window(&c, 2, 3000));
    assert_false(sched_add_window(&c, 0, 0));
    (void)add_runnable(&c, 0, 1, 0, 0);
    unsigned e1 = add_runnable(&c, 1, 1, 0, 0);
    unsigned e1b = add_runnable(&c, 1, 1, 0, 0); /* a second vCPU in partition 1 */
    unsigned e2 = sched_add(&c, 2, 1, 0, 0, 0);
    sched_set_state(&c, e2, SCHED_BLOCKED, SCHED_NEVER, 0); /* its window idles */
    for (unsigned k = 0; k < 7; k++) {
        unsigned i = decide(&c, now, &next);
        assert_int_equal(c.win_vm[c.win], want_vm[k]);
        if (want_vm[k] == 2) {
            assert_int_equal(i, SCHED_NONE);
        } else {
            assert_int_equal(c.ent[i].vm, want_vm[k]);
        }
        /* partition 1 shares its window between its two vCPUs: decisions every quantum */
        while (want_vm[k] == 1 && next < c.frame_start + 7000) {
            unsigned j = decide(&c, next, &next);
            assert_true(j == e1 || j == e1b);
        }
        now = next + (k == 3 ? 7 : 0); /* the window after k = 3 starts 7 ticks late */
    }
    assert_int_equal(c.win_entries, 7);
    assert_int_equal(c.jitter_max, 7);
    assert_int_equal(c.jitter_sum, 7);
    assert_int_equal(c.win_skipped, 0);
    assert_int_equal(c.ent[e1].run_ticks + c.ent[e1b].run_ticks, 2 * 3000 - 7); /* the late start is the previous window's */
    assert_true(c.ent[e1].run_ticks >= 2900 && c.ent[e1b].run_ticks >= 2900);
    /* a decision a whole frame later skips the windows it missed, and counts them */
    (void)decide(&c, now + 25000, &next);
    assert_int_equal(c.win_skipped, 1);
}

/* Accounting: every tick of two always-runnable vCPUs with 30/70 budgets is charged once, to
 * running, waiting (budget left, the other has the pCPU) or throttled (budget gone). */
static void test_accounting_adds_up_30_70(void **state)
{
    struct sched_cpu c;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    unsigned a = add_runnable(&c, 0, 1, 3000, 10000);
    unsigned b = add_runnable(&c, 1, 1, 7000, 10000);
    run_until(&c, 0, 1000000);
    for (unsigned i = 0; i < 2; i++) {
        const struct sched_ent *e = &c.ent[i];
        assert_int_equal(e->run_ticks + e->wait_ticks + e->throttled_ticks, 1000000);
        assert_int_equal(e->throttles, 100); /* one budget exhaustion per period */
    }
    /* turns of QUANTUM, a first in each period, until a's 3000 are gone (5900 ticks in), then
     * b alone: a waits 29 turns and is throttled 4100 per period; b waits 30 turns and uses
     * its last tick at the period's end */
    assert_int_equal(c.ent[a].wait_ticks, 100 * 2900);
    assert_int_equal(c.ent[a].throttled_ticks, 100 * 4100);
    assert_int_equal(c.ent[b].wait_ticks, 100 * 3000);
    assert_int_equal(c.ent[b].throttled_ticks, 0);
    /* every turn handed over is a preemption: a's 29 per period (its 30th ends throttled),
     * b's 30 (the last at the period boundary, replenished as a gets its turn; none after
     * the last period) */
    assert_int_equal(c.preemptions[a], 100 * 29);
    assert_int_equal(c.preemptions[b], 100 * 30 - 1);
}

/* A vCPU alone on the pCPU (what an exclusive pCPU is) never waits, is never preempted. */
static void test_accounting_alone_never_waits(void **state)
{
    struct sched_cpu c;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    unsigned a = add_runnable(&c, 0, 1, 0, 0);
    run_until(&c, 0, 50000);
    assert_int_equal(c.ent[a].run_ticks, 50000);
    assert_int_equal(c.ent[a].wait_ticks, 0);
    assert_int_equal(c.ent[a].throttled_ticks, 0);
    assert_int_equal(c.preemptions[a], 0);
    assert_int_equal(c.ent[a].throttles, 0);
}

/* Preemptions count the switches-out of a vCPU that could have run on: a higher priority
 * waking, not its own block and not its throttle. */
static void test_preemptions_counted(void **state)
{
    struct sched_cpu c;
    uint64_t next;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    unsigned rt = sched_add(&c, 0, 10, 500, 10000, 0);
    unsigned hog = add_runnable(&c, 1, 0, 0, 0);
    sched_set_state(&c, rt, SCHED_BLOCKED, 1000, 0);
    assert_int_equal(decide(&c, 0, &next), hog);
    assert_int_equal(decide(&c, 1000, &next), rt); /* its timer: the hog is preempted */
    assert_int_equal(c.preemptions[hog], 1);
    sched_account(&c, 1200);
    sched_set_state(&c, rt, SCHED_BLOCKED, SCHED_NEVER, 1200); /* idle: no preemption */
    assert_int_equal(decide(&c, 1200, &next), hog);
    assert_int_equal(c.preemptions[rt], 0);
    sched_account(&c, 2000);
    sched_set_state(&c, rt, SCHED_RUNNABLE, SCHED_NEVER, 2000); /* never idles again */
    assert_int_equal(decide(&c, 2000, &next), rt);
    assert_int_equal(c.preemptions[hog], 2);
    assert_int_equal(next, 2300); /* 300 of its 500 left */
    assert_int_equal(decide(&c, 2300, &next), hog); /* throttled: not a preemption */
    assert_int_equal(c.preemptions[rt], 0);
    assert_int_equal(c.ent[rt].throttles, 1);
    assert_int_equal(next, 10000);
    assert_int_equal(decide(&c, 10000, &next), rt);
    sched_account(&c, 10500);
    assert_int_equal(c.ent[rt].throttled_ticks, 10000 - 2300);
    assert_int_equal(c.ent[rt].wait_ticks, 0);
    assert_int_equal(c.ent[hog].wait_ticks, 200 + 300 + 500);
}

/* sched_ent_times: the figures as they stand between two decisions, c untouched. */
static void test_ent_times_as_it_stands(void **state)
{
    struct sched_cpu c;
    struct sched_times t;
    uint64_t next;

    (void)state;
    sched_cpu_init(&c, SCHED_POLICY_PRIORITY, QUANTUM, 0);
    unsigned hi = add_runnable(&c, 0, 5, 1000, 10000);
    unsigned lo = add_runnable(&c, 1, 1, 0, 0);
    unsigned off = sched_add(&c, 2, 1, 0, 0, 0);
    assert_int_equal(decide(&c, 0, &next), hi);
    sched_ent_times(&c, hi, 400, &t);
    assert_int_equal(t.run, 400);
    assert_int_equal(t.wait + t.throttled, 0);
    sched_ent_times(&c, lo, 400, &t);
    assert_int_equal(t.wait, 400);
    assert_int_equal(t.run + t.throttled, 0);
    assert_int_equal(c.ent[hi].run_ticks, 0); /* nothing accounted by the reads */
    assert_int_equal(c.acct_at, 0);
    assert_int_equal(decide(&c, 1000, &next), lo); /* hi's budget is gone */
    sched_ent_times(&c, hi, 3000, &t);
    assert_int_equal(t.run, 1000);
    assert_int_equal(t.throttled, 2000);
    assert_int_equal(t.throttles, 1);
    sched_ent_times(&c, lo, 3000, &t);
    assert_int_equal(t.run, 2000);
    assert_int_equal(t.wait, 1000);
    sched_ent_times(&c, off, 3000, &t); /* never started: nothing */
    assert_int_equal(t.run + t.wait + t.throttled, 0);
    sched_ent_times(&c, 7, 3000, &t); /* no such entity */
    assert_int_equal(t.run + t.wait + t.throttled + t.throttles + t.preemptions, 0);
    sched_ent_times(&c, hi, 500, &t); /* a time before the last decision: no negative */
    assert_int_equal(t.run + t.throttled, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_shares_30_70),
        cmocka_unit_test(test_throttled_hog_keeps_to_budget),
        cmocka_unit_test(test_wakeup_preempts_lower_priority),
        cmocka_unit_test(test_equals_take_turns),
        cmocka_unit_test(test_blocked_idles_pcpu),
        cmocka_unit_test(test_add_refuses_bad_budgets),
        cmocka_unit_test(test_partition_windows_in_order),
        cmocka_unit_test(test_accounting_adds_up_30_70),
        cmocka_unit_test(test_accounting_alone_never_waits),
        cmocka_unit_test(test_preemptions_counted),
        cmocka_unit_test(test_ent_times_as_it_stands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
