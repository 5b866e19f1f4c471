/* SPDX-License-Identifier: MIT */
/* Minimal bounded formatter for the console (no floating point). */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/*
 * Format into buf, always NUL-terminated when size > 0; output beyond size is dropped.
 * Supports what lib/fmt.h does (%s %c %d %i %u %x %p %%, l/ll/z, '0' and '-' flags, width).
 * Returns the number of characters stored (excluding the NUL).
 */
int tg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int tg_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
