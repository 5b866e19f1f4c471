// SPDX-License-Identifier: MIT
/*
 * rt.app=selftest: unit-style checks of the kernel through its public API, one
 * "RT PASS|FAIL <what>" line each, then "RT summary pass=<n> fail=<m> ok|FAIL". This file
 * holds the helpers, the scheduling and semaphore tests; selftest_sync.c the rest.
 */
#include <string.h>

#include <rt/console.h>
#include <rt/irq.h>
#include <rt/sync.h>
#include <rt/time.h>

#include "apps.h"
#include "printf.h"
#include "selftest.h"

#define HELPERS         8
#define HELPER_STACK    0x1000
#define JOIN_TIMEOUT_US 100000
#define LOG_MAX         32

struct helper {
    struct rt_task task;
    uint64_t stack[HELPER_STACK / sizeof(uint64_t)] __attribute__((aligned(RT_STACK_ALIGN)));
};

static struct helper helpers[HELPERS];
static unsigned int pass_count, fail_count;
static char log_buf[LOG_MAX];
static uint32_t log_len;

bool st_check(bool cond, const char *fmt, ...)
{
    char text[RT_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    tg_vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    rt_printf("RT %s %s", cond ? "PASS" : "FAIL", text);
    if (cond) {
        pass_count++;
    } else {
        fail_count++;
    }
    return cond;
}

struct rt_task *st_spawn_attr(struct rt_task_attr *attr, rt_task_fn fn, void *arg)
{
    for (int i = 0; i < HELPERS; i++) {
        struct helper *h = &helpers[i];
        if (h->task.state != RT_TASK_DORMANT) {
            continue;
        }
        attr->stack = h->stack;
        attr->stack_size = sizeof(h->stack);
        if (rt_task_create(&h->task, attr, fn, arg) == RT_OK) {
            return &h->task;
        }
    }
    st_check(false, "spawn %s: no free helper slot", attr->name);
    return NULL;
}

struct rt_task *st_spawn(const char *name, uint8_t prio, rt_task_fn fn, void *arg)
{
    struct rt_task_attr a = { .name = name, .prio = prio };

    return st_spawn_attr(&a, fn, arg);
}

void st_join_all(void)
{
    for (int i = 0; i < HELPERS; i++) {
        struct rt_task *t = &helpers[i].task;
        if (t->state != RT_TASK_DORMANT && rt_task_join(t, JOIN_TIMEOUT_US) != RT_OK) {
            st_check(false, "helper %s did not end", t->name);
        }
    }
}

void st_log(char c)
{
    uint64_t daif = rt_irq_lock();

    if (log_len < LOG_MAX - 1) {
        log_buf[log_len++] = c;
        log_buf[log_len] = '\0';
    }
    rt_irq_unlock(daif);
}

void st_log_reset(void)
{
    log_len = 0;
    log_buf[0] = '\0';
}

const char *st_log_get(void)
{
    return log_buf;
}

bool st_log_is(const char *want)
{
    return !strncmp(log_buf, want, LOG_MAX);
}

void st_spin_us(uint64_t us)
{
    rt_time_t end = rt_now() + rt_us_to_ticks(us);

    while (rt_now() < end) {
        /* burn CPU on purpose: the point is to be preempted while running */
    }
}

/* ---- scheduling ---- */

void st_log_task(void *arg)
{
    st_log((char)(uintptr_t)arg);
}

static void create_higher(void *arg)
{
    (void)arg;
    st_log('l');
    st_spawn("high", 25, st_log_task, (void *)'h');
    st_log('L');
}

static void yielder(void *arg)
{
    for (int i = 0; i < 3; i++) {
        st_log((char)(uintptr_t)arg);
        rt_yield();
    }
}

static void late_waker(void *arg)
{
    (void)arg;
    rt_sleep_us(500);
    st_log('w');
}

static void spinner(void *arg)
{
    (void)arg;
    st_log('s');
    st_spin_us(2000);
    st_log('S');
}

static void faulter(void *arg)
{
    (void)arg;
    st_log('f');
    __asm__ volatile("udf #0"); /* UNDEFINED: traps to EL1 only, the hypervisor never sees it */
    st_log('X');
}

/* A fault ends the faulting task only; the kernel counts it and goes on. */
static void sched_fault(void)
{
    struct rt_kernel_stats before, after;

    rt_kernel_stats(&before);
    st_log_reset();
    struct rt_task *t = st_spawn("faulter", 10, faulter, NULL);
    rt_sleep_us(ST_SETTLE_US);
    rt_kernel_stats(&after);
    bool stopped = t->state == RT_TASK_DEAD;
    st_join_all();
    st_check(stopped && st_log_is("f") && after.task_faults == before.task_faults + 1,
             "sched: a faulting task is stopped, the others go on (%s)", st_log_get());
}

void st_sched(void)
{
    st_log_reset();
    st_spawn("a10", 10, st_log_task, (void *)'a');
    st_spawn("b20", 20, st_log_task, (void *)'b');
    st_spawn("c15", 15, st_log_task, (void *)'c');
    st_spawn("d15", 15, st_log_task, (void *)'d');
    st_join_all();
    st_check(st_log_is("bcda"), "sched: ready tasks run by priority, FIFO among equals (%s)",
             st_log_get());

    st_log_reset();
    st_spawn("low", 5, create_higher, NULL);
    st_join_all();
    st_check(st_log_is("lhL"), "sched: creating a more urgent task preempts the creator (%s)",
             st_log_get());

    st_log_reset();
    st_spawn("x", 12, yielder, (void *)'x');
    st_spawn("y", 12, yielder, (void *)'y');
    st_join_all();
    st_check(st_log_is("xyxyxy"), "sched: yield round-robins equal priorities (%s)",
             st_log_get());

    st_log_reset();
    st_spawn("waker", 20, late_waker, NULL);
    st_spawn("spinner", 10, spinner, NULL);
    st_join_all();
    st_check(st_log_is("swS"), "sched: a timer wake-up preempts a running lower task (%s)",
             st_log_get());
    sched_fault();
}

/* ---- semaphores ---- */

static struct rt_sem sem;

static void sem_waiter(void *arg)
{
    if (rt_sem_wait(&sem, RT_FOREVER) == RT_OK) {
        st_log((char)(uintptr_t)arg);
    }
}

static void sem_counting(void)
{
    rt_sem_init(&sem, 2, 3);
    int a = rt_sem_wait(&sem, RT_NO_WAIT);
    int b = rt_sem_wait(&sem, RT_NO_WAIT);
    int c = rt_sem_wait(&sem, RT_NO_WAIT);
    st_check(a == RT_OK && b == RT_OK && c == RT_EAGAIN,
             "sem: counting, RT_NO_WAIT on empty gives EAGAIN (%d %d %d)", a, b, c);
    a = rt_sem_post(&sem);
    b = rt_sem_post(&sem);
    c = rt_sem_post(&sem);
    int d = rt_sem_post(&sem);
    st_check(a == RT_OK && b == RT_OK && c == RT_OK && d == RT_EOVERFLOW &&
                 rt_sem_count(&sem) == 3,
             "sem: post stops at the maximum (%d, count %u)", d, rt_sem_count(&sem));

    rt_sem_init(&sem, 0, 1);
    rt_time_t t0 = rt_now();
    a = rt_sem_wait(&sem, 1000);
    uint64_t waited = rt_ticks_to_us(rt_now() - t0);
    st_check(a == RT_ETIMEDOUT && waited >= 1000,
             "sem: wait times out after the timeout (%d after %lu us)", a, waited);
}

void st_sem(void)
{
    static const struct {
        char id;
        uint8_t prio;
    } waiters[] = { { '0', 10 }, { '1', 20 }, { '2', 10 }, { '3', 15 }, { '4', 20 } };

    sem_counting();
    rt_sem_init(&sem, 0, RT_ARRAY_SIZE(waiters));
    st_log_reset();
    /* one at a time, so they block in creation order */
    for (size_t i = 0; i < RT_ARRAY_SIZE(waiters); i++) {
        st_spawn("waiter", waiters[i].prio, sem_waiter, (void *)(uintptr_t)waiters[i].id);
        rt_sleep_us(ST_SETTLE_US);
    }
    /* one post at a time, so the log shows the semaphore's choice, not the ready order */
    for (size_t i = 0; i < RT_ARRAY_SIZE(waiters); i++) {
        rt_sem_post(&sem);
        rt_sleep_us(ST_SETTLE_US);
    }
    st_join_all();
    st_check(st_log_is("14302"), "sem: wakes by priority, then FIFO (%s, want 14302)",
             st_log_get());
}

static void run_selftest(void)
{
    st_sched();
    st_sem();
    st_mutex();
    st_queue();
    st_time();
    st_irq_ipc();

    struct rt_task_stats s;
    rt_task_stats(rt_task_self(), &s);
    st_check(s.stack_used < s.stack_size, "stack: main used %zu of %zu bytes", s.stack_used,
             s.stack_size);
}

void app_selftest_main(void *arg)
{
    (void)arg;
    rt_printf("RT selftest start");
    run_selftest();
    app_print_kernel_stats();
    rt_printf("RT summary pass=%u fail=%u %s", pass_count, fail_count,
              fail_count ? "FAIL" : "ok");
    app_finish();
}
