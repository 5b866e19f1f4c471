// SPDX-License-Identifier: MIT
/*
 * EL2 instructions per inter-VM communication operation (docs/PERFORMANCE.md, measurement
 * 9): configs/bench-ipc.dts runs this guest twice, bench.mode=ipc-tx in VM "tx" (pCPU 0) and
 * bench.mode=ipc-rx in VM "rx" (pCPU 1). They agree on each step through a page of shared
 * memory ("mbox": every word has one writer; the other side waits for it with WFE, which is
 * not trapped), and tx prints every result.
 *
 * The rule of the micro benchmarks holds: nothing but the measured operation enters EL2 on
 * the measured pCPU inside a window. One more rule is special to IPC: a vCPU blocked in a
 * hypercall waits in WFI *at EL2*, and QEMU's EL2-filtered instruction counter then counts
 * the other CPU's instructions (it is derived from the global icount). So a window never
 * contains a blocking hypercall of its own pCPU: blocked waits happen only on the side that
 * is not measured, or outside the windows, and the side that is measured waits at EL1 (WFE
 * for shared memory, WFI for its interrupts, taken by polling with PSTATE.I set, as the
 * test guest's IPC modes do).
 *
 * Steps, n operations each (bench.n):
 *   db         tx rings the doorbell, rx's handler counts the SPI and acks in shared memory;
 *              tx's window (ring + WFE) is the send, rx's (kick, injection, WFI) the receive
 *   sem        rx blocks in SEM_WAIT; tx posts: per-post windows (post with a waiter)
 *   q64        tx sends 64-byte messages into the empty queue in batches of its depth, rx
 *              drains each batch with non-blocking receives: send and receive windows
 *   q64w       rx blocks in MSGQ_RECV; tx's 64-byte send hands the message over (per-send
 *              windows)
 *   q4k        as q64 with 4096-byte messages (batches of 4)
 *   rpc        guests/lib/rpc round trips (add) over two queues with rx interrupts; both sides
 *              wait at EL1 for their queue's interrupt (like the RTOS transport), so both
 *              counters are exact; plus the virtual time of the loop = all instructions
 *   rpcb       the same calls over the blocking hypercall transport the test guest uses
 *              (transport_hvc.c): virtual time only (the counters would see the other CPU)
 */
#include <string.h>

#include <bulkhead/abi.h>

#include "bench.h"
#include "bootargs.h"
#include "ipc.h"
#include "platform.h"
#include "report.h"
#include "rpc.h"
#include "rpc_testsvc.h"
#include "timer.h"
#include "transport_hvc.h"

#define BENCH_N_DEFAULT 1000
#define OP_TIMEOUT_MS   BENCH_OP_TIMEOUT_MS
#define OP_TIMEOUT_NS   (OP_TIMEOUT_MS * IPC_NS_PER_MS)
#define Q64_LEN         64
#define Q4K_LEN         4096
#define RPC_MSG_MAX     256
#define NS_PER_S        1000000000ULL

/* The shared page. t_* words are written by tx only, r_* by rx only. */
struct mbox {
    uint32_t r_ready;                 /* rx set up (objects found, SPIs enabled) */
    uint32_t r_db_ack;                /* doorbell SPIs rx has taken */
    uint32_t r_db_done;
    uint32_t r_sem_waiting;           /* rx is about to SEM_WAIT for the i-th time */
    uint32_t r_sem_done;
    uint32_t t_q64_sent;              /* messages sent so far (q64 step) */
    uint32_t r_q64_recvd;
    uint32_t r_q64w_waiting;          /* rx is about to MSGQ_RECV for the i-th time */
    uint32_t r_q64w_done;
    uint32_t t_q4k_sent;
    uint32_t r_q4k_recvd;
    uint32_t r_rpc_ready;
    uint32_t r_rpc_done;
    uint32_t r_rpcb_ready;
    uint32_t r_rpcb_done;
    uint32_t r_bad;                   /* rx's failed checks so far */
    uint64_t r_calib;
    uint64_t r_db_total;
    uint64_t r_db_n;
    uint64_t r_q64_total;             /* receive windows */
    uint64_t r_q4k_total;
    uint64_t r_rpc_total;             /* server EL2 instructions for all calls */
    uint64_t r_rpc_n;
};

static struct mbox *mb;
static uint32_t n_ops = BENCH_N_DEFAULT;
static uint64_t cal;
static struct ipc_obj o_mbox, o_db, o_sem, o_q64, o_q4k, o_req, o_resp, o_breq, o_bresp;

static uint8_t q64_buf[Q64_LEN] __aligned(8);
static uint8_t q4k_buf[Q4K_LEN] __aligned(8);

/* ------------------------------------------------------------------ helpers */

/* Wait with WFE (not trapped) until *word >= target, written by the other VM. */
static bool wait_word(const uint32_t *word, uint32_t target)
{
    return bench_wait_word(word, target, false);
}

static void publish(uint32_t *word, uint32_t v)
{
    dsb_sy();
    WRITE_ONCE(*word, v);
    dsb_sy();
    sev();
}

/* Per-operation windows: one counter read before and after each operation. */
struct perop {
    uint64_t total, min, max;
    uint32_t n;
};

static void perop_add(struct perop *p, uint64_t a, uint64_t b)
{
    uint64_t d = b - a - cal;

    p->total += d;
    p->min = p->n == 0 || d < p->min ? d : p->min;
    p->max = d > p->max ? d : p->max;
    p->n++;
}

/* Every operation took the same path: the per-operation counts are all equal (a post or
 * send that found nobody waiting would be cheaper, one that met an interrupt dearer). */
static void perop_print(const char *name, const struct perop *p)
{
    report(p->n == n_ops && p->min == p->max, "%s: %u operations, per-operation %lu..%lu",
           name, p->n, p->min, p->max);
    tg_print("BENCH %s total=%lu n=%u calib=%lu min=%lu max=%lu", name, p->total, p->n, cal,
             p->min, p->max);
}

static void find_objects(void)
{
    ipc_dt_need("mbox", &o_mbox);
    ipc_dt_need("db", &o_db);
    ipc_dt_need("sem", &o_sem);
    ipc_dt_need("q64", &o_q64);
    ipc_dt_need("q4k", &o_q4k);
    ipc_dt_need("rpc_req", &o_req);
    ipc_dt_need("rpc_resp", &o_resp);
    ipc_dt_need("rpcb_req", &o_breq);
    ipc_dt_need("rpcb_resp", &o_bresp);
    if (!report(o_mbox.shm_size >= sizeof(struct mbox) && (o_mbox.rights & IPC_R_WRITE),
                "ipc: shared page 'mbox' at 0x%lx, %lu bytes, writable", o_mbox.shm_ipa,
                o_mbox.shm_size)) {
        tg_finish();
    }
    mb = (struct mbox *)(uintptr_t)o_mbox.shm_ipa;
}

static void setup(void)
{
    n_ops = (uint32_t)bootarg_get_u64("bench.n", BENCH_N_DEFAULT);
    if ((int64_t)bench_el2_insns() < 0) {
        tg_fatal("no EL2 instruction counter: not a CONFIG_BENCH build of Bulkhead");
    }
    ipc_irq_init(); /* PSTATE.I set from here on: interrupts are polled (ipc.c) */
    find_objects();
    cal = bench_calibrate();
}

/* ------------------------------------------------------------------ RPC transport */

/*
 * Non-blocking hypercalls and waits at EL1, like the RTOS transport: a receive that finds the
 * queue empty waits with WFI for the queue's rx interrupt (raised when it becomes non-empty)
 * and tries again. The interrupt count is taken before the try, so an edge between the try
 * and the wait is not slept through.
 */
struct irq_queues {
    struct rpc_hvc_queues q;
    uint32_t rx_intid;
};

static int irq_send(void *ctx, const void *msg, size_t len, uint64_t timeout_ns)
{
    const struct irq_queues *q = ctx;
    int64_t r = ipc_send(q->q.tx_id, (uintptr_t)msg, len, IPC_NO_WAIT);

    (void)timeout_ns; /* one call outstanding: the queue is never full */
    return r < 0 ? (int)r : RPC_OK;
}

static int irq_recv(void *ctx, void *buf, size_t cap, size_t *len, uint64_t timeout_ns)
{
    const struct irq_queues *q = ctx;
    uint64_t ms = timeout_ns == RPC_FOREVER ? OP_TIMEOUT_MS : timeout_ns / IPC_NS_PER_MS;

    for (;;) {
        uint32_t seen = ipc_irq_count(q->rx_intid);
        int64_t r = ipc_recv(q->q.rx_id, (uintptr_t)buf, cap, IPC_NO_WAIT);
        if (r >= 0) {
            *len = (size_t)r;
            return RPC_OK;
        }
        if (r != BH_E_BUSY || timeout_ns == 0) {
            return (int)r;
        }
        if (!ipc_irq_wait(q->rx_intid, seen + 1, ms)) {
            return RPC_E_TIMEOUT;
        }
    }
}

static void irq_transport_init(struct rpc_transport *t, struct irq_queues *q, uint32_t tx_id,
                               uint32_t rx_id, uint32_t rx_intid, size_t msg_size)
{
    q->q.tx_id = tx_id;
    q->q.rx_id = rx_id;
    q->rx_intid = rx_intid;
    t->send = irq_send;
    t->recv = irq_recv;
    t->now_ns = rpc_hvc_now_ns;
    t->ctx = q;
    t->msg_size = msg_size;
}

static const struct rpc_method methods[] = {
    { RPC_TESTSVC_ADD, "add", rpc_testsvc_add, NULL },
};

static uint64_t rpc_buf[RPC_SERVER_BUF_SIZE(RPC_MSG_MAX) / 8];
static struct rpc_transport transport;
static struct irq_queues irq_q;
static struct rpc_hvc_queues hvc_q;

/* ------------------------------------------------------------------ tx side */

static void tx_doorbell(void)
{
    int64_t bad = 0;
    uint32_t i = 0;
    uint64_t a = bench_el2_insns();

    for (; i < n_ops; i++) {
        bad |= ipc_ring(o_db.id);
        if (!wait_word(&mb->r_db_ack, i + 1)) {
            break;
        }
    }
    uint64_t b = bench_el2_insns();
    report(bad == 0 && i == n_ops, "db: %u doorbells rung and taken one at a time", i);
    bench_print_result("db_send", b - a - cal, i, cal);
    if (report(wait_word(&mb->r_db_done, 1), "db: receiver's count")) {
        bench_print_result("db_recv", READ_ONCE(mb->r_db_total), READ_ONCE(mb->r_db_n),
                     READ_ONCE(mb->r_calib));
    }
}

static void tx_sem(void)
{
    struct perop p = { 0 };
    int64_t bad = 0;

    for (uint32_t i = 0; i < n_ops; i++) {
        if (!wait_word(&mb->r_sem_waiting, i + 1)) {
            break;
        }
        uint64_t a = bench_el2_insns();
        bad |= ipc_sem_post(o_sem.id);
        uint64_t b = bench_el2_insns();
        perop_add(&p, a, b);
    }
    report(bad == 0 && wait_word(&mb->r_sem_done, 1), "sem: posts returned 0, receiver done");
    perop_print("sem_post_wake", &p);
}

/* Send n messages of len bytes in batches of depth into the empty queue; the receiver drains
 * each batch with non-blocking receives (its windows: rx_total). */
static void tx_batches(const char *name, const char *rx_name, const struct ipc_obj *q,
                       uint8_t *buf, uint32_t len, uint32_t *sent, const uint32_t *recvd,
                       const uint64_t *rx_total)
{
    uint64_t total = 0;
    uint32_t done = 0;
    int64_t bad = 0;

    memset(buf, 0xa5, len);
    while (done < n_ops) {
        uint32_t k = n_ops - done < q->depth ? n_ops - done : q->depth;
        uint64_t a = bench_el2_insns();
        for (uint32_t j = 0; j < k; j++) {
            /* numbered at both ends (EL1 work: the EL2 counter does not see it) */
            buf[0] = buf[len - 1] = (uint8_t)(done + j);
            bad |= ipc_send(q->id, (uintptr_t)buf, len, IPC_NO_WAIT);
        }
        uint64_t b = bench_el2_insns();
        total += b - a - cal;
        done += k;
        publish(sent, done);
        if (!wait_word(recvd, done)) {
            break;
        }
    }
    report(bad == 0 && done == n_ops, "%s: %u messages of %u bytes sent in batches of %u",
           name, done, len, q->depth);
    bench_print_result(name, total, done, cal);
    bench_print_result(rx_name, READ_ONCE(*rx_total), READ_ONCE(*recvd), READ_ONCE(mb->r_calib));
}

static void tx_q64_wake(void)
{
    struct perop p = { 0 };
    int64_t bad = 0;

    memset(q64_buf, 0x5a, sizeof(q64_buf));
    for (uint32_t i = 0; i < n_ops; i++) {
        if (!wait_word(&mb->r_q64w_waiting, i + 1)) {
            break;
        }
        uint64_t a = bench_el2_insns();
        bad |= ipc_send(o_q64.id, (uintptr_t)q64_buf, Q64_LEN, IPC_NO_WAIT);
        uint64_t b = bench_el2_insns();
        perop_add(&p, a, b);
    }
    report(bad == 0 && wait_word(&mb->r_q64w_done, 1), "q64w: sends returned 0, receiver done");
    perop_print("msgq_send64_wake", &p);
}

static bool rpc_loop(struct rpc_client *c, uint32_t *wrong)
{
    for (uint32_t i = 0; i < n_ops; i++) {
        uint32_t args[2] = { i, 7 }, sum = 0;
        size_t len = 0;
        int r = rpc_call(c, RPC_TESTSVC_ADD, args, sizeof(args), &sum, sizeof(sum), &len,
                         OP_TIMEOUT_NS);
        if (r != RPC_OK) {
            report(false, "rpc: call %u: %d (%s)", i, r, rpc_strerror(r));
            return false;
        }
        *wrong += sum != i + 7 || len != sizeof(sum);
    }
    return true;
}

static void tx_rpc(void)
{
    struct rpc_client c;
    uint32_t wrong = 0;

    irq_transport_init(&transport, &irq_q, o_req.id, o_resp.id, o_resp.rx_intid,
                       o_req.msg_size);
    ipc_spi_enable(o_resp.rx_intid);
    if (!report(rpc_client_init(&c, &transport, rpc_buf, sizeof(rpc_buf)) == RPC_OK &&
                    wait_word(&mb->r_rpc_ready, 1),
                "rpc: client ready, server ready")) {
        return;
    }
    uint64_t a = bench_el2_insns();
    uint64_t t0 = timer_now();
    bool ok = rpc_loop(&c, &wrong);
    uint64_t t1 = timer_now();
    uint64_t b = bench_el2_insns();
    report(ok && wrong == 0 && wait_word(&mb->r_rpc_done, 1), "rpc: %u calls (add), %u wrong",
           n_ops, wrong);
    bench_print_result("rpc_client", b - a - cal, n_ops, cal);
    bench_print_result("rpc_server", READ_ONCE(mb->r_rpc_total), READ_ONCE(mb->r_rpc_n),
                 READ_ONCE(mb->r_calib));
    tg_print("BENCH rpc_time cnt=%lu freq=%lu n=%u", t1 - t0, timer_freq(), n_ops);
}

static void tx_rpc_blocking(void)
{
    struct rpc_client c;
    uint32_t wrong = 0;

    hvc_q.tx_id = o_breq.id;
    hvc_q.rx_id = o_bresp.id;
    rpc_hvc_transport_init(&transport, &hvc_q, o_breq.msg_size);
    if (!report(rpc_client_init(&c, &transport, rpc_buf, sizeof(rpc_buf)) == RPC_OK &&
                    wait_word(&mb->r_rpcb_ready, 1),
                "rpcb: client ready, server ready")) {
        return;
    }
    uint64_t t0 = timer_now();
    bool ok = rpc_loop(&c, &wrong);
    uint64_t t1 = timer_now();
    report(ok && wrong == 0 && wait_word(&mb->r_rpcb_done, 1),
           "rpcb: %u calls (add) over blocking hypercalls, %u wrong", n_ops, wrong);
    tg_print("BENCH rpcb_time cnt=%lu freq=%lu n=%u", t1 - t0, timer_freq(), n_ops);
}

void bench_ipc_tx(void)
{
    setup();
    tg_print("BENCH calib el2_insns_per_counter_read=%lu", cal);
    if (!report(wait_word(&mb->r_ready, 1), "ipc: receiver ready")) {
        tg_finish();
    }
    tx_doorbell();
    tx_sem();
    tx_batches("msgq_send64", "msgq_recv64", &o_q64, q64_buf, Q64_LEN, &mb->t_q64_sent,
               &mb->r_q64_recvd, &mb->r_q64_total);
    tx_q64_wake();
    tx_batches("msgq_send4k", "msgq_recv4k", &o_q4k, q4k_buf, Q4K_LEN, &mb->t_q4k_sent,
               &mb->r_q4k_recvd, &mb->r_q4k_total);
    tx_rpc();
    tx_rpc_blocking();
    report(READ_ONCE(mb->r_bad) == 0, "ipc: the receiver's checks passed");
    tg_finish();
}

/* ------------------------------------------------------------------ rx side */

static uint32_t rx_bad;

/* Called after the windows only: a FAIL line enters EL2. */
static void rx_check(bool ok, const char *what)
{
    if (!report(ok, "%s", what)) {
        publish(&mb->r_bad, ++rx_bad);
    }
}

static void rx_doorbell(void)
{
    uint32_t i = 0;
    uint64_t a = bench_el2_insns();

    for (; i < n_ops; i++) {
        if (!ipc_irq_wait(o_db.intid, i + 1, OP_TIMEOUT_MS)) {
            break;
        }
        publish(&mb->r_db_ack, i + 1);
    }
    uint64_t b = bench_el2_insns();
    rx_check(i == n_ops && ipc_irq_unexpected() == 0, "db: every doorbell taken, nothing else");
    mb->r_db_total = b - a - cal;
    mb->r_db_n = ipc_irq_count(o_db.intid);
    publish(&mb->r_db_done, 1);
}

static void rx_sem(void)
{
    int64_t bad = 0;

    for (uint32_t i = 0; i < n_ops; i++) {
        publish(&mb->r_sem_waiting, i + 1);
        bad |= ipc_sem_wait(o_sem.id, OP_TIMEOUT_NS);
    }
    rx_check(bad == 0, "sem: every SEM_WAIT returned 0");
    publish(&mb->r_sem_done, 1);
}

static void rx_batches(const struct ipc_obj *q, uint8_t *buf, uint32_t len,
                       const uint32_t *sent, uint32_t *recvd, uint64_t *total_out)
{
    uint64_t total = 0;
    uint32_t done = 0;
    int64_t bad = 0;

    while (done < n_ops && wait_word(sent, done + 1)) {
        uint32_t k = READ_ONCE(*sent) - done;
        uint64_t a = bench_el2_insns();
        for (uint32_t j = 0; j < k; j++) {
            int64_t r = ipc_recv(q->id, (uintptr_t)buf, len, IPC_NO_WAIT);
            bad |= r != (int64_t)len || buf[0] != ((done + j) & 0xff) ||
                   buf[len - 1] != ((done + j) & 0xff);
        }
        uint64_t b = bench_el2_insns();
        total += b - a - cal;
        done += k;
        *total_out = total;
        publish(recvd, done);
    }
    rx_check(bad == 0 && done == n_ops, "queue: every message received intact");
}

static void rx_q64_wake(void)
{
    int64_t bad = 0;

    for (uint32_t i = 0; i < n_ops; i++) {
        publish(&mb->r_q64w_waiting, i + 1);
        int64_t r = ipc_recv(o_q64.id, (uintptr_t)q64_buf, Q64_LEN, OP_TIMEOUT_NS);
        bad |= r != Q64_LEN || q64_buf[0] != 0x5a;
    }
    rx_check(bad == 0, "q64w: every blocking receive got its message");
    publish(&mb->r_q64w_done, 1);
}

static void rx_rpc(void)
{
    struct rpc_server s;
    int bad = 0;

    irq_transport_init(&transport, &irq_q, o_resp.id, o_req.id, o_req.rx_intid,
                       o_req.msg_size);
    ipc_spi_enable(o_req.rx_intid);
    rx_check(rpc_server_init(&s, &transport, methods, ARRAY_SIZE(methods), rpc_buf,
                             sizeof(rpc_buf)) == RPC_OK, "rpc: server set up");
    uint64_t a = bench_el2_insns();
    publish(&mb->r_rpc_ready, 1);
    for (uint32_t i = 0; i < n_ops; i++) {
        bad |= rpc_serve_one(&s, OP_TIMEOUT_NS);
    }
    uint64_t b = bench_el2_insns();
    rx_check(bad == 0 && s.stats.handled == n_ops, "rpc: every request served");
    mb->r_rpc_total = b - a - cal;
    mb->r_rpc_n = s.stats.handled;
    publish(&mb->r_rpc_done, 1);
}

static void rx_rpc_blocking(void)
{
    struct rpc_server s;
    int bad = 0;

    hvc_q.tx_id = o_bresp.id;
    hvc_q.rx_id = o_breq.id;
    rpc_hvc_transport_init(&transport, &hvc_q, o_breq.msg_size);
    rx_check(rpc_server_init(&s, &transport, methods, ARRAY_SIZE(methods), rpc_buf,
                             sizeof(rpc_buf)) == RPC_OK, "rpc: server set up");
    publish(&mb->r_rpcb_ready, 1);
    for (uint32_t i = 0; i < n_ops; i++) {
        bad |= rpc_serve_one(&s, OP_TIMEOUT_NS);
    }
    rx_check(bad == 0 && s.stats.handled == n_ops, "rpc: every request served");
    publish(&mb->r_rpcb_done, 1);
}

void bench_ipc_rx(void)
{
    setup();
    ipc_spi_enable(o_db.intid);
    mb->r_calib = cal;
    publish(&mb->r_ready, 1);
    rx_doorbell();
    rx_sem();
    rx_batches(&o_q64, q64_buf, Q64_LEN, &mb->t_q64_sent, &mb->r_q64_recvd, &mb->r_q64_total);
    rx_q64_wake();
    rx_batches(&o_q4k, q4k_buf, Q4K_LEN, &mb->t_q4k_sent, &mb->r_q4k_recvd, &mb->r_q4k_total);
    rx_rpc();
    rx_rpc_blocking();
    tg_finish();
}
