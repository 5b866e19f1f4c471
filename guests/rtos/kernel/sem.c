// SPDX-License-Identifier: MIT
/*
 * Counting semaphores. A post with waiters hands the unit straight to the first waiter
 * (highest priority, then FIFO), so a later, more urgent arrival cannot steal it and the
 * count only grows when nobody waits.
 */
#include "kernel.h"

int rt_sem_init(struct rt_sem *s, uint32_t count, uint32_t max)
{
    if (!s || max == 0 || count > max) {
        return RT_EINVAL;
    }
    waitq_init(&s->wq, WQ_PLAIN);
    s->count = count;
    s->max = max;
    return RT_OK;
}

int64_t sys_sem_wait(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_sem *s = (struct rt_sem *)a0;

    (void)a2, (void)a3;
    if (!s) {
        return RT_EINVAL;
    }
    if (s->count) {
        s->count--;
        return RT_OK;
    }
    if (a1 == RT_NO_WAIT) {
        return RT_EAGAIN;
    }
    if (!kernel_can_block()) {
        return RT_EPERM;
    }
    wait_block(cpu_this(), &s->wq, timeout_to_deadline(a1));
    return RT_OK;
}

int64_t sys_sem_post(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_sem *s = (struct rt_sem *)a0;
    struct rt_task *w;

    (void)a1, (void)a2, (void)a3;
    if (!s) {
        return RT_EINVAL;
    }
    w = waitq_first(&s->wq);
    if (w) {
        wait_wake(w, RT_OK);
        return RT_OK;
    }
    if (s->count >= s->max) {
        return RT_EOVERFLOW;
    }
    s->count++;
    return RT_OK;
}

int rt_sem_wait(struct rt_sem *s, uint64_t timeout_us)
{
    return (int)rt_syscall(SYS_SEM_WAIT, (uintptr_t)s, timeout_us, 0, 0);
}

int rt_sem_post(struct rt_sem *s)
{
    return (int)rt_syscall(SYS_SEM_POST, (uintptr_t)s, 0, 0, 0);
}

uint32_t rt_sem_count(const struct rt_sem *s)
{
    return READ_ONCE(s->count);
}
