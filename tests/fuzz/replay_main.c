// SPDX-License-Identifier: MIT
/*
 * Regression replay of a fuzz target without libFuzzer: `make unit` builds every target with
 * this main (gcc, ASan/UBSan, tests/fuzz/fuzz.mk) and runs each input of its committed seed
 * corpus, tests/fuzz/corpus/<name>/, through LLVMFuzzerTestOneInput. Inputs are *.hex text
 * (hex digit pairs; whitespace and '#' comments ignored) or raw files. With arguments, it
 * runs those files instead (e.g. a crash reproducer left in build/fuzz/).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"

#ifndef FUZZ_CORPUS
#error "FUZZ_CORPUS names the seed corpus directory"
#endif

/* Hex text to bytes, in place; returns the byte count or -1 on a stray character. */
static long hex_decode(char *buf, size_t len)
{
    size_t out = 0;
    int hi = -1;

    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)buf[i];
        if (c == '#') {
            while (i < len && buf[i] != '\n') {
                i++;
            }
            continue;
        }
        if (isspace(c)) {
            continue;
        }
        if (!isxdigit(c)) {
            return -1;
        }
        int v = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
        if (hi < 0) {
            hi = v;
        } else {
            buf[out++] = (char)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? (long)out : -1;
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, len = 0;
    long n;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            cap = cap ? 2 * cap : 4096;
            buf = realloc(buf, cap);
            if (buf == NULL) {
                abort();
            }
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        if (got == 0) {
            break;
        }
        len += got;
    }
    fclose(f);
    n = (long)len;
    if (len >= 4 && strcmp(path + strlen(path) - 4, ".hex") == 0) {
        n = hex_decode(buf, len);
        if (n < 0) {
            fprintf(stderr, "%s: not hex text\n", path);
            free(buf);
            return -1;
        }
    }
    LLVMFuzzerTestOneInput((const uint8_t *)buf, (size_t)n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    char path[4096];
    unsigned count = 0, bad = 0;

    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            bad += run_file(argv[i]) != 0;
        }
        printf("replayed %d input(s)\n", argc - 1);
        return bad ? 1 : 0;
    }
    DIR *d = opendir(FUZZ_CORPUS);
    if (d == NULL) {
        perror(FUZZ_CORPUS);
        return 1;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", FUZZ_CORPUS, e->d_name);
        bad += run_file(path) != 0;
        count++;
    }
    closedir(d);
    printf("%s: replayed %u input(s)\n", FUZZ_CORPUS, count);
    /* An empty corpus replays nothing: treat it as a mistake. */
    return (bad || count == 0) ? 1 : 0;
}
