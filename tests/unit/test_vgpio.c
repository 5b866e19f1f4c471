// SPDX-License-Identifier: MIT
/* The PL061 notification GPIOs (core/dev/vgpio.c): what Linux's gpio-pl061 driver and the GPIO
 * character device do with them, against ARM DDI 0190B. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <core/dev/vgpio.h>

static struct vgpio_bank bank;
static uint32_t last_intid;
static int level_calls;
static bool level[128];

static void set_level(void *ctx, uint32_t intid, bool l)
{
    assert_ptr_equal(ctx, &bank);
    assert_true(intid < 128);
    last_intid = intid;
    level[intid] = l;
    level_calls++;
}

static int setup(void **state)
{
    static const uint32_t intids[] = { 40, 41 };

    (void)state;
    level_calls = 0;
    memset(level, 0, sizeof(level));
    vgpio_init(&bank, intids, 2, set_level, &bank);
    return 0;
}

static uint64_t rd(unsigned idx, uint32_t off, unsigned size)
{
    uint64_t v = 0xdead;
    assert_int_equal(vgpio_mmio(&bank, idx, off, size, false, &v), 0);
    return v;
}

static void wr(unsigned idx, uint32_t off, unsigned size, uint64_t v)
{
    assert_int_equal(vgpio_mmio(&bank, idx, off, size, true, &v), 0);
}

static void test_ids(void **state)
{
    static const uint8_t ids[8] = { 0x61, 0x10, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };

    (void)state;
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(rd(0, VGPIO_PERIPHID0 + 4 * i, 4), ids[i]);
        assert_int_equal(rd(1, VGPIO_PERIPHID0 + 4 * i, 1), ids[i]);
    }
    assert_int_equal(rd(0, 0x800, 4), 0); /* reserved: RAZ */
    wr(0, 0x800, 4, 0xff);                 /* ... WI */
    assert_int_equal(rd(0, 0x800, 4), 0);
}

static void test_bad_access(void **state)
{
    uint64_t v = 0;

    (void)state;
    assert_int_equal(vgpio_mmio(&bank, 2, VGPIO_DIR, 4, false, &v), -BH_ERANGE); /* no such */
    assert_int_equal(vgpio_mmio(&bank, 0, VGPIO_DIR + 1, 1, false, &v), -BH_ERANGE);
    assert_int_equal(vgpio_mmio(&bank, 0, VGPIO_DIR, 2, false, &v), -BH_ERANGE);
    assert_int_equal(vgpio_mmio(&bank, 0, VGPIO_DIR, 8, false, &v), -BH_ERANGE);
    assert_int_equal(vgpio_mmio(&bank, 0, VGPIO_FRAME_SIZE, 4, false, &v), -BH_ERANGE);
}

/* What gpio-pl061 does for a rising-edge line request, then a notification and its ack. */
static void test_edge_notification(void **state)
{
    (void)state;
    wr(0, VGPIO_DIR, 1, 0x00);              /* direction_input */
    wr(0, VGPIO_IS, 1, 0x00);               /* edge */
    wr(0, VGPIO_IBE, 1, 0x00);
    wr(0, VGPIO_IEV, 1, 0x01);              /* rising */
    assert_false(level[40]);
    assert_true(vgpio_raise(&bank, 40));
    assert_int_equal(rd(0, VGPIO_RIS, 1), 1);
    assert_int_equal(rd(0, VGPIO_MIS, 1), 0); /* masked: output stays low */
    assert_false(level[40]);
    wr(0, VGPIO_IE, 1, 0x01);                 /* unmask: the pending event shows */
    assert_true(level[40]);
    assert_int_equal(last_intid, 40);
    assert_int_equal(rd(0, VGPIO_MIS, 1), 1);
    assert_false(level[41]);                  /* the other controller is untouched */
    wr(0, VGPIO_IC, 1, 0x01);                 /* irq_ack */
    assert_false(level[40]);
    assert_int_equal(rd(0, VGPIO_RIS, 1), 0);
    assert_true(vgpio_raise(&bank, 40));      /* the next one is seen again */
    assert_true(level[40]);
    assert_true(vgpio_raise(&bank, 40));      /* coalesces while pending */
    wr(0, VGPIO_IC, 4, 0x01);
    assert_false(level[40]);
    assert_false(vgpio_raise(&bank, 42));     /* not a notification of this VM */
}

static void test_data_and_direction(void **state)
{
    (void)state;
    assert_int_equal(rd(0, VGPIO_DATA + (0xff << 2), 4), 0);
    wr(0, VGPIO_DIR, 1, 0xf0);                         /* lines 4-7 outputs */
    wr(0, VGPIO_DATA + (0xff << 2), 1, 0xff);          /* only outputs take it */
    assert_int_equal(rd(0, VGPIO_DATA + (0xff << 2), 1), 0xf0);
    wr(0, VGPIO_DATA + (0x10 << 2), 1, 0x00);          /* masked write: line 4 only */
    assert_int_equal(rd(0, VGPIO_DATA + (0xff << 2), 1), 0xe0);
    assert_int_equal(rd(0, VGPIO_DATA + (0x20 << 2), 1), 0x20); /* masked read */
    wr(0, VGPIO_DIR, 1, 0x01);                         /* line 0 as output: no events */
    wr(0, VGPIO_IE, 1, 0x01);
    assert_true(vgpio_raise(&bank, 40));
    assert_int_equal(rd(0, VGPIO_RIS, 1), 0);
    assert_false(level[40]);
}

static void test_reset(void **state)
{
    (void)state;
    wr(1, VGPIO_IE, 1, 0x01);
    assert_true(vgpio_raise(&bank, 41));
    assert_true(level[41]);
    vgpio_reset(&bank);
    assert_false(level[41]);
    assert_int_equal(rd(1, VGPIO_IE, 1), 0);
    assert_int_equal(rd(1, VGPIO_RIS, 1), 0);
    assert_int_equal(bank.g[1].intid, 41);
}

/* The power button: gpio-keys asks for both edges (IBE) and reads the level in GPIODATA. */
static void test_input_both_edges(void **state)
{
    (void)state;
    wr(0, VGPIO_IBE, 1, 0x01);
    wr(0, VGPIO_IE, 1, 0x01);
    assert_int_equal(rd(0, VGPIO_DATA + (0x01 << 2), 1), 0);
    vgpio_set_input(&bank, 0, 0, true);                      /* pressed */
    assert_true(level[40]);
    assert_int_equal(rd(0, VGPIO_DATA + (0xff << 2), 1), 0x01);
    assert_int_equal(rd(0, VGPIO_DATA + (0x02 << 2), 1), 0x00); /* masked away */
    wr(0, VGPIO_IC, 1, 0x01);
    assert_false(level[40]);
    vgpio_set_input(&bank, 0, 0, true);                      /* no change: no edge */
    assert_false(level[40]);
    vgpio_set_input(&bank, 0, 0, false);                     /* released: the other edge */
    assert_true(level[40]);
    assert_int_equal(rd(0, VGPIO_DATA + (0x01 << 2), 1), 0);
    wr(0, VGPIO_IC, 1, 0x01);
    vgpio_set_input(&bank, 0, 9, true);                      /* no such line: ignored */
    vgpio_set_input(&bank, 5, 0, true);                      /* no such controller */
    assert_false(level[40]);
    assert_false(level[41]);
}

static void test_input_rising_only(void **state)
{
    (void)state;
    wr(0, VGPIO_IEV, 1, 0x01);
    wr(0, VGPIO_IE, 1, 0x01);
    vgpio_set_input(&bank, 0, 0, true);
    assert_true(level[40]);
    wr(0, VGPIO_IC, 1, 0x01);
    vgpio_set_input(&bank, 0, 0, false);                     /* falling: not selected */
    assert_false(level[40]);
    assert_int_equal(rd(0, VGPIO_RIS, 1), 0);
    wr(0, VGPIO_DIR, 1, 0x01);                               /* an output line: no events */
    vgpio_set_input(&bank, 0, 0, true);
    assert_false(level[40]);
}

/* Level-sensitive: asserted while the level matches GPIOIEV, whatever GPIOIC says. */
static void test_input_level(void **state)
{
    (void)state;
    wr(0, VGPIO_IS, 1, 0x01);
    wr(0, VGPIO_IEV, 1, 0x01);                               /* high level */
    wr(0, VGPIO_IE, 1, 0x01);
    assert_false(level[40]);
    vgpio_set_input(&bank, 0, 0, true);
    assert_true(level[40]);
    wr(0, VGPIO_IC, 1, 0x01);
    assert_true(level[40]);
    assert_int_equal(rd(0, VGPIO_MIS, 1), 1);
    wr(0, VGPIO_IEV, 1, 0x00);                               /* now low level: deasserts */
    assert_false(level[40]);
    vgpio_set_input(&bank, 0, 0, false);
    assert_true(level[40]);
    vgpio_reset(&bank);                                      /* released, registers reset */
    assert_false(level[40]);
    assert_int_equal(rd(0, VGPIO_DATA + (0xff << 2), 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ids, setup),
        cmocka_unit_test_setup(test_bad_access, setup),
        cmocka_unit_test_setup(test_edge_notification, setup),
        cmocka_unit_test_setup(test_data_and_direction, setup),
        cmocka_unit_test_setup(test_reset, setup),
        cmocka_unit_test_setup(test_input_both_edges, setup),
        cmocka_unit_test_setup(test_input_rising_only, setup),
        cmocka_unit_test_setup(test_input_level, setup),
    };
    return cmocka_run_group_tests_name("vgpio", tests, NULL, NULL);
}
