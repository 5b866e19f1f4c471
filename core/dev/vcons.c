// SPDX-License-Identifier: MIT
/*
 * The virtio console (virtio v1.2 section 5.3; docs/CONSOLE.md "virtio console"): one port,
 * VIRTIO_F_VERSION_1 only. Transmit chains are read byte by byte into the console (at most
 * VCONS_TX_NOTIFY_MAX bytes per notification: the rest of a notification's chains is returned
 * unread and counted, so a guest cannot hold its pCPU in the hypervisor with a queue of 64 KiB
 * chains); receive chains are filled from the console's input queue for the VM, and a chain is
 * only taken when input is there (else it stays posted: the console keeps the input, which is
 * its back-pressure). Lock: vcons.h.
 */
#include <core/dev/vcons.h>

#include <lib/fmt.h>
#include <lib/string.h>

#define VCONS_TX_NOTIFY_MAX 0x4000u /* output bytes passed on per notification */
#define EVT_TEXT_MAX        96

static void update_irq_locked(struct vcons *d)
{
    bool level = d->t.isr != 0;

    if (level != d->irq_level) {
        d->irq_level = level;
        d->hooks.set_irq(d->hooks.ctx, d->intid, level);
    }
}

static void used_locked(struct vcons *d, unsigned qi, uint16_t head, uint32_t len)
{
    virtq_push(&d->t.q[qi], head, len);
    if (virtq_wants_interrupt(&d->t.q[qi])) {
        d->t.isr |= VIRTIO_INT_USED;
    }
}

static void fail_locked(struct vcons *d, unsigned qi, int err)
{
    char text[EVT_TEXT_MAX];

    d->stats.malformed++;
    virtio_mmio_fail(&d->t);
    bh_snprintf(text, sizeof(text), "dev=virtio-console q=%s why=%s action=needs_reset",
                qi == VCONS_TXQ ? "tx" : "rx", virtq_err_name(err));
    d->hooks.event(d->hooks.ctx, "vcons_malformed", text);
}

static bool queue_live_locked(const struct vcons *d, unsigned qi)
{
    return virtio_mmio_is_live(&d->t) && d->t.q[qi].ready;
}

/* Every available transmit chain: its bytes to the console (up to the notification's
 * budget), then back to the driver. */
static void transmit_locked(struct vcons *d)
{
    uint32_t budget = VCONS_TX_NOTIFY_MAX;

    for (unsigned n = 0; n < VIRTQ_NUM_MAX && queue_live_locked(d, VCONS_TXQ); n++) {
        struct virtq_chain c;
        uint16_t head;
        uint8_t *buf;
        uint32_t len;
        int got = virtq_pop(&d->t.q[VCONS_TXQ], &head);

        if (got == -BH_ENOENT) {
            break;
        }
        if (got != VIRTQ_OK) {
            fail_locked(d, VCONS_TXQ, got);
            break;
        }
        virtq_chain_begin(&c, &d->t.q[VCONS_TXQ], &d->mem, head);
        while ((got = virtq_chain_next(&c, false, &buf, &len)) > 0) {
            uint32_t k = len < budget ? len : budget;
            for (uint32_t i = 0; i < k; i++) {
                d->hooks.put(d->hooks.ctx, (char)buf[i]);
            }
            budget -= k;
            d->stats.tx_bytes += k;
            d->stats.tx_dropped += len - k;
        }
        if (got < 0) {
            fail_locked(d, VCONS_TXQ, -got);
            break;
        }
        used_locked(d, VCONS_TXQ, head, 0);
    }
}

/* Queued console input into the posted receive chains, while there is input for them. */
static void receive_locked(struct vcons *d)
{
    for (unsigned n = 0; n < VIRTQ_NUM_MAX && queue_live_locked(d, VCONS_RXQ); n++) {
        struct virtq_chain c;
        uint16_t head;
        uint8_t *buf;
        uint32_t len, done = 0;
        int got = virtq_pop(&d->t.q[VCONS_RXQ], &head);

        if (got == -BH_ENOENT) {
            break;
        }
        if (got != VIRTQ_OK) {
            fail_locked(d, VCONS_RXQ, got);
            break;
        }
        virtq_chain_begin(&c, &d->t.q[VCONS_RXQ], &d->mem, head);
        while ((got = virtq_chain_next(&c, true, &buf, &len)) > 0) {
            size_t k = len == 0 ? 0 : d->hooks.pull(d->hooks.ctx, buf, len);
            done += (uint32_t)k;
            if (k < len) {
                break; /* the input queue is empty */
            }
        }
        if (got < 0) {
            /* What the chain's good buffers before the bad one took from the console is in
             * the guest's memory now: counted like any input given to the VM. */
            d->stats.rx_bytes += done;
            fail_locked(d, VCONS_RXQ, -got);
            break;
        }
        if (done == 0) {
            virtq_unpop(&d->t.q[VCONS_RXQ]); /* nothing to give: the chain stays posted */
            break;
        }
        d->stats.rx_bytes += done;
        used_locked(d, VCONS_RXQ, head, done);
    }
}

void vcons_init(struct vcons *d, uint32_t intid, const struct virtq_mem *mem,
                const struct vcons_hooks *hooks)
{
    memset(d, 0, sizeof(*d));
    spin_lock_init(&d->lock);
    d->intid = intid;
    d->mem = *mem;
    d->hooks = *hooks;
    virtio_mmio_init(&d->t, VCONS_DEVICE_ID, UINT64_C(1) << VIRTIO_F_VERSION_1);
}

void vcons_reset(struct vcons *d)
{
    spin_lock(&d->lock);
    virtio_mmio_reset(&d->t);
    update_irq_locked(d);
    spin_unlock(&d->lock);
}

void vcons_get_stats(struct vcons *d, struct vcons_stats *out)
{
    spin_lock(&d->lock);
    *out = d->stats;
    spin_unlock(&d->lock);
}

bool vcons_takes_input(struct vcons *d)
{
    spin_lock(&d->lock);
    bool r = queue_live_locked(d, VCONS_RXQ);
    spin_unlock(&d->lock);
    return r;
}

void vcons_input_ready(struct vcons *d)
{
    spin_lock(&d->lock);
    receive_locked(d);
    update_irq_locked(d);
    spin_unlock(&d->lock);
}

/* The configuration (5.3.4): cols, rows, max_nr_ports, emerg_wr. Without VIRTIO_CONSOLE_F_SIZE,
 * _MULTIPORT and _EMERG_WRITE none of it is valid: reads give 0, writes are ignored. */
static int config_access(uint32_t off, unsigned size, bool write, uint64_t *val)
{
    if ((size != 1 && size != 2 && size != 4) || off % size != 0) {
        return -BH_EINVAL;
    }
    if (!write) {
        *val = 0;
    }
    return 0;
}

int vcons_mmio(struct vcons *d, uint32_t off, unsigned size, bool write, uint64_t *val)
{
    struct virtio_mmio_effect eff;
    int r;

    if (off >= VIRTIO_MMIO_SIZE) {
        return -BH_EINVAL;
    }
    if (off >= VIRTIO_MMIO_CONFIG) {
        return config_access(off - VIRTIO_MMIO_CONFIG, size, write, val);
    }
    spin_lock(&d->lock);
    r = virtio_mmio_access(&d->t, &d->mem, off, size, write, val, &eff);
    if (r == 0 && eff.reset) {
        virtio_mmio_reset(&d->t);
    } else if (r == 0 && eff.malformed != VIRTQ_OK) {
        fail_locked(d, eff.queue, eff.malformed);
    } else if (r == 0 && eff.notify == (int)VCONS_TXQ) {
        transmit_locked(d);
    } else if (r == 0 && eff.notify == (int)VCONS_RXQ) {
        receive_locked(d);
    }
    update_irq_locked(d); /* InterruptACK may have lowered it, a queue raised it */
    spin_unlock(&d->lock);
    return r;
}
