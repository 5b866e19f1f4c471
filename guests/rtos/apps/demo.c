// SPDX-License-Identifier: MIT
/*
 * rt.app=demo: the shape of the train-control VM. Three rate-monotonic periodic tasks (a
 * 1 ms speed/brake controller, a 5 ms speed planner, a 20 ms diagnostics job) share the
 * train state under a priority-inheritance mutex; below them a semaphore ping-pong pair
 * and a queue producer/consumer keep the kernel busy with blocking and wake-ups, and a
 * low-priority task prints progress. After rt.secs seconds of virtual time the main task
 * takes a statistics snapshot, prints it and powers off. The run passes when no periodic
 * job missed its deadline and the side activities saw no lost or reordered data.
 */
#include <rt/console.h>
#include <rt/sync.h>
#include <rt/time.h>

#include "apps.h"
#include "bootargs.h"

#define DEMO_SECS_DEFAULT  3
#define DEMO_SECS_MAX      3600
#define DEMO_LOAD_DEFAULT  100   /* percent of the nominal work per job */
#define DEMO_LOAD_MAX      10000
#define PERCENT            100
#define START_DELAY_US     2000  /* first release, after every task is set up */
#define STACK_SIZE         0x2000
#define PERIODIC_COUNT     3
#define DEMO_SCALE_MAX     100

#define PING_PERIOD_US     10000
#define PING_EXCHANGES     16
#define PING_TIMEOUT_US    5000
#define PRODUCER_PERIOD_US 2000
#define PRODUCER_BURST     4     /* one more than the queue holds: the last send blocks */
#define QUEUE_CAPACITY     3
#define QUEUE_TIMEOUT_US   10000
#define CONSUMER_TIMEOUT_US 100000
#define STATS_PERIOD_US    1000000

/* Train model: speeds in um/s, so an acceleration in mm/s^2 over 1 ms adds that many um/s. */
#define SPEED_CRUISE_UM_S  1500000  /* 1.5 m/s: a shunting move */
#define PROFILE_PERIOD_US  4000000  /* accelerate and cruise, then brake to a stop: 4 s */
#define PROFILE_BRAKE_US   2500000
#define TRACTION_MAX_MM_S2 1000     /* 1 m/s^2 */
#define BRAKE_MAX_MM_S2    2000     /* 2 m/s^2 */
#define KP_DIV             2000
#define KI_DIV             20000
#define INTEGRAL_MAX       20000000
#define DRAG_DIV           100
#define UM_PER_MM          1000

enum demo_task {
    T_CTRL,
    T_PLAN,
    T_DIAG,
    T_PING,
    T_PONG,
    T_PRODUCER,
    T_CONSUMER,
    T_STATS,
    T_COUNT,
};

struct demo_task_def {
    const char *name;
    uint8_t prio;
    uint32_t period_us;   /* 0: not periodic */
    uint32_t budget_us;
    uint32_t work;        /* app_work() iterations per job at 100 % load */
    rt_task_fn fn;
};

struct train {
    int64_t speed_um_s;
    int64_t target_um_s;
    int64_t integral;
    int64_t command_mm_s2;
    uint64_t brake_jobs;
    int64_t max_speed_um_s;
};

struct qmsg {
    uint64_t seq;
    rt_time_t stamp;
};

static struct {
    rt_time_t start;
    uint32_t load_pct;
    uint32_t scale; /* rt.scale: periods and budgets of the periodic tasks times this */
    volatile bool stop;
    struct rt_mutex lock; /* protects train */
    struct train train;
    uint32_t checksum;
    struct rt_sem ping, pong;
    uint64_t rounds, exchanges, ping_timeouts, rtt_sum, rtt_max, rtt_count;
    struct rt_queue queue;
    struct qmsg queue_buf[QUEUE_CAPACITY];
    uint64_t sent, received, order_errors, send_timeouts, qlat_max;
} demo;

static struct rt_task tasks[T_COUNT];
static uint64_t stacks[T_COUNT][STACK_SIZE / sizeof(uint64_t)]
    __attribute__((aligned(RT_STACK_ALIGN)));

static void ctrl_main(void *arg);
static void plan_main(void *arg);
static void diag_main(void *arg);
static void ping_main(void *arg);
static void pong_main(void *arg);
static void producer_main(void *arg);
static void consumer_main(void *arg);
static void stats_main(void *arg);

/* Rate-monotonic priorities: the shorter the period, the more urgent. */
static const struct demo_task_def defs[T_COUNT] = {
    [T_CTRL] = { "ctrl", 30, 1000, 250, 4000, ctrl_main },
    [T_PLAN] = { "plan", 25, 5000, 1000, 40000, plan_main },
    [T_DIAG] = { "diag", 20, 20000, 5000, 200000, diag_main },
    [T_PING] = { "ping", 15, 0, 0, 0, ping_main },
    [T_PONG] = { "pong", 14, 0, 0, 0, pong_main },
    [T_PRODUCER] = { "producer", 12, 0, 0, 0, producer_main },
    [T_CONSUMER] = { "consumer", 10, 0, 0, 0, consumer_main },
    [T_STATS] = { "stats", 2, 0, 0, 0, stats_main },
};

static uint32_t job_work(enum demo_task id)
{
    return (uint32_t)((uint64_t)defs[id].work * demo.load_pct / PERCENT);
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* 1 ms: PI speed controller with braking, and the train's response to it. */
static void ctrl_main(void *arg)
{
    struct train *tr = &demo.train;

    (void)arg;
    while (rt_task_wait_period() == RT_OK && !demo.stop) {
        uint32_t noise = app_work((uint32_t)tr->speed_um_s, job_work(T_CTRL));

        rt_mutex_lock(&demo.lock, RT_FOREVER);
        int64_t err = tr->target_um_s - tr->speed_um_s;
        tr->integral = clamp(tr->integral + err / PERCENT, -INTEGRAL_MAX, INTEGRAL_MAX);
        tr->command_mm_s2 = clamp(err / KP_DIV + tr->integral / KI_DIV, -BRAKE_MAX_MM_S2,
                                  TRACTION_MAX_MM_S2);
        if (tr->command_mm_s2 < 0) {
            tr->brake_jobs++;
        }
        tr->speed_um_s += tr->command_mm_s2 - tr->speed_um_s / UM_PER_MM / DRAG_DIV;
        tr->speed_um_s = RT_MAX(tr->speed_um_s, 0);
        tr->max_speed_um_s = RT_MAX(tr->max_speed_um_s, tr->speed_um_s);
        demo.checksum ^= noise;
        rt_mutex_unlock(&demo.lock);
    }
}

/* 5 ms: the speed profile (accelerate, cruise, brake to a stop). */
static void plan_main(void *arg)
{
    (void)arg;
    while (rt_task_wait_period() == RT_OK && !demo.stop) {
        uint64_t t_us = rt_ticks_to_us(rt_now() - demo.start) % PROFILE_PERIOD_US;
        int64_t target = t_us < PROFILE_BRAKE_US ? SPEED_CRUISE_UM_S : 0;
        uint32_t sum = app_work((uint32_t)t_us, job_work(T_PLAN));

        rt_mutex_lock(&demo.lock, RT_FOREVER);
        demo.train.target_um_s = target;
        demo.checksum += sum;
        rt_mutex_unlock(&demo.lock);
    }
}

/* 20 ms: diagnostics over a snapshot of the state. */
static void diag_main(void *arg)
{
    (void)arg;
    while (rt_task_wait_period() == RT_OK && !demo.stop) {
        rt_mutex_lock(&demo.lock, RT_FOREVER);
        struct train snap = demo.train;
        rt_mutex_unlock(&demo.lock);

        uint32_t sum = app_work((uint32_t)(snap.speed_um_s + snap.command_mm_s2), job_work(T_DIAG));
        rt_mutex_lock(&demo.lock, RT_FOREVER);
        demo.checksum -= sum;
        rt_mutex_unlock(&demo.lock);
    }
}

/* Every 10 ms, PING_EXCHANGES round trips through two semaphores. */
static void ping_main(void *arg)
{
    rt_time_t next = demo.start;

    (void)arg;
    while (!demo.stop) {
        next += rt_us_to_ticks(PING_PERIOD_US);
        rt_sleep_until(next);
        for (uint32_t i = 0; i < PING_EXCHANGES && !demo.stop; i++) {
            rt_time_t t0 = rt_now();
            rt_sem_post(&demo.ping);
            if (rt_sem_wait(&demo.pong, PING_TIMEOUT_US) != RT_OK) {
                demo.ping_timeouts++;
                continue;
            }
            uint64_t rtt = rt_now() - t0;
            demo.rtt_sum += rtt;
            demo.rtt_max = RT_MAX(demo.rtt_max, rtt);
            demo.rtt_count++;
        }
        demo.rounds++;
    }
}

static void pong_main(void *arg)
{
    (void)arg;
    for (;;) {
        if (rt_sem_wait(&demo.ping, RT_FOREVER) == RT_OK) {
            demo.exchanges++;
            rt_sem_post(&demo.pong);
        }
    }
}

/* Every 2 ms a burst one larger than the queue: the consumer must run to make room. */
static void producer_main(void *arg)
{
    rt_time_t next = demo.start;
    uint64_t seq = 0;

    (void)arg;
    while (!demo.stop) {
        next += rt_us_to_ticks(PRODUCER_PERIOD_US);
        rt_sleep_until(next);
        for (uint32_t i = 0; i < PRODUCER_BURST; i++) {
            struct qmsg m = { .seq = seq, .stamp = rt_now() };
            if (rt_queue_send(&demo.queue, &m, QUEUE_TIMEOUT_US) != RT_OK) {
                demo.send_timeouts++;
                continue;
            }
            seq++;
            demo.sent++;
        }
    }
}

static void consumer_main(void *arg)
{
    uint64_t expect = 0;
    struct qmsg m;

    (void)arg;
    for (;;) {
        if (rt_queue_recv(&demo.queue, &m, CONSUMER_TIMEOUT_US) != RT_OK) {
            continue;
        }
        if (m.seq != expect) {
            demo.order_errors++;
        }
        expect = m.seq + 1;
        demo.received++;
        demo.qlat_max = RT_MAX(demo.qlat_max, rt_now() - m.stamp);
    }
}

static uint64_t total_misses(void)
{
    struct rt_task_stats s;
    uint64_t misses = 0;

    for (int i = 0; i < PERIODIC_COUNT; i++) {
        if (rt_task_stats(&tasks[i], &s) == RT_OK) {
            misses += s.misses;
        }
    }
    return misses;
}

/* Lowest priority: a progress line every second, printed while the others are idle. */
static void stats_main(void *arg)
{
    rt_time_t next = demo.start;

    (void)arg;
    for (uint32_t s = 1; !demo.stop; s++) {
        next += rt_us_to_ticks(STATS_PERIOD_US);
        rt_sleep_until(next);
        if (!demo.stop) {
            rt_printf("RT progress t_s=%u misses=%lu exchanges=%lu received=%lu", s,
                      total_misses(), demo.exchanges, demo.received);
        }
    }
}

static void create_tasks(void)
{
    for (int i = 0; i < T_COUNT; i++) {
        struct rt_task_attr a = {
            .name = defs[i].name,
            .prio = defs[i].prio,
            .stack = stacks[i],
            .stack_size = sizeof(stacks[i]),
            .period_us = defs[i].period_us * demo.scale,
            .budget_us = defs[i].budget_us * demo.scale,
            .first_release = defs[i].period_us ? demo.start : 0,
        };
        if (rt_task_create(&tasks[i], &a, defs[i].fn, NULL) != RT_OK) {
            rt_panic("demo: cannot create task %s", defs[i].name);
        }
    }
}

static void init_objects(void)
{
    rt_mutex_init(&demo.lock);
    rt_sem_init(&demo.ping, 0, 1);
    rt_sem_init(&demo.pong, 0, 1);
    rt_queue_init(&demo.queue, demo.queue_buf, sizeof(struct qmsg), QUEUE_CAPACITY);
}

/* First failed check of the run, or NULL. Reads the snapshot taken at the end time. */
static const char *verdict(const struct rt_task_stats *s, uint64_t secs, uint64_t misses,
                           uint64_t faults)
{
    if (misses) {
        return "deadline misses";
    }
    for (int i = 0; i < PERIODIC_COUNT; i++) {
        uint64_t expect = secs * RT_US_PER_S / s[i].period_us;
        if (s[i].activations + 1 < expect) {
            return "too few activations";
        }
    }
    if (faults) {
        return "task faults";
    }
    /* pong counts an exchange before it answers: at most one can still be on its way */
    if (demo.ping_timeouts || demo.exchanges - demo.rtt_count > 1 || !demo.rtt_count) {
        return "semaphore ping-pong";
    }
    if (demo.order_errors || demo.send_timeouts || !demo.received ||
        demo.sent - demo.received > QUEUE_CAPACITY + 1) {
        return "message queue";
    }
    return NULL;
}

static void report(uint64_t secs)
{
    struct rt_task_stats s[PERIODIC_COUNT];
    struct rt_kernel_stats k;
    uint64_t misses = 0;

    for (int i = 0; i < PERIODIC_COUNT; i++) {
        rt_task_stats(&tasks[i], &s[i]);
        misses += s[i].misses;
    }
    rt_kernel_stats(&k);
    demo.stop = true;

    for (int i = 0; i < PERIODIC_COUNT; i++) {
        rt_task_print_stats(&tasks[i]);
    }
    rt_printf("RT demo pingpong rounds=%lu exchanges=%lu timeouts=%lu rtt_us_avg=%lu max=%lu",
              demo.rounds, demo.exchanges, demo.ping_timeouts,
              demo.rtt_count ? rt_ticks_to_us(demo.rtt_sum / demo.rtt_count) : 0,
              rt_ticks_to_us(demo.rtt_max));
    rt_printf("RT demo queue sent=%lu received=%lu order_errors=%lu send_timeouts=%lu "
              "lat_us_max=%lu",
              demo.sent, demo.received, demo.order_errors, demo.send_timeouts,
              rt_ticks_to_us(demo.qlat_max));
    rt_printf("RT demo train speed_mm_s=%ld max_mm_s=%ld brake_jobs=%lu checksum=0x%x",
              demo.train.speed_um_s / UM_PER_MM, demo.train.max_speed_um_s / UM_PER_MM,
              demo.train.brake_jobs, demo.checksum);
    app_print_kernel_stats();

    const char *fail = verdict(s, secs, misses, k.task_faults);
    rt_printf("RT summary tasks=%d misses=%lu %s%s", PERIODIC_COUNT, misses,
              fail ? "FAIL " : "ok", fail ? fail : "");
}

void app_demo_main(void *arg)
{
    uint64_t secs = bootarg_get_u64("rt.secs", DEMO_SECS_DEFAULT);

    (void)arg;
    secs = RT_MIN(RT_MAX(secs, 1), DEMO_SECS_MAX);
    demo.load_pct = (uint32_t)RT_MIN(bootarg_get_u64("rt.load", DEMO_LOAD_DEFAULT),
                                     DEMO_LOAD_MAX);
    /* rt.scale stretches the 1/5/20 ms periods (and budgets) for a platform whose CPUs can
     * stall each other longer than 1 ms: QEMU's single-threaded round robin under -icount,
     * where a busy CPU runs until the next timer event (tests/scenarios/m-mgmt.dts). */
    demo.scale = (uint32_t)RT_MIN(RT_MAX(bootarg_get_u64("rt.scale", 1), 1), DEMO_SCALE_MAX);
    init_objects();
    /* print first: under a hypervisor a line takes long enough to delay the first release */
    rt_printf("RT demo start secs=%lu load_pct=%u scale=%u tasks=%d", secs, demo.load_pct,
              demo.scale, T_COUNT);
    demo.start = rt_now() + rt_us_to_ticks(START_DELAY_US);
    create_tasks();

    rt_sleep_until(demo.start + secs * rt_clock_hz());
    report(secs);
    app_finish();
}
