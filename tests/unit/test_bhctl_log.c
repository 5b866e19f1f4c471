// SPDX-License-Identifier: MIT
/*
 * bhctl's event log on the host (guests/linux/tools/bhctl_log.c) with the fake transport:
 * reading with a cursor across batches, the exact missed count when the ring overwrote
 * records, follow (-f) picking up only new records, and the size-rotated file: no file over
 * its limit, FILE.1 the newest old one, never more than --keep old files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bhctl_fake.h"
#include "json_check.h"

static char *out, *err;
static char dir[64];

static int setup(void **state)
{
    (void)state;
    fake_reset();
    out = err = NULL;
    snprintf(dir, sizeof(dir), "/tmp/bhctl_test.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    free(out);
    free(err);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

#define RUN(...) fake_run(&out, &err, __VA_ARGS__, (char *)NULL)

static size_t count(const char *s, const char *what)
{
    size_t n = 0;

    for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what)) {
        n++;
    }
    return n;
}

static long file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = calloc(1, 1 << 16);

    if (f) {
        size_t n = fread(buf, 1, (1 << 16) - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    return buf;
}

static void test_events_all_batches_in_order(void **state)
{
    (void)state;
    fake.batch_max = 7; /* 50 records: 8 batches */
    for (int i = 0; i < 50; i++) {
        fake_event(i % 3, "mgmt", "op=pause by=mgr result=ok");
    }
    assert_int_equal(RUN("events"), 0);
    assert_int_equal(count(out, "\n"), 50);
    assert_non_null(strstr(out, "       0      1.000000 vm=mgr kind=mgmt op=pause"));
    assert_non_null(strstr(out, "      49      1.000049 vm=control kind=mgmt op=pause"));
    assert_non_null(strstr(out, "      47      1.000047 vm=worker kind=mgmt"));
    assert_null(strstr(out, "missed"));
    free(out);
    free(err);
    assert_int_equal(RUN("events", "--json"), 0);
    assert_true(json_lines_valid(out));
    assert_int_equal(count(out, "\n"), 50);
}

static void test_events_missed_counted_exactly(void **state)
{
    (void)state;
    for (int i = 0; i < FAKE_LOG_SIZE + 10; i++) {
        fake_event(1, "start", "vcpus=1");
    }
    assert_int_equal(RUN("events"), 0);
    assert_non_null(strstr(out, "# 10 records missed before seq 10\n"));
    assert_int_equal(count(out, "kind=start"), FAKE_LOG_SIZE);
    free(out);
    free(err);
    assert_int_equal(RUN("events", "--json"), 0);
    assert_non_null(strstr(out, "{\"missed\":10,\"before_seq\":10}\n"));
    assert_true(json_lines_valid(out));
}

static void test_events_control_bytes_not_passed(void **state)
{
    (void)state;
    fake_event(2, "mg\x1b", "x=\x1b[2J\ty\x85");
    assert_int_equal(RUN("events"), 0);
    assert_non_null(strstr(out, "vm=worker kind=mg? x=?[2J?y?\n"));
}

static void test_follow_reads_only_new_records(void **state)
{
    (void)state;
    fake_event(1, "start", "vcpus=1");
    fake_event(2, "start", "vcpus=1");
    fake.stop_after_sleeps = 0;
    /* --new: only what comes after the start; -n 2: two more rounds, each sees nothing new
     * here (the fake log does not grow while bhctl sleeps) */
    assert_int_equal(RUN("events", "-f", "--new", "-n", "2"), 0);
    assert_string_equal(out, "");
    assert_int_equal(fake.sleeps, 2);
    free(out);
    free(err);
    assert_int_equal(RUN("events", "-f", "-n", "3"), 0);
    assert_int_equal(count(out, "kind=start"), 2); /* once each, not once per round */
    assert_int_equal(fake.sleeps, 5);
    free(out);
    free(err);
    fake.stop_after_sleeps = 6; /* a signal during the second sleep ends it */
    assert_int_equal(RUN("events", "-f"), 0);
    assert_int_equal(fake.sleeps, 6);
}

static void test_rotation_limits_and_keep(void **state)
{
    char path[128], p1[140], p2[140], p3[140];
    char line[64];
    struct bhctl_rotlog l;

    (void)state;
    snprintf(path, sizeof(path), "%s/ev", dir);
    snprintf(p1, sizeof(p1), "%s.1", path);
    snprintf(p2, sizeof(p2), "%s.2", path);
    snprintf(p3, sizeof(p3), "%s.3", path);
    assert_int_equal(bhctl_rotlog_open(&l, path, 100, 2), 0);
    for (int i = 0; i < 20; i++) { /* 20 lines of 30 bytes: 3 per file */
        int n = snprintf(line, sizeof(line), "line %02d %*s\n", i, 21, "x");
        assert_int_equal(n, 30);
        assert_int_equal(bhctl_rotlog_write(&l, line, (size_t)n), 0);
    }
    bhctl_rotlog_close(&l);
    assert_int_equal(file_size(path), 60);   /* lines 18, 19 */
    assert_int_equal(file_size(p1), 90);     /* 15..17 */
    assert_int_equal(file_size(p2), 90);     /* 12..14 */
    assert_int_equal(file_size(p3), -1);     /* keep 2: no third old file */
    char *s = slurp(p1);
    assert_non_null(strstr(s, "line 15"));
    assert_non_null(strstr(s, "line 17"));
    free(s);
    s = slurp(path);
    assert_non_null(strstr(s, "line 19"));
    free(s);
    /* appending: a reopened log goes on from the size it has */
    assert_int_equal(bhctl_rotlog_open(&l, path, 100, 2), 0);
    assert_int_equal(l.size, 60);
    assert_int_equal(bhctl_rotlog_write(&l, line, 30), 0);
    assert_int_equal(l.rotations, 0);
    assert_int_equal(bhctl_rotlog_write(&l, line, 30), 0);
    assert_int_equal(l.rotations, 1);
    /* a line over the limit gets a file of its own */
    char big[300];
    memset(big, 'b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\n';
    assert_int_equal(bhctl_rotlog_write(&l, big, sizeof(big)), 0);
    assert_int_equal(l.size, sizeof(big));
    assert_int_equal(bhctl_rotlog_write(&l, line, 30), 0);
    assert_int_equal(l.size, 30);
    bhctl_rotlog_close(&l);
    assert_int_equal(file_size(p1), 300);
}

static void test_rotation_keep_zero_and_bad_args(void **state)
{
    char path[128], p1[140];
    struct bhctl_rotlog l;

    (void)state;
    snprintf(path, sizeof(path), "%s/k0", dir);
    snprintf(p1, sizeof(p1), "%s.1", path);
    assert_int_equal(bhctl_rotlog_open(&l, path, 10, 0), 0);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(bhctl_rotlog_write(&l, "0123456\n", 8), 0);
    }
    bhctl_rotlog_close(&l);
    assert_int_equal(file_size(path), 8);
    assert_int_equal(file_size(p1), -1);
    assert_int_equal(bhctl_rotlog_open(&l, path, 0, 1), -1);
    assert_int_equal(bhctl_rotlog_open(&l, path, 10, BHCTL_MAX_KEEP + 1), -1);
    snprintf(path, sizeof(path), "%s/no/such/dir/f", dir);
    assert_int_equal(bhctl_rotlog_open(&l, path, 10, 1), -1);
}

static void test_events_into_rotated_file(void **state)
{
    char path[128], arg_path[128];

    (void)state;
    for (int i = 0; i < 60; i++) {
        fake_event(2, "mgmt", "op=pause by=mgr result=ok");
    }
    snprintf(path, sizeof(path), "%s/log", dir);
    snprintf(arg_path, sizeof(arg_path), "%s", path);
    /* about 60 bytes a line: 1 KiB holds 17, so 60 lines need 4 files and keep 2 drops one */
    assert_int_equal(RUN("events", "-o", arg_path, "-r", "1", "-k", "2"), 0);
    assert_string_equal(out, "");
    char p[160];
    size_t lines = 0;
    for (int i = 0; i <= 3; i++) {
        if (i) {
            snprintf(p, sizeof(p), "%s.%d", path, i);
        } else {
            snprintf(p, sizeof(p), "%s", path);
        }
        long sz = file_size(p);
        if (i == 3) {
            assert_int_equal(sz, -1);
            continue;
        }
        assert_in_range(sz, 1, 1024);
        char *s = slurp(p);
        lines += count(s, "\n");
        free(s);
    }
    char *s = slurp(path);
    assert_non_null(strstr(s, "      59 ")); /* the newest record is in the live file */
    free(s);
    assert_in_range(lines, 18, 59);           /* the oldest went with the third rotation */
    free(out);
    free(err);
    snprintf(arg_path, sizeof(arg_path), "%s/no/dir/x", dir);
    assert_int_equal(RUN("events", "-o", arg_path), BHCTL_EXIT_ERROR);
    assert_non_null(strstr(err, "No such file or directory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events_all_batches_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_missed_counted_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_control_bytes_not_passed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_follow_reads_only_new_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation_limits_and_keep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation_keep_zero_and_bad_args, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_into_rotated_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
