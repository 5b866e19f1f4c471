/* SPDX-License-Identifier: MIT */
/*
 * Test output. Every line is "TG <vmtag>: <text>" and is written whole under the console
 * lock, so lines from several CPUs never interleave. Harnesses match these lines:
 *   TG <vmtag>: PASS <text>          TG <vmtag>: FAIL <text>
 *   TG <vmtag>: INFO <text>          TG <vmtag>: summary pass=<n> fail=<m>
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

#include "tg.h"

#define REPORT_TAG_MAX 32

/* Set the tag printed after "TG " (copied; truncated to REPORT_TAG_MAX - 1). Default "tg". */
void report_set_tag(const char *tag);

/* Print "TG <vmtag>: <text>". */
void tg_print(const char *fmt, ...) __printf(1, 2);

/* Count and print a PASS or FAIL line; returns cond so callers can chain. */
bool report(bool cond, const char *fmt, ...) __printf(2, 3);

/* va_list form of report(). */
bool vreport(bool cond, const char *fmt, va_list ap);

/* Print "TG <vmtag>: INFO <text>"; not counted. */
void report_info(const char *fmt, ...) __printf(1, 2);
void vreport_info(const char *fmt, va_list ap);

/* Number of FAIL lines so far. */
unsigned int report_fail_count(void);

/* Print the summary line, once: false (nothing printed) when a CPU already did. */
bool tg_summary(void);

/* Print the summary line once and power off with PSCI SYSTEM_OFF; never returns. */
void tg_finish(void) __noreturn;

/* Report a FAIL for an unrecoverable situation, then tg_finish(). Safe from exceptions. */
void tg_fatal(const char *fmt, ...) __printf(1, 2) __noreturn;
