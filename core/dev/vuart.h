/* SPDX-License-Identifier: MIT */
/*
 * The PL011 UART each VM sees at 0x09000000 (SPI 33): an emulation of the ARM PrimeCell UART
 * (PL011) r1p5, ARM DDI 0183G, close enough that Linux's amba-pl011 driver runs it in
 * interrupt mode and bare-metal code can poll it. Transmission is instantaneous (each byte
 * written to UARTDR goes straight to the tx hook), so the transmit FIFO is always empty.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/spinlock.h>
#include <bulkhead/errno.h>

/* Bits of the 32-bit PL011 registers (BIT() of <arch/sysreg.h> is 64-bit and arch-private). */
#define VUART_BIT(n) (UINT32_C(1) << (n))

/* Size of the register frame the guest sees. */
#define VUART_FRAME_SIZE 0x1000u

/* Register offsets (DDI 0183G table 3-1). */
#define VUART_DR        0x000u /* data */
#define VUART_RSR       0x004u /* receive status (read) / error clear (write, ECR) */
#define VUART_FR        0x018u /* flags, read-only */
#define VUART_ILPR      0x020u /* IrDA low-power counter */
#define VUART_IBRD      0x024u /* integer baud rate divisor */
#define VUART_FBRD      0x028u /* fractional baud rate divisor */
#define VUART_LCR_H     0x02Cu /* line control */
#define VUART_CR        0x030u /* control */
#define VUART_IFLS      0x034u /* interrupt FIFO level select */
#define VUART_IMSC      0x038u /* interrupt mask set/clear (1 = enabled) */
#define VUART_RIS       0x03Cu /* raw interrupt status, read-only */
#define VUART_MIS       0x040u /* masked interrupt status, read-only */
#define VUART_ICR       0x044u /* interrupt clear, write-only (write 1 to clear) */
#define VUART_DMACR     0x048u /* DMA control */
#define VUART_PERIPHID0 0xFE0u /* PeriphID0..3 then PCellID0..3, one byte per word */
#define VUART_PCELLID0  0xFF0u

/* UARTDR: data bits and the receive error bits (always 0 here: no line errors). */
#define VUART_DR_DATA 0xFFu
#define VUART_DR_FE   VUART_BIT(8)
#define VUART_DR_PE   VUART_BIT(9)
#define VUART_DR_BE   VUART_BIT(10)
#define VUART_DR_OE   VUART_BIT(11)

/* UARTFR */
#define VUART_FR_CTS  VUART_BIT(0)
#define VUART_FR_DSR  VUART_BIT(1)
#define VUART_FR_DCD  VUART_BIT(2)
#define VUART_FR_BUSY VUART_BIT(3)
#define VUART_FR_RXFE VUART_BIT(4)
#define VUART_FR_TXFF VUART_BIT(5)
#define VUART_FR_RXFF VUART_BIT(6)
#define VUART_FR_TXFE VUART_BIT(7)
#define VUART_FR_RI   VUART_BIT(8)

/* UARTLCR_H */
#define VUART_LCR_H_BRK  VUART_BIT(0)
#define VUART_LCR_H_FEN  VUART_BIT(4)
#define VUART_LCR_H_MASK 0xFFu

/* UARTCR (bits 6:3 are reserved) */
#define VUART_CR_UARTEN VUART_BIT(0)
#define VUART_CR_LBE    VUART_BIT(7)
#define VUART_CR_TXE    VUART_BIT(8)
#define VUART_CR_RXE    VUART_BIT(9)
#define VUART_CR_MASK   0xFF87u
#define VUART_CR_RESET  (VUART_CR_TXE | VUART_CR_RXE)

/* UARTIFLS: RXIFLSEL in bits 5:3, TXIFLSEL in bits 2:0; reset = both 1/2 full. */
#define VUART_IFLS_RX_SHIFT 3
#define VUART_IFLS_SEL_MASK 0x7u
#define VUART_IFLS_MASK     0x3Fu
#define VUART_IFLS_RESET    0x12u

/* Interrupt bits, shared by UARTIMSC, UARTRIS, UARTMIS and UARTICR. */
#define VUART_INT_RI   VUART_BIT(0)
#define VUART_INT_CTS  VUART_BIT(1)
#define VUART_INT_DCD  VUART_BIT(2)
#define VUART_INT_DSR  VUART_BIT(3)
#define VUART_INT_RX   VUART_BIT(4)
#define VUART_INT_TX   VUART_BIT(5)
#define VUART_INT_RT   VUART_BIT(6)
#define VUART_INT_FE   VUART_BIT(7)
#define VUART_INT_PE   VUART_BIT(8)
#define VUART_INT_BE   VUART_BIT(9)
#define VUART_INT_OE   VUART_BIT(10)
#define VUART_INT_MASK 0x7FFu

#define VUART_ILPR_MASK  0xFFu
#define VUART_IBRD_MASK  0xFFFFu
#define VUART_FBRD_MASK  0x3Fu
#define VUART_DMACR_MASK 0x7u

/* Receive FIFO depth with LCR_H.FEN set; without it the FIFO is a 1-byte holding register. */
#define VUART_FIFO_DEPTH 32u

struct vuart_hooks {
    /* A byte the guest wrote to UARTDR. Required. */
    void (*tx)(void *ctx, char c);
    /*
     * New level of the UART interrupt line (UARTINTR = (RIS & IMSC) != 0); the caller drives
     * the VM's virtual SPI 33 with it. Called only when the level changes. Required.
     */
    void (*set_irq)(void *ctx, bool level);
    /*
     * Optional (may be NULL): the guest touched a reserved offset or wrote a read-only
     * register (a possible guest bug). The access was ignored; the caller may log it with
     * its per-VM rate limit. off is the byte offset of the register word in the frame.
     */
    void (*notice)(void *ctx, uint32_t off, bool write);
    /*
     * Optional (may be NULL): move up to max waiting input bytes into buf and return how
     * many (the console's input queue, console_vm_input_pull). Called with u->lock held
     * whenever the receive FIFO has room and more input may be waiting: on vuart_rx_refill
     * and after the guest read a byte. Lock order: vuart -> console.
     */
    size_t (*rx_pull)(void *ctx, uint8_t *buf, size_t max);
    void *ctx; /* passed to every hook */
};

struct vuart_stats {
    uint64_t tx_count;     /* bytes the guest transmitted */
    uint64_t rx_count;     /* bytes accepted into the receive FIFO */
    uint64_t rx_dropped;   /* bytes refused by vuart_rx_push (FIFO full) or lost on FEN clear */
    uint64_t notice_count; /* reserved-offset accesses and writes to read-only registers */
};

/* Per-VM device state. Fields are private to vuart.c; read statistics with vuart_get_stats. */
struct vuart {
    struct spinlock lock;
    struct vuart_hooks hooks;
    /* Stored registers, indexed by word offset (UARTDR..UARTDMACR). */
    uint32_t regs[(VUART_DMACR >> 2) + 1];
    uint32_t ris; /* raw interrupt status */
    uint8_t rx_fifo[VUART_FIFO_DEPTH];
    uint8_t rx_head;   /* index of the oldest byte */
    uint8_t rx_count;  /* bytes in the FIFO */
    bool irq_level;    /* last level reported through set_irq */
    bool rx_more;      /* rx_pull may have more: pull again when the guest reads */
    uint32_t fr;       /* UARTFR as the last locked change left it: read without the lock */
    struct vuart_stats stats;
};

/*
 * Initialise u with a copy of *hooks (tx and set_irq required) and the reset state; zeroes
 * the statistics. The interrupt line starts low and set_irq is not called.
 */
void vuart_init(struct vuart *u, const struct vuart_hooks *hooks);

/*
 * Put the device in its reset state (all registers at their DDI 0183 reset values, FIFO
 * empty). Calls set_irq(false) if the line was high. Statistics are kept. Takes u->lock.
 */
void vuart_reset(struct vuart *u);

/*
 * Emulate one guest access at byte offset off of the 4 KiB frame. size is 1, 2 or 4 and off
 * must be a multiple of size; sub-word accesses act on their byte lanes of the 32-bit
 * register (a sub-word read of UARTDR still pops the FIFO, as the APB bridge reads the whole
 * word). On a write *val holds the value (bits above size ignored); on a read *val receives
 * it zero-extended. Reserved offsets read as zero and ignore writes (notice hook, counted).
 * Takes u->lock; the hooks are called with it held and must not call back into this vuart
 * (lock order: vuart -> console, vuart -> vgic).
 * Returns 0, or -BH_EINVAL (nothing done) for a 64-bit, misaligned or out-of-frame access,
 * which the caller turns into an abort for the guest.
 */
int vuart_mmio(struct vuart *u, uint32_t off, unsigned size, bool write,
               uint64_t *val) BH_MUST_CHECK;

/*
 * Deliver one received byte to the guest. Returns 0, or -BH_EBUSY if the receive FIFO is
 * full (32 bytes with FEN, 1 without): the byte is refused and counted in rx_dropped, so a
 * caller that must not lose input checks vuart_rx_has_space first. May raise the interrupt
 * line. Takes u->lock.
 */
int vuart_rx_push(struct vuart *u, uint8_t c);

/*
 * Fill the receive FIFO from the rx_pull hook as far as it has room (input was queued for
 * this UART). Bytes are accepted like vuart_rx_push's, raising RXIS/RTIS and the line. Later
 * guest reads keep pulling until the hook runs dry. No-op without the hook. Takes u->lock.
 */
void vuart_rx_refill(struct vuart *u);

/* True if vuart_rx_push would accept a byte now. Takes u->lock. */
bool vuart_rx_has_space(struct vuart *u);

/* Copy the statistics into *out. Takes u->lock. */
void vuart_get_stats(struct vuart *u, struct vuart_stats *out);

/*
 * Name of the register (or reserved block) at byte offset off of the frame, for log lines
 * such as the caller's notice message; NULL if off is outside the frame.
 */
const char *vuart_reg_name(uint32_t off);

/*
 * True if the register map covers the frame exactly: rows sorted, no gaps, no overlaps,
 * stored registers word-sized with reset values inside their writable bits. Checked by the
 * unit test; cheap enough for a boot-time BH_CHECK.
 */
bool vuart_regmap_is_valid(void);
