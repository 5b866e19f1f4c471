// SPDX-License-Identifier: MIT
/*
 * Statistics: per-task snapshots (taken inside the kernel, so every field belongs to the
 * same instant), kernel counters and the standard "RT task=..." line. Raw values are
 * counter ticks; everything leaving the kernel is in microseconds.
 */
#include <string.h>

#include <rt/console.h>
#include <rt/time.h>

#include "kernel.h"

/* Bytes of t's stack ever used: everything below the lowest intact paint word. */
static size_t stack_used(const struct rt_task *t)
{
    size_t words = t->stack_size / sizeof(uint64_t);
    size_t unused = 0;

    while (unused < words && t->stack_base[unused] == RT_STACK_PAINT) {
        unused++;
    }
    return (words - unused) * sizeof(uint64_t);
}

int64_t sys_task_stats(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    const struct rt_task *t = (const struct rt_task *)a0;
    struct rt_task_stats *s = (struct rt_task_stats *)a1;
    rt_time_t now = rt_now();

    (void)a2, (void)a3;
    if (!t || !s || t->state == RT_TASK_DORMANT) {
        return RT_EINVAL;
    }
    memset(s, 0, sizeof(*s));
    memcpy(s->name, t->name, sizeof(s->name));
    s->prio = t->prio;
    s->base_prio = t->base_prio;
    s->state = t->state;
    s->period_us = rt_ticks_to_us(t->period);
    s->deadline_us = rt_ticks_to_us(t->deadline);
    s->budget_us = rt_ticks_to_us(t->budget);
    s->activations = t->activations;
    s->completions = t->completions;
    /* a job still running past its deadline has missed it already */
    bool overdue = t->job_active && now > t->job_release + t->deadline;
    s->misses = t->misses + (overdue ? 1 : 0);
    s->overruns = t->overruns;
    if (t->completions) {
        s->resp_min_us = rt_ticks_to_us(t->resp_min);
        s->resp_avg_us = rt_ticks_to_us(t->resp_sum / t->completions);
        s->resp_max_us = rt_ticks_to_us(t->resp_max);
    }
    s->exec_max_us = rt_ticks_to_us(t->exec_max);
    uint64_t running = cpu_this()->current == t ? now - t->run_since : 0;
    s->cpu_us = rt_ticks_to_us(t->cpu_time + running);
    s->stack_used = stack_used(t);
    s->stack_size = t->stack_size;
    return RT_OK;
}

int64_t sys_task_stats_reset(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_task *t = (struct rt_task *)a0;

    (void)a1, (void)a2, (void)a3;
    if (!t || t->state == RT_TASK_DORMANT) {
        return RT_EINVAL;
    }
    t->activations = t->job_active ? 1 : 0;
    t->completions = 0;
    t->misses = 0;
    t->overruns = 0;
    t->resp_min = UINT64_MAX;
    t->resp_max = 0;
    t->resp_sum = 0;
    t->exec_max = 0;
    t->cpu_time = 0;
    return RT_OK;
}

int64_t sys_kernel_stats(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_kernel_stats *s = (struct rt_kernel_stats *)a0;
    const struct rt_cpu *cpu = cpu_this();

    (void)a1, (void)a2, (void)a3;
    if (!s) {
        return RT_EINVAL;
    }
    memset(s, 0, sizeof(*s));
    s->uptime_us = rt_uptime_us();
    s->idle_us = rt_ticks_to_us(cpu->idle->cpu_time);
    s->switches = cpu->switches;
    s->syscalls = cpu->syscalls;
    s->irqs = cpu->irqs;
    s->timer_irqs = cpu->timer_irqs;
    s->timer_lat_max_us = rt_ticks_to_us(cpu->timer_lat_max);
    if (cpu->timer_irqs) {
        s->timer_lat_avg_us = rt_ticks_to_us(cpu->timer_lat_sum / cpu->timer_irqs);
    }
    s->task_faults = cpu->task_faults;
    return RT_OK;
}

int rt_task_stats(const struct rt_task *t, struct rt_task_stats *out)
{
    return (int)rt_syscall(SYS_TASK_STATS, (uintptr_t)t, (uintptr_t)out, 0, 0);
}

int rt_task_stats_reset(struct rt_task *t)
{
    return (int)rt_syscall(SYS_TASK_STATS_RESET, (uintptr_t)t, 0, 0, 0);
}

void rt_kernel_stats(struct rt_kernel_stats *out)
{
    rt_syscall(SYS_KERNEL_STATS, (uintptr_t)out, 0, 0, 0);
}

struct rt_task *rt_task_next(struct rt_task *prev)
{
    struct rt_list *node = prev ? prev->all_node.next : rt_all_tasks.next;

    return node == &rt_all_tasks ? NULL : container_of(node, struct rt_task, all_node);
}

void rt_task_print_stats(const struct rt_task *t)
{
    struct rt_task_stats s;

    if (rt_task_stats(t, &s) != RT_OK) {
        return;
    }
    /* two lines: Bulkhead's console splits a VM line longer than 160 bytes */
    rt_printf("RT task=%s prio=%u period_us=%lu act=%lu misses=%lu resp_us_min=%lu avg=%lu "
              "max=%lu done=%lu",
              s.name, s.base_prio, s.period_us, s.activations, s.misses, s.resp_min_us,
              s.resp_avg_us, s.resp_max_us, s.completions);
    rt_printf("RT exec task=%s exec_us_max=%lu budget_us=%lu overruns=%lu cpu_us=%lu stack=%zu/%zu",
              s.name, s.exec_max_us, s.budget_us, s.overruns, s.cpu_us, s.stack_used,
              s.stack_size);
}
