// SPDX-License-Identifier: MIT
/*
 * tg.mode=rpc: the guest RPC library (guests/lib/rpc) between two VMs over two hypervisor
 * message queues, request (client -> server) and response (server -> client), found by name
 * under /bulkhead-ipc. tg.rpc=server offers the test service of rpc_testsvc.h (add, echo,
 * fail, sleep, stop; the RTOS's rt.app=rpcserver offers the same); tg.rpc=client makes
 * tg.rpc_calls checked calls, then checks error propagation, an unknown method, a payload too
 * large, a malformed message and a timeout whose late answer the next call must drop
 * (tests/scenarios/j-rpc.dts, j-rpc-rtos.dts).
 */
#include <string.h>

#include "../lib/rpc/rpc.h"
#include "../lib/rpc/rpc_testsvc.h"
#include "../lib/rpc/transport_hvc.h"
#include "bootargs.h"
#include "ipc.h"
#include "platform.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define M_ADD   RPC_TESTSVC_ADD
#define M_ECHO  RPC_TESTSVC_ECHO
#define M_FAIL  RPC_TESTSVC_FAIL
#define M_SLEEP RPC_TESTSVC_SLEEP
#define M_STOP  RPC_TESTSVC_STOP
#define M_NONE  RPC_TESTSVC_NONE

#define FAIL_STATUS   RPC_TESTSVC_FAIL_STATUS
#define FAIL_TEXT     RPC_TESTSVC_FAIL_TEXT
#define NAME_MAX      32
#define MSG_SIZE_MAX  4096 /* the largest msg-size a scenario may give (docs/CONFIG.md) */
#define NS_PER_MS     1000000ULL
#define CALL_MS       2000 /* ordinary calls: generous, QEMU may run on a loaded host */
#define FIRST_CALL_MS 10000 /* the server may still be booting */
#define IDLE_MS       20000 /* the server gives up after this long without a request */
#define SLEEP_MS      1000  /* the slow call sleeps this long ... */
#define SHORT_MS      50    /* ... and its caller waits only this long */
#define DEF_CALLS     2000
#define ERRORS_SHOWN  5
#define MIX_MUL       2654435761U
#define MIX_ADD       12345U
#define CRASH_OFFSET  (16 * 0x100000UL) /* tg.rpc_crash_after: a write 16 MiB past RAM */
#define FAILOVER_CALL_MS 200            /* tg.rpc=fclient: each call's timeout */

static uint64_t rpc_buf[RPC_SERVER_BUF_SIZE(MSG_SIZE_MAX) / sizeof(uint64_t)];
static struct rpc_hvc_queues queues;
static struct rpc_transport transport;

/* Look up both queues (names from tg.rpc_req / tg.rpc_resp) and check our rights on them. */
static void setup(bool server)
{
    char req_name[NAME_MAX] = RPC_TESTSVC_REQ_QUEUE;
    char resp_name[NAME_MAX] = RPC_TESTSVC_RESP_QUEUE;
    struct ipc_obj req, resp;

    bootarg_get("tg.rpc_req", req_name, sizeof(req_name));
    bootarg_get("tg.rpc_resp", resp_name, sizeof(resp_name));
    ipc_dt_need(req_name, &req);
    ipc_dt_need(resp_name, &resp);
    bool ok = report(req.type == IPC_MSGQ && resp.type == IPC_MSGQ &&
                         (req.rights & (server ? IPC_R_RECV : IPC_R_SEND)) &&
                         (resp.rights & (server ? IPC_R_SEND : IPC_R_RECV)) &&
                         req.msg_size == resp.msg_size && req.msg_size > RPC_HDR_SIZE &&
                         req.msg_size <= MSG_SIZE_MAX,
                     "rpc: %s: request queue '%s' id %u, response queue '%s' id %u, "
                     "msg-size %u, rights 0x%x/0x%x",
                     server ? "server" : "client", req_name, req.id, resp_name, resp.id,
                     req.msg_size, req.rights, resp.rights);
    if (!ok) {
        tg_finish();
    }
    queues.tx_id = server ? resp.id : req.id;
    queues.rx_id = server ? req.id : resp.id;
    rpc_hvc_transport_init(&transport, &queues, req.msg_size);
}

/* ------------------------------------------------------------------ server */

static volatile bool stop_requested;

static void tg_sleep_ms(uint32_t ms)
{
    timer_delay_ms(ms);
}

static struct rpc_testsvc_sleep tg_sleep = { tg_sleep_ms };

static const struct rpc_method methods[] = {
    { M_ADD, "add", rpc_testsvc_add, NULL },    { M_ECHO, "echo", rpc_testsvc_echo, NULL },
    { M_FAIL, "fail", rpc_testsvc_fail, NULL }, { M_SLEEP, "sleep", rpc_testsvc_sleep, &tg_sleep },
    { M_STOP, "stop", rpc_testsvc_stop, (void *)&stop_requested },
};

static void role_server(void)
{
    struct rpc_server s;
    uint64_t dropped = 0;
    /* a Linux client takes longer to come up than a bare-metal one */
    uint64_t idle_ms = bootarg_get_u64("tg.rpc_idle_ms", IDLE_MS);

    setup(true);
    int r = rpc_server_init(&s, &transport, methods, ARRAY_SIZE(methods), rpc_buf,
                            sizeof(rpc_buf));
    if (!report(r == RPC_OK, "rpc: server init with %u methods: %d (%s)",
                (unsigned)ARRAY_SIZE(methods), r, rpc_strerror(r))) {
        tg_finish();
    }
    /* failover (m-failover): a primary that crashes after this many requests */
    uint64_t crash_after = bootarg_get_u64("tg.rpc_crash_after", 0);
    tg_print("rpc: server ready");
    while (!stop_requested) {
        if (crash_after && s.stats.requests >= crash_after) {
            tg_print("rpc: server crashing after %lu requests", s.stats.requests);
            *(volatile uint32_t *)(uintptr_t)(platform_mem_highest_end() + CRASH_OFFSET) = 1;
        }
        r = rpc_serve_one(&s, idle_ms * NS_PER_MS);
        if (r == RPC_E_PROTO) {
            if (dropped++ < ERRORS_SHOWN) {
                report_info("rpc: server dropped a malformed message");
            }
        } else if (r != RPC_OK) {
            report(false, "rpc: server: %d (%s) after %lu requests", r, rpc_strerror(r),
                   s.stats.requests);
            break;
        }
    }
    report_info("rpc: server stats requests=%lu handled=%lu errors=%lu no_method=%lu "
                "malformed=%lu bad_handler=%lu send_errors=%lu",
                s.stats.requests, s.stats.handled, s.stats.errors, s.stats.no_method,
                s.stats.malformed, s.stats.bad_handler, s.stats.send_errors);
    report(stop_requested && s.stats.send_errors == 0 && s.stats.bad_handler == 0,
           "rpc: server stopped on request, every response sent (%lu requests)",
           s.stats.requests);
    tg_finish();
}

/* ------------------------------------------------------------------ client */

static uint64_t elapsed_ms(uint64_t t0)
{
    return ipc_ticks_to_ms(timer_now() - t0);
}

/* tg.rpc_calls calls: add and echo (lengths 0..max payload) in turn, every result checked. */
static void many_calls(struct rpc_client *c)
{
    static uint8_t in[MSG_SIZE_MAX], out[MSG_SIZE_MAX];
    uint64_t count = bootarg_get_u64("tg.rpc_calls", DEF_CALLS), bad = 0;
    size_t max = RPC_MAX_PAYLOAD(transport.msg_size);
    uint64_t t0 = timer_now();

    for (uint64_t i = 0; i < count; i++) {
        uint32_t x = (uint32_t)i * MIX_MUL + MIX_ADD;
        size_t len = 0;
        bool ok;
        int r;

        if (i % 2) {
            uint32_t arg[2] = { x, ~x + (uint32_t)i }, sum = 0;
            r = rpc_call(c, M_ADD, arg, sizeof(arg), &sum, sizeof(sum), &len,
                         CALL_MS * NS_PER_MS);
            ok = r == RPC_OK && len == sizeof(sum) && sum == arg[0] + arg[1];
        } else {
            size_t n = (size_t)(i / 2 % (max + 1));
            for (size_t k = 0; k < n; k++) {
                in[k] = (uint8_t)(x + k);
            }
            r = rpc_call(c, M_ECHO, in, n, out, max, &len, CALL_MS * NS_PER_MS);
            ok = r == (int)n && len == n && memcmp(in, out, n) == 0;
        }
        if (!ok && bad++ < ERRORS_SHOWN) {
            report(false, "rpc: call %lu (%s): %d (%s), %lu bytes back", i,
                   i % 2 ? "add" : "echo", r, rpc_strerror(r), (unsigned long)len);
        }
    }
    uint64_t ms = elapsed_ms(t0);
    report(bad == 0, "rpc: %lu calls (add, echo 0..%lu bytes), %lu wrong, in %lu ms (%lu us "
           "per call)", count, (unsigned long)max, bad, ms, count ? ms * 1000 / count : 0);
}

/* The late answer to a timed-out call must be dropped by the next call, which gets its own. */
static void timeout_then_late_answer(struct rpc_client *c)
{
    uint32_t ms = SLEEP_MS;
    uint64_t stale = c->stats.stale, t0 = timer_now();
    int r = rpc_call(c, M_SLEEP, &ms, sizeof(ms), NULL, 0, NULL, SHORT_MS * NS_PER_MS);
    uint64_t waited = elapsed_ms(t0);

    report(r == RPC_E_TIMEOUT && waited >= SHORT_MS && waited < SLEEP_MS,
           "rpc: sleep(%u ms) with a %u ms timeout: %d (%s) after %lu ms", SLEEP_MS, SHORT_MS,
           r, rpc_strerror(r), waited);
    char out[8] = { 0 };
    size_t len = 0;
    r = rpc_call(c, M_ECHO, "late", 4, out, sizeof(out), &len, CALL_MS * NS_PER_MS);
    report(r == 4 && len == 4 && memcmp(out, "late", 4) == 0 && c->stats.stale == stale + 1,
           "rpc: next call after the timeout: status %d, its own answer; %lu late answer "
           "dropped", r, c->stats.stale - stale);
}

static void error_cases(struct rpc_client *c)
{
    static uint8_t big[MSG_SIZE_MAX];
    char text[sizeof(FAIL_TEXT) + 8] = { 0 };
    size_t len = 0, max = RPC_MAX_PAYLOAD(transport.msg_size);

    int r = rpc_call(c, M_FAIL, NULL, 0, text, sizeof(text), &len, CALL_MS * NS_PER_MS);
    report(r == FAIL_STATUS && len == sizeof(FAIL_TEXT) && !strncmp(text, FAIL_TEXT, len),
           "rpc: error propagation: fail() -> %d, \"%s\"", r, text);

    r = rpc_call(c, M_NONE, "x", 1, NULL, 0, NULL, CALL_MS * NS_PER_MS);
    report(r == RPC_E_NO_METHOD, "rpc: unknown method 0x%x -> %d (%s)", M_NONE, r,
           rpc_strerror(r));

    uint64_t calls = c->stats.refused;
    r = rpc_call(c, M_ECHO, big, max + 1, NULL, 0, NULL, CALL_MS * NS_PER_MS);
    report(r == RPC_E_TOO_BIG && c->stats.refused == calls + 1,
           "rpc: %lu-byte payload (max %lu) refused before sending: %d (%s)",
           (unsigned long)(max + 1), (unsigned long)max, r, rpc_strerror(r));

    /* something that is not an RPC message at all: the server drops it and goes on */
    memset(rpc_buf, 0xa5, RPC_HDR_SIZE);
    r = transport.send(transport.ctx, rpc_buf, RPC_HDR_SIZE, CALL_MS * NS_PER_MS);
    int r2 = rpc_call(c, M_ECHO, "ok", 2, NULL, 0, NULL, CALL_MS * NS_PER_MS);
    report(r == RPC_OK && r2 == RPC_E_OVERFLOW,
           "rpc: garbage message sent (%d), the server still answers (%d %s: 2 bytes, no room)",
           r, r2, rpc_strerror(r2));
}

static void role_client(void)
{
    struct rpc_client c;
    char out[8] = { 0 };
    size_t len = 0;

    setup(false);
    int r = rpc_client_init(&c, &transport, rpc_buf, sizeof(rpc_buf));
    if (!report(r == RPC_OK, "rpc: client init: %d (%s)", r, rpc_strerror(r))) {
        tg_finish();
    }
    uint64_t t0 = timer_now();
    r = rpc_call(&c, M_ECHO, "ping", 4, out, sizeof(out), &len, FIRST_CALL_MS * NS_PER_MS);
    if (!report(r == 4 && len == 4 && !memcmp(out, "ping", 4),
                "rpc: first call (echo \"ping\"): status %d, %lu bytes back, after %lu ms", r,
                (unsigned long)len, elapsed_ms(t0))) {
        tg_finish();
    }
    many_calls(&c);
    error_cases(&c);
    timeout_then_late_answer(&c);
    r = rpc_call(&c, M_STOP, NULL, 0, NULL, 0, NULL, CALL_MS * NS_PER_MS);
    report(r == RPC_OK, "rpc: stop -> %d (%s)", r, rpc_strerror(r));
    report_info("rpc: client stats calls=%lu completed=%lu timeouts=%lu stale=%lu malformed=%lu "
                "refused=%lu transport_errors=%lu",
                c.stats.calls, c.stats.completed, c.stats.timeouts, c.stats.stale,
                c.stats.malformed, c.stats.refused, c.stats.transport_errors);
    report(c.stats.timeouts == 1 && c.stats.stale == 1 && c.stats.malformed == 0 &&
               c.stats.transport_errors == 0 && c.stats.completed + 2 == c.stats.calls,
           "rpc: client statistics: one timeout, one late answer dropped, nothing malformed");
    tg_finish();
}

/* tg.rpc=fclient: tg.rpc_calls checked calls with a short timeout while the server fails
 * over to its standby (m-failover): a call may time out during the switch, at most
 * tg.rpc_max_timeouts of them, and every other answer is right. */
static void role_failover_client(void)
{
    struct rpc_client c;
    uint64_t count = bootarg_get_u64("tg.rpc_calls", DEF_CALLS), wrong = 0, timeouts = 0;
    uint64_t max_timeouts = bootarg_get_u64("tg.rpc_max_timeouts", 10), run = 0, longest = 0;
    uint64_t t0 = 0;

    setup(false);
    if (!report(rpc_client_init(&c, &transport, rpc_buf, sizeof(rpc_buf)) == RPC_OK,
                "rpc: failover client init")) {
        tg_finish();
    }
    for (uint64_t i = 0; i < count; i++) {
        uint32_t x = (uint32_t)i * MIX_MUL + MIX_ADD, arg[2] = { x, (uint32_t)i }, sum = 0;
        size_t len = 0;
        uint64_t ms = i == 0 ? FIRST_CALL_MS : FAILOVER_CALL_MS;
        int r = rpc_call(&c, M_ADD, arg, sizeof(arg), &sum, sizeof(sum), &len, ms * NS_PER_MS);
        if (r == RPC_E_TIMEOUT) {
            t0 = run++ ? t0 : timer_now();
            timeouts++;
            continue;
        }
        if (run) {
            uint64_t gap = elapsed_ms(t0);
            report_info("rpc: answers again after %lu timeouts (%lu ms)", run, gap);
            longest = gap > longest ? gap : longest;
            run = 0;
        }
        if ((r != RPC_OK || len != sizeof(sum) || sum != arg[0] + arg[1]) && wrong++ < 5) {
            report(false, "rpc: failover call %lu: %d (%s)", i, r, rpc_strerror(r));
        }
    }
    report(wrong == 0 && run == 0, "rpc: %lu calls through the failover, every answer right",
           count);
    report(timeouts <= max_timeouts, "rpc: %lu calls timed out during the switch (at most %lu, "
           "longest gap %lu ms)", timeouts, max_timeouts, longest);
    int r = rpc_call(&c, M_STOP, NULL, 0, NULL, 0, NULL, CALL_MS * NS_PER_MS);
    report(r == RPC_OK, "rpc: stop the standby -> %d (%s)", r, rpc_strerror(r));
    tg_finish();
}

void tests_rpc(void)
{
    char role[NAME_MAX] = "";

    bootarg_get("tg.rpc", role, sizeof(role));
    tg_print("rpc role %s", role);
    if (!ipc_dt_check()) {
        tg_finish();
    }
    if (!strncmp(role, "server", sizeof(role))) {
        role_server();
    } else if (!strncmp(role, "client", sizeof(role))) {
        role_client();
    } else if (!strncmp(role, "fclient", sizeof(role))) {
        role_failover_client();
    }
    tg_fatal("unknown tg.rpc=%s (server or client)", role);
}
