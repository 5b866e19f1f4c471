// SPDX-License-Identifier: MIT
/*
 * Unit tests for the guest RPC library (guests/lib/rpc): wire format, correlation, timeouts,
 * error propagation and dispatch, over an in-memory transport of two bounded queues and a
 * fake clock. Single-threaded: when the client waits on an empty response queue the fake
 * runs the server (as the peer VM would), and a handler that "sleeps" moves the clock on, so a
 * response produced after the caller's deadline counts as late.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <guests/lib/rpc/rpc.h>
#include <string.h>

#define MSG_SIZE    128
#define DEPTH       4
#define MAX_PAY     (MSG_SIZE - RPC_HDR_SIZE)
#define CALL_NS     1000000U /* 1 ms */
#define T0_NS       5000000000U

#define M_ADD     1
#define M_ECHO    2
#define M_FAIL    3
#define M_SLEEP   4
#define M_LIAR    5
#define M_NONE    0x7777
#define FAIL_CODE (-42)

/* ------------------------------------------------------------------ fake transport */

struct fq {
    uint64_t msg[DEPTH][MSG_SIZE / 8]; /* aligned slots, as the hypervisor's pool */
    size_t len[DEPTH];
    unsigned head, count;
    unsigned sends, recvs;
};

struct end {
    struct fq *tx, *rx;
    bool is_client;
};

static struct world {
    uint64_t now;
    struct fq req, resp;
    struct end client_end, server_end;
    struct rpc_transport ct, st;
    struct rpc_server server;
    struct rpc_client client;
    uint64_t cbuf[RPC_CLIENT_BUF_SIZE(MSG_SIZE) / 8];
    uint64_t sbuf[RPC_SERVER_BUF_SIZE(MSG_SIZE) / 8];
    bool auto_serve;       /* run the server when the client waits on an empty queue */
    int fail_send;         /* nonzero: every send returns this */
    bool flood;            /* the response queue never runs dry (stray responses) */
    uint32_t flood_id;
} w;

static void fq_push(struct fq *q, const void *msg, size_t len)
{
    unsigned slot = (q->head + q->count) % DEPTH;

    assert_true(q->count < DEPTH && len <= MSG_SIZE);
    memcpy(q->msg[slot], msg, len);
    q->len[slot] = len;
    q->count++;
}

static size_t fq_pop(struct fq *q, void *buf)
{
    size_t len = q->len[q->head];

    assert_true(q->count > 0);
    memcpy(buf, q->msg[q->head], len);
    q->head = (q->head + 1) % DEPTH;
    q->count--;
    return len;
}

static uint64_t fake_now(void *ctx)
{
    (void)ctx;
    return w.now;
}

/* Waiting timeout_ns for something that never comes: the clock moves on by that much. */
static int fake_wait_fails(uint64_t timeout_ns)
{
    if (timeout_ns == 0) {
        return RPC_E_BUSY;
    }
    assert_true(timeout_ns != RPC_FOREVER); /* would hang forever */
    w.now += timeout_ns;
    return RPC_E_TIMEOUT;
}

static int fake_send(void *ctx, const void *msg, size_t len, uint64_t timeout_ns)
{
    struct end *e = ctx;

    /* the library's side of the transport contract */
    assert_true((uintptr_t)msg % RPC_BUF_ALIGN == 0);
    assert_true(len >= RPC_HDR_SIZE && len <= MSG_SIZE);
    e->tx->sends++;
    if (w.fail_send) {
        return w.fail_send;
    }
    if (e->tx->count == DEPTH) {
        return fake_wait_fails(timeout_ns);
    }
    fq_push(e->tx, msg, len);
    return RPC_OK;
}

static void put_resp(uint8_t *p, uint32_t id, int32_t status, uint32_t len);

static int fake_recv(void *ctx, void *buf, size_t cap, size_t *len, uint64_t timeout_ns)
{
    struct end *e = ctx;
    uint64_t start = w.now;

    assert_true((uintptr_t)buf % RPC_BUF_ALIGN == 0);
    assert_true(cap >= MSG_SIZE);
    e->rx->recvs++;
    if (e->is_client && w.flood) {
        put_resp(buf, w.flood_id++, RPC_OK, 0);
        *len = RPC_HDR_SIZE;
        return RPC_OK;
    }
    if (e->is_client && w.auto_serve && timeout_ns) {
        while (e->rx->count == 0 && w.req.count > 0) {
            (void)rpc_serve_one(&w.server, 0);
        }
    }
    if (e->rx->count == 0) {
        return fake_wait_fails(timeout_ns);
    }
    if (timeout_ns != RPC_FOREVER && w.now - start > timeout_ns) {
        return RPC_E_TIMEOUT; /* it came, but after the caller stopped waiting */
    }
    *len = fq_pop(e->rx, buf);
    return RPC_OK;
}

/* ------------------------------------------------------------------ server methods */

static int32_t m_add(void *ctx, const void *req, size_t req_len, void *resp, size_t cap,
                     size_t *resp_len)
{
    uint32_t a[2], sum;

    (void)ctx;
    if (req_len != sizeof(a) || cap < sizeof(sum)) {
        return RPC_E_INVAL;
    }
    memcpy(a, req, sizeof(a));
    sum = a[0] + a[1];
    memcpy(resp, &sum, sizeof(sum));
    *resp_len = sizeof(sum);
    return RPC_OK;
}

static int32_t m_echo(void *ctx, const void *req, size_t req_len, void *resp, size_t cap,
                      size_t *resp_len)
{
    unsigned *calls = ctx;

    (*calls)++;
    assert_true(req_len <= cap);
    memcpy(resp, req, req_len);
    *resp_len = req_len;
    return (int32_t)req_len; /* positive statuses pass through too */
}

static int32_t m_fail(void *ctx, const void *req, size_t req_len, void *resp, size_t cap,
                      size_t *resp_len)
{
    (void)ctx;
    (void)req;
    (void)req_len;
    assert_true(cap >= 4);
    memcpy(resp, "nope", 4);
    *resp_len = 4;
    return FAIL_CODE;
}

/* Takes *(uint64_t *)req nanoseconds of (fake) time. */
static int32_t m_sleep(void *ctx, const void *req, size_t req_len, void *resp, size_t cap,
                       size_t *resp_len)
{
    uint64_t ns;

    (void)ctx;
    (void)resp;
    (void)cap;
    (void)resp_len;
    assert_int_equal(req_len, sizeof(ns));
    memcpy(&ns, req, sizeof(ns));
    w.now += ns;
    return RPC_OK;
}

/* Claims more than it may write. */
static int32_t m_liar(void *ctx, const void *req, size_t req_len, void *resp, size_t cap,
                      size_t *resp_len)
{
    (void)ctx;
    (void)req;
    (void)req_len;
    (void)resp;
    *resp_len = cap + 1;
    return RPC_OK;
}

static unsigned echo_calls;

static const struct rpc_method methods[] = {
    { M_ADD, "add", m_add, NULL },       { M_ECHO, "echo", m_echo, &echo_calls },
    { M_FAIL, "fail", m_fail, NULL },    { M_SLEEP, "sleep", m_sleep, NULL },
    { M_LIAR, "liar", m_liar, NULL },
};

/* ------------------------------------------------------------------ helpers */

static int setup(void **state)
{
    (void)state;
    memset(&w, 0, sizeof(w));
    echo_calls = 0;
    w.now = T0_NS;
    w.client_end = (struct end){ .tx = &w.req, .rx = &w.resp, .is_client = true };
    w.server_end = (struct end){ .tx = &w.resp, .rx = &w.req };
    w.ct = (struct rpc_transport){ fake_send, fake_recv, fake_now, &w.client_end, MSG_SIZE };
    w.st = (struct rpc_transport){ fake_send, fake_recv, fake_now, &w.server_end, MSG_SIZE };
    w.auto_serve = true;
    assert_int_equal(rpc_server_init(&w.server, &w.st, methods,
                                     sizeof(methods) / sizeof(methods[0]), w.sbuf,
                                     sizeof(w.sbuf)),
                     RPC_OK);
    assert_int_equal(rpc_client_init(&w.client, &w.ct, w.cbuf, sizeof(w.cbuf)), RPC_OK);
    return 0;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* A v1 header by hand (independent of the library's encoder). */
static void put_hdr(uint8_t *p, uint8_t type, uint32_t id, uint32_t method, int32_t status,
                    uint32_t len)
{
    memset(p, 0, RPC_HDR_SIZE);
    p[0] = 'R';
    p[1] = 'P';
    p[2] = RPC_VERSION;
    p[3] = type;
    put_le32(p + 8, id);
    put_le32(p + 12, method);
    put_le32(p + 16, (uint32_t)status);
    put_le32(p + 20, len);
}

static void put_resp(uint8_t *p, uint32_t id, int32_t status, uint32_t len)
{
    put_hdr(p, RPC_TYPE_RESP, id, 0, status, len);
}

static int add(uint32_t a, uint32_t b, uint32_t *sum)
{
    uint32_t req[2] = { a, b };
    size_t len = 0;
    int r = rpc_call(&w.client, M_ADD, req, sizeof(req), sum, sizeof(*sum), &len, CALL_NS);

    if (r == RPC_OK) {
        assert_int_equal(len, sizeof(*sum));
    }
    return r;
}

/* The correlation id the client's next call will use. */
static uint32_t next_id(void)
{
    return w.client.next_id ? w.client.next_id : 1;
}

/* ------------------------------------------------------------------ tests */

static void test_init_errors(void **state)
{
    struct rpc_client c;
    struct rpc_server s;
    struct rpc_transport t = w.ct;
    uint8_t *b = (uint8_t *)w.cbuf;
    struct rpc_method dup[2] = { methods[0], methods[0] };
    struct rpc_method nohandler = { 9, "x", NULL, NULL };

    (void)state;
    assert_int_equal(rpc_client_init(&c, &t, b + 4, sizeof(w.cbuf) - 4), RPC_E_INVAL);
    assert_int_equal(rpc_client_init(&c, &t, b, MSG_SIZE - 1), RPC_E_INVAL);
    assert_int_equal(rpc_client_init(&c, &t, NULL, sizeof(w.cbuf)), RPC_E_INVAL);
    assert_int_equal(rpc_client_init(&c, NULL, b, sizeof(w.cbuf)), RPC_E_INVAL);
    t.msg_size = RPC_HDR_SIZE; /* no room for any payload */
    assert_int_equal(rpc_client_init(&c, &t, b, sizeof(w.cbuf)), RPC_E_INVAL);
    t = w.ct;
    t.now_ns = NULL;
    assert_int_equal(rpc_client_init(&c, &t, b, sizeof(w.cbuf)), RPC_E_INVAL);
    t = w.ct;
    t.recv = NULL;
    assert_int_equal(rpc_server_init(&s, &t, methods, 1, w.sbuf, sizeof(w.sbuf)), RPC_E_INVAL);
    assert_int_equal(rpc_server_init(&s, &w.st, dup, 2, w.sbuf, sizeof(w.sbuf)), RPC_E_INVAL);
    assert_int_equal(rpc_server_init(&s, &w.st, &nohandler, 1, w.sbuf, sizeof(w.sbuf)),
                     RPC_E_INVAL);
    assert_int_equal(rpc_server_init(&s, &w.st, methods, 1, w.sbuf, MSG_SIZE), RPC_E_INVAL);
    assert_int_equal(rpc_server_init(&s, &w.st, NULL, 0, w.sbuf, sizeof(w.sbuf)), RPC_OK);
    assert_int_equal(rpc_call(NULL, M_ADD, NULL, 0, NULL, 0, NULL, CALL_NS), RPC_E_INVAL);
    assert_int_equal(rpc_call(&w.client, M_ADD, NULL, 4, NULL, 0, NULL, CALL_NS), RPC_E_INVAL);
    assert_int_equal(rpc_call(&w.client, M_ADD, NULL, 0, NULL, 4, NULL, CALL_NS), RPC_E_INVAL);
    assert_int_equal(w.client.stats.refused, 2);
    assert_int_equal(w.req.sends, 0);
}

static void test_round_trip(void **state)
{
    uint8_t in[MAX_PAY], out[MAX_PAY];
    uint32_t sum = 0;
    size_t len = 99;

    (void)state;
    assert_int_equal(add(3, 4, &sum), RPC_OK);
    assert_int_equal(sum, 7);
    assert_int_equal(add(UINT32_MAX, 2, &sum), RPC_OK);
    assert_int_equal(sum, 1);
    for (size_t n = 0; n <= MAX_PAY; n++) {
        for (size_t i = 0; i < n; i++) {
            in[i] = (uint8_t)(n * 7 + i);
        }
        memset(out, 0xee, sizeof(out));
        assert_int_equal(rpc_call(&w.client, M_ECHO, in, n, out, sizeof(out), &len, CALL_NS),
                         (int)n);
        assert_int_equal(len, n);
        assert_memory_equal(in, out, n);
    }
    assert_int_equal(echo_calls, MAX_PAY + 1);
    assert_int_equal(w.client.stats.completed, MAX_PAY + 3);
    assert_int_equal(w.client.stats.stale + w.client.stats.malformed, 0);
    assert_int_equal(w.server.stats.handled, MAX_PAY + 3);
    /* no payload expected: resp_len may be NULL */
    assert_int_equal(rpc_call(&w.client, M_ECHO, NULL, 0, NULL, 0, NULL, CALL_NS), 0);
}

static void test_wire_format(void **state)
{
    uint8_t req[5] = { 1, 2, 3, 4, 5 };
    uint8_t msg[MSG_SIZE], resp[RPC_HDR_SIZE + 3];
    uint8_t out[8];
    size_t len = 0;
    uint32_t id;

    (void)state;
    w.auto_serve = false;
    id = next_id();
    assert_int_equal(rpc_call(&w.client, 0x01020304, req, sizeof(req), NULL, 0, NULL, CALL_NS),
                     RPC_E_TIMEOUT);
    assert_int_equal(w.now, T0_NS + CALL_NS);
    assert_int_equal(fq_pop(&w.req, msg), RPC_HDR_SIZE + sizeof(req));
    static const uint8_t want[RPC_HDR_SIZE] = {
        'R', 'P', 1, 1, /* magic, version, type = request */
        0, 0, 0, 0,     /* flags, reserved */
        0, 0, 0, 0,     /* correlation id (checked below) */
        4, 3, 2, 1,     /* method 0x01020304 */
        0, 0, 0, 0,     /* status */
        5, 0, 0, 0,     /* payload length */
    };
    assert_memory_equal(msg, want, 8);
    assert_int_equal(le32(msg + 8), id);
    assert_memory_equal(msg + 12, want + 12, RPC_HDR_SIZE - 12);
    assert_memory_equal(msg + RPC_HDR_SIZE, req, sizeof(req));

    /* a hand-made response; flags and reserved bits set by a newer peer are ignored */
    id = next_id();
    put_resp(resp, id, -1234567, 3);
    resp[4] = 0xff;
    resp[6] = 0xff;
    memcpy(resp + RPC_HDR_SIZE, "abc", 3);
    fq_push(&w.resp, resp, sizeof(resp));
    assert_int_equal(rpc_call(&w.client, 1, NULL, 0, out, sizeof(out), &len, CALL_NS),
                     -1234567);
    assert_int_equal(len, 3);
    assert_memory_equal(out, "abc", 3);
}

static void test_error_propagation(void **state)
{
    char out[16] = { 0 };
    size_t len = 0;
    uint32_t sum;

    (void)state;
    assert_int_equal(rpc_call(&w.client, M_FAIL, NULL, 0, out, sizeof(out), &len, CALL_NS),
                     FAIL_CODE);
    assert_int_equal(len, 4);
    assert_memory_equal(out, "nope", 4);
    assert_int_equal(w.server.stats.errors, 1);
    /* a handler's own argument check comes back too */
    assert_int_equal(rpc_call(&w.client, M_ADD, "x", 1, &sum, sizeof(sum), &len, CALL_NS),
                     RPC_E_INVAL);
    assert_int_equal(w.server.stats.errors, 2);
    assert_int_equal(w.client.stats.completed, 2);
}

static void test_unknown_method(void **state)
{
    size_t len = 7;

    (void)state;
    assert_int_equal(rpc_call(&w.client, M_NONE, "abc", 3, NULL, 0, &len, CALL_NS),
                     RPC_E_NO_METHOD);
    assert_int_equal(len, 0);
    assert_int_equal(w.server.stats.no_method, 1);
    assert_int_equal(w.server.stats.handled, 0);
    assert_null(rpc_server_find(&w.server, M_NONE));
    assert_string_equal(rpc_server_find(&w.server, M_SLEEP)->name, "sleep");
}

static void test_timeout_then_late_response(void **state)
{
    uint64_t ns = 3 * CALL_NS;
    uint32_t sum = 0;

    (void)state;
    uint64_t t = w.now;
    assert_int_equal(rpc_call(&w.client, M_SLEEP, &ns, sizeof(ns), NULL, 0, NULL, CALL_NS),
                     RPC_E_TIMEOUT);
    assert_int_equal(w.client.stats.timeouts, 1);
    assert_int_equal(w.resp.count, 1); /* the late answer is waiting */
    assert_true(w.now >= t + CALL_NS);
    /* the next call drops it and gets its own */
    assert_int_equal(add(20, 22, &sum), RPC_OK);
    assert_int_equal(sum, 42);
    assert_int_equal(w.client.stats.stale, 1);
    assert_int_equal(w.resp.count, 0);
    /* a sleep inside the timeout is no timeout */
    ns = CALL_NS / 2;
    assert_int_equal(rpc_call(&w.client, M_SLEEP, &ns, sizeof(ns), NULL, 0, NULL, CALL_NS),
                     RPC_OK);
    assert_int_equal(w.client.stats.timeouts, 1);
    /* nothing at all within the deadline */
    w.auto_serve = false;
    t = w.now;
    assert_int_equal(add(1, 1, &sum), RPC_E_TIMEOUT);
    assert_int_equal(w.now, t + CALL_NS);
    /* timeout 0 polls: the answer cannot be there yet */
    w.req.count = 0;
    assert_int_equal(rpc_call(&w.client, M_ECHO, NULL, 0, NULL, 0, NULL, RPC_NO_WAIT),
                     RPC_E_TIMEOUT);
    assert_int_equal(w.client.stats.timeouts, 3);
}

static void test_stray_and_malformed_responses(void **state)
{
    uint8_t m[MSG_SIZE];
    uint32_t sum = 0;
    uint32_t id = next_id();

    (void)state;
    put_resp(m, id + 100, RPC_OK, 0); /* late answer to some other call */
    fq_push(&w.resp, m, RPC_HDR_SIZE);
    put_resp(m, id - 1, RPC_OK, 4);
    fq_push(&w.resp, m, RPC_HDR_SIZE + 4);
    put_resp(m, id, RPC_OK, 0);
    fq_push(&w.resp, m, RPC_HDR_SIZE - 1); /* short: cannot be trusted even with our id */
    m[0] = 'X';
    fq_push(&w.resp, m, RPC_HDR_SIZE); /* bad magic */
    assert_int_equal(add(2, 2, &sum), RPC_OK);
    assert_int_equal(sum, 4);
    assert_int_equal(w.client.stats.stale, 2);
    assert_int_equal(w.client.stats.malformed, 2);

    id = next_id();
    put_resp(m, id, RPC_OK, 0);
    m[2] = RPC_VERSION + 1; /* unknown version */
    fq_push(&w.resp, m, RPC_HDR_SIZE);
    put_hdr(m, RPC_TYPE_REQUEST, id, M_ADD, 0, 0); /* a request, not a response */
    fq_push(&w.resp, m, RPC_HDR_SIZE);
    put_resp(m, id + 1, RPC_OK, 9); /* someone else's, wrong length */
    fq_push(&w.resp, m, RPC_HDR_SIZE);
    assert_int_equal(add(5, 5, &sum), RPC_OK);
    assert_int_equal(sum, 10);
    assert_int_equal(w.client.stats.stale, 2);
    assert_int_equal(w.client.stats.malformed, 5);

    /* ours, but its length field disagrees with the message: PROTO at once, no waiting */
    w.auto_serve = false;
    id = next_id();
    put_resp(m, id, RPC_OK, 8);
    fq_push(&w.resp, m, RPC_HDR_SIZE + 4);
    uint64_t t = w.now;
    assert_int_equal(add(1, 2, &sum), RPC_E_PROTO);
    assert_int_equal(w.now, t);
    assert_int_equal(w.client.stats.malformed, 6);
}

static void test_server_malformed_requests(void **state)
{
    uint8_t m[MSG_SIZE], r[MSG_SIZE];

    (void)state;
    put_hdr(m, RPC_TYPE_REQUEST, 77, M_ECHO, 0, 0);
    fq_push(&w.req, m, RPC_HDR_SIZE - 1); /* short */
    m[1] = 'Q';
    fq_push(&w.req, m, RPC_HDR_SIZE); /* bad magic */
    put_hdr(m, RPC_TYPE_RESP, 77, M_ECHO, 0, 0); /* a response sent to the server */
    fq_push(&w.req, m, RPC_HDR_SIZE);
    put_hdr(m, 9, 77, M_ECHO, 0, 0); /* unknown type */
    fq_push(&w.req, m, RPC_HDR_SIZE);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(rpc_serve_one(&w.server, 0), RPC_E_PROTO);
    }
    assert_int_equal(w.resp.count, 0); /* nobody to answer */
    assert_int_equal(w.server.stats.malformed, 4);

    /* length mismatch with an intact header: answered PROTO under the caller's id */
    put_hdr(m, RPC_TYPE_REQUEST, 78, M_ECHO, 0, 10);
    fq_push(&w.req, m, RPC_HDR_SIZE + 3);
    assert_int_equal(rpc_serve_one(&w.server, 0), RPC_E_PROTO);
    assert_int_equal(fq_pop(&w.resp, r), RPC_HDR_SIZE);
    assert_int_equal(r[3], RPC_TYPE_RESP);
    assert_int_equal(le32(r + 8), 78);
    assert_int_equal(le32(r + 12), M_ECHO);
    assert_int_equal((int32_t)le32(r + 16), RPC_E_PROTO);
    assert_int_equal(le32(r + 20), 0);
    assert_int_equal(w.server.stats.malformed, 5);
    assert_int_equal(w.server.stats.requests, 0);
    assert_int_equal(echo_calls, 0);

    /* and the server still works */
    assert_int_equal(rpc_call(&w.client, M_ECHO, "hi", 2, r, sizeof(r), NULL, CALL_NS), 2);
}

static void test_payload_too_large(void **state)
{
    uint8_t big[MAX_PAY + 1] = { 0 }, out[MAX_PAY];
    size_t len = 0;

    (void)state;
    assert_int_equal(rpc_call(&w.client, M_ECHO, big, sizeof(big), out, sizeof(out), &len,
                              CALL_NS),
                     RPC_E_TOO_BIG);
    assert_int_equal(w.req.sends, 0); /* refused before anything was sent */
    assert_int_equal(w.client.stats.refused, 1);
    assert_int_equal(rpc_call(&w.client, M_ECHO, big, MAX_PAY, out, sizeof(out), &len, CALL_NS),
                     MAX_PAY);
    assert_int_equal(len, MAX_PAY);
}

static void test_response_overflow(void **state)
{
    uint8_t in[16] = "0123456789abcde", out[10];
    size_t len = 0;

    (void)state;
    memset(out, 0x5a, sizeof(out));
    assert_int_equal(rpc_call(&w.client, M_ECHO, in, sizeof(in), out, 8, &len, CALL_NS),
                     RPC_E_OVERFLOW);
    assert_int_equal(len, sizeof(in)); /* how much room it would need */
    for (size_t i = 0; i < sizeof(out); i++) {
        assert_int_equal(out[i], 0x5a); /* nothing copied */
    }
    /* an error status wins over a payload with nowhere to go */
    assert_int_equal(rpc_call(&w.client, M_FAIL, NULL, 0, NULL, 0, &len, CALL_NS), FAIL_CODE);
    assert_int_equal(len, 4);
    assert_int_equal(rpc_call(&w.client, M_FAIL, NULL, 0, NULL, 0, NULL, CALL_NS), FAIL_CODE);
}

static void test_handler_overclaims(void **state)
{
    size_t len = 1;

    (void)state;
    assert_int_equal(rpc_call(&w.client, M_LIAR, NULL, 0, NULL, 0, &len, CALL_NS),
                     RPC_E_TOO_BIG);
    assert_int_equal(len, 0);
    assert_int_equal(w.server.stats.bad_handler, 1);
}

static void test_many_calls(void **state)
{
    enum { CALLS = 10000 };
    uint8_t in[MAX_PAY], out[MAX_PAY];
    uint32_t sum, first = next_id();

    (void)state;
    for (uint32_t i = 0; i < CALLS; i++) {
        if (i % 3) {
            assert_int_equal(add(i, 3 * i, &sum), RPC_OK);
            assert_int_equal(sum, 4 * i);
        } else {
            size_t n = i % (MAX_PAY + 1), len = 0;
            memset(in, (int)i, n);
            assert_int_equal(
                rpc_call(&w.client, M_ECHO, in, n, out, sizeof(out), &len, CALL_NS), (int)n);
            assert_int_equal(len, n);
            assert_memory_equal(in, out, n);
        }
    }
    assert_int_equal(w.client.stats.calls, CALLS);
    assert_int_equal(w.client.stats.completed, CALLS);
    assert_int_equal(w.server.stats.requests, CALLS);
    assert_int_equal(w.client.stats.stale + w.client.stats.malformed + w.client.stats.timeouts,
                     0);
    assert_int_equal(next_id(), first + CALLS);
    assert_int_equal(w.now, T0_NS); /* nobody waited */
}

static void test_id_wraps_past_zero(void **state)
{
    uint8_t m[MSG_SIZE];

    (void)state;
    w.auto_serve = false;
    w.client.next_id = UINT32_MAX;
    assert_int_equal(rpc_call(&w.client, M_ECHO, NULL, 0, NULL, 0, NULL, 0), RPC_E_TIMEOUT);
    assert_int_equal(rpc_call(&w.client, M_ECHO, NULL, 0, NULL, 0, NULL, 0), RPC_E_TIMEOUT);
    fq_pop(&w.req, m);
    assert_int_equal(le32(m + 8), UINT32_MAX);
    fq_pop(&w.req, m);
    assert_int_equal(le32(m + 8), 1); /* 0 is skipped */
}

static void test_transport_errors(void **state)
{
    uint8_t junk[RPC_HDR_SIZE] = { 0 };
    uint32_t sum;

    (void)state;
    w.fail_send = RPC_E_DENIED;
    assert_int_equal(add(1, 2, &sum), RPC_E_DENIED);
    assert_int_equal(w.client.stats.transport_errors, 1);
    w.fail_send = 0;

    /* request queue full and nobody serving: the send itself times out */
    w.auto_serve = false;
    for (int i = 0; i < DEPTH; i++) {
        fq_push(&w.req, junk, sizeof(junk));
    }
    assert_int_equal(add(1, 2, &sum), RPC_E_TIMEOUT);
    assert_int_equal(rpc_call(&w.client, M_ECHO, NULL, 0, NULL, 0, NULL, RPC_NO_WAIT),
                     RPC_E_TIMEOUT); /* BUSY with no time to wait is a timeout */
    assert_int_equal(w.client.stats.timeouts, 2);
}

static void test_server_side_waits(void **state)
{
    uint8_t junk[RPC_HDR_SIZE] = { 0 }, m[MSG_SIZE];

    (void)state;
    assert_int_equal(rpc_serve_one(&w.server, 0), RPC_E_BUSY);
    assert_int_equal(rpc_serve_one(&w.server, 5), RPC_E_TIMEOUT);
    assert_int_equal(w.now, T0_NS + 5);

    /* response queue full (the client stopped reading): bounded wait, counted, no hang */
    for (int i = 0; i < DEPTH; i++) {
        fq_push(&w.resp, junk, sizeof(junk));
    }
    put_hdr(m, RPC_TYPE_REQUEST, 5, M_ECHO, 0, 0);
    fq_push(&w.req, m, RPC_HDR_SIZE);
    rpc_server_set_send_timeout(&w.server, 1000);
    assert_int_equal(rpc_serve_one(&w.server, 0), RPC_E_TIMEOUT);
    assert_int_equal(w.server.stats.send_errors, 1);
    assert_int_equal(w.now, T0_NS + 5 + 1000);
}

static void test_stray_flood_ends_at_deadline(void **state)
{
    (void)state;
    w.flood = true;
    w.flood_id = next_id() + 1000;
    assert_int_equal(rpc_call(&w.client, M_ECHO, NULL, 0, NULL, 0, NULL, 0), RPC_E_TIMEOUT);
    assert_true(w.client.stats.stale > 0 && w.client.stats.stale < 100);
}

static void test_forever_and_huge_timeouts(void **state)
{
    uint32_t req[2] = { 40, 2 }, sum = 0;

    (void)state;
    assert_int_equal(rpc_call(&w.client, M_ADD, req, sizeof(req), &sum, sizeof(sum), NULL,
                              RPC_FOREVER),
                     RPC_OK);
    assert_int_equal(sum, 42);
    w.now = UINT64_MAX - 10; /* now + timeout would wrap: treated as no deadline */
    assert_int_equal(rpc_call(&w.client, M_ADD, req, sizeof(req), &sum, sizeof(sum), NULL,
                              UINT64_MAX - 1),
                     RPC_OK);
}

static void test_strerror(void **state)
{
    (void)state;
    assert_string_equal(rpc_strerror(RPC_OK), "OK");
    assert_string_equal(rpc_strerror(RPC_E_TIMEOUT), "TIMEOUT");
    assert_string_equal(rpc_strerror(RPC_E_NO_METHOD), "NO_METHOD");
    assert_string_equal(rpc_strerror(RPC_E_PROTO), "PROTO");
    assert_string_equal(rpc_strerror(RPC_E_TOO_BIG), "TOO_BIG");
    assert_string_equal(rpc_strerror(RPC_E_OVERFLOW), "OVERFLOW");
    assert_string_equal(rpc_strerror(FAIL_CODE), "?");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_init_errors),
        T(test_round_trip),
        T(test_wire_format),
        T(test_error_propagation),
        T(test_unknown_method),
        T(test_timeout_then_late_response),
        T(test_stray_and_malformed_responses),
        T(test_server_malformed_requests),
        T(test_payload_too_large),
        T(test_response_overflow),
        T(test_handler_overclaims),
        T(test_many_calls),
        T(test_id_wraps_past_zero),
        T(test_transport_errors),
        T(test_server_side_waits),
        T(test_stray_flood_ends_at_deadline),
        T(test_forever_and_huge_timeouts),
        T(test_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
