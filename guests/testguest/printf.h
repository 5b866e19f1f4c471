/* SPDX-License-Identifier: MIT */
/* Minimal bounded formatter for the console (no floating point). */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/*
 * Format into buf, always NUL-terminated when size > 0; output beyond size is dropped.
 * Supports %s %c %d %i %u %x %X %p %%, the l/ll/z length modifiers, the '0' and '-' flags and
 * a field width. Returns the number of characters stored (excluding the NUL).
 */
int tg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int tg_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
