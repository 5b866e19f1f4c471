// SPDX-License-Identifier: MIT
/*
 * Console UART selection: the driver of the model the device tree names, or the board's
 * default UART when the tree names none we drive (so that even an early failure has a line
 * to print on, docs/PORTING.md "Early failure lines").
 */
#include <drivers/uart.h>
#include <drivers/uart_cadence.h>
#include <drivers/uart_pl011.h>

#ifndef PLAT_UART_KIND
#error "platform.mk must define PLAT_UART_KIND and PLAT_UART_BASE"
#endif

static const struct uart_ops uart_pl011 = {
    .init = pl011_init,
    .putc = pl011_putc,
    .getc = pl011_getc,
    .enable_rx_irq = pl011_enable_rx_irq,
    .set_rx_irq = pl011_set_rx_irq,
};

static const struct uart_ops uart_cadence = {
    .init = cadence_init,
    .putc = cadence_putc,
    .getc = cadence_getc,
    .enable_rx_irq = cadence_enable_rx_irq,
    .set_rx_irq = cadence_set_rx_irq,
};

const struct uart_ops *uart_console;

const struct uart_ops *uart_select(enum platinfo_uart kind, uint64_t base)
{
    if (kind == PLATINFO_UART_NONE || base == 0) {
        kind = PLAT_UART_KIND;
        base = PLAT_UART_BASE;
    }
    uart_console = kind == PLATINFO_UART_CADENCE ? &uart_cadence : &uart_pl011;
    uart_console->init(base);
    return uart_console;
}
