/* SPDX-License-Identifier: MIT */
/*
 * TLS for bhmgmtd and bhctl --remote (docs/MANAGEMENT.md "Remote API"), with BearSSL from
 * Debian (libbearssl-dev; the arm64 static library the hypervisor links too). The daemon
 * loads a PEM certificate chain and its private key (EC or RSA); the client pins the daemon's
 * certificate: the handshake succeeds only if the daemon proves it holds that certificate's
 * key (BearSSL's "known key" engine, like SSH's known hosts: no CA, no names, no expiry).
 * The daemon side is non-blocking (bhmgmtd_srv.c's poll loop reads requests with
 * bhtls_pump); writing an answer, and the whole client side, block until a deadline.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#define BHTLS_PEM_MAX   32768u /* a certificate or key file */
#define BHTLS_CHAIN_MAX 4u

/* The daemon's certificate chain and key, loaded once. */
struct bhtls_server {
    br_x509_certificate chain[BHTLS_CHAIN_MAX];
    size_t chain_len;
    unsigned char der[BHTLS_PEM_MAX]; /* the certificates' DER bytes */
    br_skey_decoder_context key;      /* holds the private key */
};

/* One TLS connection of the daemon. */
struct bhtls_sconn {
    br_ssl_server_context sc;
    br_sslio_context io;
    int fd;
    uint64_t deadline_ms; /* for the blocking writes */
    unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
};

/* Load the PEM files (certificates leaf first; the key unencrypted, PKCS#8 or raw). 0, or -1
 * with the reason in err. */
int bhtls_server_load(struct bhtls_server *s, const char *cert_path, const char *key_path,
                      char *err, size_t errlen);

/* Start a TLS connection on fd (non-blocking, accepted). */
void bhtls_server_begin(const struct bhtls_server *s, struct bhtls_sconn *c, int fd);

/*
 * Move the connection on without blocking: send the records the engine has (handshake),
 * receive what the socket has, and append decrypted application bytes to app[*len..cap).
 * 0: go on (wait for input, or for output room when bhtls_wants_write); -1: closed or failed
 * (nothing more can be said on it); -2: more application bytes than cap.
 */
int bhtls_pump(struct bhtls_sconn *c, char *app, size_t cap, size_t *len);
/* Records are waiting to be sent (poll for POLLOUT). */
bool bhtls_wants_write(struct bhtls_sconn *c);

/* Send application bytes and flush them, blocking until deadline_ms (CLOCK_MONOTONIC ms).
 * 0 or -1. */
int bhtls_write(struct bhtls_sconn *c, const void *p, size_t n, uint64_t deadline_ms);
/* Send close_notify (until deadline_ms); the caller closes the socket. */
void bhtls_finish(struct bhtls_sconn *c, uint64_t deadline_ms);

/* The client: pin the daemon's certificate (PEM, its first certificate). 0, or -1 with the
 * reason in err. */
int bhtls_client_pin(const char *cert_path, char *err, size_t errlen);
/* True once a certificate is pinned (bhctl --remote then speaks TLS). */
bool bhtls_client_enabled(void);
/*
 * One exchange on a connected socket: the handshake, req[0..n), then the answer until the
 * daemon's close_notify into resp[0..cap) (*len bytes). 0, or -1 with the reason in err
 * (a certificate that is not the pinned one, a truncated answer, the deadline).
 */
int bhtls_client_exchange(int fd, const char *req, size_t n, char *resp, size_t cap, size_t *len,
                          uint64_t deadline_ms, char *err, size_t errlen);

/* CLOCK_MONOTONIC in ms. */
uint64_t bhtls_now_ms(void);
