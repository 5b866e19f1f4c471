// SPDX-License-Identifier: MIT
/*
 * HTTP/1.1 request and response heads (RFC 9112 sections 2-6) for bhmgmtd and bhctl --remote
 * (bhhttp.h). The head is looked at only once its blank line has arrived, inside a fixed
 * limit, so a peer that sends forever, or sends nothing, costs a bounded buffer and a
 * timeout (bhmgmtd_srv.c), never memory we did not plan for.
 */
#include <string.h>

#include "bhhttp.h"

static bool is_tchar(unsigned char c)
{
    /* token = 1*tchar (RFC 9110 section 5.6.2) */
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_vchar(unsigned char c)
{
    return c >= 0x21 && c <= 0x7e;
}

static bool ieq(const char *a, size_t alen, const char *b)
{
    size_t n = strlen(b);

    if (alen != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
        char y = b[i] >= 'A' && b[i] <= 'Z' ? (char)(b[i] + 32) : b[i];
        if (x != y) {
            return false;
        }
    }
    return true;
}

/*
 * Where the head ends: the index after its blank line, or 0 when there is none in
 * buf[0..len) yet. Lines end in LF, optionally after CR; any other CR, and any NUL, is a 400.
 * *lines counts the lines before the blank one.
 */
static int find_head_end(const char *buf, size_t len, size_t *end, unsigned *lines,
                         size_t *first_line_len)
{
    size_t line_start = 0;

    *end = 0;
    *lines = 0;
    *first_line_len = len;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (c == '\0') {
            return 400;
        }
        if (c == '\r' && i + 1 < len && buf[i + 1] != '\n') {
            return 400;
        }
        if (c != '\n') {
            continue;
        }
        size_t l = i - line_start - (i > line_start && buf[i - 1] == '\r');
        if (l == 0) {
            if (*lines == 0) {
                return 400; /* no request line */
            }
            *end = i + 1;
            return 0;
        }
        if (*lines == 0) {
            *first_line_len = l;
        }
        if (++*lines > BHHTTP_HEADERS_MAX + 1) {
            return 431;
        }
        line_start = i + 1;
    }
    return 0;
}

/* The line at *pos (without its CR LF); *pos moves past it. */
static const char *next_line(const char *buf, size_t *pos, size_t *l)
{
    const char *s = buf + *pos;
    const char *nl = strchr(s, '\n'); /* the head has a blank line: there is one */

    *l = (size_t)(nl - s);
    *pos += *l + 1;
    if (*l > 0 && s[*l - 1] == '\r') {
        --*l;
    }
    return s;
}

static int parse_request_line(const char *s, size_t l, struct bhhttp_req *req)
{
    const char *sp1 = memchr(s, ' ', l);
    if (!sp1 || sp1 == s || (size_t)(sp1 - s) >= sizeof(req->method_str)) {
        return 400;
    }
    size_t ml = (size_t)(sp1 - s);
    for (size_t i = 0; i < ml; i++) {
        if (!is_tchar((unsigned char)s[i])) {
            return 400;
        }
    }
    memcpy(req->method_str, s, ml);
    req->method_str[ml] = '\0';
    req->method = !strcmp(req->method_str, "GET")    ? BHHTTP_GET
                  : !strcmp(req->method_str, "POST") ? BHHTTP_POST
                                                     : BHHTTP_OTHER;
    const char *t = sp1 + 1, *end = s + l;
    const char *sp2 = memchr(t, ' ', (size_t)(end - t));
    if (!sp2 || sp2 == t) {
        return 400;
    }
    size_t tl = (size_t)(sp2 - t);
    const char *v = sp2 + 1;
    size_t vl = (size_t)(end - v);
    if (vl != 8 || memcmp(v, "HTTP/1.", 7) != 0) {
        return memchr(v, ' ', vl) || vl < 5 || memcmp(v, "HTTP/", 5) != 0 ? 400 : 505;
    }
    if (v[7] != '0' && v[7] != '1') {
        return v[7] >= '0' && v[7] <= '9' ? 505 : 400;
    }
    if (tl > BHHTTP_TARGET_MAX) {
        return 414;
    }
    if (t[0] != '/') {
        return 400; /* origin-form only: we are no proxy */
    }
    for (size_t i = 0; i < tl; i++) {
        if (!is_vchar((unsigned char)t[i]) || t[i] == '#') {
            return 400;
        }
    }
    const char *q = memchr(t, '?', tl);
    size_t pl = q ? (size_t)(q - t) : tl;
    memcpy(req->path, t, pl);
    req->path[pl] = '\0';
    if (q) {
        memcpy(req->query, q + 1, tl - pl - 1);
        req->query[tl - pl - 1] = '\0';
    }
    return 0;
}

/* Decimal, at most max; false on anything else (signs, spaces inside, overflow). */
static bool parse_dec(const char *s, size_t l, uint64_t max, uint64_t *v)
{
    uint64_t x = 0;

    if (l == 0 || l > 20) {
        return false;
    }
    for (size_t i = 0; i < l; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        x = x * 10 + (uint64_t)(s[i] - '0');
        if (x > max) {
            return false;
        }
    }
    *v = x;
    return true;
}

static int parse_header(const char *s, size_t l, struct bhhttp_req *req, bool *have_cl)
{
    const char *colon = memchr(s, ':', l);

    if (s[0] == ' ' || s[0] == '\t') {
        return 400; /* obs-fold (RFC 9112 section 5.2) */
    }
    if (!colon || colon == s) {
        return 400;
    }
    size_t nl = (size_t)(colon - s);
    for (size_t i = 0; i < nl; i++) {
        if (!is_tchar((unsigned char)s[i])) {
            return 400; /* no whitespace before the colon (section 5.1) */
        }
    }
    const char *v = colon + 1, *end = s + l;
    while (v < end && (*v == ' ' || *v == '\t')) {
        v++;
    }
    while (end > v && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    size_t vl = (size_t)(end - v);
    for (size_t i = 0; i < vl; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x20 ? c != '\t' : c == 0x7f) {
            return 400;
        }
    }
    if (ieq(s, nl, "content-length")) {
        uint64_t cl;
        if (!parse_dec(v, vl, UINT64_MAX / 10, &cl)) {
            return 400;
        }
        if (*have_cl && cl != req->content_length) {
            return 400;
        }
        if (cl > BHHTTP_BODY_MAX) {
            return 413;
        }
        *have_cl = true;
        req->content_length = (uint32_t)cl;
    } else if (ieq(s, nl, "transfer-encoding")) {
        return 501;
    } else if (ieq(s, nl, "authorization")) {
        if (req->auth[0] || req->auth_too_long) {
            return 400; /* two of them: which one would count? */
        }
        if (vl >= sizeof(req->auth)) {
            req->auth_too_long = true;
        } else {
            memcpy(req->auth, v, vl);
            req->auth[vl] = '\0';
        }
    }
    return 0;
}

int bhhttp_parse_request(const char *buf, size_t len, struct bhhttp_req *req)
{
    size_t end, first_len, pos = 0, l;
    unsigned lines;
    bool have_cl = false;

    memset(req, 0, sizeof(*req));
    size_t scan = len < BHHTTP_HEAD_MAX ? len : BHHTTP_HEAD_MAX;
    int r = find_head_end(buf, scan, &end, &lines, &first_len);
    if (r) {
        return r;
    }
    if (end == 0) {
        if (lines == 0 && first_len > BHHTTP_TARGET_MAX + 32) {
            return 414;
        }
        return len >= BHHTTP_HEAD_MAX ? 431 : BHHTTP_MORE;
    }
    /* Work on a terminated copy: next_line's strchr then stays inside the head. */
    char head[BHHTTP_HEAD_MAX + 1];
    memcpy(head, buf, end);
    head[end] = '\0';
    const char *s = next_line(head, &pos, &l);
    r = parse_request_line(s, l, req);
    while (!r && pos < end) {
        s = next_line(head, &pos, &l);
        if (l == 0) {
            break;
        }
        r = parse_header(s, l, req, &have_cl);
    }
    req->head_len = end;
    return r;
}

const char *bhhttp_bearer(const char *auth)
{
    if (!ieq(auth, strnlen(auth, 7) < 7 ? 0 : 6, "bearer") || auth[6] != ' ') {
        return NULL;
    }
    auth += 7;
    while (*auth == ' ') {
        auth++;
    }
    return *auth ? auth : NULL;
}

bool bhhttp_token_eq(const char *a, const char *s, size_t slen)
{
    /* Every byte of a up to the limit is read and compared with the secret padded with
     * zeros; the length difference is folded in, so the time does not tell how much of
     * a prefix was right. */
    size_t alen = strnlen(a, BHHTTP_TOKEN_MAX + 1);
    volatile unsigned char acc = (unsigned char)(alen != slen);

    for (size_t i = 0; i < BHHTTP_TOKEN_MAX; i++) {
        unsigned char x = i < alen ? (unsigned char)a[i] : 0;
        unsigned char y = i < slen ? (unsigned char)s[i] : 0;
        acc |= (unsigned char)(x ^ y);
    }
    return acc == 0 && slen >= BHHTTP_TOKEN_MIN && slen <= BHHTTP_TOKEN_MAX;
}

bool bhhttp_token_valid(const char *s, size_t len)
{
    if (len < BHHTTP_TOKEN_MIN || len > BHHTTP_TOKEN_MAX) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (!is_vchar((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

const char *bhhttp_reason(int status)
{
    static const struct {
        int status;
        const char *reason;
    } reasons[] = {
        { 200, "OK" },
        { 400, "Bad Request" },
        { 401, "Unauthorized" },
        { 403, "Forbidden" },
        { 404, "Not Found" },
        { 405, "Method Not Allowed" },
        { 408, "Request Timeout" },
        { 409, "Conflict" },
        { 413, "Content Too Large" },
        { 414, "URI Too Long" },
        { 431, "Request Header Fields Too Large" },
        { 500, "Internal Server Error" },
        { 501, "Not Implemented" },
        { 503, "Service Unavailable" },
        { 505, "HTTP Version Not Supported" },
    };
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        if (reasons[i].status == status) {
            return reasons[i].reason;
        }
    }
    return "Unknown";
}

int bhhttp_parse_response(const char *buf, size_t len, int *status, const char **body,
                          size_t *body_len)
{
    size_t end, first_len, pos = 0, l;
    unsigned lines;
    uint64_t cl = UINT64_MAX, st;

    size_t scan = len < BHHTTP_HEAD_MAX ? len : BHHTTP_HEAD_MAX;
    if (find_head_end(buf, scan, &end, &lines, &first_len) != 0 || end == 0) {
        return -1;
    }
    char head[BHHTTP_HEAD_MAX + 1];
    memcpy(head, buf, end);
    head[end] = '\0';
    const char *s = next_line(head, &pos, &l);
    /* HTTP/1.x SP 3DIGIT [SP reason] */
    if (l < 12 || memcmp(s, "HTTP/1.", 7) != 0 || s[8] != ' ' || !parse_dec(s + 9, 3, 999, &st) ||
        st < 100 || (l > 12 && s[12] != ' ')) {
        return -1;
    }
    while (pos < end) {
        s = next_line(head, &pos, &l);
        const char *colon = l ? memchr(s, ':', l) : NULL;
        if (l == 0) {
            break;
        }
        if (!colon) {
            return -1;
        }
        if (ieq(s, (size_t)(colon - s), "content-length")) {
            const char *v = colon + 1, *e = s + l;
            while (v < e && *v == ' ') {
                v++;
            }
            while (e > v && e[-1] == ' ') {
                e--;
            }
            if (!parse_dec(v, (size_t)(e - v), UINT64_MAX / 10, &cl)) {
                return -1;
            }
        }
    }
    if (cl != UINT64_MAX && cl != len - end) {
        return -1; /* cut short (or padded): do not trust half an answer */
    }
    *status = (int)st;
    *body = buf + end;
    *body_len = len - end;
    return 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

bool bhhttp_pct_decode(const char *src, char *dst, size_t dstlen)
{
    size_t o = 0;

    for (const char *p = src; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '%') {
            int h = hexval(p[1]), lo = h < 0 ? -1 : hexval(p[2]);
            if (lo < 0) {
                return false;
            }
            c = h * 16 + lo;
            p += 2;
        }
        if (c == 0 || c == '/' || o + 1 >= dstlen) {
            return false;
        }
        dst[o++] = (char)c;
    }
    if (dstlen == 0) {
        return false;
    }
    dst[o] = '\0';
    return true;
}

bool bhhttp_pct_encode(const char *s, char *dst, size_t dstlen)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     c == '-' || c == '_' || c == '.' || c == '~';
        size_t need = plain ? 1 : 3;
        if (o + need >= dstlen) {
            return false;
        }
        if (plain) {
            dst[o++] = (char)c;
        } else {
            dst[o++] = '%';
            dst[o++] = hex[c >> 4];
            dst[o++] = hex[c & 15];
        }
    }
    if (dstlen == 0) {
        return false;
    }
    dst[o] = '\0';
    return true;
}
