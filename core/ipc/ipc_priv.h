/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by ipc.c (objects, wait lists, cancel, VM reset), ipc_sync.c (doorbells,
 * semaphores, mutexes) and ipc_msgq.c (message queues). Not for other modules.
 */
#pragma once

#include <core/ipc/ipc.h>

/*
 * The decode half of every call: object id of type `type` usable by VM vm with right `right`.
 * 0 and *out, -BH_ENOENT (absent, invalid or other type) or -BH_EPERM (counted as denied).
 * Takes no lock but the object's, briefly, to count a denial.
 */
BH_MUST_CHECK int ipc_obj_check(struct ipc *ipc, unsigned id, enum cfg_chan_type type,
                                unsigned vm, uint8_t right, struct ipc_obj **out);

/* The waiter may start a call (idle); else counts an invalid call against o. */
BH_MUST_CHECK int ipc_waiter_check(struct ipc_obj *o, const struct ipc_waiter *w);

/* Count one event (a field of o->stats) under o's lock, for the paths that do not hold it. */
void ipc_obj_count(struct ipc_obj *o, uint64_t *counter);

/* Caller holds o->lock for every function below. */

/* The operation cannot complete now: -BH_EBUSY (counted) if the caller may not block, else
 * queue w on *list (of object id, operation op) in (prio desc, then arrival) order: IPC_BLOCKED. */
int ipc_wait_or_busy_locked(struct ipc_obj *o, unsigned id, struct ipc_waiter **list,
                            struct ipc_waiter *w, enum ipc_wait_op op, bool may_block);

/* Unlink and return the best waiter of *list, or NULL. */
struct ipc_waiter *ipc_wait_pop_locked(struct ipc_waiter **list);

/* Complete a popped waiter's operation with result: its vCPU may now be kicked. */
void ipc_wake_locked(struct ipc_obj *o, struct ipc_waiter *w, int result);

/*
 * Mutex o is released by its owner: the best waiter becomes the owner, woken with result, and
 * is returned; without waiters o is left free and NULL returned (ipc_sync.c).
 */
struct ipc_waiter *ipc_mutex_handover_locked(struct ipc_obj *o, int result);

/* n: clear, and append (bounded by the array sizes; the bounds are proven in ipc.c). */
void ipc_notify_clear(struct ipc_notify *n);
void ipc_notify_irq(struct ipc_notify *n, unsigned vm, uint32_t intid);
void ipc_notify_woken(struct ipc_notify *n, struct ipc_waiter *w);
