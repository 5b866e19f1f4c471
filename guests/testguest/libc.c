// SPDX-License-Identifier: MIT
/*
 * Freestanding C library pieces: what the guest uses plus the symbols the prebuilt libfdt.a
 * imports (mem*, str*, strtoul and the stack protector). Byte-wise on purpose: with the MMU
 * off all data is Device memory, where unaligned accesses fault, and speed does not matter.
 */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#include "report.h"

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    if (d == s || n == 0) {
        return dst;
    }
    if (d < s) {
        while (n--) {
            *d++ = *s++;
        }
    } else {
        while (n--) {
            d[n] = s[n];
        }
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;

    while (n--) {
        *d++ = (uint8_t)c;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *pa = a;
    const uint8_t *pb = b;

    for (size_t i = 0; i < n; i++) {
        if (pa[i] != pb[i]) {
            return pa[i] < pb[i] ? -1 : 1;
        }
    }
    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const uint8_t *p = s;

    for (size_t i = 0; i < n; i++) {
        if (p[i] == (uint8_t)c) {
            return (void *)(p + i);
        }
    }
    return NULL;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}

size_t strnlen(const char *s, size_t maxlen)
{
    size_t n = 0;

    while (n < maxlen && s[n]) {
        n++;
    }
    return n;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c) {
            return (char *)s;
        }
        if (!*s) {
            return NULL;
        }
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    for (;; s++) {
        if (*s == (char)c) {
            last = s;
        }
        if (!*s) {
            return (char *)last;
        }
    }
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
        }
        if (!a[i]) {
            return 0;
        }
    }
    return 0;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'Z') {
        return c - 'A' + 10;
    }
    return -1;
}

/* C99 strtoul without errno: base 0 picks 16 for "0x", 8 for a leading 0, else 10. */
unsigned long strtoul(const char *s, char **end, int base)
{
    unsigned long val = 0;
    const char *p = s;
    int d;

    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p == '+') {
        p++;
    }
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value(p[2]) >= 0 && digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = (p[0] == '0') ? 8 : 10;
    }
    const char *digits = p;
    while ((d = digit_value(*p)) >= 0 && d < base) {
        val = val * (unsigned long)base + (unsigned long)d;
        p++;
    }
    if (end) {
        *end = (char *)(p == digits ? s : p);
    }
    return val;
}

/* libfdt.a is built with -fstack-protector; the guard value only has to be non-zero. */
#define STACK_GUARD_VALUE 0x5447c0de5447c0deUL

uintptr_t __stack_chk_guard = STACK_GUARD_VALUE;

void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
    tg_fatal("stack smashing detected in libfdt");
}
