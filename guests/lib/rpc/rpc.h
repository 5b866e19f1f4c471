/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead guest RPC: request/response with correlation IDs, timeouts and error propagation
 * over a pair of message queues (docs/ABI.md "Inter-VM communication"), plus a table-driven
 * service dispatcher for the server. One source for bare metal, the RTOS and Linux user
 * space: portable C99, no allocation, no libc beyond memcpy/memset, caller-provided buffers,
 * and the queues reached through a transport the environment supplies. Wire format and
 * usage: README.md next to this file.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Results. 0 and the transport's codes are the hypervisor's (docs/ABI.md "Error codes"),
 * so a transport can return its hypercall result unchanged; -32..-39 are this library's.
 * A server handler's status travels back to the caller as is: handlers should pick negative
 * codes outside -1..-39 (e.g. -42) to keep them apart from these.
 */
#define RPC_OK              0
#define RPC_E_NOT_SUPPORTED (-1)  /* transport: no such service (e.g. not under Bulkhead) */
#define RPC_E_INVAL         (-2)  /* bad argument to a library call; transport: bad buffer */
#define RPC_E_DENIED        (-3)  /* transport: the scenario does not allow this queue */
#define RPC_E_BUSY          (-4)  /* transport: full/empty queue and timeout 0 */
#define RPC_E_NOENT         (-5)  /* transport: no such queue */
#define RPC_E_RANGE         (-6)  /* transport: length or buffer out of range */
#define RPC_E_TIMEOUT       (-7)  /* no response before the deadline */
#define RPC_E_NO_METHOD     (-32) /* the server has no method with this id */
#define RPC_E_PROTO         (-33) /* malformed message (short, bad magic/version, length) */
#define RPC_E_TOO_BIG       (-34) /* payload does not fit one message: nothing was sent */
#define RPC_E_OVERFLOW      (-35) /* response payload larger than the caller's buffer */

/* Timeouts in nanoseconds: 0 = do not wait, RPC_FOREVER = no deadline. */
#define RPC_NO_WAIT 0U
#define RPC_FOREVER UINT64_MAX

/* Wire format v1 (README.md): a 24-byte little-endian header, then the payload. */
#define RPC_MAGIC        0x5052U /* bytes 'R' 'P' */
#define RPC_VERSION      1U
#define RPC_TYPE_REQUEST 1U
#define RPC_TYPE_RESP    2U
#define RPC_HDR_SIZE     24U

/* Buffers handed to the library are aligned like this (message-queue hypercalls need it). */
#define RPC_BUF_ALIGN 8U

/* Largest payload one message of msg_size bytes carries (0 if not even a header fits). */
#define RPC_MAX_PAYLOAD(msg_size) ((msg_size) > RPC_HDR_SIZE ? (msg_size) - RPC_HDR_SIZE : 0)

/* Buffer sizes: the client needs one message, the server one to receive and one to send. */
#define RPC_ROUND_ALIGN(n)        (((n) + RPC_BUF_ALIGN - 1) / RPC_BUF_ALIGN * RPC_BUF_ALIGN)
#define RPC_CLIENT_BUF_SIZE(msg)  RPC_ROUND_ALIGN(msg)
#define RPC_SERVER_BUF_SIZE(msg)  (2 * RPC_ROUND_ALIGN(msg))

/*
 * How the library reaches its two queues; supplied by the environment (transport_hvc.c for
 * bare metal and the RTOS, a device file for Linux user space). A client's send goes to the
 * request queue and its recv reads the response queue; a server's the other way round.
 *
 * send: queue the len bytes at msg (8-byte aligned, len <= msg_size) as one message.
 * recv: take one message into buf (8-byte aligned, cap >= msg_size); its length in *len.
 *   Both wait at most timeout_ns (0: never block, answer RPC_E_BUSY; RPC_FOREVER: no limit),
 *   return 0 or a negative code of the list above (RPC_E_TIMEOUT after a finite wait), keep
 *   message boundaries and never truncate.
 * now_ns: a monotonic clock in nanoseconds; deadlines are computed with it.
 * msg_size: the largest message the queues carry (the scenario's msg-size).
 */
struct rpc_transport {
    int (*send)(void *ctx, const void *msg, size_t len, uint64_t timeout_ns);
    int (*recv)(void *ctx, void *buf, size_t cap, size_t *len, uint64_t timeout_ns);
    uint64_t (*now_ns)(void *ctx);
    void *ctx;
    size_t msg_size;
};

/* ------------------------------------------------------------------ client */

struct rpc_client_stats {
    uint64_t calls;        /* rpc_call() invocations */
    uint64_t completed;    /* responses matched to their call (any status) */
    uint64_t timeouts;     /* calls that ended with RPC_E_TIMEOUT */
    uint64_t stale;        /* well-formed responses for other ids (late answers), dropped */
    uint64_t malformed;    /* messages that were not a v1 response, dropped */
    uint64_t refused;      /* calls refused before sending (bad argument, too big) */
    uint64_t transport_errors; /* send/recv failures other than busy/timeout */
};

struct rpc_client {
    const struct rpc_transport *t;
    uint8_t *buf;          /* one message, RPC_BUF_ALIGN aligned */
    size_t msg_size;
    uint32_t next_id;
    struct rpc_client_stats stats;
};

/*
 * Prepare c to call through t, using buf (buf_size >= RPC_CLIENT_BUF_SIZE(t->msg_size),
 * RPC_BUF_ALIGN aligned, owned by c until it is no longer used). The first correlation id is
 * derived from t->now_ns() so that a restarted client does not reuse the ids of responses its
 * previous life may have left in the queue. RPC_OK, or RPC_E_INVAL for a missing callback, a
 * msg_size that cannot hold the header, or a small or misaligned buffer.
 */
int rpc_client_init(struct rpc_client *c, const struct rpc_transport *t, void *buf,
                    size_t buf_size);

/*
 * Call method with the req_len bytes at req and wait at most timeout_ns (RPC_FOREVER: no
 * limit) for the response with the same correlation id. Responses with other ids (answers to
 * calls that already timed out) and malformed messages are dropped and counted. The response
 * payload is copied to resp (resp_cap bytes) and its length stored in *resp_len (may be NULL
 * when no payload is expected); the payload comes with error statuses too.
 * Returns the server's status as is (RPC_OK or any value its handler returned, including
 * negative ones), RPC_E_NO_METHOD (unknown method), RPC_E_PROTO (the server could not parse
 * the request, or the matching response is malformed), RPC_E_TIMEOUT, RPC_E_TOO_BIG (req_len
 * over RPC_MAX_PAYLOAD(msg_size): nothing sent), RPC_E_OVERFLOW (the payload did not fit resp:
 * *resp_len is its size, nothing copied; a negative server status is returned instead when
 * there is one), RPC_E_INVAL, or a transport error. One call at a time per client: not
 * reentrant.
 */
int rpc_call(struct rpc_client *c, uint32_t method, const void *req, size_t req_len, void *resp,
             size_t resp_cap, size_t *resp_len, uint64_t timeout_ns);

/* ------------------------------------------------------------------ server */

/*
 * A method handler: read req_len bytes at req, write at most resp_cap bytes at resp and their
 * number to *resp_len (preset to 0). The returned status goes to the caller as is (RPC_OK,
 * or an application code; see the result list). Runs in rpc_serve_one()'s context.
 */
typedef int32_t (*rpc_handler_fn)(void *ctx, const void *req, size_t req_len, void *resp,
                                  size_t resp_cap, size_t *resp_len);

struct rpc_method {
    uint32_t id;
    const char *name;      /* for logs and statistics output; may be NULL */
    rpc_handler_fn handler;
    void *ctx;             /* passed to handler as is */
};

struct rpc_server_stats {
    uint64_t requests;     /* well-formed requests received */
    uint64_t handled;      /* requests dispatched to a handler */
    uint64_t errors;       /* handlers that returned a negative status */
    uint64_t no_method;    /* requests for an unknown method (answered RPC_E_NO_METHOD) */
    uint64_t malformed;    /* messages dropped or answered RPC_E_PROTO */
    uint64_t bad_handler;  /* handlers that claimed more than resp_cap (answered TOO_BIG) */
    uint64_t send_errors;  /* responses the transport did not take (client gone, full queue) */
};

struct rpc_server {
    const struct rpc_transport *t;
    const struct rpc_method *methods;
    size_t method_count;
    uint8_t *rx;           /* request being served */
    uint8_t *tx;           /* its response */
    size_t msg_size;
    uint64_t send_timeout_ns;
    struct rpc_server_stats stats;
};

/* Default bound on sending one response; a client that stopped reading cannot stall us. */
#define RPC_SERVER_SEND_TIMEOUT_NS 100000000U /* 100 ms */

/*
 * Prepare s to serve the n methods of table (kept by reference; ids unique, handlers set)
 * through t, with buf (buf_size >= RPC_SERVER_BUF_SIZE(t->msg_size), RPC_BUF_ALIGN aligned).
 * RPC_OK or RPC_E_INVAL (missing callback or handler, duplicate id, small msg_size or buffer).
 */
int rpc_server_init(struct rpc_server *s, const struct rpc_transport *t,
                    const struct rpc_method table[], size_t n, void *buf, size_t buf_size);

/* How long rpc_serve_one() may wait to hand over one response (default above). */
void rpc_server_set_send_timeout(struct rpc_server *s, uint64_t timeout_ns);

/*
 * Wait at most timeout_ns for one request, run its handler and send the response. A request
 * whose header is intact but which is otherwise malformed (payload length mismatch) is
 * answered RPC_E_PROTO; anything unreadable is dropped. Returns RPC_OK when a response was
 * sent, RPC_E_TIMEOUT / RPC_E_BUSY when no request came, RPC_E_PROTO for a dropped message,
 * or the transport's error when a response could not be sent.
 */
int rpc_serve_one(struct rpc_server *s, uint64_t timeout_ns);

/* The table entry for method id, or NULL. */
const struct rpc_method *rpc_server_find(const struct rpc_server *s, uint32_t id);

/* Short upper-case name of a result code ("OK", "TIMEOUT", "NO_METHOD", ...), "?" if none. */
const char *rpc_strerror(int code);
