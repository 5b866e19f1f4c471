// SPDX-License-Identifier: MIT
/*
 * Ordered, loss-free delivery through a small hypervisor message queue under load
 * (docs/ABI.md "Message queue"). The producer sends tg.ipc_count messages (sequence number,
 * checksum, payload derived from the sequence number, lengths 16..msg-size) and then one empty
 * message; the consumer checks every one arrives exactly once, in order, intact.
 *
 * Back-pressure: the producer alternates phases of blocking sends with phases of non-blocking
 * sends, counting the BUSY answers; the consumer pauses now and then so the queue fills up.
 * Which variant runs follows the queue's interrupts in the device tree: with "tx" the
 * producer waits for the tx interrupt after BUSY, with "rx" the consumer drains with timeout 0
 * and waits for the rx interrupt (WFI) when the queue is empty; without them both block in
 * the hypervisor (sends without timeout and with one, receives with timeouts: a producer that
 * failed makes the consumer report a TIMEOUT instead of hanging).
 */
#include "bootargs.h"
#include "report.h"
#include "tests_ipc.h"
#include "timer.h"

#define MSG_HDR_WORDS   2 /* sequence number, checksum */
#define MSG_MAX_WORDS   8 /* 64-byte messages at most, fewer if msg-size is smaller */
#define BUF_WORDS       512 /* receive capacity: msg-size up to 4096 */
#define DEF_COUNT       100000
#define PHASE_MSGS      1000 /* alternate blocking and non-blocking sends every PHASE_MSGS */
#define PAUSE_EVERY     2000 /* the consumer pauses at PAUSE_AT modulo PAUSE_EVERY ... */
#define PAUSE_AT        1500 /* ... inside a non-blocking phase of the producer */
#define PAUSE_MS        2
#define TIMED_EVERY     16   /* blocking variant: every 16th call uses a finite timeout */
#define TIMED_NS        (500 * IPC_NS_PER_MS)
#define RX_BLOCK_NS     (20000 * IPC_NS_PER_MS) /* a producer that died: TIMEOUT, not a hang */
#define IRQ_WAIT_MS     5000
#define ERRORS_SHOWN    5
#define MIX_K1          0xbf58476d1ce4e5b9ULL
#define MIX_K2          0x94d049bb133111ebULL
#define MIX_SHIFT1      30
#define MIX_SHIFT2      27
#define MIX_SHIFT3      31
#define ROT             5
#define WORD_BITS       64

static uint64_t msg[BUF_WORDS] __aligned(IPC_BUF_ALIGN);

/* splitmix64 finaliser: payload words nobody could produce by copying the wrong slot. */
static uint64_t mix(uint64_t x)
{
    x = (x ^ (x >> MIX_SHIFT1)) * MIX_K1;
    x = (x ^ (x >> MIX_SHIFT2)) * MIX_K2;
    return x ^ (x >> MIX_SHIFT3);
}

static uint32_t msg_words(uint64_t seq, uint32_t max_words)
{
    return MSG_HDR_WORDS + (uint32_t)(seq % (max_words - MSG_HDR_WORDS + 1));
}

static uint64_t checksum(const uint64_t *w, uint32_t words)
{
    uint64_t c = 0;

    for (uint32_t i = MSG_HDR_WORDS; i < words; i++) {
        c = ((c << ROT) | (c >> (WORD_BITS - ROT))) ^ w[i];
    }
    return c;
}

static uint32_t fill(uint64_t seq, uint32_t max_words)
{
    uint32_t words = msg_words(seq, max_words);

    msg[0] = seq;
    for (uint32_t i = MSG_HDR_WORDS; i < words; i++) {
        msg[i] = mix(seq * MSG_MAX_WORDS + i);
    }
    msg[1] = checksum(msg, words);
    return words;
}

/* The queue named by tg.ipc_q (default "q"), with the right the role needs. */
static void queue_setup(struct ipc_obj *q, uint32_t right, uint32_t *max_words)
{
    char name[32] = "q";

    bootarg_get("tg.ipc_q", name, sizeof(name));
    ipc_dt_need(name, q);
    report(q->type == IPC_MSGQ && (q->rights & right) && q->depth &&
               q->msg_size >= MSG_HDR_WORDS * sizeof(uint64_t) &&
               q->msg_size <= BUF_WORDS * sizeof(uint64_t),
           "msgq: '%s' id %u type %u rights 0x%x depth %u msg-size %u rx %u tx %u", name, q->id,
           q->type, q->rights, q->depth, q->msg_size, q->rx_intid, q->tx_intid);
    if (report_fail_count()) {
        tg_finish();
    }
    ipc_check_info(q);
    uint32_t w = q->msg_size / (uint32_t)sizeof(uint64_t);
    *max_words = w < MSG_MAX_WORDS ? w : MSG_MAX_WORDS;
}

/* ------------------------------------------------------------------ producer */

struct tx_stats {
    uint64_t busy;      /* BUSY answers to non-blocking sends */
    uint64_t timeouts;  /* timed sends that timed out (blocking variant) */
    uint64_t irq_waits; /* tx interrupts waited for (interrupt variant) */
};

/* A non-blocking send, retried after every BUSY by the variant's way of waiting. */
static int64_t send_nonblocking(const struct ipc_obj *q, uint64_t len, struct tx_stats *st)
{
    int64_t r;

    while ((r = ipc_send(q->id, (uintptr_t)msg, len, IPC_NO_WAIT)) == BH_E_BUSY) {
        st->busy++;
        if (q->tx_intid) {
            /* an edge raised after the BUSY answer stays pending: no lost wake-up */
            st->irq_waits++;
            if (!ipc_irq_wait(q->tx_intid, ipc_irq_count(q->tx_intid) + 1, IRQ_WAIT_MS)) {
                report(false, "msgq: no tx interrupt %u within %u ms of a BUSY send",
                       q->tx_intid, IRQ_WAIT_MS);
                return ipc_send(q->id, (uintptr_t)msg, len, IPC_FOREVER);
            }
        } else {
            r = ipc_send(q->id, (uintptr_t)msg, len, TIMED_NS);
            if (r == BH_E_TIMEOUT) {
                st->timeouts++;
                continue;
            }
            return r;
        }
    }
    return r;
}

void ipc_role_producer(void)
{
    struct ipc_obj q;
    struct tx_stats st = { 0 };
    uint32_t max_words;
    uint64_t count = bootarg_get_u64("tg.ipc_count", DEF_COUNT);

    queue_setup(&q, IPC_R_SEND, &max_words);
    if (q.tx_intid) {
        ipc_spi_enable(q.tx_intid);
    }
    tg_print("msgq: producer: %lu messages, %s variant", count,
             q.tx_intid ? "tx-interrupt" : "blocking");
    uint64_t t0 = timer_now(), seq;
    int64_t r = 0;
    for (seq = 0; seq < count; seq++) {
        uint64_t len = fill(seq, max_words) * sizeof(uint64_t);
        if ((seq / PHASE_MSGS) % 2) {
            r = send_nonblocking(&q, len, &st);
        } else {
            r = ipc_send(q.id, (uintptr_t)msg, len, IPC_FOREVER);
        }
        if (r != BH_OK) {
            break;
        }
    }
    uint64_t ms = ipc_ticks_to_ms(timer_now() - t0);
    report(seq == count, "msgq: sent %lu of %lu messages (last result %ld %s) in %lu ms", seq,
           count, r, ipc_err_name(r), ms);
    ipc_expect(ipc_send(q.id, (uintptr_t)msg, 0, IPC_FOREVER), BH_OK,
               "msgq: empty end-of-stream message");
    report(st.busy > 0, "msgq: back-pressure: %lu BUSY answers to non-blocking sends (%lu timed "
           "sends timed out)", st.busy, st.timeouts);
    if (q.tx_intid) {
        report(ipc_irq_count(q.tx_intid) > 0, "msgq: %u tx interrupts for %lu waits",
               ipc_irq_count(q.tx_intid), st.irq_waits);
    }
    report(!ipc_irq_unexpected(), "msgq: no unexpected interrupts (%u)", ipc_irq_unexpected());
    tg_finish();
}

/* ------------------------------------------------------------------ consumer */

struct rx_stats {
    uint64_t busy;      /* interrupt variant: empty queue, waited for rx */
    uint64_t timeouts;  /* blocking variant: timed receives that timed out */
    bool stuck;         /* no rx interrupt in time */
};

static int64_t recv_one(const struct ipc_obj *q, uint64_t n, struct rx_stats *st)
{
    int64_t r;

    if (q->rx_intid) {
        while ((r = ipc_recv(q->id, (uintptr_t)msg, q->msg_size, IPC_NO_WAIT)) == BH_E_BUSY) {
            st->busy++;
            if (!ipc_irq_wait(q->rx_intid, ipc_irq_count(q->rx_intid) + 1, IRQ_WAIT_MS)) {
                st->stuck = true;
                return r;
            }
        }
        return r;
    }
    if (n % TIMED_EVERY == 0) {
        r = ipc_recv(q->id, (uintptr_t)msg, q->msg_size, IPC_NO_WAIT);
        if (r != BH_E_BUSY) {
            return r;
        }
        st->busy++;
    }
    if (n % TIMED_EVERY == 1) {
        while ((r = ipc_recv(q->id, (uintptr_t)msg, q->msg_size, TIMED_NS)) == BH_E_TIMEOUT) {
            st->timeouts++;
        }
        return r;
    }
    return ipc_recv(q->id, (uintptr_t)msg, q->msg_size, RX_BLOCK_NS);
}

/* Check the message in msg; 0 if it is message `want`, else print why (first few only). */
static uint32_t check_msg(int64_t len, uint64_t want, uint32_t max_words, uint32_t errors)
{
    uint32_t words = msg_words(want, max_words);
    const char *why = NULL;

    if (len != (int64_t)(words * sizeof(uint64_t))) {
        why = "length";
    } else if (msg[0] != want) {
        why = "sequence";
    } else if (msg[1] != checksum(msg, words)) {
        why = "checksum";
    } else {
        for (uint32_t i = MSG_HDR_WORDS; i < words && !why; i++) {
            if (msg[i] != mix(want * MSG_MAX_WORDS + i)) {
                why = "payload";
            }
        }
    }
    if (why && errors < ERRORS_SHOWN) {
        report_info("msgq: message %lu: bad %s: len %ld seq %lu", want, why, len, msg[0]);
    }
    return why ? 1 : 0;
}

void ipc_role_consumer(void)
{
    struct ipc_obj q;
    struct rx_stats st = { 0 };
    uint32_t max_words, errors = 0;
    uint64_t count = bootarg_get_u64("tg.ipc_count", DEF_COUNT), n;
    int64_t r = 0;

    queue_setup(&q, IPC_R_RECV, &max_words);
    if (q.rx_intid) {
        ipc_spi_enable(q.rx_intid);
    }
    tg_print("msgq: consumer: %lu messages, %s variant", count,
             q.rx_intid ? "rx-interrupt" : "blocking");
    uint64_t t0 = timer_now();
    for (n = 0; n < count; n++) {
        if (n % PAUSE_EVERY == PAUSE_AT) {
            ipc_delay_ms(PAUSE_MS); /* let the queue fill: the producer must see BUSY */
        }
        r = recv_one(&q, n, &st);
        if (r < 0) {
            break;
        }
        uint32_t bad = check_msg(r, n, max_words, errors);
        errors += bad;
        if (bad && msg[0] > n && msg[0] < count) {
            n = msg[0]; /* resynchronise so one loss is one error, not thousands */
        }
    }
    uint64_t ms = ipc_ticks_to_ms(timer_now() - t0);
    report(n == count && errors == 0,
           "msgq: received %lu of %lu messages in order, each exactly once, contents intact "
           "(errors=%u, last result %ld) in %lu ms",
           n, count, errors, r, ms);
    if (st.stuck) {
        report(false, "msgq: no rx interrupt %u within %u ms on an empty queue", q.rx_intid,
               IRQ_WAIT_MS);
    }
    r = recv_one(&q, 0, &st);
    ipc_expect(r, 0, "msgq: end-of-stream message is empty");
    ipc_expect(ipc_recv(q.id, (uintptr_t)msg, q.msg_size, IPC_NO_WAIT), BH_E_BUSY,
               "msgq: queue empty afterwards, non-blocking receive");
    if (q.rx_intid) {
        report(ipc_irq_count(q.rx_intid) > 0 && st.busy > 0,
               "msgq: %u rx interrupts woke the consumer after %lu empty-queue answers",
               ipc_irq_count(q.rx_intid), st.busy);
    } else {
        report_info("msgq: %lu empty try-receives, %lu timed receives timed out", st.busy,
                    st.timeouts);
    }
    report(!ipc_irq_unexpected(), "msgq: no unexpected interrupts (%u)", ipc_irq_unexpected());
    tg_finish();
}
