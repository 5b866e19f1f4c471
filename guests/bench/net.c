// SPDX-License-Identifier: MIT
/*
 * EL2 instructions per frame switched between two members of a network segment
 * (docs/PERFORMANCE.md, measurement 11): configs/bench-net.dts runs this guest twice,
 * bench.mode=net-tx in VM "tx" (pCPU 0) and bench.mode=net-rx in VM "rx" (pCPU 1), each with
 * the test guest's virtio-net driver (guests/testguest/virtio_net.c, built here with 256-entry
 * queues). They agree on each step through the shared page "mbox" (every word has one writer;
 * the other side waits for it with WFE, which is not trapped).
 *
 * rx posts a receive buffer for every frame of the run before tx starts (no refill, so no
 * QueueNotify of its own inside a window), publishes its MAC and waits at EL1 (WFI with
 * PSTATE.I set) for each frame's interrupt, acknowledges it at the device (InterruptStatus
 * read, InterruptACK write: two trapped accesses) and says so in mbox. tx sends n frames of 64
 * bytes and n of 1500 (Ethernet header included), one frame per QueueNotify, each in a window
 * of its own (per-frame windows, all equal: every frame finds both interrupt lines low, so each
 * pays the whole path). Between windows tx acknowledges its own used-buffer interrupt and waits
 * for rx's acknowledgement. At the end rx checks that it received exactly what was sent.
 *
 * Figures: tx's windows hold only the QueueNotify exit, in which the hypervisor does all the
 * switching (gather, decide, deliver, both used rings, both interrupt lines, the kick to
 * pCPU 1); rx's window over each size holds the kick interrupt, the injection and the two
 * acknowledgement exits per frame.
 */
#include <string.h>

#include "bench.h"
#include "bootargs.h"
#include "ipc.h"
#include "report.h"
#include "virtio_net.h"

#define NET_N_DEFAULT 100
#define NET_N_MAX     (VNET_QSIZE / 2) /* rx's buffers hold both sizes' frames */
#define NET_SIZES     2
#define NET_ETHERTYPE 0x88b5 /* IEEE 802 local experimental ethertype 1 */
#define NET_OFF_TYPE  12
#define NET_OFF_SEQ   14
#define NET_OFF_DATA  18
#define NET_HDR_NUM_BUFFERS 10 /* offset of num_buffers in struct virtio_net_hdr */

_Static_assert(VNET_QSIZE == 256, "the benchmark builds the driver with 256-entry queues");

static const uint32_t sizes[NET_SIZES] = { 64, 1500 };
static const char *const tx_names[NET_SIZES] = { "net_frame64", "net_frame1500" };
static const char *const rx_names[NET_SIZES] = { "net_rx64", "net_rx1500" };

/* The shared page. t_* words are written by tx only, r_* by rx only. */
struct net_mbox {
    uint32_t r_ready;    /* rx set up: every receive buffer posted, r_mac valid */
    uint32_t r_acked;    /* frames rx has taken (interrupt acknowledged) */
    uint32_t r_done;     /* rx checked the frames and published its totals */
    uint32_t r_bad;      /* rx's failed checks */
    uint32_t t_sent;     /* frames tx has sent */
    uint32_t t_done;     /* tx sent everything */
    uint8_t r_mac[VNET_MAC_LEN];
    uint8_t t_mac[VNET_MAC_LEN];
    uint64_t r_calib;
    uint64_t r_total[NET_SIZES]; /* rx's windows */
};

static struct net_mbox *mb;
static struct vnet_dev dev;
static uint32_t n_frames = NET_N_DEFAULT;
static uint64_t cal;

static void publish(uint32_t *word, uint32_t v)
{
    dsb_sy();
    WRITE_ONCE(*word, v);
    dsb_sy();
    sev();
}

static bool wait_word(const uint32_t *word, uint32_t target)
{
    return bench_wait_word(word, target, false);
}

/* Frame seq of len bytes: rx's MAC, tx's MAC, the ethertype, seq, then bytes from seq. */
static void frame_fill(uint8_t *f, uint32_t len, uint32_t seq, const uint8_t *dst,
                       const uint8_t *src)
{
    memcpy(f, dst, VNET_MAC_LEN);
    memcpy(f + VNET_MAC_LEN, src, VNET_MAC_LEN);
    f[NET_OFF_TYPE] = NET_ETHERTYPE >> 8;
    f[NET_OFF_TYPE + 1] = NET_ETHERTYPE & 0xff;
    memcpy(f + NET_OFF_SEQ, &seq, sizeof(seq));
    for (uint32_t i = NET_OFF_DATA; i < len; i++) {
        f[i] = (uint8_t)(seq * 7 + i);
    }
}

static void setup(void)
{
    struct ipc_obj o_mbox;

    n_frames = (uint32_t)bootarg_get_u64("bench.n", NET_N_DEFAULT);
    n_frames = n_frames > NET_N_MAX ? NET_N_MAX : n_frames;
    if ((int64_t)bench_el2_insns() < 0) {
        tg_fatal("no EL2 instruction counter: not a CONFIG_BENCH build of Bulkhead");
    }
    irq_mask(); /* from here on interrupts are polled (vnet_wait) */
    ipc_dt_need("mbox", &o_mbox);
    if (!report(o_mbox.shm_size >= sizeof(struct net_mbox) && (o_mbox.rights & IPC_R_WRITE),
                "net: shared page 'mbox' at 0x%lx, writable", o_mbox.shm_ipa)) {
        tg_finish();
    }
    mb = (struct net_mbox *)(uintptr_t)o_mbox.shm_ipa;
    if (!report(vnet_probe(&dev, 1) == 1 && vnet_init(&dev, 0, false),
                "net: virtio-net device initialised, %u receive buffers posted", VNET_QSIZE)) {
        tg_finish();
    }
    cal = bench_calibrate();
}

/* ------------------------------------------------------------------ tx side */

struct perop {
    uint64_t total, min, max;
    uint32_t n;
};

static bool tx_irq_taken(const void *arg)
{
    return READ_ONCE(dev.irqs) >= *(const uint32_t *)arg;
}

/* One frame in one descriptor (header + frame), in its own window around the notification. */
static bool tx_frame(uint32_t len, uint32_t seq, struct perop *p)
{
    struct vnet_queue *vq = dev.txq;
    uint16_t slot = dev.tx_avail % VNET_QSIZE;
    uint8_t *buf = dev.tx_buf[slot];

    memset(buf, 0, VNET_HDR_LEN); /* no checksum offload, no GSO */
    frame_fill(buf + VNET_HDR_LEN, len, seq, mb->r_mac, dev.mac);
    vq->desc[slot] = (struct virtq_desc){ .addr = (uintptr_t)buf, .len = VNET_HDR_LEN + len };
    vq->avail.ring[slot] = slot;
    dev.tx_avail++;

    uint64_t a = bench_el2_insns();
    vnet_kick(&dev, VNET_TXQ, vq, dev.tx_avail); /* EL1 barriers, then the trapped write */
    uint64_t b = bench_el2_insns();
    uint64_t d = b - a - cal;

    p->total += d;
    p->min = p->n == 0 || d < p->min ? d : p->min;
    p->max = d > p->max ? d : p->max;
    p->n++;
    /* Switched synchronously: the chain is used already. Take the used interrupt so the line
     * is low again for the next frame (outside the window). */
    uint32_t want = dev.irqs + 1;
    bool ok = READ_ONCE(vq->used.idx) == dev.tx_avail &&
              vnet_wait(tx_irq_taken, &want, BENCH_OP_TIMEOUT_MS);
    dev.tx_used = dev.tx_avail;
    return ok;
}

void bench_net_tx(void)
{
    struct perop p[NET_SIZES] = { 0 };
    uint32_t sent = 0;
    bool ok = true;

    setup();
    memcpy(mb->t_mac, dev.mac, VNET_MAC_LEN);
    if (!report(wait_word(&mb->r_ready, 1), "net: receiver ready")) {
        tg_finish();
    }
    for (uint32_t s = 0; s < NET_SIZES && ok; s++) {
        for (uint32_t i = 0; i < n_frames && ok; i++) {
            ok = tx_frame(sizes[s], sent, &p[s]);
            sent++;
            publish(&mb->t_sent, sent);
            ok = ok && wait_word(&mb->r_acked, sent);
        }
    }
    publish(&mb->t_done, 1);
    report(ok && sent == NET_SIZES * n_frames,
           "net: %u frames sent one per notification, each taken by the receiver", sent);
    for (uint32_t s = 0; s < NET_SIZES; s++) {
        report(p[s].n == n_frames && p[s].min == p[s].max,
               "%s: %u frames, per-frame %lu..%lu EL2 instructions", tx_names[s], p[s].n,
               p[s].min, p[s].max);
        tg_print("BENCH %s total=%lu n=%u calib=%lu min=%lu max=%lu", tx_names[s], p[s].total,
                 p[s].n, cal, p[s].min, p[s].max);
    }
    if (report(wait_word(&mb->r_done, 1) && READ_ONCE(mb->r_bad) == 0,
               "net: the receiver got exactly the frames sent")) {
        for (uint32_t s = 0; s < NET_SIZES; s++) {
            bench_print_result(rx_names[s], READ_ONCE(mb->r_total[s]), n_frames,
                               READ_ONCE(mb->r_calib));
        }
    }
    tg_finish();
}

/* ------------------------------------------------------------------ rx side */

struct rx_want {
    uint32_t used; /* frames in the used ring */
    uint32_t irqs; /* interrupts taken and acknowledged */
};

static bool rx_taken(const void *arg)
{
    const struct rx_want *w = arg;

    return (uint16_t)(READ_ONCE(dev.rxq->used.idx) - w->used) < 0x8000 &&
           READ_ONCE(dev.irqs) >= w->irqs;
}

/* Every used entry k names buffer k and holds header + frame k, byte-exact. */
static uint32_t rx_check_frames(uint32_t count)
{
    static uint8_t want[VNET_FRAME_MAX];
    uint32_t bad = 0;

    dmb_sy(); /* used index before its entries */
    if (READ_ONCE(dev.rxq->used.idx) != count) {
        report(false, "net: %u frames received, %u sent", READ_ONCE(dev.rxq->used.idx), count);
        return 1;
    }
    for (uint32_t k = 0; k < count; k++) {
        struct virtq_used_elem e = dev.rxq->used.ring[k];
        uint32_t len = sizes[k / n_frames];
        const uint8_t *b = dev.rx_buf[k];
        frame_fill(want, len, k, dev.mac, mb->t_mac);
        bool hdr_ok = b[NET_HDR_NUM_BUFFERS] == 1 && b[NET_HDR_NUM_BUFFERS + 1] == 0;
        for (uint32_t i = 0; i < NET_HDR_NUM_BUFFERS; i++) {
            hdr_ok = hdr_ok && b[i] == 0;
        }
        if (e.id != k || e.len != VNET_HDR_LEN + len || !hdr_ok ||
            memcmp(b + VNET_HDR_LEN, want, len) != 0) {
            if (bad++ < 3) {
                report(false, "net: frame %u: id %u len %u (want %u), header %s, bytes %s", k,
                       e.id, e.len, VNET_HDR_LEN + len, hdr_ok ? "ok" : "wrong",
                       memcmp(b + VNET_HDR_LEN, want, len) ? "differ" : "equal");
            }
        }
    }
    return bad;
}

void bench_net_rx(void)
{
    struct rx_want w = { 0 };
    bool ok = true;

    setup();
    memcpy(mb->r_mac, dev.mac, VNET_MAC_LEN);
    mb->r_calib = cal;
    publish(&mb->r_ready, 1);
    for (uint32_t s = 0; s < NET_SIZES && ok; s++) {
        uint64_t a = bench_el2_insns();
        for (uint32_t i = 0; i < n_frames && ok; i++) {
            w.used++;
            w.irqs++;
            ok = vnet_wait(rx_taken, &w, BENCH_OP_TIMEOUT_MS);
            publish(&mb->r_acked, w.used);
        }
        uint64_t b = bench_el2_insns();
        mb->r_total[s] = b - a - cal;
    }
    /* After the windows: a FAIL line enters EL2. */
    uint32_t bad = !report(ok && wait_word(&mb->t_done, 1), "net: %u frames taken one at a time",
                           w.used);
    bad += rx_check_frames(NET_SIZES * n_frames);
    bad += !report(vnet_irq_unexpected() == 0 && dev.irqs == NET_SIZES * n_frames,
                   "net: one interrupt per frame (%u), nothing else", dev.irqs);
    report(bad == 0, "net: %u frames of %u and %u bytes received byte-exact, in order",
           NET_SIZES * n_frames, sizes[0], sizes[1]);
    publish(&mb->r_bad, bad);
    publish(&mb->r_done, 1);
    tg_finish();
}
