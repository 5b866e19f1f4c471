// SPDX-License-Identifier: MIT
/*
 * Task life cycle (create, exit, join), sleeping, priorities and the periodic job model.
 * Control blocks and stacks belong to the caller; the kernel never allocates. A new stack
 * is painted with RT_STACK_PAINT: the lowest word is the overflow guard checked at every
 * switch, the rest gives the high-water mark.
 */
#include <string.h>

#include <rt/console.h>
#include <rt/time.h>

#include "kernel.h"

#define IDLE_STACK_SIZE 1024

static struct rt_task idle_tasks[RT_MAX_CPUS];
static uint64_t idle_stacks[RT_MAX_CPUS][IDLE_STACK_SIZE / sizeof(uint64_t)]
    __attribute__((aligned(RT_STACK_ALIGN)));

static bool attr_is_valid(const struct rt_task_attr *a, uint8_t min_prio)
{
    return a && a->prio >= min_prio && a->prio <= RT_PRIO_MAX && a->stack &&
           (uintptr_t)a->stack % RT_STACK_ALIGN == 0 && a->stack_size >= RT_STACK_MIN &&
           a->stack_size % RT_STACK_ALIGN == 0 && (a->deadline_us == 0 || a->period_us);
}

static void task_set_periodic(struct rt_task *t, const struct rt_task_attr *a)
{
    t->period = rt_us_to_ticks(a->period_us);
    t->deadline = a->deadline_us ? rt_us_to_ticks(a->deadline_us) : t->period;
    t->budget = rt_us_to_ticks(a->budget_us);
    t->next_release = a->first_release ? a->first_release : rt_now();
    t->resp_min = UINT64_MAX;
}

static int task_init(struct rt_task *t, const struct rt_task_attr *a, rt_task_fn entry,
                     void *arg, uint8_t min_prio)
{
    if (!t || !entry || !attr_is_valid(a, min_prio) || t->state != RT_TASK_DORMANT) {
        return RT_EINVAL;
    }
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; a->name && a->name[i] && i < RT_NAME_MAX - 1; i++) {
        t->name[i] = a->name[i];
    }
    t->base_prio = t->prio = a->prio;
    t->cpu = (uint8_t)cpu_idx();
    list_init(&t->sched_node);
    list_init(&t->timer_node);
    list_init(&t->held_mutexes);
    waitq_init(&t->joiners, WQ_PLAIN);

    t->stack_base = a->stack;
    t->stack_size = a->stack_size;
    for (size_t i = 0; i < a->stack_size / sizeof(uint64_t); i++) {
        t->stack_base[i] = RT_STACK_PAINT;
    }
    t->ctx.x[0] = (uintptr_t)arg;
    t->ctx.x[30] = (uintptr_t)rt_task_exit; /* returning from entry ends the task */
    t->ctx.elr = (uintptr_t)entry;
    t->ctx.spsr = RT_SPSR_TASK;
    t->ctx.sp = (uintptr_t)a->stack + a->stack_size;
    task_set_periodic(t, a);

    list_push_back(&rt_all_tasks, &t->all_node);
    sched_ready(t);
    return RT_OK;
}

int64_t sys_task_create(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    return task_init((struct rt_task *)a0, (const struct rt_task_attr *)a1, (rt_task_fn)a2,
                     (void *)a3, RT_PRIO_MIN);
}

static void idle_main(void *arg)
{
    (void)arg;
    /* WFI, never a spin: under QEMU -icount the other vCPUs only run while we sleep */
    for (;;) {
        wfi();
    }
}

void task_create_idle(struct rt_cpu *cpu)
{
    struct rt_task_attr a = {
        .name = "idle",
        .prio = RT_PRIO_IDLE,
        .stack = idle_stacks[cpu->idx],
        .stack_size = IDLE_STACK_SIZE,
    };

    if (task_init(&idle_tasks[cpu->idx], &a, idle_main, NULL, RT_PRIO_IDLE) != RT_OK) {
        rt_panic("cannot create the idle task");
    }
    cpu->idle = &idle_tasks[cpu->idx];
}

void task_kill(struct rt_task *t)
{
    bool joined = false;
    struct rt_task *j;

    mutex_release_all(t);
    if (t->state == RT_TASK_READY) {
        sched_unready(t);
    }
    t->state = RT_TASK_DEAD;
    t->job_active = false; /* an abandoned job is not a deadline miss */
    while ((j = waitq_first(&t->joiners)) != NULL) {
        wait_wake(j, RT_OK);
        joined = true;
    }
    if (joined) {
        t->state = RT_TASK_DORMANT;
        list_remove(&t->all_node);
    }
}

int64_t sys_exit(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    (void)a0, (void)a1, (void)a2, (void)a3;
    task_kill(cpu_this()->current);
    return RT_OK;
}

int64_t sys_task_join(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_cpu *cpu = cpu_this();
    struct rt_task *t = (struct rt_task *)a0;

    (void)a2, (void)a3;
    if (!t || t == cpu->current || t->state == RT_TASK_DORMANT || t == cpu->idle) {
        return RT_EINVAL;
    }
    if (t->state == RT_TASK_DEAD) {
        t->state = RT_TASK_DORMANT;
        list_remove(&t->all_node);
        return RT_OK;
    }
    if (a1 == RT_NO_WAIT) {
        return RT_EAGAIN;
    }
    if (!kernel_can_block()) {
        return RT_EPERM;
    }
    wait_block(cpu, &t->joiners, timeout_to_deadline(a1));
    return RT_OK;
}

int64_t sys_yield(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_task *t = cpu_this()->current;

    (void)a0, (void)a1, (void)a2, (void)a3;
    sched_unready(t);
    sched_ready(t);
    return RT_OK;
}

int64_t sys_sleep_until(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    (void)a1, (void)a2, (void)a3;
    if (a0 <= rt_now()) {
        return RT_OK;
    }
    if (!kernel_can_block()) {
        return RT_EPERM;
    }
    wait_block(cpu_this(), NULL, a0);
    return RT_OK;
}

int64_t sys_task_set_prio(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_task *t = (struct rt_task *)a0;

    (void)a2, (void)a3;
    if (!t || t->state == RT_TASK_DORMANT || t->state == RT_TASK_DEAD || a1 < RT_PRIO_MIN ||
        a1 > RT_PRIO_MAX || t == rt_cpus[t->cpu].idle) {
        return RT_EINVAL;
    }
    t->base_prio = (uint8_t)a1;
    task_prio_update(t);
    return RT_OK;
}

void task_job_release(struct rt_task *t)
{
    t->job_release = t->next_release;
    t->next_release += t->period;
    t->activations++;
    t->job_active = true;
    t->job_exec = 0;
}

/* The running task t finished its job at now: response time, deadline, budget. */
static void job_complete(struct rt_task *t, rt_time_t now)
{
    uint64_t resp = now - t->job_release;

    sched_account(t, now);
    t->completions++;
    t->resp_sum += resp;
    t->resp_min = RT_MIN(t->resp_min, resp);
    t->resp_max = RT_MAX(t->resp_max, resp);
    t->exec_max = RT_MAX(t->exec_max, t->job_exec);
    if (resp > t->deadline) {
        t->misses++;
    }
    if (t->budget && t->job_exec > t->budget) {
        t->overruns++;
    }
    t->job_active = false;
}

int64_t sys_wait_period(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct rt_cpu *cpu = cpu_this();
    struct rt_task *t = cpu->current;
    rt_time_t now = rt_now();

    (void)a0, (void)a1, (void)a2, (void)a3;
    if (!t->period) {
        return RT_EINVAL;
    }
    if (t->job_active) {
        job_complete(t, now);
    }
    if (t->next_release <= now) {
        /* late: the next job is already released, start it at once */
        task_job_release(t);
        return RT_OK;
    }
    if (!kernel_can_block()) {
        return RT_EPERM;
    }
    t->wait_release = true;
    wait_block(cpu, NULL, t->next_release);
    return RT_OK;
}

/* Public calls */

int rt_task_create(struct rt_task *t, const struct rt_task_attr *attr, rt_task_fn entry,
                   void *arg)
{
    return (int)rt_syscall(SYS_TASK_CREATE, (uintptr_t)t, (uintptr_t)attr, (uintptr_t)entry,
                           (uintptr_t)arg);
}

void rt_task_exit(void)
{
    if (arch_in_kernel()) {
        rt_panic("rt_task_exit outside a task");
    }
    rt_syscall(SYS_EXIT, 0, 0, 0, 0);
    rt_panic("exited task %s resumed", rt_task_self()->name);
}

int rt_task_join(struct rt_task *t, uint64_t timeout_us)
{
    return (int)rt_syscall(SYS_TASK_JOIN, (uintptr_t)t, timeout_us, 0, 0);
}

struct rt_task *rt_task_self(void)
{
    return cpu_this()->current;
}

int rt_task_prio(const struct rt_task *t)
{
    return READ_ONCE(t->prio);
}

int rt_task_base_prio(const struct rt_task *t)
{
    return READ_ONCE(t->base_prio);
}

int rt_task_set_prio(struct rt_task *t, unsigned int prio)
{
    return (int)rt_syscall(SYS_TASK_SET_PRIO, (uintptr_t)t, prio, 0, 0);
}

void rt_yield(void)
{
    rt_syscall(SYS_YIELD, 0, 0, 0, 0);
}

int rt_sleep_until(rt_time_t when)
{
    return (int)rt_syscall(SYS_SLEEP_UNTIL, when, 0, 0, 0);
}

int rt_sleep_us(uint64_t us)
{
    return rt_sleep_until(rt_now() + rt_us_to_ticks(us));
}

int rt_task_wait_period(void)
{
    return (int)rt_syscall(SYS_WAIT_PERIOD, 0, 0, 0, 0);
}
