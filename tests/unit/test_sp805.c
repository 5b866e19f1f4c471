// SPDX-License-Identifier: MIT
/* The SP805 watchdog model (core/dev/sp805.c) against ARM DDI 0270B, and the time arithmetic
 * behind it: counts (CNTPCT) converted to WDOGCLK ticks and back, at extreme values too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <core/dev/sp805.h>

static struct sp805 w;
static bool level;
static int level_calls;
static uint64_t deadline;
static int deadline_calls;

static void set_level(void *ctx, bool l)
{
    assert_ptr_equal(ctx, &w);
    assert_true(l != level); /* only changes are reported */
    level = l;
    level_calls++;
}

static void set_deadline(void *ctx, uint64_t at)
{
    assert_ptr_equal(ctx, &w);
    deadline = at;
    deadline_calls++;
}

static void init(uint64_t cnt_hz, uint64_t wdog_hz)
{
    const struct sp805_hooks h = { .set_level = set_level, .set_deadline = set_deadline,
                                   .ctx = &w };
    level = false;
    level_calls = 0;
    deadline = SP805_NEVER;
    deadline_calls = 0;
    sp805_init(&w, cnt_hz, wdog_hz, &h);
}

/* 1000 counts per second, WDOGCLK 100 Hz: one tick is 10 counts. */
static int setup(void **state)
{
    (void)state;
    init(1000, 100);
    return 0;
}

static uint32_t rd(uint64_t now, uint32_t off)
{
    uint64_t v = 0xdeadbeef;
    bool reset = true;

    assert_int_equal(sp805_mmio(&w, now, off, 4, false, &v, &reset), 0);
    assert_false(reset);
    return (uint32_t)v;
}

/* A write; returns whether the reset output fired. */
static bool wr_reset(uint64_t now, uint32_t off, uint32_t val)
{
    uint64_t v = val;
    bool reset = false;

    assert_int_equal(sp805_mmio(&w, now, off, 4, true, &v, &reset), 0);
    return reset;
}

static void wr(uint64_t now, uint32_t off, uint32_t val)
{
    assert_false(wr_reset(now, off, val));
}

static void test_ids(void **state)
{
    static const uint8_t ids[8] = { 0x05, 0x18, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    uint32_t periph = 0, cell = 0;

    (void)state;
    for (unsigned i = 0; i < 4; i++) {
        periph |= rd(0, SP805_PERIPHID0 + 4 * i) << (8 * i);
        cell |= rd(0, SP805_PERIPHID0 + 16 + 4 * i) << (8 * i);
    }
    /* what Linux's AMBA bus reads and sp805_wdt's id table matches (mask 0x00ffffff) */
    assert_int_equal(periph & 0x00ffffff, 0x00141805);
    assert_int_equal(cell, 0xB105F00D);
    for (unsigned i = 0; i < 8; i++) {
        wr(0, SP805_PERIPHID0 + 4 * i, 0); /* read-only */
        assert_int_equal(rd(0, SP805_PERIPHID0 + 4 * i), ids[i]);
    }
}

static void test_reset_values(void **state)
{
    (void)state;
    assert_int_equal(rd(0, SP805_LOAD), 0xFFFFFFFF);
    assert_int_equal(rd(0, SP805_VALUE), 0xFFFFFFFF);
    assert_int_equal(rd(0, SP805_CONTROL), 0);
    assert_int_equal(rd(0, SP805_RIS), 0);
    assert_int_equal(rd(0, SP805_MIS), 0);
    assert_int_equal(rd(0, SP805_LOCK), 0);
    assert_int_equal(rd(0, SP805_ITCR), 0);
    assert_int_equal(rd(0, SP805_INTCLR), 0); /* write-only */
    assert_int_equal(rd(0, SP805_ITOP), 0);
    assert_int_equal(rd(0, 0x018), 0); /* reserved: RAZ/WI */
    wr(0, 0x018, 0xffffffff);
    assert_int_equal(rd(0, 0x018), 0);
    /* a stopped counter does not count, whatever the time */
    assert_int_equal(rd(1000000, SP805_VALUE), 0xFFFFFFFF);
    assert_int_equal(deadline, SP805_NEVER);
    assert_false(sp805_expire(&w, UINT64_MAX - 1));
    assert_false(level);
}

static void test_widths(void **state)
{
    uint64_t v = 0;
    bool reset;

    (void)state;
    assert_int_equal(sp805_mmio(&w, 0, SP805_LOAD, 1, false, &v, &reset), -BH_ERANGE);
    assert_int_equal(sp805_mmio(&w, 0, SP805_LOAD, 2, true, &v, &reset), -BH_ERANGE);
    assert_int_equal(sp805_mmio(&w, 0, SP805_LOAD, 8, false, &v, &reset), -BH_ERANGE);
    assert_int_equal(sp805_mmio(&w, 0, SP805_LOAD + 2, 4, false, &v, &reset), -BH_ERANGE);
    assert_int_equal(sp805_mmio(&w, 0, SP805_FRAME_SIZE, 4, false, &v, &reset), -BH_ERANGE);
    assert_int_equal(rd(0, SP805_LOAD), 0xFFFFFFFF); /* nothing was written */
}

static void test_counting(void **state)
{
    (void)state;
    wr(1000, SP805_LOAD, 100);
    assert_int_equal(rd(1000, SP805_VALUE), 100); /* loaded even while stopped */
    wr(1000, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_int_equal(rd(1000, SP805_CONTROL), SP805_CTRL_INTEN);
    assert_int_equal(rd(1009, SP805_VALUE), 100); /* less than a tick */
    assert_int_equal(rd(1010, SP805_VALUE), 99);
    assert_int_equal(rd(1500, SP805_VALUE), 50);
    assert_int_equal(deadline, 2000); /* tick 100: the counter reaches zero */
    /* INTEN cleared: the counter stops where it is */
    wr(1500, SP805_CONTROL, 0);
    assert_int_equal(rd(9000, SP805_VALUE), 50);
    assert_int_equal(deadline, SP805_NEVER);
    /* set again: reloads from WDOGLOAD */
    wr(9000, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_int_equal(rd(9000, SP805_VALUE), 100);
    assert_int_equal(deadline, 10000);
    /* a write to WDOGLOAD restarts the count from the new value at once */
    wr(9500, SP805_LOAD, 10);
    assert_int_equal(rd(9500, SP805_VALUE), 10);
    assert_int_equal(deadline, 9600);
    assert_int_equal(rd(9500, SP805_LOAD), 10);
}

static void test_interrupt_and_reload(void **state)
{
    (void)state;
    wr(1000, SP805_LOAD, 100);
    wr(1000, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_false(sp805_expire(&w, 1999));
    assert_false(level);
    assert_int_equal(deadline, 2000);
    assert_false(sp805_expire(&w, 2000));
    assert_true(level);
    assert_int_equal(rd(2000, SP805_RIS), 1);
    assert_int_equal(rd(2000, SP805_MIS), 1);
    assert_int_equal(rd(2000, SP805_VALUE), 0);
    assert_int_equal(rd(2010, SP805_VALUE), 100); /* reloaded one tick later */
    assert_int_equal(rd(2500, SP805_VALUE), 51);
    /* without RESEN nothing more happens: no deadline, the interrupt stays */
    assert_int_equal(deadline, SP805_NEVER);
    assert_false(sp805_expire(&w, 100000));
    assert_true(level);
    /* MIS follows INTEN, RIS does not */
    wr(100000, SP805_CONTROL, 0);
    assert_int_equal(rd(100000, SP805_RIS), 1);
    assert_int_equal(rd(100000, SP805_MIS), 0);
    assert_false(level);
    wr(100000, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_true(level);
    /* WDOGINTCLR: interrupt cleared, counter reloaded */
    wr(100500, SP805_INTCLR, 0);
    assert_false(level);
    assert_int_equal(rd(100500, SP805_RIS), 0);
    assert_int_equal(rd(100500, SP805_VALUE), 100);
    assert_int_equal(deadline, 101500);
}

static void test_reset_output(void **state)
{
    (void)state;
    wr(1000, SP805_LOAD, 100);
    wr(1000, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_false(sp805_expire(&w, 2000)); /* first zero: the interrupt */
    assert_true(level);
    assert_int_equal(deadline, 3010);     /* second zero: tick 201 */
    assert_false(sp805_expire(&w, 3009));
    assert_true(sp805_expire(&w, 3010));  /* interrupt still set: reset */
    assert_false(sp805_expire(&w, 3010)); /* reported once */
    assert_int_equal(deadline, SP805_NEVER);
    /* an access after the reset time reports it if nobody did: a fresh device */
    sp805_reset(&w);
    assert_false(level);
    wr(0, SP805_LOAD, 100);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_true(wr_reset(5000, SP805_INTCLR, 1)); /* too late: the reset came first */
}

/* A paused VM's watchdog stands still: no deadline, no reset however long the pause, and it
 * counts on from where it stood after the resume. */
static void test_pause_freezes(void **state)
{
    (void)state;
    wr(1000, SP805_LOAD, 100);
    wr(1000, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_int_equal(deadline, 2000);      /* first zero: tick 100 */
    sp805_pause(&w, 1500);
    assert_int_equal(deadline, SP805_NEVER);
    assert_false(sp805_expire(&w, 100000)); /* long past both zeros: nothing while paused */
    assert_false(level);
    sp805_pause(&w, 200000);               /* idempotent: the first pause time counts */
    sp805_resume(&w, 200500);
    assert_int_equal(rd(200500, SP805_VALUE), 50); /* 50 of 100 ticks were left at the pause */
    assert_int_equal(deadline, 201000);    /* 2000 + the 199,000 paused */
    assert_false(sp805_expire(&w, 201000));
    assert_true(level);
    assert_false(sp805_expire(&w, 202009));
    assert_true(sp805_expire(&w, 202010)); /* the reset (3010), also shifted */
    sp805_resume(&w, 300000);              /* not paused: nothing moves */
}

static void test_feeding_prevents_reset(void **state)
{
    (void)state;
    wr(0, SP805_LOAD, 100);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    for (uint64_t now = 900; now < 1000000; now += 900) {
        assert_false(sp805_expire(&w, now));
        wr(now, SP805_INTCLR, 1);
        assert_int_equal(deadline, now + 1000);
    }
    assert_int_equal(level_calls, 0);
    /* fed after the interrupt (but before the second zero): no reset either */
    uint64_t t = 2000000;
    sp805_reset(&w);
    wr(t, SP805_LOAD, 100);
    wr(t, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_false(sp805_expire(&w, t + 1000));
    assert_true(level);
    wr(t + 1500, SP805_INTCLR, 1);
    assert_false(level);
    assert_false(sp805_expire(&w, t + 2400));
    assert_int_equal(deadline, t + 2500);
}

static void test_resen_later(void **state)
{
    (void)state;
    wr(0, SP805_LOAD, 100);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_false(sp805_expire(&w, 1000));
    assert_true(level);
    /* zeros at 2010, 3020 pass without RESEN; set at 3500, the next zero (4030) resets */
    assert_false(sp805_expire(&w, 3500));
    wr(3500, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_int_equal(deadline, 4030);
    assert_false(sp805_expire(&w, 4029));
    assert_true(sp805_expire(&w, 4030));
    /* RESEN cleared before the second zero: none */
    sp805_reset(&w);
    wr(0, SP805_LOAD, 100);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_false(sp805_expire(&w, 1000));
    wr(1500, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_int_equal(deadline, SP805_NEVER);
    assert_false(sp805_expire(&w, 50000));
}

static void test_load_zero(void **state)
{
    (void)state;
    /* "If 0 is written then an interrupt is generated immediately" */
    wr(500, SP805_LOAD, 0);
    wr(500, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_true(level);
    assert_int_equal(rd(500, SP805_RIS), 1);
    assert_int_equal(deadline, 510); /* and the reset one tick later */
    assert_false(sp805_expire(&w, 509));
    assert_true(sp805_expire(&w, 510));
}

static void test_lock(void **state)
{
    (void)state;
    wr(0, SP805_LOCK, 1);
    assert_int_equal(rd(0, SP805_LOCK), 1);
    wr(0, SP805_LOAD, 100);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    wr(0, SP805_ITCR, 1);
    assert_int_equal(rd(0, SP805_LOAD), 0xFFFFFFFF);
    assert_int_equal(rd(0, SP805_CONTROL), 0);
    assert_int_equal(rd(0, SP805_ITCR), 0);
    wr(0, SP805_LOCK, SP805_UNLOCK_KEY);
    assert_int_equal(rd(0, SP805_LOCK), 0);
    wr(0, SP805_LOAD, 100);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_int_equal(rd(0, SP805_LOAD), 100);
    /* locked again (any value but the key): WDOGINTCLR is ignored too */
    wr(0, SP805_LOCK, SP805_UNLOCK_KEY + 1);
    assert_int_equal(rd(0, SP805_LOCK), 1);
    assert_false(sp805_expire(&w, 1000));
    assert_true(level);
    wr(1000, SP805_INTCLR, 1);
    assert_true(level);
    assert_int_equal(rd(1000, SP805_RIS), 1);
}

static void test_integration_mode(void **state)
{
    (void)state;
    wr(0, SP805_ITCR, 1);
    assert_int_equal(rd(0, SP805_ITCR), 1);
    wr(0, SP805_ITOP, SP805_ITOP_INT);
    assert_true(level);
    wr(0, SP805_ITOP, 0);
    assert_false(level);
    assert_true(wr_reset(0, SP805_ITOP, SP805_ITOP_RES));
    assert_false(wr_reset(0, SP805_ITOP, SP805_ITOP_RES)); /* once */
    /* back to normal mode: the counter drives the outputs again */
    sp805_reset(&w);
    wr(0, SP805_ITCR, 1);
    wr(0, SP805_LOAD, 100);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_int_equal(deadline, SP805_NEVER); /* outputs do not follow the counter */
    assert_false(sp805_expire(&w, 1000));
    assert_false(level);
    assert_int_equal(rd(1000, SP805_RIS), 1); /* but it counts */
    wr(1000, SP805_ITCR, 0);
    assert_true(level);
}

static void test_sp805_reset(void **state)
{
    (void)state;
    wr(0, SP805_LOAD, 100);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    wr(0, SP805_LOCK, 0);
    assert_false(sp805_expire(&w, 1000));
    assert_true(sp805_expire(&w, 2010));
    sp805_reset(&w);
    assert_false(level);
    assert_int_equal(deadline, SP805_NEVER);
    assert_int_equal(rd(5000, SP805_LOAD), 0xFFFFFFFF);
    assert_int_equal(rd(5000, SP805_VALUE), 0xFFFFFFFF);
    assert_int_equal(rd(5000, SP805_CONTROL), 0);
    assert_int_equal(rd(5000, SP805_RIS), 0);
    assert_int_equal(rd(5000, SP805_LOCK), 0);
    /* and it can fire again */
    wr(5000, SP805_LOAD, 1);
    wr(5000, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_false(sp805_expire(&w, 5010));
    assert_true(sp805_expire(&w, 5030));
}

/* QEMU virt's counter (62.5 MHz) against a 1 MHz WDOGCLK: 62.5 counts a tick, exactly. */
static void test_real_rates(void **state)
{
    (void)state;
    init(62500000, 1000000);
    wr(0, SP805_LOAD, 999999); /* Linux: rate / 2 * 2 s - 1 */
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_int_equal(rd(62, SP805_VALUE), 999999);
    assert_int_equal(rd(63, SP805_VALUE), 999998);
    assert_int_equal(rd(124, SP805_VALUE), 999998);
    assert_int_equal(rd(125, SP805_VALUE), 999997);
    assert_int_equal(rd(62500, SP805_VALUE), 998999);
    assert_int_equal(deadline, 62499938); /* ceil(999999 * 62.5) */
    assert_false(sp805_expire(&w, 62499938));
    assert_int_equal(deadline, 124999938); /* tick 2 LOAD + 1 = 1999999: 2 s */
    assert_true(sp805_expire(&w, 124999938));
}

/* Extreme LOAD, rates and times: everything saturates, nothing wraps. */
static void test_extremes(void **state)
{
    (void)state;
    init(0xFFFFFFFFu, 1);
    wr(0, SP805_LOAD, 0xFFFFFFFF);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    /* (2^32 - 1)^2 counts: still representable */
    assert_int_equal(deadline, UINT64_C(0xFFFFFFFE00000001));
    assert_int_equal(rd(UINT64_C(0xFFFFFFFF), SP805_VALUE), 0xFFFFFFFE);
    assert_false(sp805_expire(&w, UINT64_C(0xFFFFFFFE00000001)));
    assert_true(level);
    /* the second zero is beyond 2^64 counts: never */
    assert_int_equal(deadline, SP805_NEVER);
    assert_false(sp805_expire(&w, UINT64_MAX - 1));
    uint32_t v = rd(UINT64_MAX - 1, SP805_VALUE);
    assert_true(v <= 0xFFFFFFFFu);

    /* counting started near the end of the count: the deadline saturates */
    init(1000, 100);
    wr(UINT64_MAX - 5, SP805_LOAD, 100);
    wr(UINT64_MAX - 5, SP805_CONTROL, SP805_CTRL_INTEN | SP805_CTRL_RESEN);
    assert_int_equal(deadline, SP805_NEVER);
    assert_int_equal(rd(UINT64_MAX - 1, SP805_VALUE), 100);

    /* a clock rate of 0 (broken platform) counts as 1 Hz, never divides by zero */
    init(0, 0);
    wr(0, SP805_LOAD, 2);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_int_equal(deadline, 2);
    assert_int_equal(rd(1, SP805_VALUE), 1);

    /* WDOGCLK faster than the count: several ticks per count */
    init(1000, 1000000);
    wr(0, SP805_LOAD, 0xFFFFFFFF);
    wr(0, SP805_CONTROL, SP805_CTRL_INTEN);
    assert_int_equal(rd(1, SP805_VALUE), 0xFFFFFFFF - 1000);
    assert_int_equal(deadline, 4294968); /* ceil((2^32 - 1) / 1000) */
    /* a time too long ago for the ticks to fit: saturated, the value stays in range */
    assert_false(sp805_expire(&w, UINT64_MAX));
    assert_true(level);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ids, setup),
        cmocka_unit_test_setup(test_reset_values, setup),
        cmocka_unit_test_setup(test_widths, setup),
        cmocka_unit_test_setup(test_counting, setup),
        cmocka_unit_test_setup(test_interrupt_and_reload, setup),
        cmocka_unit_test_setup(test_reset_output, setup),
        cmocka_unit_test_setup(test_pause_freezes, setup),
        cmocka_unit_test_setup(test_feeding_prevents_reset, setup),
        cmocka_unit_test_setup(test_resen_later, setup),
        cmocka_unit_test_setup(test_load_zero, setup),
        cmocka_unit_test_setup(test_lock, setup),
        cmocka_unit_test_setup(test_integration_mode, setup),
        cmocka_unit_test_setup(test_sp805_reset, setup),
        cmocka_unit_test_setup(test_real_rates, setup),
        cmocka_unit_test_setup(test_extremes, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
