/* SPDX-License-Identifier: MIT */
/*
 * A fake bhctl transport for the host unit tests (test_bhctl*.c): a scenario of three VMs
 * (the manager "mgr" itself, "control" observe-only, "worker" observe+control) whose snapshot
 * and event log are built here, and lifecycle answers decided like the device does (rights,
 * states), so bhctl_run is exercised end to end without a hypervisor.
 */
#pragma once

#include <stdlib.h>
#include <string.h>

#include "guests/linux/tools/bhctl.h"

#define FAKE_LOG_SIZE 64 /* the fake ring: the newest 64 records */

struct fake {
    struct bhctl_snap snap;
    struct bh_mgmt_event log[FAKE_LOG_SIZE];
    uint64_t log_next;
    uint32_t batch_max;   /* records per events() call */
    int open_result;      /* BHCTL_EXIT_* open() answers */
    int32_t ops;          /* op() calls */
    uint32_t last_op_vm;
    uint32_t sleeps;
    uint32_t stop_after_sleeps; /* set *env.stop after this many sleeps (0: never) */
    volatile int stop;
};

extern struct fake fake;
extern struct bhctl_transport fake_transport;

/* Reset the fake: three VMs running (worker defined), an empty log. */
void fake_reset(void);
/* Append a record to the fake log. */
void fake_event(uint32_t vm, const char *kind, const char *text);
/* A sleep that only counts (and may raise the stop flag). */
void fake_sleep(uint32_t ms);
/* Run bhctl with argv (NULL-terminated list of words after "bhctl") on the fake; output in
 * out/err (malloc'd, caller frees). The exit status. */
int fake_run(char **out, char **err, ...);
