/* SPDX-License-Identifier: MIT */
/*
 * A small streaming JSON reader (RFC 8259) for bhctl --remote: the answers of bhmgmtd come
 * over the network, so the reader allocates nothing, bounds depth, key and string lengths,
 * and hands each scalar to a callback with its path (keys and array indices). Decoded strings
 * may hold any byte but NUL (\u0000 and anything above \u00ff are refused: bhctl's JSON
 * never writes them).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BHJSON_DEPTH_MAX 8
#define BHJSON_KEY_MAX   32  /* NUL included */
#define BHJSON_STR_MAX   256 /* NUL included */

enum bhjson_type { BHJSON_STR, BHJSON_UINT, BHJSON_NEG, BHJSON_FRAC, BHJSON_BOOL, BHJSON_NULL };

struct bhjson_path {
    int depth; /* entries in at[] */
    struct {
        char key[BHJSON_KEY_MAX]; /* in an object: the member's key */
        int32_t index;            /* in an array: the element's index; -1 in an object */
    } at[BHJSON_DEPTH_MAX];
};

struct bhjson_val {
    enum bhjson_type type;
    uint64_t u;    /* UINT: the value; NEG: its magnitude (at most 2^63) */
    bool b;        /* BOOL */
    const char *s; /* STR: decoded, NUL-terminated (valid during the callback) */
    size_t slen;
};

/* Called for each scalar; a non-zero return stops the parse and is returned. */
typedef int (*bhjson_cb)(void *ctx, const struct bhjson_path *p, const struct bhjson_val *v);

/* Parse s[0..len) (one value, whitespace around it). 0, -1 for anything that is not JSON or
 * passes a limit, or the callback's non-zero answer. */
int bhjson_parse(const char *s, size_t len, bhjson_cb cb, void *ctx);

/* The path flattened for matching: keys joined by '.', array indices as '#', e.g.
 * "vms.#.exits.hvc"; idx[] gets the indices in order (at most nidx). false if it does not
 * fit out. */
bool bhjson_path_str(const struct bhjson_path *p, char *out, size_t len, uint32_t *idx,
                     size_t nidx);
