/* SPDX-License-Identifier: MIT */
/*
 * RTOS applications, chosen with rt.app= on the kernel command line. Each entry point runs
 * as the "main" task at APP_MAIN_PRIO and ends the run itself (summary line, SYSTEM_OFF).
 */
#pragma once

#include <rt/task.h>

#define APP_MAIN_PRIO RT_PRIO_MAX

struct rt_app {
    const char *name;
    rt_task_fn main;
};

/* Three periodic tasks, semaphore ping-pong, queue producer/consumer; rt.secs, rt.load. */
void app_demo_main(void *arg);

/* Kernel self-test: RT PASS/FAIL lines and a summary. */
void app_selftest_main(void *arg);

/* The RPC test service over hypervisor queues beside a 1 ms periodic task (rpcserver.c). */
void app_rpcserver_main(void *arg);

/* Train control (train_*.c, train.h): the 1 kHz loop with RPC, the sensors, an RPC client. */
void app_control_main(void *arg);
void app_sensors_main(void *arg);
void app_trainclient_main(void *arg);

/* Virtual-timer interrupt latency and EL2 instructions per tick (latency.c; make bench). */
void app_latency_main(void *arg);

/* The key store through the secure-service hypercalls: seal, unseal an earlier boot's blob
 * and another VM's (sealer.c, rt/secsvc.h; tests/scenarios/v-fw-seal.test). */
void app_sealer_main(void *arg);

/* The application called name, or NULL. */
const struct rt_app *app_find(const char *name);

/* "RT kernel ..." line: uptime, switches, syscalls, interrupts, timer latency, idle share. */
void app_print_kernel_stats(void);

/* Power off after the summary line; never returns. */
void app_finish(void) __attribute__((noreturn));

/* Deterministic integer busy work of about `iterations` loop turns; returns a checksum. */
uint32_t app_work(uint32_t seed, uint32_t iterations);
