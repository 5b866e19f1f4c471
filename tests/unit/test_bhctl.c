// SPDX-License-Identifier: MIT
/*
 * bhctl (guests/linux/tools) on the host, on a fake transport (bhctl_fake.c): argument
 * parsing, the tables and their JSON (checked by a strict JSON parser), lifecycle answers to
 * exit codes and messages, and the parsing of hostile snapshot and event areas.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bhctl_fake.h"
#include "json_check.h"

static char *out, *err;

static int setup(void **state)
{
    (void)state;
    fake_reset();
    out = err = NULL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(out);
    free(err);
    return 0;
}

#define RUN(...) fake_run(&out, &err, __VA_ARGS__, (char *)NULL)

/* ------------------------------------------------------------------ arguments */

static int parse(struct bhctl_args *a, char *msg, ...)
{
    char *argv[16] = { "bhctl" };
    int argc = 1;
    va_list ap;

    va_start(ap, msg);
    for (char *w; argc < 15 && (w = va_arg(ap, char *)) != NULL;) {
        argv[argc++] = w;
    }
    va_end(ap);
    return bhctl_parse_args(argc, argv, a, msg, 160);
}

static void test_args_commands_and_defaults(void **state)
{
    struct bhctl_args a;
    char msg[160];

    (void)state;
    assert_int_equal(parse(&a, msg, "list", NULL), 0);
    assert_int_equal(a.cmd, BHCTL_CMD_LIST);
    assert_false(a.json);
    assert_int_equal(parse(&a, msg, "stop", "worker", "--json", NULL), 0);
    assert_int_equal(a.cmd, BHCTL_CMD_STOP);
    assert_string_equal(a.vm, "worker");
    assert_true(a.json);
    assert_int_equal(parse(&a, msg, "--json", "stats", NULL), 0);
    assert_null(a.vm);
    assert_int_equal(parse(&a, msg, "top", "-n", "3", "-d", "2", NULL), 0);
    assert_int_equal(a.iterations, 3);
    assert_int_equal(a.interval_ms, 2000);
    assert_int_equal(parse(&a, msg, "top", NULL), 0);
    assert_int_equal(a.interval_ms, BHCTL_DEF_TOP_MS);
    assert_int_equal(parse(&a, msg, "events", "-f", "-o", "/tmp/e", "-r", "1", "-k", "2", NULL),
                     0);
    assert_true(a.follow);
    assert_string_equal(a.out_file, "/tmp/e");
    assert_int_equal(a.rotate_kb, 1);
    assert_int_equal(a.keep, 2);
    assert_int_equal(a.interval_ms, BHCTL_DEF_FOLLOW_MS);
    assert_int_equal(parse(&a, msg, "events", "-o", "x", NULL), 0);
    assert_int_equal(a.rotate_kb, BHCTL_DEF_ROTATE_KB);
    assert_int_equal(a.keep, BHCTL_DEF_KEEP);
    assert_int_equal(parse(&a, msg, "--help", NULL), 0);
    assert_true(a.help);
}

static void test_args_errors(void **state)
{
    static const struct {
        const char *argv[6];
        const char *msg;
    } bad[] = {
        { { NULL }, "no command" },
        { { "frobnicate" }, "unknown command 'frobnicate'" },
        { { "stop" }, "stop needs a VM" },
        { { "info" }, "info needs a VM" },
        { { "list", "extra" }, "list: unexpected argument 'extra'" },
        { { "stop", "a", "b" }, "stop: unexpected argument 'b'" },
        { { "list", "--bogus" }, "unknown option '--bogus'" },
        { { "top", "-n" }, "-n needs a value" },
        { { "top", "-n", "3x" }, "-n: '3x' is not a number" },
        { { "top", "-n", "-1" }, "-n: '-1' is not a number" },
        { { "top", "-n", "99999999999" }, "-n: '99999999999' is not a number" },
        { { "top", "-d", "0" }, "-d: at least 1 second" },
        { { "events", "-i", "5" }, "-i: at least 10 ms" },
        { { "events", "-o", "f", "-r", "0" }, "--rotate-kb: at least 1" },
        { { "events", "-o", "f", "-k", "100" }, "-k: '100' is not a number in 0..99" },
        { { "events", "-r", "4" }, "--rotate-kb and --keep need -o FILE" },
        { { "list", "-f" }, "-f, -o, --new, --rotate-kb and --keep are for events" },
        { { "list", "-n", "2" }, "-n, -d and -i are for top and events" },
        { { "stats", "-c" }, "-c is for top" },
        { { "events", "-o" }, "-o needs a file name" },
    };
    struct bhctl_args a;
    char msg[160];

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *argv[8] = { "bhctl" };
        int argc = 1;
        for (int k = 0; bad[i].argv[k]; k++) {
            argv[argc++] = (char *)bad[i].argv[k];
        }
        int r = bhctl_parse_args(argc, argv, &a, msg, sizeof(msg));
        if (r != BHCTL_EXIT_USAGE || !strstr(msg, bad[i].msg)) {
            fail_msg("case %zu: %d '%s', want '%s'", i, r, msg, bad[i].msg);
        }
    }
    char longname[300];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(parse(&a, msg, "events", "-o", longname, NULL), BHCTL_EXIT_USAGE);
    assert_non_null(strstr(msg, "file name too long"));
}

/* ------------------------------------------------------------------ tables and JSON */

static void test_list_table(void **state)
{
    (void)state;
    fake.snap.vm[1].uptime_ns = 75ull * 1000000000ull; /* 1m15s */
    assert_int_equal(RUN("list"), 0);
    assert_non_null(strstr(out, "ID  NAME            STATE     RIGHTS           VCPUS    MEM    UPTIME\n"));
    assert_non_null(strstr(out, "0   mgr             running   self"));
    if (!strstr(out, "1   control         running   observe              1    32M     1m15s\n")) {
        fail_msg("%s", out);
    }
    assert_non_null(strstr(out, "2   worker          defined   observe,control      1    32M         -\n"));
    assert_string_equal(err, "");
}

static void test_json_valid_for_every_command(void **state)
{
    static const char *const cmds[][3] = {
        { "list" }, { "stats" }, { "stats", "worker" }, { "info", "control" },
        { "info", "worker" }, { "top", "-n", "2" }, { "events" }, { "stop", "control" },
        { "start", "worker" },
    };

    (void)state;
    /* hostile-looking names and texts: quotes, backslashes, control and non-ASCII bytes */
    snprintf(fake.snap.vm[2].name, sizeof(fake.snap.vm[2].name), "w\"k\\q\x01\xe9");
    snprintf(fake.snap.ipc[0].name, sizeof(fake.snap.ipc[0].name), "q\n\"");
    fake_event(2, "mgmt", "op=start by=mgr text=\"\x7f\x1b[2J\"");
    fake_event(1, "start", "vcpus=1");
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        free(out);
        free(err);
        const char *vm = cmds[i][1] && !strcmp(cmds[i][1], "worker") ? "2" : cmds[i][1];
        (void)RUN("--json", (char *)cmds[i][0], (char *)vm, (char *)cmds[i][2]);
        if (!json_lines_valid(out)) {
            fail_msg("%s %s: not JSON lines:\n%s", cmds[i][0], cmds[i][1] ? cmds[i][1] : "",
                     out);
        }
    }
}

static void test_json_fields(void **state)
{
    (void)state;
    fake.snap.vm[1].exits[BH_MGMT_EXIT_HVC] = 7;
    fake.snap.vm[1].uart_rx_dropped = 3;
    assert_int_equal(RUN("info", "control", "--json"), 0);
    assert_non_null(strstr(out, "\"id\":1,\"name\":\"control\",\"state\":\"running\","
                                "\"rights\":\"observe\",\"observed\":true"));
    assert_non_null(strstr(out, "\"exits\":{\"hvc\":7,"));
    assert_non_null(strstr(out, "\"rx_dropped\":3}"));
    free(out);
    free(err);
    /* control only: name and state, no statistics */
    fake.snap.vm[2].rights = BH_MGMT_RIGHT_CONTROL;
    assert_int_equal(RUN("info", "worker", "--json"), 0);
    assert_string_equal(out, "{\"id\":2,\"name\":\"worker\",\"state\":\"defined\","
                             "\"rights\":\"control\",\"observed\":false}\n");
}

static void test_stats_and_info_tables(void **state)
{
    (void)state;
    fake.snap.vm[1].restarts = 4;
    fake.snap.vm[1].exits[BH_MGMT_EXIT_IRQ] = 1234;
    fake.snap.vm[1].vcpu[0].run_ns = 2500000000ull;
    fake.snap.console_ring_full = 9;
    assert_int_equal(RUN("stats"), 0);
    assert_non_null(strstr(out, "NAME            STATE        UPTIME STARTS RESTARTS"));
    assert_non_null(strstr(out, "\ncontrol         running           -      0        4"));
    assert_non_null(strstr(out, "\ncontrol                 0         0         0         0 "
                                "        0      1234         0"));
    assert_non_null(strstr(out, "\ncontrol            0 running     1         2500"));
    assert_non_null(strstr(out, "\ncmd                     0 msgq             42"));
    assert_non_null(strstr(out, "console: ring_full=9 escaped=0\n"));
    free(out);
    free(err);
    assert_int_equal(RUN("stats", "worker"), 0);
    assert_null(strstr(out, "\ncontrol "));
    assert_non_null(strstr(out, "\nworker "));
    free(out);
    free(err);
    assert_int_equal(RUN("info", "1"), 0); /* by index */
    assert_non_null(strstr(out, "name:       control\n"));
    assert_non_null(strstr(out, "restarts:   4\n"));
    assert_non_null(strstr(out, "vcpu 0:     running pcpu=1 run=2.5s"));
}

/* The scheduler's per-vCPU figures (a shared pCPU) in stats, info and their JSON. */
static void test_sched_fields_shown(void **state)
{
    struct bh_mgmt_vcpu *c = &fake.snap.vm[1].vcpu[0];

    (void)state;
    c->run_ns = 3000000000ull;
    c->wait_ns = 1500000000ull;
    c->throttled_ns = 5500000000ull;
    c->preemptions = 321;
    c->throttles = 77;
    assert_int_equal(RUN("stats"), 0);
    assert_non_null(strstr(out, "RUN_MS      IDLE_MS   BLOCKED_MS    PAUSED_MS      WAIT_MS "
                                "THROTTLED_MS PREEMPTIONS   THROTTLES\n"));
    if (!strstr(out, "\ncontrol            0 running     1         3000            0"
                     "            0            0         1500         5500         321"
                     "          77\n")) {
        fail_msg("%s", out);
    }
    /* an exclusive pCPU's vCPU: zeroes */
    assert_non_null(strstr(out, "\nworker             0 "));
    assert_non_null(strstr(out, "            0            0           0           0\n"));
    free(out);
    free(err);
    assert_int_equal(RUN("info", "control"), 0);
    if (!strstr(out, "run=3.0s idle=- blocked=- paused=- wait=1.5s throttled=5.5s "
                     "preemptions=321 throttles=77\n")) {
        fail_msg("%s", out);
    }
    free(out);
    free(err);
    assert_int_equal(RUN("info", "control", "--json"), 0);
    assert_non_null(strstr(out, "\"wait_ns\":1500000000,\"throttled_ns\":5500000000,"
                                "\"preemptions\":321,\"throttles\":77}"));
    assert_true(json_lines_valid(out));
}

static void test_top_rates_and_frames(void **state)
{
    (void)state;
    assert_int_equal(RUN("top", "-n", "3"), 0);
    assert_int_equal(fake.sleeps, 3);
    /* three frames, each with control at 50.0 % and 1000 exits/s and interrupts/s */
    const char *p = out;
    for (int i = 0; i < 3; i++) {
        p = strstr(p, "bhctl top: t=");
        assert_non_null(p);
        p = strstr(p, "\n1   control         running     50.0      1000      1000");
        assert_non_null(p);
    }
    assert_null(strstr(p, "bhctl top:"));
    assert_null(strstr(out, "\033[")); /* -c not given: no escape sequences */
    free(out);
    free(err);
    fake_reset();
    fake.stop_after_sleeps = 2; /* a signal: top ends at once */
    assert_int_equal(RUN("top", "-c"), 0);
    assert_int_equal(fake.sleeps, 2);
    assert_non_null(strstr(out, "\033[H\033[2J"));
}

/* ------------------------------------------------------------------ operations */

static void test_ops_exit_codes_and_messages(void **state)
{
    static const struct {
        const char *op, *vm;
        int exit;
        const char *out, *err;
    } cases[] = {
        { "start", "worker", BHCTL_EXIT_OK, "start worker: ok\n", "" },
        { "start", "worker", BHCTL_EXIT_STATE, "",
          "bhctl: start worker: wrong state (it is running)\n" },
        { "pause", "worker", BHCTL_EXIT_OK, "pause worker: ok\n", "" },
        { "resume", "worker", BHCTL_EXIT_OK, "resume worker: ok\n", "" },
        { "stop", "control", BHCTL_EXIT_DENIED, "",
          "bhctl: stop control: denied (no control right on it)\n" },
        { "restart", "mgr", BHCTL_EXIT_DENIED, "", "bhctl: restart mgr: denied" },
        { "stop", "safety", BHCTL_EXIT_NOENT, "", "bhctl: unknown VM 'safety'" },
        { "shutdown", "worker", BHCTL_EXIT_UNSUPPORTED, "",
          "bhctl: shutdown worker: not supported by this hypervisor\n" },
        { "stop", "2", BHCTL_EXIT_OK, "stop worker: ok\n", "" },
        { "stop", "worker", BHCTL_EXIT_STATE, "",
          "bhctl: stop worker: wrong state (it is stopped)\n" },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        free(out);
        free(err);
        int r = RUN((char *)cases[i].op, (char *)cases[i].vm);
        if (r != cases[i].exit || strcmp(out, cases[i].out) ||
            strncmp(err, cases[i].err, strlen(cases[i].err)) ||
            (!cases[i].err[0] && err[0])) {
            fail_msg("case %zu (%s %s): exit %d out '%s' err '%s'", i, cases[i].op, cases[i].vm,
                     r, out, err);
        }
    }
    /* the unknown VM never reached the device */
    assert_int_equal(fake.ops, 9);
    free(out);
    free(err);
    fake.snap.vm[2].state = BH_MGMT_STATE_STOPPING;
    assert_int_equal(RUN("restart", "worker", "--json"), BHCTL_EXIT_BUSY);
    assert_string_equal(out, "{\"op\":\"restart\",\"vm\":\"worker\",\"result\":\"busy\","
                             "\"code\":-4,\"exit\":7}\n");
    assert_non_null(strstr(err, "busy"));
}

static void test_no_device(void **state)
{
    (void)state;
    fake.open_result = BHCTL_EXIT_NODEV;
    assert_int_equal(RUN("list"), BHCTL_EXIT_NODEV);
    assert_string_equal(err, "bhctl: no management device (fake)\n");
    assert_string_equal(out, "");
}

/* ------------------------------------------------------------------ hostile areas */

static uint8_t area[BH_MGMT_SNAP_SIZE > BH_MGMT_EVT_SIZE ? BH_MGMT_SNAP_SIZE : BH_MGMT_EVT_SIZE];
static struct bhctl_snap snap;
static struct bhctl_evbatch batch;

static struct bh_mgmt_snap *snap_hdr(uint32_t vms, uint32_t ipcs)
{
    struct bh_mgmt_snap *h = (struct bh_mgmt_snap *)area;

    memset(area, 0xff, sizeof(area)); /* no NUL anywhere unless written */
    memset(h, 0, sizeof(*h));
    h->magic = BH_MGMT_SNAP_MAGIC;
    h->version = BH_MGMT_VERSION;
    h->vm_size = sizeof(struct bh_mgmt_vm);
    h->ipc_size = sizeof(struct bh_mgmt_ipc);
    h->vm_count = vms;
    h->ipc_count = ipcs;
    return h;
}

static void test_snapshot_area_bounds(void **state)
{
    char msg[160];
    struct bh_mgmt_snap *h;

    (void)state;
    h = snap_hdr(2, 1);
    assert_int_equal(bhctl_snap_parse(area, BH_MGMT_SNAP_SIZE, &snap, msg, sizeof(msg)), 0);
    assert_int_equal(snap.vm_count, 2);
    assert_int_equal(strlen(snap.vm[0].name), BH_MGMT_NAME_MAX - 1); /* cut, terminated */
    assert_int_equal(strlen(snap.ipc[0].name), sizeof(snap.ipc[0].name) - 1);
    assert_int_equal(snap.vm[1].nr_vcpus, BH_MGMT_VCPUS);               /* 0xffffffff bounded */
    h = snap_hdr(BHCTL_VMS_MAX, 0);
    assert_int_equal(bhctl_snap_parse(area, BH_MGMT_SNAP_SIZE, &snap, msg, sizeof(msg)), 0);
    h = snap_hdr((uint32_t)BHCTL_VMS_MAX + 1, 0);
    assert_int_equal(bhctl_snap_parse(area, BH_MGMT_SNAP_SIZE, &snap, msg, sizeof(msg)),
                     BHCTL_EXIT_ERROR);
    h = snap_hdr(20, 40); /* each count fits, both together do not */
    assert_int_equal(bhctl_snap_parse(area, BH_MGMT_SNAP_SIZE, &snap, msg, sizeof(msg)),
                     BHCTL_EXIT_ERROR);
    h = snap_hdr(1, UINT32_MAX);
    assert_int_equal(bhctl_snap_parse(area, BH_MGMT_SNAP_SIZE, &snap, msg, sizeof(msg)),
                     BHCTL_EXIT_ERROR);
    h = snap_hdr(1, 0);
    h->vm_size = 400;
    assert_int_equal(bhctl_snap_parse(area, BH_MGMT_SNAP_SIZE, &snap, msg, sizeof(msg)),
                     BHCTL_EXIT_ERROR);
    assert_non_null(strstr(msg, "entry sizes"));
    h = snap_hdr(1, 0);
    h->magic = 0;
    assert_int_equal(bhctl_snap_parse(area, BH_MGMT_SNAP_SIZE, &snap, msg, sizeof(msg)),
                     BHCTL_EXIT_ERROR);
    assert_int_equal(bhctl_snap_parse(area, 40, &snap, msg, sizeof(msg)), BHCTL_EXIT_ERROR);
}

static void test_event_area_bounds(void **state)
{
    char msg[160];
    struct bh_mgmt_evt_hdr *h = (struct bh_mgmt_evt_hdr *)area;

    (void)state;
    memset(area, 0x41, sizeof(area));
    memset(h, 0, sizeof(*h));
    h->magic = BH_MGMT_EVT_MAGIC;
    h->count = 2;
    h->first = 5;
    h->next = 7;
    h->log_next = 9;
    assert_int_equal(bhctl_evt_parse(area, BH_MGMT_EVT_SIZE, 2, &batch, msg, sizeof(msg)), 0);
    assert_int_equal(strlen(batch.ev[1].kind), BH_MGMT_EVT_KIND_MAX - 1);
    assert_int_equal(strlen(batch.ev[1].text), BH_MGMT_EVT_TEXT_MAX - 1);
    /* the answer and the header disagree */
    assert_int_equal(bhctl_evt_parse(area, BH_MGMT_EVT_SIZE, 3, &batch, msg, sizeof(msg)),
                     BHCTL_EXIT_ERROR);
    h->count = (uint32_t)BH_MGMT_EVT_MAX + 1;
    assert_int_equal(bhctl_evt_parse(area, BH_MGMT_EVT_SIZE, (int32_t)h->count, &batch, msg,
                                     sizeof(msg)), BHCTL_EXIT_ERROR);
    h->count = 0;
    h->next = 4; /* before first: a cursor that would go back */
    assert_int_equal(bhctl_evt_parse(area, BH_MGMT_EVT_SIZE, 0, &batch, msg, sizeof(msg)),
                     BHCTL_EXIT_ERROR);
    h->next = 7;
    assert_int_equal(bhctl_evt_parse(area, BH_MGMT_EVT_SIZE, -3, &batch, msg, sizeof(msg)),
                     BHCTL_EXIT_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_args_commands_and_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_args_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_valid_for_every_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_and_info_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sched_fields_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_top_rates_and_frames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ops_exit_codes_and_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_area_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_area_bounds, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
