// SPDX-License-Identifier: MIT
/* Bootarg lookup over plat.bootargs; the last occurrence of a key wins, as in Linux. */
#include <stdlib.h>
#include <string.h>

#include "bootargs.h"
#include "platform.h"

#define NUM_TEXT_MAX 24 /* "0x" + 16 hex digits, or 20 decimal digits, + NUL */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

bool bootarg_get(const char *key, char *out, size_t size)
{
    size_t key_len = strlen(key);
    const char *p = plat.bootargs;
    bool found = false;

    while (*p) {
        while (is_space(*p)) {
            p++;
        }
        const char *tok = p;
        while (*p && !is_space(*p)) {
            p++;
        }
        size_t tok_len = (size_t)(p - tok);
        if (tok_len > key_len && !strncmp(tok, key, key_len) && tok[key_len] == '=') {
            size_t n = tok_len - key_len - 1;
            if (size) {
                n = n < size - 1 ? n : size - 1;
                memcpy(out, tok + key_len + 1, n);
                out[n] = '\0';
            }
            found = true;
        }
    }
    return found;
}

uint64_t bootarg_get_u64(const char *key, uint64_t def)
{
    char val[NUM_TEXT_MAX];
    char *end;

    if (!bootarg_get(key, val, sizeof(val)) || !val[0]) {
        return def;
    }
    uint64_t n = strtoul(val, &end, 0);
    return *end ? def : n;
}
