// SPDX-License-Identifier: MIT
/*
 * virtio-net devices and the segment switch (virtio v1.2 section 5.1; docs/NETWORK.md). The
 * device offers VIRTIO_F_VERSION_1, VIRTIO_NET_F_MAC and VIRTIO_NET_F_STATUS only: no
 * offloads, no mergeable buffers, no control queue, so every frame is one 12-byte
 * virtio_net_hdr (5.1.6) saying "nothing to do" plus at most 1514 bytes. A transmit
 * notification switches the frames on the sender's pCPU: the chain is walked (every
 * descriptor checked and read once), the policy (reach, rate limits) decides by the header
 * and destination MAC, read once from the sender's buffer into locals, and the frame is copied
 * once, straight from the sender's buffers into each receiver's next receive buffer, with the
 * receiver's header and the destination the policy decided on written by us. A chain of more
 * than VNET_SRC_MAX buffers, or whose first holds less than the header and the destination,
 * is gathered into the device's frame buffer first (the same result, one copy more).
 * Lock order: vnet.h.
 */
#include <core/dev/vnet.h>

#include <arch/cpu.h>
#include <lib/fmt.h>
#include <lib/string.h>

#define NS_PER_S        UINT64_C(1000000000)
#define HDR_FLAGS       0u  /* offsets in struct virtio_net_hdr */
#define HDR_GSO_TYPE    1u
#define HDR_NUM_BUFFERS 10u
/* Of the header's first le16 (flags, gso_type): what asks for an offload, VIRTIO_NET_HDR_F_
 * NEEDS_CSUM or any gso_type. The other flag bits are ignored, as 5.1.6.2.2 requires of a
 * device (DATA_VALID and RSC_INFO mean nothing on transmit, the rest are reserved). */
#define HDR_OFFLOAD     0xff01u
#define EVT_TEXT_MAX    128
#define MAC_GROUP_BIT   0x01u /* I/G: broadcast and multicast */
#define PRE_LEN         (VNET_HDR_LEN + VNET_MAC_LEN) /* what the policy reads: 18 bytes */

/* A frame's bytes after its first PRE_LEN, as pieces of the sender's buffers (or the device's
 * frame buffer), and what the receivers get first: their header and the destination decided
 * on, in the order a receive buffer holds them. */
struct vnet_src {
    unsigned n;
    const uint8_t *p[VNET_SRC_MAX];
    uint32_t len[VNET_SRC_MAX];
    uint64_t pre[3]; /* PRE_LEN bytes: the receive header, then the destination MAC */
};

_Static_assert(VNET_MAX_MEMBERS <= 8, "member masks are 8-bit");

/* ------------------------------------------------------------------ rate limits */

static void bucket_init(struct vnet_bucket *b, uint32_t rate, uint32_t cost_max, uint64_t now)
{
    b->rate = rate;
    /* One second's worth, but at least the dearest frame, or it could never pass. */
    b->cap = (uint64_t)(rate > cost_max ? rate : cost_max) * NS_PER_S;
    b->level = b->cap;
    b->last_ns = now;
}

/* Refill for the time since the last call. rate < 2^32 and elapsed <= 1 s: no overflow. */
static void bucket_refill(struct vnet_bucket *b, uint64_t now)
{
    uint64_t elapsed = now > b->last_ns ? now - b->last_ns : 0;

    b->last_ns = now;
    elapsed = elapsed < NS_PER_S ? elapsed : NS_PER_S;
    b->level += elapsed * b->rate;
    b->level = b->level < b->cap ? b->level : b->cap;
}

static bool bucket_has(const struct vnet_bucket *b, uint32_t cost)
{
    return b->rate == 0 || b->level >= (uint64_t)cost * NS_PER_S;
}

static void bucket_take(struct vnet_bucket *b, uint32_t cost)
{
    if (b->rate != 0) {
        b->level -= (uint64_t)cost * NS_PER_S;
    }
}

/* One frame of len bytes against both buckets: taken from both, or from neither. */
static bool rate_allows_locked(struct vnet *d, uint32_t len)
{
    if (d->pps.rate == 0 && d->bps.rate == 0) {
        return true;
    }
    uint64_t now = d->hooks.now_ns(d->hooks.ctx);
    bucket_refill(&d->pps, now);
    bucket_refill(&d->bps, now);
    if (!bucket_has(&d->pps, 1) || !bucket_has(&d->bps, len)) {
        return false;
    }
    bucket_take(&d->pps, 1);
    bucket_take(&d->bps, len);
    return true;
}

/* ------------------------------------------------------------------ device state */

static void update_irq_locked(struct vnet *d)
{
    bool level = d->t.isr != 0;

    if (level != d->irq_level) {
        d->irq_level = level;
        d->hooks.set_irq(d->hooks.ctx, d->intid, level);
    }
}

static void reset_locked(struct vnet *d, const struct vnet_cfg *cfg)
{
    uint64_t now = d->hooks.now_ns(d->hooks.ctx);

    virtio_mmio_reset(&d->t);
    d->generation++;
    bucket_init(&d->pps, cfg != NULL ? cfg->rate_pps : (uint32_t)d->pps.rate, 1, now);
    bucket_init(&d->bps, cfg != NULL ? cfg->rate_bps : (uint32_t)d->bps.rate, VNET_FRAME_MAX,
                now);
    update_irq_locked(d);
}

/* Queue q was found malformed (err): the device stops until the driver resets it. */
static void fail_locked(struct vnet *d, unsigned q, int err)
{
    char text[EVT_TEXT_MAX];

    d->stats.malformed++;
    virtio_mmio_fail(&d->t);
    d->generation++; /* its queues stopped: a chain in flight is not pushed (vnet_transmit) */
    bh_snprintf(text, sizeof(text), "seg=%s q=%s why=%s action=needs_reset", d->seg->name,
                q == VNET_TXQ ? "tx" : "rx", virtq_err_name(err));
    d->hooks.event(d->hooks.ctx, "net_malformed", text);
    update_irq_locked(d);
}

/* A MAC as a number, for one comparison instead of six. */
static uint64_t mac_key(const uint8_t *mac)
{
    uint64_t k = 0;

    for (unsigned i = 0; i < VNET_MAC_LEN; i++) {
        k |= (uint64_t)mac[i] << (8 * i);
    }
    return k;
}

int vnet_init(struct vnet *d, struct vnet_seg *seg, unsigned member, const struct vnet_cfg *cfg,
              const struct virtq_mem *mem, const struct vnet_hooks *hooks)
{
    if (member >= VNET_MAX_MEMBERS || !(seg->members & (1u << member)) ||
        seg->dev[member] != NULL) {
        return -BH_EINVAL;
    }
    memset(d, 0, sizeof(*d));
    spin_lock_init(&d->tx_lock);
    spin_lock_init(&d->lock);
    d->seg = seg;
    d->member = member;
    d->reach = cfg->reach & seg->members & (uint8_t)~(1u << member);
    d->one_sender = cfg->one_sender;
    d->intid = cfg->intid;
    d->mem = *mem;
    d->hooks = *hooks;
    virtio_mmio_init(&d->t, VNET_DEVICE_ID,
                     (UINT64_C(1) << VIRTIO_F_VERSION_1) | (UINT64_C(1) << VNET_F_MAC) |
                         (UINT64_C(1) << VNET_F_STATUS));
    reset_locked(d, cfg);
    for (unsigned m = 0; m < VNET_MAX_MEMBERS; m++) {
        seg->mac_key[m] = mac_key(seg->mac[m]); /* the caller has set every member's MAC */
    }
    seg->dev[member] = d;
    return 0;
}

void vnet_reset(struct vnet *d)
{
    spin_lock(&d->lock);
    reset_locked(d, NULL);
    spin_unlock(&d->lock);
}

void vnet_get_stats(struct vnet *d, struct vnet_stats *out)
{
    spin_lock(&d->lock);
    *out = d->stats;
    spin_unlock(&d->lock);
}

/* ------------------------------------------------------------------ receiving */

/*
 * The rest of scatter_locked: the frame of s from byte done on, when the receive buffer dp
 * (dl bytes left) is not the last or s has several pieces. The loop takes a receive buffer,
 * a piece of s or copies bytes each round: bounded by the chain's check, VNET_SRC_MAX and
 * total. Out of line: Linux and the test guests post one buffer for a whole frame.
 */
static __attribute__((noinline)) int scatter_rest(struct virtq_chain *c, uint8_t *dp,
                                                  uint32_t dl, const struct vnet_src *s,
                                                  uint32_t done, uint32_t total)
{
    const uint8_t *sp = (const uint8_t *)s->pre;
    uint32_t sl = PRE_LEN - done; /* done is 0 or PRE_LEN */
    unsigned si = 0;
    uint8_t *buf;
    uint32_t n;

    while (done < total) {
        if (dl == 0) {
            int got = virtq_chain_next(c, true, &buf, &n);
            if (got <= 0) {
                return got;
            }
            dp = buf;
            dl = n;
            continue;
        }
        if (sl == 0) {
            if (si == s->n) {
                return 0; /* not reached: the pieces hold total bytes (gather_locked) */
            }
            sp = s->p[si];
            sl = s->len[si++];
            continue;
        }
        uint32_t k = total - done;
        k = k < dl ? k : dl;
        k = k < sl ? k : sl;
        arch_copy_normal(dp, sp, k);
        dp += k;
        dl -= k;
        sp += k;
        sl -= k;
        done += k;
    }
    return (int)done;
}

/*
 * Copy the frame of s (total bytes, the receive header included) into the receive chain at
 * head: s->pre, then s's pieces. Returns the bytes written, 0 when the chain is too small for
 * them, or -virtq_err.
 */
static inline __attribute__((always_inline)) int
scatter_locked(struct vnet *r, uint16_t head, const struct vnet_src *s, uint32_t total)
{
    struct virtq_chain c;
    uint8_t *buf;
    uint32_t n;

    virtq_chain_begin(&c, &r->t.q[VNET_RXQ], &r->mem, head);
    int got = virtq_chain_next(&c, true, &buf, &n);
    if (got <= 0) {
        return got;
    }
    if (n < PRE_LEN) {
        return scatter_rest(&c, buf, n, s, 0, total);
    }
    /* the usual first buffer: header and destination as three stores */
    _Static_assert(PRE_LEN == 18, "three stores");
    arch_write_normal64(buf, s->pre[0]);
    arch_write_normal64(buf + 8, s->pre[1]);
    arch_write_normal16(buf + 16, (uint16_t)s->pre[2]);
    if (n < total || s->n != 1) {
        return scatter_rest(&c, buf + PRE_LEN, n - PRE_LEN, s, PRE_LEN, total);
    }
    /* and the whole frame in it, from one piece (s->len[0] = total - PRE_LEN) */
    arch_copy_normal(buf + PRE_LEN, s->p[0], total - PRE_LEN);
    return (int)total;
}

/* Give the frame of s (total bytes, header included) to member r, whose lock the caller
 * holds: false when r cannot receive now (no driver, VM not running). */
static inline __attribute__((always_inline)) bool deliver_locked(struct vnet *r,
                                                                 const struct vnet_src *s,
                                                                 uint32_t total)
{
    uint16_t head;

    if (!virtio_mmio_is_live(&r->t) || !r->t.q[VNET_RXQ].ready || !r->hooks.alive(r->hooks.ctx)) {
        return false;
    }
    int err = virtq_pop(&r->t.q[VNET_RXQ], &head);
    if (err == -BH_ENOENT) {
        r->stats.rx_no_buffer++;
    } else if (err != VIRTQ_OK) {
        fail_locked(r, VNET_RXQ, err);
    } else {
        int n = scatter_locked(r, head, s, total);
        if (n < 0) {
            fail_locked(r, VNET_RXQ, -n);
        } else {
            if (n == 0) {
                r->stats.rx_small++; /* the buffer goes back unused */
            } else {
                r->stats.rx_frames++;
                r->stats.rx_bytes += total - VNET_HDR_LEN;
            }
            virtq_push(&r->t.q[VNET_RXQ], head, (uint32_t)n);
            if (virtq_wants_interrupt(&r->t.q[VNET_RXQ])) {
                r->t.isr |= VIRTIO_INT_USED;
                update_irq_locked(r);
            }
        }
    }
    return true;
}

/* The same, taking r's lock: out of line (a receiver's lock busy at once is rare). */
static __attribute__((noinline)) bool deliver(struct vnet *r, const struct vnet_src *s,
                                              uint32_t total)
{
    spin_lock(&r->lock);
    bool ok = deliver_locked(r, s, total);
    spin_unlock(&r->lock);
    return ok;
}

/* ------------------------------------------------------------------ transmitting */

/* Append n bytes at buf to d->frame after its first *done, as far as they fit. */
static void frame_append(struct vnet *d, uint32_t *done, const uint8_t *buf, uint32_t n)
{
    uint32_t room = (uint32_t)sizeof(d->frame) - *done;
    uint32_t k = n < room ? n : room;

    arch_copy_normal(&d->frame[*done], buf, k);
    *done += k;
}

/*
 * Walk the transmit chain at head (the whole chain is checked); *total is its length. Its
 * buffers become s's pieces; a chain of more than VNET_SRC_MAX, or whose first buffer holds
 * less than PRE_LEN, is copied into d->frame instead (as far as it fits), which becomes the
 * one piece. Either way s->p[0] holds at least PRE_LEN bytes when *total does, and the pieces
 * hold min(*total, sizeof(d->frame)) bytes. 0 or -virtq_err.
 */
static int gather_locked(struct vnet *d, uint16_t head, uint32_t *total, struct vnet_src *s)
{
    struct virtq_chain c;
    uint8_t *buf;
    uint32_t n, done = 0;
    bool direct;
    int got;

    virtq_chain_begin(&c, &d->t.q[VNET_TXQ], &d->mem, head);
    got = virtq_chain_next(&c, false, &buf, &n);
    if (got < 0) {
        return got;
    }
    s->n = 1;
    s->p[0] = buf;
    s->len[0] = n;
    *total = n;
    direct = n >= PRE_LEN;
    if (!c.more && direct) {
        return 0; /* the usual chain: one buffer */
    }
    if (!direct) {
        frame_append(d, &done, buf, n);
    }
    /* (c.more: the chain's end without a call) */
    while (c.more && (got = virtq_chain_next(&c, false, &buf, &n)) > 0) {
        if (direct && s->n < VNET_SRC_MAX) {
            s->p[s->n] = buf;
            s->len[s->n++] = n;
            continue;
        }
        if (direct) { /* the pieces so far go first */
            direct = false;
            for (unsigned i = 0; i < s->n; i++) {
                frame_append(d, &done, s->p[i], s->len[i]);
            }
        }
        frame_append(d, &done, buf, n);
    }
    if (!direct) {
        s->n = 1;
        s->p[0] = d->frame;
        s->len[0] = done;
    }
    *total = c.total;
    return got < 0 ? got : 0;
}

static void deny_event_locked(struct vnet *d, const char *to, uint64_t dst)
{
    char text[EVT_TEXT_MAX];

    bh_snprintf(text, sizeof(text),
                "seg=%s to=%s dst=%02x:%02x:%02x:%02x:%02x:%02x denied=%llu action=drop",
                d->seg->name, to, (unsigned)(dst & 0xff), (unsigned)((dst >> 8) & 0xff),
                (unsigned)((dst >> 16) & 0xff), (unsigned)((dst >> 24) & 0xff),
                (unsigned)((dst >> 32) & 0xff), (unsigned)((dst >> 40) & 0xff),
                (unsigned long long)(d->stats.drop_deny + d->stats.drop_unknown));
    d->hooks.event(d->hooks.ctx, "net_deny", text);
}

/*
 * The members the frame of s (total bytes, header included) goes to; 0 = dropped. Its header
 * flags and destination are read once, here, from s->p[0]; s->pre gets the receivers' header
 * and that destination.
 */
static uint8_t decide_locked(struct vnet *d, uint32_t total, struct vnet_src *s)
{
    const struct vnet_seg *seg = d->seg;

    if (total < VNET_HDR_LEN + VNET_FRAME_MIN || total > VNET_HDR_LEN + VNET_FRAME_MAX) {
        d->stats.drop_bad++; /* too short or too long */
        return 0;
    }
    /* s->p[0] holds PRE_LEN bytes (gather_locked): three loads, each field read once */
    _Static_assert(HDR_FLAGS == 0 && HDR_GSO_TYPE == 1, "header layout");
    uint16_t offload = arch_read_normal16(s->p[0]);
    uint64_t key = arch_read_normal32(s->p[0] + VNET_HDR_LEN) |
                   (uint64_t)arch_read_normal16(s->p[0] + VNET_HDR_LEN + 4) << 32;
    s->p[0] += PRE_LEN; /* the pieces: what follows */
    s->len[0] -= PRE_LEN;
    if ((offload & HDR_OFFLOAD) != 0) {
        d->stats.drop_bad++; /* an offload nobody negotiated */
        return 0;
    }
    /* The receivers' header (all zero but num_buffers = 1, 5.1.6.4) and the destination */
    _Static_assert(VNET_HDR_LEN == 12 && HDR_NUM_BUFFERS == 10, "header layout");
    s->pre[0] = 0;
    s->pre[1] = UINT64_C(1) << 16 | key << 32; /* le16 at 10 = 1, dst[0..3] at 12 */
    s->pre[2] = key >> 32;                      /* dst[4..5] at 16 */
    uint32_t len = total - VNET_HDR_LEN;
    uint8_t to = d->reach;
    if (!(key & MAC_GROUP_BIT)) {
        unsigned m = VNET_MAX_MEMBERS;
        for (uint32_t left = seg->members; left != 0; left &= left - 1) {
            if (seg->mac_key[__builtin_ctz(left)] == key) {
                m = (unsigned)__builtin_ctz(left);
                break;
            }
        }
        if (m == VNET_MAX_MEMBERS || m == d->member) {
            d->stats.drop_unknown++;
            deny_event_locked(d, "-", key);
            return 0;
        }
        if (!(d->reach & (1u << m))) {
            d->stats.drop_deny++;
            deny_event_locked(d, seg->member_name[m], key);
            return 0;
        }
        to = (uint8_t)(1u << m);
    }
    if (!rate_allows_locked(d, len)) {
        d->stats.drop_rate++;
        return 0;
    }
    d->stats.tx_frames++;
    d->stats.tx_bytes += len;
    return to;
}

/*
 * Take the next transmit chain: 1 with its head, length and destinations (0: dropped), or 0
 * when there is none (or the queue was malformed: the device is stopped).
 */
static int take_locked(struct vnet *d, uint16_t *head, uint32_t *total, uint8_t *to,
                       struct vnet_src *s)
{
    struct virtq *q = &d->t.q[VNET_TXQ];

    /* the last frame taken: no call to find nothing (a notification's usual end) */
    if (!virtio_mmio_is_live(&d->t) || !q->ready || virtq_is_empty(q)) {
        return 0;
    }
    int err = virtq_pop(q, head);
    if (err == VIRTQ_OK) {
        err = -gather_locked(d, *head, total, s);
    }
    if (err == -BH_ENOENT) {
        return 0;
    }
    if (err != VIRTQ_OK) {
        fail_locked(d, VNET_TXQ, err);
        return 0;
    }
    *to = decide_locked(d, *total, s);
    return 1;
}

void vnet_transmit(struct vnet *d)
{
    bool pushed = false;
    uint32_t pushed_gen = 0;

    if (!d->one_sender) {
        spin_lock(&d->tx_lock);
    }
    spin_lock(&d->lock);
    /* At most a queue's worth: avail may be at most num ahead, and a guest refilling the
     * queue meanwhile waits for its next notification. One lock hold covers a frame's push
     * and the next frame's take. */
    for (unsigned budget = VIRTQ_NUM_MAX; budget > 0; budget--) {
        uint16_t head;
        uint32_t total = 0, down = 0;
        uint8_t to = 0;
        bool held = true; /* d->lock */
        struct vnet_src s;

        if (!take_locked(d, &head, &total, &to, &s)) {
            break;
        }
        uint32_t gen = d->generation;
        for (uint32_t m = to; m != 0; m &= m - 1) {
            struct vnet *r = d->seg->dev[__builtin_ctz(m)];
            bool ok;
            if (r == NULL) {
                ok = false;
            } else if (held && spin_trylock(&r->lock)) {
                /* a receiver's lock free at once: d's is kept (a second device lock only
                 * ever taken without waiting, so no two senders can wait for each other) */
                ok = deliver_locked(r, &s, total);
                spin_unlock(&r->lock);
            } else {
                if (held) {
                    spin_unlock(&d->lock);
                    held = false;
                }
                ok = deliver(r, &s, total);
            }
            down += !ok;
        }
        if (!held) {
            spin_lock(&d->lock);
        }
        d->stats.drop_down += down;
        /* Not reset nor its queue stopped meanwhile (another vCPU, while d->lock was let go):
         * the chain is still the guest's, and the queue still the one it came from */
        if (d->generation == gen) {
            virtq_push(&d->t.q[VNET_TXQ], head, 0);
            pushed = true;
            pushed_gen = gen;
        }
    }
    /* One used-buffer notification for the batch (the device may coalesce them), decided
     * after the last used index is written; not for a queue reset meanwhile. */
    if (pushed && d->generation == pushed_gen && virtq_wants_interrupt(&d->t.q[VNET_TXQ])) {
        d->t.isr |= VIRTIO_INT_USED;
        update_irq_locked(d);
    }
    spin_unlock(&d->lock);
    if (!d->one_sender) {
        spin_unlock(&d->tx_lock);
    }
}

/* ------------------------------------------------------------------ registers */

/* The device configuration (5.1.4): mac, then le16 status; read-only, past it reads as 0. */
static int config_access(struct vnet *d, uint32_t off, unsigned size, bool write,
                         uint64_t *val)
{
    uint8_t cfg[VNET_CONFIG_LEN] = { 0 };
    uint64_t v = 0;

    if ((size != 1 && size != 2 && size != 4) || off % size != 0) {
        return -BH_EINVAL;
    }
    if (write) {
        return 0; /* nothing writable without VIRTIO_NET_F_CTRL_MAC_ADDR and friends */
    }
    memcpy(cfg, d->seg->mac[d->member], VNET_MAC_LEN);
    cfg[VNET_MAC_LEN] = VNET_S_LINK_UP;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)(off + i < VNET_CONFIG_LEN ? cfg[off + i] : 0) << (8 * i);
    }
    *val = v;
    return 0;
}

/* Every access but the transmit notification (vnet.h vnet_mmio). */
int vnet_mmio_regs(struct vnet *d, uint32_t off, unsigned size, bool write, uint64_t *val)
{
    struct virtio_mmio_effect eff;
    int r;

    if (off >= VIRTIO_MMIO_SIZE) {
        return -BH_EINVAL;
    }
    if (off >= VIRTIO_MMIO_CONFIG) {
        return config_access(d, off - VIRTIO_MMIO_CONFIG, size, write, val);
    }
    spin_lock(&d->lock);
    r = virtio_mmio_access(&d->t, &d->mem, off, size, write, val, &eff);
    if (r == 0 && eff.reset) {
        reset_locked(d, NULL);
    } else if (r == 0 && eff.stopped) {
        /* A transmit chain another vCPU took is not pushed into the stopped queue, whose
         * QueueNum and addresses the driver may rewrite now (vnet_transmit) */
        d->generation++;
    } else if (r == 0 && eff.malformed != VIRTQ_OK) {
        fail_locked(d, eff.queue, eff.malformed);
    }
    update_irq_locked(d); /* InterruptACK may have lowered it */
    spin_unlock(&d->lock);
    if (r == 0 && eff.notify == (int)VNET_TXQ) {
        vnet_transmit(d);
    }
    return r;
}
