// SPDX-License-Identifier: MIT
/*
 * rt.app=control: the train's 1 kHz control loop. Task `ctrl` (1 ms, prio 30) takes the
 * latest sample of the sensors VM from the `samples` shared memory (when the `sample_ready`
 * doorbell rang since the last cycle) under the hypervisor mutex `samples_lock`, tried once
 * without waiting (busy: the previous sample is used, retried next cycle: the loop never waits
 * for another VM), runs a PI speed controller toward the target with braking rules (red signal
 * ahead: full brake; speed restriction: 40 km/h; stale samples > 50 ms: full brake) and
 * writes traction/brake into the `commands` word the sensors' train model applies. Task `rpc`
 * (prio 10) serves set_target / get_status (train.h) on the `cmd`/`reply` queues; task `stat`
 * (prio 5) prints a CTRL line every 2 s. After rt.secs seconds (0: forever) the statistics,
 * `RT summary ...` and power-off.
 */
#include <string.h>

#include <rt/console.h>
#include <rt/ipc_rpc.h>
#include <rt/irq.h>
#include <rt/time.h>

#include "apps.h"
#include "bootargs.h"
#include "train.h"

#define NAME_MAX        32
#define STACK_SIZE      0x2000
#define CTRL_PRIO       30
#define RPC_PRIO        10
#define STAT_PRIO       5
#define CTRL_PERIOD_US  1000
#define STAT_PERIOD_US  2000000
#define CTRL_DELAY_US   20000   /* first release: after the other VMs' boot (see rpcserver.c) */
#define STALE_US        50000   /* no new sample for this long: brake */
#define SECS_DEFAULT    10
#define SECS_MAX        3600
#define TARGET_DEFAULT  800     /* 80.0 km/h */
#define MSG_SIZE_MAX    4096
#define SERVE_WAIT_NS   100000000ULL /* 100 ms: rpc_serve_one polls the stop flag this often */
#define PM              1000
#define KP_DIV          8       /* traction per mille = err(mm/s) / 8 + integ / KI_DIV */
#define KI_DIV          4000
#define INTEG_MAX       (PM * KI_DIV)
#define OVERSPEED_MMPS  1500    /* above the limit by this much: service brake */
#define MISS_LOG_MAX    8       /* late jobs printed with their time (CTRL miss ...) */

static struct {
    /* channels */
    volatile const struct train_sample *shm;
    volatile union train_cmd *cmd;
    uint32_t lock_id;
    bool doorbell;                 /* bound: read only when it rang */
    volatile uint32_t rang;        /* doorbell interrupts (kernel context) */
    uint32_t seen_rang;
    /* loop state (ctrl task) */
    struct train_sample last;
    rt_time_t last_new;            /* when the last new sample came */
    int64_t integ;
    uint32_t cmd_seq;
    volatile int32_t target_kmh10; /* written by the rpc task */
    struct train_status st;        /* published under rt_irq_lock */
    uint64_t samples, lost, lock_busy, stale_cycles, owner_died, cycles;
    /* rpc */
    bool rpc;
    struct rpc_transport t;
    struct ipc_rpc_queues q;
    struct rpc_server server;
    uint64_t rpc_calls;
    rt_time_t t0;
    volatile bool stop;
} cs;

static uint64_t rpc_buf[RPC_SERVER_BUF_SIZE(MSG_SIZE_MAX) / sizeof(uint64_t)];
static struct rt_task ctrl_task, rpc_task, stat_task;
RT_STACK_DEFINE(ctrl_stack, STACK_SIZE);
RT_STACK_DEFINE(rpc_stack, STACK_SIZE);
RT_STACK_DEFINE(stat_stack, STACK_SIZE);

static void on_doorbell(uint32_t intid)
{
    (void)intid;
    cs.rang++;
}

/* ------------------------------------------------------------------ control loop */

static void read_sample(void)
{
    if (cs.doorbell && cs.rang == cs.seen_rang) {
        return; /* nothing new */
    }
    uint32_t rang = cs.rang;
    int r = ipc_hv_mutex_lock(cs.lock_id, RT_NO_WAIT);
    if (r < 0) {
        cs.lock_busy++; /* the sensors are writing: next cycle */
        return;
    }
    cs.owner_died += r > 0;
    struct train_sample s = {
        .magic = cs.shm->magic, .seq = cs.shm->seq, .time_us = cs.shm->time_us,
        .position_mm = cs.shm->position_mm, .speed_mmps = cs.shm->speed_mmps,
        .track = cs.shm->track, .cmd_seq = cs.shm->cmd_seq,
    };
    ipc_hv_mutex_unlock(cs.lock_id);
    cs.seen_rang = rang;
    if (s.magic != TRAIN_SAMPLE_MAGIC || s.seq == cs.last.seq) {
        return;
    }
    if (cs.last.seq && s.seq > cs.last.seq + 1) {
        cs.lost += s.seq - cs.last.seq - 1;
    }
    cs.last = s;
    cs.samples++;
    cs.last_new = rt_now();
}

static void control_step(void)
{
    rt_time_t now = rt_now();
    int32_t target = cs.target_kmh10, limit = target;
    int64_t speed = cs.last.speed_mmps, tgt, err;
    int32_t traction = 0, brake = 0;
    bool stale = !cs.samples || rt_ticks_to_us(now - cs.last_new) > STALE_US;

    if (cs.last.track == TRACK_CAUTION) {
        limit = RT_MIN(limit, TRAIN_CAUTION_KMH10);
    }
    if (cs.last.track == TRACK_STOP || stale) {
        limit = 0;
    }
    tgt = train_kmh10_to_mmps(limit);
    err = tgt - speed;
    if (stale || cs.last.track == TRACK_STOP) {
        /* braking rule: full brake, no traction, controller reset */
        cs.stale_cycles += stale;
        brake = PM;
        cs.integ = 0;
    } else {
        int64_t u = err / KP_DIV + cs.integ / KI_DIV;
        if (u > -PM && u < PM) {
            cs.integ = RT_MIN(RT_MAX(cs.integ + err, -INTEG_MAX), INTEG_MAX); /* anti-windup */
        }
        u = RT_MIN(RT_MAX(u, -PM), PM);
        traction = u > 0 ? (int32_t)u : 0;
        brake = u < 0 ? (int32_t)-u : 0;
        if (speed > tgt + OVERSPEED_MMPS) {
            traction = 0;
            brake = RT_MAX(brake, PM / 2);
        }
    }
    if (cs.cmd) {
        union train_cmd c = { .f = { ++cs.cmd_seq, (int16_t)traction, (int16_t)brake } };
        cs.cmd->word = c.word; /* one 64-bit store */
    }
    struct train_status st = {
        .time_us = rt_ticks_to_us(now - cs.t0), .samples = cs.samples,
        .misses = cs.st.misses, .position_mm = cs.last.position_mm,
        .speed_kmh10 = train_mmps_to_kmh10(speed), .target_kmh10 = target,
        .limit_kmh10 = limit, .traction_pm = traction, .brake_pm = brake,
        .track = cs.last.track,
    };
    uint64_t daif = rt_irq_lock();
    cs.st = st;
    rt_irq_unlock(daif);
}

/*
 * The first MISS_LOG_MAX late jobs as the loop itself sees them (job end - exact release), so
 * a run shows *when* misses happened (boot, a restart, ...), not only how many; the kernel's
 * task statistics stay the authority for the count.
 */
static struct {
    rt_time_t first_release;
    volatile uint32_t n, printed;
    struct { uint64_t job, release_ms, resp_us; } e[MISS_LOG_MAX];
} miss_log;

static void ctrl_main(void *arg)
{
    rt_time_t period = rt_us_to_ticks(CTRL_PERIOD_US);

    (void)arg;
    while (rt_task_wait_period() == RT_OK && !cs.stop) {
        rt_time_t release = miss_log.first_release + cs.cycles * period;
        read_sample();
        control_step();
        rt_time_t end = rt_now();
        if (end - release > period && miss_log.n < MISS_LOG_MAX) {
            miss_log.e[miss_log.n].job = cs.cycles;
            miss_log.e[miss_log.n].release_ms = rt_ticks_to_us(release - cs.t0) / 1000;
            miss_log.e[miss_log.n].resp_us = rt_ticks_to_us(end - release);
            miss_log.n++;
        }
        cs.cycles++;
    }
}

static void print_miss_log(void)
{
    for (;;) {
        uint64_t daif = rt_irq_lock(); /* stat and the main task both call this */
        uint32_t i = miss_log.printed;
        bool more = i < miss_log.n;
        miss_log.printed += more;
        rt_irq_unlock(daif);
        if (!more) {
            break;
        }
        rt_printf("CTRL miss job=%lu release_ms=%lu resp_us=%lu", miss_log.e[i].job,
                  miss_log.e[i].release_ms, miss_log.e[i].resp_us);
    }
}

static void snapshot(struct train_status *st)
{
    struct rt_task_stats ts;

    rt_task_stats(&ctrl_task, &ts);
    uint64_t daif = rt_irq_lock();
    cs.st.misses = ts.misses;
    *st = cs.st;
    rt_irq_unlock(daif);
}

static void stat_main(void *arg)
{
    struct train_status st;

    (void)arg;
    while (rt_task_wait_period() == RT_OK && !cs.stop) {
        snapshot(&st);
        rt_printf("CTRL t=%lu speed=%d.%d target=%d.%d brake=%d.%d samples=%lu misses=%lu "
                  "track=%u limit=%d.%d traction=%d.%d lost=%lu lock_busy=%lu rpc=%lu",
                  st.time_us / RT_US_PER_S, st.speed_kmh10 / 10, st.speed_kmh10 % 10,
                  st.target_kmh10 / 10, st.target_kmh10 % 10, st.brake_pm / 10,
                  st.brake_pm % 10, st.samples, st.misses, st.track, st.limit_kmh10 / 10,
                  st.limit_kmh10 % 10, st.traction_pm / 10, st.traction_pm % 10, cs.lost,
                  cs.lock_busy, cs.rpc_calls);
        print_miss_log();
    }
}

/* ------------------------------------------------------------------ RPC */

static int32_t m_set_target(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                            size_t *resp_len)
{
    int32_t v, prev = cs.target_kmh10;

    (void)ctx;
    cs.rpc_calls++;
    if (len != sizeof(v) || cap < sizeof(prev)) {
        return RPC_E_INVAL;
    }
    memcpy(&v, req, sizeof(v));
    if (v < 0 || v > TRAIN_MAX_KMH10) {
        return TRAIN_E_RANGE;
    }
    cs.target_kmh10 = v;
    memcpy(resp, &prev, sizeof(prev));
    *resp_len = sizeof(prev);
    rt_printf("RT control rpc set_target %d.%d km/h (was %d.%d)", v / 10, v % 10, prev / 10,
              prev % 10);
    return RPC_OK;
}

static int32_t m_get_status(void *ctx, const void *req, size_t len, void *resp, size_t cap,
                            size_t *resp_len)
{
    struct train_status st;

    (void)ctx;
    (void)req;
    cs.rpc_calls++;
    if (len != 0 || cap < sizeof(st)) {
        return RPC_E_INVAL;
    }
    snapshot(&st);
    memcpy(resp, &st, sizeof(st));
    *resp_len = sizeof(st);
    return RPC_OK;
}

static const struct rpc_method methods[] = {
    { TRAIN_RPC_SET_TARGET, "set_target", m_set_target, NULL },
    { TRAIN_RPC_GET_STATUS, "get_status", m_get_status, NULL },
};

static void rpc_main(void *arg)
{
    (void)arg;
    while (!cs.stop) {
        int r = rpc_serve_one(&cs.server, SERVE_WAIT_NS);
        if (r != RPC_OK && r != RPC_E_PROTO && r != RPC_E_TIMEOUT) {
            rt_printf("RT control rpc: %d (%s), server stops", r, rpc_strerror(r));
            break;
        }
    }
}

/* ------------------------------------------------------------------ setup, main */

static const char *setup(void)
{
    struct ipc_obj_info shm, lock, db, cmd;
    char req[NAME_MAX] = TRAIN_RPC_REQ, resp[NAME_MAX] = TRAIN_RPC_RESP;
    void *va;
    size_t size;

    if (ipc_init() != RT_OK) {
        return "no hypervisor IPC";
    }
    if (ipc_find(TRAIN_SAMPLES_SHM, &shm) != RT_OK ||
        ipc_find(TRAIN_SAMPLES_LOCK, &lock) != RT_OK) {
        return "channels missing";
    }
    if (ipc_shm_get(shm.id, &va, &size) != RT_OK || size < sizeof(struct train_sample)) {
        return "samples window";
    }
    cs.shm = va;
    cs.lock_id = lock.id;
    if (ipc_find(TRAIN_SAMPLE_DB, &db) == RT_OK &&
        ipc_doorbell_bind(db.id, on_doorbell) == RT_OK) {
        cs.doorbell = true;
    }
    if (ipc_find(TRAIN_COMMANDS_SHM, &cmd) == RT_OK && (cmd.rights & IPC_RIGHT_WRITE) &&
        ipc_shm_get(cmd.id, &va, &size) == RT_OK && size >= sizeof(union train_cmd)) {
        cs.cmd = va;
    }
    rt_printf("RT control samples id=%u @0x%lx lock id=%u doorbell=%s intid=%u commands=%s",
              shm.id, (unsigned long)shm.shm_ipa, lock.id, cs.doorbell ? "yes" : "no (poll)",
              cs.doorbell ? db.intid : 0, cs.cmd ? "yes" : "no");
    bootarg_get("rt.rpc_req", req, sizeof(req));
    bootarg_get("rt.rpc_resp", resp, sizeof(resp));
    if (ipc_rpc_transport_find(&cs.t, &cs.q, resp, req) == RT_OK &&
        cs.t.msg_size <= MSG_SIZE_MAX &&
        rpc_server_init(&cs.server, &cs.t, methods, RT_ARRAY_SIZE(methods), rpc_buf,
                        sizeof(rpc_buf)) == RPC_OK) {
        cs.rpc = true;
        rt_printf("RT control rpc req=%s resp=%s msg_size=%lu", req, resp,
                  (unsigned long)cs.t.msg_size);
    } else {
        rt_printf("RT control rpc: queues '%s'/'%s' not usable: no RPC", req, resp);
    }
    return NULL;
}

void app_control_main(void *arg)
{
    struct rt_task_attr cattr = { .name = "ctrl", .prio = CTRL_PRIO, .stack = ctrl_stack,
                                  .stack_size = sizeof(ctrl_stack),
                                  .period_us = CTRL_PERIOD_US };
    struct rt_task_attr sattr = { .name = "stat", .prio = STAT_PRIO, .stack = stat_stack,
                                  .stack_size = sizeof(stat_stack),
                                  .period_us = STAT_PERIOD_US };
    struct rt_task_attr rattr = { .name = "rpc", .prio = RPC_PRIO, .stack = rpc_stack,
                                  .stack_size = sizeof(rpc_stack) };
    struct rt_task_stats ts;
    struct rt_kernel_stats k;
    uint64_t secs = RT_MIN(bootarg_get_u64("rt.secs", SECS_DEFAULT), SECS_MAX);
    const char *fail;

    (void)arg;
    cs.t0 = rt_now();
    cs.target_kmh10 = (int32_t)RT_MIN(bootarg_get_u64("rt.target", TARGET_DEFAULT),
                                      TRAIN_MAX_KMH10);
    cattr.first_release = cs.t0 + rt_us_to_ticks(CTRL_DELAY_US);
    miss_log.first_release = cattr.first_release;
    sattr.first_release = cs.t0 + rt_us_to_ticks(STAT_PERIOD_US);
    fail = setup();
    if (!fail && (rt_task_create(&ctrl_task, &cattr, ctrl_main, NULL) != RT_OK ||
                  rt_task_create(&stat_task, &sattr, stat_main, NULL) != RT_OK ||
                  (cs.rpc && rt_task_create(&rpc_task, &rattr, rpc_main, NULL) != RT_OK))) {
        fail = "task create";
    }
    if (fail) {
        rt_printf("RT summary tasks=0 misses=0 FAIL %s", fail);
        app_finish();
    }
    rt_printf("RT control start secs=%lu period_us=%u target=%d.%d", secs, CTRL_PERIOD_US,
              cs.target_kmh10 / 10, cs.target_kmh10 % 10);
    if (secs == 0) {
        rt_task_join(&ctrl_task, RT_FOREVER);
    }
    rt_sleep_until(cs.t0 + secs * rt_clock_hz());
    rt_task_stats(&ctrl_task, &ts); /* before the stop: the loop's own record */
    print_miss_log();
    rt_task_print_stats(&ctrl_task);
    rt_task_print_stats(&stat_task);
    if (cs.rpc) {
        rt_task_print_stats(&rpc_task);
    }
    cs.stop = true;
    rt_task_join(&ctrl_task, 2 * CTRL_PERIOD_US);
    if (cs.rpc) {
        rt_task_join(&rpc_task, 2 * SERVE_WAIT_NS / 1000);
    }
    rt_printf("RT control cycles=%lu samples=%lu lost=%lu lock_busy=%lu stale_cycles=%lu "
              "owner_died=%lu doorbells=%u rpc_calls=%lu",
              cs.cycles, cs.samples, cs.lost, cs.lock_busy, cs.stale_cycles, cs.owner_died,
              cs.rang, cs.rpc_calls);
    app_print_kernel_stats();
    rt_kernel_stats(&k);
    fail = ts.misses ? "deadline misses" : !cs.samples ? "no samples"
           : k.task_faults ? "task faults" : NULL;
    rt_printf("RT summary tasks=%d misses=%lu samples=%lu %s%s", cs.rpc ? 3 : 2, ts.misses,
              cs.samples, fail ? "FAIL " : "ok", fail ? fail : "");
    app_finish();
}
