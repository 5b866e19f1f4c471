/* SPDX-License-Identifier: MIT */
/*
 * The physical console on a Cadence UART ("cdns,uart-r1p12", Xilinx ZynqMP UART0/1: Zynq
 * UltraScale+ TRM UG1085 chapter 21 and its register reference), owned by the hypervisor:
 * polled output, input read from its receive interrupt. The same contract as uart_pl011.h.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Enable the transmitter and receiver; the line setup (baud, framing) is the firmware's. */
void cadence_init(uint64_t base);
/* Write c, waiting a bounded time for room in the transmit FIFO (dropped if none comes). */
void cadence_putc(char c);
/* Returns the next received byte, or -1 when the FIFO is empty (its events then acked). */
int cadence_getc(void);
/* Interrupt when the receive FIFO holds a byte. */
void cadence_enable_rx_irq(void);
/* Mask (false) or unmask the receive interrupt; received bytes wait in the FIFO. */
void cadence_set_rx_irq(bool on);
