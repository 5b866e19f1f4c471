// SPDX-License-Identifier: MIT
/*
 * Fixed-priority preemptive scheduler and the kernel's trap entry. Each CPU has one FIFO
 * list per priority plus a bitmap of the non-empty ones, so picking the next task is a
 * count-leading-zeros. The running task stays at the head of its list: when preempted it
 * resumes before its equals (POSIX SCHED_FIFO); a task that becomes ready, or yields, goes
 * to the tail. Every trap ends in sched_switch(), so a context switch happens on the way
 * out of any interrupt or syscall that made a more urgent task ready.
 */
#include <rt/console.h>
#include <rt/time.h>

#include "kernel.h"
#include "sysreg.h"

#define TASK_SLOTS    4    /* vector slots 0-3: traps from a task (see vectors.S) */
#define ESR_EC_SVC64  0x15
#define BITMAP_BITS   32

struct rt_cpu rt_cpus[RT_MAX_CPUS];
struct rt_list rt_all_tasks = RT_LIST_INIT(rt_all_tasks);

void sched_init(struct rt_cpu *cpu, uintptr_t kstack_top)
{
    for (unsigned int p = 0; p < RT_PRIO_COUNT; p++) {
        list_init(&cpu->ready[p]);
    }
    list_init(&cpu->timers);
    cpu->ready_bitmap = 0;
    cpu->timer_programmed = RT_TIME_NEVER;
    cpu->kstack_top = kstack_top;
}

static void ready_insert(struct rt_task *t, bool front)
{
    struct rt_cpu *cpu = &rt_cpus[t->cpu];

    if (front) {
        list_push_front(&cpu->ready[t->prio], &t->sched_node);
    } else {
        list_push_back(&cpu->ready[t->prio], &t->sched_node);
    }
    cpu->ready_bitmap |= UINT32_C(1) << t->prio;
}

void sched_ready(struct rt_task *t)
{
    t->state = RT_TASK_READY;
    ready_insert(t, false);
}

void sched_unready(struct rt_task *t)
{
    struct rt_cpu *cpu = &rt_cpus[t->cpu];

    list_remove(&t->sched_node);
    if (list_empty(&cpu->ready[t->prio])) {
        cpu->ready_bitmap &= ~(UINT32_C(1) << t->prio);
    }
}

void sched_change_prio(struct rt_task *t, uint8_t prio)
{
    sched_unready(t);
    t->prio = prio;
    /* a running task keeps its turn at the new level; others queue behind their equals */
    ready_insert(t, rt_cpus[t->cpu].current == t);
}

static struct rt_task *sched_pick(const struct rt_cpu *cpu)
{
    /* the idle task is always ready, so the bitmap is never empty */
    unsigned int p = BITMAP_BITS - 1 - (unsigned int)__builtin_clz(cpu->ready_bitmap);

    return container_of(cpu->ready[p].next, struct rt_task, sched_node);
}

void sched_account(struct rt_task *t, rt_time_t now)
{
    uint64_t ran = now - t->run_since;

    t->cpu_time += ran;
    if (t->job_active) {
        t->job_exec += ran;
    }
    t->run_since = now;
}

/* A painted guard word at the stack bottom and SP inside the stack, else we cannot go on. */
static void stack_check(const struct rt_task *t)
{
    if (!t->stack_base) {
        return;
    }
    if (t->stack_base[0] != RT_STACK_PAINT || t->ctx.sp < (uintptr_t)t->stack_base ||
        t->ctx.sp > (uintptr_t)t->stack_base + t->stack_size) {
        rt_panic("stack overflow in task %s (sp=0x%lx stack=0x%lx+0x%lx)", t->name, t->ctx.sp,
                 (uintptr_t)t->stack_base, t->stack_size);
    }
}

static struct rt_ctx *sched_switch(struct rt_cpu *cpu)
{
    struct rt_task *prev = cpu->current;
    struct rt_task *next = sched_pick(cpu);

    if (next != prev) {
        rt_time_t now = rt_now();

        sched_account(prev, now);
        stack_check(prev);
        next->run_since = now;
        cpu->current = next;
        cpu->switches++;
        rt_cpu_ctx[cpu->idx] = &next->ctx;
    }
    return &next->ctx;
}

void sched_start(struct rt_cpu *cpu)
{
    struct rt_task *first = sched_pick(cpu);

    timer_program(cpu);
    first->run_since = rt_now();
    cpu->current = first;
    rt_cpu_ctx[cpu->idx] = &first->ctx;
    arch_ctx_start(&first->ctx, cpu->kstack_top);
}

/* A synchronous exception from a task: a syscall, or a fault that ends the task. */
static void task_sync(struct rt_cpu *cpu, struct rt_ctx *ctx)
{
    uint64_t esr = read_sysreg(esr_el1);
    struct rt_task *t = cpu->current;

    if (FIELD_GET(ESR_EC, esr) == ESR_EC_SVC64) {
        syscall_dispatch(cpu, ctx);
        return;
    }
    cpu->task_faults++;
    rt_printf("RT FAULT task=%s ESR=0x%lx ELR=0x%lx FAR=0x%lx: task stopped", t->name, esr,
              ctx->elr, read_sysreg(far_el1));
    if (t == cpu->idle) {
        rt_panic("idle task faulted");
    }
    task_kill(t);
}

/* Kernel-context exceptions: only the boot probes may return, the rest is fatal. */
static struct rt_ctx *kernel_exception(struct rt_ctx *ctx, uint64_t slot)
{
    struct exc_frame *frame = (struct exc_frame *)(void *)ctx;

    if (slot == TASK_SLOTS + RT_TRAP_SYNC) {
        exc_sync(frame);
    } else {
        exc_unexpected(frame, slot);
    }
    return ctx;
}

struct rt_ctx *rt_kernel_trap(struct rt_ctx *ctx, uint64_t slot)
{
    struct rt_cpu *cpu = cpu_this();

    if (slot >= TASK_SLOTS) {
        return kernel_exception(ctx, slot);
    }
    switch (slot) {
    case RT_TRAP_SYNC:
        task_sync(cpu, ctx);
        break;
    case RT_TRAP_IRQ:
        cpu->irqs++;
        irq_dispatch(cpu);
        break;
    default:
        rt_panic("%s in task %s ELR=0x%lx ESR=0x%lx", slot == RT_TRAP_FIQ ? "FIQ" : "SError",
                 cpu->current->name, ctx->elr, read_sysreg(esr_el1));
    }
    timer_program(cpu);
    return sched_switch(cpu);
}
