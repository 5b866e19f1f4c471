// SPDX-License-Identifier: MIT
/*
 * bhmgmtd (guests/linux/tools/bhmgmtd*.c) on the host: its serve loop in a child process on
 * a loopback socket and bhctl's fake transport, asked over real TCP connections: every
 * route, the statuses bhctl's exit codes map to, authentication (401 counted), and hostile
 * clients (garbage, huge heads, a slowloris, too many connections, bodies).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bhmgmtd_fixture.h"
#include "json_check.h"

static struct fix_server srv;
static char *resp, *out, *err;

static void events_setup(void)
{
    fake_event(0, "start", "vcpus=1");
    fake_event(1, "start", "vcpus=1");
    fake_event(2, "mgmt", "op=start by=mgr result=ok");
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    resp = out = err = NULL;
    fix_server_start(&srv, events_setup);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fix_server_stop(&srv);
    fix_tls_cert = fix_tls_key = NULL;
    free(resp);
    free(out);
    free(err);
    return 0;
}

static int get(const char *path, const char **body)
{
    free(resp);
    return fix_request(&srv, "GET", path, NULL, &resp, body);
}

static int post(const char *path, const char **body)
{
    free(resp);
    return fix_request(&srv, "POST", path, NULL, &resp, body);
}

/* The local `bhctl ARGS` output on a fake like the server's. */
static const char *local(const char *a, const char *b, const char *c)
{
    free(out);
    free(err);
    fake_reset();
    events_setup();
    (void)fake_run(&out, &err, a, b, c, (char *)NULL);
    return out;
}

static void test_reads_are_bhctl_json(void **state)
{
    const char *body;

    (void)state;
    assert_int_equal(get("/v1/vms", &body), 200);
    assert_string_equal(body, local("--json", "list", NULL));
    assert_non_null(strstr(resp, "Content-Type: application/json\r\n"));
    assert_non_null(strstr(resp, "Connection: close\r\n"));
    assert_int_equal(get("/v1/vms/control", &body), 200);
    assert_string_equal(body, local("--json", "info", "control"));
    assert_int_equal(get("/v1/vms/2", &body), 200); /* by index, as bhctl takes it */
    assert_string_equal(body, local("--json", "info", "worker"));
    assert_int_equal(get("/v1/stats", &body), 200);
    assert_string_equal(body, local("--json", "stats", NULL));
    assert_int_equal(get("/v1/stats/worker", &body), 200);
    assert_string_equal(body, local("--json", "stats", "worker"));
    assert_true(json_lines_valid(body));
}

static void test_events_batches(void **state)
{
    const char *body;

    (void)state;
    assert_int_equal(get("/v1/events", &body), 200);
    assert_true(json_lines_valid(body));
    assert_non_null(strstr(body, "{\"first\":0,\"next\":3,\"missed\":0,\"log_next\":3,\"events\":["
                                 "{\"seq\":0,"));
    assert_non_null(strstr(body, "\"vm\":\"worker\",\"vm_id\":2,\"kind\":\"mgmt\","
                                 "\"text\":\"op=start by=mgr result=ok\"}]}\n"));
    assert_int_equal(get("/v1/events?cursor=2", &body), 200);
    assert_non_null(strstr(body, "\"first\":2,\"next\":3,"));
    assert_null(strstr(body, "\"seq\":1,"));
    assert_int_equal(get("/v1/events?cursor=3", &body), 200);
    assert_non_null(strstr(body, "\"next\":3,\"missed\":0,\"log_next\":3,\"events\":[]}"));
    static const char *const bad[] = { "/v1/events?cursor=", "/v1/events?cursor=-1",
                                       "/v1/events?cursor=1x", "/v1/events?limit=3",
                                       "/v1/events?cursor=99999999999999999999" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(get(bad[i], &body), 400);
        assert_true(json_lines_valid(body));
    }
}

static void flood_setup(void)
{
    for (int i = 0; i < FAKE_LOG_SIZE + 6; i++) {
        fake_event(1, "mmio_deny", "ipa=0x0");
    }
}

static void test_events_missed(void **state)
{
    const char *body;

    (void)state;
    fix_server_stop(&srv);
    fix_server_start(&srv, flood_setup);
    assert_int_equal(get("/v1/events?cursor=0", &body), 200);
    assert_non_null(strstr(body, "{\"first\":0,\"next\":70,\"missed\":6,\"log_next\":70,"
                                 "\"events\":[{\"seq\":6,"));
}

static void test_lifecycle_and_refusals(void **state)
{
    const char *body;

    (void)state;
    assert_int_equal(post("/v1/vms/worker/start", &body), 200);
    assert_string_equal(body, "{\"op\":\"start\",\"vm\":\"worker\",\"result\":\"ok\",\"code\":0,"
                              "\"exit\":0}\n");
    assert_int_equal(get("/v1/vms/worker", &body), 200);
    assert_non_null(strstr(body, "\"state\":\"running\""));
    assert_int_equal(post("/v1/vms/worker/start", &body), 409); /* running already */
    assert_non_null(strstr(body, "\"result\":\"wrong state\""));
    assert_non_null(strstr(body, "\"error\":\"start worker: wrong state (it is running)\""));
    assert_int_equal(post("/v1/vms/control/stop", &body), 403);
    assert_string_equal(body, "{\"op\":\"stop\",\"vm\":\"control\",\"result\":\"denied\","
                              "\"code\":-3,\"exit\":3,\"error\":\"stop control: denied (no "
                              "control right on it)\"}\n");
    assert_int_equal(post("/v1/vms/safety/stop", &body), 404);
    assert_string_equal(body, "{\"error\":\"unknown VM 'safety' (not in this manager's "
                              "grants)\",\"exit\":4}\n");
    assert_int_equal(get("/v1/vms/safety", &body), 404);
    assert_int_equal(get("/v1/stats/safety", &body), 404);
    assert_int_equal(post("/v1/vms/worker/shutdown", &body), 501);
    assert_non_null(strstr(body, "\"exit\":8"));
    assert_int_equal(post("/v1/vms/worker/pause", &body), 200);
    assert_int_equal(post("/v1/vms/worker/resume", &body), 200);
    assert_int_equal(post("/v1/vms/worker/stop", &body), 200);
    assert_int_equal(post("/v1/vms/worker/restart", &body), 200);
    assert_int_equal(post("/v1/vms/w%6Frker/start", &body), 200); /* percent-encoded */
}

static void test_authentication(void **state)
{
    const char *body;
    static const char *const bad[] = {
        "",                                    /* none */
        "Bearer wrong-token-0123456789ab",     /* wrong */
        "Bearer " FIX_TOKEN "x",               /* longer */
        "Bearer unit-test-token-012345678",    /* a prefix */
        "Basic dW5pdDp0ZXN0",                  /* another scheme */
        "Bearer",                              /* empty */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        free(resp);
        assert_int_equal(fix_request(&srv, "GET", "/v1/vms", bad[i], &resp, &body), 401);
        assert_non_null(strstr(resp, "WWW-Authenticate: Bearer"));
        assert_non_null(strstr(body, "\"exit\":9}"));
    }
    /* refused before routing: a lifecycle operation does not happen */
    free(resp);
    assert_int_equal(fix_request(&srv, "POST", "/v1/vms/worker/start", "", &resp, &body), 401);
    assert_int_equal(get("/v1/vms/worker", &body), 200);
    assert_non_null(strstr(body, "\"state\":\"defined\""));
    free(resp);
    assert_int_equal(fix_request(&srv, "GET", "/v1/vms", "bearer  " FIX_TOKEN, &resp, &body),
                     200);
    assert_int_equal(get("/v1/daemon", &body), 200);
    assert_non_null(strstr(body, "\"auth_failures\":7,"));
}

static void test_methods_and_paths(void **state)
{
    const char *body;

    (void)state;
    free(resp);
    assert_int_equal(fix_request(&srv, "DELETE", "/v1/vms", NULL, &resp, &body), 405);
    assert_non_null(strstr(resp, "\r\nAllow: GET\r\n"));
    assert_int_equal(get("/v1/vms/worker/start", &body), 405);
    assert_non_null(strstr(resp, "\r\nAllow: POST\r\n"));
    assert_int_equal(post("/v1/vms", &body), 405);
    static const char *const paths[] = { "/", "/v1", "/v1/", "/v2/vms", "/v1/vms/worker/frob",
                                         "/v1/vms/worker/start/x", "/v1/vms//start",
                                         "/v1/vms/%2F/start", "/v1/vms/%00", "/v1/vms/%zz",
                                         "/v1/vmsx", "/v1/stats/worker/x" };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        if (get(paths[i], &body) != 404) {
            fail_msg("%s: %s", paths[i], resp);
        }
        assert_true(json_lines_valid(body));
    }
}

static void test_hostile_heads(void **state)
{
    static const struct {
        const char *req;
        int status;
        size_t len; /* 0: strlen */
    } cases[] = {
        { "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n", 400, 20 }, /* TLS */
        { "GET /v1/vms HTTP/1.1\r\nX: a\0b\r\n\r\n", 400, 31 },
        { "\x80\xff\xfe junk junk\n\n", 400, 0 },
        { "GET /v1/vms HTTP/1.1\r\nX: a\rb\r\n\r\n", 400, 0 },
        { "GET /v1/vms HTTP/2.0\r\n\r\n", 505, 0 },
        { "GET http://x/v1/vms HTTP/1.1\r\n\r\n", 400, 0 },
        { "GET /v1/vms HTTP/1.1\r\nContent-Length: 5000\r\n\r\n", 413, 0 },
        { "GET /v1/vms HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501, 0 },
        { "\r\n\r\n", 400, 0 },
    };
    const char *body;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        free(resp);
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].req);
        int st = fix_exchange(&srv, cases[i].req, len, &resp, &body);
        if (st != cases[i].status) {
            fail_msg("case %zu: %d, want %d: %s", i, st, cases[i].status, resp);
        }
    }
    /* 16 KiB of headers: refused after the first 8 KiB */
    size_t n = 16384;
    char *big = malloc(n + 1);
    int k = snprintf(big, n, "GET /v1/vms HTTP/1.1\r\n");
    for (; (size_t)k + 40 < n; k += 20) {
        memcpy(big + k, "X-Filler: aaaaaaaa\r\n", 20);
    }
    big[k] = '\0';
    free(resp);
    assert_int_equal(fix_exchange(&srv, big, (size_t)k, &resp, &body), 431);
    /* a request line without an end */
    memset(big, 'a', n);
    memcpy(big, "GET /", 5);
    free(resp);
    assert_int_equal(fix_exchange(&srv, big, n, &resp, &body), 414);
    free(big);
    /* a small body is read and ignored */
    static const char with_body[] = "POST /v1/vms/worker/start HTTP/1.1\r\nAuthorization: "
                                    "Bearer " FIX_TOKEN "\r\nContent-Length: 5\r\n\r\nhello";
    free(resp);
    assert_int_equal(fix_exchange(&srv, with_body, sizeof(with_body) - 1, &resp, &body), 200);
    assert_int_equal(get("/v1/daemon", &body), 200);
    assert_non_null(strstr(body, "\"bad_requests\":11,"));
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_slowloris_and_connection_limit(void **state)
{
    const char *body;
    struct timespec t0;

    (void)state;
    /* a head that never ends: others are served meanwhile, it gets 408 at its deadline */
    int slow = fix_connect(&srv);
    assert_int_equal(send(slow, "GET /v1/vms HTTP/1.1\r\nX-a: b", 28, 0), 28);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(get("/v1/vms", &body), 200);
    assert_true(elapsed_ms(&t0) < (long)FIX_TIMEOUT_MS);
    char *r = fix_read_all(slow);
    close(slow);
    if (!strstr(r, "HTTP/1.1 408 Request Timeout\r\n")) {
        fail_msg("slowloris: '%s'", r);
    }
    free(r);
    /* BHMGMTD_CONNS_MAX silent connections: the next one is refused with 503 at once */
    int idle[BHMGMTD_CONNS_MAX];
    for (size_t i = 0; i < BHMGMTD_CONNS_MAX; i++) {
        idle[i] = fix_connect(&srv);
    }
    usleep(50000);
    int extra = fix_connect(&srv);
    r = fix_read_all(extra);
    close(extra);
    assert_non_null(strstr(r, "HTTP/1.1 503 "));
    free(r);
    for (size_t i = 0; i < BHMGMTD_CONNS_MAX; i++) {
        r = fix_read_all(idle[i]);
        assert_non_null(strstr(r, " 408 "));
        free(r);
        close(idle[i]);
    }
    /* and the daemon serves again */
    assert_int_equal(get("/v1/daemon", &body), 200);
    assert_non_null(strstr(body, "\"timeouts\":9,\"refused\":1}"));
}

/* One request over TLS (the server's test-a certificate pinned); the answer's status. */
static int tls_get(const char *path, char *answer, size_t cap)
{
    char req[256], msg[160];
    size_t len;
    int st;
    const char *body;
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nAuthorization: Bearer " FIX_TOKEN
                     "\r\n\r\n", path);
    int fd = fix_connect(&srv);

    int r = bhtls_client_exchange(fd, req, (size_t)n, answer, cap - 1, &len,
                                  bhtls_now_ms() + 5000, msg, sizeof(msg));
    close(fd);
    if (r != 0) {
        fail_msg("%s: %s", path, msg);
    }
    answer[len] = '\0';
    return bhhttp_parse_response(answer, len, &st, &body, &len) == 0 ? st : -1;
}

static void test_tls_hostile_clients(void **state)
{
    static char answer[65536];
    char msg[160];
    struct timespec t0;

    (void)state;
    fix_server_stop(&srv);
    fix_tls_cert = FIX_TLS_DIR "test-a-cert.pem";
    fix_tls_key = FIX_TLS_DIR "test-a-key.pem";
    fix_server_start(&srv, events_setup);
    assert_int_equal(bhtls_client_pin(FIX_TLS_DIR "test-a-cert.pem", msg, sizeof(msg)), 0);
    assert_int_equal(tls_get("/v1/vms", answer, sizeof(answer)), 200);
    assert_non_null(strstr(answer, "\"name\":\"worker\""));
    /* plain HTTP and garbage: closed without an answer (there is no TLS to say it in) */
    const char *body;
    free(resp);
    assert_int_equal(fix_request(&srv, "GET", "/v1/vms", NULL, &resp, &body), -1);
    assert_string_equal(resp, "");
    free(resp);
    assert_int_equal(fix_exchange(&srv, "\x16\x03\x01\xff\xff garbage", 13, &resp, &body), -1);
    /* a silent connection holds its slot until the deadline, not the daemon */
    int slow = fix_connect(&srv);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(tls_get("/v1/stats", answer, sizeof(answer)), 200);
    assert_true(elapsed_ms(&t0) < (long)FIX_TIMEOUT_MS);
    char *r = fix_read_all(slow);
    close(slow);
    assert_true(elapsed_ms(&t0) >= (long)FIX_TIMEOUT_MS - 50);
    free(r);
    assert_int_equal(tls_get("/v1/daemon", answer, sizeof(answer)), 200);
    assert_non_null(strstr(answer, "\"timeouts\":1,"));
    fix_tls_cert = fix_tls_key = NULL;
}

static void test_token_rules(void **state)
{
    struct bhmgmtd d = { 0 };
    char msg[160];
    size_t len;

    (void)state;
    assert_int_equal(bhmgmtd_set_token(&d, "", 0, msg, sizeof(msg)), -1);
    assert_int_equal(bhmgmtd_set_token(&d, "short-token\n", 12, msg, sizeof(msg)), -1);
    assert_non_null(strstr(msg, "16..256"));
    assert_int_equal(bhmgmtd_set_token(&d, "0123456789abcde", 15, msg, sizeof(msg)), -1);
    assert_int_equal(bhmgmtd_set_token(&d, "0123456789 abcdef", 17, msg, sizeof(msg)), -1);
    assert_int_equal(bhmgmtd_set_token(&d, "0123456789abcdef\n", 17, msg, sizeof(msg)), 0);
    assert_string_equal(d.token, "0123456789abcdef");
    const char *t = bhmgmtd_cmdline_token("console=ttyAMA0 bh.mgmt_token=s3cr3t-s3cr3t-s3cr3t "
                                          "quiet\n", &len);
    assert_non_null(t);
    assert_int_equal(len, 20);
    assert_memory_equal(t, "s3cr3t-s3cr3t-s3cr3t", 20);
    t = bhmgmtd_cmdline_token("xbh.mgmt_token=aaaaaaaaaaaaaaaaaaaa bh.mgmt_token=b\n", &len);
    assert_non_null(t);
    assert_int_equal(len, 1);
    assert_null(bhmgmtd_cmdline_token("console=ttyAMA0 quiet\n", &len));
    assert_int_equal(bhmgmtd_status_of_exit(BHCTL_EXIT_DENIED), 403);
    assert_int_equal(bhmgmtd_status_of_exit(BHCTL_EXIT_NOENT), 404);
    assert_int_equal(bhmgmtd_status_of_exit(BHCTL_EXIT_STATE), 409);
    assert_int_equal(bhmgmtd_status_of_exit(BHCTL_EXIT_BUSY), 503);
    assert_int_equal(bhmgmtd_status_of_exit(BHCTL_EXIT_UNSUPPORTED), 501);
    assert_int_equal(bhmgmtd_status_of_exit(BHCTL_EXIT_USAGE), 400);
    assert_int_equal(bhmgmtd_status_of_exit(BHCTL_EXIT_AUTH), 401);
    assert_int_equal(bhmgmtd_status_of_exit(99), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reads_are_bhctl_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_missed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lifecycle_and_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_authentication, setup, teardown),
        cmocka_unit_test_setup_teardown(test_methods_and_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_heads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slowloris_and_connection_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tls_hostile_clients, setup, teardown),
        cmocka_unit_test(test_token_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
