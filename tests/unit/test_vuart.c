// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/dev/vuart.c: every PL011 register's reset value and access semantics, the
 * receive FIFO with and without FEN, the interrupt model (set_irq only on level changes), and
 * the register sequences Linux's amba-pl011 driver and polling code perform.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <core/dev/vuart.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What the hooks saw. */
static struct {
    char tx[512];
    size_t tx_len;
    unsigned irq_calls;
    bool level;
    unsigned notices;
    uint32_t notice_off;
    bool notice_write;
} rec;

static struct vuart u;

static void hook_tx(void *ctx, char c)
{
    assert_ptr_equal(ctx, &rec);
    assert_true(rec.tx_len < sizeof(rec.tx));
    rec.tx[rec.tx_len++] = c;
}

static void hook_set_irq(void *ctx, bool level)
{
    assert_ptr_equal(ctx, &rec);
    /* The contract: called only when the level changes. */
    assert_true(level != rec.level);
    rec.level = level;
    rec.irq_calls++;
}

static void hook_notice(void *ctx, uint32_t off, bool write)
{
    assert_ptr_equal(ctx, &rec);
    rec.notices++;
    rec.notice_off = off;
    rec.notice_write = write;
}

static const struct vuart_hooks hooks = {
    .tx = hook_tx,
    .set_irq = hook_set_irq,
    .notice = hook_notice,
    .ctx = &rec,
};

static int setup(void **state)
{
    (void)state;
    memset(&rec, 0, sizeof(rec));
    vuart_init(&u, &hooks);
    return 0;
}

static uint32_t rd_sz(uint32_t off, unsigned size)
{
    uint64_t v = UINT64_C(0xdeadbeefdeadbeef);

    assert_int_equal(vuart_mmio(&u, off, size, false, &v), 0);
    assert_true(v <= UINT32_MAX);
    return (uint32_t)v;
}

static uint32_t rd(uint32_t off)
{
    return rd_sz(off, 4);
}

static void wr_sz(uint32_t off, unsigned size, uint64_t val)
{
    assert_int_equal(vuart_mmio(&u, off, size, true, &val), 0);
}

static void wr(uint32_t off, uint64_t val)
{
    wr_sz(off, 4, val);
}

static void push_n(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        assert_int_equal(vuart_rx_push(&u, (uint8_t)('a' + i % 26)), 0);
    }
}

static void drain(void)
{
    while ((rd(VUART_FR) & VUART_FR_RXFE) == 0) {
        (void)rd(VUART_DR);
    }
}

#define FR_IDLE (VUART_FR_TXFE | VUART_FR_RXFE | VUART_FR_CTS | VUART_FR_DSR | VUART_FR_DCD)

static void test_regmap(void **state)
{
    (void)state;
    assert_true(vuart_regmap_is_valid());
    for (uint32_t off = 0; off < VUART_FRAME_SIZE; off++) {
        assert_non_null(vuart_reg_name(off));
    }
    assert_null(vuart_reg_name(VUART_FRAME_SIZE));
    assert_string_equal(vuart_reg_name(VUART_DR), "DR");
    assert_string_equal(vuart_reg_name(VUART_LCR_H + 1), "LCR_H");
    assert_string_equal(vuart_reg_name(VUART_DMACR), "DMACR");
    assert_string_equal(vuart_reg_name(0x084), "test");
    assert_string_equal(vuart_reg_name(VUART_PCELLID0 + 0xC), "ID");
}

static void test_reset_values(void **state)
{
    static const struct {
        uint32_t off;
        uint32_t val;
    } resets[] = {
        { VUART_DR, 0 },         { VUART_RSR, 0 },   { VUART_FR, FR_IDLE },
        { VUART_ILPR, 0 },       { VUART_IBRD, 0 },  { VUART_FBRD, 0 },
        { VUART_LCR_H, 0 },      { VUART_CR, 0x300 }, { VUART_IFLS, 0x12 },
        { VUART_IMSC, 0 },       { VUART_RIS, 0 },   { VUART_MIS, 0 },
        { VUART_ICR, 0 },        { VUART_DMACR, 0 },
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(resets); i++) {
        assert_int_equal(rd(resets[i].off), resets[i].val);
    }
    assert_int_equal(rec.irq_calls, 0);
    assert_int_equal(rec.notices, 0);
    assert_int_equal(rec.tx_len, 0);
}

static void test_stored_register_masks(void **state)
{
    static const struct {
        uint32_t off;
        uint32_t mask;
    } regs[] = {
        { VUART_ILPR, 0xFF },  { VUART_IBRD, 0xFFFF }, { VUART_FBRD, 0x3F },
        { VUART_LCR_H, 0xFF }, { VUART_CR, 0xFF87 },   { VUART_IFLS, 0x3F },
        { VUART_IMSC, 0x7FF }, { VUART_DMACR, 0x7 },
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
        wr(regs[i].off, 0xFFFFFFFF);
        assert_int_equal(rd(regs[i].off), regs[i].mask);
        wr(regs[i].off, 0x5A5A5A5A & regs[i].mask);
        assert_int_equal(rd(regs[i].off), 0x5A5A5A5A & regs[i].mask);
        wr(regs[i].off, 0);
        assert_int_equal(rd(regs[i].off), 0);
    }
    assert_int_equal(rec.notices, 0);
}

static void test_read_only_and_write_only(void **state)
{
    static const uint32_t ro[] = { VUART_FR, VUART_RIS, VUART_MIS, VUART_PERIPHID0,
                                   VUART_PCELLID0 + 0xC };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(ro); i++) {
        uint32_t before = rd(ro[i]);
        wr(ro[i], 0xFFFFFFFF);
        assert_int_equal(rd(ro[i]), before);
        assert_int_equal(rec.notices, i + 1);
        assert_int_equal(rec.notice_off, ro[i]);
        assert_true(rec.notice_write);
    }
    /* ICR is write-only and reads as zero; ECR writes are accepted; neither is a notice. */
    assert_int_equal(rd(VUART_ICR), 0);
    wr(VUART_RSR, 0xFF);
    assert_int_equal(rd(VUART_RSR), 0);
    assert_int_equal(rec.notices, ARRAY_SIZE(ro));
    assert_int_equal(rec.irq_calls, 0);
}

static void test_id_registers(void **state)
{
    static const uint8_t id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    (void)state;
    for (uint32_t i = 0; i < 8; i++) {
        uint32_t off = VUART_PERIPHID0 + 4 * i;
        assert_int_equal(rd(off), id[i]);
        assert_int_equal(rd_sz(off, 1), id[i]);
        assert_int_equal(rd_sz(off, 2), id[i]);
        assert_int_equal(rd_sz(off + 1, 1), 0);
        assert_int_equal(rd_sz(off + 2, 2), 0);
    }
    assert_int_equal(rec.notices, 0);
}

static void test_reserved_offsets(void **state)
{
    static const uint32_t reserved[] = { 0x008, 0x014, 0x01C, 0x04C, 0x07C, 0x080, 0x08C,
                                         0x090, 0x800, 0xFCC, 0xFD0, 0xFDC };
    struct vuart_stats st;
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
        assert_int_equal(rd(reserved[i]), 0);
        assert_int_equal(rec.notice_off, reserved[i]);
        assert_false(rec.notice_write);
        wr(reserved[i], 0xFFFFFFFF);
        assert_true(rec.notice_write);
        assert_int_equal(rd_sz(reserved[i] + 3, 1), 0);
    }
    assert_int_equal(rec.notices, 3 * ARRAY_SIZE(reserved));
    vuart_get_stats(&u, &st);
    assert_int_equal(st.notice_count, 3 * ARRAY_SIZE(reserved));
    /* Nothing else changed. */
    assert_int_equal(rd(VUART_CR), 0x300);
    assert_int_equal(rec.tx_len, 0);
    assert_int_equal(rec.irq_calls, 0);
}

static void test_bad_accesses(void **state)
{
    static const struct {
        uint32_t off;
        unsigned size;
    } bad[] = {
        { VUART_DR, 8 }, { VUART_DR, 3 }, { VUART_DR, 0 },   { VUART_DR + 2, 4 },
        { VUART_DR + 1, 2 }, { VUART_CR + 3, 2 }, { VUART_FRAME_SIZE, 4 },
        { VUART_FRAME_SIZE + 4, 1 }, { UINT32_MAX - 3, 4 },
    };
    uint64_t v = 'x';
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(vuart_mmio(&u, bad[i].off, bad[i].size, true, &v), -BH_EINVAL);
        assert_int_equal(vuart_mmio(&u, bad[i].off, bad[i].size, false, &v), -BH_EINVAL);
        assert_int_equal(v, 'x');
    }
    assert_int_equal(vuart_mmio(&u, VUART_DR, 4, false, NULL), -BH_EINVAL);
    /* A rejected access has no effect: no byte sent, FIFO untouched. */
    push_n(1);
    assert_int_equal(vuart_mmio(&u, VUART_DR, 8, false, &v), -BH_EINVAL);
    assert_int_equal(rec.tx_len, 0);
    assert_int_equal(rd(VUART_FR) & VUART_FR_RXFE, 0);
    assert_int_equal(rec.notices, 0);
}

static void test_sub_word_access(void **state)
{
    (void)state;
    wr_sz(VUART_DR, 1, 'a');
    wr_sz(VUART_DR, 2, 0x0F00 | 'b'); /* error-bit lane is ignored */
    wr_sz(VUART_DR + 1, 1, 'c');      /* no data lane: nothing sent */
    wr_sz(VUART_DR, 1, 0x100 | 'd');  /* bits above the access size are ignored */
    assert_int_equal(rec.tx_len, 3);
    assert_memory_equal(rec.tx, "abd", 3);

    /* Byte write to CR bits 15:8 clears TXE/RXE and keeps bits 7:0. */
    wr(VUART_CR, VUART_CR_RESET | VUART_CR_UARTEN);
    wr_sz(VUART_CR + 1, 1, 0);
    assert_int_equal(rd(VUART_CR), VUART_CR_UARTEN);
    wr_sz(VUART_CR + 1, 1, 0x03);
    assert_int_equal(rd(VUART_CR), VUART_CR_RESET | VUART_CR_UARTEN);
    assert_int_equal(rd_sz(VUART_CR + 1, 1), 0x03);
    assert_int_equal(rd_sz(VUART_CR, 2), VUART_CR_RESET | VUART_CR_UARTEN);

    /* Half-word write to IBRD, byte lanes of IMSC. */
    wr_sz(VUART_IBRD, 2, 0x1234);
    assert_int_equal(rd(VUART_IBRD), 0x1234);
    wr_sz(VUART_IMSC + 1, 1, 0x07);
    assert_int_equal(rd(VUART_IMSC), 0x700);

    /* 8- and 16-bit reads of DR pop the FIFO like a word read. */
    assert_int_equal(vuart_rx_push(&u, 'x'), 0);
    assert_int_equal(rd_sz(VUART_DR, 1), 'x');
    assert_int_equal(rd(VUART_FR) & VUART_FR_RXFE, VUART_FR_RXFE);
    wr(VUART_LCR_H, VUART_LCR_H_FEN);
    push_n(2);
    assert_int_equal(rd_sz(VUART_DR, 2), 'a');
    assert_int_equal(rd_sz(VUART_DR + 1, 1), 0); /* pops 'b', returns its error bits */
    assert_int_equal(rd(VUART_FR) & VUART_FR_RXFE, VUART_FR_RXFE);
    assert_int_equal(rd_sz(VUART_FR, 1), FR_IDLE);
}

static void test_tx_and_flags(void **state)
{
    struct vuart_stats st;
    (void)state;
    for (const char *p = "hello\n"; *p != '\0'; p++) {
        uint32_t fr = rd(VUART_FR);
        assert_int_equal(fr & (VUART_FR_TXFF | VUART_FR_BUSY), 0);
        assert_int_equal(fr & VUART_FR_TXFE, VUART_FR_TXFE);
        wr(VUART_DR, (uint8_t)*p);
    }
    assert_int_equal(rec.tx_len, 6);
    assert_memory_equal(rec.tx, "hello\n", 6);
    assert_int_equal(rd(VUART_FR), FR_IDLE);
    vuart_get_stats(&u, &st);
    assert_int_equal(st.tx_count, 6);
    /* The full 8-bit range goes through. */
    wr(VUART_DR, 0xFF);
    assert_int_equal((uint8_t)rec.tx[6], 0xFF);
}

static void test_tx_interrupt(void **state)
{
    (void)state;
    wr(VUART_IMSC, VUART_INT_TX);
    assert_int_equal(rec.irq_calls, 0); /* nothing sent yet: TXIS clear at reset */

    wr(VUART_DR, 'a');
    assert_int_equal(rd(VUART_RIS), VUART_INT_TX);
    assert_int_equal(rd(VUART_MIS), VUART_INT_TX);
    assert_true(rec.level);
    assert_int_equal(rec.irq_calls, 1);
    wr(VUART_DR, 'b'); /* still high: no new call */
    assert_int_equal(rec.irq_calls, 1);

    /* Masking TXIM drops the line (what Linux's pl011_stop_tx does), TXIS stays raw. */
    wr(VUART_IMSC, 0);
    assert_false(rec.level);
    assert_int_equal(rd(VUART_RIS), VUART_INT_TX);
    assert_int_equal(rd(VUART_MIS), 0);
    wr(VUART_IMSC, VUART_INT_TX);
    assert_true(rec.level);

    /* ICR clears it; the next write raises it again. */
    wr(VUART_ICR, VUART_INT_TX);
    assert_false(rec.level);
    assert_int_equal(rd(VUART_RIS), 0);
    wr(VUART_ICR, VUART_INT_TX);
    assert_int_equal(rec.irq_calls, 4);
    wr(VUART_DR, 'c');
    assert_true(rec.level);
    assert_int_equal(rec.irq_calls, 5);

    /* ICR byte lanes: clearing via the upper byte does not touch TXIS. */
    wr_sz(VUART_ICR + 1, 1, 0xFF);
    assert_true(rec.level);
}

static void test_tx_interrupt_on_enable(void **state)
{
    (void)state;
    wr(VUART_IMSC, VUART_INT_TX);
    wr(VUART_CR, VUART_CR_TXE); /* UARTEN still clear */
    assert_int_equal(rd(VUART_RIS), 0);
    wr(VUART_CR, VUART_CR_TXE | VUART_CR_UARTEN);
    assert_int_equal(rd(VUART_RIS), VUART_INT_TX);
    assert_true(rec.level);
    wr(VUART_ICR, VUART_INT_TX);
    /* Rewriting CR with the transmitter already on does not raise it again. */
    wr(VUART_CR, VUART_CR_TXE | VUART_CR_UARTEN | VUART_CR_RXE);
    assert_int_equal(rd(VUART_RIS), 0);
    assert_false(rec.level);
    assert_int_equal(rec.irq_calls, 2);
}

static void test_rx_holding_register(void **state)
{
    struct vuart_stats st;
    (void)state;
    assert_true(vuart_rx_has_space(&u));
    assert_int_equal(vuart_rx_push(&u, 'a'), 0);
    assert_false(vuart_rx_has_space(&u));
    assert_int_equal(vuart_rx_push(&u, 'b'), -BH_EBUSY);
    assert_int_equal(rd(VUART_FR) & (VUART_FR_RXFE | VUART_FR_RXFF), VUART_FR_RXFF);
    assert_int_equal(rd(VUART_DR), 'a');
    assert_int_equal(rd(VUART_FR) & (VUART_FR_RXFE | VUART_FR_RXFF), VUART_FR_RXFE);
    assert_true(vuart_rx_has_space(&u));
    /* An empty FIFO reads as 0. */
    assert_int_equal(rd(VUART_DR), 0);
    vuart_get_stats(&u, &st);
    assert_int_equal(st.rx_count, 1);
    assert_int_equal(st.rx_dropped, 1);
}

static void test_rx_fifo(void **state)
{
    struct vuart_stats st;
    (void)state;
    wr(VUART_LCR_H, VUART_LCR_H_FEN | 0x60);
    for (unsigned i = 0; i < VUART_FIFO_DEPTH; i++) {
        assert_true(vuart_rx_has_space(&u));
        assert_int_equal(vuart_rx_push(&u, (uint8_t)(0x80 + i)), 0);
        assert_int_equal(rd(VUART_FR) & VUART_FR_RXFE, 0);
    }
    assert_int_equal(rd(VUART_FR) & VUART_FR_RXFF, VUART_FR_RXFF);
    assert_false(vuart_rx_has_space(&u));
    assert_int_equal(vuart_rx_push(&u, 'z'), -BH_EBUSY);
    assert_int_equal(vuart_rx_push(&u, 'z'), -BH_EBUSY);
    /* Bytes come out in order with error bits 11:8 clear, wrapping around the ring. */
    for (unsigned i = 0; i < 10; i++) {
        assert_int_equal(rd(VUART_DR), 0x80 + i);
    }
    push_n(10);
    for (unsigned i = 10; i < VUART_FIFO_DEPTH; i++) {
        assert_int_equal(rd(VUART_DR), 0x80 + i);
    }
    for (unsigned i = 0; i < 10; i++) {
        uint32_t v = rd(VUART_DR);
        assert_int_equal(v, 'a' + i);
        assert_int_equal(v & 0xF00, 0);
    }
    assert_int_equal(rd(VUART_FR), FR_IDLE);
    assert_int_equal(rd(VUART_RSR), 0);
    vuart_get_stats(&u, &st);
    assert_int_equal(st.rx_count, VUART_FIFO_DEPTH + 10);
    assert_int_equal(st.rx_dropped, 2);
}

static void test_fen_toggle(void **state)
{
    struct vuart_stats st;
    (void)state;
    /* Enabling the FIFO keeps the byte in the holding register. */
    push_n(1);
    wr(VUART_LCR_H, VUART_LCR_H_FEN);
    push_n(3); /* FIFO: a a b c */
    /* Disabling it keeps the oldest byte only. */
    wr(VUART_LCR_H, 0);
    assert_int_equal(rd(VUART_FR) & VUART_FR_RXFF, VUART_FR_RXFF);
    assert_int_equal(rd(VUART_DR), 'a');
    assert_int_equal(rd(VUART_FR) & VUART_FR_RXFE, VUART_FR_RXFE);
    vuart_get_stats(&u, &st);
    assert_int_equal(st.rx_dropped, 3);
    /* Other LCR_H writes (format, BRK) leave the FIFO alone. */
    wr(VUART_LCR_H, VUART_LCR_H_FEN);
    push_n(2);
    wr(VUART_LCR_H, VUART_LCR_H_FEN | VUART_LCR_H_BRK | 0x60);
    assert_int_equal(rd(VUART_DR), 'a');
    assert_int_equal(rd(VUART_DR), 'b');
}

/* RXIS at each IFLS receive level, RTIS while the FIFO holds data. */
static void test_rx_trigger_levels(void **state)
{
    static const unsigned levels[8] = { 4, 8, 16, 24, 28, 28, 28, 28 };
    (void)state;
    wr(VUART_LCR_H, VUART_LCR_H_FEN);
    for (unsigned sel = 0; sel < 8; sel++) {
        unsigned level = levels[sel];
        wr(VUART_IFLS, sel << VUART_IFLS_RX_SHIFT | 0x2);
        push_n(level - 1);
        assert_int_equal(rd(VUART_RIS), VUART_INT_RT);
        push_n(1);
        assert_int_equal(rd(VUART_RIS), VUART_INT_RT | VUART_INT_RX);
        /* Above the level RXIS stays; one read below it clears RXIS, RTIS stays. */
        if (level < VUART_FIFO_DEPTH) {
            push_n(1);
            (void)rd(VUART_DR);
            assert_int_equal(rd(VUART_RIS), VUART_INT_RT | VUART_INT_RX);
        }
        (void)rd(VUART_DR);
        assert_int_equal(rd(VUART_RIS), VUART_INT_RT);
        drain();
        assert_int_equal(rd(VUART_RIS), 0);
    }
    /* Without FEN the level is one byte. */
    wr(VUART_LCR_H, 0);
    push_n(1);
    assert_int_equal(rd(VUART_RIS), VUART_INT_RT | VUART_INT_RX);
    (void)rd(VUART_DR);
    assert_int_equal(rd(VUART_RIS), 0);
    assert_int_equal(rec.irq_calls, 0); /* everything masked */
}

static void test_rx_interrupt_edges(void **state)
{
    (void)state;
    wr(VUART_LCR_H, VUART_LCR_H_FEN);
    wr(VUART_IMSC, VUART_INT_RX); /* RX only: RTIS does not reach the line */
    push_n(15);
    assert_false(rec.level);
    push_n(1);
    assert_true(rec.level);
    /* ICR while still above the level: RXIS stays clear until the FIFO crosses it again. */
    wr(VUART_ICR, VUART_INT_RX);
    assert_false(rec.level);
    push_n(4);
    assert_false(rec.level);
    drain();
    push_n(16);
    assert_true(rec.level);
    drain();
    assert_false(rec.level);
    assert_int_equal(rec.irq_calls, 4);
}

static void test_rt_interrupt(void **state)
{
    (void)state;
    wr(VUART_LCR_H, VUART_LCR_H_FEN);
    wr(VUART_IMSC, VUART_INT_RT | VUART_INT_RX);
    push_n(1);
    assert_true(rec.level);
    assert_int_equal(rd(VUART_MIS), VUART_INT_RT);
    push_n(1);
    assert_int_equal(rec.irq_calls, 1);
    /* Cleared by ICR; a read leaving data behind raises it again. */
    wr(VUART_ICR, VUART_INT_RT);
    assert_false(rec.level);
    assert_int_equal(rd(VUART_DR), 'a');
    assert_true(rec.level);
    /* The last read clears it. */
    assert_int_equal(rd(VUART_DR), 'a');
    assert_false(rec.level);
    assert_int_equal(rd(VUART_RIS), 0);
    /* ICR, then a new byte: raised again. */
    push_n(1);
    wr(VUART_ICR, VUART_INT_RT);
    push_n(1);
    assert_true(rec.level);
    assert_int_equal(rec.irq_calls, 7);
}

static void test_reset(void **state)
{
    (void)state;
    wr(VUART_LCR_H, VUART_LCR_H_FEN);
    wr(VUART_IMSC, VUART_INT_RT);
    wr(VUART_IBRD, 13);
    push_n(3);
    assert_true(rec.level);
    vuart_reset(&u);
    assert_false(rec.level);
    assert_int_equal(rec.irq_calls, 2);
    assert_int_equal(rd(VUART_FR), FR_IDLE);
    assert_int_equal(rd(VUART_LCR_H), 0);
    assert_int_equal(rd(VUART_IBRD), 0);
    assert_int_equal(rd(VUART_IMSC), 0);
    assert_int_equal(rd(VUART_RIS), 0);
    assert_int_equal(rd(VUART_CR), VUART_CR_RESET);
    /* Reset with the line low calls nothing. */
    vuart_reset(&u);
    assert_int_equal(rec.irq_calls, 2);
}

/* Bare-metal polling: interrupts masked, FR-driven, never a set_irq call. */
static void test_polling(void **state)
{
    char got[8];
    size_t n = 0;
    (void)state;
    wr(VUART_CR, VUART_CR_UARTEN | VUART_CR_TXE | VUART_CR_RXE);
    for (const char *p = "ok\n"; *p != '\0'; p++) {
        while ((rd(VUART_FR) & VUART_FR_TXFF) != 0) {
            fail();
        }
        wr(VUART_DR, (uint8_t)*p);
    }
    assert_int_equal(vuart_rx_push(&u, 'q'), 0);
    while ((rd(VUART_FR) & VUART_FR_RXFE) == 0 && n < sizeof(got)) {
        got[n++] = (char)rd(VUART_DR);
    }
    assert_int_equal(n, 1);
    assert_int_equal(got[0], 'q');
    assert_memory_equal(rec.tx, "ok\n", 3);
    assert_int_equal(rec.irq_calls, 0);
}

/*
 * The register traffic of Linux 6.1 amba-pl011 in interrupt mode: startup, a receive
 * interrupt, transmission through pl011_start_tx_pio and through the TX interrupt path.
 */
static uint32_t linux_im;

/* pl011_int(): loop while RIS & im, at most AMBA_ISR_PASS_LIMIT passes. Returns passes. */
static unsigned linux_isr(char *rx, size_t *rx_len, const char **txq)
{
    unsigned passes = 0;
    uint32_t status = rd(VUART_RIS) & linux_im;

    while (status != 0) {
        assert_true(++passes < 256); /* would be an interrupt storm */
        wr(VUART_ICR, status & ~(VUART_INT_TX | VUART_INT_RT | VUART_INT_RX));
        if ((status & (VUART_INT_RT | VUART_INT_RX)) != 0) {
            for (unsigned i = 0; i < 256 && (rd(VUART_FR) & VUART_FR_RXFE) == 0; i++) {
                rx[(*rx_len)++] = (char)rd(VUART_DR);
            }
        }
        if ((status & VUART_INT_TX) != 0) {
            /* pl011_tx_chars(from_irq): fifosize / 2 bytes, then stop_tx when empty. */
            for (unsigned count = VUART_FIFO_DEPTH / 2; count > 0 && **txq != '\0'; count--) {
                wr(VUART_DR, (uint8_t)*(*txq)++);
            }
            if (**txq == '\0') {
                linux_im &= ~VUART_INT_TX;
                wr(VUART_IMSC, linux_im);
            }
        }
        status = rd(VUART_RIS) & linux_im;
    }
    return passes;
}

static void test_linux_driver_sequence(void **state)
{
    char rx[64];
    size_t rx_len = 0;
    const char *txq = "";
    static const char long_msg[] = "0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ\n";
    (void)state;

    /* pl011_hwinit, pl011_allocate_irq, IFLS, CR, pl011_enable_interrupts */
    wr(VUART_ICR, VUART_INT_OE | VUART_INT_BE | VUART_INT_PE | VUART_INT_FE | VUART_INT_RT |
                      VUART_INT_RX);
    linux_im = rd(VUART_IMSC);
    wr(VUART_IMSC, VUART_INT_RT | VUART_INT_RX);
    wr(VUART_IMSC, linux_im);
    wr(VUART_IFLS, 0x12);
    wr(VUART_CR, (rd(VUART_CR) & 0xC00) | VUART_CR_UARTEN | VUART_CR_RXE | VUART_CR_TXE);
    wr(VUART_ICR, VUART_INT_RT | VUART_INT_RX);
    drain();
    linux_im = VUART_INT_RT | VUART_INT_RX;
    wr(VUART_IMSC, linux_im);
    /* pl011_set_termios: 115200 8N1 with FIFO. */
    wr(VUART_FBRD, 3);
    wr(VUART_IBRD, 13);
    wr(VUART_LCR_H, 0x60 | VUART_LCR_H_FEN);
    wr(VUART_CR, rd(VUART_CR));
    assert_false(rec.level);

    /* Input arrives: the line rises, the ISR drains it, the line falls. */
    for (const char *p = "ls -l\r"; *p != '\0'; p++) {
        assert_int_equal(vuart_rx_push(&u, (uint8_t)*p), 0);
    }
    assert_true(rec.level);
    assert_int_equal(linux_isr(rx, &rx_len, &txq), 1);
    assert_false(rec.level);
    assert_int_equal(rx_len, 6);
    assert_memory_equal(rx, "ls -l\r", 6);

    /* pl011_start_tx_pio: writes while !TXFF, i.e. everything, then stop_tx. No irq. */
    unsigned calls = rec.irq_calls;
    for (const char *p = "$ "; *p != '\0'; p++) {
        assert_int_equal(rd(VUART_FR) & VUART_FR_TXFF, 0);
        wr(VUART_DR, (uint8_t)*p);
    }
    wr(VUART_IMSC, linux_im);
    assert_int_equal(rec.irq_calls, calls);

    /* TX interrupt path (e.g. after an x_char): TXIM on with data pending is served. */
    txq = long_msg;
    linux_im |= VUART_INT_TX;
    wr(VUART_IMSC, linux_im);
    assert_true(rec.level);
    assert_int_equal(linux_isr(rx, &rx_len, &txq), 3);
    assert_false(rec.level);
    assert_int_equal(*txq, '\0');
    assert_int_equal(rec.tx_len, 2 + sizeof(long_msg) - 1);
    assert_memory_equal(rec.tx + 2, long_msg, sizeof(long_msg) - 1);

    /* pl011_console_write: save IMSC, mask all, poll-write, restore: the line stays low. */
    uint32_t saved = rd(VUART_IMSC);
    wr(VUART_IMSC, 0);
    wr(VUART_DR, 'k');
    assert_int_equal(rd(VUART_FR) & VUART_FR_BUSY, 0);
    wr(VUART_IMSC, saved);
    assert_false(rec.level);

    /* Shutdown: mask all, clear all. */
    wr(VUART_IMSC, 0);
    wr(VUART_ICR, 0xFFFF);
    assert_int_equal(rd(VUART_RIS), 0);
    assert_false(rec.level);
}

static void test_notice_hook_optional(void **state)
{
    struct vuart_hooks h = hooks;
    struct vuart_stats st;
    (void)state;
    h.notice = NULL;
    vuart_init(&u, &h);
    assert_int_equal(rd(0x010), 0);
    wr(VUART_FR, 1);
    vuart_get_stats(&u, &st);
    assert_int_equal(st.notice_count, 2);
    assert_int_equal(rec.notices, 0);
}

/* The 32-bit UARTFR read (vuart_mmio's short way, without the register table) equals the
 * table's FR row, read as four byte lanes, in every FIFO state: empty, one byte, full,
 * FIFO off with the holding register full, and back to idle. */
static uint32_t fr_by_lanes(void)
{
    uint32_t v = 0;

    for (unsigned b = 0; b < 4; b++) {
        v |= rd_sz(VUART_FR + b, 1) << (8 * b);
    }
    return v;
}

static void test_fr_short_read(void **state)
{
    (void)state;
    assert_int_equal(rd(VUART_FR), fr_by_lanes());
    assert_int_equal(rd(VUART_FR), FR_IDLE);
    wr(VUART_LCR_H, VUART_LCR_H_FEN | 0x60);
    push_n(1);
    assert_int_equal(rd(VUART_FR), fr_by_lanes());
    push_n(VUART_FIFO_DEPTH - 1);
    assert_int_equal(rd(VUART_FR), fr_by_lanes());
    assert_int_equal(rd(VUART_FR) & VUART_FR_RXFF, VUART_FR_RXFF);
    drain();
    wr(VUART_LCR_H, 0x60); /* FIFO off: a one-byte holding register */
    push_n(1);
    assert_int_equal(rd(VUART_FR), fr_by_lanes());
    assert_int_equal(rd(VUART_FR) & (VUART_FR_RXFE | VUART_FR_RXFF), VUART_FR_RXFF);
    drain();
    assert_int_equal(rd(VUART_FR), fr_by_lanes());
    assert_int_equal(rd(VUART_FR), FR_IDLE);
}

static size_t pull_left;

static size_t hook_pull(void *ctx, uint8_t *buf, size_t max)
{
    size_t n = pull_left < max ? pull_left : max;

    (void)ctx;
    memset(buf, 'p', n);
    pull_left -= n;
    return n;
}

/* The lock-free 32-bit UARTFR read returns what the last locked change published: every
 * change of the FIFO's fill or of FEN republishes it (a FEN clear truncating the FIFO, a
 * reset, input pulled by vuart_rx_refill, a byte popped by a sub-word UARTDR read). */
static void test_fr_published_after_every_change(void **state)
{
    struct vuart_hooks h = hooks;

    (void)state;
    wr(VUART_LCR_H, VUART_LCR_H_FEN);
    push_n(5);
    assert_int_equal(rd(VUART_FR) & (VUART_FR_RXFE | VUART_FR_RXFF), 0);
    wr_sz(VUART_LCR_H, 1, 0); /* FEN off: truncated to the holding register, which is full */
    assert_int_equal(rd(VUART_FR) & (VUART_FR_RXFE | VUART_FR_RXFF), VUART_FR_RXFF);
    assert_int_equal(rd(VUART_FR), fr_by_lanes());
    (void)rd_sz(VUART_DR, 1);
    assert_int_equal(rd(VUART_FR), FR_IDLE);
    push_n(1);
    vuart_reset(&u);
    assert_int_equal(rd(VUART_FR), FR_IDLE);

    h.rx_pull = hook_pull;
    vuart_init(&u, &h);
    pull_left = 3;
    vuart_rx_refill(&u);
    assert_int_equal(rd(VUART_FR) & (VUART_FR_RXFE | VUART_FR_RXFF), VUART_FR_RXFF);
    assert_int_equal(rd(VUART_FR), fr_by_lanes());
    (void)rd(VUART_DR); /* the pop pulls the next byte into the holding register */
    assert_int_equal(rd(VUART_FR) & (VUART_FR_RXFE | VUART_FR_RXFF), VUART_FR_RXFF);
    (void)rd(VUART_DR);
    (void)rd(VUART_DR);
    assert_int_equal(rd(VUART_FR), FR_IDLE);
    assert_int_equal(rd(VUART_FR), fr_by_lanes());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_regmap, setup),
        cmocka_unit_test_setup(test_reset_values, setup),
        cmocka_unit_test_setup(test_stored_register_masks, setup),
        cmocka_unit_test_setup(test_read_only_and_write_only, setup),
        cmocka_unit_test_setup(test_id_registers, setup),
        cmocka_unit_test_setup(test_reserved_offsets, setup),
        cmocka_unit_test_setup(test_bad_accesses, setup),
        cmocka_unit_test_setup(test_sub_word_access, setup),
        cmocka_unit_test_setup(test_tx_and_flags, setup),
        cmocka_unit_test_setup(test_tx_interrupt, setup),
        cmocka_unit_test_setup(test_tx_interrupt_on_enable, setup),
        cmocka_unit_test_setup(test_rx_holding_register, setup),
        cmocka_unit_test_setup(test_rx_fifo, setup),
        cmocka_unit_test_setup(test_fen_toggle, setup),
        cmocka_unit_test_setup(test_rx_trigger_levels, setup),
        cmocka_unit_test_setup(test_rx_interrupt_edges, setup),
        cmocka_unit_test_setup(test_rt_interrupt, setup),
        cmocka_unit_test_setup(test_reset, setup),
        cmocka_unit_test_setup(test_polling, setup),
        cmocka_unit_test_setup(test_linux_driver_sequence, setup),
        cmocka_unit_test_setup(test_notice_hook_optional, setup),
        cmocka_unit_test_setup(test_fr_short_read, setup),
        cmocka_unit_test_setup(test_fr_published_after_every_change, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
