// SPDX-License-Identifier: MIT
/* bhmgmtd in a child process for the unit tests (bhmgmtd_fixture.h). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bhmgmtd_fixture.h"

const char *fix_tls_cert, *fix_tls_key;

void fix_server_start(struct fix_server *s, void (*setup)(void))
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t sl = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
        perror("fixture: listen");
        abort();
    }
    s->port = ntohs(sa.sin_port);
    fflush(NULL);
    s->pid = fork();
    if (s->pid < 0) {
        perror("fixture: fork");
        abort();
    }
    if (s->pid == 0) {
        static struct bhmgmtd d;
        static struct bhtls_server tls;
        char err[160];
        if (fix_tls_cert && bhtls_server_load(&tls, fix_tls_cert, fix_tls_key, err,
                                              sizeof(err)) != 0) {
            fprintf(stderr, "fixture: %s\n", err);
            _exit(3);
        }
        d.tls = fix_tls_cert ? &tls : NULL;
        fake_reset();
        if (setup) {
            setup();
        }
        d.t = &fake_transport;
        d.timeout_ms = FIX_TIMEOUT_MS;
        if (bhmgmtd_set_token(&d, FIX_TOKEN, strlen(FIX_TOKEN), err, sizeof(err)) != 0) {
            _exit(3);
        }
        signal(SIGPIPE, SIG_IGN);
        _exit(bhmgmtd_serve(&d, fd) ? 1 : 0);
    }
    close(fd);
}

void fix_server_stop(struct fix_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
}

int fix_connect(const struct fix_server *s)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)s->port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    struct timeval tv = { .tv_sec = 5 };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        perror("fixture: connect");
        abort();
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

char *fix_read_all(int fd)
{
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap + 1);

    for (ssize_t r; len < cap && (r = recv(fd, buf + len, cap - len, 0)) > 0;) {
        len += (size_t)r;
    }
    buf[len] = '\0';
    return buf;
}

int fix_exchange(const struct fix_server *s, const char *req, size_t len, char **resp,
                 const char **body)
{
    int fd = fix_connect(s), status;
    size_t blen;

    for (size_t off = 0; off < len;) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w <= 0) {
            break; /* the server may answer (and stop reading) before the end */
        }
        off += (size_t)w;
    }
    *resp = fix_read_all(fd);
    close(fd);
    if (bhhttp_parse_response(*resp, strlen(*resp), &status, body, &blen) != 0) {
        *body = "";
        return -1;
    }
    return status;
}

int fix_request(const struct fix_server *s, const char *method, const char *path,
                const char *auth, char **resp, const char **body)
{
    char req[2048];
    int n;

    if (!auth) {
        auth = "Bearer " FIX_TOKEN;
    }
    n = snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: test\r\n%s%s%s\r\n", method, path,
                 auth[0] ? "Authorization: " : "", auth, auth[0] ? "\r\n" : "");
    return fix_exchange(s, req, (size_t)n, resp, body);
}
