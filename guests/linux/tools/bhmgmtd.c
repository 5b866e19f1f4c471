// SPDX-License-Identifier: MIT
/*
 * bhmgmtd: the remote management API of a Linux manager VM (docs/MANAGEMENT.md "Remote API";
 * bhmgmtd.h says where each part lives). This file is the Linux entry point only: options,
 * the token (a file, or bh.mgmt_token= on the kernel command line), the listening socket,
 * signals, TLS's certificate; the management device is bhctl's MMIO transport.
 *   bhmgmtd [-p PORT] [-a ADDR] [-t TOKEN_FILE] [-T TIMEOUT_MS] [-c CERT -k KEY]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bhmgmtd.h"

static volatile int stop_flag;
static struct bhmgmtd daemon_state;
static struct bhtls_server tls;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int usage(void)
{
    fputs("usage: bhmgmtd [-p PORT] [-a ADDR] [-t TOKEN_FILE] [-T TIMEOUT_MS] [-c CERT -k KEY]\n"
          "  -p PORT        TCP port (default 8080)\n"
          "  -a ADDR        IPv4 address to listen on (default 0.0.0.0)\n"
          "  -t TOKEN_FILE  the bearer token (default: bh.mgmt_token= in /proc/cmdline)\n"
          "  -T TIMEOUT_MS  time a client has to send its request (default 5000)\n"
          "  -c CERT        TLS: PEM certificate chain (leaf first); needs -k\n"
          "  -k KEY         TLS: its PEM private key (EC or RSA, unencrypted)\n",
          stderr);
    return BHCTL_EXIT_USAGE;
}

/* The first up to len-1 bytes of path into buf; bytes read, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t n = 0;

    if (fd < 0) {
        return -1;
    }
    while (n + 1 < len) {
        ssize_t r = read(fd, buf + n, len - 1 - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    return (ssize_t)n;
}

static int load_token(struct bhmgmtd *d, const char *file)
{
    char buf[4096], err[160];
    const char *tok = buf;
    size_t len;

    ssize_t n = read_small(file ? file : "/proc/cmdline", buf, sizeof(buf));
    if (n < 0) {
        fprintf(stderr, "bhmgmtd: %s: %s\n", file ? file : "/proc/cmdline", strerror(errno));
        return -1;
    }
    if (file) {
        len = (size_t)n;
    } else if (!(tok = bhmgmtd_cmdline_token(buf, &len))) {
        fputs("bhmgmtd: no token: give -t FILE or bh.mgmt_token= on the kernel command line\n",
              stderr);
        return -1;
    }
    if (bhmgmtd_set_token(d, tok, len, err, sizeof(err)) != 0) {
        fprintf(stderr, "bhmgmtd: refusing to start: %s\n", err);
        return -1;
    }
    memset(buf, 0, sizeof(buf));
    return 0;
}

static bool parse_num(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
    char *end;

    errno = 0;
    unsigned long x = strtoul(s, &end, 10);
    if (errno || !*s || *end || s[0] == '-' || x < min || x > max) {
        return false;
    }
    *v = (uint32_t)x;
    return true;
}

int main(int argc, char **argv)
{
    struct bhmgmtd *d = &daemon_state;
    uint32_t port = BHMGMTD_DEF_PORT;
    const char *addr = "0.0.0.0", *token_file = NULL, *cert = NULL, *key = NULL;
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int opt;

    d->timeout_ms = BHMGMTD_DEF_TIMEOUT_MS;
    while ((opt = getopt(argc, argv, "p:a:t:T:c:k:h")) != -1) {
        switch (opt) {
        case 'p':
            if (!parse_num(optarg, 1, 65535, &port)) {
                return usage();
            }
            break;
        case 'a': addr = optarg; break;
        case 't': token_file = optarg; break;
        case 'c': cert = optarg; break;
        case 'k': key = optarg; break;
        case 'T':
            if (!parse_num(optarg, 100, 60000, &d->timeout_ms)) {
                return usage();
            }
            break;
        default: return usage();
        }
    }
    if (optind != argc || inet_pton(AF_INET, addr, &sa.sin_addr) != 1 || !cert != !key) {
        return usage();
    }
    char err[160];
    if (cert && bhtls_server_load(&tls, cert, key, err, sizeof(err)) != 0) {
        fprintf(stderr, "bhmgmtd: %s\n", err);
        return BHCTL_EXIT_USAGE;
    }
    d->tls = cert ? &tls : NULL;
    if (load_token(d, token_file) != 0) {
        return BHCTL_EXIT_USAGE;
    }
    d->t = &bhctl_mmio_transport;
    d->log = stderr;
    d->stop = &stop_flag;
    struct sigaction sig = { .sa_handler = on_signal };
    sigaction(SIGINT, &sig, NULL);
    sigaction(SIGTERM, &sig, NULL);
    signal(SIGPIPE, SIG_IGN);

    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    sa.sin_port = htons((uint16_t)port);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 16) != 0) {
        fprintf(stderr, "bhmgmtd: %s:%u: %s\n", addr, port, strerror(errno));
        return BHCTL_EXIT_ERROR;
    }
    /* The device must answer now, not at the first request. */
    if (d->t->open(d->t) != 0) {
        fprintf(stderr, "bhmgmtd: %s\n", d->t->err);
        return BHCTL_EXIT_NODEV;
    }
    d->t->close(d->t);
    fprintf(stderr, "bhmgmtd: listening on %s:%u (%s)\n", addr, port, cert ? "TLS" : "plain HTTP");
    int r = bhmgmtd_serve(d, fd);
    close(fd);
    return r ? BHCTL_EXIT_ERROR : 0;
}
