/* SPDX-License-Identifier: MIT */
/* The physical console PL011 (ARM DDI 0183), owned by the hypervisor: polled output, input
 * read from its receive interrupt. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

void pl011_init(uint64_t base);
void pl011_putc(char c);
/* Returns the next received byte, or -1 when the FIFO is empty. */
int pl011_getc(void);
/* Enable the receive (and receive-timeout) interrupt. */
void pl011_enable_rx_irq(void);
/* Mask (false) or unmask the receive interrupts; received bytes wait in the FIFO (and, once
 * it is full, in whatever feeds the line: a terminal, QEMU's character device). */
void pl011_set_rx_irq(bool on);
