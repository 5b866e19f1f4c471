/* SPDX-License-Identifier: MIT */
/*
 * Synchronisation between RTOS tasks: counting semaphores, mutexes with priority
 * inheritance and bounded message queues. All wait queues are ordered by effective
 * priority, FIFO among equals. Objects are caller-allocated and initialised before use;
 * none of them involves the hypervisor (see <rt/ipc.h> for that).
 */
#pragma once

#include <rt/list.h>
#include <rt/rt.h>

struct rt_task;

/* A priority-ordered queue of blocked tasks. */
struct rt_waitq {
    struct rt_list waiters;
    uint8_t kind; /* enum rt_waitq_kind (kernel-private) */
};

struct rt_sem {
    struct rt_waitq wq;
    uint32_t count;
    uint32_t max;
};

struct rt_mutex {
    struct rt_waitq wq;
    struct rt_task *owner;
    struct rt_list held_node; /* on owner->held_mutexes */
};

struct rt_queue {
    struct rt_waitq senders;
    struct rt_waitq receivers;
    uint8_t *buf;
    size_t msg_size;
    uint32_t capacity;
    uint32_t head;  /* index of the oldest message */
    uint32_t count;
};

/* Initialise s with count initial units and at most max units (max >= 1, count <= max). */
int rt_sem_init(struct rt_sem *s, uint32_t count, uint32_t max);

/*
 * Take one unit, waiting up to timeout_us (RT_NO_WAIT, RT_FOREVER or microseconds).
 * Returns 0, RT_ETIMEDOUT, RT_EAGAIN (RT_NO_WAIT and none available) or RT_EPERM (would
 * block outside task context).
 */
int rt_sem_wait(struct rt_sem *s, uint64_t timeout_us);

/*
 * Give one unit: the first waiter (highest priority, then longest waiting) takes it
 * directly. Returns 0 or RT_EOVERFLOW. Any context, including interrupt handlers.
 */
int rt_sem_post(struct rt_sem *s);

/* Units currently available. */
uint32_t rt_sem_count(const struct rt_sem *s);

/* Initialise an unlocked mutex. */
int rt_mutex_init(struct rt_mutex *m);

/*
 * Lock, waiting up to timeout_us. While the caller waits, the owner (and transitively the
 * owner's own blocker) runs at least at the caller's priority. Ownership is handed to the
 * best waiter on unlock. Returns 0, RT_ETIMEDOUT, RT_EAGAIN, RT_EDEADLK (caller owns it)
 * or RT_EPERM (not a task). Task context only.
 */
int rt_mutex_lock(struct rt_mutex *m, uint64_t timeout_us);

/* Unlock; the caller's priority drops to what its other mutexes still justify. 0 or
 * RT_EPERM (caller is not the owner). Task context only. */
int rt_mutex_unlock(struct rt_mutex *m);

/* Current owner, NULL if unlocked. */
struct rt_task *rt_mutex_owner(const struct rt_mutex *m);

/*
 * Initialise q over buf, which holds capacity messages of msg_size bytes each (caller-owned,
 * capacity * msg_size bytes).
 */
int rt_queue_init(struct rt_queue *q, void *buf, size_t msg_size, uint32_t capacity);

/*
 * Copy one message of msg_size bytes from msg into q, waiting up to timeout_us while q is
 * full. A waiting receiver gets the message directly. Returns 0, RT_ETIMEDOUT, RT_EAGAIN
 * or RT_EPERM. RT_NO_WAIT works in interrupt handlers.
 */
int rt_queue_send(struct rt_queue *q, const void *msg, uint64_t timeout_us);

/* Copy the oldest message into msg, waiting up to timeout_us while q is empty. */
int rt_queue_recv(struct rt_queue *q, void *msg, uint64_t timeout_us);

/* Messages currently queued. */
uint32_t rt_queue_count(const struct rt_queue *q);
