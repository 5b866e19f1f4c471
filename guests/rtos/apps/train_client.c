// SPDX-License-Identifier: MIT
/*
 * rt.app=trainclient: a stand-in for the future Linux `ui` VM. Calls control's RPC methods
 * (train.h) over the `cmd`/`reply` queues: get_status, set_target(rt.client_kmh10, default
 * 60.0 km/h), then a higher target, an out-of-range target (expects TRAIN_E_RANGE), with a
 * get_status after each pause. Prints every answer and a summary, then powers off its VM.
 */
#include <string.h>

#include <rt/console.h>
#include <rt/ipc_rpc.h>
#include <rt/time.h>

#include "apps.h"
#include "bootargs.h"
#include "train.h"

#define NAME_MAX       32
#define MSG_SIZE_MAX   4096
#define CALL_NS        200000000ULL /* 200 ms */
#define START_US       500000
#define PAUSE_US       1500000

static struct rpc_transport t;
static struct ipc_rpc_queues q;
static struct rpc_client cli;
static uint64_t cbuf[RPC_CLIENT_BUF_SIZE(MSG_SIZE_MAX) / sizeof(uint64_t)];
static uint32_t calls, good, bad;

static void get_status(void)
{
    struct train_status st;
    size_t n = 0;
    int r = rpc_call(&cli, TRAIN_RPC_GET_STATUS, NULL, 0, &st, sizeof(st), &n, CALL_NS);

    calls++;
    if (r != RPC_OK || n != sizeof(st)) {
        bad++;
        rt_printf("RT trainclient get_status -> %d (%s) len=%lu", r, rpc_strerror(r),
                  (unsigned long)n);
        return;
    }
    good++;
    rt_printf("RT trainclient get_status -> 0 t_ms=%lu speed=%d.%d target=%d.%d limit=%d.%d "
              "brake=%d traction=%d track=%u samples=%lu misses=%lu pos_m=%ld",
              st.time_us / 1000, st.speed_kmh10 / 10, st.speed_kmh10 % 10,
              st.target_kmh10 / 10, st.target_kmh10 % 10, st.limit_kmh10 / 10,
              st.limit_kmh10 % 10, st.brake_pm, st.traction_pm, st.track, st.samples,
              st.misses, (long)(st.position_mm / 1000));
}

static void set_target(int32_t kmh10, int expect)
{
    int32_t prev = -1;
    size_t n = 0;
    int r = rpc_call(&cli, TRAIN_RPC_SET_TARGET, &kmh10, sizeof(kmh10), &prev, sizeof(prev),
                     &n, CALL_NS);

    calls++;
    if (r == expect) {
        good++;
    } else {
        bad++;
    }
    rt_printf("RT trainclient set_target(%d) -> %d prev=%d %s", kmh10, r, r == RPC_OK ? prev : -1,
              r == expect ? "as expected" : "UNEXPECTED");
}

void app_trainclient_main(void *arg)
{
    char req[NAME_MAX] = TRAIN_RPC_REQ, resp[NAME_MAX] = TRAIN_RPC_RESP;
    int32_t kmh10 = (int32_t)bootarg_get_u64("rt.client_kmh10", 600);
    rt_time_t t0 = rt_now();

    (void)arg;
    bootarg_get("rt.rpc_req", req, sizeof(req));
    bootarg_get("rt.rpc_resp", resp, sizeof(resp));
    if (ipc_rpc_transport_find(&t, &q, req, resp) != RT_OK || t.msg_size > MSG_SIZE_MAX ||
        rpc_client_init(&cli, &t, cbuf, sizeof(cbuf)) != RPC_OK) {
        rt_printf("RT summary calls=0 FAIL queues '%s'/'%s' not usable", req, resp);
        app_finish();
    }
    rt_sleep_until(t0 + rt_us_to_ticks(START_US));
    get_status();
    set_target(kmh10, RPC_OK);
    rt_sleep_until(t0 + rt_us_to_ticks(START_US + PAUSE_US));
    get_status();
    set_target(kmh10 + 400, RPC_OK);
    rt_sleep_until(t0 + rt_us_to_ticks(START_US + 2 * PAUSE_US));
    get_status();
    set_target(TRAIN_MAX_KMH10 + 1, TRAIN_E_RANGE);
    get_status();
    rt_printf("RT trainclient calls=%u good=%u bad=%u stale=%lu", calls, good, bad,
              (unsigned long)cli.stats.stale);
    rt_printf("RT summary calls=%u %s", calls, bad ? "FAIL rpc" : "ok");
    app_finish();
}
