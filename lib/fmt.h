/* SPDX-License-Identifier: MIT */
/* Small bounded formatter (no floating point) for the console, events and messages. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/*
 * Format into buf (always NUL-terminated when n > 0). Supports %s %c %d %i %u %x %p and the
 * l/ll/z length modifiers, '-' and '0' flags and a width. Returns the length the full output
 * would have had (like C99 snprintf).
 */
int bh_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int bh_snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
