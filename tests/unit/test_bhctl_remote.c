// SPDX-License-Identifier: MIT
/*
 * bhctl --remote (guests/linux/tools/bhctl_remote.c) against bhmgmtd on a loopback socket
 * (bhmgmtd_fixture.c, the daemon on the fake transport in a child process): every command's
 * output, messages and exit status must be those of bhctl run locally on the same fake;
 * a refused token, no daemon and malformed answers are errors of their own. The JSON read
 * back (bhctl_unjson.c) must restore the snapshot exactly.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bhmgmtd_fixture.h"

static struct fix_server srv;
static const char *client_cert; /* --cert: TLS */
static char *lout, *lerr, *rout, *rerr;

static void scenario(void)
{
    fake.snap.vm[1].uptime_ns = 75ull * 1000000000ull;
    fake.snap.vm[1].exits[BH_MGMT_EXIT_IRQ] = 1234;
    fake.snap.vm[1].vcpu[0].run_ns = 2500000000ull;
    fake.snap.vm[1].uart_rx_dropped = 3;
    fake.snap.vm[1].exits[BH_MGMT_EXIT_WFI] = 77;
    fake.snap.console_ring_full = 9;
    fake.snap.ipc[0].bytes = 4096;
    /* hostile-looking names and texts survive the JSON both ways */
    snprintf(fake.snap.ipc[0].name, sizeof(fake.snap.ipc[0].name), "q\n\"\\\x01\xe9");
    fake_event(0, "start", "vcpus=1");
    fake_event(2, "mgmt", "op=start by=mgr text=\"\x7f\x1b[2J\"");
    fake_event(BH_MGMT_VM_NONE, "config_error", "node=/vms/x");
}

static void flood(void)
{
    scenario();
    for (int i = 0; i < FAKE_LOG_SIZE + 10; i++) {
        fake_event(1, "mmio_deny", "ipa=0x9000000");
    }
}

static int setup(void **state)
{
    (void)state;
    lout = lerr = rout = rerr = NULL;
    setenv("BHCTL_TOKEN", FIX_TOKEN, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fix_server_stop(&srv);
    fix_tls_cert = fix_tls_key = client_cert = NULL;
    free(lout);
    free(lerr);
    free(rout);
    free(rerr);
    unsetenv("BHCTL_TOKEN");
    return 0;
}

/* bhctl argv[] (NULL-terminated) through the remote transport at port. */
static int remote_run(int port, char **out, char **err, char *const *words)
{
    char *argv[32] = { "bhctl" }, msg[160], hostport[32];
    int argc = 1;
    size_t olen, elen;
    struct bhctl_args a;

    for (; words[argc - 1] && argc < 31; argc++) {
        argv[argc] = words[argc - 1];
    }
    snprintf(hostport, sizeof(hostport), "127.0.0.1:%d", port);
    FILE *o = open_memstream(out, &olen), *e = open_memstream(err, &elen);
    struct bhctl_env env = { &bhctl_remote_transport, o, e, fake_sleep, &fake.stop };
    int r = bhctl_parse_args(argc, argv, &a, msg, sizeof(msg));
    if (!r) {
        r = bhctl_remote_setup(hostport, NULL, client_cert, msg, sizeof(msg));
    }
    if (r) {
        fprintf(e, "bhctl: %s\n", msg);
    } else {
        r = bhctl_run(&a, &env);
    }
    fclose(o);
    fclose(e);
    return r;
}

static int local_run(char **out, char **err, char *const *words)
{
    char *w[5] = { NULL };

    for (int i = 0; i < 4 && words[i]; i++) {
        w[i] = words[i];
    }
    return fake_run(out, err, w[0], w[1], w[2], w[3], (char *)NULL);
}

/* The command locally and remotely, each on a fresh scenario: the same output and status. */
static void same(void (*setup_fn)(void), char *const *words, int want_exit)
{
    free(lout);
    free(lerr);
    free(rout);
    free(rerr);
    fake_reset();
    setup_fn();
    int l = local_run(&lout, &lerr, words);
    fix_server_start(&srv, setup_fn);
    int r = remote_run(srv.port, &rout, &rerr, words);
    fix_server_stop(&srv);
    if (l != want_exit || r != l || strcmp(lout, rout) != 0 || strcmp(lerr, rerr) != 0) {
        fail_msg("%s %s: local %d, remote %d (want %d)\n--- local out:\n%s--- remote out:\n%s"
                 "--- local err:\n%s--- remote err:\n%s",
                 words[0], words[1] ? words[1] : "", l, r, want_exit, lout, rout, lerr, rerr);
    }
}

#define SAME(exit_code, ...)                                                                  \
    do {                                                                                      \
        char *const w_[] = { __VA_ARGS__, NULL, NULL, NULL, NULL };                           \
        same(scenario, w_, exit_code);                                                        \
    } while (0)

static void test_reads_same_as_local(void **state)
{
    (void)state;
    SAME(0, "list");
    SAME(0, "--json", "list");
    SAME(0, "info", "control");
    SAME(0, "info", "2", "--json");
    SAME(0, "info", "mgr");
    SAME(0, "stats");
    SAME(0, "stats", "worker");
    SAME(0, "--json", "stats");
    SAME(0, "events");
    SAME(0, "events", "--json");
    SAME(0, "events", "--new");
    SAME(BHCTL_EXIT_NOENT, "info", "safety");
    SAME(BHCTL_EXIT_NOENT, "stats", "safety");
    char *const w[] = { "events", NULL };
    same(flood, w, 0); /* records missed, then batches */
    assert_non_null(strstr(rout, "# 13 records missed before seq 13\n"));
}

static void test_ops_same_as_local(void **state)
{
    (void)state;
    SAME(0, "start", "worker");
    SAME(0, "restart", "worker", "--json");
    SAME(BHCTL_EXIT_STATE, "pause", "worker"); /* defined: "(it is defined)" */
    SAME(BHCTL_EXIT_STATE, "resume", "worker", "--json");
    SAME(BHCTL_EXIT_DENIED, "stop", "control");
    SAME(BHCTL_EXIT_DENIED, "stop", "control", "--json");
    SAME(BHCTL_EXIT_DENIED, "restart", "mgr");
    SAME(BHCTL_EXIT_NOENT, "stop", "safety");
    SAME(BHCTL_EXIT_UNSUPPORTED, "shutdown", "worker");
    SAME(BHCTL_EXIT_USAGE, "stop");
}

static void control_only(void)
{
    scenario();
    fake.snap.vm[2].rights = BH_MGMT_RIGHT_CONTROL;
    memset(&fake.snap.vm[2].vcpu, 0, sizeof(fake.snap.vm[2].vcpu)); /* as the device: none */
    fake.snap.vm[2].nr_vcpus = 0;
    fake.snap.vm[2].mem_bytes = 0;
    fake.snap.vm[2].flags = 0;
}

static void test_control_only_target(void **state)
{
    static char *const cmds[][3] = { { "list" }, { "info", "worker" }, { "stats" },
                                     { "start", "worker" } };

    (void)state;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        same(control_only, cmds[i], 0);
    }
}

static void test_token_and_transport_errors(void **state)
{
    char *const list[] = { "list", NULL };

    (void)state;
    fix_server_start(&srv, scenario);
    setenv("BHCTL_TOKEN", "not-the-token-0123456789", 1);
    assert_int_equal(remote_run(srv.port, &rout, &rerr, list), BHCTL_EXIT_AUTH);
    assert_string_equal(rout, "");
    assert_non_null(strstr(rerr, "refused the token (wrong token)"));
    free(rout);
    free(rerr);
    unsetenv("BHCTL_TOKEN");
    assert_int_equal(remote_run(srv.port, &rout, &rerr, list), BHCTL_EXIT_USAGE);
    assert_non_null(strstr(rerr, "--remote needs a token"));
    free(rout);
    free(rerr);
    setenv("BHCTL_TOKEN", "short", 1);
    assert_int_equal(remote_run(srv.port, &rout, &rerr, list), BHCTL_EXIT_USAGE);
    free(rout);
    free(rerr);
    setenv("BHCTL_TOKEN", "header\r\ninjection-0123456789", 1);
    assert_int_equal(remote_run(srv.port, &rout, &rerr, list), BHCTL_EXIT_USAGE);
    free(rout);
    free(rerr);
    /* a token file, its newline dropped */
    char path[] = "/tmp/bhctl-token-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, FIX_TOKEN "\n", sizeof(FIX_TOKEN)), sizeof(FIX_TOKEN));
    close(fd);
    char msg[160], hp[32];
    snprintf(hp, sizeof(hp), "127.0.0.1:%d", srv.port);
    assert_int_equal(bhctl_remote_setup(hp, path, NULL, msg, sizeof(msg)), 0);
    struct bhctl_snap *s = malloc(sizeof(*s));
    assert_int_equal(bhctl_remote_transport.snapshot(&bhctl_remote_transport, s), 0);
    assert_int_equal(s->vm_count, 3);
    free(s);
    unlink(path);
    assert_int_equal(bhctl_remote_setup(hp, path, NULL, msg, sizeof(msg)), BHCTL_EXIT_USAGE);
    fix_server_stop(&srv);
    /* nobody listening: an error, and the message says where */
    setenv("BHCTL_TOKEN", FIX_TOKEN, 1);
    rout = rerr = NULL;
    assert_int_equal(remote_run(srv.port, &rout, &rerr, list), BHCTL_EXIT_ERROR);
    assert_non_null(strstr(rerr, "cannot connect"));
    /* addresses */
    static const char *const bad[] = { "127.0.0.1", "127.0.0.1:", "127.0.0.1:0",
                                       "127.0.0.1:65536", "127.0.0.1:-1", "host.example:80",
                                       ":80", "[::1:80" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (bhctl_remote_setup(bad[i], NULL, NULL, msg, sizeof(msg)) != BHCTL_EXIT_USAGE) {
            fail_msg("%s accepted", bad[i]);
        }
    }
    assert_int_equal(bhctl_remote_setup("[::1]:8080", NULL, NULL, msg, sizeof(msg)), 0);
    assert_int_equal(bhctl_remote_setup("localhost:8080", NULL, NULL, msg, sizeof(msg)), 0);
}

static void use_tls(const char *server, const char *client)
{
    static char cert[64], key[64], pin[64];

    snprintf(cert, sizeof(cert), FIX_TLS_DIR "test-%s-cert.pem", server);
    snprintf(key, sizeof(key), FIX_TLS_DIR "test-%s-key.pem", server);
    snprintf(pin, sizeof(pin), FIX_TLS_DIR "test-%s-cert.pem", client);
    fix_tls_cert = cert;
    fix_tls_key = key;
    client_cert = pin;
}

/* Over TLS, the same answers as locally; with an EC and with an RSA certificate. */
static void test_tls_same_as_local(void **state)
{
    (void)state;
    for (int rsa = 0; rsa <= 1; rsa++) {
        use_tls(rsa ? "rsa" : "a", rsa ? "rsa" : "a");
        SAME(0, "list");
        SAME(0, "--json", "stats");
        SAME(0, "events");
        SAME(0, "start", "worker");
        SAME(BHCTL_EXIT_DENIED, "stop", "control");
    }
}

static void test_tls_refusals(void **state)
{
    char *const list[] = { "list", NULL };

    (void)state;
    /* a daemon with another key than the pinned certificate's: no answer is taken */
    use_tls("b", "a");
    fix_server_start(&srv, scenario);
    assert_int_equal(remote_run(srv.port, &rout, &rerr, list), BHCTL_EXIT_ERROR);
    assert_string_equal(rout, "");
    assert_non_null(strstr(rerr, "TLS handshake failed"));
    fix_server_stop(&srv);
    free(rout);
    free(rerr);
    /* TLS to a plain daemon, and plain HTTP to a TLS one: errors, no answer */
    fix_tls_cert = fix_tls_key = NULL;
    fix_server_start(&srv, scenario);
    assert_int_equal(remote_run(srv.port, &rout, &rerr, list), BHCTL_EXIT_ERROR);
    fix_server_stop(&srv);
    free(rout);
    free(rerr);
    use_tls("a", "a");
    client_cert = NULL;
    fix_server_start(&srv, scenario);
    assert_int_equal(remote_run(srv.port, &rout, &rerr, list), BHCTL_EXIT_ERROR);
    assert_string_equal(rout, "");
    /* a pin that is not a certificate */
    char msg[160];
    assert_int_equal(bhctl_remote_setup("127.0.0.1:1", NULL, FIX_TLS_DIR "test-a-key.pem", msg,
                                        sizeof(msg)), BHCTL_EXIT_USAGE);
    assert_non_null(strstr(msg, "no PEM certificate"));
    assert_int_equal(bhctl_remote_setup("127.0.0.1:1", NULL, FIX_TLS_DIR "README", msg,
                                        sizeof(msg)), BHCTL_EXIT_USAGE);
    assert_int_equal(bhctl_remote_setup("127.0.0.1:1", NULL, "/nonexistent", msg, sizeof(msg)),
                     BHCTL_EXIT_USAGE);
}

/* A server that answers every connection with the same bytes. */
static int canned_port;
static pid_t canned_pid;

static void canned_start(const char *answer)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t sl = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(fd, 4), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
    canned_port = ntohs(sa.sin_port);
    fflush(NULL);
    canned_pid = fork();
    if (canned_pid == 0) {
        for (;;) {
            int c = accept(fd, NULL, NULL);
            char buf[4096];
            (void)!recv(c, buf, sizeof(buf), 0);
            (void)!send(c, answer, strlen(answer), MSG_NOSIGNAL);
            close(c);
        }
    }
    close(fd);
}

static void test_malformed_answers(void **state)
{
    static const char *const answers[] = {
        "garbage",
        "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"time_ns\":1}",        /* cut short */
        "HTTP/1.1 200 OK\r\n\r\n{\"vms\":[{\"id\":1,\"vcpus\":9}]}",            /* > 8 vCPUs */
        "HTTP/1.1 200 OK\r\n\r\n{\"vms\":[{\"id\":4294967296}]}",               /* > 32 bits */
        "HTTP/1.1 200 OK\r\n\r\n{\"vms\":[{\"name\":\"0123456789abcdef\"}]}",   /* long name */
        "HTTP/1.1 200 OK\r\n\r\n{\"vms\":[{},{\"id\":1}]}",                      /* index gap */
        "HTTP/1.1 200 OK\r\n\r\n{\"ipc\":[" /* unterminated */,
        "HTTP/1.1 200 OK\r\n\r\n[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",       /* deep */
        "HTTP/1.1 200 OK\r\n\r\n{\"vms\":[{\"rights\":\"everything\"}]}",
        "HTTP/1.1 200 OK\r\n\r\n{\"time_ns\":-1}",
        "HTTP/1.1 200 OK\r\n\r\n{\"time_ns\":1} trailing",
        "HTTP/1.1 500 Internal Server Error\r\n\r\n{\"error\":\"\x1b[2Jboom\",\"exit\":1}",
    };
    char *const list[] = { "list", NULL };

    (void)state;
    for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
        canned_start(answers[i]);
        free(rout);
        free(rerr);
        int r = remote_run(canned_port, &rout, &rerr, list);
        kill(canned_pid, SIGKILL);
        waitpid(canned_pid, NULL, 0);
        if (r != BHCTL_EXIT_ERROR || rout[0] || strchr(rerr, '\x1b')) {
            fail_msg("answer %zu: exit %d, out '%s', err '%s'", i, r, rout, rerr);
        }
    }
}

/* The statistics' JSON read back gives the snapshot it was printed from, field for field. */
static void test_unjson_round_trip(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    static struct bhctl_snap back;

    (void)state;
    fake_reset();
    scenario();
    for (uint32_t v = 0; v < fake.snap.vm_count; v++) {
        struct bh_mgmt_vm *vm = &fake.snap.vm[v];
        uint64_t *words = (uint64_t *)&vm->uptime_ns; /* every counter a different value */
        for (size_t k = 0; &words[k] < vm->reserved; k++) {
            words[k] = (uint64_t)v << 40 | k << 20 | 7;
        }
        vm->priority = 3 + v;
        vm->nr_vcpus = 2;
        vm->vcpu[1] = (struct bh_mgmt_vcpu){ BH_MGMT_VCPU_PENDING, 5, 11, 12, 13, 14,
                                               15, 16, 17, 18, 0 };
    }
    FILE *f = open_memstream(&buf, &len);
    bhctl_print_stats(f, &fake.snap, NULL, true);
    fclose(f);
    assert_int_equal(bhctl_remote_snap_json(buf, len, &back), 0);
    free(buf);
    fake.snap.evt_next = 0;
    assert_int_equal(back.vm_count, fake.snap.vm_count);
    assert_int_equal(back.ipc_count, fake.snap.ipc_count);
    assert_memory_equal(back.vm, fake.snap.vm, fake.snap.vm_count * sizeof(back.vm[0]));
    assert_memory_equal(back.ipc, fake.snap.ipc, fake.snap.ipc_count * sizeof(back.ipc[0]));
    assert_int_equal(back.time_ns, fake.snap.time_ns);
    assert_int_equal(back.console_ring_full, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reads_same_as_local, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ops_same_as_local, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_only_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_and_transport_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tls_same_as_local, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tls_refusals, setup, teardown),
        cmocka_unit_test(test_unjson_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
