/* SPDX-License-Identifier: MIT */
/*
 * Event records: one fixed-format console line per event, `EVT vm=<name> kind=<kind> k=v...`,
 * a stable interface that tests and tools match. Every VM has a token bucket so a guest that
 * faults in a loop cannot flood the console; suppressed records are counted and reported in an
 * `EVT vm=<name> kind=evt_dropped count=<n>` record once the bucket refills. Records are also
 * kept in a ring (the newest EVT_RING_SIZE) for management tools.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVT_RING_SIZE    64
#define EVT_LINE_MAX     160
#define EVT_BURST        32   /* records a VM may emit back to back */
#define EVT_REFILL_NS    UINT64_C(50000000) /* one token per 50 ms */

struct evt_bucket {
    uint32_t tokens;
    uint32_t dropped;
    uint64_t last_ns;
};

struct evt_record {
    uint64_t seq;
    uint64_t time_ns;
    char line[EVT_LINE_MAX];
};

struct evt_ring {
    uint64_t next_seq;
    struct evt_record rec[EVT_RING_SIZE];
};

/* Reset a bucket to a full burst. */
void evt_bucket_init(struct evt_bucket *b, uint64_t now_ns);

/*
 * Take one token at time now_ns. Returns true when the record may be emitted; then *dropped
 * receives how many records were suppressed since the last emitted one (and is reset).
 */
bool evt_bucket_take(struct evt_bucket *b, uint64_t now_ns, uint32_t *dropped);

/* Append a line to the ring (overwriting the oldest when full). */
void evt_ring_push(struct evt_ring *r, uint64_t now_ns, const char *line);

/* The record with sequence number seq, or NULL if it is gone or not yet written. */
const struct evt_record *evt_ring_get(const struct evt_ring *r, uint64_t seq);

/*
 * Format `EVT vm=<vm> kind=<kind> <fmt...>` into buf (size n). Returns the formatted length.
 */
int evt_format(char *buf, size_t n, const char *vm, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* evt_format with the extra fields as a va_list. */
int evt_vformat(char *buf, size_t n, const char *vm, const char *kind, const char *fmt,
                va_list ap);
