/* SPDX-License-Identifier: MIT */
/*
 * Kernel-private interfaces. The kernel runs only in exception context (rt_kernel_trap) or,
 * before the first task starts, on the boot CPU; in both IRQs are masked, so on one CPU no
 * lock is needed. For SMP every structure below is already per CPU except the objects
 * tasks share (semaphores, mutexes, queues); those would take one kernel spinlock around
 * each trap, acquired in rt_kernel_trap (a single lock, so there is no lock order).
 */
#pragma once

#include <rt/arch.h>
#include <rt/list.h>
#include <rt/rt.h>
#include <rt/sync.h>
#include <rt/task.h>

#include "tg.h" /* TG_MAX_CPUS, cpu_idx(): the CPU numbering start.S sets up */

#define RT_MAX_CPUS     TG_MAX_CPUS
#define RT_PI_DEPTH_MAX 16 /* longest mutex chain followed by priority inheritance */

/* What a wait queue belongs to, so removal can undo priority inheritance. */
enum rt_waitq_kind {
    WQ_PLAIN = 0, /* semaphore, queue, join */
    WQ_MUTEX,
};

/* Syscall numbers (x8). The handlers take x0-x3 and return the result for x0. */
enum rt_sysno {
    SYS_YIELD,
    SYS_EXIT,
    SYS_SLEEP_UNTIL,
    SYS_WAIT_PERIOD,
    SYS_TASK_CREATE,
    SYS_TASK_JOIN,
    SYS_TASK_SET_PRIO,
    SYS_TASK_STATS,
    SYS_TASK_STATS_RESET,
    SYS_KERNEL_STATS,
    SYS_SEM_WAIT,
    SYS_SEM_POST,
    SYS_MUTEX_LOCK,
    SYS_MUTEX_UNLOCK,
    SYS_QUEUE_SEND,
    SYS_QUEUE_RECV,
    SYS_COUNT,
};

typedef int64_t (*rt_syscall_fn)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

struct rt_cpu {
    uint32_t idx;
    struct rt_task *current;
    struct rt_task *idle;
    uint32_t ready_bitmap;               /* bit p: ready[p] is not empty */
    struct rt_list ready[RT_PRIO_COUNT];
    struct rt_list timers;               /* tasks by wake_at, FIFO among equals */
    rt_time_t timer_programmed;          /* CNTV_CVAL_EL0, or RT_TIME_NEVER when off */
    bool in_syscall;                     /* handler called through SVC: may block */
    uintptr_t kstack_top;

    uint64_t switches;
    uint64_t syscalls;
    uint64_t irqs;
    uint64_t timer_irqs;
    uint64_t timer_lat_sum;
    uint64_t timer_lat_max;
    uint64_t task_faults;
};

extern struct rt_cpu rt_cpus[RT_MAX_CPUS];
extern struct rt_list rt_all_tasks;

static inline struct rt_cpu *cpu_this(void)
{
    return &rt_cpus[cpu_idx()];
}

/* Syscall path (syscall.c) */

/* Run syscall nr: through SVC from a task, directly (non-blocking) in kernel context. */
int64_t rt_syscall(enum rt_sysno nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

/* Dispatch the SVC in ctx for the current task; the result lands in ctx->x[0]. */
void syscall_dispatch(struct rt_cpu *cpu, struct rt_ctx *ctx);

/* True in a handler that may block the caller (called through SVC by a task). */
bool kernel_can_block(void);

/* Absolute expiry for a relative timeout (RT_FOREVER -> RT_TIME_NEVER). */
rt_time_t timeout_to_deadline(uint64_t timeout_us);

/* Scheduler (sched.c) */

/* Prepare cpu's ready lists and timer list. */
void sched_init(struct rt_cpu *cpu, uintptr_t kstack_top);

/* Make t ready at the tail of its priority list. */
void sched_ready(struct rt_task *t);

/* Take t off its ready list (it blocks or exits). */
void sched_unready(struct rt_task *t);

/* t is ready: set its effective priority to prio and move it to that list. */
void sched_change_prio(struct rt_task *t, uint8_t prio);

/* Charge the CPU time since t->run_since to t (and its job) and restart the interval. */
void sched_account(struct rt_task *t, rt_time_t now);

/* Start the first task on this CPU; never returns. */
void sched_start(struct rt_cpu *cpu) __attribute__((noreturn));

/* Waiting and timeouts (wait.c) */

void waitq_init(struct rt_waitq *wq, enum rt_waitq_kind kind);

/* Highest-priority, longest-waiting task on wq, or NULL. */
struct rt_task *waitq_first(const struct rt_waitq *wq);

/*
 * Block the current task on wq (NULL: just sleep) until woken or until deadline
 * (RT_TIME_NEVER: no timeout). Its syscall result is set by whoever wakes it.
 */
void wait_block(struct rt_cpu *cpu, struct rt_waitq *wq, rt_time_t deadline);

/* Wake blocked task t with syscall result: off its wait queue and timer, onto ready. */
void wait_wake(struct rt_task *t, int64_t result);

/* t's priority changed while blocked on a wait queue: keep the queue ordered. */
void waitq_reposition(struct rt_task *t);

/* Wake every timer of cpu that expired at or before now. */
void timer_expire(struct rt_cpu *cpu, rt_time_t now);

/* Point CNTV_CVAL_EL0 at the earliest timer of cpu (or switch the timer off). */
void timer_program(struct rt_cpu *cpu);

/* Time (clock.c) */

/* Read CNTFRQ, stop the timer, enable the WFE event stream, hook up timer_intid. */
void clock_init(uint32_t timer_intid);

/* Priority inheritance (mutex.c) */

/* Recompute t's effective priority and push the change along its chain of blockers. */
void task_prio_update(struct rt_task *t);

/* Release every mutex t holds (t is exiting). */
void mutex_release_all(struct rt_task *t);

/* Tasks (task.c) */

/* End task t (exit or fault): release its mutexes, wake joiners, never run it again. */
void task_kill(struct rt_task *t);

/* A periodic task's release came (timer): start its next job. */
void task_job_release(struct rt_task *t);

/* Create cpu's idle task. */
void task_create_idle(struct rt_cpu *cpu);

/* Interrupts (irq.c) */

/* Acknowledge and run pending interrupts until none is left. */
void irq_dispatch(struct rt_cpu *cpu);

/* Syscall handlers, one per enum rt_sysno (named after it). */
int64_t sys_yield(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_exit(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_sleep_until(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_wait_period(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_task_create(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_task_join(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_task_set_prio(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_task_stats(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_task_stats_reset(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_kernel_stats(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_sem_wait(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_sem_post(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_mutex_lock(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_mutex_unlock(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_queue_send(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t sys_queue_recv(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
