/* SPDX-License-Identifier: MIT */
/*
 * Tasks: statically allocated control blocks and stacks, fixed priorities, optional
 * periodic release with deadline and budget accounting.
 *
 * A periodic task is written as
 *     for (;;) { if (rt_task_wait_period() < 0) break; do_job(); }
 * The first call waits for the first release; each later call completes the current job
 * (response time = completion - release, a miss if it exceeds the relative deadline) and
 * waits for the next release, which is always the previous release + period: a late job
 * makes the next one start late, it never skips a release.
 */
#pragma once

#include <rt/arch.h>
#include <rt/list.h>
#include <rt/rt.h>
#include <rt/sync.h>

#define RT_NAME_MAX        16
#define RT_STACK_MIN       1024
#define RT_STACK_PAINT     0x5254535441434b21ULL /* "RTSTACK!": unused stack words */

enum rt_task_state {
    RT_TASK_DORMANT = 0, /* never created, or exited and joined */
    RT_TASK_READY,       /* on its ready list (includes the running task) */
    RT_TASK_BLOCKED,     /* on a wait queue and/or the timer list */
    RT_TASK_DEAD,        /* exited; the control block may be reused after rt_task_join */
};

struct rt_task {
    struct rt_ctx ctx; /* first: vectors.S saves into it */

    char name[RT_NAME_MAX];
    uint8_t base_prio;  /* assigned priority */
    uint8_t prio;       /* effective priority: base or inherited through mutexes */
    uint8_t state;      /* enum rt_task_state */
    uint8_t cpu;

    struct rt_list sched_node;   /* ready list or wait queue */
    struct rt_list timer_node;   /* timer list while a timeout or release is pending */
    struct rt_list all_node;     /* every created task, for statistics */
    struct rt_list held_mutexes; /* mutexes owned, for priority inheritance */
    struct rt_waitq *waitq;      /* the queue this task is blocked on, if any */
    rt_time_t wake_at;           /* timer expiry while timer_node is queued */
    bool wait_release;           /* the timer ends a rt_task_wait_period() sleep */
    void *wait_msg;              /* message queue: source or destination buffer */
    struct rt_waitq joiners;     /* tasks in rt_task_join() on this one */

    uint64_t *stack_base;
    size_t stack_size;

    /* periodic model, in ticks (0: not periodic / no budget) */
    uint64_t period;
    uint64_t deadline;
    uint64_t budget;
    rt_time_t next_release;
    rt_time_t job_release;
    bool job_active;

    /* accounting, in ticks */
    uint64_t activations;
    uint64_t completions;
    uint64_t misses;
    uint64_t overruns;      /* jobs that used more than the budget */
    uint64_t resp_min;
    uint64_t resp_max;
    uint64_t resp_sum;
    uint64_t job_exec;      /* CPU time of the current job */
    uint64_t exec_max;      /* largest CPU time of a completed job */
    uint64_t cpu_time;      /* total CPU time */
    rt_time_t run_since;    /* when it last got the CPU */
};

typedef void (*rt_task_fn)(void *arg);

struct rt_task_attr {
    const char *name;
    uint8_t prio;             /* RT_PRIO_MIN..RT_PRIO_MAX */
    void *stack;              /* RT_STACK_ALIGN-aligned, at least RT_STACK_MIN bytes */
    size_t stack_size;
    uint64_t period_us;       /* 0: not periodic */
    uint64_t deadline_us;     /* relative deadline; 0: equal to the period */
    uint64_t budget_us;       /* WCET budget, accounted (not enforced); 0: none */
    rt_time_t first_release;  /* absolute; 0: at creation */
};

/* Snapshot of a task's statistics, microseconds. */
struct rt_task_stats {
    char name[RT_NAME_MAX];
    uint8_t prio;
    uint8_t base_prio;
    uint8_t state;
    uint64_t period_us;
    uint64_t deadline_us;
    uint64_t budget_us;
    uint64_t activations;
    uint64_t completions;
    uint64_t misses;        /* completed late, plus the current job if already overdue */
    uint64_t overruns;
    uint64_t resp_min_us;
    uint64_t resp_avg_us;
    uint64_t resp_max_us;
    uint64_t exec_max_us;
    uint64_t cpu_us;
    size_t stack_used;      /* high-water mark, bytes */
    size_t stack_size;
};

/* Kernel-wide counters. */
struct rt_kernel_stats {
    uint64_t uptime_us;
    uint64_t idle_us;
    uint64_t switches;
    uint64_t syscalls;
    uint64_t irqs;
    uint64_t timer_irqs;
    uint64_t timer_lat_max_us; /* timer interrupt entry - programmed expiry */
    uint64_t timer_lat_avg_us;
    uint64_t task_faults;
};

#define RT_STACK_DEFINE(sym, size) \
    static uint64_t sym[(size) / sizeof(uint64_t)] __attribute__((aligned(RT_STACK_ALIGN)))

/*
 * Create task t (caller-owned, DORMANT or joined) running entry(arg) with attr. The stack is
 * painted for the high-water mark. If t outranks the caller it runs before this returns.
 * Returns 0 or RT_EINVAL (bad priority, stack, or t in use). Task or boot context.
 */
int rt_task_create(struct rt_task *t, const struct rt_task_attr *attr, rt_task_fn entry,
                   void *arg);

/* End the calling task; returning from the entry function does the same. Owned mutexes
 * are released. Task context. */
void rt_task_exit(void) __attribute__((noreturn));

/*
 * Wait until t has exited, then make t DORMANT (reusable). Returns 0, RT_ETIMEDOUT,
 * RT_EAGAIN (RT_NO_WAIT and still alive) or RT_EINVAL (t is the caller or never created).
 */
int rt_task_join(struct rt_task *t, uint64_t timeout_us);

/* The calling task. */
struct rt_task *rt_task_self(void);

/* Effective (inherited) and assigned priority of t. */
int rt_task_prio(const struct rt_task *t);
int rt_task_base_prio(const struct rt_task *t);

/* Change t's assigned priority; inheritance is recomputed. 0 or RT_EINVAL. */
int rt_task_set_prio(struct rt_task *t, unsigned int prio);

/* Move the caller behind the other ready tasks of its priority. */
void rt_yield(void);

/* Sleep until absolute time when (returns at once if it has passed). Returns 0. */
int rt_sleep_until(rt_time_t when);

/* Sleep for us microseconds. Returns 0. */
int rt_sleep_us(uint64_t us);

/*
 * Periodic tasks: complete the current job (if any) and sleep until the next release, which
 * starts a new job. Returns 0, or RT_EINVAL if the caller is not periodic.
 */
int rt_task_wait_period(void);

/* Copy t's statistics (atomically with respect to the scheduler). 0 or RT_EINVAL. */
int rt_task_stats(const struct rt_task *t, struct rt_task_stats *out);

/* Clear the counters of t (activations, misses, response times, CPU time). */
int rt_task_stats_reset(struct rt_task *t);

/* Kernel counters. */
void rt_kernel_stats(struct rt_kernel_stats *out);

/* Iterate over created tasks: pass NULL for the first; NULL at the end. */
struct rt_task *rt_task_next(struct rt_task *prev);

/* Print the standard statistics line of t (see README, "Output"). Task context. */
void rt_task_print_stats(const struct rt_task *t);
