// SPDX-License-Identifier: MIT
/*
 * The JSON reader of bhctl --remote (bhjson.h): recursive descent over RFC 8259's grammar,
 * with the recursion bounded by BHJSON_DEPTH_MAX and every string decoded into a fixed
 * buffer, so a hostile answer costs at most a bounded stack and one pass over its bytes.
 */
#include <stdio.h>
#include <string.h>

#include "bhjson.h"

struct jp {
    const char *p, *end;
    bhjson_cb cb;
    void *ctx;
    struct bhjson_path path;
    char str[BHJSON_STR_MAX];
};

static void ws(struct jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) {
        j->p++;
    }
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* A string into out[0..max) (NUL-terminated); its length in *n. -1 when malformed or long. */
static int string(struct jp *j, char *out, size_t max, size_t *n)
{
    size_t o = 0;

    if (j->p >= j->end || *j->p != '"') {
        return -1;
    }
    for (j->p++; j->p < j->end && *j->p != '"'; j->p++) {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20) {
            return -1;
        }
        if (c == '\\') {
            if (++j->p >= j->end) {
                return -1;
            }
            const char *esc = strchr("\"\\/bfnrt", *j->p);
            if (*j->p == 'u') {
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int h = ++j->p < j->end ? hexval(*j->p) : -1;
                    if (h < 0) {
                        return -1;
                    }
                    v = v * 16 + h;
                }
                if (v == 0 || v > 0xff) {
                    return -1;
                }
                c = (unsigned char)v;
            } else if (esc && *j->p) {
                c = (unsigned char)"\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"];
            } else {
                return -1;
            }
        }
        if (o + 1 >= max) {
            return -1;
        }
        out[o++] = (char)c;
    }
    if (j->p >= j->end) {
        return -1;
    }
    j->p++;
    out[o] = '\0';
    *n = o;
    return 0;
}

static int number(struct jp *j, struct bhjson_val *v)
{
    bool neg = false, frac = false;
    uint64_t x = 0;

    if (j->p < j->end && *j->p == '-') {
        neg = true;
        j->p++;
    }
    if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
        return -1;
    }
    if (*j->p == '0' && j->p + 1 < j->end && j->p[1] >= '0' && j->p[1] <= '9') {
        return -1; /* no leading zeros */
    }
    for (; j->p < j->end && *j->p >= '0' && *j->p <= '9'; j->p++) {
        unsigned d = (unsigned)(*j->p - '0');
        if (x > (UINT64_MAX - d) / 10) {
            return -1;
        }
        x = x * 10 + d;
    }
    if (j->p < j->end && *j->p == '.') {
        frac = true;
        j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
            return -1;
        }
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
            j->p++;
        }
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        frac = true;
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-')) {
            j->p++;
        }
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
            return -1;
        }
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
            j->p++;
        }
    }
    if (neg && !frac && x > (UINT64_C(1) << 63)) {
        return -1;
    }
    v->type = frac ? BHJSON_FRAC : neg ? BHJSON_NEG : BHJSON_UINT;
    v->u = x;
    return 0;
}

static bool word(struct jp *j, const char *w)
{
    size_t n = strlen(w);

    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0) {
        return false;
    }
    j->p += n;
    return true;
}

static int value(struct jp *j);

/* The members of an object or the elements of an array, after its opening bracket. */
static int container(struct jp *j, bool object)
{
    char close = object ? '}' : ']';
    int d = j->path.depth, r;
    size_t n;

    if (d >= BHJSON_DEPTH_MAX) {
        return -1;
    }
    j->path.depth++;
    j->path.at[d].index = object ? -1 : 0;
    j->path.at[d].key[0] = '\0';
    ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        j->path.depth--;
        return 0;
    }
    for (int32_t i = 0;; i++) {
        ws(j);
        if (object) {
            if (string(j, j->path.at[d].key, sizeof(j->path.at[d].key), &n) != 0) {
                return -1;
            }
            ws(j);
            if (j->p >= j->end || *j->p++ != ':') {
                return -1;
            }
        } else {
            j->path.at[d].index = i;
        }
        if ((r = value(j)) != 0) {
            return r;
        }
        ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == close) {
            j->p++;
            j->path.depth--;
            return 0;
        }
        return -1;
    }
}

static int value(struct jp *j)
{
    struct bhjson_val v = { 0 };

    ws(j);
    if (j->p >= j->end) {
        return -1;
    }
    switch (*j->p) {
    case '{': j->p++; return container(j, true);
    case '[': j->p++; return container(j, false);
    case '"':
        if (string(j, j->str, sizeof(j->str), &v.slen) != 0) {
            return -1;
        }
        v.type = BHJSON_STR;
        v.s = j->str;
        break;
    case 't':
    case 'f':
        v.type = BHJSON_BOOL;
        v.b = *j->p == 't';
        if (!word(j, v.b ? "true" : "false")) {
            return -1;
        }
        break;
    case 'n':
        v.type = BHJSON_NULL;
        if (!word(j, "null")) {
            return -1;
        }
        break;
    default:
        if (number(j, &v) != 0) {
            return -1;
        }
        break;
    }
    return j->cb ? j->cb(j->ctx, &j->path, &v) : 0;
}

int bhjson_parse(const char *s, size_t len, bhjson_cb cb, void *ctx)
{
    static struct jp j; /* the string buffer is large for a stack; one parse at a time */

    memset(&j, 0, sizeof(j));
    j.p = s;
    j.end = s + len;
    j.cb = cb;
    j.ctx = ctx;
    int r = value(&j);
    if (r) {
        return r;
    }
    ws(&j);
    return j.p == j.end ? 0 : -1;
}

bool bhjson_path_str(const struct bhjson_path *p, char *out, size_t len, uint32_t *idx,
                     size_t nidx)
{
    size_t o = 0, k = 0;

    if (len == 0) {
        return false;
    }
    out[0] = '\0';
    for (int i = 0; i < p->depth; i++) {
        const char *part = p->at[i].index < 0 ? p->at[i].key : "#";
        int n = snprintf(out + o, len - o, "%s%s", i ? "." : "", part);
        if (n < 0 || (size_t)n >= len - o) {
            return false;
        }
        o += (size_t)n;
        if (p->at[i].index >= 0 && k < nidx) {
            idx[k++] = (uint32_t)p->at[i].index;
        }
    }
    return true;
}
