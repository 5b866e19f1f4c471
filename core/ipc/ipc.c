// SPDX-License-Identifier: MIT
/*
 * IPC objects built from the scenario, the decode step every call shares, wait lists ordered
 * by priority then arrival, and the two ways a wait ends without a waker: ipc_cancel (timeout)
 * and ipc_vm_reset (the VM died). The operations themselves are in ipc_sync.c and ipc_msgq.c.
 *
 * Lock order: one object lock at a time. A waiter is guarded by the lock of the object it
 * waits on (w->obj, which only its owner changes, while it is idle).
 */
#include <core/ipc/ipc_priv.h>

#include <stddef.h>

#include <lib/string.h>

/* A call wakes at most one waiter and notifies each VM at most once; a reset hands over at
 * most one mutex per object. */
_Static_assert(IPC_NOTIFY_WOKEN_MAX >= IPC_MAX_OBJS, "one handover per object on VM reset");
_Static_assert(IPC_NOTIFY_IRQS_MAX >= CFG_MAX_VMS, "one notification per VM");
_Static_assert(CFG_MSGQ_MSG_MAX <= UINT16_MAX, "message lengths are kept in 16 bits");

int ipc_init(struct ipc *ipc, const struct cfg_scenario *sc)
{
    size_t data_used = 0, len_used = 0;

    if (sc->chan_count > IPC_MAX_OBJS) {
        return -BH_EINVAL;
    }
    /* The message pools (256 KiB) hold only bytes a sender wrote before any receiver reads
     * them: zeroing them would cost ~100 k instructions of boot for nothing. */
    memset(ipc, 0, offsetof(struct ipc, q_pool));
    ipc->obj_count = sc->chan_count;
    for (unsigned id = 0; id < sc->chan_count; id++) {
        const struct cfg_chan *ch = &sc->chans[id];
        struct ipc_obj *o = &ipc->objs[id];

        spin_lock_init(&o->lock);
        if (!ch->valid) {
            continue; /* absent: every call on it gets -BH_ENOENT */
        }
        o->cfg = ch;
        o->sem_count = ch->type == CFG_CHAN_SEM ? ch->sem_initial : 0;
        if (ch->type != CFG_CHAN_MSGQ) {
            continue;
        }
        size_t bytes = (size_t)ch->depth * ch->msg_size;
        if (ch->depth == 0 || ch->msg_size == 0 || ch->depth > CFG_MSGQ_DEPTH_MAX ||
            ch->msg_size > CFG_MSGQ_MSG_MAX || bytes > sizeof(ipc->q_pool) - data_used) {
            return -BH_ENOMEM; /* cfg_parse refuses these: sc was not validated */
        }
        o->q_data = &ipc->q_pool[data_used];
        o->q_len = &ipc->q_len_pool[len_used];
        data_used += bytes;
        len_used += ch->depth; /* at most IPC_MAX_OBJS * CFG_MSGQ_DEPTH_MAX: fits */
    }
    return 0;
}

void ipc_waiter_init(struct ipc_waiter *w, unsigned vm, unsigned vcpu)
{
    memset(w, 0, sizeof(*w));
    w->vm = vm;
    w->vcpu = vcpu;
    w->state = IPC_WAIT_IDLE;
}

/* ------------------------------------------------------------------ decode */

void ipc_obj_count(struct ipc_obj *o, uint64_t *counter)
{
    spin_lock(&o->lock);
    (*counter)++;
    spin_unlock(&o->lock);
}

int ipc_obj_check(struct ipc *ipc, unsigned id, enum cfg_chan_type type, unsigned vm,
                  uint8_t right, struct ipc_obj **out)
{
    /* id comes straight from a guest register: bound it before indexing anything. */
    if (id >= ipc->obj_count || ipc->objs[id].cfg == NULL ||
        ipc->objs[id].cfg->type != type) {
        return -BH_ENOENT;
    }
    struct ipc_obj *o = &ipc->objs[id];
    if (vm >= CFG_MAX_VMS || (o->cfg->rights[vm] & right) == 0) {
        ipc_obj_count(o, &o->stats.denied);
        return -BH_EPERM;
    }
    *out = o;
    return 0;
}

int ipc_waiter_check(struct ipc_obj *o, const struct ipc_waiter *w)
{
    /* Only the owner moves a waiter out of IDLE, so this read cannot race a waker. */
    if (w->state != IPC_WAIT_IDLE) {
        ipc_obj_count(o, &o->stats.invalid);
        return -BH_EINVAL;
    }
    return 0;
}

/* ------------------------------------------------------------------ wait lists */

int ipc_wait_or_busy_locked(struct ipc_obj *o, unsigned id, struct ipc_waiter **list,
                            struct ipc_waiter *w, enum ipc_wait_op op, bool may_block)
{
    struct ipc_waiter **pp = list;

    if (!may_block) {
        o->stats.busy++;
        return -BH_EBUSY;
    }
    w->obj = id;
    w->op = op;
    w->result = 0;
    w->msg_len = 0;
    w->state = IPC_WAIT_QUEUED;
    /* After every waiter of equal or higher prio: FIFO among equals. */
    while (*pp != NULL && (*pp)->prio >= w->prio) {
        pp = &(*pp)->next;
    }
    w->next = *pp;
    *pp = w;
    o->stats.blocked++;
    return IPC_BLOCKED;
}

struct ipc_waiter *ipc_wait_pop_locked(struct ipc_waiter **list)
{
    struct ipc_waiter *w = *list;

    if (w != NULL) {
        *list = w->next;
        w->next = NULL;
    }
    return w;
}

/* Unlink w from *list; false when it is not there. */
static bool wait_remove_locked(struct ipc_waiter **list, struct ipc_waiter *w)
{
    for (struct ipc_waiter **pp = list; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            w->next = NULL;
            return true;
        }
    }
    return false;
}

void ipc_wake_locked(struct ipc_obj *o, struct ipc_waiter *w, int result)
{
    w->result = result;
    w->src = NULL;
    w->dst = NULL;
    w->state = IPC_WAIT_WOKEN;
    if (result >= 0) {
        o->stats.ops++;
    }
}

static struct ipc_waiter **wait_list_of(struct ipc_obj *o, const struct ipc_waiter *w)
{
    return w->op == IPC_OP_SEND ? &o->senders : &o->waiters;
}

/* Back to idle, forgetting the buffers (they may belong to a VM about to be reloaded). */
static void waiter_idle(struct ipc_waiter *w)
{
    w->state = IPC_WAIT_IDLE;
    w->op = IPC_OP_NONE;
    w->src = NULL;
    w->dst = NULL;
    w->next = NULL;
}

/* ------------------------------------------------------------------ end of a wait */

bool ipc_waiter_done(struct ipc *ipc, struct ipc_waiter *w, int *result)
{
    if (w->state == IPC_WAIT_IDLE || w->obj >= ipc->obj_count) {
        *result = -BH_EINVAL; /* nothing was pending: a glue bug, answered, not trusted */
        return true;
    }
    struct ipc_obj *o = &ipc->objs[w->obj];
    bool done;

    spin_lock(&o->lock);
    done = w->state == IPC_WAIT_WOKEN;
    if (done) {
        *result = w->result;
        waiter_idle(w);
    }
    spin_unlock(&o->lock);
    return done;
}

bool ipc_cancel(struct ipc *ipc, struct ipc_waiter *w, int *result)
{
    *result = 0;
    if (w->state == IPC_WAIT_IDLE || w->obj >= ipc->obj_count) {
        return false;
    }
    struct ipc_obj *o = &ipc->objs[w->obj];
    bool cancelled = false;

    spin_lock(&o->lock);
    if (w->state == IPC_WAIT_QUEUED) {
        cancelled = wait_remove_locked(wait_list_of(o, w), w);
        o->stats.timeouts++;
    } else {
        *result = w->result; /* the waker won: the operation happened */
    }
    waiter_idle(w);
    spin_unlock(&o->lock);
    return cancelled;
}

/* Drop every waiter of VM vm from *list. */
static void drop_vm_waiters_locked(struct ipc_waiter **list, unsigned vm)
{
    struct ipc_waiter **pp = list;

    while (*pp != NULL) {
        struct ipc_waiter *w = *pp;
        if (w->vm == vm) {
            *pp = w->next;
            waiter_idle(w);
        } else {
            pp = &w->next;
        }
    }
}

void ipc_vm_reset(struct ipc *ipc, unsigned vm, struct ipc_notify *n)
{
    ipc_notify_clear(n);
    for (unsigned id = 0; id < ipc->obj_count; id++) {
        struct ipc_obj *o = &ipc->objs[id];
        if (o->cfg == NULL) {
            continue;
        }
        spin_lock(&o->lock);
        /* Its own waiters first, so a mutex it held is not handed to one of them. */
        drop_vm_waiters_locked(&o->waiters, vm);
        drop_vm_waiters_locked(&o->senders, vm);
        if (o->cfg->type == CFG_CHAN_MUTEX && o->mutex_held && o->owner_vm == vm) {
            struct ipc_waiter *next = ipc_mutex_handover_locked(o, IPC_OWNER_DIED);
            if (next != NULL) {
                ipc_notify_woken(n, next);
            } else {
                o->mutex_owner_died = true;
            }
        }
        spin_unlock(&o->lock);
    }
}

struct ipc_stats ipc_stats(struct ipc *ipc, unsigned id)
{
    struct ipc_stats s = { 0 };

    if (id < ipc->obj_count && ipc->objs[id].cfg != NULL) {
        struct ipc_obj *o = &ipc->objs[id];
        spin_lock(&o->lock);
        s = o->stats;
        spin_unlock(&o->lock);
    }
    return s;
}

/* ------------------------------------------------------------------ notifications */

void ipc_notify_clear(struct ipc_notify *n)
{
    n->irq_count = 0;
    n->woken_count = 0;
}

void ipc_notify_irq(struct ipc_notify *n, unsigned vm, uint32_t intid)
{
    if (n->irq_count < IPC_NOTIFY_IRQS_MAX) {
        n->irqs[n->irq_count++] = (struct ipc_irq){ .vm = vm, .intid = intid };
    }
}

void ipc_notify_woken(struct ipc_notify *n, struct ipc_waiter *w)
{
    if (n->woken_count < IPC_NOTIFY_WOKEN_MAX) {
        n->woken[n->woken_count++] = w;
    }
}
