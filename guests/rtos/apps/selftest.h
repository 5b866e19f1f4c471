/* SPDX-License-Identifier: MIT */
/*
 * Self-test helpers shared by the test files. The tests run in the main task at
 * APP_MAIN_PRIO, so a helper task never runs until main blocks (sleeps, joins or waits):
 * that is what makes the expected orders below deterministic.
 */
#pragma once

#include <rt/task.h>

#define ST_SETTLE_US 200 /* long enough for every ready helper to run to its next block */

/* Print "RT PASS <text>" or "RT FAIL <text>" and count it; returns cond. */
bool st_check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Start fn(arg) in a free helper slot (prio, optional periodic attr fields); NULL if none. */
struct rt_task *st_spawn(const char *name, uint8_t prio, rt_task_fn fn, void *arg);
struct rt_task *st_spawn_attr(struct rt_task_attr *attr, rt_task_fn fn, void *arg);

/* Join every helper (100 ms each); a helper that does not end is a FAIL. */
void st_join_all(void);

/* The order log: helpers append one character each at interesting points. */
void st_log(char c);
void st_log_reset(void);
const char *st_log_get(void);
bool st_log_is(const char *want);

/* Task body: st_log((char)arg), then end. */
void st_log_task(void *arg);

/* Busy-wait (runs the CPU, never sleeps) for us microseconds. */
void st_spin_us(uint64_t us);

/* Test groups. */
void st_sched(void);
void st_sem(void);
void st_mutex(void);
void st_queue(void);
void st_time(void);
void st_irq_ipc(void);
