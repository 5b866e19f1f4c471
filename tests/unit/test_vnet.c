// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/dev/vnet.c and core/dev/virtio_mmio.c: three members a, b, c of one
 * segment, each with its own guest RAM buffer, driven through their registers as a virtio-net
 * driver would (virtio v1.2 4.2.2 and 5.1): registers and feature negotiation, frames switched
 * byte-exact, broadcast, the reach policy, unknown MACs, missing or small receive buffers, rate
 * limits, bad headers, and each malformed ring stopping only its own device.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include <core/dev/vnet.h>

#include "vnet_guest.h"

#define RXQ_BASE (G_RAM_IPA + 0x1000)
#define TXQ_BASE (G_RAM_IPA + 0x8000)
#define RX_BUF   (G_RAM_IPA + 0x10000) /* + 2 KiB per buffer */
#define TX_BUF   (G_RAM_IPA + 0x30000) /* + 2 KiB per buffer */
#define RX_LEN   (VNET_HDR_LEN + VNET_FRAME_MAX)
#define NS       UINT64_C(1000000000)

enum { A, B, C, N };

struct member {
    struct vnet dev;
    struct g_ram ram;
    struct g_queue rxq, txq;
    uint16_t rx_next, tx_next; /* next descriptor to use */
    bool level;                /* the interrupt line as set_irq drove it */
    int irq_calls;
    bool alive;
    int events;
    char last_kind[32];
    char last_text[160];
};

static struct member m[N];
static struct vnet_seg seg;
static uint64_t now;
static const char *const names[N] = { "a", "b", "c" };

static void h_irq(void *ctx, uint32_t intid, bool level)
{
    struct member *x = ctx;
    assert_int_equal(intid, 48 + (x - m));
    assert_true(level != x->level); /* only changes are reported */
    x->level = level;
    x->irq_calls++;
}

static void h_event(void *ctx, const char *kind, const char *text)
{
    struct member *x = ctx;
    x->events++;
    snprintf(x->last_kind, sizeof(x->last_kind), "%s", kind);
    snprintf(x->last_text, sizeof(x->last_text), "%s", text);
}

/* Called when a device asks whether a receiver runs: after the sender's frame was decided
 * on and before it is copied (a guest's other vCPU could write its buffer then). */
static void (*on_alive)(struct member *x);

static bool h_alive(void *ctx)
{
    if (on_alive != NULL) {
        on_alive(ctx);
    }
    return ((struct member *)ctx)->alive;
}

static uint64_t h_now(void *ctx)
{
    (void)ctx;
    return now;
}

/* ------------------------------------------------------------------ driver side */

static uint32_t rd(int i, uint32_t off)
{
    uint64_t v = 0xdead;
    assert_int_equal(vnet_mmio(&m[i].dev, off, 4, false, &v), 0);
    return (uint32_t)v;
}

static void wr(int i, uint32_t off, uint32_t val)
{
    uint64_t v = val;
    assert_int_equal(vnet_mmio(&m[i].dev, off, 4, true, &v), 0);
}

static void setup_queue(int i, unsigned q, struct g_queue *g, uint64_t base, uint16_t num)
{
    g_queue_layout(g, &m[i].ram, base, num);
    wr(i, VIRTIO_MMIO_QUEUE_SEL, q);
    assert_int_equal(rd(i, VIRTIO_MMIO_QUEUE_NUM_MAX), 256);
    assert_int_equal(rd(i, VIRTIO_MMIO_QUEUE_READY), 0);
    wr(i, VIRTIO_MMIO_QUEUE_NUM, num);
    wr(i, VIRTIO_MMIO_QUEUE_DESC_LO, (uint32_t)g->desc);
    wr(i, VIRTIO_MMIO_QUEUE_DESC_HI, (uint32_t)(g->desc >> 32));
    wr(i, VIRTIO_MMIO_QUEUE_DRIVER_LO, (uint32_t)g->avail);
    wr(i, VIRTIO_MMIO_QUEUE_DRIVER_HI, 0);
    wr(i, VIRTIO_MMIO_QUEUE_DEVICE_LO, (uint32_t)g->used);
    wr(i, VIRTIO_MMIO_QUEUE_DEVICE_HI, 0);
    wr(i, VIRTIO_MMIO_QUEUE_READY, 1);
}

/* 3.1.1 driver initialisation, then both queues (num entries each) and DRIVER_OK. */
static void driver_up(int i, uint16_t num)
{
    wr(i, VIRTIO_MMIO_STATUS, 0);
    wr(i, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    wr(i, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(i, VIRTIO_MMIO_DRV_FEATURES_SEL, 0);
    wr(i, VIRTIO_MMIO_DRV_FEATURES, (1u << VNET_F_MAC) | (1u << VNET_F_STATUS));
    wr(i, VIRTIO_MMIO_DRV_FEATURES_SEL, 1);
    wr(i, VIRTIO_MMIO_DRV_FEATURES, 1); /* VIRTIO_F_VERSION_1 */
    wr(i, VIRTIO_MMIO_STATUS, 0xb);
    assert_int_equal(rd(i, VIRTIO_MMIO_STATUS), 0xb);
    setup_queue(i, VNET_RXQ, &m[i].rxq, RXQ_BASE, num);
    setup_queue(i, VNET_TXQ, &m[i].txq, TXQ_BASE, num);
    wr(i, VIRTIO_MMIO_STATUS, 0xf);
    assert_int_equal(rd(i, VIRTIO_MMIO_STATUS), 0xf);
    m[i].rx_next = m[i].tx_next = 0;
}

static void post_rx(int i, uint32_t len)
{
    struct member *x = &m[i];
    uint16_t d = x->rx_next++ % x->rxq.num;
    g_desc(&x->rxq, d, RX_BUF + 2048u * d, len, VIRTQ_DESC_F_WRITE, 0);
    g_offer(&x->rxq, d);
}

/* A frame to dst from member i's MAC, with payload bytes p, p+1, ... (len bytes in all). */
static void make_frame(uint8_t *f, const uint8_t *dst, int i, uint32_t len, uint8_t p)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, seg.mac[i], 6);
    f[12] = 0x08;
    f[13] = 0x00;
    for (uint32_t k = 14; k < len; k++) {
        f[k] = (uint8_t)(p + k);
    }
}

/* Queue one frame (header + frame in one buffer) without notifying; returns its head. */
static uint16_t queue_tx(int i, const uint8_t *frame, uint32_t len, const uint8_t *hdr)
{
    struct member *x = &m[i];
    uint16_t d = x->tx_next++ % x->txq.num;
    uint8_t *b = g_ptr(&x->ram, TX_BUF + 2048u * d);

    memset(b, 0, VNET_HDR_LEN);
    if (hdr != NULL) {
        memcpy(b, hdr, VNET_HDR_LEN);
    }
    memcpy(b + VNET_HDR_LEN, frame, len);
    g_desc(&x->txq, d, TX_BUF + 2048u * d, VNET_HDR_LEN + len, 0, 0);
    g_offer(&x->txq, d);
    return d;
}

static void notify_tx(int i)
{
    wr(i, VIRTIO_MMIO_QUEUE_NOTIFY, VNET_TXQ);
}

static void send(int i, const uint8_t *frame, uint32_t len)
{
    queue_tx(i, frame, len, NULL);
    notify_tx(i);
}

static struct vnet_stats stats(int i)
{
    struct vnet_stats s;
    vnet_get_stats(&m[i].dev, &s);
    return s;
}

/* The frame in member i's n-th used receive element: checks header and length. */
static const uint8_t *received(int i, uint16_t n, uint32_t len)
{
    uint32_t id, used_len;
    g_used_elem(&m[i].rxq, n, &id, &used_len);
    assert_int_equal(used_len, VNET_HDR_LEN + len);
    const uint8_t *b = g_ptr(&m[i].ram, RX_BUF + 2048u * id);
    static const uint8_t hdr[VNET_HDR_LEN] = { [10] = 1 }; /* num_buffers = 1, no offload */
    assert_memory_equal(b, hdr, VNET_HDR_LEN);
    return b + VNET_HDR_LEN;
}

/* ------------------------------------------------------------------ fixture */

static int setup(void **state)
{
    static const uint8_t reach_all[N] = { 0x6, 0x5, 0x3 };
    const uint8_t *reach = *state != NULL ? *state : reach_all;

    memset(&seg, 0, sizeof(seg));
    seg.name = "lan";
    seg.members = 0x7;
    now = 5 * NS;
    for (int i = 0; i < N; i++) {
        const uint8_t mac[6] = { 0x02, 0x42, 0xac, 0x01, 0x00, (uint8_t)i };
        memcpy(seg.mac[i], mac, 6);
        seg.member_name[i] = names[i];
    }
    for (int i = 0; i < N; i++) {
        struct member *x = &m[i];
        memset(x, 0, sizeof(*x));
        x->alive = true;
        on_alive = NULL;
        struct vnet_cfg cfg = { .reach = reach[i], .intid = 48u + (uint32_t)i };
        struct vnet_hooks h = { .ctx = x, .set_irq = h_irq, .event = h_event, .alive = h_alive,
                                .now_ns = h_now };
        struct virtq_mem mem = g_mem(&x->ram);
        assert_int_equal(vnet_init(&x->dev, &seg, (unsigned)i, &cfg, &mem, &h), 0);
    }
    return 0;
}

/* ------------------------------------------------------------------ registers */

static void test_registers(void **state)
{
    uint64_t v;
    (void)state;

    assert_int_equal(rd(A, VIRTIO_MMIO_MAGIC), 0x74726976);
    assert_int_equal(rd(A, VIRTIO_MMIO_VERSION), 2);
    assert_int_equal(rd(A, VIRTIO_MMIO_DEVICE_ID), 1);
    assert_int_equal(rd(A, VIRTIO_MMIO_VENDOR_ID), 0x4b484c42);
    wr(A, VIRTIO_MMIO_DEV_FEATURES_SEL, 0);
    assert_int_equal(rd(A, VIRTIO_MMIO_DEV_FEATURES), (1u << 5) | (1u << 16));
    wr(A, VIRTIO_MMIO_DEV_FEATURES_SEL, 1);
    assert_int_equal(rd(A, VIRTIO_MMIO_DEV_FEATURES), 1); /* bit 32 */
    wr(A, VIRTIO_MMIO_DEV_FEATURES_SEL, 2);
    assert_int_equal(rd(A, VIRTIO_MMIO_DEV_FEATURES), 0);
    for (uint32_t q = 0; q < 3; q++) {
        wr(A, VIRTIO_MMIO_QUEUE_SEL, q);
        assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_NUM_MAX), q < 2 ? 256 : 0);
    }
    assert_int_equal(rd(A, VIRTIO_MMIO_SHM_LEN_LO), 0xffffffffu);
    assert_int_equal(rd(A, VIRTIO_MMIO_CONFIG_GEN), 0);
    /* registers are 32-bit and aligned; unknown offsets and wrong directions are refused */
    assert_int_equal(vnet_mmio(&m[A].dev, VIRTIO_MMIO_MAGIC, 2, false, &v), -BH_EINVAL);
    assert_int_equal(vnet_mmio(&m[A].dev, VIRTIO_MMIO_MAGIC, 8, false, &v), -BH_EINVAL);
    assert_int_equal(vnet_mmio(&m[A].dev, 0x002, 4, false, &v), -BH_EINVAL);
    assert_int_equal(vnet_mmio(&m[A].dev, 0x0f8, 4, false, &v), -BH_EINVAL);
    assert_int_equal(vnet_mmio(&m[A].dev, VIRTIO_MMIO_QUEUE_NUM, 4, false, &v), -BH_EINVAL);
    v = 1;
    assert_int_equal(vnet_mmio(&m[A].dev, VIRTIO_MMIO_MAGIC, 4, true, &v), -BH_EINVAL);
    assert_int_equal(vnet_mmio(&m[A].dev, 0x200, 4, false, &v), -BH_EINVAL);
    /* configuration space: mac then le16 status = LINK_UP, read-only */
    for (uint32_t k = 0; k < 6; k++) {
        assert_int_equal(vnet_mmio(&m[B].dev, 0x100 + k, 1, false, &v), 0);
        assert_int_equal(v, seg.mac[B][k]);
    }
    assert_int_equal(vnet_mmio(&m[B].dev, 0x106, 2, false, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(vnet_mmio(&m[B].dev, 0x100, 4, false, &v), 0);
    assert_int_equal(v, 0x01ac4202);
    v = 0xff;
    assert_int_equal(vnet_mmio(&m[B].dev, 0x100, 1, true, &v), 0);
    assert_int_equal(vnet_mmio(&m[B].dev, 0x100, 1, false, &v), 0);
    assert_int_equal(v, 0x02);
    assert_int_equal(vnet_mmio(&m[B].dev, 0x101, 2, false, &v), -BH_EINVAL); /* misaligned */
}

static void test_negotiation(void **state)
{
    (void)state;

    wr(A, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    /* no VIRTIO_F_VERSION_1: FEATURES_OK refused, and DRIVER_OK without it too */
    wr(A, VIRTIO_MMIO_DRV_FEATURES_SEL, 0);
    wr(A, VIRTIO_MMIO_DRV_FEATURES, 1u << 5);
    wr(A, VIRTIO_MMIO_STATUS, 0xb);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0x3);
    wr(A, VIRTIO_MMIO_STATUS, 0x7);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0x3);
    /* a feature that was not offered (VIRTIO_NET_F_CSUM, bit 0): refused */
    wr(A, VIRTIO_MMIO_DRV_FEATURES, (1u << 5) | 1u);
    wr(A, VIRTIO_MMIO_DRV_FEATURES_SEL, 1);
    wr(A, VIRTIO_MMIO_DRV_FEATURES, 1);
    wr(A, VIRTIO_MMIO_STATUS, 0xb);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0x3);
    /* a bit past 63 (DriverFeaturesSel 2, 40; none is offered): refused until cleared */
    wr(A, VIRTIO_MMIO_DRV_FEATURES_SEL, 0);
    wr(A, VIRTIO_MMIO_DRV_FEATURES, 1u << 5);
    for (uint32_t sel = 2; sel <= 40; sel += 38) {
        wr(A, VIRTIO_MMIO_DRV_FEATURES_SEL, sel);
        wr(A, VIRTIO_MMIO_DRV_FEATURES, 1u << 3);
        wr(A, VIRTIO_MMIO_STATUS, 0xb);
        assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0x3);
        wr(A, VIRTIO_MMIO_DRV_FEATURES, 0);
    }
    wr(A, VIRTIO_MMIO_STATUS, 0xb);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0x3); /* word 40 is sticky */
    wr(A, VIRTIO_MMIO_STATUS, 0); /* a reset forgets it */
    wr(A, VIRTIO_MMIO_STATUS, 0x3);
    wr(A, VIRTIO_MMIO_DRV_FEATURES_SEL, 1);
    wr(A, VIRTIO_MMIO_DRV_FEATURES, 1);
    wr(A, VIRTIO_MMIO_DRV_FEATURES_SEL, 2);
    wr(A, VIRTIO_MMIO_DRV_FEATURES, 0); /* all of a word past the offered ones declined: fine */
    /* VERSION_1 and MAC only: accepted; features are then fixed */
    wr(A, VIRTIO_MMIO_DRV_FEATURES_SEL, 0);
    wr(A, VIRTIO_MMIO_DRV_FEATURES, 1u << 5);
    wr(A, VIRTIO_MMIO_STATUS, 0xb);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0xb);
    assert_int_equal(m[A].dev.t.drv_features, (UINT64_C(1) << 32) | (1u << 5));
    wr(A, VIRTIO_MMIO_DRV_FEATURES, 0xffffffffu);
    assert_int_equal(m[A].dev.t.drv_features, (UINT64_C(1) << 32) | (1u << 5));
    wr(A, VIRTIO_MMIO_STATUS, 0xf);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0xf);
    /* the driver cannot set DEVICE_NEEDS_RESET */
    wr(A, VIRTIO_MMIO_STATUS, 0x4f);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0xf);
    /* reset: everything forgotten */
    wr(A, VIRTIO_MMIO_STATUS, 0);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0);
    assert_int_equal(m[A].dev.t.drv_features, 0);
}

/* 4.2.2 queue registers: a queue that does not exist reads as absent and ignores every write;
 * a ready queue's QueueNum and addresses are fixed until QueueReady 0; QueueReady 1 -> 0 -> 1
 * starts the queue afresh (4.2.3.2); QueueReset (v1.2, 0x0c0) reads 0 and a 1 written to it
 * forgets the queue at once (4.2.2.1), with no chain taken from it any more. */
static void test_queue_registers(void **state)
{
    uint8_t f[64];
    uint64_t v = 0;
    (void)state;

    driver_up(A, 8);
    driver_up(B, 8);
    /* queue 2 does not exist */
    wr(A, VIRTIO_MMIO_QUEUE_SEL, 2);
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
    wr(A, VIRTIO_MMIO_QUEUE_NUM, 8);
    wr(A, VIRTIO_MMIO_QUEUE_DESC_LO, (uint32_t)RXQ_BASE);
    wr(A, VIRTIO_MMIO_QUEUE_READY, 1);
    wr(A, VIRTIO_MMIO_QUEUE_RESET, 1);
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_READY), 0);
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_RESET), 0);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0xf);
    wr(A, VIRTIO_MMIO_QUEUE_NOTIFY, 2); /* a spurious notification: nothing */
    /* the ready transmit queue ignores a new size and table; a frame still goes through */
    wr(A, VIRTIO_MMIO_QUEUE_SEL, VNET_TXQ);
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_RESET), 0);
    wr(A, VIRTIO_MMIO_QUEUE_NUM, 2);
    wr(A, VIRTIO_MMIO_QUEUE_DESC_LO, (uint32_t)RXQ_BASE);
    post_rx(B, RX_LEN);
    make_frame(f, seg.mac[B], A, sizeof(f), 1);
    send(A, f, sizeof(f));
    assert_memory_equal(received(B, 0, sizeof(f)), f, sizeof(f));
    assert_int_equal(g_used_idx(&m[A].txq), 1);
    /* QueueReady 1 -> 0 (reads back 0) -> 1 elsewhere: indices from 0 again */
    wr(A, VIRTIO_MMIO_QUEUE_READY, 0);
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_READY), 0);
    setup_queue(A, VNET_TXQ, &m[A].txq, TXQ_BASE + 0x4000, 8);
    m[A].tx_next = 0;
    post_rx(B, RX_LEN);
    send(A, f, sizeof(f));
    assert_int_equal(g_used_idx(&m[A].txq), 1);
    assert_int_equal(stats(B).rx_frames, 2);
    /* QueueReset with a frame queued: not ready, nothing taken, nothing written */
    queue_tx(A, f, sizeof(f), NULL);
    wr(A, VIRTIO_MMIO_QUEUE_RESET, 0); /* only 1 resets */
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_READY), 1);
    wr(A, VIRTIO_MMIO_QUEUE_RESET, 1);
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_RESET), 0);
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_READY), 0);
    assert_int_equal(m[A].dev.t.q[VNET_TXQ].num, 0); /* size and addresses forgotten */
    assert_int_equal(m[A].dev.t.q[VNET_TXQ].desc_ipa, 0);
    post_rx(B, RX_LEN);
    notify_tx(A);
    assert_int_equal(g_used_idx(&m[A].txq), 1);
    assert_int_equal(stats(B).rx_frames, 2);
    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0xf); /* the device itself goes on */
    /* set up again: the queue works, the receive queue was never touched */
    setup_queue(A, VNET_TXQ, &m[A].txq, TXQ_BASE, 8);
    m[A].tx_next = 0;
    send(A, f, sizeof(f));
    assert_int_equal(stats(B).rx_frames, 3);
    wr(A, VIRTIO_MMIO_QUEUE_SEL, VNET_RXQ);
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_READY), 1);
    /* QueueReset is a 32-bit register like the others */
    assert_int_equal(vnet_mmio(&m[A].dev, VIRTIO_MMIO_QUEUE_RESET, 2, false, &v), -BH_EINVAL);
}

/* ------------------------------------------------------------------ switching */

static void test_unicast(void **state)
{
    uint8_t f[VNET_FRAME_MAX];
    (void)state;

    for (int i = 0; i < N; i++) {
        driver_up(i, 8);
    }
    post_rx(B, RX_LEN);
    post_rx(B, RX_LEN);
    make_frame(f, seg.mac[B], A, 60, 7);
    send(A, f, 60);
    assert_int_equal(g_used_idx(&m[B].rxq), 1);
    assert_memory_equal(received(B, 0, 60), f, 60);
    assert_true(m[B].level);
    assert_int_equal(rd(B, VIRTIO_MMIO_INT_STATUS), VIRTIO_INT_USED);
    wr(B, VIRTIO_MMIO_INT_ACK, VIRTIO_INT_USED);
    assert_false(m[B].level);
    /* the sender's chain came back used (len 0: the device wrote nothing into it) */
    uint32_t id, len;
    assert_int_equal(g_used_idx(&m[A].txq), 1);
    g_used_elem(&m[A].txq, 0, &id, &len);
    assert_int_equal(id, 0);
    assert_int_equal(len, 0);
    assert_true(m[A].level);
    assert_int_equal(g_used_idx(&m[C].rxq), 0);
    /* a full-size frame, header in its own descriptor */
    make_frame(f, seg.mac[B], A, VNET_FRAME_MAX, 3);
    uint8_t *hb = g_ptr(&m[A].ram, TX_BUF + 0x8000);
    memset(hb, 0, VNET_HDR_LEN);
    memcpy(g_ptr(&m[A].ram, TX_BUF + 0x9000), f, VNET_FRAME_MAX);
    g_desc(&m[A].txq, 5, TX_BUF + 0x8000, VNET_HDR_LEN, VIRTQ_DESC_F_NEXT, 6);
    g_desc(&m[A].txq, 6, TX_BUF + 0x9000, VNET_FRAME_MAX, 0, 0);
    g_offer(&m[A].txq, 5);
    notify_tx(A);
    assert_memory_equal(received(B, 1, VNET_FRAME_MAX), f, VNET_FRAME_MAX);
    struct vnet_stats sa = stats(A), sb = stats(B);
    assert_int_equal(sa.tx_frames, 2);
    assert_int_equal(sa.tx_bytes, 60 + VNET_FRAME_MAX);
    assert_int_equal(sb.rx_frames, 2);
    assert_int_equal(sb.rx_bytes, 60 + VNET_FRAME_MAX);
    assert_int_equal(m[A].events + m[B].events + m[C].events, 0);
}

/* Cut points (offsets into header + frame, ascending, 0-terminated) of the shapes below. */
#define CUTS_MAX 6

/* Queue header + frame (len bytes) from member i as a chain cut at cuts: piece k in a page
 * of its own at an odd offset, so no copy is aligned. Descriptors from 0; returns the count. */
static unsigned queue_tx_cut(int i, const uint8_t *frame, uint32_t len, const uint32_t *cuts)
{
    struct member *x = &m[i];
    uint8_t pkt[VNET_HDR_LEN + VNET_FRAME_MAX] = { 0 };
    uint32_t total = VNET_HDR_LEN + len, from = 0;
    unsigned k = 0;

    memcpy(pkt + VNET_HDR_LEN, frame, len);
    for (; from < total || k == 0; k++) {
        uint32_t to = k < CUTS_MAX && cuts[k] != 0 && cuts[k] < total ? cuts[k] : total;
        uint64_t ipa = TX_BUF + 0x1000u * (k / 2) + 0x800u * (k % 2) + 3;
        memcpy(g_ptr(&x->ram, ipa), pkt + from, to - from);
        g_desc(&x->txq, (uint16_t)k, ipa, to - from, to < total ? VIRTQ_DESC_F_NEXT : 0,
               (uint16_t)(k + 1));
        from = to;
    }
    g_offer(&x->txq, 0);
    return k;
}

/* Post one receive chain on member i cut at cuts (buffers RX_LEN in all), each piece at an
 * odd offset of its own 2 KiB; its bytes read back in order by rx_read. */
static void post_rx_cut(int i, const uint32_t *cuts)
{
    struct member *x = &m[i];
    uint32_t from = 0;

    memset(g_ptr(&x->ram, RX_BUF), 0x55, 0x800u * (CUTS_MAX + 1));
    for (unsigned k = 0; from < RX_LEN; k++) {
        uint32_t to = k < CUTS_MAX && cuts[k] != 0 ? cuts[k] : RX_LEN;
        g_desc(&x->rxq, (uint16_t)k, RX_BUF + 0x800u * k + 1, to - from,
               VIRTQ_DESC_F_WRITE | (to < RX_LEN ? VIRTQ_DESC_F_NEXT : 0), (uint16_t)(k + 1));
        from = to;
    }
    g_offer(&x->rxq, 0);
}

static void rx_read(int i, const uint32_t *cuts, uint8_t *out, uint32_t n)
{
    uint32_t from = 0;

    for (unsigned k = 0; from < n; k++) {
        uint32_t to = k < CUTS_MAX && cuts[k] != 0 ? cuts[k] : RX_LEN;
        to = to < n ? to : n;
        memcpy(out + from, g_ptr(&m[i].ram, RX_BUF + 0x800u * k + 1), to - from);
        from = to;
    }
}

/*
 * One copy (straight from the sender's buffers) and the gathered way (through the device's
 * frame buffer, for long chains or a short first buffer) give the receiver the same bytes,
 * whatever the shapes of both chains: a zero-length piece, a first piece just short of header
 * + destination (17) or just holding them (18), receive buffers cut inside the header, the
 * destination and the payload. The frame buffer shows which way each frame went.
 */
static void test_one_copy_equals_gathered(void **state)
{
    static const uint32_t tx_shapes[][CUTS_MAX] = {
        { 0 }, { 12 }, { 17 }, { 18 }, { 18, 40, 41 }, { 20, 20, 50 },
        { 20, 40, 60, 70 }, { 5, 10, 20, 30, 40 }, { 30, 31, 32, 33, 34, 35 },
    };
    static const uint32_t rx_shapes[][CUTS_MAX] = {
        { 0 }, { 5 }, { 17 }, { 18 }, { 19 }, { 30, 50 }, { 12, 14, 16, 18, 20, 72 },
    };
    static const uint32_t lens[] = { 60, 64, VNET_FRAME_MAX };
    uint8_t f[VNET_FRAME_MAX], want[RX_LEN], got[RX_LEN];
    unsigned direct = 0, gathered = 0;
    (void)state;

    for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
        make_frame(f, seg.mac[B], A, lens[l], (uint8_t)(11 * l + 1));
        memset(want, 0, VNET_HDR_LEN);
        want[10] = 1; /* num_buffers */
        memcpy(want + VNET_HDR_LEN, f, lens[l]);
        for (size_t t = 0; t < sizeof(tx_shapes) / sizeof(tx_shapes[0]); t++) {
            for (size_t r = 0; r < sizeof(rx_shapes) / sizeof(rx_shapes[0]); r++) {
                uint32_t total = VNET_HDR_LEN + lens[l], id, used;
                driver_up(A, 8);
                driver_up(B, 8);
                post_rx_cut(B, rx_shapes[r]);
                memset(m[A].dev.frame, 0xaa, sizeof(m[A].dev.frame));
                unsigned pieces = queue_tx_cut(A, f, lens[l], tx_shapes[t]);
                notify_tx(A);
                g_used_elem(&m[B].rxq, 0, &id, &used);
                assert_int_equal(id, 0);
                assert_int_equal(used, total);
                rx_read(B, rx_shapes[r], got, total);
                assert_memory_equal(got, want, total);
                /* the first piece holds header + destination: straight, unless too many */
                bool straight = pieces <= VNET_SRC_MAX &&
                                (tx_shapes[t][0] == 0 || tx_shapes[t][0] >= 18);
                assert_int_equal(m[A].dev.frame[0] == 0xaa && m[A].dev.frame[17] == 0xaa,
                                 straight);
                direct += straight;
                gathered += !straight;
            }
        }
    }
    assert_true(direct > 0 && gathered > 0);
    assert_int_equal(stats(B).rx_frames, direct + gathered);
    assert_int_equal(m[A].events + m[B].events + m[C].events, 0);
}

/* A sender's other vCPU rewriting the frame after the policy decided on it: the receiver
 * still gets the header and destination decided on (read once), the rest as it is then. */
static void scribble_dst(struct member *x)
{
    uint8_t *b = g_ptr(&m[A].ram, TX_BUF + 3);

    (void)x;
    memcpy(b + VNET_HDR_LEN, seg.mac[C], 6); /* another member */
    b[0] = 1;                                /* VIRTIO_NET_HDR_F_NEEDS_CSUM */
    b[VNET_HDR_LEN + 20] ^= 0xff;            /* the payload: copied as it is now */
}

static void test_destination_read_once(void **state)
{
    static const uint32_t one[CUTS_MAX] = { 0 };
    uint8_t f[100];
    (void)state;

    for (int i = 0; i < N; i++) {
        driver_up(i, 8);
    }
    post_rx_cut(B, one);
    post_rx(C, RX_LEN);
    make_frame(f, seg.mac[B], A, sizeof(f), 5);
    queue_tx_cut(A, f, sizeof(f), one);
    on_alive = scribble_dst;
    notify_tx(A);
    on_alive = NULL;
    uint8_t got[VNET_HDR_LEN + sizeof(f)];
    rx_read(B, one, got, sizeof(got));
    assert_int_equal(got[0], 0);
    assert_int_equal(got[10], 1);
    assert_memory_equal(got + VNET_HDR_LEN, seg.mac[B], 6);
    f[20] ^= 0xff;
    assert_memory_equal(got + VNET_HDR_LEN, f, sizeof(f));
    assert_int_equal(g_used_idx(&m[C].rxq), 0);
    assert_int_equal(stats(B).rx_frames, 1);
}

/* VIRTQ_AVAIL_F_NO_INTERRUPT (2.7.7): a driver that turned its callbacks off gets its buffers
 * used but no interrupt; with the flag clear again, the next buffer interrupts. */
static void test_no_interrupt_flag(void **state)
{
    uint8_t f[VNET_FRAME_MAX];
    (void)state;

    for (int i = 0; i < N; i++) {
        driver_up(i, 8);
    }
    post_rx(B, RX_LEN);
    post_rx(B, RX_LEN);
    g_w16(&m[B].ram, m[B].rxq.avail, 1); /* receiver: no interrupts */
    g_w16(&m[A].ram, m[A].txq.avail, 1); /* sender: none for its transmit completions */
    make_frame(f, seg.mac[B], A, 60, 9);
    send(A, f, 60);
    assert_int_equal(g_used_idx(&m[B].rxq), 1);
    assert_memory_equal(received(B, 0, 60), f, 60);
    assert_int_equal(g_used_idx(&m[A].txq), 1);
    assert_false(m[B].level);
    assert_false(m[A].level);
    assert_int_equal(rd(B, VIRTIO_MMIO_INT_STATUS), 0);
    assert_int_equal(rd(A, VIRTIO_MMIO_INT_STATUS), 0);
    g_w16(&m[B].ram, m[B].rxq.avail, 0); /* callbacks back on: the next frame interrupts */
    send(A, f, 60);
    assert_int_equal(g_used_idx(&m[B].rxq), 2);
    assert_true(m[B].level);
    assert_false(m[A].level);
}

/* A receive buffer larger than the chain limit (128 KiB, one descriptor) is a valid buffer
 * (2.7.4): the frame goes into its start, and the device is not stopped. */
static void test_rx_huge_buffer(void **state)
{
    uint8_t f[VNET_FRAME_MAX];
    (void)state;

    driver_up(A, 8);
    driver_up(B, 8);
    g_desc(&m[B].rxq, 0, RX_BUF, 0x20000, VIRTQ_DESC_F_WRITE, 0);
    g_offer(&m[B].rxq, 0);
    m[B].rx_next = 1;
    make_frame(f, seg.mac[B], A, sizeof(f), 3);
    send(A, f, sizeof(f));
    assert_memory_equal(received(B, 0, sizeof(f)), f, sizeof(f));
    assert_int_equal(stats(B).malformed, 0);
    assert_false(rd(B, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
}

/* A receive buffer split across descriptors (header alone, then the frame). */
static void test_rx_chain(void **state)
{
    uint8_t f[200];
    (void)state;

    driver_up(A, 4);
    driver_up(B, 4);
    g_desc(&m[B].rxq, 2, RX_BUF, 5, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 3);
    g_desc(&m[B].rxq, 3, RX_BUF + 5, RX_LEN - 5, VIRTQ_DESC_F_WRITE, 0);
    g_offer(&m[B].rxq, 2);
    make_frame(f, seg.mac[B], A, sizeof(f), 1);
    send(A, f, sizeof(f));
    uint32_t id, len;
    g_used_elem(&m[B].rxq, 0, &id, &len);
    assert_int_equal(id, 2);
    assert_int_equal(len, VNET_HDR_LEN + sizeof(f));
    assert_int_equal(g_ptr(&m[B].ram, RX_BUF)[10], 1);
    assert_memory_equal(g_ptr(&m[B].ram, RX_BUF + VNET_HDR_LEN), f, sizeof(f));
}

static void test_broadcast(void **state)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    static const uint8_t mcast[6] = { 0x33, 0x33, 0, 0, 0, 1 };
    uint8_t f[64];
    (void)state;

    for (int i = 0; i < N; i++) {
        driver_up(i, 8);
        post_rx(i, RX_LEN);
        post_rx(i, RX_LEN);
    }
    make_frame(f, bcast, A, sizeof(f), 9);
    send(A, f, sizeof(f));
    make_frame(f, mcast, A, sizeof(f), 9);
    send(A, f, sizeof(f));
    assert_int_equal(g_used_idx(&m[A].rxq), 0); /* never back to the sender */
    assert_int_equal(g_used_idx(&m[B].rxq), 2);
    assert_int_equal(g_used_idx(&m[C].rxq), 2);
    assert_memory_equal(received(C, 1, sizeof(f)), f, sizeof(f));
    assert_int_equal(stats(A).tx_frames, 2);
}

static const uint8_t reach_a_b[N] = { 0x2, 0x5, 0x3 }; /* a may reach b only */

static void test_forbidden_peer(void **state)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    uint8_t f[64];
    (void)state;

    for (int i = 0; i < N; i++) {
        driver_up(i, 8);
        post_rx(i, RX_LEN);
        post_rx(i, RX_LEN);
    }
    make_frame(f, seg.mac[C], A, sizeof(f), 0);
    send(A, f, sizeof(f));
    assert_int_equal(g_used_idx(&m[C].rxq), 0);
    assert_int_equal(stats(A).drop_deny, 1);
    assert_int_equal(stats(A).tx_frames, 0);
    assert_int_equal(m[A].events, 1);
    assert_string_equal(m[A].last_kind, "net_deny");
    assert_non_null(strstr(m[A].last_text, "seg=lan to=c dst=02:42:ac:01:00:02"));
    assert_int_equal(g_used_idx(&m[A].txq), 1); /* the chain still comes back */
    /* a broadcast from a reaches b only; c may still reach a */
    make_frame(f, bcast, A, sizeof(f), 0);
    send(A, f, sizeof(f));
    assert_int_equal(g_used_idx(&m[B].rxq), 1);
    assert_int_equal(g_used_idx(&m[C].rxq), 0);
    make_frame(f, seg.mac[A], C, sizeof(f), 0);
    send(C, f, sizeof(f));
    assert_int_equal(g_used_idx(&m[A].rxq), 1);
}

static void test_unknown_mac(void **state)
{
    static const uint8_t other[6] = { 0x02, 0x42, 0xac, 0x01, 0x00, 0x09 };
    uint8_t f[64];
    (void)state;

    driver_up(A, 8);
    make_frame(f, other, A, sizeof(f), 0);
    send(A, f, sizeof(f));
    make_frame(f, seg.mac[A], A, sizeof(f), 0); /* to itself: no such peer */
    send(A, f, sizeof(f));
    assert_int_equal(stats(A).drop_unknown, 2);
    assert_string_equal(m[A].last_kind, "net_deny");
    assert_non_null(strstr(m[A].last_text, "to=- dst=02:42:ac:01:00:00"));
}

static void test_no_rx_buffer_and_small(void **state)
{
    uint8_t f[100];
    (void)state;

    driver_up(A, 8);
    driver_up(B, 8);
    make_frame(f, seg.mac[B], A, sizeof(f), 0);
    send(A, f, sizeof(f));
    assert_int_equal(stats(B).rx_no_buffer, 1);
    assert_int_equal(g_used_idx(&m[A].txq), 1);
    post_rx(B, VNET_HDR_LEN + 99); /* one byte short */
    send(A, f, sizeof(f));
    assert_int_equal(stats(B).rx_small, 1);
    uint32_t id, len;
    g_used_elem(&m[B].rxq, 0, &id, &len);
    assert_int_equal(len, 0);
    post_rx(B, VNET_HDR_LEN + 100); /* exactly enough */
    send(A, f, sizeof(f));
    assert_memory_equal(received(B, 1, sizeof(f)), f, sizeof(f));
    assert_int_equal(stats(B).rx_frames, 1);
    assert_int_equal(stats(B).malformed, 0);
}

static void test_receiver_down(void **state)
{
    uint8_t f[64];
    (void)state;

    driver_up(A, 8);
    driver_up(B, 8);
    post_rx(B, RX_LEN);
    m[B].alive = false; /* its VM stopped */
    make_frame(f, seg.mac[B], A, sizeof(f), 0);
    send(A, f, sizeof(f));
    assert_int_equal(stats(A).drop_down, 1);
    assert_int_equal(g_used_idx(&m[B].rxq), 0);
    m[B].alive = true;
    vnet_reset(&m[B].dev); /* a restart: the rings are forgotten */
    assert_int_equal(rd(B, VIRTIO_MMIO_STATUS), 0);
    wr(B, VIRTIO_MMIO_QUEUE_SEL, 0);
    assert_int_equal(rd(B, VIRTIO_MMIO_QUEUE_READY), 0);
    send(A, f, sizeof(f));
    assert_int_equal(stats(A).drop_down, 2);
    assert_int_equal(g_used_idx(&m[B].rxq), 0);
    /* a member without a device (its VM refused) */
    seg.dev[C] = NULL;
    make_frame(f, seg.mac[C], A, sizeof(f), 0);
    send(A, f, sizeof(f));
    assert_int_equal(stats(A).drop_down, 3);
    seg.dev[C] = &m[C].dev;
}

static void set_rates(int i, uint32_t pps, uint32_t bps)
{
    struct vnet_cfg cfg = { .reach = 0x6, .intid = 48, .rate_pps = pps, .rate_bps = bps };
    struct vnet_hooks h = m[i].dev.hooks;
    struct virtq_mem mem = g_mem(&m[i].ram);
    seg.dev[i] = NULL;
    m[i].level = false; /* a new device: its line starts low */
    assert_int_equal(vnet_init(&m[i].dev, &seg, (unsigned)i, &cfg, &mem, &h), 0);
}

static void test_rate_limit(void **state)
{
    uint8_t f[1000];
    (void)state;

    set_rates(A, 2, 0);
    driver_up(A, 16);
    driver_up(B, 16);
    for (int k = 0; k < 8; k++) {
        post_rx(B, RX_LEN);
    }
    make_frame(f, seg.mac[B], A, 64, 0);
    for (int k = 0; k < 3; k++) {
        send(A, f, 64);
    }
    assert_int_equal(stats(A).tx_frames, 2);
    assert_int_equal(stats(A).drop_rate, 1);
    now += NS / 2; /* one more token */
    send(A, f, 64);
    send(A, f, 64);
    assert_int_equal(stats(A).tx_frames, 3);
    assert_int_equal(stats(A).drop_rate, 2);
    assert_int_equal(stats(B).rx_frames, 3);

    /* bytes: 1000 B/s, but a bucket holds at least one full frame (1514) */
    set_rates(A, 0, 1000); /* a new device: counters from 0 */
    driver_up(A, 16);
    make_frame(f, seg.mac[B], A, sizeof(f), 0);
    send(A, f, sizeof(f)); /* 1514 -> 514 */
    send(A, f, sizeof(f));
    assert_int_equal(stats(A).drop_rate, 1);
    now += NS / 2; /* 514 + 500 */
    send(A, f, sizeof(f));
    assert_int_equal(stats(A).drop_rate, 1);
    assert_int_equal(stats(A).tx_frames, 2);
    /* a dropped frame costs nothing: taken from both buckets or from neither */
    set_rates(A, 10, 1000);
    driver_up(A, 16);
    send(A, f, sizeof(f)); /* pps 10 -> 9, bps 1514 -> 514 */
    send(A, f, sizeof(f)); /* bps short: dropped, pps stays 9 */
    assert_int_equal(stats(A).drop_rate, 1);
    assert_int_equal(m[A].dev.pps.level, 9 * NS);
}

static void test_bad_frames(void **state)
{
    uint8_t f[1600];
    static const uint8_t csum_hdr[VNET_HDR_LEN] = { 1 };   /* NEEDS_CSUM */
    static const uint8_t gso_hdr[VNET_HDR_LEN] = { 0, 1 }; /* GSO_TCPV4 */
    (void)state;

    driver_up(A, 8);
    driver_up(B, 8);
    post_rx(B, RX_LEN);
    make_frame(f, seg.mac[B], A, sizeof(f), 0);
    queue_tx(A, f, 64, csum_hdr);
    queue_tx(A, f, 64, gso_hdr);
    queue_tx(A, f, 13, NULL);                 /* shorter than an Ethernet header */
    queue_tx(A, f, VNET_FRAME_MAX + 1, NULL); /* too long */
    notify_tx(A);
    assert_int_equal(stats(A).drop_bad, 4);
    assert_int_equal(stats(A).tx_frames, 0);
    assert_int_equal(stats(A).malformed, 0);
    assert_int_equal(g_used_idx(&m[A].txq), 4);
    assert_int_equal(g_used_idx(&m[B].rxq), 0);
}

/* 5.1.6.2.2: the device ignores the transmit header's flag bits it does not act on (DATA_VALID,
 * RSC_INFO, the reserved ones) and every field but flags and gso_type: such frames go through,
 * and the receiver's header still says nothing but num_buffers = 1. */
static void test_tx_flags_ignored(void **state)
{
    static const uint8_t flags[] = { 0x02, 0x04, 0x08, 0x80, 0xfe };
    uint8_t f[64], hdr[VNET_HDR_LEN];
    (void)state;

    driver_up(A, 8);
    driver_up(B, 8);
    for (unsigned k = 0; k < sizeof(flags); k++) {
        memset(hdr, 0x5a, sizeof(hdr)); /* hdr_len, gso_size, csum_*, num_buffers: ignored */
        hdr[0] = flags[k];
        hdr[1] = 0;
        post_rx(B, RX_LEN);
        make_frame(f, seg.mac[B], A, sizeof(f), (uint8_t)k);
        queue_tx(A, f, sizeof(f), hdr);
        notify_tx(A);
        assert_memory_equal(received(B, (uint16_t)k, sizeof(f)), f, sizeof(f));
    }
    assert_int_equal(stats(A).drop_bad, 0);
    assert_int_equal(stats(B).rx_frames, sizeof(flags));
}

/* ------------------------------------------------------------------ malformed rings */

enum bad_kind { BAD_LOOP, BAD_ADDR, BAD_LEN, BAD_JUMP, BAD_INDIRECT, BAD_HEAD, BAD_DIR };

/* Member a's transmit ring made malformed in one way; returns the expected why= word. */
static const char *break_tx(enum bad_kind kind)
{
    struct g_queue *q = &m[A].txq;

    switch (kind) {
    case BAD_LOOP:
        g_desc(q, 0, TX_BUF, 40, VIRTQ_DESC_F_NEXT, 1);
        g_desc(q, 1, TX_BUF, 40, VIRTQ_DESC_F_NEXT, 0);
        g_offer(q, 0);
        return "why=loop";
    case BAD_ADDR:
        g_desc(q, 0, 0x1000, 64, 0, 0);
        g_offer(q, 0);
        return "why=address";
    case BAD_LEN:
        g_desc(q, 0, TX_BUF, 0x7fffffff, 0, 0);
        g_offer(q, 0);
        return "why=length";
    case BAD_JUMP:
        g_w16(&m[A].ram, q->avail + 2, 100);
        return "why=avail_jump";
    case BAD_INDIRECT:
        g_desc(q, 0, TX_BUF, 64, VIRTQ_DESC_F_INDIRECT, 0);
        g_offer(q, 0);
        return "why=indirect";
    case BAD_HEAD:
        g_offer(q, 200);
        return "why=index";
    case BAD_DIR:
        g_desc(q, 0, TX_BUF, 64, VIRTQ_DESC_F_WRITE, 0);
        g_offer(q, 0);
        return "why=direction";
    }
    return "";
}

static void check_stopped_only_a(const char *why)
{
    uint8_t f[64];

    assert_int_equal(rd(A, VIRTIO_MMIO_STATUS), 0xf | VIRTIO_STATUS_NEEDS_RESET);
    assert_true(rd(A, VIRTIO_MMIO_INT_STATUS) & VIRTIO_INT_CONFIG);
    assert_true(m[A].level);
    assert_int_equal(stats(A).malformed, 1);
    assert_int_equal(m[A].events, 1);
    assert_string_equal(m[A].last_kind, "net_malformed");
    assert_non_null(strstr(m[A].last_text, why));
    /* a is stopped: a good frame now goes nowhere, and frames to a are dropped */
    post_rx(B, RX_LEN);
    make_frame(f, seg.mac[B], A, sizeof(f), 0);
    send(A, f, sizeof(f));
    assert_int_equal(g_used_idx(&m[B].rxq), 0);
    make_frame(f, seg.mac[A], C, sizeof(f), 0);
    send(C, f, sizeof(f));
    assert_int_equal(stats(C).drop_down, 1);
    /* the others go on */
    make_frame(f, seg.mac[B], C, sizeof(f), 0);
    send(C, f, sizeof(f));
    assert_memory_equal(received(B, 0, sizeof(f)), f, sizeof(f));
    assert_int_equal(stats(B).malformed + stats(C).malformed, 0);
    /* a reset and a new set-up bring a back */
    driver_up(A, 8);
    post_rx(A, RX_LEN);
    send(C, f, sizeof(f)); /* to b: no buffer left */
    make_frame(f, seg.mac[A], C, sizeof(f), 0);
    send(C, f, sizeof(f));
    assert_memory_equal(received(A, 0, sizeof(f)), f, sizeof(f));
}

static void test_malformed_tx(void **state)
{
    (void)state;
    for (enum bad_kind k = BAD_LOOP; k <= BAD_DIR; k++) {
        setup(&(void *){ NULL });
        for (int i = 0; i < N; i++) {
            driver_up(i, 8);
        }
        const char *why = break_tx(k);
        notify_tx(A);
        print_message("  malformed: %s\n", why);
        check_stopped_only_a(why);
    }
}

static void test_malformed_rx(void **state)
{
    uint8_t f[64];
    (void)state;

    driver_up(A, 8);
    driver_up(B, 8);
    g_desc(&m[A].rxq, 0, G_RAM_IPA + G_RAM_SIZE - 8, RX_LEN, VIRTQ_DESC_F_WRITE, 0);
    g_offer(&m[A].rxq, 0);
    make_frame(f, seg.mac[A], B, sizeof(f), 0);
    send(B, f, sizeof(f));
    assert_true(rd(A, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    assert_non_null(strstr(m[A].last_text, "q=rx why=address"));
    assert_int_equal(stats(B).malformed, 0);
    assert_int_equal(g_used_idx(&m[B].txq), 1); /* the sender is fine */
    assert_false(rd(B, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
}

static void test_bad_queue_setup(void **state)
{
    (void)state;

    wr(A, VIRTIO_MMIO_STATUS, 0xb);
    wr(A, VIRTIO_MMIO_QUEUE_SEL, 0);
    wr(A, VIRTIO_MMIO_QUEUE_NUM, 3); /* not a power of two */
    wr(A, VIRTIO_MMIO_QUEUE_DESC_LO, (uint32_t)RXQ_BASE);
    wr(A, VIRTIO_MMIO_QUEUE_READY, 1);
    assert_int_equal(rd(A, VIRTIO_MMIO_QUEUE_READY), 0);
    assert_true(rd(A, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    assert_non_null(strstr(m[A].last_text, "why=queue_size"));
    /* a misaligned descriptor table, after a reset */
    wr(A, VIRTIO_MMIO_STATUS, 0);
    driver_up(B, 8);
    g_queue_layout(&m[A].txq, &m[A].ram, TXQ_BASE + 8, 8);
    wr(A, VIRTIO_MMIO_QUEUE_SEL, 1);
    wr(A, VIRTIO_MMIO_QUEUE_NUM, 8);
    wr(A, VIRTIO_MMIO_QUEUE_DESC_LO, (uint32_t)(TXQ_BASE + 8));
    wr(A, VIRTIO_MMIO_QUEUE_DRIVER_LO, (uint32_t)(TXQ_BASE + 0x1000));
    wr(A, VIRTIO_MMIO_QUEUE_DEVICE_LO, (uint32_t)(TXQ_BASE + 0x2000));
    wr(A, VIRTIO_MMIO_QUEUE_READY, 1);
    assert_true(rd(A, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    assert_non_null(strstr(m[A].last_text, "why=address"));
    assert_int_equal(stats(A).malformed, 2);
    assert_false(rd(B, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
}

/* Queue sizes of 1 and 2 work; the used index wraps with the ring. */
static void test_small_queues(void **state)
{
    uint8_t f[80];
    (void)state;

    driver_up(A, 1);
    driver_up(B, 2);
    for (int k = 0; k < 5; k++) {
        post_rx(B, RX_LEN);
        make_frame(f, seg.mac[B], A, sizeof(f), (uint8_t)k);
        send(A, f, sizeof(f));
        assert_memory_equal(received(B, (uint16_t)k, sizeof(f)), f, sizeof(f));
    }
    assert_int_equal(g_used_idx(&m[A].txq), 5);
    assert_int_equal(stats(B).rx_frames, 5);
}

/* A device whose VM has one vCPU (vnet_cfg.one_sender) transmits without its tx_lock: the
 * frame goes through while the lock is held (the host lock asserts if it were taken). The
 * receiver's lock is taken while the sender's is held, only when free at once (spin_trylock):
 * the frame and both interrupts arrive as before. */
static void test_one_sender(void **state)
{
    uint8_t f[VNET_FRAME_MAX];
    (void)state;

    for (int i = 0; i < N; i++) {
        driver_up(i, 8);
    }
    assert_false(m[A].dev.one_sender); /* the default: a VM with several vCPUs */
    m[A].dev.one_sender = true;
    post_rx(B, RX_LEN);
    make_frame(f, seg.mac[B], A, 60, 9);
    spin_lock(&m[A].dev.tx_lock);
    send(A, f, 60);
    spin_unlock(&m[A].dev.tx_lock);
    assert_int_equal(g_used_idx(&m[B].rxq), 1);
    assert_memory_equal(received(B, 0, 60), f, 60);
    assert_true(m[B].level && m[A].level);
    assert_int_equal(g_used_idx(&m[A].txq), 1);
    assert_false(spin_is_locked(&m[A].dev.lock) || spin_is_locked(&m[B].dev.lock));
}

/* Another vCPU of the sender, while the sender let go of its lock to wait for a receiver's:
 * it stops the transmit queue and writes a QueueNum no ring was checked for. */
static void stop_a_txq(struct member *x)
{
    if (x != &m[B]) {
        return;
    }
    wr(A, VIRTIO_MMIO_QUEUE_SEL, VNET_TXQ);
    wr(A, VIRTIO_MMIO_QUEUE_READY, 0);
    wr(A, VIRTIO_MMIO_QUEUE_NUM, 0x80000000u); /* pushing with it would index far past RAM */
}

/* The same, then the queue set up again elsewhere (a new ring the chain never came from). */
static void move_a_txq(struct member *x)
{
    stop_a_txq(x);
    if (x == &m[B]) {
        setup_queue(A, VNET_TXQ, &m[A].txq, TXQ_BASE + 0x2000, 8);
    }
}

/* The same with QueueReset 1 instead of QueueReady 0. */
static void reset_a_txq(struct member *x)
{
    if (x != &m[B]) {
        return;
    }
    wr(A, VIRTIO_MMIO_QUEUE_SEL, VNET_TXQ);
    wr(A, VIRTIO_MMIO_QUEUE_RESET, 1);
    wr(A, VIRTIO_MMIO_QUEUE_NUM, 0x80000000u);
}

/* The same after a's queues were stopped by a malformed receive ring (another member's frame
 * for a found it): QueueNum is writable again without a QueueReady 0. */
static void fail_a(struct member *x)
{
    uint8_t f[64];

    if (x != &m[B]) {
        return;
    }
    g_desc(&m[A].rxq, 0, G_RAM_IPA + G_RAM_SIZE - 8, RX_LEN, VIRTQ_DESC_F_WRITE, 0);
    g_offer(&m[A].rxq, 0);
    make_frame(f, seg.mac[A], C, sizeof(f), 0);
    send(C, f, sizeof(f));
    assert_true(rd(A, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    wr(A, VIRTIO_MMIO_QUEUE_SEL, VNET_TXQ);
    wr(A, VIRTIO_MMIO_QUEUE_NUM, 0x80000000u);
}

/* A transmit chain is returned only into the queue it was taken from: when the sender lets
 * go of its lock for a busy receiver's (spin_trylock failed) and another vCPU stops the
 * transmit queue meanwhile (QueueReady 0, perhaps a new QueueNum or a new ring), the frame
 * still goes out but the chain is not pushed: neither into the stopped queue (with a QueueNum
 * never checked) nor into the new one. Likewise after QueueReset, and when a's queues were
 * stopped as malformed. */
static void test_tx_queue_stopped_meanwhile(void **state)
{
    void (*const guest[4])(struct member *) = { stop_a_txq, move_a_txq, reset_a_txq,
                                                fail_a };
    uint8_t f[64];
    (void)state;

    for (int k = 0; k < 4; k++) {
        setup(&(void *){ NULL });
        driver_up(A, 8);
        driver_up(B, 8);
        driver_up(C, 8);
        post_rx(B, RX_LEN);
        make_frame(f, seg.mac[B], A, sizeof(f), (uint8_t)k);
        queue_tx(A, f, sizeof(f), NULL);
        uint8_t *old_used = g_ptr(&m[A].ram, m[A].txq.used);
        host_spin_trylock_busy = 1; /* b's lock: busy at once */
        on_alive = guest[k];
        notify_tx(A);
        on_alive = NULL;
        assert_int_equal(host_spin_trylock_busy, 0);
        assert_memory_equal(received(B, 0, sizeof(f)), f, sizeof(f));
        static const uint8_t untouched[4 + 8] = { 0 };
        assert_memory_equal(old_used, untouched, sizeof(untouched));
        assert_int_equal(g_used_idx(&m[A].txq), 0);
        /* no used-buffer interrupt for it either (the malformed ring's config change only) */
        assert_int_equal(rd(A, VIRTIO_MMIO_INT_STATUS), k == 3 ? VIRTIO_INT_CONFIG : 0);
        assert_int_equal(stats(A).malformed, k == 3);
        assert_false(spin_is_locked(&m[A].dev.lock) || spin_is_locked(&m[B].dev.lock));
    }
    /* a reset and a new set-up: the queue works */
    driver_up(A, 8);
    post_rx(B, RX_LEN);
    send(A, f, sizeof(f));
    assert_int_equal(g_used_idx(&m[A].txq), 1);
    assert_int_equal(stats(B).rx_frames, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_registers, setup),
        cmocka_unit_test_setup(test_negotiation, setup),
        cmocka_unit_test_setup(test_queue_registers, setup),
        cmocka_unit_test_setup(test_unicast, setup),
        cmocka_unit_test_setup(test_rx_chain, setup),
        cmocka_unit_test_setup(test_rx_huge_buffer, setup),
        cmocka_unit_test_setup(test_one_copy_equals_gathered, setup),
        cmocka_unit_test_setup(test_destination_read_once, setup),
        cmocka_unit_test_setup(test_no_interrupt_flag, setup),
        cmocka_unit_test_setup(test_broadcast, setup),
        cmocka_unit_test_prestate_setup_teardown(test_forbidden_peer, setup, NULL,
                                                 (void *)reach_a_b),
        cmocka_unit_test_setup(test_unknown_mac, setup),
        cmocka_unit_test_setup(test_no_rx_buffer_and_small, setup),
        cmocka_unit_test_setup(test_receiver_down, setup),
        cmocka_unit_test_setup(test_rate_limit, setup),
        cmocka_unit_test_setup(test_bad_frames, setup),
        cmocka_unit_test_setup(test_tx_flags_ignored, setup),
        cmocka_unit_test_setup(test_malformed_tx, setup),
        cmocka_unit_test_setup(test_malformed_rx, setup),
        cmocka_unit_test_setup(test_bad_queue_setup, setup),
        cmocka_unit_test_setup(test_small_queues, setup),
        cmocka_unit_test_setup(test_one_sender, setup),
        cmocka_unit_test_setup(test_tx_queue_stopped_meanwhile, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
