/* SPDX-License-Identifier: MIT */
/* A strict JSON syntax check (RFC 8259) for the unit tests of tools that print JSON. */
#pragma once

#include <stdbool.h>
#include <string.h>

static bool js_value(const char **p, int depth);

static void js_ws(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r') {
        ++*p;
    }
}

static bool js_string(const char **p)
{
    if (**p != '"') {
        return false;
    }
    for (++*p; **p != '"'; ++*p) {
        unsigned char c = (unsigned char)**p;
        if (c < 0x20) {
            return false; /* raw control bytes (and the end of the text) are not allowed */
        }
        if (c == '\\') {
            ++*p;
            if (**p == 'u') {
                for (int i = 0; i < 4; i++) {
                    ++*p;
                    if (!strchr("0123456789abcdefABCDEF", **p) || !**p) {
                        return false;
                    }
                }
            } else if (!**p || !strchr("\"\\/bfnrt", **p)) {
                return false;
            }
        }
    }
    ++*p;
    return true;
}

static bool js_number(const char **p)
{
    const char *s = *p;

    if (**p == '-') {
        ++*p;
    }
    if (**p == '0') {
        ++*p;
    } else if (**p >= '1' && **p <= '9') {
        while (**p >= '0' && **p <= '9') {
            ++*p;
        }
    } else {
        return false;
    }
    if (**p == '.') {
        ++*p;
        if (!(**p >= '0' && **p <= '9')) {
            return false;
        }
        while (**p >= '0' && **p <= '9') {
            ++*p;
        }
    }
    return *p > s;
}

static bool js_list(const char **p, char close, bool keys, int depth)
{
    ++*p;
    js_ws(p);
    if (**p == close) {
        ++*p;
        return true;
    }
    for (;;) {
        js_ws(p);
        if (keys) {
            if (!js_string(p)) {
                return false;
            }
            js_ws(p);
            if (**p != ':') {
                return false;
            }
            ++*p;
        }
        if (!js_value(p, depth + 1)) {
            return false;
        }
        js_ws(p);
        if (**p == close) {
            ++*p;
            return true;
        }
        if (**p != ',') {
            return false;
        }
        ++*p;
    }
}

static bool js_value(const char **p, int depth)
{
    js_ws(p);
    if (depth > 32) {
        return false;
    }
    switch (**p) {
    case '{': return js_list(p, '}', true, depth);
    case '[': return js_list(p, ']', false, depth);
    case '"': return js_string(p);
    case 't': return strncmp(*p, "true", 4) == 0 && (*p += 4);
    case 'f': return strncmp(*p, "false", 5) == 0 && (*p += 5);
    case 'n': return strncmp(*p, "null", 4) == 0 && (*p += 4);
    default: return js_number(p);
    }
}

/* Every line of text (JSON lines) is one valid JSON value; at least one line. */
static inline bool json_lines_valid(const char *text)
{
    const char *p = text;
    int values = 0;

    while (*p) {
        if (!js_value(&p, 0)) {
            return false;
        }
        values++;
        while (*p == ' ' || *p == '\r') {
            p++;
        }
        if (*p != '\n') {
            return false;
        }
        p++;
    }
    return values > 0;
}
