// SPDX-License-Identifier: MIT
/*
 * Symbols that Debian's prebuilt static libfdt and BearSSL expect from a C library: the
 * stack-protector guard and the _FORTIFY_SOURCE checked copies. Built for EL2 only.
 */
#include <lib/string.h>

#include <stdint.h>

#ifndef BH_HOSTED

uintptr_t __stack_chk_guard = (uintptr_t)0x5d3c8f2a6b1e4907ULL;

void bh_panic(const char *file, int line, const char *msg) __attribute__((noreturn));
void __stack_chk_fail(void) __attribute__((noreturn));
void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t n, size_t dstlen);

void __stack_chk_fail(void)
{
    bh_panic(__FILE__, __LINE__, "stack smashing detected");
}

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (n > dstlen) {
        bh_panic(__FILE__, __LINE__, "memcpy overflow");
    }
    return memcpy(dst, src, n);
}

void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (n > dstlen) {
        bh_panic(__FILE__, __LINE__, "memmove overflow");
    }
    return memmove(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dstlen)
{
    if (n > dstlen) {
        bh_panic(__FILE__, __LINE__, "memset overflow");
    }
    return memset(dst, c, n);
}

#endif
