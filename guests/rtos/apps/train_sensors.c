// SPDX-License-Identifier: MIT
/*
 * rt.app=sensors: the train's sensors. A 1 ms periodic task runs a simple train model (speed,
 * position; traction and brake from control's `commands` word when the scenario gives it),
 * derives the track status (a speed restriction every 500 m, a red signal for 1.5 s of
 * every 8 s, from 3.0 s) and publishes {seq, time, speed (with measurement noise), position, track} into
 * the `samples` shared memory under the hypervisor mutex `samples_lock`, then rings the
 * doorbell `sample_ready` to control. Runs rt.secs seconds (0: forever), then prints its
 * statistics and a summary and powers off.
 */
#include <string.h>

#include <rt/console.h>
#include <rt/ipc.h>
#include <rt/time.h>

#include "apps.h"
#include "bootargs.h"
#include "train.h"

#define STACK_SIZE     0x2000
#define SENS_PRIO      30
#define SENS_PERIOD_US 1000
#define SENS_DELAY_US  20000  /* first release: after the other VMs' boot (see rpcserver.c) */
#define LOCK_WAIT_US   300    /* at most this long for samples_lock, then skip this sample */
#define SECS_DEFAULT   10
#define SECS_MAX       3600

/* Model, integer: speed in um/s, position in um, per 1 ms step. */
#define ACCEL_MAX      1000    /* um/s per ms = 1.0 m/s^2 at full traction */
#define BRAKE_MAX      1200    /* 1.2 m/s^2 at full brake */
#define DRAG_DIV       200000  /* drag (um/s per ms) = speed / DRAG_DIV */
#define PM             1000
#define CAUTION_EVERY_MM 500000 /* a 100 m restriction at 200..300 m of every 500 m */
#define CAUTION_FROM_MM  200000
#define CAUTION_TO_MM    300000
#define RED_CYCLE_US     8000000 /* the signal is red 3.0..4.5 s of every 8 s */
#define RED_FROM_US      3000000
#define RED_TO_US        4500000
#define V0_KMH10_DEFAULT 700     /* rt.v0: the train is already running at 70 km/h */
#define NOISE_MMPS       30      /* measurement noise +-30 mm/s */
#define OPEN_LOOP_TRACTION 300   /* without a commands window: 30 % traction, coast above 60 km/h */

static struct {
    volatile struct train_sample *shm;
    volatile const union train_cmd *cmd;
    uint32_t lock_id, db_id;
    int64_t speed_ums, pos_um;
    uint32_t seq, noise;
    rt_time_t t0;
    volatile bool stop;
    uint64_t published, lock_fail, ring_fail, owner_died;
} ss;

static struct rt_task sens_task;
RT_STACK_DEFINE(sens_stack, STACK_SIZE);

static uint32_t track_status(uint64_t t_us, int64_t pos_mm)
{
    int64_t in_block = pos_mm % CAUTION_EVERY_MM;

    if (t_us % RED_CYCLE_US >= RED_FROM_US && t_us % RED_CYCLE_US < RED_TO_US) {
        return TRACK_STOP;
    }
    return in_block >= CAUTION_FROM_MM && in_block < CAUTION_TO_MM ? TRACK_CAUTION
                                                                   : TRACK_CLEAR;
}

static void model_step(void)
{
    int32_t traction = OPEN_LOOP_TRACTION, brake = 0;

    if (ss.cmd) {
        union train_cmd c = { .word = ss.cmd->word };
        traction = RT_MIN(RT_MAX(c.f.traction_pm, 0), PM);
        brake = RT_MIN(RT_MAX(c.f.brake_pm, 0), PM);
    } else if (ss.speed_ums > train_kmh10_to_mmps(600) * 1000) {
        traction = 0;
    }
    int64_t dv = (int64_t)traction * ACCEL_MAX / PM - (int64_t)brake * BRAKE_MAX / PM -
                 ss.speed_ums / DRAG_DIV;
    ss.speed_ums = RT_MAX(ss.speed_ums + dv, 0);
    ss.pos_um += ss.speed_ums / 1000; /* um/s x 1 ms */
}

static void publish(void)
{
    uint64_t t_us = rt_ticks_to_us(rt_now() - ss.t0);
    int64_t pos_mm = ss.pos_um / 1000;
    int32_t noise;

    ss.noise = ss.noise * 1664525U + 1013904223U;
    noise = (int32_t)(ss.noise >> 16) % (2 * NOISE_MMPS + 1) - NOISE_MMPS;

    int r = ipc_hv_mutex_lock(ss.lock_id, LOCK_WAIT_US);
    if (r < 0) {
        ss.lock_fail++;
        return;
    }
    ss.owner_died += r > 0;
    if (ss.cmd) {
        union train_cmd c = { .word = ss.cmd->word };
        ss.shm->cmd_seq = c.f.seq;
    }
    ss.shm->time_us = t_us;
    ss.shm->position_mm = pos_mm;
    ss.shm->speed_mmps = (int32_t)RT_MAX(ss.speed_ums / 1000 + noise, 0);
    ss.shm->track = track_status(t_us, pos_mm);
    ss.shm->magic = TRAIN_SAMPLE_MAGIC;
    ss.shm->seq = ++ss.seq;
    ipc_hv_mutex_unlock(ss.lock_id);
    ss.published++;
    if (ipc_doorbell_ring(ss.db_id) != RT_OK) {
        ss.ring_fail++;
    }
}

static void sens_main(void *arg)
{
    (void)arg;
    while (rt_task_wait_period() == RT_OK && !ss.stop) {
        model_step();
        publish();
    }
}

static const char *setup(void)
{
    struct ipc_obj_info shm, lock, db, cmd;
    void *va;
    size_t size;

    if (ipc_init() != RT_OK) {
        return "no hypervisor IPC";
    }
    if (ipc_find(TRAIN_SAMPLES_SHM, &shm) != RT_OK || ipc_find(TRAIN_SAMPLES_LOCK, &lock) ||
        ipc_find(TRAIN_SAMPLE_DB, &db) != RT_OK) {
        return "channels missing";
    }
    if (ipc_shm_get(shm.id, &va, &size) != RT_OK || size < sizeof(struct train_sample) ||
        !(shm.rights & IPC_RIGHT_WRITE)) {
        return "samples window";
    }
    ss.shm = va;
    ss.lock_id = lock.id;
    ss.db_id = db.id;
    if (ipc_find(TRAIN_COMMANDS_SHM, &cmd) == RT_OK && ipc_shm_get(cmd.id, &va, &size) == RT_OK &&
        size >= sizeof(union train_cmd)) {
        ss.cmd = va;
    }
    rt_printf("RT sensors samples id=%u @0x%lx+0x%lx lock id=%u doorbell id=%u commands=%s",
              shm.id, (unsigned long)shm.shm_ipa, (unsigned long)shm.shm_size, lock.id, db.id,
              ss.cmd ? "yes" : "no (open loop)");
    return NULL;
}

void app_sensors_main(void *arg)
{
    struct rt_task_attr attr = { .name = "sens", .prio = SENS_PRIO, .stack = sens_stack,
                                 .stack_size = sizeof(sens_stack), .period_us = SENS_PERIOD_US };
    struct rt_task_stats st;
    uint64_t secs = RT_MIN(bootarg_get_u64("rt.secs", SECS_DEFAULT), SECS_MAX);
    const char *fail;

    (void)arg;
    ss.noise = 12345;
    ss.speed_ums = train_kmh10_to_mmps((int32_t)RT_MIN(bootarg_get_u64("rt.v0", V0_KMH10_DEFAULT),
                                                       TRAIN_MAX_KMH10)) * 1000;
    ss.t0 = rt_now();
    attr.first_release = rt_now() + rt_us_to_ticks(SENS_DELAY_US);
    fail = setup();
    if (!fail && rt_task_create(&sens_task, &attr, sens_main, NULL) != RT_OK) {
        fail = "task create";
    }
    if (fail) {
        rt_printf("RT summary tasks=0 misses=0 FAIL %s", fail);
        app_finish();
    }
    rt_printf("RT sensors start secs=%lu period_us=%u", secs, SENS_PERIOD_US);
    if (secs == 0) {
        rt_task_join(&sens_task, RT_FOREVER);
    }
    rt_sleep_until(ss.t0 + secs * rt_clock_hz());
    rt_task_stats(&sens_task, &st);
    rt_task_print_stats(&sens_task);
    ss.stop = true;
    rt_task_join(&sens_task, 2 * SENS_PERIOD_US);
    rt_printf("RT sensors published=%lu lock_fail=%lu ring_fail=%lu owner_died=%lu "
              "speed_mmps=%ld pos_mm=%ld",
              ss.published, ss.lock_fail, ss.ring_fail, ss.owner_died,
              (long)(ss.speed_ums / 1000), (long)(ss.pos_um / 1000));
    app_print_kernel_stats();
    fail = st.misses ? "deadline misses" : !ss.published ? "nothing published"
           : ss.ring_fail ? "doorbell" : NULL;
    rt_printf("RT summary tasks=1 misses=%lu %s%s", st.misses, fail ? "FAIL " : "ok",
              fail ? fail : "");
    app_finish();
}
