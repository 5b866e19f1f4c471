// SPDX-License-Identifier: MIT
/*
 * bhmgmtd's connections (bhmgmtd.h): up to BHMGMTD_CONNS_MAX requests are read at once with
 * poll, each into a fixed buffer and against its own deadline from accept, so a client that
 * sends its head a byte at a time (slowloris) holds one slot for the timeout and no more, and
 * the others are served meanwhile. A complete request is answered at once (the answers are
 * small and come from the management device, no waiting), then the connection is closed:
 * one request per connection, Connection: close. With TLS (d->tls), the same on top of
 * bhtls_pump: the handshake and the request's records are read as they come, the deadline
 * covers both.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bhmgmtd.h"

#define CONN_BUF     (BHHTTP_HEAD_MAX + BHHTTP_BODY_MAX)
#define POLL_TICK_MS 200 /* how soon *stop is noticed */
#define DRAIN_MS     100 /* reading what the client still sends after our answer */

struct conn {
    int fd; /* -1: free */
    size_t len;
    uint64_t deadline_ms;
    struct bhtls_sconn *tls; /* NULL: plain */
    char buf[CONN_BUF];
};

static struct conn conns[BHMGMTD_CONNS_MAX];
static struct bhtls_sconn tls_conns[BHMGMTD_CONNS_MAX]; /* ~34 KiB each: BearSSL's buffers */

static uint64_t now_ms(void)
{
    return bhtls_now_ms();
}

static void send_all(int fd, const char *p, size_t n, uint64_t deadline)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        uint64_t t = now_ms();
        if ((w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) || t >= deadline) {
            return; /* the client is gone or does not read: give up on it */
        }
        struct pollfd pf = { .fd = fd, .events = POLLOUT };
        poll(&pf, 1, (int)(deadline - t));
    }
}

/* Bytes to the client, in clear or through TLS, until the deadline. */
static void conn_write(struct conn *c, const char *p, size_t n, uint64_t deadline)
{
    if (c->tls) {
        (void)bhtls_write(c->tls, p, n, deadline);
    } else {
        send_all(c->fd, p, n, deadline);
    }
}

static void respond(struct conn *c, const struct bhmgmtd_answer *ans, uint32_t timeout_ms)
{
    char head[512];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\nCache-Control: no-store\r\n"
                     "%s%s%s%s\r\n",
                     ans->status, bhhttp_reason(ans->status), ans->len,
                     ans->status == 401 ? "WWW-Authenticate: Bearer realm=\"bulkhead\"\r\n" : "",
                     ans->allow ? "Allow: " : "", ans->allow ? ans->allow : "",
                     ans->allow ? "\r\n" : "");
    uint64_t deadline = now_ms() + timeout_ms;

    conn_write(c, head, (size_t)n, deadline);
    conn_write(c, ans->body ? ans->body : "", ans->len, deadline);
}

/* Answer with a status of our own (no routing): bad heads, timeouts, refusals. */
static void respond_status(struct conn *c, int status, const char *msg, uint32_t timeout_ms)
{
    char body[256];
    int n = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"exit\":%d}\n", msg,
                     BHCTL_EXIT_USAGE);
    struct bhmgmtd_answer ans = { .status = status, .body = body, .len = (size_t)n };

    respond(c, &ans, timeout_ms);
}

/* Close after our answer: stop sending, read (briefly, boundedly) what the client still
 * sends, so the close does not reset the connection before the answer is read. */
static void conn_close(struct conn *c)
{
    char sink[4096];
    uint64_t deadline = now_ms() + DRAIN_MS;
    size_t drained = 0;

    if (c->tls) {
        bhtls_finish(c->tls, deadline);
    }
    shutdown(c->fd, SHUT_WR);
    while (drained < 16 * sizeof(sink)) {
        uint64_t t = now_ms();
        struct pollfd pf = { .fd = c->fd, .events = POLLIN };
        if (t >= deadline || poll(&pf, 1, (int)(deadline - t)) <= 0) {
            break;
        }
        ssize_t r = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);
        if (r <= 0) {
            break;
        }
        drained += (size_t)r;
    }
    close(c->fd);
    c->fd = -1;
}

static const char *status_msg(int status)
{
    switch (status) {
    case 413: return "request body too large (1 KiB at most)";
    case 414: return "request target too long";
    case 431: return "request head too large (8 KiB at most)";
    case 501: return "Transfer-Encoding is not supported";
    case 505: return "HTTP/1.0 or HTTP/1.1 only";
    default: return "malformed request";
    }
}

/* What the socket has into c->buf: 0 (maybe nothing new), -1 when the connection is over,
 * or 431 when TLS brought more than the buffer holds. */
static int conn_recv(struct conn *c)
{
    if (c->tls) {
        int r = bhtls_pump(c->tls, c->buf, sizeof(c->buf), &c->len);
        return r == -2 ? 431 : r;
    }
    ssize_t r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        return 0;
    }
    if (r <= 0) {
        return -1;
    }
    c->len += (size_t)r;
    return 0;
}

/* Data arrived on c: read it, and answer once the request is complete or cannot be. */
static void conn_read(struct bhmgmtd *d, struct conn *c)
{
    struct bhhttp_req req;
    struct bhmgmtd_answer ans;

    size_t before = c->len;
    int st = conn_recv(c);
    if (st < 0) { /* closed, reset, or a TLS failure before a whole request: no answer */
        close(c->fd);
        c->fd = -1;
        return;
    }
    if (st == 0 && c->len == before) {
        return;
    }
    if (st == 0) {
        st = bhhttp_parse_request(c->buf, c->len, &req);
    }
    if (st == BHHTTP_MORE) {
        return;
    }
    if (st != 0) {
        d->bad_requests++;
        respond_status(c, st, status_msg(st), d->timeout_ms);
        conn_close(c);
        return;
    }
    if (c->len - req.head_len < req.content_length) {
        return; /* the body (at most BHHTTP_BODY_MAX, it fits) is not all here */
    }
    bhmgmtd_handle(d, &req, &ans);
    respond(c, &ans, d->timeout_ms);
    free(ans.body);
    conn_close(c);
}

static void conn_accept(struct bhmgmtd *d, int listen_fd)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (fd < 0) {
        return;
    }
    for (size_t i = 0; i < BHMGMTD_CONNS_MAX; i++) {
        if (conns[i].fd < 0) {
            conns[i].fd = fd;
            conns[i].len = 0;
            conns[i].deadline_ms = now_ms() + d->timeout_ms;
            conns[i].tls = NULL;
            if (d->tls) {
                conns[i].tls = &tls_conns[i];
                bhtls_server_begin(d->tls, conns[i].tls, fd);
            }
            return;
        }
    }
    d->refused++;
    if (!d->tls) { /* TLS cannot say it without a slot: just closed */
        struct conn tmp = { .fd = fd };
        respond_status(&tmp, 503, "too many connections", 0); /* best effort, never waits */
    }
    close(fd);
}

int bhmgmtd_serve(struct bhmgmtd *d, int listen_fd)
{
    struct pollfd pf[BHMGMTD_CONNS_MAX + 1];
    struct conn *pc[BHMGMTD_CONNS_MAX + 1];

    for (size_t i = 0; i < BHMGMTD_CONNS_MAX; i++) {
        conns[i].fd = -1;
    }
    while (!(d->stop && *d->stop)) {
        uint64_t t = now_ms(), wait = POLL_TICK_MS;
        nfds_t n = 0;
        pf[n++] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
        for (size_t i = 0; i < BHMGMTD_CONNS_MAX; i++) {
            struct conn *c = &conns[i];
            if (c->fd >= 0 && t >= c->deadline_ms) {
                d->timeouts++;
                respond_status(c, 408, "request not complete in time", 0);
                conn_close(c);
            }
            if (c->fd >= 0) {
                wait = c->deadline_ms - t < wait ? c->deadline_ms - t : wait;
                pc[n] = c;
                short ev = POLLIN | (c->tls && bhtls_wants_write(c->tls) ? POLLOUT : 0);
                pf[n++] = (struct pollfd){ .fd = c->fd, .events = ev };
            }
        }
        int r = poll(pf, n, (int)wait);
        if (r < 0 && errno != EINTR) {
            return -1;
        }
        for (nfds_t i = 1; r > 0 && i < n; i++) {
            if (pf[i].revents) {
                conn_read(d, pc[i]);
            }
        }
        if (r > 0 && pf[0].revents & POLLIN) {
            conn_accept(d, listen_fd);
        }
    }
    for (size_t i = 0; i < BHMGMTD_CONNS_MAX; i++) {
        if (conns[i].fd >= 0) {
            close(conns[i].fd);
            conns[i].fd = -1;
        }
    }
    return 0;
}
