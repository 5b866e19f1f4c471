// SPDX-License-Identifier: MIT
/*
 * Blocking and waking. A blocked task sits on at most one wait queue (ordered by effective
 * priority, FIFO among equals, through its sched_node) and at most one per-CPU timer list
 * entry (ordered by expiry). Whoever ends the wait (a post, an unlock, a message, the timer)
 * stores the syscall result in the task's saved x0, so the task needs no code after its
 * SVC to find out why it woke.
 */
#include <rt/time.h>

#include "kernel.h"
#include "sysreg.h"

void waitq_init(struct rt_waitq *wq, enum rt_waitq_kind kind)
{
    list_init(&wq->waiters);
    wq->kind = (uint8_t)kind;
}

static struct rt_task *task_of(struct rt_list *node)
{
    return container_of(node, struct rt_task, sched_node);
}

/* Behind every waiter of the same or higher priority: priority order, FIFO among equals. */
static void waitq_insert(struct rt_waitq *wq, struct rt_task *t)
{
    struct rt_list *pos;

    list_for_each(pos, &wq->waiters) {
        if (task_of(pos)->prio < t->prio) {
            break;
        }
    }
    list_insert_before(pos, &t->sched_node);
    t->waitq = wq;
}

struct rt_task *waitq_first(const struct rt_waitq *wq)
{
    return list_empty(&wq->waiters) ? NULL : task_of(wq->waiters.next);
}

static void timer_insert(struct rt_cpu *cpu, struct rt_task *t, rt_time_t when)
{
    struct rt_list *pos;

    t->wake_at = when;
    list_for_each(pos, &cpu->timers) {
        if (container_of(pos, struct rt_task, timer_node)->wake_at > when) {
            break;
        }
    }
    list_insert_before(pos, &t->timer_node);
}

void wait_block(struct rt_cpu *cpu, struct rt_waitq *wq, rt_time_t deadline)
{
    struct rt_task *t = cpu->current;

    sched_unready(t);
    t->state = RT_TASK_BLOCKED;
    if (wq) {
        waitq_insert(wq, t);
    }
    if (deadline != RT_TIME_NEVER) {
        timer_insert(cpu, t, deadline);
    }
}

/* Leaving a mutex's queue may lower what the owner inherits: recompute it. */
static void waitq_remove(struct rt_task *t)
{
    struct rt_waitq *wq = t->waitq;

    if (!wq) {
        return;
    }
    list_remove(&t->sched_node);
    t->waitq = NULL;
    if (wq->kind == WQ_MUTEX) {
        struct rt_mutex *m = container_of(wq, struct rt_mutex, wq);
        if (m->owner) {
            task_prio_update(m->owner);
        }
    }
}

void wait_wake(struct rt_task *t, int64_t result)
{
    waitq_remove(t);
    list_remove(&t->timer_node);
    t->ctx.x[0] = (uint64_t)result;
    sched_ready(t);
}

void waitq_reposition(struct rt_task *t)
{
    struct rt_waitq *wq = t->waitq;

    list_remove(&t->sched_node);
    waitq_insert(wq, t);
}

void timer_expire(struct rt_cpu *cpu, rt_time_t now)
{
    while (!list_empty(&cpu->timers)) {
        struct rt_task *t = container_of(cpu->timers.next, struct rt_task, timer_node);

        if (t->wake_at > now) {
            break;
        }
        list_remove(&t->timer_node);
        if (t->wait_release) {
            t->wait_release = false;
            task_job_release(t);
        }
        /* a plain sleep ends successfully; a wait on an object ends in a timeout */
        wait_wake(t, t->waitq ? RT_ETIMEDOUT : RT_OK);
    }
}

void timer_program(struct rt_cpu *cpu)
{
    rt_time_t want = list_empty(&cpu->timers)
                         ? RT_TIME_NEVER
                         : container_of(cpu->timers.next, struct rt_task, timer_node)->wake_at;

    if (want == cpu->timer_programmed) {
        return;
    }
    if (want == RT_TIME_NEVER) {
        write_sysreg(0, cntv_ctl_el0);
    } else {
        write_sysreg(want, cntv_cval_el0);
        write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    }
    isb();
    cpu->timer_programmed = want;
}
