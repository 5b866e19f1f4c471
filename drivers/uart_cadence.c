// SPDX-License-Identifier: MIT
/*
 * Physical Cadence UART console driver (Zynq UltraScale+ TRM UG1085, UART chapter and the
 * UART register reference; QEMU's model is hw/char/cadence_uart.c). The line setup (baud
 * generator, mode) is left as the firmware made it; only the transmitter and receiver are
 * enabled, which out of reset (QEMU's direct kernel boot, no firmware) they are not.
 */
#include <arch/sysreg.h>
#include <drivers/uart_cadence.h>

#define CDNS_CR     0x00 /* control */
#define CDNS_IER    0x08 /* interrupt enable (write 1 to unmask) */
#define CDNS_IDR    0x0c /* interrupt disable (write 1 to mask) */
#define CDNS_ISR    0x14 /* channel interrupt status (sticky, write 1 to clear) */
#define CDNS_RXWM   0x20 /* receive FIFO trigger level */
#define CDNS_SR     0x2c /* channel status */
#define CDNS_FIFO   0x30 /* transmit and receive FIFO */

#define CDNS_CR_RXEN  BIT(2)
#define CDNS_CR_RXDIS BIT(3)
#define CDNS_CR_TXEN  BIT(4)
#define CDNS_CR_TXDIS BIT(5)
#define CDNS_SR_RXEMPTY BIT(1)
#define CDNS_SR_TXFULL  BIT(4)
#define CDNS_INT_RTRIG   BIT(0) /* the receive FIFO reached the trigger level */
#define CDNS_INT_TIMEOUT BIT(8) /* receiver timeout */
#define CDNS_RX_INTS     (CDNS_INT_RTRIG | CDNS_INT_TIMEOUT)
/* Polls of a full transmit FIFO before a byte is dropped: far longer than one character
 * takes at 9600 baud (~1 ms), and bounded, so a wedged UART never hangs the hypervisor. */
#define CDNS_TX_POLLS 1000000

static uint64_t uart_base;

static uint32_t rd(uint32_t off)
{
    return *(volatile uint32_t *)(uart_base + off);
}

static void wr(uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(uart_base + off) = v;
}

void cadence_init(uint64_t base)
{
    uart_base = base;
    if (uart_base) {
        uint32_t cr = rd(CDNS_CR) & ~(uint32_t)(CDNS_CR_RXDIS | CDNS_CR_TXDIS);
        wr(CDNS_CR, cr | CDNS_CR_RXEN | CDNS_CR_TXEN);
    }
}

void cadence_putc(char c)
{
    if (!uart_base) {
        return;
    }
    for (unsigned i = 0; rd(CDNS_SR) & CDNS_SR_TXFULL; i++) {
        if (i == CDNS_TX_POLLS) {
            return;
        }
    }
    wr(CDNS_FIFO, (uint8_t)c);
}

/*
 * The receive events are sticky: acked once the FIFO is seen empty, and the FIFO looked at
 * again after the ack, so a byte that arrived in between is read now rather than waiting,
 * unannounced, for the next one.
 */
int cadence_getc(void)
{
    if (!uart_base) {
        return -1;
    }
    if (rd(CDNS_SR) & CDNS_SR_RXEMPTY) {
        wr(CDNS_ISR, CDNS_RX_INTS);
        if (rd(CDNS_SR) & CDNS_SR_RXEMPTY) {
            return -1;
        }
    }
    return (int)(rd(CDNS_FIFO) & 0xff);
}

void cadence_enable_rx_irq(void)
{
    if (uart_base) {
        wr(CDNS_RXWM, 1); /* one byte is enough: console input is typed */
        wr(CDNS_ISR, CDNS_RX_INTS);
        wr(CDNS_IER, CDNS_INT_RTRIG);
    }
}

void cadence_set_rx_irq(bool on)
{
    if (uart_base) {
        wr(on ? CDNS_IER : CDNS_IDR, CDNS_INT_RTRIG);
    }
}
