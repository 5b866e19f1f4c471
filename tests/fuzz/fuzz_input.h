/* SPDX-License-Identifier: MIT */
/*
 * Reading a fuzzer's input as a stream of little-endian fields. Past the end every field
 * reads as 0, so a target never needs a length check of its own; fuzz_in_done() says when to
 * stop. Shared by the targets in tests/fuzz/ (host only).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct fuzz_in {
    const uint8_t *p;
    size_t n;
};

static inline bool fuzz_in_done(const struct fuzz_in *in)
{
    return in->n == 0;
}

static inline uint64_t fuzz_in_bytes(struct fuzz_in *in, unsigned bytes)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < bytes; i++) {
        if (in->n > 0) {
            v |= (uint64_t)in->p[0] << (8 * i);
            in->p++;
            in->n--;
        }
    }
    return v;
}

static inline uint8_t fuzz_in_u8(struct fuzz_in *in)
{
    return (uint8_t)fuzz_in_bytes(in, 1);
}

static inline uint32_t fuzz_in_u32(struct fuzz_in *in)
{
    return (uint32_t)fuzz_in_bytes(in, 4);
}

static inline uint64_t fuzz_in_u64(struct fuzz_in *in)
{
    return fuzz_in_bytes(in, 8);
}

/* A property the code under test must keep: report and abort (the fuzzer saves the input). */
#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
