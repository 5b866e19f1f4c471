// SPDX-License-Identifier: MIT
/*
 * bhctl --remote (bhctl.h): the transport that asks bhmgmtd over HTTP instead of the
 * management device, so every command, its output and its exit status stay bhctl_run's.
 * SNAPSHOT is GET /v1/stats, EVENTS is GET /v1/events?cursor=N, an operation is
 * POST /v1/vms/NAME/OP; their JSON (bhctl's own --json) is read back into bhctl's
 * structures. The answers come from the network: the whole exchange has one deadline, the
 * answer a size limit, and every field is checked (bhjson.c, and the same bounds as
 * bhctl_data.c's for the device's pages).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bhctl.h"
#include "bhhttp.h"
#include "bhjson.h"
#include "bhtls.h"

#define RESP_MAX (1u << 20) /* an events batch is ~100 KiB at worst */

static struct {
    struct sockaddr_storage addr;
    socklen_t alen;
    char hostport[64];
    char token[BHHTTP_TOKEN_MAX + 1];
    bool tls; /* --cert given */
    /* VM index -> name from the last snapshot: an operation names its VM in the path */
    uint32_t vm_count;
    struct {
        uint32_t id;
        char name[BH_MGMT_NAME_MAX];
    } vms[BHCTL_VMS_MAX];
} rs;

static char resp[RESP_MAX + 1];


static int set_addr(const char *hostport, char *err, size_t errlen)
{
    char host[64];
    const char *colon = strrchr(hostport, ':');
    unsigned long port;
    char *end;

    if (!colon || (size_t)(colon - hostport) >= sizeof(host) || colon == hostport) {
        snprintf(err, errlen, "--remote: '%s' is not HOST:PORT", hostport);
        return BHCTL_EXIT_USAGE;
    }
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    errno = 0;
    port = strtoul(colon + 1, &end, 10);
    if (errno || !colon[1] || *end || colon[1] == '-' || port == 0 || port > 65535) {
        snprintf(err, errlen, "--remote: '%s' is not a port", colon + 1);
        return BHCTL_EXIT_USAGE;
    }
    memset(&rs.addr, 0, sizeof(rs.addr));
    struct sockaddr_in *a4 = (struct sockaddr_in *)&rs.addr;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&rs.addr;
    size_t hl = strlen(host);
    if (!strcmp(host, "localhost")) {
        snprintf(host, sizeof(host), "127.0.0.1");
    }
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        rs.alen = sizeof(*a4);
    } else if (hl > 2 && host[0] == '[' && host[hl - 1] == ']' &&
               (host[hl - 1] = '\0', inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1)) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        rs.alen = sizeof(*a6);
    } else {
        snprintf(err, errlen, "--remote: '%s' is not an IP address (or localhost)", host);
        return BHCTL_EXIT_USAGE;
    }
    snprintf(rs.hostport, sizeof(rs.hostport), "%s", hostport);
    return 0;
}

int bhctl_remote_setup(const char *hostport, const char *token_file, const char *cert_file,
                       char *err, size_t errlen)
{
    char buf[BHHTTP_TOKEN_MAX + 8];
    size_t n = 0;
    int r = set_addr(hostport, err, errlen);

    if (r) {
        return r;
    }
    rs.tls = false;
    if (cert_file) {
        if (bhtls_client_pin(cert_file, err, errlen) != 0) {
            return BHCTL_EXIT_USAGE;
        }
        rs.tls = true;
    }
    if (token_file) {
        int fd = open(token_file, O_RDONLY | O_CLOEXEC);
        ssize_t got = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        if (fd >= 0) {
            close(fd);
        }
        if (got < 0) {
            snprintf(err, errlen, "--token %s: %s", token_file, strerror(errno));
            return BHCTL_EXIT_USAGE;
        }
        n = (size_t)got;
    } else {
        const char *env = getenv("BHCTL_TOKEN");
        if (!env) {
            snprintf(err, errlen, "--remote needs a token: --token FILE or $BHCTL_TOKEN");
            return BHCTL_EXIT_USAGE;
        }
        n = strnlen(env, sizeof(buf) - 1);
        memcpy(buf, env, n);
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) {
        n--;
    }
    /* visible ASCII only: the token goes into a header line */
    if (!bhhttp_token_valid(buf, n)) {
        snprintf(err, errlen, "the token must be %u..%u visible ASCII bytes", BHHTTP_TOKEN_MIN,
                 BHHTTP_TOKEN_MAX);
        return BHCTL_EXIT_USAGE;
    }
    memcpy(rs.token, buf, n);
    rs.token[n] = '\0';
    memset(buf, 0, sizeof(buf));
    return 0;
}

static uint64_t now_ms(void)
{
    return bhtls_now_ms();
}

/* Wait for events on fd until the deadline: false on timeout or error. */
static bool wait_fd(int fd, short events, uint64_t deadline)
{
    for (;;) {
        uint64_t t = now_ms();
        struct pollfd pf = { .fd = fd, .events = events };
        if (t >= deadline) {
            return false;
        }
        int r = poll(&pf, 1, (int)(deadline - t));
        if (r > 0) {
            return true;
        }
        if (r < 0 && errno != EINTR) {
            return false;
        }
    }
}

/* A connected socket (non-blocking) to the daemon in *fd. 0 or an exit code. */
static int http_connect(struct bhctl_transport *t, uint64_t deadline, int *fd)
{
    int err = 0;
    socklen_t el = sizeof(err);

    *fd = socket(rs.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (*fd < 0) {
        return bhctl_fail(t, BHCTL_EXIT_ERROR, "socket: %s", strerror(errno));
    }
    if ((connect(*fd, (struct sockaddr *)&rs.addr, rs.alen) != 0 && errno != EINPROGRESS) ||
        !wait_fd(*fd, POLLOUT, deadline) || getsockopt(*fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 ||
        err != 0) {
        int e = err ? err : errno ? errno : ETIMEDOUT;
        close(*fd);
        return bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: cannot connect: %s", rs.hostport, strerror(e));
    }
    return 0;
}

/* The answer, until the daemon closes (at most RESP_MAX bytes), into resp; its length. */
static int http_receive(struct bhctl_transport *t, int fd, uint64_t deadline, size_t *len)
{
    *len = 0;
    for (;;) {
        ssize_t r = recv(fd, resp + *len, RESP_MAX - *len, 0);
        if (r > 0) {
            *len += (size_t)r;
            if (*len == RESP_MAX) {
                return bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: answer larger than %u bytes",
                                  rs.hostport, RESP_MAX);
            }
        } else if (r == 0) {
            resp[*len] = '\0';
            return 0;
        } else if ((errno != EAGAIN && errno != EINTR) || !wait_fd(fd, POLLIN, deadline)) {
            return bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: no (whole) answer in %u ms",
                              rs.hostport, BHCTL_REMOTE_TIMEOUT_MS);
        }
    }
}

/* One request; the answer's status and body (inside resp). 0 or an exit code. */
static int http(struct bhctl_transport *t, const char *method, const char *path, int *status,
                const char **body, size_t *body_len)
{
    uint64_t deadline = now_ms() + BHCTL_REMOTE_TIMEOUT_MS;
    char req[BHHTTP_TARGET_MAX + BHHTTP_TOKEN_MAX + 256];
    size_t len = 0;
    int fd, r;
    int n = snprintf(req, sizeof(req),
                     "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
                     "Content-Length: 0\r\nConnection: close\r\nAccept: application/json\r\n\r\n",
                     method, path, rs.hostport, rs.token);

    if (n < 0 || (size_t)n >= sizeof(req)) {
        return bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: request too long", rs.hostport);
    }
    if ((r = http_connect(t, deadline, &fd)) != 0) {
        return r;
    }
    if (rs.tls) {
        char msg[sizeof(t->err) - sizeof(rs.hostport) - 2];
        r = bhtls_client_exchange(fd, req, (size_t)n, resp, RESP_MAX, &len, deadline, msg,
                                  sizeof(msg));
        memset(req, 0, sizeof(req));
        close(fd);
        if (r) {
            return bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: %s", rs.hostport, msg);
        }
        resp[len] = '\0';
        return bhhttp_parse_response(resp, len, status, body, body_len) == 0
                   ? 0
                   : bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: not an HTTP answer", rs.hostport);
    }
    for (size_t off = 0; off < (size_t)n && !r;) {
        ssize_t w = send(fd, req + off, (size_t)n - off, MSG_NOSIGNAL);
        if (w > 0) {
            off += (size_t)w;
        } else if ((w < 0 && errno != EAGAIN && errno != EINTR) ||
                   !wait_fd(fd, POLLOUT, deadline)) {
            r = bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: sending: %s", rs.hostport, strerror(errno));
        }
    }
    memset(req, 0, sizeof(req)); /* the token */
    r = r ? r : http_receive(t, fd, deadline, &len);
    close(fd);
    if (r) {
        return r;
    }
    if (bhhttp_parse_response(resp, len, status, body, body_len) != 0) {
        return bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: not an HTTP answer", rs.hostport);
    }
    return 0;
}

/* ------------------------------------------------------------------ error answers */

struct err_body {
    char error[128];
    int64_t exit_code, code; /* -1 / 1: absent */
};

static int err_cb(void *ctx, const struct bhjson_path *p, const struct bhjson_val *v)
{
    struct err_body *e = ctx;

    if (p->depth != 1) {
        return 0;
    }
    if (!strcmp(p->at[0].key, "error") && v->type == BHJSON_STR) {
        snprintf(e->error, sizeof(e->error), "%s", v->s);
    } else if (!strcmp(p->at[0].key, "exit") && v->type == BHJSON_UINT && v->u <= 255) {
        e->exit_code = (int64_t)v->u;
    } else if (!strcmp(p->at[0].key, "code") && v->type == BHJSON_NEG && v->u <= 255) {
        e->code = -(int64_t)v->u;
    } else if (!strcmp(p->at[0].key, "code") && v->type == BHJSON_UINT && v->u == 0) {
        e->code = 0;
    }
    return 0;
}

/* A non-200 answer as an exit code with its message (bhctl's codes are mirrored by the
 * daemon's "exit"; the HTTP status alone when the body says nothing usable). */
static int remote_error(struct bhctl_transport *t, int status, const char *body, size_t len,
                        struct err_body *e)
{
    *e = (struct err_body){ .exit_code = -1, .code = 1 };
    (void)bhjson_parse(body, len, err_cb, e);
    for (char *c = e->error; *c; c++) {
        *c = (unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f ? '?' : *c;
    }
    if (status == 401) {
        return bhctl_fail(t, BHCTL_EXIT_AUTH, "%s refused the token (%s)", rs.hostport,
                          e->error[0] ? e->error : "401");
    }
    int code = e->exit_code > 0 && e->exit_code <= BHCTL_EXIT_AUTH ? (int)e->exit_code
               : status == 403 ? BHCTL_EXIT_DENIED
               : status == 404 ? BHCTL_EXIT_NOENT
               : status == 409 ? BHCTL_EXIT_STATE
               : status == 501 ? BHCTL_EXIT_UNSUPPORTED
                               : BHCTL_EXIT_ERROR;
    return bhctl_fail(t, code, "%s: %d %s%s%s", rs.hostport, status, bhhttp_reason(status),
                      e->error[0] ? ": " : "", e->error);
}

/* ------------------------------------------------------------------ the transport */

static int r_open(struct bhctl_transport *t)
{
    if (rs.alen == 0) {
        return bhctl_fail(t, BHCTL_EXIT_USAGE, "remote transport not set up");
    }
    return 0;
}

static int r_snapshot(struct bhctl_transport *t, struct bhctl_snap *out)
{
    const char *body;
    size_t len;
    int status;
    struct err_body e;

    int r = http(t, "GET", "/v1/stats", &status, &body, &len);
    if (r) {
        return r;
    }
    if (status != 200) {
        return remote_error(t, status, body, len, &e);
    }
    if (bhctl_remote_snap_json(body, len, out) != 0) {
        return bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: malformed statistics", rs.hostport);
    }
    rs.vm_count = out->vm_count;
    for (uint32_t i = 0; i < out->vm_count; i++) {
        rs.vms[i].id = out->vm[i].id;
        memcpy(rs.vms[i].name, out->vm[i].name, BH_MGMT_NAME_MAX);
    }
    return 0;
}

static int r_events(struct bhctl_transport *t, uint64_t cursor, struct bhctl_evbatch *out)
{
    char path[64];
    const char *body;
    size_t len;
    int status;
    struct err_body e;

    snprintf(path, sizeof(path), "/v1/events?cursor=%llu", (unsigned long long)cursor);
    int r = http(t, "GET", path, &status, &body, &len);
    if (r) {
        return r;
    }
    if (status != 200) {
        return remote_error(t, status, body, len, &e);
    }
    if (bhctl_remote_evt_json(body, len, out) != 0 || out->first != cursor) {
        return bhctl_fail(t, BHCTL_EXIT_ERROR, "%s: malformed event batch", rs.hostport);
    }
    return 0;
}

static int32_t r_op(struct bhctl_transport *t, uint32_t vm, enum bhctl_op op)
{
    char name[BH_MGMT_NAME_MAX * 3 + 1], path[BHHTTP_TARGET_MAX];
    const char *body;
    size_t len;
    int status;
    struct err_body e;

    snprintf(name, sizeof(name), "%u", vm);
    for (uint32_t i = 0; i < rs.vm_count; i++) {
        if (rs.vms[i].id == vm && rs.vms[i].name[0]) {
            bhhttp_pct_encode(rs.vms[i].name, name, sizeof(name)); /* 15 bytes: it fits */
        }
    }
    snprintf(path, sizeof(path), "/v1/vms/%s/%s", name, bhctl_op_name(op));
    if (http(t, "POST", path, &status, &body, &len) != 0) {
        return BH_E_TIMEOUT; /* "error (answer -7)": no answer from the device at all */
    }
    if (status == 200) {
        return BH_OK;
    }
    int r = remote_error(t, status, body, len, &e);
    if (e.code <= 0) {
        return (int32_t)e.code; /* the device's own answer, passed on */
    }
    static const int32_t by_exit[] = {
        [BHCTL_EXIT_DENIED] = BH_E_DENIED, [BHCTL_EXIT_NOENT] = BH_E_NOENT,
        [BHCTL_EXIT_STATE] = BH_E_INVAL,   [BHCTL_EXIT_BUSY] = BH_E_BUSY,
        [BHCTL_EXIT_UNSUPPORTED] = BH_E_NOT_SUPPORTED,
    };
    return r > 0 && (size_t)r < sizeof(by_exit) / sizeof(by_exit[0]) && by_exit[r] ? by_exit[r]
                                                                                   : BH_E_TIMEOUT;
}

static void r_close(struct bhctl_transport *t)
{
    (void)t;
}

struct bhctl_transport bhctl_remote_transport = {
    .name = "remote",
    .open = r_open,
    .snapshot = r_snapshot,
    .events = r_events,
    .op = r_op,
    .close = r_close,
};
