// SPDX-License-Identifier: MIT
/*
 * Guest RPC over two message queues: encoding of the v1 wire format (README.md), the client's
 * call with correlation and deadline, and the server's dispatch. Portable C99 for bare metal,
 * the RTOS, Linux user space and host unit tests: fields are written byte by byte in
 * little-endian order, so neither the host's byte order nor its alignment rules matter, and
 * every wait goes through the transport (the library never spins).
 */
#include "rpc.h"

#include <string.h>

/*
 * Header v1, 24 bytes, little-endian; the payload follows at offset 24, so it stays 8-byte
 * aligned in an aligned buffer (the test guest runs with the MMU off: Device memory, no
 * unaligned access).
 *
 *   0      2      3      4       6         8          12         16       20        24
 *   +------+------+------+-------+---------+----------+----------+--------+---------+-----
 *   |magic | ver  | type | flags | reserved| corr. id | method id| status | pay. len| payload
 *   +------+------+------+-------+---------+----------+----------+--------+---------+-----
 */
#define OFF_MAGIC    0
#define OFF_VERSION  2
#define OFF_TYPE     3
#define OFF_FLAGS    4
#define OFF_RESERVED 6
#define OFF_ID       8
#define OFF_METHOD   12
#define OFF_STATUS   16
#define OFF_LEN      20

#define BYTE_BITS 8
#define BYTE_MASK 0xffU

/* After the deadline, at most this many queued messages are still looked at for ours. */
#define LATE_DRAIN_MAX 16

/* Correlation id seed: a multiplicative hash of the clock (Knuth), never 0. */
#define ID_SEED_MUL 0x9e3779b1U
#define WORD_BITS   32

struct rpc_hdr {
    uint8_t type;
    uint32_t id;
    uint32_t method;
    int32_t status;
    uint32_t len;
};

enum msg_check {
    MSG_OK,         /* well-formed */
    MSG_BAD_LEN,    /* header intact (its id can be trusted), payload length wrong */
    MSG_UNREADABLE, /* short, bad magic or unknown version: nothing in it can be trusted */
};

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v & BYTE_MASK);
    p[1] = (uint8_t)(v >> BYTE_BITS);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)((v >> (i * BYTE_BITS)) & BYTE_MASK);
    }
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << BYTE_BITS));
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v = 0;

    for (int i = 3; i >= 0; i--) {
        v = (v << BYTE_BITS) | p[i];
    }
    return v;
}

static void hdr_encode(uint8_t *p, const struct rpc_hdr *h)
{
    put16(p + OFF_MAGIC, RPC_MAGIC);
    p[OFF_VERSION] = RPC_VERSION;
    p[OFF_TYPE] = h->type;
    put16(p + OFF_FLAGS, 0);    /* v1 defines no flags */
    put16(p + OFF_RESERVED, 0);
    put32(p + OFF_ID, h->id);
    put32(p + OFF_METHOD, h->method);
    put32(p + OFF_STATUS, (uint32_t)h->status);
    put32(p + OFF_LEN, h->len);
}

/* Flags and reserved bits are ignored on receive, so later minor additions stay compatible. */
static enum msg_check hdr_decode(const uint8_t *p, size_t len, struct rpc_hdr *h)
{
    if (len < RPC_HDR_SIZE || get16(p + OFF_MAGIC) != RPC_MAGIC ||
        p[OFF_VERSION] != RPC_VERSION) {
        return MSG_UNREADABLE;
    }
    h->type = p[OFF_TYPE];
    h->id = get32(p + OFF_ID);
    h->method = get32(p + OFF_METHOD);
    h->status = (int32_t)get32(p + OFF_STATUS);
    h->len = get32(p + OFF_LEN);
    return h->len == len - RPC_HDR_SIZE ? MSG_OK : MSG_BAD_LEN;
}

static bool is_aligned(const void *p)
{
    return ((uintptr_t)p % RPC_BUF_ALIGN) == 0;
}

static bool transport_ok(const struct rpc_transport *t)
{
    return t && t->send && t->recv && t->now_ns && t->msg_size > RPC_HDR_SIZE;
}

static uint64_t deadline_after(const struct rpc_transport *t, uint64_t timeout_ns)
{
    uint64_t now = t->now_ns(t->ctx);

    if (timeout_ns == RPC_FOREVER || now + timeout_ns < now) {
        return RPC_FOREVER;
    }
    return now + timeout_ns;
}

/* Time left until deadline, as a transport timeout: 0 once it passed. */
static uint64_t time_left(const struct rpc_transport *t, uint64_t deadline)
{
    uint64_t now;

    if (deadline == RPC_FOREVER) {
        return RPC_FOREVER;
    }
    now = t->now_ns(t->ctx);
    return now >= deadline ? 0 : deadline - now;
}

/* ------------------------------------------------------------------ client */

int rpc_client_init(struct rpc_client *c, const struct rpc_transport *t, void *buf,
                    size_t buf_size)
{
    uint64_t now;

    if (!c || !transport_ok(t) || !buf || !is_aligned(buf) ||
        buf_size < RPC_CLIENT_BUF_SIZE(t->msg_size)) {
        return RPC_E_INVAL;
    }
    memset(c, 0, sizeof(*c));
    c->t = t;
    c->buf = buf;
    c->msg_size = t->msg_size;
    now = t->now_ns(t->ctx);
    c->next_id = ((uint32_t)now ^ (uint32_t)(now >> WORD_BITS)) * ID_SEED_MUL;
    return RPC_OK;
}

static uint32_t new_id(struct rpc_client *c)
{
    if (c->next_id == 0) {
        c->next_id++; /* 0 is never used: a zeroed message cannot match a call */
    }
    return c->next_id++;
}

/* BUSY means "would block, no time left": for a call, both are the deadline passing. */
static int call_failed(struct rpc_client *c, int r)
{
    if (r == RPC_E_BUSY || r == RPC_E_TIMEOUT) {
        c->stats.timeouts++;
        return RPC_E_TIMEOUT;
    }
    c->stats.transport_errors++;
    return r;
}

/*
 * Look at one received message of len bytes: *mine tells whether it answered call id; if so
 * the result is the call's. Anything else is counted and dropped.
 */
static int take_response(struct rpc_client *c, uint32_t id, size_t len, void *resp,
                         size_t resp_cap, size_t *resp_len, bool *mine)
{
    struct rpc_hdr h;
    enum msg_check m = len <= c->msg_size ? hdr_decode(c->buf, len, &h) : MSG_UNREADABLE;

    *mine = false;
    if (m == MSG_UNREADABLE || h.type != RPC_TYPE_RESP) {
        c->stats.malformed++;
        return RPC_E_PROTO;
    }
    if (h.id != id) {
        if (m == MSG_OK) {
            c->stats.stale++;
        } else {
            c->stats.malformed++;
        }
        return RPC_E_PROTO;
    }
    *mine = true;
    if (m == MSG_BAD_LEN) {
        c->stats.malformed++; /* ours, but its payload cannot be trusted */
        return RPC_E_PROTO;
    }
    c->stats.completed++;
    if (resp_len) {
        *resp_len = h.len;
    }
    if (h.len > resp_cap) {
        /* a failure's details may be lost, but never its status */
        return h.status < 0 ? h.status : RPC_E_OVERFLOW;
    }
    if (h.len) {
        memcpy(resp, c->buf + RPC_HDR_SIZE, h.len);
    }
    return h.status;
}

int rpc_call(struct rpc_client *c, uint32_t method, const void *req, size_t req_len, void *resp,
             size_t resp_cap, size_t *resp_len, uint64_t timeout_ns)
{
    const struct rpc_transport *t;
    struct rpc_hdr h;
    uint64_t deadline;
    unsigned late = 0;
    int r;

    if (!c || !c->t) {
        return RPC_E_INVAL;
    }
    t = c->t;
    c->stats.calls++;
    if (resp_len) {
        *resp_len = 0;
    }
    if ((req_len && !req) || (resp_cap && !resp)) {
        c->stats.refused++;
        return RPC_E_INVAL;
    }
    if (req_len > RPC_MAX_PAYLOAD(c->msg_size)) {
        c->stats.refused++;
        return RPC_E_TOO_BIG;
    }

    deadline = deadline_after(t, timeout_ns);
    h = (struct rpc_hdr){ .type = RPC_TYPE_REQUEST, .id = new_id(c), .method = method,
                          .status = RPC_OK, .len = (uint32_t)req_len };
    hdr_encode(c->buf, &h);
    if (req_len) {
        memcpy(c->buf + RPC_HDR_SIZE, req, req_len);
    }
    r = t->send(t->ctx, c->buf, RPC_HDR_SIZE + req_len, time_left(t, deadline));
    if (r) {
        return call_failed(c, r);
    }

    /* The buffer is free again: it now receives until our response (or the deadline) comes. */
    for (;;) {
        uint64_t left = time_left(t, deadline);
        size_t len = 0;
        bool mine;

        r = t->recv(t->ctx, c->buf, c->msg_size, &len, left);
        if (r) {
            return call_failed(c, r);
        }
        r = take_response(c, h.id, len, resp, resp_cap, resp_len, &mine);
        if (mine) {
            return r;
        }
        /* a stream of strays cannot keep us past the deadline for long */
        if (left == 0 && ++late >= LATE_DRAIN_MAX) {
            return call_failed(c, RPC_E_TIMEOUT);
        }
    }
}

/* ------------------------------------------------------------------ server */

int rpc_server_init(struct rpc_server *s, const struct rpc_transport *t,
                    const struct rpc_method table[], size_t n, void *buf, size_t buf_size)
{
    if (!s || !transport_ok(t) || (n && !table) || !buf || !is_aligned(buf) ||
        buf_size < RPC_SERVER_BUF_SIZE(t->msg_size)) {
        return RPC_E_INVAL;
    }
    for (size_t i = 0; i < n; i++) {
        if (!table[i].handler) {
            return RPC_E_INVAL;
        }
        for (size_t j = 0; j < i; j++) {
            if (table[j].id == table[i].id) {
                return RPC_E_INVAL; /* the second could never be reached */
            }
        }
    }
    memset(s, 0, sizeof(*s));
    s->t = t;
    s->methods = table;
    s->method_count = n;
    s->msg_size = t->msg_size;
    s->rx = buf;
    s->tx = (uint8_t *)buf + RPC_ROUND_ALIGN(t->msg_size);
    s->send_timeout_ns = RPC_SERVER_SEND_TIMEOUT_NS;
    return RPC_OK;
}

void rpc_server_set_send_timeout(struct rpc_server *s, uint64_t timeout_ns)
{
    s->send_timeout_ns = timeout_ns;
}

const struct rpc_method *rpc_server_find(const struct rpc_server *s, uint32_t id)
{
    for (size_t i = 0; i < s->method_count; i++) {
        if (s->methods[i].id == id) {
            return &s->methods[i];
        }
    }
    return NULL;
}

/* Send the response to req with status and the len payload bytes already in s->tx. */
static int respond(struct rpc_server *s, const struct rpc_hdr *req, int32_t status, size_t len)
{
    struct rpc_hdr h = { .type = RPC_TYPE_RESP, .id = req->id, .method = req->method,
                         .status = status, .len = (uint32_t)len };
    int r;

    hdr_encode(s->tx, &h);
    r = s->t->send(s->t->ctx, s->tx, RPC_HDR_SIZE + len, s->send_timeout_ns);
    if (r) {
        s->stats.send_errors++;
    }
    return r;
}

int rpc_serve_one(struct rpc_server *s, uint64_t timeout_ns)
{
    const struct rpc_method *m;
    struct rpc_hdr h;
    enum msg_check chk;
    size_t len = 0, out = 0, cap = RPC_MAX_PAYLOAD(s->msg_size);
    int32_t status;
    int r = s->t->recv(s->t->ctx, s->rx, s->msg_size, &len, timeout_ns);

    if (r) {
        return r;
    }
    chk = len <= s->msg_size ? hdr_decode(s->rx, len, &h) : MSG_UNREADABLE;
    if (chk == MSG_UNREADABLE || h.type != RPC_TYPE_REQUEST) {
        s->stats.malformed++;
        return RPC_E_PROTO;
    }
    if (chk == MSG_BAD_LEN) {
        /* the caller is waiting for this id: tell it now rather than let it time out */
        s->stats.malformed++;
        r = respond(s, &h, RPC_E_PROTO, 0);
        return r ? r : RPC_E_PROTO;
    }
    s->stats.requests++;
    m = rpc_server_find(s, h.method);
    if (!m) {
        s->stats.no_method++;
        return respond(s, &h, RPC_E_NO_METHOD, 0);
    }
    status = m->handler(m->ctx, s->rx + RPC_HDR_SIZE, h.len, s->tx + RPC_HDR_SIZE, cap, &out);
    s->stats.handled++;
    if (out > cap) {
        s->stats.bad_handler++; /* a handler bug: send none of what it claims */
        status = RPC_E_TOO_BIG;
        out = 0;
    } else if (status < 0) {
        s->stats.errors++;
    }
    return respond(s, &h, status, out);
}

const char *rpc_strerror(int code)
{
    switch (code) {
    case RPC_OK: return "OK";
    case RPC_E_NOT_SUPPORTED: return "NOT_SUPPORTED";
    case RPC_E_INVAL: return "INVAL";
    case RPC_E_DENIED: return "DENIED";
    case RPC_E_BUSY: return "BUSY";
    case RPC_E_NOENT: return "NOENT";
    case RPC_E_RANGE: return "RANGE";
    case RPC_E_TIMEOUT: return "TIMEOUT";
    case RPC_E_NO_METHOD: return "NO_METHOD";
    case RPC_E_PROTO: return "PROTO";
    case RPC_E_TOO_BIG: return "TOO_BIG";
    case RPC_E_OVERFLOW: return "OVERFLOW";
    default: return "?";
    }
}
