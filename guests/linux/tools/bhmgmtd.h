/* SPDX-License-Identifier: MIT */
/*
 * bhmgmtd, the remote management service of a Linux manager VM (docs/MANAGEMENT.md "Remote
 * API"): HTTP/1.1 with JSON bodies on a TCP port, answered with bhctl's own commands and
 * formats on a struct bhctl_transport (the management device in the VM; the fake one in the
 * unit tests).
 *   bhhttp.c        request and response heads (hostile input, bounded)
 *   bhmgmtd_api.c   authentication, routing, bhctl's answers as HTTP statuses and bodies
 *   bhmgmtd_srv.c   the connections: poll, per-connection deadline, limits
 *   bhtls.c         TLS (BearSSL), when the daemon is given a certificate and key
 *   bhmgmtd.c       the Linux entry point (options, token, socket)
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "bhctl.h"
#include "bhhttp.h"
#include "bhtls.h"

#define BHMGMTD_DEF_PORT       8080u
#define BHMGMTD_DEF_TIMEOUT_MS 5000u /* from accept to a complete request */
#define BHMGMTD_CONNS_MAX      8u    /* connections being read at once; more are refused */

struct bhmgmtd {
    struct bhctl_transport *t;
    char token[BHHTTP_TOKEN_MAX + 1];
    size_t token_len;
    uint32_t timeout_ms;
    const struct bhtls_server *tls; /* TLS with this certificate and key; NULL: plain HTTP */
    FILE *log;          /* one line per refused request (rate-limited); NULL: quiet */
    volatile int *stop; /* bhmgmtd_serve returns when set */
    /* counters (GET /v1/daemon) */
    uint64_t requests;      /* complete, authenticated or not */
    uint64_t auth_failures; /* 401 */
    uint64_t bad_requests;  /* 4xx/5xx before routing: malformed, too large */
    uint64_t timeouts;      /* 408 */
    uint64_t refused;       /* connections over BHMGMTD_CONNS_MAX */
};

/*
 * Set the token from s[0..len) (a trailing newline is dropped). 0, or -1 with the reason in
 * err when it is not BHHTTP_TOKEN_MIN..BHHTTP_TOKEN_MAX visible ASCII bytes.
 */
int bhmgmtd_set_token(struct bhmgmtd *d, const char *s, size_t len, char *err, size_t errlen);

/* Find `bh.mgmt_token=<token>` in a kernel command line (NUL-terminated); the token's start
 * and length, or NULL. */
const char *bhmgmtd_cmdline_token(const char *cmdline, size_t *len);

struct bhmgmtd_answer {
    int status;        /* HTTP status */
    char *body;        /* the JSON answer, one object and a newline (malloc'd) */
    size_t len;
    const char *allow; /* 405: the method the path takes (the Allow header) */
};

/* Answer one complete request: authentication first (401, counted), then the route. The
 * caller frees ans->body. */
void bhmgmtd_handle(struct bhmgmtd *d, const struct bhhttp_req *req,
                    struct bhmgmtd_answer *ans);

/* The HTTP status for a bhctl exit status (docs/MANAGEMENT.md "Remote API"). */
int bhmgmtd_status_of_exit(int exit_code);

/*
 * Serve listen_fd (a listening TCP socket) until *d->stop is set: read up to
 * BHMGMTD_CONNS_MAX requests at once, each within d->timeout_ms, answer each with
 * bhmgmtd_handle and close it. Returns 0, or -1 when poll/accept fail for good.
 */
int bhmgmtd_serve(struct bhmgmtd *d, int listen_fd);
