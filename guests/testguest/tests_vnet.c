// SPDX-License-Identifier: MIT
/*
 * tg.mode=vnet: frames between VMs on a network segment (issue 11) through the virtio-net
 * driver (virtio_net.c). Roles (tg.role=):
 *   ping    sends tg.frames numbered frames of 60..1514 bytes to tg.peer_mac and waits for
 *           each echo (in order, byte-exact), then a broadcast (echoed), a frame to a MAC
 *           nobody has and one to tg.forbidden_mac (neither may come back), then STOP;
 *   pong    echoes every test frame to its source until STOP, then checks it echoed as many
 *           numbered frames as the sender says it had echoed, and never a hostile one;
 *   silent  listens tg.listen_ms and must receive nothing (a member nobody may reach);
 *   sink    keeps a periodic timer at tg.hz running (the train's `tick` in t-train-net.test:
 *           receiving must not stop the timer) while it counts every frame it receives (any
 *           kind; tg.echo=1: sent back to its source with the addresses swapped). Once
 *           frames came and then none for tg.idle_ms (or after tg.listen_ms in all), it
 *           reports frames and bytes (at least tg.min_frames) and its ticks (at least 90% of
 *           tg.hz per second: the timer never stopped), then receives and ticks on forever.
 * Interrupts are taken by hand (PSTATE.I set throughout), as in the IPC modes.
 */
#include <string.h>

#include "bootargs.h"
#include "printf.h"
#include "report.h"
#include "tests.h"
#include "tests_vnet.h"
#include "timer.h"

#define VIRTIO_VENDOR_QEMU 0x554d4551 /* "QEMU": plain QEMU's virtio-mmio transports */
#define VNET_ETHERTYPE     0x88b5 /* IEEE 802 local experimental ethertype 1 */
#define VNET_OFF_TYPE      12
#define VNET_OFF_MAGIC     14
#define VNET_OFF_KIND      18
#define VNET_OFF_SEQ       20
#define VNET_OFF_LEN       24
#define VNET_OFF_SUM       28
#define VNET_OFF_PAYLOAD   32
#define VNET_LEN_SPREAD    397 /* co-prime with the 1455 lengths: every length comes up */
#define VNET_LEN_CYCLE     25
#define VNET_FRAMES_DEF    100
#define VNET_HELLO_MS      100
#define VNET_HANDSHAKE_MS  20000
#define VNET_QUIET_MS      500  /* a frame that must not come back would have by then */
#define VNET_LISTEN_DEF_MS 10000
#define VNET_PONG_IDLE_MS  60000 /* pong gives up when no frame came for this long */
#define VNET_ARG_MAX       32
#define SINK_HZ_DEF        1000
#define SINK_IDLE_DEF_MS   2000
#define SINK_LISTEN_DEF_MS 120000
#define SINK_TICKS_PCT     90   /* of the ticks elapsed time asks for: the timer kept going */
#define PERCENT            100
#define VNET_FAIL_LINES    5    /* individual FAIL lines per check before only counting */
#define BYTE_BITS          8
#define BYTE_MASK          0xffU

static const uint8_t bcast_mac[VNET_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/* 02:42:ac:ff:00:ee: segment 0xff, member 0xee: a default MAC no VM is given */
static const uint8_t unknown_mac[VNET_MAC_LEN] = { 0x02, 0x42, 0xac, 0xff, 0x00, 0xee };
static const char magic[] = "BHVN";

static struct vnet_ctx ctx;

/* ------------------------------------------------------------------ frames */

static void put_le(uint8_t *p, uint32_t val, uint32_t bytes)
{
    for (uint32_t i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(val >> (BYTE_BITS * i));
    }
}

static uint32_t get_le(const uint8_t *p, uint32_t bytes)
{
    uint32_t val = 0;

    for (uint32_t i = 0; i < bytes; i++) {
        val |= (uint32_t)p[i] << (BYTE_BITS * i);
    }
    return val;
}

/* A rotate-and-add checksum: order-sensitive, unlike a plain byte sum. */
static uint32_t checksum(const uint8_t *p, uint32_t len)
{
    uint32_t sum = 0;

    for (uint32_t i = 0; i < len; i++) {
        sum = (sum << 5 | sum >> 27) + p[i];
    }
    return sum;
}

uint32_t vnet_frame_len(uint32_t seq)
{
    if (seq % VNET_LEN_CYCLE == 0) {
        return VNET_FRAME_MIN;
    }
    if (seq % VNET_LEN_CYCLE == 1) {
        return VNET_FRAME_MAX;
    }
    return VNET_FRAME_MIN + (seq * VNET_LEN_SPREAD) % (VNET_FRAME_MAX - VNET_FRAME_MIN + 1);
}

void vnet_build(uint8_t *out, uint32_t len, const uint8_t *dst, const uint8_t *src,
                enum vnet_kind kind, uint32_t seq)
{
    memcpy(out, dst, VNET_MAC_LEN);
    memcpy(out + VNET_MAC_LEN, src, VNET_MAC_LEN);
    out[VNET_OFF_TYPE] = VNET_ETHERTYPE >> BYTE_BITS;
    out[VNET_OFF_TYPE + 1] = VNET_ETHERTYPE & BYTE_MASK;
    memcpy(out + VNET_OFF_MAGIC, magic, sizeof(magic) - 1);
    out[VNET_OFF_KIND] = (uint8_t)kind;
    out[VNET_OFF_KIND + 1] = 0;
    put_le(out + VNET_OFF_SEQ, seq, sizeof(uint32_t));
    put_le(out + VNET_OFF_LEN, len, sizeof(uint32_t));
    for (uint32_t i = VNET_OFF_PAYLOAD; i < len; i++) {
        out[i] = (uint8_t)(seq * 131 + i * 7 + (i >> BYTE_BITS));
    }
    put_le(out + VNET_OFF_SUM, checksum(out + VNET_OFF_PAYLOAD, len - VNET_OFF_PAYLOAD),
           sizeof(uint32_t));
}

enum vnet_kind vnet_kind_of(const uint8_t *f, uint32_t len)
{
    if (len < VNET_OFF_PAYLOAD || len > VNET_FRAME_MAX || f[VNET_OFF_TYPE] != VNET_ETHERTYPE >> 8 ||
        f[VNET_OFF_TYPE + 1] != (VNET_ETHERTYPE & BYTE_MASK) ||
        memcmp(f + VNET_OFF_MAGIC, magic, sizeof(magic) - 1) != 0 ||
        get_le(f + VNET_OFF_LEN, sizeof(uint32_t)) != len ||
        get_le(f + VNET_OFF_SUM, sizeof(uint32_t)) !=
            checksum(f + VNET_OFF_PAYLOAD, len - VNET_OFF_PAYLOAD)) {
        return 0;
    }
    return (enum vnet_kind)f[VNET_OFF_KIND];
}

uint32_t vnet_seq_of(const uint8_t *f)
{
    return get_le(f + VNET_OFF_SEQ, sizeof(uint32_t));
}

const char *vnet_mac_str(const uint8_t *mac)
{
    static char buf[2][3 * VNET_MAC_LEN];
    static unsigned int which;
    static const char hex[] = "0123456789abcdef";
    char *s = buf[which++ % 2];

    for (uint32_t i = 0; i < VNET_MAC_LEN; i++) {
        s[3 * i] = hex[mac[i] >> 4];
        s[3 * i + 1] = hex[mac[i] & 0xf];
        s[3 * i + 2] = i + 1 < VNET_MAC_LEN ? ':' : '\0';
    }
    return s;
}

/* ------------------------------------------------------------------ shared steps */

bool vnet_ctx_start(struct vnet_ctx *c, const char *who)
{
    char arg[VNET_ARG_MAX];
    uint8_t want[VNET_MAC_LEN];

    irq_mask(); /* from here on interrupts are polled (vnet_irq_poll) */
    if (!report(vnet_probe(&c->dev, 1) == 1, "%s: a virtio-net device (virtio-mmio version 2)",
                who)) {
        return false;
    }
    report_info("%s: device at 0x%lx intid %u vendor 0x%x", who, c->dev.base, c->dev.intid,
                c->dev.vendor);
    if (!report(vnet_init(&c->dev, 0, false), "%s: initialised (features 0x%lx offered)", who,
                c->dev.dev_features)) {
        return false;
    }
    report(c->dev.dev_features & BIT(VIRTIO_NET_F_MAC), "%s: MAC %s from config space", who,
           vnet_mac_str(c->dev.mac));
    if (bootarg_get("tg.mac", arg, sizeof(arg))) {
        report(vnet_parse_mac(arg, want) && !memcmp(want, c->dev.mac, VNET_MAC_LEN),
               "%s: MAC is tg.mac=%s", who, arg);
    }
    if (bootarg_get("tg.peer_mac", arg, sizeof(arg)) &&
        !report(vnet_parse_mac(arg, c->peer), "%s: tg.peer_mac=%s", who, arg)) {
        return false;
    }
    return true;
}

/* Skip HELLO echoes (several hellos may have been answered); true if a frame came. */
static bool recv_skip_hello(struct vnet_ctx *c, uint64_t timeout_ms)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(timeout_ms);

    for (;;) {
        uint64_t now = timer_now();
        if (now >= deadline ||
            !vnet_recv(&c->dev, &c->rx, (deadline - now) * MS_PER_S / timer_freq() + 1)) {
            return false;
        }
        if (vnet_kind_of(c->rx.data, c->rx.len) != VNET_K_HELLO) {
            return true;
        }
    }
}

bool vnet_handshake(struct vnet_ctx *c, uint64_t timeout_ms)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(timeout_ms);
    uint32_t hellos = 0;

    while (timer_now() < deadline) {
        vnet_build(c->frame, VNET_FRAME_MIN, c->peer, c->dev.mac, VNET_K_HELLO, hellos++);
        vnet_send(&c->dev, c->frame, VNET_FRAME_MIN, VNET_TX_MS);
        if (vnet_recv(&c->dev, &c->rx, VNET_HELLO_MS) &&
            vnet_kind_of(c->rx.data, c->rx.len) == VNET_K_HELLO) {
            return report(true, "vnet: peer %s answered hello %u", vnet_mac_str(c->peer),
                          hellos);
        }
    }
    return report(false, "vnet: peer %s did not answer %u hellos", vnet_mac_str(c->peer), hellos);
}

bool vnet_roundtrip(struct vnet_ctx *c, const uint8_t *dst, enum vnet_kind kind, uint32_t seq,
                    uint32_t len, const char **why)
{
    const struct virtio_net_hdr *h = &c->rx.hdr;

    vnet_build(c->frame, len, dst, c->dev.mac, kind, seq);
    if (!vnet_send(&c->dev, c->frame, len, VNET_TX_MS)) {
        *why = "transmit buffer not returned";
        return false;
    }
    if (!recv_skip_hello(c, VNET_ECHO_MS)) {
        *why = "no echo";
        return false;
    }
    if (vnet_kind_of(c->rx.data, c->rx.len) != kind || vnet_seq_of(c->rx.data) != seq) {
        *why = "out of order or not our frame";
        return false;
    }
    /* the echo swaps the addresses; everything after them must be what we sent */
    if (c->rx.len != len || memcmp(c->rx.data, c->dev.mac, VNET_MAC_LEN) != 0 ||
        memcmp(c->rx.data + VNET_MAC_LEN, c->peer, VNET_MAC_LEN) != 0 ||
        memcmp(c->rx.data + VNET_OFF_TYPE, c->frame + VNET_OFF_TYPE, len - VNET_OFF_TYPE) != 0) {
        *why = "not byte-exact";
        return false;
    }
    /* virtio v1.2 5.1.6.4.1: num_buffers is 1 without VIRTIO_NET_F_MRG_RXBUF; QEMU 7.2's own
     * device leaves it 0 there (its driver-side check is what the native run exercises) */
    bool qemu_nb = c->dev.vendor == VIRTIO_VENDOR_QEMU && h->num_buffers == 0;
    if (h->flags != 0 || h->gso_type != 0 || (h->num_buffers != 1 && !qemu_nb)) {
        static char text[64];
        tg_snprintf(text, sizeof(text), "header: flags %u gso_type %u num_buffers %u", h->flags,
                 h->gso_type, h->num_buffers);
        *why = text;
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ ping */

/* A frame to dst must not come back within VNET_QUIET_MS. */
static void check_silence(const uint8_t *dst, const char *what)
{
    bool sent;

    vnet_build(ctx.frame, VNET_FRAME_MIN, dst, ctx.dev.mac, VNET_K_PROBE, 0);
    sent = vnet_send(&ctx.dev, ctx.frame, VNET_FRAME_MIN, VNET_TX_MS);
    bool back = recv_skip_hello(&ctx, VNET_QUIET_MS);
    report(sent && !back, "vnet: frame to %s %s: %s", what, vnet_mac_str(dst),
           !sent ? "transmit buffer not returned" : back ? "came back" : "no answer");
}

static void ping(void)
{
    uint32_t frames = (uint32_t)bootarg_get_u64("tg.frames", VNET_FRAMES_DEF);
    uint32_t echoed = 0, failed = 0;
    char arg[VNET_ARG_MAX];
    const char *why = "";

    if (!vnet_handshake(&ctx, VNET_HANDSHAKE_MS)) {
        tg_finish();
    }
    uint64_t t0 = timer_now();
    for (uint32_t seq = 0; seq < frames; seq++) {
        if (vnet_roundtrip(&ctx, ctx.peer, VNET_K_DATA, seq, vnet_frame_len(seq), &why)) {
            echoed++;
        } else if (failed++ < VNET_FAIL_LINES) {
            report(false, "vnet: frame %u (%u bytes): %s", seq, vnet_frame_len(seq), why);
        }
    }
    uint64_t ms = (timer_now() - t0) * MS_PER_S / timer_freq();
    report(echoed == frames,
           "vnet: %u frames of 60..1514 bytes sent, %u echoes received in order and byte-exact "
           "(%lu ms)", frames, echoed, ms);

    bool ok = vnet_roundtrip(&ctx, bcast_mac, VNET_K_BCAST, frames, VNET_FRAME_MAX, &why);
    report(ok, "vnet: broadcast frame echoed by the peer%s%s", ok ? "" : ": ", ok ? "" : why);
    echoed += ok;

    /* tg.unknown_mac=off: on a point-to-point link (plain QEMU) every frame reaches the peer */
    if (!bootarg_get("tg.unknown_mac", arg, sizeof(arg)) || strcmp(arg, "off") != 0) {
        check_silence(unknown_mac, "a MAC nobody has");
    }
    if (bootarg_get("tg.forbidden_mac", arg, sizeof(arg))) {
        uint8_t mac[VNET_MAC_LEN];
        if (report(vnet_parse_mac(arg, mac), "vnet: tg.forbidden_mac=%s", arg)) {
            check_silence(mac, "the forbidden peer");
        }
    }

    vnet_build(ctx.frame, VNET_FRAME_MIN, ctx.peer, ctx.dev.mac, VNET_K_STOP, echoed);
    report(vnet_send(&ctx.dev, ctx.frame, VNET_FRAME_MIN, VNET_TX_MS),
           "vnet: STOP sent to the peer (%u frames echoed)", echoed);
}

/* ------------------------------------------------------------------ pong, silent */

struct pong_counts {
    uint32_t echoed;   /* DATA + BCAST echoed */
    uint32_t other;    /* HELLO, PROBE echoed */
    uint32_t hostile;
    uint32_t foreign;  /* not a test frame: ignored */
    uint32_t tx_fail;
};

static void pong(void)
{
    struct pong_counts n = { 0 };
    bool stopped = false;

    report_info("vnet: pong: echoing frames until STOP");
    while (!stopped && vnet_recv(&ctx.dev, &ctx.rx, VNET_PONG_IDLE_MS)) {
        enum vnet_kind k = vnet_kind_of(ctx.rx.data, ctx.rx.len);

        if (k == VNET_K_STOP) {
            stopped = true;
            report(vnet_seq_of(ctx.rx.data) == n.echoed,
                   "vnet: pong: echoed %u numbered frames, the sender counts %u", n.echoed,
                   vnet_seq_of(ctx.rx.data));
        } else if (k == VNET_K_HOSTILE) {
            if (n.hostile++ < VNET_FAIL_LINES) {
                report(false, "vnet: pong: a frame from a malformed ring arrived (seq %u)",
                       vnet_seq_of(ctx.rx.data));
            }
        } else if (k == 0 || k > VNET_K_HOSTILE) {
            n.foreign++;
        } else {
            /* echo: to its source, from us, the rest unchanged */
            memcpy(ctx.frame, ctx.rx.data + VNET_MAC_LEN, VNET_MAC_LEN);
            memcpy(ctx.frame + VNET_MAC_LEN, ctx.dev.mac, VNET_MAC_LEN);
            memcpy(ctx.frame + 2 * VNET_MAC_LEN, ctx.rx.data + 2 * VNET_MAC_LEN,
                   ctx.rx.len - 2 * VNET_MAC_LEN);
            if (!vnet_send(&ctx.dev, ctx.frame, ctx.rx.len, VNET_TX_MS)) {
                n.tx_fail++;
            }
            if (k == VNET_K_DATA || k == VNET_K_BCAST) {
                n.echoed++;
            } else {
                n.other++;
            }
        }
    }
    report(stopped, "vnet: pong: STOP received");
    report(n.hostile == 0 && n.tx_fail == 0,
           "vnet: pong: %u hostile frames, %u echoes not sent, %u other echoed, %u foreign",
           n.hostile, n.tx_fail, n.other, n.foreign);
}

static void silent(void)
{
    uint64_t ms = bootarg_get_u64("tg.listen_ms", VNET_LISTEN_DEF_MS);
    uint64_t deadline = timer_now() + timer_ms_to_ticks(ms);
    uint32_t got = 0;

    report_info("vnet: silent: listening %lu ms", ms);
    while (timer_now() < deadline) {
        uint64_t left = (deadline - timer_now()) * MS_PER_S / timer_freq() + 1;
        if (vnet_recv(&ctx.dev, &ctx.rx, left) && got++ < VNET_FAIL_LINES) {
            report(false, "vnet: silent: frame of kind %u from %s arrived",
                   vnet_kind_of(ctx.rx.data, ctx.rx.len), vnet_mac_str(ctx.rx.data + 6));
        }
    }
    report(got == 0, "vnet: silent: %u frames in %lu ms", got, ms);
}

/* ------------------------------------------------------------------ sink */

/* ping, pong and sink wait for frames and buffers: the used-buffer SPI must have come */
static void report_irqs(const char *role)
{
    bool irq_ok = !strcmp(role, "silent") || ctx.dev.irqs > 0;
    report(vnet_irq_unexpected() == 0 && ctx.dev.rx_bad_id == 0 && ctx.dev.irq_stuck == 0 &&
               irq_ok,
           "vnet: %u device interrupts, %u unexpected, %u stuck, %u bad used ids", ctx.dev.irqs,
           vnet_irq_unexpected(), ctx.dev.irq_stuck, ctx.dev.rx_bad_id);
}

struct sink_counts {
    uint32_t frames;
    uint64_t bytes;
    uint32_t echoes_lost; /* tg.echo=1: transmit buffer not returned */
    uint64_t first, last; /* counter values of the first and the latest frame */
};

static void sink_take(struct sink_counts *n, bool echo)
{
    if (n->frames++ == 0) {
        n->first = timer_now();
    }
    n->last = timer_now();
    n->bytes += ctx.rx.len;
    if (echo && ctx.rx.len >= VNET_FRAME_MIN && ctx.rx.len <= VNET_FRAME_MAX) {
        memcpy(ctx.frame, ctx.rx.data + VNET_MAC_LEN, VNET_MAC_LEN);
        memcpy(ctx.frame + VNET_MAC_LEN, ctx.dev.mac, VNET_MAC_LEN);
        memcpy(ctx.frame + 2 * VNET_MAC_LEN, ctx.rx.data + 2 * VNET_MAC_LEN,
               ctx.rx.len - 2 * VNET_MAC_LEN);
        if (!vnet_send(&ctx.dev, ctx.frame, ctx.rx.len, VNET_TX_MS)) {
            n->echoes_lost++;
        }
    }
}

static uint64_t ticks_to_ms(uint64_t ticks)
{
    return ticks * MS_PER_S / timer_freq();
}

static void sink(void)
{
    uint32_t hz = (uint32_t)bootarg_get_u64("tg.hz", SINK_HZ_DEF);
    uint64_t idle_ms = bootarg_get_u64("tg.idle_ms", SINK_IDLE_DEF_MS);
    uint64_t listen_ms = bootarg_get_u64("tg.listen_ms", SINK_LISTEN_DEF_MS);
    uint32_t min = (uint32_t)bootarg_get_u64("tg.min_frames", 1);
    bool echo = bootarg_get_u64("tg.echo", 0) != 0;
    struct sink_counts n = { 0 };

    if (hz < 2 || hz > 100000 || idle_ms == 0) {
        tg_fatal("vnet: sink: tg.hz=%u (2..100000) or tg.idle_ms=0 out of range", hz);
    }
    report_info("vnet: sink: ticking at %u Hz, counting frames%s", hz, echo ? ", echoing" : "");
    timer_start_periodic(hz);
    uint64_t t0 = timer_now(), end = t0 + timer_ms_to_ticks(listen_ms);
    for (;;) {
        uint64_t now = timer_now();
        if (now >= end || (n.frames && now - n.last >= timer_ms_to_ticks(idle_ms))) {
            break;
        }
        uint64_t wait = n.frames ? n.last + timer_ms_to_ticks(idle_ms) : end;
        if (vnet_recv(&ctx.dev, &ctx.rx, ticks_to_ms((wait < end ? wait : end) - now) + 1)) {
            sink_take(&n, echo);
        }
    }
    uint64_t elapsed = timer_now() - t0;
    uint64_t ticks = READ_ONCE(this_cpu()->timer_ticks);
    uint64_t want = elapsed * hz / timer_freq() * SINK_TICKS_PCT / PERCENT;
    report(n.frames >= min && n.echoes_lost == 0,
           "vnet: sink: %u frames, %lu bytes received (at least %u) from %lu to %lu ms, "
           "%u echoes lost", n.frames, (unsigned long)n.bytes, min,
           (unsigned long)(n.frames ? ticks_to_ms(n.first - t0) : 0),
           (unsigned long)(n.frames ? ticks_to_ms(n.last - t0) : 0), n.echoes_lost);
    report(ticks >= want, "vnet: sink: %lu ticks at %u Hz in %lu ms", (unsigned long)ticks, hz,
           (unsigned long)ticks_to_ms(elapsed));
    report_irqs("sink");
    (void)tg_summary();
    for (;;) { /* the time slice goes on: the real-time VMs need it until they end */
        if (vnet_recv(&ctx.dev, &ctx.rx, listen_ms)) {
            sink_take(&n, echo);
        }
    }
}

void tests_vnet(void)
{
    char role[VNET_ARG_MAX] = "";

    bootarg_get("tg.role", role, sizeof(role));
    if (vnet_ctx_start(&ctx, "vnet")) {
        if (!strcmp(role, "ping")) {
            ping();
        } else if (!strcmp(role, "pong")) {
            pong();
        } else if (!strcmp(role, "silent")) {
            silent();
        } else if (!strcmp(role, "sink")) {
            sink();
        } else {
            report(false, "vnet: tg.role=%s: not ping, pong, silent or sink", role);
        }
    }
    report_irqs(role);
    tg_finish();
}
