// SPDX-License-Identifier: MIT
/*
 * Doorbells, counting semaphores and mutexes. The hypervisor keeps their state, so a guest
 * can only ask: a count never goes beyond its max, only the owning vCPU unlocks, and a unit
 * or a lock that becomes free while someone waits is handed straight to the best waiter
 * (highest priority, then longest waiting) instead of being left for a race. Mutexes are
 * error-checking (POSIX PTHREAD_MUTEX_ERRORCHECK plus robust EOWNERDEAD): relocking by the
 * owner is an error, and a lock whose owner's VM died is passed on with IPC_OWNER_DIED.
 *
 * Lock order: one object lock at a time (ipc.c).
 */
#include <core/ipc/ipc_priv.h>

int ipc_doorbell_ring(struct ipc *ipc, unsigned vm, unsigned id, unsigned *target_vm,
                      uint32_t *intid)
{
    struct ipc_obj *o;
    int err = ipc_obj_check(ipc, id, CFG_CHAN_DOORBELL, vm, CFG_RIGHT_SEND, &o);

    if (err != 0) {
        return err;
    }
    *target_vm = o->cfg->to_vm;
    *intid = o->cfg->intid;
    ipc_doorbell_rung(ipc, id);
    return 0;
}

/* ------------------------------------------------------------------ semaphores */

int ipc_sem_wait(struct ipc *ipc, struct ipc_waiter *w, unsigned id, bool may_block)
{
    struct ipc_obj *o;
    int ret = ipc_obj_check(ipc, id, CFG_CHAN_SEM, w->vm, CFG_RIGHT_WAIT, &o);

    if (ret != 0 || (ret = ipc_waiter_check(o, w)) != 0) {
        return ret;
    }
    spin_lock(&o->lock);
    /* A positive count means nobody waits: post hands units to waiters first. */
    if (o->sem_count > 0) {
        o->sem_count--;
        o->stats.ops++;
        ret = 0;
    } else {
        ret = ipc_wait_or_busy_locked(o, id, &o->waiters, w, IPC_OP_SEM, may_block);
    }
    spin_unlock(&o->lock);
    return ret;
}

int ipc_sem_post(struct ipc *ipc, unsigned vm, unsigned id, struct ipc_waiter **woken)
{
    struct ipc_obj *o;
    int ret = ipc_obj_check(ipc, id, CFG_CHAN_SEM, vm, CFG_RIGHT_POST, &o);

    *woken = NULL;
    if (ret != 0) {
        return ret;
    }
    spin_lock(&o->lock);
    struct ipc_waiter *w = ipc_wait_pop_locked(&o->waiters);
    if (w != NULL) {
        ipc_wake_locked(o, w, 0); /* the unit goes to w: the count stays 0 */
        *woken = w;
        o->stats.ops++;
    } else if (o->sem_count >= o->cfg->sem_max) {
        o->stats.invalid++;
        ret = -BH_ERANGE;
    } else {
        o->sem_count++;
        o->stats.ops++;
    }
    spin_unlock(&o->lock);
    return ret;
}

/* ------------------------------------------------------------------ mutexes */

static bool is_owner_locked(const struct ipc_obj *o, unsigned vm, unsigned vcpu)
{
    return o->mutex_held && o->owner_vm == vm && o->owner_vcpu == vcpu;
}

struct ipc_waiter *ipc_mutex_handover_locked(struct ipc_obj *o, int result)
{
    struct ipc_waiter *w = ipc_wait_pop_locked(&o->waiters);

    if (w == NULL) {
        o->mutex_held = false;
        return NULL;
    }
    o->owner_vm = w->vm;
    o->owner_vcpu = w->vcpu;
    ipc_wake_locked(o, w, result);
    return w;
}

int ipc_mutex_lock(struct ipc *ipc, struct ipc_waiter *w, unsigned id, bool may_block)
{
    struct ipc_obj *o;
    int ret = ipc_obj_check(ipc, id, CFG_CHAN_MUTEX, w->vm, CFG_RIGHT_LOCK, &o);

    if (ret != 0 || (ret = ipc_waiter_check(o, w)) != 0) {
        return ret;
    }
    spin_lock(&o->lock);
    if (is_owner_locked(o, w->vm, w->vcpu)) {
        o->stats.invalid++;
        ret = -BH_EINVAL; /* waiting for ourselves would never end */
    } else if (!o->mutex_held) {
        o->mutex_held = true;
        o->owner_vm = w->vm;
        o->owner_vcpu = w->vcpu;
        ret = o->mutex_owner_died ? IPC_OWNER_DIED : 0;
        o->mutex_owner_died = false;
        o->stats.ops++;
    } else {
        ret = ipc_wait_or_busy_locked(o, id, &o->waiters, w, IPC_OP_MUTEX, may_block);
    }
    spin_unlock(&o->lock);
    return ret;
}

int ipc_mutex_unlock(struct ipc *ipc, unsigned vm, unsigned vcpu, unsigned id,
                     struct ipc_waiter **woken)
{
    struct ipc_obj *o;
    int ret = ipc_obj_check(ipc, id, CFG_CHAN_MUTEX, vm, CFG_RIGHT_LOCK, &o);

    *woken = NULL;
    if (ret != 0) {
        return ret;
    }
    spin_lock(&o->lock);
    if (!is_owner_locked(o, vm, vcpu)) {
        o->stats.denied++;
        ret = -BH_EPERM;
    } else {
        *woken = ipc_mutex_handover_locked(o, 0);
        o->stats.ops++;
    }
    spin_unlock(&o->lock);
    return ret;
}
