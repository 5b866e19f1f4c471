// SPDX-License-Identifier: MIT
/*
 * The HTTP heads and the JSON reader of bhmgmtd and bhctl --remote
 * (guests/linux/tools/bhhttp.c, bhjson.c) fed hostile input directly: every refusal and its
 * status, every prefix of a good request (a client sending a byte at a time), limits at
 * and past their edge, the bearer token's comparison, and random bytes that must never
 * crash or be taken for a request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guests/linux/tools/bhhttp.h"
#include "guests/linux/tools/bhjson.h"

static struct bhhttp_req req;

static int parse(const char *s)
{
    return bhhttp_parse_request(s, strlen(s), &req);
}

static void test_good_requests(void **state)
{
    (void)state;
    assert_int_equal(parse("GET /v1/vms HTTP/1.1\r\nHost: x\r\nAuthorization:  Bearer abc \r\n\r\n"),
                     0);
    assert_int_equal(req.method, BHHTTP_GET);
    assert_string_equal(req.path, "/v1/vms");
    assert_string_equal(req.query, "");
    assert_string_equal(req.auth, "Bearer abc");
    assert_int_equal(req.content_length, 0);
    assert_int_equal(req.head_len, strlen("GET /v1/vms HTTP/1.1\r\nHost: x\r\n"
                                          "Authorization:  Bearer abc \r\n\r\n"));
    /* LF only (RFC 9112 section 2.2), HTTP/1.0, a query, a body announced */
    assert_int_equal(parse("POST /v1/events?cursor=5 HTTP/1.0\nContent-Length: 12\n\nbody..."), 0);
    assert_int_equal(req.method, BHHTTP_POST);
    assert_string_equal(req.path, "/v1/events");
    assert_string_equal(req.query, "cursor=5");
    assert_int_equal(req.content_length, 12);
    assert_int_equal(parse("DELETE / HTTP/1.1\r\ncontent-length: 3\r\nCONTENT-LENGTH: 3\r\n\r\n"),
                     0);
    assert_int_equal(req.method, BHHTTP_OTHER);
    assert_string_equal(req.method_str, "DELETE");
}

static void test_every_prefix_wants_more(void **state)
{
    static const char full[] = "GET /v1/stats/worker HTTP/1.1\r\nHost: board\r\n"
                               "Authorization: Bearer 0123456789abcdef\r\n\r\n";

    (void)state;
    for (size_t n = 0; n < sizeof(full) - 1; n++) {
        int r = bhhttp_parse_request(full, n, &req);
        if (r != BHHTTP_MORE) {
            fail_msg("prefix of %zu bytes: %d", n, r);
        }
    }
    assert_int_equal(bhhttp_parse_request(full, sizeof(full) - 1, &req), 0);
}

static void test_refusals(void **state)
{
    static const struct {
        const char *s;
        int status;
    } cases[] = {
        { "\r\n\r\n", 400 },
        { "GET\r\n\r\n", 400 },
        { "GET /\r\n\r\n", 400 },
        { "GET  / HTTP/1.1\r\n\r\n", 400 },
        { "GET / HTTP/1.1 \r\n\r\n", 400 },
        { "G(T / HTTP/1.1\r\n\r\n", 400 },
        { "GETTINGTOOLONGMETHOD / HTTP/1.1\r\n\r\n", 400 },
        { "GET / HTTP/2.0\r\n\r\n", 505 },
        { "GET / HTTP/1.2\r\n\r\n", 505 },
        { "GET / HTTP/1.x\r\n\r\n", 400 },
        { "GET / FTP/1.1\r\n\r\n", 400 },
        { "GET v1 HTTP/1.1\r\n\r\n", 400 },
        { "GET http://h/v1 HTTP/1.1\r\n\r\n", 400 },
        { "GET /a\x7f HTTP/1.1\r\n\r\n", 400 },
        { "GET /a\xc3\xa9 HTTP/1.1\r\n\r\n", 400 },
        { "GET /a#frag HTTP/1.1\r\n\r\n", 400 },
        { "GET / HTTP/1.1\rX\r\n\r\n", 400 },                 /* bare CR */
        { "GET / HTTP/1.1\r\n folded\r\n\r\n", 400 },         /* obs-fold */
        { "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400 },        /* space before the colon */
        { "GET / HTTP/1.1\r\nno colon\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\n: empty name\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n", 413 },
        { "GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nContent-Length:\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501 },
        { "GET / HTTP/1.1\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n", 400 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int r = parse(cases[i].s);
        if (r != cases[i].status) {
            fail_msg("case %zu: %d, want %d", i, r, cases[i].status);
        }
    }
    /* a NUL anywhere, even before the head is complete */
    assert_int_equal(bhhttp_parse_request("GET /\0 HTTP/1.1\r\n\r\n", 20, &req), 400);
    assert_int_equal(bhhttp_parse_request("GE\0", 3, &req), 400);
}

static void test_limits(void **state)
{
    static char buf[3 * BHHTTP_HEAD_MAX];
    int n;

    (void)state;
    /* the target: 512 bytes fit, 513 do not */
    n = snprintf(buf, sizeof(buf), "GET /%0*d HTTP/1.1\r\n\r\n", BHHTTP_TARGET_MAX - 1, 0);
    assert_int_equal(bhhttp_parse_request(buf, (size_t)n, &req), 0);
    assert_int_equal(strlen(req.path), BHHTTP_TARGET_MAX);
    n = snprintf(buf, sizeof(buf), "GET /%0*d HTTP/1.1\r\n\r\n", BHHTTP_TARGET_MAX, 0);
    assert_int_equal(bhhttp_parse_request(buf, (size_t)n, &req), 414);
    /* a request line that does not end */
    memset(buf, 'a', 600);
    memcpy(buf, "GET /", 5);
    assert_int_equal(bhhttp_parse_request(buf, 600, &req), 414);
    /* a head of exactly 8 KiB is fine, one byte more is 431 (complete or not) */
    n = snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nX: ");
    size_t fill = BHHTTP_HEAD_MAX - (size_t)n - 4;
    memset(buf + n, 'v', fill);
    memcpy(buf + n + fill, "\r\n\r\n", 4);
    assert_int_equal(bhhttp_parse_request(buf, BHHTTP_HEAD_MAX, &req), 0);
    memmove(buf + n + 1, buf + n, fill + 4);
    assert_int_equal(bhhttp_parse_request(buf, BHHTTP_HEAD_MAX + 1, &req), 431);
    assert_int_equal(bhhttp_parse_request(buf, BHHTTP_HEAD_MAX, &req), 431);
    assert_int_equal(bhhttp_parse_request(buf, BHHTTP_HEAD_MAX - 1, &req), BHHTTP_MORE);
    /* header lines: 64 are fine, 65 are too many */
    for (int lines = 64; lines <= 65; lines++) {
        n = snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\n");
        for (int i = 0; i < lines; i++) {
            n += snprintf(buf + n, sizeof(buf) - (size_t)n, "X: %d\r\n", i);
        }
        n += snprintf(buf + n, sizeof(buf) - (size_t)n, "\r\n");
        assert_int_equal(bhhttp_parse_request(buf, (size_t)n, &req), lines == 64 ? 0 : 431);
    }
    /* an Authorization value too long to hold is marked, not cut */
    n = snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nAuthorization: Bearer %0600d\r\n\r\n", 0);
    assert_int_equal(bhhttp_parse_request(buf, (size_t)n, &req), 0);
    assert_true(req.auth_too_long);
    assert_string_equal(req.auth, "");
}

static void test_random_bytes(void **state)
{
    static char buf[BHHTTP_HEAD_MAX + 64];
    unsigned seed = 12345;
    static const char alphabet[] = "GET /v1HTP.1\r\n: ABearer0\t?%\x00\x80";

    (void)state;
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(rand_r(&seed) % 200);
        bool text = round & 1; /* half from an alphabet near HTTP's, half any bytes */
        if (round % 1000 == 0) {
            len = sizeof(buf);
        }
        for (size_t i = 0; i < len; i++) {
            int r = rand_r(&seed);
            buf[i] = text ? alphabet[r % (int)(sizeof(alphabet) - 1)] : (char)r;
        }
        int st = bhhttp_parse_request(buf, len, &req);
        bool known = st == 0 || st == BHHTTP_MORE || st == 400 || st == 413 || st == 414 ||
                     st == 431 || st == 501 || st == 505;
        if (!known) {
            fail_msg("round %d: %d", round, st);
        }
        if (st == 0) {
            assert_true(req.head_len <= len && req.path[0] == '/');
        }
        int status;
        const char *body;
        size_t blen;
        if (bhhttp_parse_response(buf, len, &status, &body, &blen) == 0) {
            assert_true(body >= buf && body + blen == buf + len);
        }
    }
}

static void test_bearer_and_token(void **state)
{
    (void)state;
    assert_string_equal(bhhttp_bearer("Bearer abc"), "abc");
    assert_string_equal(bhhttp_bearer("bEaReR   abc"), "abc");
    assert_null(bhhttp_bearer("Bearer"));
    assert_null(bhhttp_bearer("Bearer "));
    assert_null(bhhttp_bearer("Bearerabc"));
    assert_null(bhhttp_bearer("Basic abc"));
    assert_null(bhhttp_bearer(""));
    static const char tok[] = "0123456789abcdef";
    assert_true(bhhttp_token_eq("0123456789abcdef", tok, 16));
    assert_false(bhhttp_token_eq("0123456789abcdeF", tok, 16));
    assert_false(bhhttp_token_eq("0123456789abcde", tok, 16));
    assert_false(bhhttp_token_eq("0123456789abcdef0", tok, 16));
    assert_false(bhhttp_token_eq("", tok, 16));
    assert_false(bhhttp_token_eq("", "", 0));          /* an empty secret matches nothing */
    assert_false(bhhttp_token_eq("short", "short", 5)); /* nor does a short one */
    char longer[BHHTTP_TOKEN_MAX + 2];
    memset(longer, 'a', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    assert_false(bhhttp_token_eq(longer, longer, BHHTTP_TOKEN_MAX + 1));
    assert_true(bhhttp_token_eq(longer + 1, longer + 1, BHHTTP_TOKEN_MAX));
    assert_true(bhhttp_token_valid(tok, 16));
    assert_false(bhhttp_token_valid(tok, 15));
    assert_false(bhhttp_token_valid("0123456789 abcdef", 17));
    assert_false(bhhttp_token_valid("0123456789\nabcdef", 17));
}

static void test_responses(void **state)
{
    int st;
    const char *body;
    size_t len;
    static const char ok[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}";

    (void)state;
    assert_int_equal(bhhttp_parse_response(ok, sizeof(ok) - 1, &st, &body, &len), 0);
    assert_int_equal(st, 404);
    assert_int_equal(len, 2);
    assert_int_equal(bhhttp_parse_response("HTTP/1.0 200\r\n\r\n", 16, &st, &body, &len), 0);
    static const char *const bad[] = {
        "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\n{}",
        "HTTP/1.1 404 Not Found\r\nContent-Length: x\r\n\r\n{}",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nbroken\r\n\r\n",
        "HTTP/1.1 200 OK\r\n",
        "garbage",
        "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (bhhttp_parse_response(bad[i], strlen(bad[i]), &st, &body, &len) == 0) {
            fail_msg("case %zu accepted", i);
        }
    }
}

static void test_percent(void **state)
{
    char out[16];

    (void)state;
    assert_true(bhhttp_pct_decode("w%6Frker", out, sizeof(out)));
    assert_string_equal(out, "worker");
    assert_false(bhhttp_pct_decode("a%2Fb", out, sizeof(out)));
    assert_false(bhhttp_pct_decode("a%00", out, sizeof(out)));
    assert_false(bhhttp_pct_decode("a%G0", out, sizeof(out)));
    assert_false(bhhttp_pct_decode("a%4", out, sizeof(out)));
    assert_false(bhhttp_pct_decode("a%", out, sizeof(out)));
    assert_false(bhhttp_pct_decode("0123456789abcdef", out, sizeof(out)));
    assert_true(bhhttp_pct_encode("a b/\xe9", out, sizeof(out)));
    assert_string_equal(out, "a%20b%2F%E9");
    char back[16];
    assert_false(bhhttp_pct_decode(out, back, sizeof(back))); /* the '/' */
    assert_true(bhhttp_pct_encode("x\"y", out, sizeof(out)));
    assert_true(bhhttp_pct_decode(out, back, sizeof(back)));
    assert_string_equal(back, "x\"y");
    assert_true(bhhttp_pct_encode("\x01\x02\x03\x04\x05", out, sizeof(out))); /* 15 + NUL */
    assert_false(bhhttp_pct_encode("\x01\x02\x03\x04\x05\x06", out, sizeof(out)));
}

/* ------------------------------------------------------------------ JSON */

static char seen[1024];

static int collect(void *ctx, const struct bhjson_path *p, const struct bhjson_val *v)
{
    char path[128];
    uint32_t idx[4];
    size_t n = strlen(seen);

    (void)ctx;
    assert_true(bhjson_path_str(p, path, sizeof(path), idx, 4));
    switch (v->type) {
    case BHJSON_STR: snprintf(seen + n, sizeof(seen) - n, "%s=s:%s;", path, v->s); break;
    case BHJSON_UINT: snprintf(seen + n, sizeof(seen) - n, "%s=%llu;", path,
                               (unsigned long long)v->u); break;
    case BHJSON_NEG: snprintf(seen + n, sizeof(seen) - n, "%s=-%llu;", path,
                              (unsigned long long)v->u); break;
    case BHJSON_FRAC: snprintf(seen + n, sizeof(seen) - n, "%s=frac;", path); break;
    case BHJSON_BOOL: snprintf(seen + n, sizeof(seen) - n, "%s=%s;", path, v->b ? "t" : "f");
        break;
    case BHJSON_NULL: snprintf(seen + n, sizeof(seen) - n, "%s=null;", path); break;
    }
    return 0;
}

static int json(const char *s)
{
    seen[0] = '\0';
    return bhjson_parse(s, strlen(s), collect, NULL);
}

static void test_json_reader(void **state)
{
    (void)state;
    assert_int_equal(json(" {\"a\":[1,{\"b\":\"x\\u00e9\\n\\\"\"}],\"c\":-5,\"d\":1.5e3,"
                          "\"e\":true,\"f\":null,\"g\":{},\"h\":[]} "), 0);
    assert_string_equal(seen, "a.#=1;a.#.b=s:x\xe9\n\";c=-5;d=frac;e=t;f=null;");
    assert_int_equal(json("18446744073709551615"), 0);
    assert_string_equal(seen, "=18446744073709551615;");
    static const char *const bad[] = {
        "", "{", "[1,]", "{\"a\"}", "{\"a\":}", "{a:1}", "[01]", "18446744073709551616",
        "-9223372036854775809", "1.", "1e", "\"\\u0000\"", "\"\\u0100\"", "\"\\x\"", "\"a\nb\"",
        "tru", "nul", "[1] [2]", "\"unterminated", "\"\\u12\"",
        "[[[[[[[[[1]]]]]]]]]", /* deeper than BHJSON_DEPTH_MAX */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (json(bad[i]) != -1) {
            fail_msg("'%s' accepted", bad[i]);
        }
    }
    assert_int_equal(json("[[[[[[[[1]]]]]]]]"), 0); /* exactly the limit */
    char big[BHJSON_STR_MAX + 8];
    memset(big, 'a', sizeof(big));
    big[0] = '"';
    big[BHJSON_STR_MAX + 1] = '"';
    big[BHJSON_STR_MAX + 2] = '\0';
    assert_int_equal(json(big), -1); /* 256 bytes and a NUL do not fit 256 */
    big[BHJSON_STR_MAX] = '"';
    big[BHJSON_STR_MAX + 1] = '\0';
    assert_int_equal(json(big), 0);
    char key[BHJSON_KEY_MAX + 16];
    snprintf(key, sizeof(key), "{\"%0*d\":1}", BHJSON_KEY_MAX, 0);
    assert_int_equal(json(key), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_requests),
        cmocka_unit_test(test_every_prefix_wants_more),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_bearer_and_token),
        cmocka_unit_test(test_responses),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_json_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
