// SPDX-License-Identifier: MIT
/*
 * Mutexes with transitive priority inheritance. A task's effective priority is the highest
 * of its own and of the first waiter of every mutex it holds (wait queues are priority
 * ordered, so the first waiter is the most urgent). Whenever that set changes (a task
 * blocks on, times out of, or is handed a mutex, or a priority is set) task_prio_update()
 * recomputes it and, if the task is itself blocked on a mutex, walks on to that owner.
 * Unlock hands ownership to the first waiter, so the lock never goes to whoever runs next.
 */
#include "kernel.h"

static struct rt_mutex *mutex_of(struct rt_waitq *wq)
{
    return container_of(wq, struct rt_mutex, wq);
}

/* max(base priority, first waiter of each held mutex) */
static uint8_t prio_inherited(const struct rt_task *t)
{
    uint8_t p = t->base_prio;
    const struct rt_list *pos;

    list_for_each(pos, &t->held_mutexes) {
        const struct rt_mutex *m = container_of(pos, struct rt_mutex, held_node);
        const struct rt_task *w = waitq_first(&m->wq);
        if (w && w->prio > p) {
            p = w->prio;
        }
    }
    return p;
}

void task_prio_update(struct rt_task *t)
{
    /* bounded: a deadlock cycle of mutexes must not loop the kernel forever */
    for (unsigned int depth = 0; t && depth < RT_PI_DEPTH_MAX; depth++) {
        uint8_t p = prio_inherited(t);

        if (p == t->prio) {
            return;
        }
        if (t->state == RT_TASK_READY) {
            sched_change_prio(t, p);
            return;
        }
        t->prio = p;
        if (t->state != RT_TASK_BLOCKED || !t->waitq) {
            return;
        }
        struct rt_waitq *wq = t->waitq;
        waitq_reposition(t);
        if (wq->kind != WQ_MUTEX) {
            return;
        }
        t = mutex_of(wq)->owner;
    }
}

static void mutex_take(struct rt_mutex *m, struct rt_task *t)
{
    m->owner = t;
    list_push_back(&t->held_mutexes, &m->held_node);
}

/* Release m held by t: hand it to the first waiter, then drop what t inherited via m. */
static void mutex_release(struct rt_mutex *m, struct rt_task *t)
{
    struct rt_task *w = waitq_first(&m->wq);

    list_remove(&m->held_node);
    m->owner = NULL;
    if (w) {
        mutex_take(m, w);
        /* leaving the queue makes w re-evaluate what it inherits from m's other waiters */
        wait_wake(w, RT_OK);
    }
    task_prio_update(t);
}

void mutex_release_all(struct rt_task *t)
{
    while (!list_empty(&t->held_mutexes)) {
        mutex_release(container_of(t->held_mutexes.next, struct rt_mutex, held_node), t);
    }
}

int rt_mutex_init(struct rt_mutex *m)
{
    if (!m) {
        return RT_EINVAL;
    }
    waitq_init(&m->wq, WQ_MUTEX);
    m->owner = NULL;
    list_init(&m->held_node);
    return RT_OK;
}

int64_t sys_mutex_lock(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_mutex *m = (struct rt_mutex *)a0;
    struct rt_cpu *cpu = cpu_this();
    struct rt_task *self = cpu->current;

    (void)a2, (void)a3;
    if (!m) {
        return RT_EINVAL;
    }
    /* only tasks own mutexes: interrupt handlers and boot code cannot be boosted */
    if (!cpu->in_syscall) {
        return RT_EPERM;
    }
    if (!m->owner) {
        mutex_take(m, self);
        return RT_OK;
    }
    if (m->owner == self) {
        return RT_EDEADLK;
    }
    if (a1 == RT_NO_WAIT) {
        return RT_EAGAIN;
    }
    wait_block(cpu, &m->wq, timeout_to_deadline(a1));
    task_prio_update(m->owner);
    return RT_OK;
}

int64_t sys_mutex_unlock(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_mutex *m = (struct rt_mutex *)a0;
    struct rt_cpu *cpu = cpu_this();

    (void)a1, (void)a2, (void)a3;
    if (!m || !cpu->in_syscall || m->owner != cpu->current) {
        return RT_EPERM;
    }
    mutex_release(m, cpu->current);
    return RT_OK;
}

int rt_mutex_lock(struct rt_mutex *m, uint64_t timeout_us)
{
    return (int)rt_syscall(SYS_MUTEX_LOCK, (uintptr_t)m, timeout_us, 0, 0);
}

int rt_mutex_unlock(struct rt_mutex *m)
{
    return (int)rt_syscall(SYS_MUTEX_UNLOCK, (uintptr_t)m, 0, 0, 0);
}

struct rt_task *rt_mutex_owner(const struct rt_mutex *m)
{
    return READ_ONCE(m->owner);
}
