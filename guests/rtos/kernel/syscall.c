// SPDX-License-Identifier: MIT
/*
 * The syscall table and the two ways into it. A task traps with SVC (x8 = number,
 * x0-x3 = arguments) and may block; kernel context (interrupt handlers, boot code) calls
 * the same handler directly and never blocks. Every public API call goes through
 * rt_syscall(), so the two paths cannot drift apart.
 */
#include "kernel.h"

#define SYSCALL_NR_REG 8 /* x8, as in the Linux arm64 syscall convention */

static const rt_syscall_fn syscall_table[SYS_COUNT] = {
    [SYS_YIELD] = sys_yield,
    [SYS_EXIT] = sys_exit,
    [SYS_SLEEP_UNTIL] = sys_sleep_until,
    [SYS_WAIT_PERIOD] = sys_wait_period,
    [SYS_TASK_CREATE] = sys_task_create,
    [SYS_TASK_JOIN] = sys_task_join,
    [SYS_TASK_SET_PRIO] = sys_task_set_prio,
    [SYS_TASK_STATS] = sys_task_stats,
    [SYS_TASK_STATS_RESET] = sys_task_stats_reset,
    [SYS_KERNEL_STATS] = sys_kernel_stats,
    [SYS_SEM_WAIT] = sys_sem_wait,
    [SYS_SEM_POST] = sys_sem_post,
    [SYS_MUTEX_LOCK] = sys_mutex_lock,
    [SYS_MUTEX_UNLOCK] = sys_mutex_unlock,
    [SYS_QUEUE_SEND] = sys_queue_send,
    [SYS_QUEUE_RECV] = sys_queue_recv,
};

int64_t rt_syscall(enum rt_sysno nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    if (arch_in_kernel()) {
        return syscall_table[nr](a0, a1, a2, a3);
    }
    return arch_svc(nr, a0, a1, a2, a3);
}

bool kernel_can_block(void)
{
    const struct rt_cpu *cpu = cpu_this();

    return cpu->in_syscall && cpu->current != cpu->idle;
}

void syscall_dispatch(struct rt_cpu *cpu, struct rt_ctx *ctx)
{
    struct rt_task *t = cpu->current;
    uint64_t nr = ctx->x[SYSCALL_NR_REG];
    int64_t ret = RT_EINVAL;

    cpu->syscalls++;
    if (nr < SYS_COUNT && syscall_table[nr]) {
        cpu->in_syscall = true;
        ret = syscall_table[nr](ctx->x[0], ctx->x[1], ctx->x[2], ctx->x[3]);
        cpu->in_syscall = false;
    }
    /* a task that blocked (or exited) gets its result from whoever wakes it */
    if (t->state == RT_TASK_READY) {
        ctx->x[0] = (uint64_t)ret;
    }
}
