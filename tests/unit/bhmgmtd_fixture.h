/* SPDX-License-Identifier: MIT */
/*
 * bhmgmtd on the host for the unit tests (test_bhmgmtd.c, test_bhctl_remote.c): its serve
 * loop, in a child process, on a loopback TCP socket and bhctl's fake transport
 * (bhctl_fake.c), so the tests talk to it over a real socket as a remote client would.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "bhctl_fake.h"
#include "guests/linux/tools/bhmgmtd.h"

#define FIX_TOKEN      "unit-test-token-0123456789"
#define FIX_TIMEOUT_MS 1000u /* the daemon's per-request deadline in the tests */

struct fix_server {
    pid_t pid;
    int port;
};

#define FIX_TLS_DIR "tests/unit/tls/" /* test-only keys (tests/unit/tls/README) */

/* Fork the daemon: the child resets the fake, calls setup (may be NULL) and serves until it
 * is killed; with TLS when fix_tls_cert / fix_tls_key name PEM files (NULL: plain). */
extern const char *fix_tls_cert, *fix_tls_key;
void fix_server_start(struct fix_server *s, void (*setup)(void));
void fix_server_stop(struct fix_server *s);

/* A connected socket to the server (blocking, 5 s receive timeout). */
int fix_connect(const struct fix_server *s);
/* Send req[0..len) on a new connection and read the answer until the server closes (at most
 * 1 MiB). The status (-1 if the answer is not HTTP); *resp is the whole answer (malloc'd),
 * *body points into it. */
int fix_exchange(const struct fix_server *s, const char *req, size_t len, char **resp,
                 const char **body);
/* A request with the token (auth NULL) or the Authorization value given ("" for none). */
int fix_request(const struct fix_server *s, const char *method, const char *path,
                const char *auth, char **resp, const char **body);
/* Read what is left on fd until close into a malloc'd string. */
char *fix_read_all(int fd);
