// SPDX-License-Identifier: MIT
/*
 * Message queues: a bounded ring of fixed-size slots per queue, in the engine's static pool.
 * The hypervisor copies every message (the receiver never sees the sender's memory) and never
 * drops one: a full queue answers -BH_EBUSY or queues the sender, whose bytes are copied in
 * when a slot frees. Order is FIFO among messages; blocked senders and receivers are served by
 * priority, then arrival. Invariants, under the queue's lock:
 *   q_count > 0      => no receiver waits (a send goes straight to a waiting receiver)
 *   q_count < depth  => no sender waits   (a receive refills the slot from a waiting sender)
 * Notifications are edges: rx-intid when the queue goes empty -> non-empty, tx-intid when it
 * goes full -> non-full; a message handed straight to a blocked receiver raises none.
 *
 * Lock order: one object lock at a time (ipc.c).
 */
#include <core/ipc/ipc_priv.h>

#include <lib/string.h>

static uint8_t *slot_data(const struct ipc_obj *o, uint32_t slot)
{
    return o->q_data + (size_t)slot * o->cfg->msg_size;
}

/* Append len bytes at msg (the caller checked there is room). */
static void put_locked(struct ipc_obj *o, const void *msg, size_t len)
{
    uint32_t slot = (o->q_head + o->q_count) % o->cfg->depth;

    if (len != 0) { /* msg may be NULL for an empty message */
        memcpy(slot_data(o, slot), msg, len);
    }
    o->q_len[slot] = (uint16_t)len;
    o->q_count++;
}

/* Remove the oldest message into buf (capacity >= msg-size); returns its length. */
static size_t take_locked(struct ipc_obj *o, void *buf)
{
    uint32_t slot = o->q_head;
    size_t len = o->q_len[slot];

    memcpy(buf, slot_data(o, slot), len);
    o->q_head = (slot + 1) % o->cfg->depth;
    o->q_count--;
    return len;
}

/* Raise intid in every VM holding right on the queue (0 = no notification configured). */
static void notify_all(struct ipc_notify *n, const struct cfg_chan *cfg, uint8_t right,
                       uint32_t intid)
{
    if (intid == 0) {
        return;
    }
    for (unsigned v = 0; v < CFG_MAX_VMS; v++) {
        if (cfg->rights[v] & right) {
            ipc_notify_irq(n, v, intid);
        }
    }
}

int ipc_msgq_send(struct ipc *ipc, struct ipc_waiter *w, unsigned id, const void *msg,
                  size_t len, bool may_block, struct ipc_notify *n)
{
    struct ipc_obj *o;
    int ret = ipc_obj_check(ipc, id, CFG_CHAN_MSGQ, w->vm, CFG_RIGHT_SEND, &o);

    ipc_notify_clear(n);
    if (ret != 0 || (ret = ipc_waiter_check(o, w)) != 0) {
        return ret;
    }
    if (len > o->cfg->msg_size || (msg == NULL && len != 0)) {
        ipc_obj_count(o, &o->stats.invalid);
        return len > o->cfg->msg_size ? -BH_ERANGE : -BH_EINVAL;
    }
    spin_lock(&o->lock);
    struct ipc_waiter *r = ipc_wait_pop_locked(&o->waiters);
    if (r != NULL) {
        /* q_count is 0 here: handing over keeps FIFO order and skips a copy. */
        if (len != 0) {
            memcpy(r->dst, msg, len);
        }
        r->msg_len = len;
        ipc_wake_locked(o, r, 0);
        ipc_notify_woken(n, r);
        o->stats.ops++;
        o->stats.bytes += len;
        ret = 0;
    } else if (o->q_count < o->cfg->depth) {
        bool was_empty = o->q_count == 0;
        put_locked(o, msg, len);
        if (was_empty) {
            notify_all(n, o->cfg, CFG_RIGHT_RECV, o->cfg->rx_intid);
        }
        o->stats.ops++;
        o->stats.bytes += len;
        ret = 0;
    } else {
        w->src = msg;
        w->len = len;
        ret = ipc_wait_or_busy_locked(o, id, &o->senders, w, IPC_OP_SEND, may_block);
    }
    spin_unlock(&o->lock);
    return ret;
}

int ipc_msgq_recv(struct ipc *ipc, struct ipc_waiter *w, unsigned id, void *buf, size_t cap,
                  size_t *len, bool may_block, struct ipc_notify *n)
{
    struct ipc_obj *o;
    int ret = ipc_obj_check(ipc, id, CFG_CHAN_MSGQ, w->vm, CFG_RIGHT_RECV, &o);

    ipc_notify_clear(n);
    if (ret != 0 || (ret = ipc_waiter_check(o, w)) != 0) {
        return ret;
    }
    /* Every message must fit, including one handed over while we sleep. */
    if (cap < o->cfg->msg_size || buf == NULL || len == NULL) {
        ipc_obj_count(o, &o->stats.invalid);
        return cap < o->cfg->msg_size ? -BH_ERANGE : -BH_EINVAL;
    }
    spin_lock(&o->lock);
    if (o->q_count > 0) {
        bool was_full = o->q_count == o->cfg->depth;
        *len = take_locked(o, buf);
        struct ipc_waiter *s = ipc_wait_pop_locked(&o->senders);
        if (s != NULL) {
            put_locked(o, s->src, s->len); /* still full: no tx edge */
            o->stats.bytes += s->len;
            ipc_wake_locked(o, s, 0);
            ipc_notify_woken(n, s);
        } else if (was_full) {
            notify_all(n, o->cfg, CFG_RIGHT_SEND, o->cfg->tx_intid);
        }
        o->stats.ops++;
        ret = 0;
    } else {
        w->dst = buf;
        w->len = cap;
        ret = ipc_wait_or_busy_locked(o, id, &o->waiters, w, IPC_OP_RECV, may_block);
    }
    spin_unlock(&o->lock);
    return ret;
}
