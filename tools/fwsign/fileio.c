// SPDX-License-Identifier: MIT
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fwsign_fail(const char *what, const char *why)
{
    fprintf(stderr, "fwsign: %s: %s\n", what, why);
    exit(1);
}

uint8_t *fwsign_slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);

    if (!f || !buf) {
        fwsign_fail(path, strerror(errno));
    }
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap && !(buf = realloc(buf, cap *= 2))) {
            fwsign_fail(path, "out of memory");
        }
    }
    if (ferror(f)) {
        fwsign_fail(path, "read error");
    }
    if (f != stdin) {
        fclose(f);
    }
    if (n == 0) {
        fwsign_fail(path, "empty");
    }
    *len = n;
    return buf;
}

void fwsign_read32(const char *path, uint8_t out[32], const char *what)
{
    size_t n;
    uint8_t *k = fwsign_slurp(path, &n);
    char why[96];

    if (n != 32) {
        snprintf(why, sizeof(why), "not %s", what);
        fwsign_fail(path, why);
    }
    memcpy(out, k, 32);
    free(k);
}
