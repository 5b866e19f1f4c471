// SPDX-License-Identifier: MIT
/*
 * Freestanding implementations of the C string functions EL2 code and Debian's libfdt.a need.
 * Built only for EL2 (the host uses its C library). Byte-wise on purpose: EL2 code is built with
 * -mgeneral-regs-only and copies are small except image loading, which uses bh_memcpy_fast.
 */
#include <lib/string.h>

#include <stdint.h>

#ifndef BH_HOSTED

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    /* Word copies: image loading copies megabytes, and images inside the boot bundle (a
     * FIT) are only 4-byte aligned, so a 4-aligned source is read as 32-bit halves. Only
     * aligned accesses: this also runs before the MMU is on, when memory is Device. */
    if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
        /* Equally aligned (a network frame after its 12-byte header): bytes up to the
         * boundary, then 64 and 32 bytes a round, as IPC messages and frames are copied at
         * EL2 per call */
        for (; n > 0 && ((uintptr_t)d & 7) != 0; n--) {
            *d++ = *s++;
        }
        for (; n >= 64; n -= 64, d += 64, s += 64) {
            const uint64_t *s64 = (const uint64_t *)s;
            uint64_t *d64 = (uint64_t *)d;
            uint64_t a = s64[0], b = s64[1], c = s64[2], e = s64[3];
            uint64_t f = s64[4], g = s64[5], h = s64[6], k = s64[7];
            d64[0] = a;
            d64[1] = b;
            d64[2] = c;
            d64[3] = e;
            d64[4] = f;
            d64[5] = g;
            d64[6] = h;
            d64[7] = k;
        }
        if (n >= 32) {
            uint64_t a = ((const uint64_t *)s)[0], b = ((const uint64_t *)s)[1];
            uint64_t c = ((const uint64_t *)s)[2], e = ((const uint64_t *)s)[3];
            ((uint64_t *)d)[0] = a;
            ((uint64_t *)d)[1] = b;
            ((uint64_t *)d)[2] = c;
            ((uint64_t *)d)[3] = e;
            n -= 32;
            d += 32;
            s += 32;
        }
        for (; n >= 8; n -= 8, d += 8, s += 8) {
            *(uint64_t *)d = *(const uint64_t *)s;
        }
    } else if (((uintptr_t)d & 7) == 0 && ((uintptr_t)s & 3) == 0) {
        for (; n >= 8; n -= 8, d += 8, s += 8) {
            const uint32_t *s32 = (const uint32_t *)s;
            *(uint64_t *)d = (uint64_t)s32[0] | ((uint64_t)s32[1] << 32);
        }
    }
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
    if (d < s || d >= s + n) {
        return memcpy(dst, src, n);
    }
    while (n--) {
        d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;

    if (((uintptr_t)d & 7) == 0 && c == 0) {
        for (; n >= 8; n -= 8, d += 8) {
            *(uint64_t *)d = 0;
        }
    }
    while (n--) {
        *d++ = (uint8_t)c;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a;
    const uint8_t *y = b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
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

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n]) {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a) {
            return (unsigned char)*a - (unsigned char)*b;
        }
    }
    return 0;
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
    return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    unsigned long v = 0;

    while (*s == ' ' || *s == '\t') {
        s++;
    }
    if (*s == '+') {
        s++;
    }
    if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        base = 16;
    } else if (base == 0 && s[0] == '0') {
        base = 8;
    } else if (base == 0) {
        base = 10;
    }
    for (; digit_value(*s) < base; s++) {
        v = v * (unsigned long)base + (unsigned long)digit_value(*s);
    }
    if (end) {
        *end = (char *)s;
    }
    return v;
}

#endif /* !BH_HOSTED */
