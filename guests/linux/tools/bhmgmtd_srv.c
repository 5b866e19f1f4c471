// SPDX-License-Identifier: MIT
/*
 * bhmgmtd's connections (bhmgmtd.h): up to BHMGMTD_CONNS_MAX requests are read at once with
 * poll, each into a fixed buffer and against its own deadline from accept, so a client that
 * sends its head a byte at a time (slowloris) holds one slot for the timeout and no more, and
 * the others are served meanwhile. A complete request is answered at once (the answers are
 * small and come from the management device, no waiting), then the connection is closed:
 * one request per connection, Connection: close.
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
    char buf[CONN_BUF];
};

static struct conn conns[BHMGMTD_CONNS_MAX];

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
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

void bhmgmtd_respond(int fd, const struct bhmgmtd_answer *ans, uint32_t timeout_ms)
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

    send_all(fd, head, (size_t)n, deadline);
    send_all(fd, ans->body ? ans->body : "", ans->len, deadline);
}

/* Answer with a status of our own (no routing): bad heads, timeouts, refusals. */
static void respond_status(int fd, int status, const char *msg, uint32_t timeout_ms)
{
    char body[256];
    int n = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"exit\":%d}\n", msg,
                     BHCTL_EXIT_USAGE);
    struct bhmgmtd_answer ans = { .status = status, .body = body, .len = (size_t)n };

    bhmgmtd_respond(fd, &ans, timeout_ms);
}

/* Close after our answer: stop sending, read (briefly, boundedly) what the client still
 * sends, so the close does not reset the connection before the answer is read. */
static void conn_close(struct conn *c)
{
    char sink[4096];
    uint64_t deadline = now_ms() + DRAIN_MS;
    size_t drained = 0;

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

/* Data arrived on c: read it, and answer once the request is complete or cannot be. */
static void conn_read(struct bhmgmtd *d, struct conn *c)
{
    struct bhhttp_req req;
    struct bhmgmtd_answer ans;

    ssize_t r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        return;
    }
    if (r <= 0) { /* closed (or reset) before a whole request: nothing to answer */
        close(c->fd);
        c->fd = -1;
        return;
    }
    c->len += (size_t)r;
    int st = bhhttp_parse_request(c->buf, c->len, &req);
    if (st == BHHTTP_MORE) {
        return;
    }
    if (st != 0) {
        d->bad_requests++;
        respond_status(c->fd, st, status_msg(st), d->timeout_ms);
        conn_close(c);
        return;
    }
    if (c->len - req.head_len < req.content_length) {
        return; /* the body (at most BHHTTP_BODY_MAX, it fits) is not all here */
    }
    bhmgmtd_handle(d, &req, &ans);
    bhmgmtd_respond(c->fd, &ans, d->timeout_ms);
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
            return;
        }
    }
    d->refused++;
    respond_status(fd, 503, "too many connections", 0); /* best effort, never waits */
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
                respond_status(c->fd, 408, "request not complete in time", 0);
                conn_close(c);
            }
            if (c->fd >= 0) {
                wait = c->deadline_ms - t < wait ? c->deadline_ms - t : wait;
                pc[n] = c;
                pf[n++] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
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
