// SPDX-License-Identifier: MIT
/*
 * TLS for bhmgmtd and bhctl --remote on BearSSL (bhtls.h): PEM files into BearSSL's
 * structures, the daemon's non-blocking record pump, blocking I/O callbacks bounded by a
 * deadline, and the client's exchange against a pinned certificate key. Protocol versions,
 * suites and the handshake are BearSSL's "full" profiles (TLS 1.0-1.2, forward-secret ECDHE
 * suites first); nothing here parses TLS itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bhtls.h"

uint64_t bhtls_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ------------------------------------------------------------------ PEM files */

static char text[BHTLS_PEM_MAX + 2];

/* The file into text (NUL-terminated, a newline appended: the PEM decoder ends an object on
 * the newline after its END line). Its length, or -1. */
static long read_text(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t n = 0;

    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    for (ssize_t r; n < BHTLS_PEM_MAX && (r = read(fd, text + n, BHTLS_PEM_MAX - n)) != 0;) {
        if (r < 0 && errno != EINTR) {
            break;
        }
        n += r > 0 ? (size_t)r : 0;
    }
    char extra;
    bool more = n == BHTLS_PEM_MAX && read(fd, &extra, 1) == 1;
    close(fd);
    if (more) {
        snprintf(err, errlen, "%s: larger than %u bytes", path, BHTLS_PEM_MAX);
        return -1;
    }
    text[n++] = '\n';
    text[n] = '\0';
    return (long)n;
}

struct sink {
    unsigned char *buf;
    size_t cap, len;
    bool overflow;
};

static void sink_add(void *ctx, const void *src, size_t len)
{
    struct sink *s = ctx;

    if (s->overflow || len > s->cap - s->len) {
        s->overflow = true;
        return;
    }
    memcpy(s->buf + s->len, src, len);
    s->len += len;
}

/* Each object of the PEM text in text[0..n) decoded into out (appended); fn is called with
 * its name and DER. 0, or -1 (malformed PEM, out full, or fn's -1). */
static int pem_each(size_t n, struct sink *out, int (*fn)(void *, const char *, const void *,
                                                            size_t),
                    void *ctx)
{
    static br_pem_decoder_context pc;
    char name[128] = "";
    size_t start = 0;

    br_pem_decoder_init(&pc);
    for (size_t off = 0; off < n;) {
        size_t used = br_pem_decoder_push(&pc, text + off, n - off);
        off += used;
        switch (br_pem_decoder_event(&pc)) {
        case BR_PEM_BEGIN_OBJ:
            snprintf(name, sizeof(name), "%s", br_pem_decoder_name(&pc));
            start = out->len;
            br_pem_decoder_setdest(&pc, sink_add, out);
            break;
        case BR_PEM_END_OBJ:
            if (out->overflow || fn(ctx, name, out->buf + start, out->len - start) != 0) {
                return -1;
            }
            break;
        case BR_PEM_ERROR: return -1;
        default:
            if (used == 0) {
                return -1;
            }
            break;
        }
    }
    return 0;
}

static int add_cert(void *ctx, const char *name, const void *der, size_t len)
{
    struct bhtls_server *s = ctx;

    if (strcmp(name, "CERTIFICATE") != 0) {
        return 0; /* other objects in the file are not ours to judge */
    }
    if (s->chain_len == BHTLS_CHAIN_MAX) {
        return -1;
    }
    s->chain[s->chain_len].data = (unsigned char *)der;
    s->chain[s->chain_len].data_len = len;
    s->chain_len++;
    return 0;
}

static int add_key(void *ctx, const char *name, const void *der, size_t len)
{
    br_skey_decoder_context *k = ctx;

    if (!strstr(name, "PRIVATE KEY")) {
        return 0;
    }
    br_skey_decoder_init(k);
    br_skey_decoder_push(k, der, len);
    return br_skey_decoder_last_error(k) == 0 ? 0 : -1;
}

int bhtls_server_load(struct bhtls_server *s, const char *cert_path, const char *key_path,
                      char *err, size_t errlen)
{
    static unsigned char key_der[BHTLS_PEM_MAX];
    struct sink certs = { s->der, sizeof(s->der), 0, false }, key = { key_der, sizeof(key_der), 0, false };
    long n;

    memset(s, 0, sizeof(*s));
    if ((n = read_text(cert_path, err, errlen)) < 0) {
        return -1;
    }
    if (pem_each((size_t)n, &certs, add_cert, s) != 0 || s->chain_len == 0) {
        snprintf(err, errlen, "%s: no PEM certificate (or more than %u)", cert_path,
                 BHTLS_CHAIN_MAX);
        return -1;
    }
    if ((n = read_text(key_path, err, errlen)) < 0) {
        return -1;
    }
    int r = pem_each((size_t)n, &key, add_key, &s->key);
    int type = r == 0 ? br_skey_decoder_key_type(&s->key) : 0;
    memset(text, 0, sizeof(text)); /* the key's text and DER: not left lying around */
    memset(key_der, 0, sizeof(key_der));
    if (type != BR_KEYTYPE_EC && type != BR_KEYTYPE_RSA) {
        snprintf(err, errlen, "%s: no unencrypted EC or RSA private key in PEM", key_path);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ I/O with a deadline */

static bool wait_fd(int fd, short events, uint64_t deadline_ms)
{
    for (;;) {
        uint64_t t = bhtls_now_ms();
        struct pollfd pf = { .fd = fd, .events = events };
        if (t >= deadline_ms) {
            return false;
        }
        int r = poll(&pf, 1, (int)(deadline_ms - t));
        if (r > 0) {
            return true;
        }
        if (r < 0 && errno != EINTR) {
            return false;
        }
    }
}

static int io_read(int fd, unsigned char *buf, size_t len, uint64_t deadline_ms)
{
    for (;;) {
        ssize_t r = recv(fd, buf, len, MSG_DONTWAIT);
        if (r > 0) {
            return (int)r;
        }
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ||
            !wait_fd(fd, POLLIN, deadline_ms)) {
            return -1;
        }
    }
}

static int io_write(int fd, const unsigned char *buf, size_t len, uint64_t deadline_ms)
{
    for (;;) {
        ssize_t w = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w > 0) {
            return (int)w;
        }
        if ((w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ||
            !wait_fd(fd, POLLOUT, deadline_ms)) {
            return -1;
        }
    }
}

struct io_ctx {
    int fd;
    uint64_t deadline_ms;
};

static int cb_read(void *ctx, unsigned char *buf, size_t len)
{
    struct io_ctx *c = ctx;

    return io_read(c->fd, buf, len, c->deadline_ms);
}

static int cb_write(void *ctx, const unsigned char *buf, size_t len)
{
    struct io_ctx *c = ctx;

    return io_write(c->fd, buf, len, c->deadline_ms);
}

/* ------------------------------------------------------------------ the daemon's side */

static int s_read(void *ctx, unsigned char *buf, size_t len)
{
    struct bhtls_sconn *c = ctx;

    return io_read(c->fd, buf, len, c->deadline_ms);
}

static int s_write(void *ctx, const unsigned char *buf, size_t len)
{
    struct bhtls_sconn *c = ctx;

    return io_write(c->fd, buf, len, c->deadline_ms);
}

void bhtls_server_begin(const struct bhtls_server *s, struct bhtls_sconn *c, int fd)
{
    if (br_skey_decoder_key_type(&s->key) == BR_KEYTYPE_EC) {
        br_ssl_server_init_full_ec(&c->sc, s->chain, s->chain_len, BR_KEYTYPE_EC,
                                   br_skey_decoder_get_ec(&s->key));
    } else {
        br_ssl_server_init_full_rsa(&c->sc, s->chain, s->chain_len,
                                    br_skey_decoder_get_rsa(&s->key));
    }
    br_ssl_engine_set_buffer(&c->sc.eng, c->iobuf, sizeof(c->iobuf), 1);
    br_ssl_server_reset(&c->sc);
    c->fd = fd;
    c->deadline_ms = 0;
    br_sslio_init(&c->io, &c->sc.eng, s_read, c, s_write, c);
}

int bhtls_pump(struct bhtls_sconn *c, char *app, size_t cap, size_t *len)
{
    br_ssl_engine_context *e = &c->sc.eng;
    size_t n;

    for (;;) {
        unsigned st = br_ssl_engine_current_state(e);
        if (st & BR_SSL_CLOSED) {
            return -1;
        }
        if (st & BR_SSL_SENDREC) {
            unsigned char *b = br_ssl_engine_sendrec_buf(e, &n);
            ssize_t w = send(c->fd, b, n, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (w > 0) {
                br_ssl_engine_sendrec_ack(e, (size_t)w);
                continue;
            }
            return w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
        }
        if (st & BR_SSL_RECVAPP) {
            unsigned char *b = br_ssl_engine_recvapp_buf(e, &n);
            if (n > cap - *len) {
                return -2;
            }
            memcpy(app + *len, b, n);
            *len += n;
            br_ssl_engine_recvapp_ack(e, n);
            continue;
        }
        if (st & BR_SSL_RECVREC) {
            unsigned char *b = br_ssl_engine_recvrec_buf(e, &n);
            ssize_t r = recv(c->fd, b, n, MSG_DONTWAIT);
            if (r > 0) {
                br_ssl_engine_recvrec_ack(e, (size_t)r);
                continue;
            }
            return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
        }
        return 0;
    }
}

bool bhtls_wants_write(struct bhtls_sconn *c)
{
    return (br_ssl_engine_current_state(&c->sc.eng) & BR_SSL_SENDREC) != 0;
}

int bhtls_write(struct bhtls_sconn *c, const void *p, size_t n, uint64_t deadline_ms)
{
    c->deadline_ms = deadline_ms;
    return br_sslio_write_all(&c->io, p, n) == 0 && br_sslio_flush(&c->io) == 0 ? 0 : -1;
}

void bhtls_finish(struct bhtls_sconn *c, uint64_t deadline_ms)
{
    br_ssl_engine_context *e = &c->sc.eng;
    size_t n;

    br_ssl_engine_close(e);
    while (br_ssl_engine_current_state(e) & BR_SSL_SENDREC) {
        unsigned char *b = br_ssl_engine_sendrec_buf(e, &n);
        int w = io_write(c->fd, b, n, deadline_ms);
        if (w < 0) {
            return;
        }
        br_ssl_engine_sendrec_ack(e, (size_t)w);
    }
}

/* ------------------------------------------------------------------ the client's side */

static struct {
    br_x509_decoder_context dc; /* holds the pinned public key */
    bool pinned;
    unsigned char der[BHTLS_PEM_MAX];
} pin;

static int first_cert(void *ctx, const char *name, const void *der, size_t len)
{
    br_x509_decoder_context *dc = ctx;

    if (strcmp(name, "CERTIFICATE") != 0 || pin.pinned) {
        return 0;
    }
    br_x509_decoder_init(dc, NULL, NULL);
    br_x509_decoder_push(dc, der, len);
    if (br_x509_decoder_last_error(dc) != 0 || !br_x509_decoder_get_pkey(dc)) {
        return -1;
    }
    pin.pinned = true;
    return 0;
}

int bhtls_client_pin(const char *cert_path, char *err, size_t errlen)
{
    struct sink s = { pin.der, sizeof(pin.der), 0, false };
    long n = read_text(cert_path, err, errlen);

    pin.pinned = false;
    if (n < 0) {
        return -1;
    }
    if (pem_each((size_t)n, &s, first_cert, &pin.dc) != 0 || !pin.pinned) {
        pin.pinned = false;
        snprintf(err, errlen, "%s: no PEM certificate with an EC or RSA key", cert_path);
        return -1;
    }
    return 0;
}

bool bhtls_client_enabled(void)
{
    return pin.pinned;
}

int bhtls_client_exchange(int fd, const char *req, size_t n, char *resp, size_t cap, size_t *len,
                          uint64_t deadline_ms, char *err, size_t errlen)
{
    static br_ssl_client_context cc;
    static br_x509_minimal_context xc;
    static br_x509_knownkey_context kk;
    static unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
    br_sslio_context io;
    struct io_ctx ctx = { fd, deadline_ms };
    const br_x509_pkey *pk = br_x509_decoder_get_pkey(&pin.dc);

    *len = 0;
    br_ssl_client_init_full(&cc, &xc, NULL, 0);
    if (pk->key_type == BR_KEYTYPE_EC) {
        br_x509_knownkey_init_ec(&kk, &pk->key.ec, BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN);
    } else {
        br_x509_knownkey_init_rsa(&kk, &pk->key.rsa, BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN);
    }
    br_ssl_engine_set_x509(&cc.eng, &kk.vtable);
    br_ssl_engine_set_buffer(&cc.eng, iobuf, sizeof(iobuf), 1);
    br_ssl_client_reset(&cc, NULL, 0);
    br_sslio_init(&io, &cc.eng, cb_read, &ctx, cb_write, &ctx);
    if (br_sslio_write_all(&io, req, n) != 0 || br_sslio_flush(&io) != 0) {
        snprintf(err, errlen, "TLS handshake failed (BearSSL error %d): not the pinned key, "
                 "not TLS, or timeout", br_ssl_engine_last_error(&cc.eng));
        return -1;
    }
    for (int r; (r = br_sslio_read(&io, resp + *len, cap - *len)) > 0;) {
        *len += (size_t)r;
        if (*len == cap) {
            snprintf(err, errlen, "answer larger than %zu bytes", cap);
            return -1;
        }
    }
    int e = br_ssl_engine_last_error(&cc.eng);
    if (e != BR_ERR_OK) {
        snprintf(err, errlen, "TLS: answer cut short or timeout (BearSSL error %d)", e);
        return -1;
    }
    return 0;
}
