/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead RTOS: common types, error codes and time units. Every public call returns 0 (or a
 * count) on success and a negative RT_E* code on failure. Times are CNTVCT_EL0 ticks
 * (rt_time_t, absolute) or microseconds (relative timeouts), never mixed in one argument.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error codes. RT_ENOTSUP is -1 on purpose: the IPC stubs return "not supported" as -1. */
#define RT_OK        0
#define RT_ENOTSUP   (-1)  /* not implemented (yet), e.g. hypervisor IPC */
#define RT_ETIMEDOUT (-2)  /* the timeout expired before the condition held */
#define RT_EAGAIN    (-3)  /* RT_NO_WAIT and the call would have blocked */
#define RT_EINVAL    (-4)  /* bad argument */
#define RT_EPERM     (-5)  /* not allowed here: not the owner, or blocking outside a task */
#define RT_EDEADLK   (-6)  /* the caller already owns the mutex */
#define RT_EBUSY     (-7)  /* resource in use (IRQ already registered, task still alive) */
#define RT_EOVERFLOW (-8)  /* a counting semaphore is at its maximum */

/* Priorities: larger is more urgent. 0 belongs to the idle task. */
#define RT_PRIO_COUNT 32
#define RT_PRIO_IDLE  0
#define RT_PRIO_MIN   1
#define RT_PRIO_MAX   (RT_PRIO_COUNT - 1)

/* Relative timeouts in microseconds. */
#define RT_NO_WAIT 0
#define RT_FOREVER UINT64_MAX

#define RT_US_PER_S  1000000U
#define RT_US_PER_MS 1000U

/* Absolute time in virtual counter ticks (CNTVCT_EL0). */
typedef uint64_t rt_time_t;

#define RT_TIME_NEVER UINT64_MAX

#define RT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RT_MIN(a, b)     ((a) < (b) ? (a) : (b))
#define RT_MAX(a, b)     ((a) > (b) ? (a) : (b))
