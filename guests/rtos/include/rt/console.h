/* SPDX-License-Identifier: MIT */
/*
 * Console output on the polled PL011. Lines are written whole: in a task under the console
 * mutex (priority inheritance, so a low-priority printer cannot hold up a high-priority
 * one for longer than one line), in kernel context directly, since an interrupt handler
 * must never block. Lines longer than RT_LINE_MAX - 1 are truncated.
 */
#pragma once

#include <stdarg.h>

#include <rt/rt.h>

/* Bulkhead's console splits VM lines longer than 160 bytes: cut ours first. */
#define RT_LINE_MAX 160

/* Format and print one line; a trailing newline is added. Task or kernel context. */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_vprintf(const char *fmt, va_list ap);

/* Print s as is, without the console lock (kernel context, fatal paths). */
void rt_kputs(const char *s);

/* Create the console mutex; once, before the first task prints. */
void rt_console_init(void);

/*
 * Print "RT FAIL fatal: <text>" and "RT summary FAIL fatal", then PSCI SYSTEM_OFF. Any
 * context. (The implementation is testguest's tg_fatal() contract, which the reused
 * testguest code calls.)
 */
void rt_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Power off with PSCI SYSTEM_OFF through the DT conduit; returns only if that failed. */
void rt_system_off(void);
