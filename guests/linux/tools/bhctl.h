/* SPDX-License-Identifier: MIT */
/*
 * bhctl, the management CLI of a Linux manager VM (docs/MANAGEMENT.md "Operating a running
 * system"). Everything but the transport is portable C, built for the guest (static aarch64)
 * and on the host for the unit tests (tests/unit/test_bhctl*.c, with a fake transport):
 *   bhctl_cli.c   argument parsing
 *   bhctl_data.c  parsing the snapshot and event areas (bounded: counts, sizes, strings)
 *   bhctl_fmt.c   human tables and JSON
 *   bhctl_log.c   event reading, following and the rotating log file
 *   bhctl_run.c   the commands, on a struct bhctl_transport
 *   bhctl_mmio.c  the transport of a manager VM: the management device through /dev/mem
 *   bhctl_remote.c  --remote: bhmgmtd's HTTP API (bhmgmtd.h), answers read with bhjson.c
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <bulkhead/abi.h>
#include <bulkhead/mgmt.h>

/* Exit status: distinct for each refusal, so scripts can tell them apart. */
enum bhctl_exit {
    BHCTL_EXIT_OK = 0,
    BHCTL_EXIT_ERROR = 1,       /* I/O, a malformed answer from the device */
    BHCTL_EXIT_USAGE = 2,
    BHCTL_EXIT_DENIED = 3,      /* the scenario grants no right for it */
    BHCTL_EXIT_NOENT = 4,       /* unknown VM */
    BHCTL_EXIT_STATE = 5,       /* not in a state the operation applies to */
    BHCTL_EXIT_NODEV = 6,       /* no management device: this VM is not a manager */
    BHCTL_EXIT_BUSY = 7,        /* the VM is in a transient state (stopping, reloading) */
    BHCTL_EXIT_UNSUPPORTED = 8, /* the hypervisor does not implement it */
    BHCTL_EXIT_AUTH = 9,        /* bhctl --remote: bhmgmtd refused the token (HTTP 401) */
};

enum bhctl_cmd {
    BHCTL_CMD_NONE,
    BHCTL_CMD_LIST,
    BHCTL_CMD_INFO,
    BHCTL_CMD_STATS,
    BHCTL_CMD_TOP,
    BHCTL_CMD_EVENTS,
    BHCTL_CMD_START, /* lifecycle operations: START..SHUTDOWN, in enum bhctl_op order */
    BHCTL_CMD_STOP,
    BHCTL_CMD_RESTART,
    BHCTL_CMD_PAUSE,
    BHCTL_CMD_RESUME,
    BHCTL_CMD_SHUTDOWN,
};

enum bhctl_op { BHCTL_OP_START, BHCTL_OP_STOP, BHCTL_OP_RESTART, BHCTL_OP_PAUSE, BHCTL_OP_RESUME,
                BHCTL_OP_SHUTDOWN, BHCTL_OP_COUNT };

#define BHCTL_PATH_MAX       256
#define BHCTL_DEF_TOP_MS     1000u
#define BHCTL_DEF_FOLLOW_MS  500u
#define BHCTL_DEF_ROTATE_KB  1024u
#define BHCTL_DEF_KEEP       3u
#define BHCTL_MAX_KEEP       99u
#define BHCTL_MAX_ROTATE_KB  (1024u * 1024u) /* 1 GiB */
#define BHCTL_MAX_INTERVAL_MS 3600000u

struct bhctl_args {
    enum bhctl_cmd cmd;
    bool json;
    bool help;
    const char *vm;          /* info, stats, lifecycle: the VM (name or index) */
    bool follow;             /* events -f */
    bool from_now;           /* events --new: only records after the start */
    bool clear;              /* top -c: clear the screen between frames (ANSI) */
    uint32_t iterations;     /* top / events -f: -n N (0: until killed) */
    uint32_t interval_ms;    /* top -d, events -i */
    const char *out_file;    /* events -o FILE */
    uint32_t rotate_kb;      /* --rotate-kb */
    uint32_t keep;           /* --keep: rotated files kept (FILE.1 .. FILE.keep) */
    const char *remote;      /* --remote HOST:PORT: bhmgmtd instead of the device */
    const char *token_file;  /* --token FILE (else $BHCTL_TOKEN) */
    const char *cert_file;   /* --cert FILE: TLS, the daemon's certificate pinned */
};

/* Parse argv (argv[0] is the program). BHCTL_EXIT_OK, or BHCTL_EXIT_USAGE with a one-line
 * reason in err. */
int bhctl_parse_args(int argc, char *const argv[], struct bhctl_args *a, char *err,
                     size_t errlen);
/* The usage text. */
void bhctl_usage(FILE *out);

/* ------------------------------------------------------------------ data */

/* What fits in the snapshot area at most (mgmt.h sizes). */
#define BHCTL_VMS_MAX ((BH_MGMT_SNAP_SIZE - sizeof(struct bh_mgmt_snap)) / sizeof(struct bh_mgmt_vm))
#define BHCTL_IPC_MAX ((BH_MGMT_SNAP_SIZE - sizeof(struct bh_mgmt_snap)) / sizeof(struct bh_mgmt_ipc))

struct bhctl_snap {
    uint64_t time_ns;
    uint64_t evt_next;
    uint64_t console_ring_full;
    uint64_t console_escaped;
    uint32_t vm_count;
    uint32_t ipc_count;
    struct bh_mgmt_vm vm[BHCTL_VMS_MAX];
    struct bh_mgmt_ipc ipc[BHCTL_IPC_MAX];
};

struct bhctl_evbatch {
    uint32_t count;
    uint64_t first, next, missed, log_next;
    struct bh_mgmt_event ev[BH_MGMT_EVT_MAX];
};

/* A private copy of the snapshot area (size bytes) into out: magic, version, entry sizes,
 * counts within the area, every string NUL-terminated, vCPU counts bounded. 0, or
 * BHCTL_EXIT_ERROR with the reason in err. */
int bhctl_snap_parse(const void *area, size_t size, struct bhctl_snap *out, char *err,
                     size_t errlen);
/* The same for the event area; n is the count the EVENTS operation answered. */
int bhctl_evt_parse(const void *area, size_t size, int32_t n, struct bhctl_evbatch *out,
                    char *err, size_t errlen);

/* The VM of s named name (or, all digits, with that index); NULL if none. */
const struct bh_mgmt_vm *bhctl_find_vm(const struct bhctl_snap *s, const char *name);
/* Name of VM index id in s ("-" for BH_MGMT_VM_NONE, "vm<id>" when s does not list it). */
const char *bhctl_vm_name(const struct bhctl_snap *s, uint32_t id, char *buf, size_t len);

const char *bhctl_state_name(uint32_t state);
const char *bhctl_op_name(enum bhctl_op op);

/* ------------------------------------------------------------------ transport */

/*
 * How bhctl reaches the hypervisor. Every function returns 0 or a BHCTL_EXIT_* code (with a
 * message in t->err), except op, which returns the device's answer (BH_OK, BH_E_*).
 */
struct bhctl_transport {
    const char *name;
    int (*open)(struct bhctl_transport *t);
    int (*snapshot)(struct bhctl_transport *t, struct bhctl_snap *out);
    /* Records from cursor on (a batch; out->next is where the next batch starts). */
    int (*events)(struct bhctl_transport *t, uint64_t cursor, struct bhctl_evbatch *out);
    int32_t (*op)(struct bhctl_transport *t, uint32_t vm, enum bhctl_op op);
    void (*close)(struct bhctl_transport *t);
    void *priv;
    char err[160];
};

/* For a transport: write the message into t->err and return code (bhctl_data.c). */
int bhctl_fail(struct bhctl_transport *t, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The management device of this VM (bhctl_mmio.c, Linux only). */
extern struct bhctl_transport bhctl_mmio_transport;

/* bhmgmtd over HTTP (bhctl_remote.c, docs/MANAGEMENT.md "Remote API"). */
extern struct bhctl_transport bhctl_remote_transport;
#define BHCTL_REMOTE_TIMEOUT_MS 10000u /* a whole request: connect, send, answer */
/*
 * Point the remote transport at hostport ("A.B.C.D:PORT", "[v6]:PORT" or "localhost:PORT")
 * with the token from token_file (NULL: $BHCTL_TOKEN); with cert_file (PEM), TLS to a daemon
 * that must hold that certificate's key (NULL: plain HTTP). BHCTL_EXIT_OK, or
 * BHCTL_EXIT_USAGE with the reason in err.
 */
int bhctl_remote_setup(const char *hostport, const char *token_file, const char *cert_file,
                       char *err, size_t errlen);
/* bhctl's JSON read back (bhctl_unjson.c): `stats --json` into out, and bhmgmtd's event
 * batch (GET /v1/events) into out; 0, or -1 when malformed or out of range. */
int bhctl_remote_snap_json(const char *body, size_t len, struct bhctl_snap *out);
int bhctl_remote_evt_json(const char *body, size_t len, struct bhctl_evbatch *out);

/* ------------------------------------------------------------------ formatting */

/* JSON string literal of s (at most max bytes; quotes, backslash, control and non-ASCII
 * bytes escaped). */
void bhctl_json_str(FILE *out, const char *s, size_t max);

void bhctl_print_list(FILE *out, const struct bhctl_snap *s, bool json);
void bhctl_print_info(FILE *out, const struct bhctl_snap *s, const struct bh_mgmt_vm *v,
                      bool json);
/* only: one VM (NULL: all) */
void bhctl_print_stats(FILE *out, const struct bhctl_snap *s, const struct bh_mgmt_vm *only,
                       bool json);
/* One frame of top from two snapshots (prev may be NULL: no rates yet). */
void bhctl_print_top(FILE *out, const struct bhctl_snap *prev, const struct bhctl_snap *cur,
                     bool json);
/* One event record as a line (human or JSON), newline included, into buf. Its length. */
size_t bhctl_format_event(char *buf, size_t len, const struct bh_mgmt_event *e,
                          const struct bhctl_snap *names, bool json);
/* A "records missed" line into buf. Its length. */
size_t bhctl_format_missed(char *buf, size_t len, uint64_t missed, uint64_t at, bool json);

/* ------------------------------------------------------------------ event log */

/* A log file that is rotated by size: FILE, FILE.1 (the newest old one) .. FILE.keep. */
struct bhctl_rotlog {
    char path[BHCTL_PATH_MAX];
    uint64_t limit;  /* bytes */
    uint32_t keep;
    FILE *f;
    uint64_t size;
    uint32_t rotations;
};

/* Open (append to) path. 0, or -1 with errno set. */
int bhctl_rotlog_open(struct bhctl_rotlog *l, const char *path, uint64_t limit, uint32_t keep);
/* Write one line; before it, rotate when the line would take the file past its limit (a file
 * holds at least one line, so a line longer than the limit gets a file of its own). 0 / -1. */
int bhctl_rotlog_write(struct bhctl_rotlog *l, const char *line, size_t len);
void bhctl_rotlog_close(struct bhctl_rotlog *l);

/* ------------------------------------------------------------------ commands */

struct bhctl_env {
    struct bhctl_transport *t;
    FILE *out, *err;
    void (*sleep_ms)(uint32_t ms);
    volatile int *stop; /* set by a signal: follow and top end at the next round */
};

/* Run the parsed command; returns the exit status (messages on env->err). */
int bhctl_run(const struct bhctl_args *a, struct bhctl_env *env);

/* Follow/print the event log from *cursor: every batch up to the log's end, each record
 * to the sink (stdout, or the rotating log when log is not NULL). Returns 0 or an exit code;
 * *cursor moves on, *records counts the records written. */
int bhctl_events_drain(struct bhctl_env *env, const struct bhctl_args *a, uint64_t *cursor,
                       const struct bhctl_snap *names, struct bhctl_rotlog *log,
                       uint64_t *records);
