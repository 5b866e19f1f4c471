// SPDX-License-Identifier: MIT
/*
 * Emulated PL011 UART (ARM DDI 0183G), one per VM. The register frame is described once, in
 * vuart_regs[]; accesses of any width are reduced to a 32-bit register access on byte lanes.
 *
 * Interrupt model (TX as in QEMU's pl011, RX as DDI 0183G describes it, without timing):
 *   TXIS  set by every write to UARTDR (the byte leaves at once, so the transmit FIFO drops
 *         to empty, below any trigger level) and when the transmitter is switched on
 *         (UARTEN and TXE both set); cleared only by UARTICR. Linux's interrupt handler never
 *         clears it: it masks TXIM when it has nothing left to send, which drops the line,
 *         so there is no storm.
 *   RXIS  set when the receive FIFO fills up to the IFLS trigger level (1 without FEN);
 *         cleared when reads take it below the level, or by UARTICR.
 *   RTIS  stands in for the receive timeout: set whenever a byte arrives or a read leaves
 *         bytes behind, cleared when the FIFO empties or by UARTICR. So data below the
 *         trigger level is always signalled, and a guest that clears RTIS without reading
 *         sees it again on its next read or the next input byte.
 * The line is (RIS & IMSC) != 0; set_irq is called only when it changes.
 *
 * Lock order: vuart.lock -> (hooks) console lock, vgic locks.
 */
#include <stddef.h>

#include <core/dev/vuart.h>
#include <lib/string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What a row of the register map does; see vuart_read_locked/vuart_write_locked. */
enum vuart_kind {
    VK_RESERVED, /* reads as zero, writes ignored, both reported through notice */
    VK_DR,
    VK_RSR,
    VK_FR,
    VK_STORED, /* plain read/write register, writable bits in wmask */
    VK_LCR_H,
    VK_CR,
    VK_IMSC,
    VK_RIS,
    VK_MIS,
    VK_ICR,
    VK_ID,
};

struct vuart_reg {
    uint16_t off;   /* first byte */
    uint16_t len;   /* bytes covered: 4 for a register, more for reserved and ID blocks */
    uint8_t kind;   /* enum vuart_kind */
    uint32_t reset; /* reset value of a stored register (wmask != 0) */
    uint32_t wmask; /* writable bits of a stored register, 0 if the row has no storage */
    const char *name;
};

#define REG(o, k, rst, wm, n) { .off = (o), .len = 4, .kind = (k), .reset = (rst), \
                                .wmask = (wm), .name = (n) }
#define BLOCK(o, l, k, n) { .off = (o), .len = (l), .kind = (k), .name = (n) }

/*
 * The whole 4 KiB frame, sorted and without gaps (vuart_regmap_is_valid() checks it; the
 * unit test calls it). UARTIFLS is a stored register: its value is read at each use.
 */
static const struct vuart_reg vuart_regs[] = {
    REG(VUART_DR, VK_DR, 0, 0, "DR"),
    REG(VUART_RSR, VK_RSR, 0, 0, "RSR/ECR"),
    BLOCK(0x008, 0x010, VK_RESERVED, "reserved"),
    REG(VUART_FR, VK_FR, 0, 0, "FR"),
    BLOCK(0x01C, 0x004, VK_RESERVED, "reserved"),
    REG(VUART_ILPR, VK_STORED, 0, VUART_ILPR_MASK, "ILPR"),
    REG(VUART_IBRD, VK_STORED, 0, VUART_IBRD_MASK, "IBRD"),
    REG(VUART_FBRD, VK_STORED, 0, VUART_FBRD_MASK, "FBRD"),
    REG(VUART_LCR_H, VK_LCR_H, 0, VUART_LCR_H_MASK, "LCR_H"),
    REG(VUART_CR, VK_CR, VUART_CR_RESET, VUART_CR_MASK, "CR"),
    REG(VUART_IFLS, VK_STORED, VUART_IFLS_RESET, VUART_IFLS_MASK, "IFLS"),
    REG(VUART_IMSC, VK_IMSC, 0, VUART_INT_MASK, "IMSC"),
    REG(VUART_RIS, VK_RIS, 0, 0, "RIS"),
    REG(VUART_MIS, VK_MIS, 0, 0, "MIS"),
    REG(VUART_ICR, VK_ICR, 0, 0, "ICR"),
    REG(VUART_DMACR, VK_STORED, 0, VUART_DMACR_MASK, "DMACR"),
    BLOCK(0x04C, 0x034, VK_RESERVED, "reserved"),
    /* ITCR, ITIP, ITOP, TDR: integration test registers, not emulated. */
    BLOCK(0x080, 0x010, VK_RESERVED, "test"),
    BLOCK(0x090, 0xF40, VK_RESERVED, "reserved"),
    BLOCK(0xFD0, 0x010, VK_RESERVED, "reserved"),
    BLOCK(VUART_PERIPHID0, 0x020, VK_ID, "ID"),
};

/* Offsets from DDI 0183G table 3-1; the map above and the stored-register array rely on them. */
_Static_assert(VUART_RSR == 0x004 && VUART_FR == 0x018 && VUART_LCR_H == 0x02C,
              "PL011 register offsets");
_Static_assert(VUART_ICR == 0x044 && VUART_DMACR == 0x048, "PL011 register offsets");
_Static_assert(VUART_PCELLID0 == VUART_PERIPHID0 + 0x10, "PrimeCell ID follows PeriphID");
_Static_assert(VUART_PCELLID0 + 0x10 == VUART_FRAME_SIZE, "ID block ends the frame");
_Static_assert(ARRAY_SIZE(((struct vuart *)0)->regs) == (VUART_DMACR >> 2) + 1,
              "one stored word per register up to UARTDMACR");
_Static_assert((VUART_FIFO_DEPTH & (VUART_FIFO_DEPTH - 1)) == 0 && VUART_FIFO_DEPTH <= 128,
              "FIFO index wraps by masking and fits uint8_t");

/*
 * PeriphID0..3 then PCellID0..3. PeriphID2 = 0x34 is revision 3 (r1p5): Linux uses a 32-byte
 * FIFO from revision 3 on (16 before), which matches VUART_FIFO_DEPTH.
 */
static const uint8_t vuart_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };

/* Receive trigger levels for RXIFLSEL 0..4 (1/8, 1/4, 1/2, 3/4, 7/8 of the 32-byte FIFO). */
static const uint8_t vuart_rx_levels[] = { 4, 8, 16, 24, 28 };

static const struct vuart_reg *vuart_reg_find(uint32_t off)
{
    for (size_t i = 0; i < ARRAY_SIZE(vuart_regs); i++) {
        const struct vuart_reg *r = &vuart_regs[i];
        if (off >= r->off && off < (uint32_t)r->off + r->len) {
            return r;
        }
    }
    return NULL;
}

const char *vuart_reg_name(uint32_t off)
{
    const struct vuart_reg *r = vuart_reg_find(off);

    return r != NULL ? r->name : NULL;
}

bool vuart_regmap_is_valid(void)
{
    uint32_t next = 0;

    for (size_t i = 0; i < ARRAY_SIZE(vuart_regs); i++) {
        const struct vuart_reg *r = &vuart_regs[i];
        if (r->off != next || r->len == 0 || (r->len & 3u) != 0) {
            return false;
        }
        if (r->wmask != 0 && (r->len != 4 || (r->off >> 2) >= ARRAY_SIZE(((struct vuart *)0)->regs)
                              || (r->reset & ~r->wmask) != 0)) {
            return false;
        }
        next = (uint32_t)r->off + r->len;
    }
    return next == VUART_FRAME_SIZE;
}

static uint32_t reg_get(const struct vuart *u, uint32_t off)
{
    return u->regs[off >> 2];
}

static bool fifo_enabled(const struct vuart *u)
{
    return (reg_get(u, VUART_LCR_H) & VUART_LCR_H_FEN) != 0;
}

static unsigned rx_capacity(const struct vuart *u)
{
    return fifo_enabled(u) ? VUART_FIFO_DEPTH : 1;
}

static unsigned rx_trigger(const struct vuart *u)
{
    unsigned sel = (reg_get(u, VUART_IFLS) >> VUART_IFLS_RX_SHIFT) & VUART_IFLS_SEL_MASK;

    if (!fifo_enabled(u)) {
        return 1;
    }
    /* Values 5-7 are reserved; treat them as the highest defined level. */
    if (sel >= ARRAY_SIZE(vuart_rx_levels)) {
        sel = ARRAY_SIZE(vuart_rx_levels) - 1;
    }
    return vuart_rx_levels[sel];
}

static bool tx_enabled(uint32_t cr)
{
    return (cr & (VUART_CR_UARTEN | VUART_CR_TXE)) == (VUART_CR_UARTEN | VUART_CR_TXE);
}

static void update_irq_locked(struct vuart *u)
{
    bool level = (u->ris & reg_get(u, VUART_IMSC)) != 0;

    if (level != u->irq_level) {
        u->irq_level = level;
        u->hooks.set_irq(u->hooks.ctx, level);
    }
}

/* RXIS and RTIS after the FIFO lost bytes (a read, or truncation when FEN is cleared). */
static void rx_after_drain_locked(struct vuart *u)
{
    if (u->rx_count < rx_trigger(u)) {
        u->ris &= ~VUART_INT_RX;
    }
    if (u->rx_count == 0) {
        u->ris &= ~VUART_INT_RT;
    } else {
        u->ris |= VUART_INT_RT;
    }
}

/* One received byte into the FIFO, which has room. */
static void rx_accept_locked(struct vuart *u, uint8_t c)
{
    u->rx_fifo[(u->rx_head + u->rx_count) & (VUART_FIFO_DEPTH - 1)] = c;
    u->rx_count++;
    u->stats.rx_count++;
    /* RXIS fires on reaching the trigger level, not while above it (DDI 0183G, UARTRXINTR). */
    if (u->rx_count == rx_trigger(u)) {
        u->ris |= VUART_INT_RX;
    }
    u->ris |= VUART_INT_RT;
}

/*
 * Pull waiting input into the FIFO's free room. The hook ran dry when it returned less than
 * asked: no more pulls until vuart_rx_refill says new input is queued (so the guest's reads
 * cost a console lock only while a paste is still coming in).
 */
static void rx_refill_locked(struct vuart *u)
{
    uint8_t buf[VUART_FIFO_DEPTH];
    unsigned room = rx_capacity(u) - u->rx_count;

    if (!u->rx_more || u->hooks.rx_pull == NULL || room == 0) {
        return;
    }
    size_t n = u->hooks.rx_pull(u->hooks.ctx, buf, room);
    n = n < room ? n : room; /* the hook's word is not trusted to overfill the FIFO */
    for (size_t i = 0; i < n; i++) {
        rx_accept_locked(u, buf[i]);
    }
    u->rx_more = n == room;
}

static uint32_t rx_pop_locked(struct vuart *u)
{
    uint32_t c;

    /* An empty FIFO reads as 0 and changes nothing (the hardware value is undefined). */
    if (u->rx_count == 0) {
        return 0;
    }
    c = u->rx_fifo[u->rx_head];
    u->rx_head = (uint8_t)((u->rx_head + 1) & (VUART_FIFO_DEPTH - 1));
    u->rx_count--;
    rx_after_drain_locked(u);
    rx_refill_locked(u); /* the next queued byte takes the freed place */
    return c; /* error bits 11:8 are always 0: there are no line errors */
}

static uint32_t fr_locked(const struct vuart *u)
{
    /*
     * The transmitter is never busy or full. The modem inputs read as a connected, ready
     * peer (CTS, DSR, DCD asserted, no ring), so flow control and carrier checks pass.
     */
    uint32_t fr = VUART_FR_TXFE | VUART_FR_CTS | VUART_FR_DSR | VUART_FR_DCD;

    if (u->rx_count == 0) {
        fr |= VUART_FR_RXFE;
    }
    if (u->rx_count >= rx_capacity(u)) {
        fr |= VUART_FR_RXFF;
    }
    return fr;
}

/* UARTFR for the lock-free read: republished after every change of what it depends on (the
 * FIFO's fill and FEN), inside the locked section that made it, so a reader sees a value the
 * register had (vuart_mmio's UARTFR read, one load). */
static void fr_publish_locked(struct vuart *u)
{
    __atomic_store_n(&u->fr, fr_locked(u), __ATOMIC_RELAXED);
}

static void notice_locked(struct vuart *u, uint32_t off, bool write)
{
    u->stats.notice_count++;
    if (u->hooks.notice != NULL) {
        u->hooks.notice(u->hooks.ctx, off, write);
    }
}

/* Value of the 32-bit register at word offset off (side effects: UARTDR pops the FIFO). */
static uint32_t vuart_read_locked(struct vuart *u, const struct vuart_reg *r, uint32_t off)
{
    uint32_t v = 0;

    switch (r->kind) {
    case VK_DR:
        v = rx_pop_locked(u);
        update_irq_locked(u);
        fr_publish_locked(u);
        break;
    case VK_FR:
        v = fr_locked(u);
        break;
    case VK_STORED:
    case VK_LCR_H:
    case VK_CR:
    case VK_IMSC:
        v = reg_get(u, off);
        break;
    case VK_RIS:
        v = u->ris;
        break;
    case VK_MIS:
        v = u->ris & reg_get(u, VUART_IMSC);
        break;
    case VK_ID:
        v = vuart_id[(off - VUART_PERIPHID0) >> 2];
        break;
    case VK_RSR: /* no receive errors are ever recorded */
    case VK_ICR: /* write-only: reads as zero */
        break;
    default:
        notice_locked(u, off, false);
        break;
    }
    return v;
}

/* The FIFO shrinks to the 1-byte holding register: keep the oldest byte, drop the others. */
static void fifo_disable_locked(struct vuart *u)
{
    if (u->rx_count > 1) {
        u->stats.rx_dropped += u->rx_count - 1u;
        u->rx_count = 1;
        rx_after_drain_locked(u);
    }
}

/*
 * Write the byte lanes set in lanes (val already shifted into place) to the register at word
 * offset off. Reserved bits of stored registers stay zero.
 */
static void vuart_write_locked(struct vuart *u, const struct vuart_reg *r, uint32_t off,
                               uint32_t val, uint32_t lanes)
{
    uint32_t old = 0;
    uint32_t wr = lanes & r->wmask;

    if (r->wmask != 0) {
        old = reg_get(u, off);
        u->regs[off >> 2] = (old & ~wr) | (val & wr);
    }
    switch (r->kind) {
    case VK_DR:
        /* Only the data lane transmits; a write to the error-bit lanes alone does nothing. */
        if ((lanes & VUART_DR_DATA) != 0) {
            u->stats.tx_count++;
            u->hooks.tx(u->hooks.ctx, (char)(val & VUART_DR_DATA));
            u->ris |= VUART_INT_TX;
        }
        break;
    case VK_LCR_H:
        /*
         * FEN changes the FIFO depth. Bytes already received are kept (Linux sets FEN after
         * enabling RX interrupts, and typed input must survive it). BRK and the line format
         * have no effect: there is no line.
         */
        if ((old & VUART_LCR_H_FEN) != 0 && !fifo_enabled(u)) {
            fifo_disable_locked(u);
        }
        break;
    case VK_CR:
        /* Switching the transmitter on finds an empty FIFO, below any TX trigger level. */
        if (!tx_enabled(old) && tx_enabled(reg_get(u, VUART_CR))) {
            u->ris |= VUART_INT_TX;
        }
        break;
    case VK_ICR:
        u->ris &= ~(val & lanes & VUART_INT_MASK);
        break;
    case VK_RSR: /* UARTECR: clears the error flags, of which there are none */
    case VK_STORED:
    case VK_IMSC:
        break;
    default: /* read-only registers and reserved offsets */
        notice_locked(u, off, true);
        break;
    }
    update_irq_locked(u);
    fr_publish_locked(u);
}

static void reset_locked(struct vuart *u)
{
    memset(u->regs, 0, sizeof(u->regs));
    for (size_t i = 0; i < ARRAY_SIZE(vuart_regs); i++) {
        if (vuart_regs[i].wmask != 0) {
            u->regs[vuart_regs[i].off >> 2] = vuart_regs[i].reset;
        }
    }
    u->ris = 0;
    u->rx_head = 0;
    u->rx_count = 0;
    u->rx_more = false;
    update_irq_locked(u);
    fr_publish_locked(u);
}

void vuart_init(struct vuart *u, const struct vuart_hooks *hooks)
{
    memset(u, 0, sizeof(*u));
    spin_lock_init(&u->lock);
    u->hooks = *hooks;
    reset_locked(u); /* the line is low and stays low: no set_irq call */
}

void vuart_reset(struct vuart *u)
{
    spin_lock(&u->lock);
    reset_locked(u);
    spin_unlock(&u->lock);
}

/* Every access but the UARTFR read: through the register table, under the lock. */
static int __attribute__((noinline)) vuart_mmio_table(struct vuart *u, uint32_t off,
                                                       unsigned size, bool write, uint64_t *val)
{
    const struct vuart_reg *r;
    uint32_t word = off & ~UINT32_C(3);
    unsigned shift = (off & 3u) * 8u;
    uint32_t lanes;

    /* Check everything first: a rejected access has no effect. */
    if (val == NULL || (size != 1 && size != 2 && size != 4) || (off & (size - 1)) != 0 ||
        off >= VUART_FRAME_SIZE) {
        return -BH_EINVAL;
    }
    r = vuart_reg_find(word);
    if (r == NULL) {
        return -BH_EINVAL; /* unreachable while vuart_regmap_is_valid() holds */
    }
    lanes = (size == 4 ? UINT32_MAX : (UINT32_C(1) << (size * 8u)) - 1u) << shift;

    spin_lock(&u->lock);
    if (write) {
        vuart_write_locked(u, r, word, (uint32_t)(*val << shift) & lanes, lanes);
    } else {
        *val = (vuart_read_locked(u, r, word) & lanes) >> shift;
    }
    spin_unlock(&u->lock);
    return 0;
}

int vuart_mmio(struct vuart *u, uint32_t off, unsigned size, bool write, uint64_t *val)
{
    if (((off ^ VUART_FR) | (size ^ 4u) | (unsigned)write) == 0 && val != NULL) {
        /* UARTFR, which a PL011 driver polls for every byte it writes: the flags as the last
         * locked change published them (fr_publish_locked), one load without the lock and
         * without a stack frame */
        *val = __atomic_load_n(&u->fr, __ATOMIC_RELAXED);
        return 0;
    }
    return vuart_mmio_table(u, off, size, write, val);
}

int vuart_rx_push(struct vuart *u, uint8_t c)
{
    int ret = 0;

    spin_lock(&u->lock);
    if (u->rx_count >= rx_capacity(u)) {
        u->stats.rx_dropped++;
        ret = -BH_EBUSY;
        goto out_unlock;
    }
    rx_accept_locked(u, c);
    update_irq_locked(u);
    fr_publish_locked(u);
out_unlock:
    spin_unlock(&u->lock);
    return ret;
}

void vuart_rx_refill(struct vuart *u)
{
    spin_lock(&u->lock);
    u->rx_more = true;
    rx_refill_locked(u);
    update_irq_locked(u);
    fr_publish_locked(u);
    spin_unlock(&u->lock);
}

bool vuart_rx_has_space(struct vuart *u)
{
    bool space;

    spin_lock(&u->lock);
    space = u->rx_count < rx_capacity(u);
    spin_unlock(&u->lock);
    return space;
}

void vuart_get_stats(struct vuart *u, struct vuart_stats *out)
{
    spin_lock(&u->lock);
    *out = u->stats;
    spin_unlock(&u->lock);
}
