/* SPDX-License-Identifier: MIT */
/*
 * Event records: one fixed-format console line per event, `EVT vm=<name> kind=<kind> k=v...`,
 * a stable interface that tests and tools match. A guest that faults or is refused in a loop
 * must not flood the console, but a flood must not hide what matters either, so:
 *   - every (VM, kind) has its own token bucket: a flood of one kind cannot use up the
 *     tokens of another;
 *   - lifecycle records (start, stop, restart, restart_limit, refused, config_error, pause,
 *     resume, and a
 *     fault that stops or restarts the VM: the caller says so) are never dropped; each is
 *     bounded by the lifecycle itself (VM_RESTART_MAX restarts per window, then a stop);
 *   - suppressed records are counted per kind and reported in
 *     `EVT vm=<name> kind=evt_dropped count=<n> dropped_kind=<kind>`: before the next record
 *     of that kind, with any later record of the VM once that kind's bucket has a token again,
 *     and unconditionally when the VM stops or restarts (evt_limiter_next_drop, force).
 * Records are also kept in a ring, the event log (the newest EVT_RING_SIZE), as structured
 * records (sequence number, time, VM, kind, key=value text) that managers read with a cursor
 * (core/dev/vmgmt.c): a reader that falls behind learns how many records it missed.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVT_RING_SIZE    128  /* records in the event log (a power of two) */
#define EVT_LINE_MAX     160
#define EVT_KIND_MAX     16   /* kind= string, NUL included (bulkhead/mgmt.h) */
#define EVT_TEXT_MAX     144  /* the key=value fields, NUL included (bulkhead/mgmt.h) */
#define EVT_VM_NONE      UINT32_C(0xffffffff)
#define EVT_BURST        32   /* records of one kind a VM may emit back to back */
#define EVT_REFILL_NS    UINT64_C(50000000) /* one token per 50 ms */

/*
 * The kinds the limiter tells apart. A kind not in the table (a new one not yet listed)
 * shares the EVT_KIND_OTHER bucket: still limited, never unlimited by accident.
 */
enum evt_kind {
    EVT_KIND_START,
    EVT_KIND_STOP,
    EVT_KIND_RESTART,
    EVT_KIND_RESTART_LIMIT,
    EVT_KIND_REFUSED,
    EVT_KIND_CONFIG_ERROR,
    EVT_KIND_PAUSE,         /* a manager paused / resumed the VM (bounded by its operations) */
    EVT_KIND_RESUME,
    EVT_KIND_LIFECYCLE_END, /* kinds below are lifecycle records: never dropped */
    EVT_KIND_S2_FAULT = EVT_KIND_LIFECYCLE_END,
    EVT_KIND_SERROR,
    EVT_KIND_FAULT_LOOP,
    EVT_KIND_TRAP_UNDEF,
    EVT_KIND_SYSREG_DENY,
    EVT_KIND_MMIO_DENY,
    EVT_KIND_MMIO_NOTICE,
    EVT_KIND_VGIC_DENY,
    EVT_KIND_HVC_UNKNOWN,
    EVT_KIND_SMC_UNKNOWN,
    EVT_KIND_IPC_DENY,
    EVT_KIND_IPC_RATE,
    EVT_KIND_MGMT,          /* a management operation on the VM: who, what, result */
    EVT_KIND_MGMT_DENY,     /* a manager tried what it has no right to */
    EVT_KIND_SMC_DENY,      /* a secure-world call the VM's policy denies (secpolicy.c) */
    EVT_KIND_OTHER,
    EVT_KIND_COUNT,
};

struct evt_bucket {
    uint32_t tokens;
    uint32_t dropped;
    uint64_t last_ns;
};

/* One VM's buckets, one per kind. */
struct evt_limiter {
    struct evt_bucket kind[EVT_KIND_COUNT];
};

struct evt_record {
    uint64_t seq;
    uint64_t time_ns;
    uint32_t vm;              /* VM index, EVT_VM_NONE for none */
    char kind[EVT_KIND_MAX];
    char text[EVT_TEXT_MAX];  /* the fields after kind=, "" when none */
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

/* The limiter's index of kind (a record's kind= string); EVT_KIND_OTHER if not listed. */
enum evt_kind evt_kind_of(const char *kind);

/* The kind= string of index k (k < EVT_KIND_COUNT; "other" for EVT_KIND_OTHER). */
const char *evt_kind_name(enum evt_kind k);

/* Lifecycle kinds are never dropped. */
static inline bool evt_kind_is_lifecycle(enum evt_kind k)
{
    return k < EVT_KIND_LIFECYCLE_END;
}

/* Every kind's bucket full (a VM being built). */
void evt_limiter_init(struct evt_limiter *l, uint64_t now_ns);

/*
 * May a record of kind k be emitted at now_ns? always (or a lifecycle kind): yes, without a
 * token if none is left. Otherwise it takes a token of k's bucket, or counts a drop and
 * returns false. When true, *dropped receives the records of kind k suppressed before this
 * one (reset): the caller reports them first. Caller serialises calls on one limiter.
 */
bool evt_limiter_take(struct evt_limiter *l, enum evt_kind k, bool always, uint64_t now_ns,
                      uint32_t *dropped);

/*
 * The next kind with suppressed records to report: its kind in *k and count in *count (reset)
 * and true, or false when none is owed. Without force only a kind whose bucket has a token
 * again qualifies (the report takes it); with force (the VM stops) every kind does.
 */
bool evt_limiter_next_drop(struct evt_limiter *l, uint64_t now_ns, bool force,
                           enum evt_kind *k, uint32_t *count);

/* Append a record to the ring (overwriting the oldest when full); kind and text are cut to
 * their fields' sizes. Caller serialises calls on one ring. */
void evt_ring_push(struct evt_ring *r, uint64_t now_ns, uint32_t vm, const char *kind,
                   const char *text);

/* The record with sequence number seq, or NULL if it is gone or not yet written. */
const struct evt_record *evt_ring_get(const struct evt_ring *r, uint64_t seq);

/*
 * Read with a cursor: copy the oldest record with sequence number >= *cursor into *out,
 * advance *cursor past it and return true; false when there is none yet (cursor at or beyond
 * the newest). Records already overwritten are skipped: their number is added to *missed.
 * Caller serialises against evt_ring_push (one record per call: a short lock hold).
 */
bool evt_ring_read(const struct evt_ring *r, uint64_t *cursor, struct evt_record *out,
                   uint64_t *missed);

/* The sequence number the next record will get. */
static inline uint64_t evt_ring_next(const struct evt_ring *r)
{
    return r->next_seq;
}

/*
 * Format `EVT vm=<vm> kind=<kind> <fmt...>` into buf (size n). Returns the formatted length.
 */
int evt_format(char *buf, size_t n, const char *vm, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* evt_format with the extra fields as a va_list. */
int evt_vformat(char *buf, size_t n, const char *vm, const char *kind, const char *fmt,
                va_list ap);
