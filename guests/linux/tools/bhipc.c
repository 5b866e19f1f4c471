// SPDX-License-Identifier: MIT
/*
 * bhipc: Bulkhead IPC from the Linux guest's shell (bhipc.h for how it reaches the objects).
 *
 *   bhipc list                           objects of this VM
 *   bhipc ring DOORBELL [LINE [MS]]      ring it; with LINE, then wait for that notification
 *                                        (the line is requested before the ring: no race)
 *   bhipc wait LINE [MS]                 wait for a notification (e.g. to_lx.doorbell)
 *   bhipc post SEM | bhipc waitsem SEM [MS]
 *   bhipc send QUEUE TEXT [MS] | bhipc recv QUEUE [MS]
 *   bhipc shm-write SHM OFF TEXT | bhipc shm-read SHM OFF LEN | bhipc shm-u32 SHM OFF [WANT]
 *   bhipc echo-test UP DOWN COUNT        COUNT ordered messages to a peer that echoes them
 *   bhipc lock-count MUTEX SHM OFF COUNT increment a shared counter under the mutex
 *   bhipc rpc-test REQ RESP COUNT        the RPC test service (guests/lib/rpc/rpc_testsvc.h)
 *   bhipc ui REQ RESP [SECONDS]          train operator console (guests/rtos/apps/train.h):
 *                                        status every 2 s; "target N" / "status" on stdin,
 *                                        "probe ADDR" writes there (a policy test)
 * Results print as "LX bhipc ..." lines; exit status 0 on success.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bhipc.h"
#include "rpc.h"
#include "rpc_testsvc.h"
#include "train.h"

#define MSG_MAX        4096
#define MS_TO_US       1000u
#define NS_PER_MS      1000000u
#define LINE_WAIT_MS   100
#define ECHO_SEQ_WORDS 2
#define UI_PERIOD_MS   2000
#define CMD_MAX        64

static int fail(const char *what, int32_t r)
{
    printf("LX bhipc FAIL %s: %d (%s)\n", what, (int)r, bh_strerror(r));
    return 1;
}

static uint32_t ms_arg(int argc, char **argv, int i, uint32_t def)
{
    return argc > i ? (uint32_t)strtoul(argv[i], NULL, 0) : def;
}

static int open_or_die(const char *name, struct bh_obj *o, uint32_t type)
{
    if (bh_open(name, o) != 0) {
        exit(2);
    }
    if (o->type != type) {
        fprintf(stderr, "bhipc: %s is not of the expected type\n", name);
        exit(2);
    }
    return 0;
}

/* ------------------------------------------------------------------ queue transport */

/* A queue pair for the RPC library: receive/send waits on the rx/tx notification lines. */
struct lx_queues {
    struct bh_obj tx, rx;
    int tx_line, rx_line; /* -1: poll every LINE_WAIT_MS instead */
};

static int wait_line(int fd, uint64_t deadline)
{
    uint64_t now = bh_now_ns();
    int ms = LINE_WAIT_MS;

    if (deadline != UINT64_MAX) {
        if (now >= deadline) {
            return 0;
        }
        uint64_t left = (deadline - now + NS_PER_MS - 1) / NS_PER_MS;
        ms = left < LINE_WAIT_MS ? (int)left : LINE_WAIT_MS;
    }
    if (fd < 0) {
        usleep((useconds_t)ms * MS_TO_US);
        return 1;
    }
    return bh_line_wait(fd, ms);
}

static uint64_t deadline_of(uint64_t timeout_ns)
{
    return timeout_ns == RPC_FOREVER ? UINT64_MAX : bh_now_ns() + timeout_ns;
}

/* One non-blocking send or receive, retried by until_done. */
struct lx_try {
    struct bh_obj *q;
    void *buf;
    uint32_t len;   /* send: message length; receive: capacity */
    bool send;
};

static int32_t try_once(const struct lx_try *t)
{
    return t->send ? bh_send_try(t->q, t->buf, t->len) : bh_recv_try(t->q, t->buf, t->len);
}

/* Retry while the queue is full (send) or empty (receive), waiting on its notification line:
 * the result, RPC_E_BUSY for timeout 0, RPC_E_TIMEOUT past the deadline. */
static int32_t until_done(const struct lx_try *t, int line, uint64_t timeout_ns)
{
    uint64_t deadline = deadline_of(timeout_ns);

    for (;;) {
        int32_t r = try_once(t);
        if (r != BH_E_BUSY) {
            return r;
        }
        if (timeout_ns == 0) {
            return RPC_E_BUSY;
        }
        if (bh_now_ns() >= deadline) {
            return RPC_E_TIMEOUT;
        }
        wait_line(line, deadline);
    }
}

static int lx_send(void *ctx, const void *msg, size_t len, uint64_t timeout_ns)
{
    struct lx_queues *q = ctx;
    const struct lx_try t = { &q->tx, (void *)(uintptr_t)msg, (uint32_t)len, true };

    return (int)until_done(&t, q->tx_line, timeout_ns);
}

static int lx_recv(void *ctx, void *buf, size_t cap, size_t *len, uint64_t timeout_ns)
{
    struct lx_queues *q = ctx;
    const struct lx_try t = { &q->rx, buf, (uint32_t)cap, false };
    int32_t r = until_done(&t, q->rx_line, timeout_ns);

    if (r < 0) {
        return (int)r;
    }
    *len = (size_t)r;
    return RPC_OK;
}

static uint64_t lx_now(void *ctx)
{
    (void)ctx;
    return bh_now_ns();
}

static void line_name(char *buf, size_t cap, const char *obj, const char *kind)
{
    snprintf(buf, cap, "%s.%s", obj, kind);
}

/* tx: the queue we send on; rx: the one we receive from. */
static void queues_open(struct lx_queues *q, const char *tx, const char *rx)
{
    char name[BH_NAME_MAX + 8];

    open_or_die(tx, &q->tx, BH_IPC_MSGQ);
    open_or_die(rx, &q->rx, BH_IPC_MSGQ);
    line_name(name, sizeof(name), tx, "tx");
    q->tx_line = bh_line_open(name);
    line_name(name, sizeof(name), rx, "rx");
    q->rx_line = bh_line_open(name);
}

static void transport_init(struct rpc_transport *t, struct lx_queues *q)
{
    t->send = lx_send;
    t->recv = lx_recv;
    t->now_ns = lx_now;
    t->ctx = q;
    t->msg_size = q->tx.msg_size < q->rx.msg_size ? q->tx.msg_size : q->rx.msg_size;
}

/* ------------------------------------------------------------------ commands */

static int line_wait_report(int fd, const char *name, uint32_t ms)
{
    if (!bh_line_wait(fd, (int)ms)) {
        printf("LX bhipc wait %s: timeout after %u ms\n", name, ms);
        return 1;
    }
    printf("LX bhipc wait %s: notified\n", name);
    return 0;
}

static int cmd_wait(int argc, char **argv)
{
    int fd = bh_line_open(argv[2]);

    return fd < 0 ? 2 : line_wait_report(fd, argv[2], ms_arg(argc, argv, 3, 10000));
}

static int cmd_op(const char *name, uint32_t type, uint32_t reg, uint32_t timeout_us,
                  const char *what)
{
    struct bh_obj o;

    open_or_die(name, &o, type);
    int32_t r = bh_op(&o, reg, timeout_us);
    printf("LX bhipc %s %s -> %d (%s)\n", what, name, (int)r, bh_strerror(r));
    return r < 0;
}

static int cmd_send(int argc, char **argv)
{
    struct lx_queues q;
    char name[BH_NAME_MAX + 8];

    open_or_die(argv[2], &q.tx, BH_IPC_MSGQ);
    line_name(name, sizeof(name), argv[2], "tx");
    q.tx_line = bh_line_open(name);
    int r = lx_send(&q, argv[3], strlen(argv[3]),
                    (uint64_t)ms_arg(argc, argv, 4, 1000) * NS_PER_MS);
    printf("LX bhipc send %s -> %d (%s)\n", argv[2], r, bh_strerror(r));
    return r != 0;
}

static int cmd_recv(int argc, char **argv)
{
    static char buf[MSG_MAX + 1];
    struct lx_queues q;
    char name[BH_NAME_MAX + 8];
    size_t len = 0;

    open_or_die(argv[2], &q.rx, BH_IPC_MSGQ);
    line_name(name, sizeof(name), argv[2], "rx");
    q.rx_line = bh_line_open(name);
    int r = lx_recv(&q, buf, MSG_MAX, &len, (uint64_t)ms_arg(argc, argv, 3, 1000) * NS_PER_MS);
    if (r != 0) {
        return fail("recv", r);
    }
    buf[len] = '\0';
    printf("LX bhipc recv %s -> %zu bytes: %s\n", argv[2], len, buf);
    return 0;
}

static int cmd_shm(int argc, char **argv, bool write)
{
    struct bh_obj o;
    uint64_t off = strtoull(argv[3], NULL, 0);

    open_or_die(argv[2], &o, BH_IPC_SHMEM);
    if (write) {
        size_t len = strlen(argv[4]) + 1; /* with its NUL */
        if (off % 4 || off + len + 3 > o.shm_size) {
            return fail("shm-write: offset", BH_E_RANGE);
        }
        for (size_t i = 0; i < len; i += 4) {
            uint32_t w = 0;
            memcpy(&w, argv[4] + i, len - i < 4 ? len - i : 4);
            bh_shm_wr(&o, off + i, w);
        }
        printf("LX bhipc shm-write %s+%llu: %zu bytes\n", argv[2], (unsigned long long)off, len);
        return 0;
    }
    uint64_t len = argc > 4 ? strtoull(argv[4], NULL, 0) : 64;
    char buf[MSG_MAX + 4];
    if (off % 4 || len > MSG_MAX || off + len > o.shm_size) {
        return fail("shm-read: range", BH_E_RANGE);
    }
    for (uint64_t i = 0; i < len; i += 4) {
        uint32_t w = bh_shm_rd(&o, off + i);
        memcpy(buf + i, &w, 4);
    }
    buf[len] = '\0';
    printf("LX bhipc shm-read %s+%llu: %s\n", argv[2], (unsigned long long)off, buf);
    return 0;
}

/*
 * COUNT messages to a peer that sends each back: sequence number and a pattern derived from
 * it, lengths 8..msg-size; the echoes must come back complete and in order. One thread
 * interleaves non-blocking sends and receives (both directions fill up: back-pressure) and
 * sleeps on the notification lines when neither can progress; it receives nothing until a
 * send was refused BUSY, so full queues are always exercised. A one-byte 0xff message ends it.
 */
static uint32_t echo_fill(uint8_t *m, uint32_t seq, uint32_t max)
{
    uint32_t len = ECHO_SEQ_WORDS * 4 + (seq * 7) % (max - ECHO_SEQ_WORDS * 4 + 1);

    memcpy(m, &seq, 4);
    memcpy(m + 4, &len, 4);
    for (uint32_t i = ECHO_SEQ_WORDS * 4; i < len; i++) {
        m[i] = (uint8_t)(seq * 31 + i);
    }
    return len;
}

static int cmd_echo_test(char **argv)
{
    static uint8_t out[MSG_MAX], in[MSG_MAX], want[MSG_MAX];
    struct lx_queues q;
    uint32_t count = (uint32_t)strtoul(argv[4], NULL, 0);
    uint32_t sent = 0, got = 0, busy = 0, waits = 0, len = 0;
    uint64_t t0 = bh_now_ns();

    queues_open(&q, argv[2], argv[3]);
    uint32_t max = q.tx.msg_size < MSG_MAX ? q.tx.msg_size : MSG_MAX;
    while (got <= count) {
        bool progress = false;
        if (sent <= count) {
            if (len == 0) {
                len = sent < count ? echo_fill(out, sent, max) : 1;
                if (sent == count) {
                    out[0] = 0xff; /* the end marker: one byte */
                }
            }
            int32_t r = bh_send_try(&q.tx, out, len);
            if (r == BH_OK) {
                sent++;
                len = 0;
                progress = true;
            } else if (r == BH_E_BUSY) {
                busy++;
            } else {
                return fail("echo-test send", r);
            }
        }
        if (busy == 0 && sent <= count) {
            continue; /* fill both queues first: back-pressure is certain, not luck */
        }
        int32_t r = bh_recv_try(&q.rx, in, sizeof(in));
        if (r >= 0) {
            uint32_t wlen = got < count ? echo_fill(want, got, max) : 1;
            if (got == count) {
                want[0] = 0xff;
            }
            if ((uint32_t)r != wlen || memcmp(in, want, wlen) != 0) {
                printf("LX bhipc FAIL echo-test: message %u came back wrong (len %d, want %u)\n",
                       got, (int)r, wlen);
                return 1;
            }
            got++;
            progress = true;
        } else if (r != BH_E_BUSY) {
            return fail("echo-test recv", r);
        }
        if (!progress) {
            waits++;
            /* either notification may be the one we need: wait on both */
            struct pollfd p[2] = { { .fd = q.rx_line, .events = POLLIN },
                                   { .fd = q.tx_line, .events = POLLIN } };
            if (poll(p, 2, 5000) == 0) {
                printf("LX bhipc FAIL echo-test: stalled at sent=%u got=%u\n", sent, got);
                return 1;
            }
            for (int i = 0; i < 2; i++) {
                if (p[i].revents & POLLIN) {
                    bh_line_wait(p[i].fd, 0);
                }
            }
        }
    }
    printf("LX bhipc echo-test ok messages=%u busy=%u waits=%u ms=%llu\n", count, busy, waits,
           (unsigned long long)((bh_now_ns() - t0) / NS_PER_MS));
    return 0;
}

static int cmd_shm_u32(int argc, char **argv)
{
    struct bh_obj o;
    uint64_t off = strtoull(argv[3], NULL, 0);

    open_or_die(argv[2], &o, BH_IPC_SHMEM);
    if (off % 4 || off + 4 > o.shm_size) {
        return fail("shm-u32: offset", BH_E_RANGE);
    }
    uint32_t v = bh_shm_rd(&o, off);
    printf("LX bhipc shm-u32 %s+%llu = %u\n", argv[2], (unsigned long long)off, v);
    return argc > 4 && v != strtoul(argv[4], NULL, 0);
}

static int cmd_lock_count(char **argv)
{
    struct bh_obj m, shm;
    uint64_t off = strtoull(argv[4], NULL, 0);
    uint32_t count = (uint32_t)strtoul(argv[5], NULL, 0), died = 0;

    open_or_die(argv[2], &m, BH_IPC_MUTEX);
    open_or_die(argv[3], &shm, BH_IPC_SHMEM);
    if (off % 4 || off + 4 > shm.shm_size) {
        return fail("lock-count: offset", BH_E_RANGE);
    }
    bh_pin_cpu(0); /* a mutex belongs to the vCPU that locked it */
    for (uint32_t i = 0; i < count; i++) {
        int32_t r = bh_op(&m, BH_IPC_REG_LOCK, 1000 * MS_TO_US);
        if (r == BH_OWNER_DIED) {
            died++;
        } else if (r != BH_OK) {
            return fail("lock", r);
        }
        bh_shm_wr(&shm, off, bh_shm_rd(&shm, off) + 1);
        r = bh_op(&m, BH_IPC_REG_UNLOCK, 0);
        if (r != BH_OK) {
            return fail("unlock", r);
        }
    }
    printf("LX bhipc lock-count ok increments=%u owner_died=%u counter=%u\n", count, died,
           bh_shm_rd(&shm, off));
    return 0;
}

static int cmd_rpc_test(char **argv)
{
    static uint8_t buf[RPC_CLIENT_BUF_SIZE(MSG_MAX)] __attribute__((aligned(RPC_BUF_ALIGN)));
    struct lx_queues q;
    struct rpc_transport t;
    struct rpc_client c;
    uint32_t count = (uint32_t)strtoul(argv[4], NULL, 0);
    char resp[64];
    size_t rlen;
    int r;

    queues_open(&q, argv[2], argv[3]);
    transport_init(&t, &q);
    if ((r = rpc_client_init(&c, &t, buf, sizeof(buf))) != RPC_OK) {
        return fail("rpc_client_init", r);
    }
    uint64_t t0 = bh_now_ns();
    for (uint32_t i = 0; i < count; i++) {
        uint32_t in[2] = { i, 3 * i + 1 }, sum = 0;
        r = rpc_call(&c, RPC_TESTSVC_ADD, in, sizeof(in), &sum, sizeof(sum), &rlen,
                     1000ull * NS_PER_MS);
        if (r != RPC_OK || rlen != sizeof(sum) || sum != 4 * i + 1) {
            printf("LX bhipc FAIL rpc add(%u, %u) -> %d (%s) sum=%u\n", in[0], in[1], r,
                   rpc_strerror(r), sum);
            return 1;
        }
    }
    uint64_t us_per_call = (bh_now_ns() - t0) / 1000 / (count ? count : 1);
    r = rpc_call(&c, RPC_TESTSVC_ECHO, "linux", 5, resp, sizeof(resp), &rlen, 1000ull * NS_PER_MS);
    if (r != 5 || rlen != 5 || memcmp(resp, "linux", 5) != 0) {
        return fail("rpc echo", r);
    }
    r = rpc_call(&c, RPC_TESTSVC_FAIL, NULL, 0, resp, sizeof(resp) - 1, &rlen,
                 1000ull * NS_PER_MS);
    resp[rlen < sizeof(resp) ? rlen : sizeof(resp) - 1] = '\0';
    if (r != RPC_TESTSVC_FAIL_STATUS || strcmp(resp, RPC_TESTSVC_FAIL_TEXT) != 0) {
        return fail("rpc fail (error propagation)", r);
    }
    r = rpc_call(&c, RPC_TESTSVC_NONE, NULL, 0, NULL, 0, NULL, 1000ull * NS_PER_MS);
    if (r != RPC_E_NO_METHOD) {
        return fail("rpc unknown method", r);
    }
    r = rpc_call(&c, RPC_TESTSVC_STOP, NULL, 0, NULL, 0, NULL, 1000ull * NS_PER_MS);
    if (r != RPC_OK) {
        return fail("rpc stop", r);
    }
    printf("LX bhipc rpc-test ok calls=%u us_per_call=%llu errors_propagated=2\n", count + 4,
           (unsigned long long)us_per_call);
    return 0;
}

/* ------------------------------------------------------------------ train operator console */

static int ui_status(struct rpc_client *c)
{
    struct train_status st;
    size_t len = 0;
    int r = rpc_call(c, TRAIN_RPC_GET_STATUS, NULL, 0, &st, sizeof(st), &len,
                     500ull * NS_PER_MS);

    if (r != RPC_OK || len != sizeof(st)) {
        printf("UI status unavailable: %d (%s)\n", r, rpc_strerror(r));
        return r ? r : RPC_E_PROTO;
    }
    printf("UI status t_ms=%llu speed=%d.%d target=%d.%d limit=%d.%d track=%u brake=%d "
           "samples=%llu misses=%llu\n",
           (unsigned long long)(st.time_us / 1000), st.speed_kmh10 / 10, st.speed_kmh10 % 10,
           st.target_kmh10 / 10, st.target_kmh10 % 10, st.limit_kmh10 / 10,
           st.limit_kmh10 % 10, st.track, st.brake_pm, (unsigned long long)st.samples,
           (unsigned long long)st.misses);
    return 0;
}

static void ui_command(struct rpc_client *c, char *line)
{
    int32_t target, prev = -1;
    size_t len = 0;
    unsigned long long pa;

    if (sscanf(line, "probe %llx", &pa) == 1) {
        /* policy test: the ui may request, never write another VM's memory */
        printf("UI probe: writing to 0x%llx, which this VM does not own\n", pa);
        fflush(stdout);
        int r = bh_probe_write(pa & ~3ull, 1);
        printf("UI probe: %s\n", r == 0 ? "FAIL the write went through" : "not mapped");
    } else if (sscanf(line, "target %d", &target) == 1) {
        int r = rpc_call(c, TRAIN_RPC_SET_TARGET, &target, sizeof(target), &prev, sizeof(prev),
                         &len, 500ull * NS_PER_MS);
        printf("UI set_target(%d) -> %d (%s) prev=%d\n", target, r, rpc_strerror(r), prev);
    } else if (strncmp(line, "status", 6) == 0) {
        ui_status(c);
    } else if (line[0] != '\n') {
        printf("UI commands: target <km/h x 10>, status, probe <hex address> (policy test)\n");
    }
}

static int cmd_ui(int argc, char **argv)
{
    static uint8_t buf[RPC_CLIENT_BUF_SIZE(MSG_MAX)] __attribute__((aligned(RPC_BUF_ALIGN)));
    struct lx_queues q;
    struct rpc_transport t;
    struct rpc_client c;
    uint64_t secs = argc > 4 ? strtoull(argv[4], NULL, 0) : 0;
    uint64_t end = secs ? bh_now_ns() + secs * 1000 * NS_PER_MS : UINT64_MAX;
    uint64_t next = bh_now_ns();
    char line[CMD_MAX];
    bool input = true;
    int r;

    queues_open(&q, argv[2], argv[3]);
    transport_init(&t, &q);
    if ((r = rpc_client_init(&c, &t, buf, sizeof(buf))) != RPC_OK) {
        return fail("rpc_client_init", r);
    }
    printf("UI operator console: requests on %s, responses on %s\n", argv[2], argv[3]);
    fflush(stdout);
    while (bh_now_ns() < end) {
        if (bh_now_ns() >= next) {
            ui_status(&c);
            fflush(stdout);
            next += UI_PERIOD_MS * (uint64_t)NS_PER_MS;
        }
        uint64_t now = bh_now_ns();
        int ms = next > now ? (int)((next - now) / NS_PER_MS) + 1 : 0;
        struct pollfd p = { .fd = input ? 0 : -1, .events = POLLIN };
        if (poll(&p, 1, ms) > 0) {
            if (!fgets(line, sizeof(line), stdin)) {
                input = false; /* stdin closed: keep showing status until the end */
                continue;
            }
            ui_command(&c, line);
            fflush(stdout);
        }
    }
    printf("UI done calls=%llu timeouts=%llu\n", (unsigned long long)c.stats.calls,
           (unsigned long long)c.stats.timeouts);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: bhipc list | ring DB [LINE [MS]] | wait LINE [MS] | post SEM | waitsem SEM [MS]"
                    " | lock MUTEX [MS] | unlock MUTEX | send Q TEXT [MS] | recv Q [MS]"
                    " | shm-write SHM OFF TEXT | shm-read SHM OFF [LEN] | shm-u32 SHM OFF [WANT]"
                    " | echo-test UP DOWN N | lock-count MUTEX SHM OFF N"
                    " | rpc-test REQ RESP N | ui REQ RESP [SECONDS]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *c = argc > 1 ? argv[1] : "";

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(c, "list")) {
        return bh_list() > 0 ? 0 : 1;
    }
    if (argc < 3) {
        return usage();
    }
    if (!strcmp(c, "ring")) {
        int fd = argc > 3 ? bh_line_open(argv[3]) : -1;
        if (argc > 3 && fd < 0) {
            return 2;
        }
        int r = cmd_op(argv[2], BH_IPC_DOORBELL, BH_IPC_REG_RING, 0, "ring");
        if (r || fd < 0) {
            return r;
        }
        return line_wait_report(fd, argv[3], ms_arg(argc, argv, 4, 10000));
    }
    if (!strcmp(c, "wait")) {
        return cmd_wait(argc, argv);
    }
    if (!strcmp(c, "post")) {
        return cmd_op(argv[2], BH_IPC_SEMAPHORE, BH_IPC_REG_POST, 0, "post");
    }
    if (!strcmp(c, "waitsem")) {
        return cmd_op(argv[2], BH_IPC_SEMAPHORE, BH_IPC_REG_WAIT,
                      ms_arg(argc, argv, 3, 1000) * MS_TO_US, "waitsem");
    }
    if (!strcmp(c, "lock")) {
        bh_pin_cpu(0);
        return cmd_op(argv[2], BH_IPC_MUTEX, BH_IPC_REG_LOCK,
                      ms_arg(argc, argv, 3, 1000) * MS_TO_US, "lock");
    }
    if (!strcmp(c, "unlock")) {
        bh_pin_cpu(0);
        return cmd_op(argv[2], BH_IPC_MUTEX, BH_IPC_REG_UNLOCK, 0, "unlock");
    }
    if (!strcmp(c, "send") && argc >= 4) {
        return cmd_send(argc, argv);
    }
    if (!strcmp(c, "recv")) {
        return cmd_recv(argc, argv);
    }
    if (!strcmp(c, "shm-write") && argc >= 5) {
        return cmd_shm(argc, argv, true);
    }
    if (!strcmp(c, "shm-read") && argc >= 4) {
        return cmd_shm(argc, argv, false);
    }
    if (!strcmp(c, "shm-u32") && argc >= 4) {
        return cmd_shm_u32(argc, argv);
    }
    if (!strcmp(c, "echo-test") && argc >= 5) {
        return cmd_echo_test(argv);
    }
    if (!strcmp(c, "lock-count") && argc >= 6) {
        return cmd_lock_count(argv);
    }
    if (!strcmp(c, "rpc-test") && argc >= 5) {
        return cmd_rpc_test(argv);
    }
    if (!strcmp(c, "ui") && argc >= 4) {
        return cmd_ui(argc, argv);
    }
    return usage();
}
