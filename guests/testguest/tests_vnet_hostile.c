// SPDX-License-Identifier: MIT
/*
 * tg.mode=vnet-hostile: a guest that drives its own virtio-net device with malformed
 * virtqueues and set-up sequences (issue 11), one case after another. Each case must end with
 * the device refusing (a register that does not take the value) or marking itself
 * DEVICE_NEEDS_RESET (virtio v1.2 2.1.2), and nothing of it may reach the peer, a VM in
 * tg.role=pong that fails on any VNET_K_HOSTILE frame and, at STOP, checks it got exactly the
 * good frames this side sent. After each case: reset (Status 0), full initialisation, and a
 * good frame echoed by the peer, so a device the case broke for good shows.
 */
#include <string.h>

#include "platform.h"
#include "report.h"
#include "tests.h"
#include "tests_vnet.h"
#include "timer.h"

#define HOSTILE_MS        300  /* the device has looked at the ring by then */
#define HANDSHAKE_MS      20000
#define HOSTILE_LEN       VNET_FRAME_MIN
#define HOSTILE_HEAD      20   /* descriptors the cases use (vnet_send's chains start at 0) */
#define HOSTILE_BUF       40   /* transmit buffers the cases use (vnet_send uses the first 32) */
#define OUTSIDE_RAM       0x1000000UL /* 16 MiB past the end of RAM */
#define STRADDLE          32   /* a buffer starting this far below the end of RAM */
#define QUEUE_NUM_ODD     100  /* not a power of two */
#define HUGE_LEN          0xffffffffU

static struct vnet_ctx hc;
static uint32_t good_sent; /* DATA frames the device took from us: the peer must count as many */

static uint32_t status(void)
{
    return vnet_read(&hc.dev, VIRTIO_MMIO_STATUS);
}

static bool needs_reset(const void *arg)
{
    (void)arg;
    return status() & VIRTIO_STATUS_NEEDS_RESET;
}

/* Wait (bounded) for DEVICE_NEEDS_RESET; the Status read at the end. */
static uint32_t observe(void)
{
    vnet_wait(needs_reset, NULL, HOSTILE_MS);
    return status();
}

/* A hostile frame with its header in transmit buffer HOSTILE_BUF + k; its address. */
static uintptr_t hostile_buf(uint32_t k, uint32_t seq)
{
    uint8_t *buf = hc.dev.tx_buf[HOSTILE_BUF + k];

    memset(buf, 0, VNET_HDR_LEN);
    vnet_build(buf + VNET_HDR_LEN, HOSTILE_LEN, hc.peer, hc.dev.mac, VNET_K_HOSTILE, seq);
    return (uintptr_t)buf;
}

/* Put head into the transmit avail ring and notify. */
static void post_tx(uint16_t head)
{
    struct vnet_queue *vq = hc.dev.txq;

    vq->avail.ring[hc.dev.tx_avail % VNET_QSIZE] = head;
    hc.dev.tx_avail++;
    vnet_kick(&hc.dev, VNET_TXQ, vq, hc.dev.tx_avail);
}

static void set_desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    hc.dev.txq->desc[i] = (struct virtq_desc){ .addr = addr, .len = len, .flags = flags,
                                               .next = next };
}

static bool good_frame(const char *after)
{
    const char *why = "";
    uint32_t seq = good_sent;
    bool ok = vnet_roundtrip(&hc, hc.peer, VNET_K_DATA, seq, vnet_frame_len(seq), &why);

    if (ok || strcmp(why, "transmit buffer not returned") != 0) {
        good_sent++; /* the device took it: the peer counts it */
    }
    return report(ok, "vnet-hostile: %s: after reset a good frame is echoed%s%s", after,
                  ok ? "" : ": ", ok ? "" : why);
}

/* ------------------------------------------------------------------ ring cases */

/* Each returns true if the device did what a case demands; *st is the Status seen. */

static bool ring_bad_addr(uint32_t *st)
{
    set_desc(HOSTILE_HEAD, platform_mem_highest_end() + OUTSIDE_RAM, VNET_HDR_LEN + HOSTILE_LEN,
             0, 0);
    post_tx(HOSTILE_HEAD);
    *st = observe();
    return *st & VIRTIO_STATUS_NEEDS_RESET;
}

static bool ring_straddle(uint32_t *st)
{
    set_desc(HOSTILE_HEAD, platform_mem_highest_end() - STRADDLE, VNET_HDR_LEN + HOSTILE_LEN, 0,
             0);
    post_tx(HOSTILE_HEAD);
    *st = observe();
    return *st & VIRTIO_STATUS_NEEDS_RESET;
}

static bool ring_loop(uint32_t *st)
{
    uintptr_t buf = hostile_buf(0, 1);

    set_desc(HOSTILE_HEAD, buf, VNET_HDR_LEN, VIRTQ_DESC_F_NEXT, HOSTILE_HEAD + 1);
    set_desc(HOSTILE_HEAD + 1, buf + VNET_HDR_LEN, HOSTILE_LEN, VIRTQ_DESC_F_NEXT, HOSTILE_HEAD);
    post_tx(HOSTILE_HEAD);
    *st = observe();
    return *st & VIRTIO_STATUS_NEEDS_RESET;
}

static bool ring_huge_len(uint32_t *st)
{
    set_desc(HOSTILE_HEAD, hostile_buf(0, 2), HUGE_LEN, 0, 0);
    post_tx(HOSTILE_HEAD);
    *st = observe();
    return *st & VIRTIO_STATUS_NEEDS_RESET;
}

static bool ring_avail_jump(uint32_t *st)
{
    struct vnet_queue *vq = hc.dev.txq;

    /* every ring entry names a well-formed hostile frame: only the index is wrong */
    set_desc(HOSTILE_HEAD, hostile_buf(0, 3), VNET_HDR_LEN + HOSTILE_LEN, 0, 0);
    for (uint32_t i = 0; i < VNET_QSIZE; i++) {
        vq->avail.ring[i] = HOSTILE_HEAD;
    }
    hc.dev.tx_avail = (uint16_t)(hc.dev.tx_avail + VNET_QSIZE + 1);
    vnet_kick(&hc.dev, VNET_TXQ, vq, hc.dev.tx_avail);
    *st = observe();
    return *st & VIRTIO_STATUS_NEEDS_RESET;
}

static bool ring_indirect(uint32_t *st)
{
    /* VIRTIO_F_INDIRECT_DESC is not negotiated: the driver must not set the flag (2.7.5.3.1) */
    struct virtq_desc *table = (struct virtq_desc *)hc.dev.tx_buf[HOSTILE_BUF + 1];

    table[0] = (struct virtq_desc){ .addr = hostile_buf(0, 4),
                                    .len = VNET_HDR_LEN + HOSTILE_LEN };
    set_desc(HOSTILE_HEAD, (uintptr_t)table, sizeof(*table), VIRTQ_DESC_F_INDIRECT, 0);
    post_tx(HOSTILE_HEAD);
    *st = observe();
    return *st & VIRTIO_STATUS_NEEDS_RESET;
}

static bool ring_rx_bad_addr(uint32_t *st)
{
    /* the next receive buffer lies outside RAM; the peer's echo of a good frame needs it */
    if (!vnet_negotiate(&hc.dev, BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_NET_F_MAC), false) ||
        !vnet_queue_setup(&hc.dev, VNET_RXQ, VNET_QSIZE, false) ||
        !vnet_queue_setup(&hc.dev, VNET_TXQ, VNET_QSIZE, false)) {
        *st = status();
        return false;
    }
    for (uint16_t i = 0; i < VNET_QSIZE; i++) {
        vnet_post_rx(&hc.dev, i);
    }
    hc.dev.rxq->desc[0].addr = platform_mem_highest_end() + OUTSIDE_RAM;
    if (vnet_driver_ok(&hc.dev, true)) {
        vnet_build(hc.frame, VNET_FRAME_MIN, hc.peer, hc.dev.mac, VNET_K_DATA, good_sent);
        if (vnet_send(&hc.dev, hc.frame, VNET_FRAME_MIN, VNET_TX_MS)) {
            good_sent++;
        }
    }
    *st = observe();
    return *st & VIRTIO_STATUS_NEEDS_RESET;
}

/* ------------------------------------------------------------------ set-up cases */

/* A hostile frame on the transmit queue as the driver would post it; true if the device left
 * it alone (used index unchanged). */
static bool tx_ignored(void)
{
    set_desc(HOSTILE_HEAD, hostile_buf(0, 5), VNET_HDR_LEN + HOSTILE_LEN, 0, 0);
    post_tx(HOSTILE_HEAD);
    (void)observe();
    return READ_ONCE(hc.dev.txq->used.idx) == 0;
}

static void post_all_rx(void)
{
    for (uint16_t i = 0; i < VNET_QSIZE; i++) {
        vnet_post_rx(&hc.dev, i);
    }
}

static bool setup_odd_num(uint32_t *st)
{
    struct vnet_queue *vq = hc.dev.txq;

    if (!vnet_negotiate(&hc.dev, BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_NET_F_MAC), false) ||
        !vnet_queue_setup(&hc.dev, VNET_RXQ, VNET_QSIZE, false)) {
        *st = status();
        return false;
    }
    /* the rings have room for 100 entries: each part sits in its own page */
    memset(vq, 0, sizeof(*vq));
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_SEL, VNET_TXQ);
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_NUM, QUEUE_NUM_ODD);
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_DESC_LO, (uint32_t)(uintptr_t)vq->desc);
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_DESC_HI, (uint32_t)((uintptr_t)vq->desc >> 32));
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_DRV_LO, (uint32_t)(uintptr_t)&vq->avail);
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_DRV_HI, (uint32_t)((uintptr_t)&vq->avail >> 32));
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_DEV_LO, (uint32_t)(uintptr_t)&vq->used);
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_DEV_HI, (uint32_t)((uintptr_t)&vq->used >> 32));
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_READY, 1);
    uint32_t ready = vnet_read(&hc.dev, VIRTIO_MMIO_QUEUE_READY);
    post_all_rx();
    (void)vnet_driver_ok(&hc.dev, true);
    bool ignored = tx_ignored();
    *st = status();
    report_info("vnet-hostile: QueueNum %u: QueueReady reads %u, frame %s", QUEUE_NUM_ODD, ready,
                ignored ? "ignored" : "taken");
    return (ready == 0 || (*st & VIRTIO_STATUS_NEEDS_RESET)) && ignored;
}

static bool setup_ready_early(uint32_t *st)
{
    if (!vnet_negotiate(&hc.dev, BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_NET_F_MAC), false) ||
        !vnet_queue_setup(&hc.dev, VNET_RXQ, VNET_QSIZE, false)) {
        *st = status();
        return false;
    }
    memset(hc.dev.txq, 0, sizeof(*hc.dev.txq));
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_SEL, VNET_TXQ);
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_NUM, VNET_QSIZE);
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_READY, 1); /* ring addresses still 0 (reset) */
    uint32_t ready = vnet_read(&hc.dev, VIRTIO_MMIO_QUEUE_READY);
    post_all_rx();
    (void)vnet_driver_ok(&hc.dev, true);
    bool ignored = tx_ignored();
    *st = status();
    report_info("vnet-hostile: QueueReady without addresses reads %u, frame %s", ready,
                ignored ? "ignored" : "taken");
    /* accepted: the rings are at IPA 0, outside RAM, so the notify must stop the device */
    return (ready == 0 || (*st & VIRTIO_STATUS_NEEDS_RESET)) && ignored;
}

static bool setup_no_features_ok(uint32_t *st)
{
    uint32_t base = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

    if (!vnet_reset(&hc.dev)) {
        *st = status();
        return false;
    }
    vnet_write(&hc.dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    vnet_write(&hc.dev, VIRTIO_MMIO_STATUS, base);
    vnet_write(&hc.dev, VIRTIO_MMIO_DRV_FEAT_SEL, 1);
    vnet_write(&hc.dev, VIRTIO_MMIO_DRV_FEATURES, (uint32_t)(BIT(VIRTIO_F_VERSION_1) >> 32));
    (void)vnet_queue_setup(&hc.dev, VNET_RXQ, VNET_QSIZE, true);
    (void)vnet_queue_setup(&hc.dev, VNET_TXQ, VNET_QSIZE, true);
    post_all_rx();
    vnet_write(&hc.dev, VIRTIO_MMIO_STATUS, base | VIRTIO_STATUS_DRIVER_OK);
    uint32_t after = status();
    bool ignored = tx_ignored();
    *st = status();
    report_info("vnet-hostile: DRIVER_OK without FEATURES_OK: Status 0x%x, frame %s", after,
                ignored ? "ignored" : "taken");
    return (!(after & VIRTIO_STATUS_DRIVER_OK) || (after & VIRTIO_STATUS_NEEDS_RESET)) &&
           ignored;
}

static bool setup_no_version_1(uint32_t *st)
{
    /* a legacy-style driver: FEATURES_OK must not stay set without VIRTIO_F_VERSION_1 */
    bool kept = vnet_negotiate(&hc.dev, BIT(VIRTIO_NET_F_MAC), true);

    (void)vnet_queue_setup(&hc.dev, VNET_RXQ, VNET_QSIZE, true);
    (void)vnet_queue_setup(&hc.dev, VNET_TXQ, VNET_QSIZE, true);
    post_all_rx();
    vnet_write(&hc.dev, VIRTIO_MMIO_STATUS, status() | VIRTIO_STATUS_DRIVER_OK);
    bool ignored = tx_ignored();
    *st = status();
    report_info("vnet-hostile: without VERSION_1: FEATURES_OK %s, frame %s",
                kept ? "kept" : "refused", ignored ? "ignored" : "taken");
    return !kept && ignored;
}

/* A driver that accepts feature bit 64 (DriverFeaturesSel 2), which nobody offered: 2.2.1,
 * the device must refuse FEATURES_OK (it reads back clear), and then DRIVER_OK. */
static bool setup_feature_past_63(uint32_t *st)
{
    uint32_t base = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

    if (!vnet_reset(&hc.dev)) {
        *st = status();
        return false;
    }
    vnet_write(&hc.dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    vnet_write(&hc.dev, VIRTIO_MMIO_STATUS, base);
    vnet_write(&hc.dev, VIRTIO_MMIO_DRV_FEAT_SEL, 0);
    vnet_write(&hc.dev, VIRTIO_MMIO_DRV_FEATURES, (uint32_t)BIT(VIRTIO_NET_F_MAC));
    vnet_write(&hc.dev, VIRTIO_MMIO_DRV_FEAT_SEL, 1);
    vnet_write(&hc.dev, VIRTIO_MMIO_DRV_FEATURES, (uint32_t)(BIT(VIRTIO_F_VERSION_1) >> 32));
    vnet_write(&hc.dev, VIRTIO_MMIO_DRV_FEAT_SEL, 2);
    vnet_write(&hc.dev, VIRTIO_MMIO_DRV_FEATURES, 1); /* bit 64 */
    vnet_write(&hc.dev, VIRTIO_MMIO_STATUS, base | VIRTIO_STATUS_FEATURES_OK);
    uint32_t got = status();
    (void)vnet_queue_setup(&hc.dev, VNET_RXQ, VNET_QSIZE, true);
    (void)vnet_queue_setup(&hc.dev, VNET_TXQ, VNET_QSIZE, true);
    post_all_rx();
    vnet_write(&hc.dev, VIRTIO_MMIO_STATUS, status() | VIRTIO_STATUS_DRIVER_OK);
    bool ignored = tx_ignored();
    *st = status();
    report_info("vnet-hostile: feature bit 64 accepted: Status 0x%x after FEATURES_OK, frame %s",
                got, ignored ? "ignored" : "taken");
    return !(got & VIRTIO_STATUS_FEATURES_OK) && ignored;
}

/* QueueReset (v1.2 4.2.2.1) of the running transmit queue: the queue is reset at once, both
 * QueueReset and QueueReady read 0, and a frame posted to it afterwards is left alone. */
static bool setup_queue_reset(uint32_t *st)
{
    if (!vnet_negotiate(&hc.dev, BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_NET_F_MAC), false) ||
        !vnet_queue_setup(&hc.dev, VNET_RXQ, VNET_QSIZE, false) ||
        !vnet_queue_setup(&hc.dev, VNET_TXQ, VNET_QSIZE, false)) {
        *st = status();
        return false;
    }
    post_all_rx();
    if (!vnet_driver_ok(&hc.dev, false)) {
        *st = status();
        return false;
    }
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_SEL, VNET_TXQ);
    vnet_write(&hc.dev, VIRTIO_MMIO_QUEUE_RESET, 1);
    uint32_t reset = vnet_read(&hc.dev, VIRTIO_MMIO_QUEUE_RESET);
    uint32_t ready = vnet_read(&hc.dev, VIRTIO_MMIO_QUEUE_READY);
    bool ignored = tx_ignored();
    *st = status();
    report_info("vnet-hostile: QueueReset: QueueReset reads %u, QueueReady %u, frame %s", reset,
                ready, ignored ? "ignored" : "taken");
    return reset == 0 && ready == 0 && ignored && !(*st & VIRTIO_STATUS_NEEDS_RESET);
}

/* ------------------------------------------------------------------ driver */

struct hostile_case {
    const char *name;
    bool (*run)(uint32_t *st);
    bool fresh; /* runs on a device just reset (its own set-up), not a working one */
};

static const struct hostile_case cases[] = {
    { "descriptor address outside RAM", ring_bad_addr, false },
    { "descriptor straddling the end of RAM", ring_straddle, false },
    { "descriptor chain that loops", ring_loop, false },
    { "descriptor length 0xffffffff", ring_huge_len, false },
    { "avail index jumping by queue size + 1", ring_avail_jump, false },
    { "descriptor with the INDIRECT flag (not negotiated)", ring_indirect, false },
    { "receive buffer outside RAM", ring_rx_bad_addr, true },
    { "QueueNum 100 (not a power of two)", setup_odd_num, true },
    { "QueueReady before the ring addresses", setup_ready_early, true },
    { "DRIVER_OK without FEATURES_OK", setup_no_features_ok, true },
    { "FEATURES_OK without VIRTIO_F_VERSION_1", setup_no_version_1, true },
    { "FEATURES_OK with feature bit 64 (not offered)", setup_feature_past_63, true },
    { "QueueReset of the running transmit queue", setup_queue_reset, true },
};

void tests_vnet_hostile(void)
{
    if (!vnet_ctx_start(&hc, "vnet-hostile") || !vnet_handshake(&hc, HANDSHAKE_MS)) {
        tg_finish();
    }
    good_frame("start");
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct hostile_case *c = &cases[i];
        uint32_t st = 0;

        if (c->fresh && !vnet_reset(&hc.dev)) {
            report(false, "vnet-hostile: %s: Status does not read 0 after reset", c->name);
            continue;
        }
        bool ok = c->run(&st);
        report(ok, "vnet-hostile: %s: %s (Status 0x%x)", c->name,
               ok ? "refused or DEVICE_NEEDS_RESET" : "accepted", st);
        if (!report(vnet_init(&hc.dev, 0, false), "vnet-hostile: %s: re-initialised after reset",
                    c->name)) {
            continue;
        }
        good_frame(c->name);
    }

    vnet_build(hc.frame, VNET_FRAME_MIN, hc.peer, hc.dev.mac, VNET_K_STOP, good_sent);
    report(vnet_send(&hc.dev, hc.frame, VNET_FRAME_MIN, VNET_TX_MS),
           "vnet-hostile: STOP sent to the peer (%u good frames sent)", good_sent);
    report(vnet_irq_unexpected() == 0, "vnet-hostile: %u unexpected interrupts",
           vnet_irq_unexpected());
    tg_finish();
}
