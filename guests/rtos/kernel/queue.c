// SPDX-License-Identifier: MIT
/*
 * Bounded message queues of fixed-size messages, copied by value. A message goes straight
 * to a waiting receiver when there is one; a receive that frees a slot pulls in the first
 * blocked sender's message at once. So a blocked sender or receiver is always complete when
 * it wakes, and the order of messages is the order in which senders got to send.
 */
#include <string.h>

#include "kernel.h"

int rt_queue_init(struct rt_queue *q, void *buf, size_t msg_size, uint32_t capacity)
{
    if (!q || !buf || !msg_size || !capacity) {
        return RT_EINVAL;
    }
    waitq_init(&q->senders, WQ_PLAIN);
    waitq_init(&q->receivers, WQ_PLAIN);
    q->buf = buf;
    q->msg_size = msg_size;
    q->capacity = capacity;
    q->head = 0;
    q->count = 0;
    return RT_OK;
}

static uint8_t *slot(const struct rt_queue *q, uint32_t i)
{
    return q->buf + (size_t)((q->head + i) % q->capacity) * q->msg_size;
}

int64_t sys_queue_send(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_queue *q = (struct rt_queue *)a0;
    const void *msg = (const void *)a1;
    struct rt_task *r;

    (void)a3;
    if (!q || !msg) {
        return RT_EINVAL;
    }
    r = waitq_first(&q->receivers);
    if (r) {
        memcpy(r->wait_msg, msg, q->msg_size);
        wait_wake(r, RT_OK);
        return RT_OK;
    }
    if (q->count < q->capacity) {
        memcpy(slot(q, q->count), msg, q->msg_size);
        q->count++;
        return RT_OK;
    }
    if (a2 == RT_NO_WAIT) {
        return RT_EAGAIN;
    }
    if (!kernel_can_block()) {
        return RT_EPERM;
    }
    struct rt_cpu *cpu = cpu_this();
    cpu->current->wait_msg = (void *)a1;
    wait_block(cpu, &q->senders, timeout_to_deadline(a2));
    return RT_OK;
}

int64_t sys_queue_recv(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_queue *q = (struct rt_queue *)a0;
    void *buf = (void *)a1;
    struct rt_task *s;

    (void)a3;
    if (!q || !buf) {
        return RT_EINVAL;
    }
    if (q->count) {
        memcpy(buf, slot(q, 0), q->msg_size);
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        s = waitq_first(&q->senders);
        if (s) {
            memcpy(slot(q, q->count), s->wait_msg, q->msg_size);
            q->count++;
            wait_wake(s, RT_OK);
        }
        return RT_OK;
    }
    if (a2 == RT_NO_WAIT) {
        return RT_EAGAIN;
    }
    if (!kernel_can_block()) {
        return RT_EPERM;
    }
    struct rt_cpu *cpu = cpu_this();
    cpu->current->wait_msg = buf;
    wait_block(cpu, &q->receivers, timeout_to_deadline(a2));
    return RT_OK;
}

int rt_queue_send(struct rt_queue *q, const void *msg, uint64_t timeout_us)
{
    return (int)rt_syscall(SYS_QUEUE_SEND, (uintptr_t)q, (uintptr_t)msg, timeout_us, 0);
}

int rt_queue_recv(struct rt_queue *q, void *msg, uint64_t timeout_us)
{
    return (int)rt_syscall(SYS_QUEUE_RECV, (uintptr_t)q, (uintptr_t)msg, timeout_us, 0);
}

uint32_t rt_queue_count(const struct rt_queue *q)
{
    return READ_ONCE(q->count);
}
