// SPDX-License-Identifier: MIT
/* Physical PL011 console driver (ARM DDI 0183 chapter 3). QEMU's model needs no baud set-up;
 * the firmware-configured state is kept. */
#include <drivers/uart_pl011.h>

#define UART_DR    0x000
#define UART_FR    0x018
#define UART_IMSC  0x038
#define UART_ICR   0x044
#define UART_FR_TXFF (1u << 5)
#define UART_FR_RXFE (1u << 4)
#define UART_INT_RX  (1u << 4)
#define UART_INT_RT  (1u << 6)

static uint64_t uart_base;

void pl011_init(uint64_t base)
{
    uart_base = base;
}

void pl011_putc(char c)
{
    volatile uint32_t *fr = (volatile uint32_t *)(uart_base + UART_FR);

    if (!uart_base) {
        return;
    }
    while (*fr & UART_FR_TXFF) {
    }
    *(volatile uint32_t *)(uart_base + UART_DR) = (uint8_t)c;
}

int pl011_getc(void)
{
    if (!uart_base || (*(volatile uint32_t *)(uart_base + UART_FR) & UART_FR_RXFE)) {
        return -1;
    }
    return (int)(*(volatile uint32_t *)(uart_base + UART_DR) & 0xff);
}

void pl011_enable_rx_irq(void)
{
    *(volatile uint32_t *)(uart_base + UART_ICR) = UART_INT_RX | UART_INT_RT;
    *(volatile uint32_t *)(uart_base + UART_IMSC) = UART_INT_RX | UART_INT_RT;
}

void pl011_set_rx_irq(bool on)
{
    if (uart_base) {
        *(volatile uint32_t *)(uart_base + UART_IMSC) = on ? UART_INT_RX | UART_INT_RT : 0;
    }
}
