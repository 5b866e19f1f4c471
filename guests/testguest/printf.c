// SPDX-License-Identifier: MIT
/*
 * The guests' bounded formatter is the hypervisor's lib/fmt.c (one source), with this file's
 * contract: the return value counts the characters actually stored.
 */
#include "printf.h"

#include "../../lib/fmt.c"

int tg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    int n = bh_vsnprintf(buf, size, fmt, ap);

    if (size == 0) {
        return 0;
    }
    return (size_t)n < size ? n : (int)(size - 1);
}

int tg_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = tg_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
