// SPDX-License-Identifier: MIT
/* A small vsnprintf: enough for test reports, with bounded output and no allocation. */
#include <stdbool.h>
#include <stdint.h>

#include "printf.h"

#define HEX_BASE 16
#define DEC_BASE 10
#define NUM_BUF_SIZE 24 /* 2^64 in decimal is 20 digits, in hex 16 */

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void out_char(struct out *o, char c)
{
    /* keep one byte for the terminating NUL */
    if (o->len + 1 < o->size) {
        o->buf[o->len++] = c;
    }
}

static void out_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;

    if (!left) {
        while (fill-- > 0) {
            out_char(o, pad);
        }
    }
    for (size_t i = 0; i < n; i++) {
        out_char(o, s[i]);
    }
    if (left) {
        while (fill-- > 0) {
            out_char(o, ' ');
        }
    }
}

static void out_number(struct out *o, uint64_t val, bool negative, unsigned int base, bool upper,
                       int width, bool left, char pad)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[NUM_BUF_SIZE];
    size_t n = 0;

    do {
        tmp[sizeof(tmp) - 1 - n++] = digits[val % base];
        val /= base;
    } while (val);
    if (negative) {
        if (pad == '0') {
            /* the sign goes before zero padding: "-0042", not "00-42" */
            out_char(o, '-');
            width--;
        } else {
            tmp[sizeof(tmp) - 1 - n++] = '-';
        }
    }
    out_padded(o, &tmp[sizeof(tmp) - n], n, width, left, pad);
}

int tg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { .buf = buf, .size = size, .len = 0 };

    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            out_char(&o, *p);
            continue;
        }
        p++;
        bool left = false;
        char pad = ' ';
        for (;; p++) {
            if (*p == '-') {
                left = true;
            } else if (*p == '0') {
                pad = '0';
            } else {
                break;
            }
        }
        int width = 0;
        while (*p >= '0' && *p <= '9') {
            width = width * DEC_BASE + (*p++ - '0');
        }
        int longs = 0;
        while (*p == 'l' || *p == 'z') {
            longs++;
            p++;
        }

        uint64_t u;
        int64_t s;
        switch (*p) {
        case 'd':
        case 'i':
            s = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            u = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
            out_number(&o, u, s < 0, DEC_BASE, false, width, left, pad);
            break;
        case 'u':
        case 'x':
        case 'X':
            u = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            out_number(&o, u, false, *p == 'u' ? DEC_BASE : HEX_BASE, *p == 'X', width, left,
                       pad);
            break;
        case 'p':
            out_char(&o, '0');
            out_char(&o, 'x');
            out_number(&o, (uintptr_t)va_arg(ap, void *), false, HEX_BASE, false, width, left,
                       pad);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            out_padded(&o, &c, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            size_t n = 0;
            if (!str) {
                str = "(null)";
            }
            while (str[n]) {
                n++;
            }
            out_padded(&o, str, n, width, left, ' ');
            break;
        }
        case '%':
            out_char(&o, '%');
            break;
        case '\0':
            p--; /* lone '%' at the end: stop at the NUL */
            break;
        default:
            /* unknown conversion: print it verbatim so the mistake is visible */
            out_char(&o, '%');
            out_char(&o, *p);
            break;
        }
    }
    if (o.size) {
        o.buf[o.len] = '\0';
    }
    return (int)o.len;
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
