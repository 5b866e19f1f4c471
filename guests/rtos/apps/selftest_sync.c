// SPDX-License-Identifier: MIT
/*
 * Self-tests of mutexes (ownership rules, priority inheritance, transitive inheritance and
 * its undoing on timeout), message queues (full/empty blocking with timeouts, direct
 * hand-off, receiver order), time (sleep_until, periodic accounting, deadline misses,
 * budget overruns), interrupt registration and the IPC stubs.
 */
#include <rt/console.h>
#include <rt/ipc.h>
#include <rt/irq.h>
#include <rt/sync.h>
#include <rt/time.h>

#include "gic.h"
#include "mmio.h"
#include "platform.h"
#include "selftest.h"

#define SLEEP_TARGET_US   2000
#define PERIODIC_JOBS     20
#define PERIOD_US         10000 /* long enough that host stalls (no -icount) cause no miss */
#define FIRST_RELEASE_US  1000
#define MISS_PERIOD_US    20000
#define MISS_DEADLINE_US  5000
#define MISS_BUDGET_US    2000
#define MISS_SPIN_US      8000
#define PI_TIMEOUT_US     2000
#define TEST_SGI          7
#define TEST_SPI          33   /* the PL011's: its own line stays low, IMSC is 0 */
#define IRQ_WAIT_US       10000
#define QUEUE_CAP         2

/* ---- mutexes ---- */

static struct rt_mutex m1, m2;
static struct rt_sem go, ready;
static int l_prio_while_boosted, h_result, helper_unlock_result;

static void try_foreign_unlock(void *arg)
{
    (void)arg;
    helper_unlock_result = rt_mutex_unlock(&m1);
}

static void mutex_rules(void)
{
    rt_mutex_init(&m1);
    int a = rt_mutex_lock(&m1, RT_FOREVER);
    int b = rt_mutex_lock(&m1, RT_NO_WAIT);
    st_spawn("foreign", 10, try_foreign_unlock, NULL);
    st_join_all();
    int c = rt_mutex_unlock(&m1);
    int d = rt_mutex_unlock(&m1);
    st_check(a == RT_OK && b == RT_EDEADLK && helper_unlock_result == RT_EPERM && c == RT_OK &&
                 d == RT_EPERM,
             "mutex: relock EDEADLK, foreign or double unlock EPERM (%d %d %d %d %d)", a, b,
             helper_unlock_result, c, d);
}

static void pi_low(void *arg)
{
    (void)arg;
    rt_mutex_lock(&m1, RT_FOREVER);
    st_log('l');
    rt_sem_wait(&go, RT_FOREVER);
    l_prio_while_boosted = rt_task_prio(rt_task_self());
    rt_mutex_unlock(&m1);
    st_log('L');
}

static void pi_high(void *arg)
{
    (void)arg;
    if (rt_mutex_lock(&m1, RT_FOREVER) == RT_OK) {
        st_log('h');
        rt_mutex_unlock(&m1);
    }
}

/* Without inheritance the medium task would run between H blocking and L unlocking. */
static void mutex_inheritance(void)
{
    rt_mutex_init(&m1);
    rt_sem_init(&go, 0, 1);
    st_log_reset();
    struct rt_task *low = st_spawn("pi_low", 5, pi_low, NULL);
    rt_sleep_us(ST_SETTLE_US);
    st_spawn("pi_high", 25, pi_high, NULL);
    st_spawn("pi_mid", 15, st_log_task, (void *)'m');
    rt_sem_post(&go);
    st_join_all();
    st_check(st_log_is("lhmL") && l_prio_while_boosted == 25,
             "mutex: owner inherits the waiter's priority (%s, owner prio %d)", st_log_get(),
             l_prio_while_boosted);
    st_check(low->state == RT_TASK_DORMANT && rt_mutex_owner(&m1) == NULL,
             "mutex: released by its owner, nobody holds it");
}

static void chain_low(void *arg)
{
    (void)arg;
    rt_mutex_lock(&m1, RT_FOREVER);
    rt_sem_post(&ready);
    rt_sem_wait(&go, RT_FOREVER);
    rt_mutex_unlock(&m1);
}

static void chain_mid(void *arg)
{
    (void)arg;
    rt_mutex_lock(&m2, RT_FOREVER);
    rt_mutex_lock(&m1, RT_FOREVER);
    rt_mutex_unlock(&m1);
    rt_mutex_unlock(&m2);
}

static void chain_high(void *arg)
{
    (void)arg;
    h_result = rt_mutex_lock(&m2, PI_TIMEOUT_US);
    if (h_result == RT_OK) {
        rt_mutex_unlock(&m2);
    }
}

/* high -> m2 (held by mid) -> m1 (held by low): low runs at high's priority. */
static void mutex_chain(void)
{
    rt_mutex_init(&m1);
    rt_mutex_init(&m2);
    rt_sem_init(&go, 0, 1);
    rt_sem_init(&ready, 0, 1);
    struct rt_task *low = st_spawn("chain_low", 5, chain_low, NULL);
    rt_sem_wait(&ready, RT_FOREVER);
    struct rt_task *mid = st_spawn("chain_mid", 15, chain_mid, NULL);
    rt_sleep_us(ST_SETTLE_US);
    int low1 = rt_task_prio(low);
    struct rt_task *high = st_spawn("chain_high", 25, chain_high, NULL);
    rt_sleep_us(ST_SETTLE_US);
    int low2 = rt_task_prio(low), mid2 = rt_task_prio(mid);
    /* high gives up after PI_TIMEOUT_US; low and mid stay blocked, so their priorities hold */
    rt_task_join(high, RT_FOREVER);
    int low3 = rt_task_prio(low), mid3 = rt_task_prio(mid);
    st_check(low1 == 15 && low2 == 25 && mid2 == 25,
             "mutex: inheritance is transitive (low %d then %d, mid %d)", low1, low2, mid2);
    st_check(h_result == RT_ETIMEDOUT && low3 == 15 && mid3 == 15,
             "mutex: a timed-out waiter's boost is withdrawn (%d, low %d, mid %d)", h_result,
             low3, mid3);
    rt_sem_post(&go);
    st_join_all();
    st_check(rt_mutex_owner(&m1) == NULL && rt_mutex_owner(&m2) == NULL &&
                 rt_task_base_prio(low) == 5,
             "mutex: chain unwound");
}

void st_mutex(void)
{
    mutex_rules();
    mutex_inheritance();
    mutex_chain();
}

/* ---- message queues ---- */

static struct rt_queue queue;
static uint32_t queue_buf[QUEUE_CAP];
static uint32_t got[2];

static void blocked_sender(void *arg)
{
    uint32_t v = (uint32_t)(uintptr_t)arg;

    if (rt_queue_send(&queue, &v, RT_FOREVER) == RT_OK) {
        st_log('p');
    }
}

static void receiver(void *arg)
{
    uint32_t *out = arg;

    rt_queue_recv(&queue, out, RT_FOREVER);
}

static void queue_timeouts(void)
{
    uint32_t v = 0;

    rt_queue_init(&queue, queue_buf, sizeof(uint32_t), QUEUE_CAP);
    int a = rt_queue_recv(&queue, &v, RT_NO_WAIT);
    rt_time_t t0 = rt_now();
    int b = rt_queue_recv(&queue, &v, 1000);
    uint64_t waited = rt_ticks_to_us(rt_now() - t0);
    st_check(a == RT_EAGAIN && b == RT_ETIMEDOUT && waited >= 1000,
             "queue: empty recv gives EAGAIN / times out (%d %d after %lu us)", a, b, waited);

    v = 1;
    a = rt_queue_send(&queue, &v, RT_NO_WAIT);
    v = 2;
    b = rt_queue_send(&queue, &v, RT_NO_WAIT);
    v = 99;
    int c = rt_queue_send(&queue, &v, RT_NO_WAIT);
    t0 = rt_now();
    int d = rt_queue_send(&queue, &v, 1000);
    waited = rt_ticks_to_us(rt_now() - t0);
    st_check(a == RT_OK && b == RT_OK && c == RT_EAGAIN && d == RT_ETIMEDOUT &&
                 waited >= 1000 && rt_queue_count(&queue) == QUEUE_CAP,
             "queue: full send gives EAGAIN / times out (%d %d after %lu us)", c, d, waited);
}

void st_queue(void)
{
    uint32_t v[3] = { 0 };

    queue_timeouts();
    st_log_reset();
    struct rt_task *p = st_spawn("sender", 20, blocked_sender, (void *)3);
    rt_sleep_us(ST_SETTLE_US);
    bool was_blocked = p->state == RT_TASK_BLOCKED && st_log_is("");
    rt_queue_recv(&queue, &v[0], RT_NO_WAIT);
    rt_queue_recv(&queue, &v[1], RT_NO_WAIT);
    rt_queue_recv(&queue, &v[2], RT_NO_WAIT);
    st_join_all();
    st_check(was_blocked && v[0] == 1 && v[1] == 2 && v[2] == 3 && st_log_is("p"),
             "queue: a blocked sender completes when space frees, FIFO (%u %u %u)", v[0], v[1],
             v[2]);

    got[0] = got[1] = 0;
    st_spawn("recv10", 10, receiver, &got[0]);
    st_spawn("recv20", 20, receiver, &got[1]);
    rt_sleep_us(ST_SETTLE_US);
    uint32_t m = 100;
    int a = rt_queue_send(&queue, &m, RT_NO_WAIT);
    m = 200;
    int b = rt_queue_send(&queue, &m, RT_NO_WAIT);
    st_join_all();
    st_check(a == RT_OK && b == RT_OK && got[1] == 100 && got[0] == 200 &&
                 rt_queue_count(&queue) == 0,
             "queue: waiting receivers served by priority (prio20=%u prio10=%u)", got[1],
             got[0]);
}

/* ---- time and periodic accounting ---- */

static void periodic_ok(void *arg)
{
    uint32_t n = 0;

    (void)arg;
    while (rt_task_wait_period() == RT_OK && ++n <= PERIODIC_JOBS) {
        /* an empty job: only the release and completion times matter */
    }
}

static void periodic_miss(void *arg)
{
    uint32_t n = 0;

    (void)arg;
    while (rt_task_wait_period() == RT_OK && ++n <= 2) {
        if (n == 1) {
            st_spin_us(MISS_SPIN_US);
        }
    }
}

static void check_periodic(void)
{
    struct rt_task_stats s;
    struct rt_task_attr a = {
        .name = "per10ms", .prio = 20, .period_us = PERIOD_US,
        .first_release = rt_now() + rt_us_to_ticks(FIRST_RELEASE_US),
    };
    struct rt_task *t = st_spawn_attr(&a, periodic_ok, NULL);

    rt_sleep_us(FIRST_RELEASE_US + PERIODIC_JOBS * PERIOD_US + PERIOD_US / 2);
    rt_task_stats(t, &s);
    st_check(s.completions == PERIODIC_JOBS && s.activations == PERIODIC_JOBS + 1 &&
                 s.misses == 0 && s.resp_max_us < PERIOD_US,
             "periodic: %lu jobs done of %lu released, misses=%lu resp_us max=%lu",
             s.completions, s.activations, s.misses, s.resp_max_us);
    st_join_all();

    struct rt_task_attr b = {
        .name = "late", .prio = 20, .period_us = MISS_PERIOD_US,
        .deadline_us = MISS_DEADLINE_US, .budget_us = MISS_BUDGET_US,
        .first_release = rt_now() + rt_us_to_ticks(FIRST_RELEASE_US),
    };
    t = st_spawn_attr(&b, periodic_miss, NULL);
    rt_sleep_us(4 * MISS_PERIOD_US);
    rt_task_stats(t, &s);
    st_check(s.completions == 2 && s.misses == 1 && s.overruns == 1 &&
                 s.resp_max_us >= MISS_SPIN_US,
             "periodic: a late job is a miss and a budget overrun (done=%lu misses=%lu "
             "overruns=%lu max=%lu us)", s.completions, s.misses, s.overruns, s.resp_max_us);
    st_join_all();
}

void st_time(void)
{
    rt_time_t target = rt_now() + rt_us_to_ticks(SLEEP_TARGET_US);
    rt_sleep_until(target);
    rt_time_t woke = rt_now();
    st_check(woke >= target, "time: sleep_until never wakes early (late by %lu us)",
             rt_ticks_to_us(woke - target));
    bool at_once = rt_sleep_until(target) == RT_OK &&
                   rt_now() - woke < rt_us_to_ticks(FIRST_RELEASE_US);
    st_check(at_once, "time: sleep_until in the past returns at once");
    check_periodic();
}

/* ---- interrupts and IPC ---- */

static struct rt_sem irq_sem;
static volatile bool irq_in_kernel;
static volatile int irq_block_result;

static void sgi_handler(uint32_t intid)
{
    (void)intid;
    irq_in_kernel = arch_in_kernel();
    irq_block_result = rt_sem_wait(&go, 1000); /* must refuse to block */
    rt_sem_post(&irq_sem);
}

static void spi_handler(uint32_t intid)
{
    (void)intid;
    rt_sem_post(&irq_sem);
}

/* Distributor path: enable, route and software-pend an SPI; it must arrive once. */
static void irq_spi(void)
{
    uintptr_t bank = (TEST_SPI / GIC_REG_BITS) * sizeof(uint32_t);
    uint32_t bit = (uint32_t)BIT(TEST_SPI % GIC_REG_BITS);

    rt_sem_init(&irq_sem, 0, 1);
    int a = irq_register(TEST_SPI, spi_handler);
    bool enabled = mmio_read32(plat.gicd_base + GICD_ISENABLER + bank) & bit;
    mmio_write32(plat.gicd_base + GICD_ISPENDR + bank, bit);
    int w = rt_sem_wait(&irq_sem, IRQ_WAIT_US);
    int b = irq_unregister(TEST_SPI);
    bool disabled = !(mmio_read32(plat.gicd_base + GICD_ISENABLER + bank) & bit);
    st_check(a == RT_OK && enabled && w == RT_OK && irq_count(TEST_SPI) == 1 && b == RT_OK &&
                 disabled,
             "irq: SPI %u enabled, routed, delivered once, disabled (%d %d %d %u %d %d)",
             TEST_SPI, a, enabled, w, irq_count(TEST_SPI), b, disabled);
}

void st_irq_ipc(void)
{
    rt_sem_init(&irq_sem, 0, 1);
    rt_sem_init(&go, 0, 1);
    int a = irq_register(TEST_SGI, sgi_handler);
    int b = irq_register(TEST_SGI, sgi_handler);
    int c = irq_register(plat.timer_intid, sgi_handler);
    int d = irq_register(RT_IRQ_MAX, sgi_handler);
    st_check(a == RT_OK && b == RT_EBUSY && c == RT_EBUSY && d == RT_EINVAL,
             "irq: register, busy for taken INTIDs, invalid beyond 1019 (%d %d %d %d)", a, b,
             c, d);

    irq_send_sgi_self(TEST_SGI);
    int w = rt_sem_wait(&irq_sem, IRQ_WAIT_US);
    st_check(w == RT_OK && irq_count(TEST_SGI) == 1 && irq_in_kernel &&
                 irq_block_result == RT_EPERM,
             "irq: SGI handler runs in kernel context, cannot block, wakes a task (%d %u %d)", w,
             irq_count(TEST_SGI), irq_block_result);
    st_check(irq_unregister(TEST_SGI) == RT_OK && irq_unregister(TEST_SGI) == RT_EPERM,
             "irq: unregister");
    irq_spi();

    void *va = &va;
    size_t size = 1;
    char msg[4] = { 0 };
    int r[] = {
        ipc_init(),
        ipc_shm_get(0, &va, &size),
        ipc_doorbell_ring(0),
        ipc_doorbell_bind(0, sgi_handler),
        ipc_hv_sem_wait(0, RT_NO_WAIT),
        ipc_hv_sem_post(0),
        ipc_hv_mutex_lock(0, RT_NO_WAIT),
        ipc_hv_mutex_unlock(0),
        ipc_msgq_send(0, msg, sizeof(msg), RT_NO_WAIT),
        ipc_msgq_recv(0, msg, sizeof(msg), RT_NO_WAIT),
    };
    bool all = va == NULL && size == 0;
    for (size_t i = 0; i < RT_ARRAY_SIZE(r); i++) {
        all = all && r[i] == RT_ENOTSUP;
    }
    st_check(all, "ipc: every hypervisor IPC call reports not supported (-1)");
}
