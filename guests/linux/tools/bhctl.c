// SPDX-License-Identifier: MIT
/*
 * bhctl: operate a running Bulkhead system from a manager VM (docs/MANAGEMENT.md "Operating a
 * running system"). `bhctl --help` lists the commands; bhctl.h says where each part lives.
 * This file is the Linux entry point only: signals, real sleeping, the transport (the MMIO
 * device, or bhmgmtd with --remote; the host build has only the latter to offer).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <time.h>

#include "bhctl.h"

static volatile int stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

/* Interrupted by a signal: the caller looks at stop_flag next. */
static void sleep_ms(uint32_t ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
    struct bhctl_args a;
    struct sigaction sa;
    char err[160];

    int r = bhctl_parse_args(argc, argv, &a, err, sizeof(err));
    if (r) {
        fprintf(stderr, "bhctl: %s\n", err);
        return r;
    }
    struct bhctl_transport *t = &bhctl_mmio_transport;
    if (a.remote && !a.help) {
        r = bhctl_remote_setup(a.remote, a.token_file, a.cert_file, err, sizeof(err));
        if (r) {
            fprintf(stderr, "bhctl: %s\n", err);
            return r;
        }
        t = &bhctl_remote_transport;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal; /* no SA_RESTART: a sleep ends at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    struct bhctl_env env = {
        .t = t,
        .out = stdout,
        .err = stderr,
        .sleep_ms = sleep_ms,
        .stop = &stop_flag,
    };
    return bhctl_run(&a, &env);
}
