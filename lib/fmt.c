// SPDX-License-Identifier: MIT
/*
 * A bounded printf-style formatter: the console, event records and configuration messages all
 * go through it. No floating point, so it is safe at EL2 with -mgeneral-regs-only.
 */
#include <lib/fmt.h>

#include <stdbool.h>
#include <stdint.h>

struct out {
    char *buf;
    size_t cap;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->cap) {
        o->buf[o->len] = c;
    }
    o->len++;
}

struct spec {
    bool left;
    bool zero;
    unsigned width;
    int lng; /* 0 int, 1 long, 2 long long */
};

static void put_padded(struct out *o, const char *s, size_t n, const struct spec *sp)
{
    size_t pad = sp->width > n ? sp->width - n : 0;

    if (!sp->left) {
        for (; pad; pad--) {
            put(o, sp->zero ? '0' : ' ');
        }
    }
    for (size_t i = 0; i < n; i++) {
        put(o, s[i]);
    }
    for (; pad; pad--) {
        put(o, ' ');
    }
}

static void put_number(struct out *o, uint64_t v, unsigned base, bool neg, const struct spec *sp)
{
    char tmp[24];
    size_t n = 0;
    struct spec s = *sp;

    do {
        unsigned d = (unsigned)(v % base);
        tmp[sizeof(tmp) - 1 - n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    if (neg) {
        if (s.zero && s.width) {
            put(o, '-');
            s.width--;
        } else {
            tmp[sizeof(tmp) - 1 - n++] = '-';
        }
    }
    put_padded(o, &tmp[sizeof(tmp) - n], n, &s);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
    *sp = (struct spec){ 0 };
    for (;; f++) {
        if (*f == '-') {
            sp->left = true;
        } else if (*f == '0') {
            sp->zero = true;
        } else {
            break;
        }
    }
    while (*f >= '0' && *f <= '9') {
        sp->width = sp->width * 10 + (unsigned)(*f++ - '0');
    }
    while (*f == 'l' || *f == 'z') {
        sp->lng = *f == 'z' ? 1 : sp->lng + 1;
        f++;
    }
    return f;
}

static uint64_t get_unsigned(va_list *ap, int lng)
{
    if (lng >= 2) {
        return va_arg(*ap, unsigned long long);
    }
    if (lng == 1) {
        return va_arg(*ap, unsigned long);
    }
    return va_arg(*ap, unsigned int);
}

static int64_t get_signed(va_list *ap, int lng)
{
    if (lng >= 2) {
        return va_arg(*ap, long long);
    }
    if (lng == 1) {
        return va_arg(*ap, long);
    }
    return va_arg(*ap, int);
}

static void format_one(struct out *o, char conv, const struct spec *sp, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        int64_t v = get_signed(ap, sp->lng);
        put_number(o, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, v < 0, sp);
        break;
    }
    case 'u':
        put_number(o, get_unsigned(ap, sp->lng), 10, false, sp);
        break;
    case 'x':
        put_number(o, get_unsigned(ap, sp->lng), 16, false, sp);
        break;
    case 'p':
        put(o, '0');
        put(o, 'x');
        put_number(o, (uintptr_t)va_arg(*ap, void *), 16, false, sp);
        break;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        put_padded(o, &c, 1, sp);
        break;
    }
    case 's': {
        const char *s = va_arg(*ap, const char *);
        size_t n = 0;
        if (!s) {
            s = "(null)";
        }
        while (s[n]) {
            n++;
        }
        put_padded(o, s, n, sp);
        break;
    }
    case '%':
        put(o, '%');
        break;
    default:
        put(o, '%');
        put(o, conv);
        break;
    }
}

int bh_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct out o = { buf, n, 0 };
    va_list aq;

    va_copy(aq, ap);
    while (*fmt) {
        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        struct spec sp;
        fmt = parse_spec(fmt + 1, &sp);
        if (!*fmt) {
            break;
        }
        format_one(&o, *fmt++, &sp, &aq);
    }
    va_end(aq);
    if (n) {
        buf[o.len < n ? o.len : n - 1] = '\0';
    }
    return (int)o.len;
}

int bh_snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = bh_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}
