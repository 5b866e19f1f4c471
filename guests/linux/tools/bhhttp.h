/* SPDX-License-Identifier: MIT */
/*
 * The small part of HTTP/1.1 (RFC 9112) that bhmgmtd serves and bhctl --remote speaks
 * (docs/MANAGEMENT.md "Remote API"): one request per connection, no request body that
 * matters, Connection: close. Everything here parses bytes a network peer chose, so it is
 * bounded by our limits, never theirs, and it is plain C with no I/O: the unit tests feed it
 * hostile input directly (tests/unit/test_bhhttp.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BHHTTP_HEAD_MAX     8192u /* request line + headers, CRLFs included */
#define BHHTTP_BODY_MAX     1024u /* Content-Length we read and throw away */
#define BHHTTP_TARGET_MAX   512u  /* request target (path and query) */
#define BHHTTP_HEADERS_MAX  64u   /* header lines */
#define BHHTTP_TOKEN_MIN    16u   /* the bearer token's bytes */
#define BHHTTP_TOKEN_MAX    256u

enum bhhttp_method { BHHTTP_GET, BHHTTP_POST, BHHTTP_OTHER };

/* A parsed request head: strings point into the caller's buffer (NUL-terminated copies are
 * in the struct itself, so the buffer may be reused). */
struct bhhttp_req {
    enum bhhttp_method method;
    char method_str[17];
    char path[BHHTTP_TARGET_MAX + 1];  /* before '?' */
    char query[BHHTTP_TARGET_MAX + 1]; /* after '?', "" when none */
    char auth[BHHTTP_TOKEN_MAX + 32];  /* the Authorization value, "" when absent */
    bool auth_too_long;                /* an Authorization value longer than auth[] */
    uint32_t content_length;
    size_t head_len; /* bytes of request line and headers, the blank line included */
};

/*
 * Parse the request head in buf[0..len). Returns
 *   0             a complete head: *req is filled, req->head_len says where the body starts;
 *   BHHTTP_MORE   no blank line yet and len < BHHTTP_HEAD_MAX: read more;
 *   an HTTP status for a head that can never be valid: 400 (syntax, NUL, bare CR, obs-fold,
 *   duplicate Content-Length), 413 (Content-Length > BHHTTP_BODY_MAX), 414 (target too
 *   long), 431 (head longer than BHHTTP_HEAD_MAX or too many headers), 501 (a
 *   Transfer-Encoding), 505 (not HTTP/1.0 or 1.1).
 * Lines may end in CRLF or LF (RFC 9112 section 2.2).
 */
#define BHHTTP_MORE (-1)
int bhhttp_parse_request(const char *buf, size_t len, struct bhhttp_req *req);

/* The bearer token of an Authorization value ("Bearer <token>", scheme case-insensitive),
 * or NULL. */
const char *bhhttp_bearer(const char *auth);

/* true when a (NUL-terminated, any length) equals the secret s[0..slen): in time that
 * depends on slen and BHHTTP_TOKEN_MAX only, never on where they differ. */
bool bhhttp_token_eq(const char *a, const char *s, size_t slen);

/* A token as bhmgmtd accepts it: BHHTTP_TOKEN_MIN..BHHTTP_TOKEN_MAX visible ASCII bytes
 * (0x21..0x7e). */
bool bhhttp_token_valid(const char *s, size_t len);

/* Reason phrase of a status ("Unknown" for others). */
const char *bhhttp_reason(int status);

/*
 * A response as bhctl --remote reads it (buf[0..len), the whole answer up to the peer's
 * close): status line and headers, bounded like a request. Returns 0 with *status and
 * *body / *body_len (a Content-Length, when given, must match the bytes received), or -1
 * when it is not a well-formed HTTP/1.x response.
 */
int bhhttp_parse_response(const char *buf, size_t len, int *status, const char **body,
                          size_t *body_len);

/* Percent-decode src (a path segment) into dst[0..dstlen): false on a bad escape, a NUL,
 * a '/' or when it does not fit. */
bool bhhttp_pct_decode(const char *src, char *dst, size_t dstlen);
/* Percent-encode s for a path segment (unreserved bytes as they are). false if it does not
 * fit. */
bool bhhttp_pct_encode(const char *s, char *dst, size_t dstlen);
