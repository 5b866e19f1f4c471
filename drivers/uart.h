/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console's physical UART: one driver per programming model (uart_pl011.c,
 * uart_cadence.c), chosen at boot from the device tree's compatible (platinfo uart_kind) or,
 * when the tree names none, the platform's default (platform/<board>/platform.mk).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <core/platinfo.h>

struct uart_ops {
    void (*init)(uint64_t base);  /* make the UART transmit and receive; keep its line setup */
    void (*putc)(char c);         /* polled; a full FIFO is waited for a bounded time */
    int (*getc)(void);            /* the next received byte, or -1 (then its event is acked) */
    void (*enable_rx_irq)(void);  /* interrupt on received bytes */
    void (*set_rx_irq)(bool on);  /* mask (false) or unmask the receive interrupt */
};

/* The console's driver, once uart_select has run (NULL before). */
extern const struct uart_ops *uart_console;

/*
 * Pick and initialise the driver for a UART of model kind at base (physical; the caller maps
 * it or runs with the MMU off). kind NONE or base 0: the platform's default UART
 * (PLAT_UART_KIND at PLAT_UART_BASE). Returns the driver, also left in uart_console.
 */
const struct uart_ops *uart_select(enum platinfo_uart kind, uint64_t base);
