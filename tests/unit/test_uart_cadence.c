// SPDX-License-Identifier: MIT
/*
 * Unit tests for drivers/uart_cadence.c against a register block in host memory (a register
 * keeps what was last written; the test sets the status it wants the driver to see): the
 * enable at init keeps the firmware's other control bits, a transmit FIFO that never drains
 * costs a bounded wait and the byte (never a hang), and the receive events are acked once the
 * FIFO is seen empty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <drivers/uart_cadence.h>

/* Offsets and bits of UG1085's UART register reference, as the test's own constants. */
#define CR 0x00
#define IER 0x08
#define IDR 0x0c
#define ISR 0x14
#define RXWM 0x20
#define SR 0x2c
#define FIFO 0x30
#define SR_RXEMPTY (1u << 1)
#define SR_TXFULL (1u << 4)

static uint32_t regs[0x1000 / 4];

static uint32_t *reg(uint32_t off)
{
    return &regs[off / 4];
}

static int setup(void **state)
{
    (void)state;
    memset(regs, 0, sizeof(regs));
    *reg(CR) = 0x128; /* reset value: RXDIS | TXDIS | STOPBRK */
    *reg(SR) = SR_RXEMPTY;
    cadence_init((uint64_t)(uintptr_t)regs);
    return 0;
}

static void test_init_enables_rx_tx(void **state)
{
    (void)state;
    /* TXEN | RXEN set, TXDIS | RXDIS cleared, STOPBRK kept */
    assert_int_equal(*reg(CR), 0x100 | 0x10 | 0x04);
}

static void test_putc(void **state)
{
    (void)state;
    cadence_putc('x');
    assert_int_equal(*reg(FIFO), 'x');
}

/* A FIFO that stays full: putc gives up (drops the byte) instead of spinning for ever. */
static void test_putc_full_fifo_is_bounded(void **state)
{
    (void)state;
    *reg(FIFO) = 0;
    *reg(SR) = SR_TXFULL | SR_RXEMPTY;
    cadence_putc('y');
    assert_int_equal(*reg(FIFO), 0);
}

static void test_getc(void **state)
{
    (void)state;
    *reg(SR) = 0; /* a byte waits */
    *reg(FIFO) = 0x1a5;
    assert_int_equal(cadence_getc(), 0xa5);
    assert_int_equal(*reg(ISR), 0); /* not acked while bytes are there */
    *reg(SR) = SR_RXEMPTY;
    assert_int_equal(cadence_getc(), -1);
    assert_int_equal(*reg(ISR), (1u << 0) | (1u << 8)); /* RTRIG | TIMEOUT acked */
}

static void test_rx_irq(void **state)
{
    (void)state;
    cadence_enable_rx_irq();
    assert_int_equal(*reg(RXWM), 1);
    assert_int_equal(*reg(IER), 1u << 0);
    cadence_set_rx_irq(false);
    assert_int_equal(*reg(IDR), 1u << 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_enables_rx_tx, setup),
        cmocka_unit_test_setup(test_putc, setup),
        cmocka_unit_test_setup(test_putc_full_fifo_is_bounded, setup),
        cmocka_unit_test_setup(test_getc, setup),
        cmocka_unit_test_setup(test_rx_irq, setup),
    };
    return cmocka_run_group_tests_name("uart_cadence", tests, NULL, NULL);
}
