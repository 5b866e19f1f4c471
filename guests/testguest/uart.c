// SPDX-License-Identifier: MIT
/*
 * Polled PL011 transmit. No initialisation is written to the device: the loader (QEMU or
 * Bulkhead) leaves it usable, and a guest must not depend on baud-rate programming that an
 * emulated UART ignores.
 */
#include "mmio.h"
#include "uart.h"

static uintptr_t uart_pa;

void uart_init(uintptr_t base)
{
    uart_pa = base;
}

uintptr_t uart_base(void)
{
    return uart_pa;
}

uint32_t uart_read_reg(uint32_t off)
{
    return mmio_read32(uart_pa + off);
}

static void uart_putc(char c)
{
    /*
     * A draining FIFO signals no event, so the wait relies on the timer event stream
     * (timer_event_stream_init()) to wake WFE; QEMU and trapping hypervisors treat WFE as
     * a yield anyway, which is what keeps -icount round-robin moving.
     */
    while (mmio_read32(uart_pa + UART_FR) & UART_FR_TXFF) {
        wfe();
    }
    mmio_write32(uart_pa + UART_DR, (uint8_t)c);
}

void uart_puts(const char *s)
{
    if (!uart_pa) {
        return;
    }
    for (; *s; s++) {
        if (*s == '\n') {
            uart_putc('\r');
        }
        uart_putc(*s);
    }
}
