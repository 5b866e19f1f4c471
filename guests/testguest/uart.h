/* SPDX-License-Identifier: MIT */
/* Polled PL011 output (PrimeCell UART PL011 TRM, DDI 0183) and its ID registers. */
#pragma once

#include <stdint.h>

#include "sysreg.h"

#define UART_DR    0x000
#define UART_FR    0x018
#define UART_CR    0x030
#define UART_PERIPHID0 0xfe0 /* four registers, 4 bytes apart, one ID byte each */
#define UART_PCELLID0  0xff0
#define UART_ID_REG_COUNT 4
#define UART_ID_REG_STRIDE 4
#define UART_ID_BYTE  0xff

#define UART_FR_BUSY BIT(3)
#define UART_FR_TXFF BIT(5)
#define UART_FR_RESERVED GENMASK(31, 9)
#define UART_CR_UARTEN BIT(0)
#define UART_CR_TXE    BIT(8)

/* Use the PL011 at base for output; before this call output is dropped. */
void uart_init(uintptr_t base);

/* Base address given to uart_init(), 0 if none. */
uintptr_t uart_base(void);

/* Write s, turning "\n" into "\r\n". Caller serialises (report.c holds the console lock). */
void uart_puts(const char *s);

/* 32-bit read of a PL011 register at offset off. */
uint32_t uart_read_reg(uint32_t off);
