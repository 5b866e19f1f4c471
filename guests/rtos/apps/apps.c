// SPDX-License-Identifier: MIT
/* Application table and the helpers every application shares. */
#include <string.h>

#include <rt/console.h>
#include <rt/time.h>

#include "apps.h"

#define PERCENT      100
#define APP_NAME_MAX 16

static const struct rt_app apps[] = {
    { "demo", app_demo_main },
    { "selftest", app_selftest_main },
    { "rpcserver", app_rpcserver_main },
    { "control", app_control_main },
    { "sensors", app_sensors_main },
    { "trainclient", app_trainclient_main },
    { "latency", app_latency_main },
    { "sealer", app_sealer_main },
};

const struct rt_app *app_find(const char *name)
{
    for (size_t i = 0; i < RT_ARRAY_SIZE(apps); i++) {
        if (!strncmp(apps[i].name, name, APP_NAME_MAX)) {
            return &apps[i];
        }
    }
    return NULL;
}

void app_print_kernel_stats(void)
{
    struct rt_kernel_stats k;

    rt_kernel_stats(&k);
    rt_printf("RT kernel up_us=%lu switches=%lu syscalls=%lu irqs=%lu timer_lat_us_avg=%lu "
              "max=%lu idle_pct=%lu faults=%lu",
              k.uptime_us, k.switches, k.syscalls, k.irqs, k.timer_lat_avg_us, k.timer_lat_max_us,
              k.uptime_us ? k.idle_us * PERCENT / k.uptime_us : 0, k.task_faults);
}

void app_finish(void)
{
    rt_system_off();
    rt_panic("PSCI SYSTEM_OFF returned");
}

uint32_t app_work(uint32_t seed, uint32_t iterations)
{
    /* a xorshift-multiply chain: no memory traffic, nothing the compiler can fold away */
    uint32_t x = seed | 1;

    for (uint32_t i = 0; i < iterations; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x += i;
    }
    return x;
}
