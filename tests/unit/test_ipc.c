// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/ipc/ipc*.c: validation of every call (forged IDs, wrong types, rights,
 * lengths, busy waiters) with no state change on error; semaphore counting and max; wake
 * order by priority then FIFO; cancel against wake; mutex ownership and owner-died handover;
 * message queues (order and loss-freedom over 10^5+ messages through a small queue, back
 * pressure, blocked senders and receivers, notifications); VM reset; the info helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <bulkhead/abi.h>
#include <core/ipc/ipc.h>

enum { VM0, VM1, VM2, VM_COUNT };

/* Object IDs of the test scenario. */
enum {
    DB,      /* doorbell VM0 -> VM1, INTID 40 */
    SEM,     /* semaphore 0/3, VM0 and VM1 */
    MTX,     /* mutex, VM0 and VM1 */
    Q,       /* queue depth 4 x 16 B, VM0 -> VM1, rx 41 tx 42 */
    SHM,     /* shared memory, VM0 rw, VM1 ro */
    GONE,    /* an invalid channel: absent */
    Q2,      /* queue depth 2 x 8 B, VM0+VM2 -> VM1+VM2, rx 43 */
    OBJ_COUNT,
};

#define Q_DEPTH  4
#define Q_MSG    16
#define Q2_MSG   8
#define SEM_MAX  3

static struct cfg_scenario sc;
static struct ipc ipc;

static void build_scenario(void)
{
    memset(&sc, 0, sizeof(sc));
    sc.vm_count = VM_COUNT;
    for (int v = 0; v < VM_COUNT; v++) {
        sc.vms[v].valid = true;
        snprintf(sc.vms[v].name, sizeof(sc.vms[v].name), "vm%d", v);
    }
    sc.chan_count = OBJ_COUNT;
    for (int i = 0; i < OBJ_COUNT; i++) {
        sc.chans[i].valid = true;
        snprintf(sc.chans[i].name, sizeof(sc.chans[i].name), "obj%d", i);
    }
    struct cfg_chan *c = &sc.chans[DB];
    c->type = CFG_CHAN_DOORBELL;
    c->rights[VM0] = CFG_RIGHT_SEND;
    c->rights[VM1] = CFG_RIGHT_RECV;
    c->to_vm = VM1;
    c->intid = 40;

    c = &sc.chans[SEM];
    c->type = CFG_CHAN_SEM;
    c->rights[VM0] = c->rights[VM1] = CFG_RIGHT_WAIT | CFG_RIGHT_POST;
    c->sem_max = SEM_MAX;

    c = &sc.chans[MTX];
    c->type = CFG_CHAN_MUTEX;
    c->rights[VM0] = c->rights[VM1] = CFG_RIGHT_LOCK;

    c = &sc.chans[Q];
    c->type = CFG_CHAN_MSGQ;
    c->rights[VM0] = CFG_RIGHT_SEND;
    c->rights[VM1] = CFG_RIGHT_RECV;
    c->depth = Q_DEPTH;
    c->msg_size = Q_MSG;
    c->rx_intid = 41;
    c->tx_intid = 42;

    c = &sc.chans[SHM];
    c->type = CFG_CHAN_SHMEM;
    c->rights[VM0] = CFG_RIGHT_READ | CFG_RIGHT_WRITE;
    c->rights[VM1] = CFG_RIGHT_READ;
    c->shm_size = 0x10000;
    c->shm_ipa[VM0] = 0x20000000;
    c->shm_ipa[VM1] = 0x30000000;

    c = &sc.chans[GONE];
    c->type = CFG_CHAN_SEM;
    c->valid = false;
    c->rights[VM0] = CFG_RIGHT_WAIT;
    c->sem_max = 1;

    c = &sc.chans[Q2];
    c->type = CFG_CHAN_MSGQ;
    c->rights[VM0] = CFG_RIGHT_SEND;
    c->rights[VM1] = CFG_RIGHT_RECV;
    c->rights[VM2] = CFG_RIGHT_SEND | CFG_RIGHT_RECV;
    c->depth = 2;
    c->msg_size = Q2_MSG;
    c->rx_intid = 43;
}

static int setup(void **state)
{
    (void)state;
    build_scenario();
    assert_int_equal(ipc_init(&ipc, &sc), 0);
    return 0;
}

static struct ipc_waiter waiter(unsigned vm, unsigned vcpu, uint32_t prio)
{
    struct ipc_waiter w;
    ipc_waiter_init(&w, vm, vcpu);
    w.prio = prio;
    return w;
}

/* ------------------------------------------------------------------ init */

static void test_init_limits(void **state)
{
    (void)state;
    build_scenario();
    sc.chan_count = IPC_MAX_OBJS + 1;
    assert_int_equal(ipc_init(&ipc, &sc), -BH_EINVAL);

    build_scenario();
    sc.chans[Q].depth = CFG_MSGQ_DEPTH_MAX;
    sc.chans[Q].msg_size = CFG_MSGQ_MSG_MAX; /* 1 MiB: over the pool */
    assert_int_equal(ipc_init(&ipc, &sc), -BH_ENOMEM);

    build_scenario();
    sc.chans[Q].depth = 0;
    assert_int_equal(ipc_init(&ipc, &sc), -BH_ENOMEM);

    /* Exactly the storage limit fits. */
    build_scenario();
    sc.chans[Q].depth = CFG_MSGQ_DEPTH_MAX;
    sc.chans[Q].msg_size = CFG_MSGQ_STORAGE_MAX / CFG_MSGQ_DEPTH_MAX - Q2_MSG;
    assert_int_equal(ipc_init(&ipc, &sc), 0);
}

/* ------------------------------------------------------------------ validation */

/* Every call with an ID that is out of range, absent or of another type. */
static void test_forged_ids(void **state)
{
    static const unsigned forged[] = { OBJ_COUNT, GONE, 1000, UINT_MAX, IPC_MAX_OBJS };
    struct ipc_waiter w = waiter(VM0, 0, 0), *woken = NULL;
    struct ipc_notify n;
    char buf[Q_MSG];
    size_t len;
    unsigned tvm;
    uint32_t intid;

    (void)state;
    for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
        unsigned id = forged[i];
        assert_int_equal(ipc_doorbell_ring(&ipc, VM0, id, &tvm, &intid), -BH_ENOENT);
        assert_int_equal(ipc_sem_wait(&ipc, &w, id, true), -BH_ENOENT);
        assert_int_equal(ipc_sem_post(&ipc, VM0, id, &woken), -BH_ENOENT);
        assert_int_equal(ipc_mutex_lock(&ipc, &w, id, true), -BH_ENOENT);
        assert_int_equal(ipc_mutex_unlock(&ipc, VM0, 0, id, &woken), -BH_ENOENT);
        assert_int_equal(ipc_msgq_send(&ipc, &w, id, "x", 1, true, &n), -BH_ENOENT);
        assert_int_equal(ipc_msgq_recv(&ipc, &w, id, buf, sizeof(buf), &len, true, &n),
                         -BH_ENOENT);
    }
    /* Wrong type: each call on an object of every other type. */
    assert_int_equal(ipc_doorbell_ring(&ipc, VM0, SEM, &tvm, &intid), -BH_ENOENT);
    assert_int_equal(ipc_doorbell_ring(&ipc, VM0, SHM, &tvm, &intid), -BH_ENOENT);
    assert_int_equal(ipc_sem_wait(&ipc, &w, MTX, true), -BH_ENOENT);
    assert_int_equal(ipc_sem_post(&ipc, VM0, Q, &woken), -BH_ENOENT);
    assert_int_equal(ipc_mutex_lock(&ipc, &w, SEM, true), -BH_ENOENT);
    assert_int_equal(ipc_mutex_unlock(&ipc, VM0, 0, DB, &woken), -BH_ENOENT);
    assert_int_equal(ipc_msgq_send(&ipc, &w, SHM, "x", 1, true, &n), -BH_ENOENT);
    assert_int_equal(ipc_msgq_recv(&ipc, &w, MTX, buf, sizeof(buf), &len, true, &n),
                     -BH_ENOENT);
    assert_int_equal(w.state, IPC_WAIT_IDLE);
    assert_null(woken);
    assert_int_equal(n.irq_count, 0);
    assert_int_equal(n.woken_count, 0);
    struct ipc_stats s = ipc_stats(&ipc, GONE);
    assert_int_equal(s.ops + s.denied + s.invalid, 0);
}

/* VMs that are not members, or hold another right, and VM indices out of range. */
static void test_rights(void **state)
{
    struct ipc_waiter w2 = waiter(VM2, 0, 0), w1 = waiter(VM1, 0, 0), *woken;
    struct ipc_waiter wbad = waiter(CFG_MAX_VMS, 0, 0), whuge = waiter(UINT_MAX, 0, 0);
    struct ipc_notify n;
    char buf[Q_MSG];
    size_t len;
    unsigned tvm;
    uint32_t intid;

    (void)state;
    assert_int_equal(ipc_doorbell_ring(&ipc, VM1, DB, &tvm, &intid), -BH_EPERM); /* `to` */
    assert_int_equal(ipc_doorbell_ring(&ipc, VM2, DB, &tvm, &intid), -BH_EPERM);
    assert_int_equal(ipc_doorbell_ring(&ipc, UINT_MAX, DB, &tvm, &intid), -BH_EPERM);
    assert_int_equal(ipc_sem_wait(&ipc, &w2, SEM, true), -BH_EPERM);
    assert_int_equal(ipc_sem_wait(&ipc, &wbad, SEM, true), -BH_EPERM);
    assert_int_equal(ipc_sem_post(&ipc, VM2, SEM, &woken), -BH_EPERM);
    assert_int_equal(ipc_mutex_lock(&ipc, &whuge, MTX, true), -BH_EPERM);
    assert_int_equal(ipc_mutex_lock(&ipc, &w2, MTX, false), -BH_EPERM);
    assert_int_equal(ipc_mutex_unlock(&ipc, VM2, 0, MTX, &woken), -BH_EPERM);
    assert_int_equal(ipc_msgq_send(&ipc, &w1, Q, "x", 1, true, &n), -BH_EPERM); /* receiver */
    assert_int_equal(ipc_msgq_send(&ipc, &w2, Q, "x", 1, true, &n), -BH_EPERM);
    struct ipc_waiter w0 = waiter(VM0, 0, 0);
    assert_int_equal(ipc_msgq_recv(&ipc, &w0, Q, buf, sizeof(buf), &len, true, &n), -BH_EPERM);

    assert_int_equal(ipc_stats(&ipc, DB).denied, 3);
    assert_int_equal(ipc_stats(&ipc, SEM).denied, 3);
    assert_int_equal(ipc_stats(&ipc, MTX).denied, 3);
    assert_int_equal(ipc_stats(&ipc, Q).denied, 3);
    assert_int_equal(w2.state, IPC_WAIT_IDLE);
    /* Nothing changed: the semaphore is still at 0, the queue still empty. */
    assert_int_equal(ipc_sem_wait(&ipc, &w1, SEM, false), -BH_EBUSY);
    assert_int_equal(ipc_msgq_recv(&ipc, &w1, Q, buf, sizeof(buf), &len, false, &n), -BH_EBUSY);
}

static void test_lengths(void **state)
{
    struct ipc_waiter w0 = waiter(VM0, 0, 0), w1 = waiter(VM1, 0, 0);
    struct ipc_notify n;
    char big[Q_MSG + 1] = { 0 }, buf[Q_MSG];
    size_t len = 99;

    (void)state;
    assert_int_equal(ipc_msgq_send(&ipc, &w0, Q, big, Q_MSG + 1, true, &n), -BH_ERANGE);
    assert_int_equal(ipc_msgq_send(&ipc, &w0, Q, big, SIZE_MAX, true, &n), -BH_ERANGE);
    assert_int_equal(ipc_msgq_send(&ipc, &w0, Q, NULL, 1, true, &n), -BH_EINVAL);
    assert_int_equal(ipc_msgq_recv(&ipc, &w1, Q, buf, Q_MSG - 1, &len, true, &n), -BH_ERANGE);
    assert_int_equal(ipc_msgq_recv(&ipc, &w1, Q, NULL, Q_MSG, &len, true, &n), -BH_EINVAL);
    assert_int_equal(ipc_msgq_recv(&ipc, &w1, Q, buf, Q_MSG, NULL, true, &n), -BH_EINVAL);
    assert_int_equal(ipc_stats(&ipc, Q).invalid, 6);
    assert_int_equal(len, 99);
    assert_int_equal(w0.state, IPC_WAIT_IDLE);
    assert_int_equal(w1.state, IPC_WAIT_IDLE);

    /* The limits themselves are fine: msg-size bytes, and an empty message (NULL allowed). */
    assert_int_equal(ipc_msgq_send(&ipc, &w0, Q, big, Q_MSG, false, &n), 0);
    assert_int_equal(ipc_msgq_send(&ipc, &w0, Q, NULL, 0, false, &n), 0);
    assert_int_equal(ipc_msgq_recv(&ipc, &w1, Q, buf, Q_MSG, &len, false, &n), 0);
    assert_int_equal(len, Q_MSG);
    assert_int_equal(ipc_msgq_recv(&ipc, &w1, Q, buf, sizeof(buf) + 100, &len, false, &n), 0);
    assert_int_equal(len, 0);
}

/* A waiter that is queued (or woken and not collected) cannot start another call. */
static void test_waiter_busy(void **state)
{
    struct ipc_waiter w = waiter(VM0, 0, 0), *woken;
    struct ipc_notify n;
    char buf[Q2_MSG];
    size_t len;
    int res;

    (void)state;
    assert_int_equal(ipc_sem_wait(&ipc, &w, SEM, true), IPC_BLOCKED);
    assert_int_equal(ipc_sem_wait(&ipc, &w, SEM, true), -BH_EINVAL);
    assert_int_equal(ipc_mutex_lock(&ipc, &w, MTX, true), -BH_EINVAL);
    assert_int_equal(ipc_msgq_send(&ipc, &w, Q, "x", 1, true, &n), -BH_EINVAL);
    assert_int_equal(ipc_sem_post(&ipc, VM1, SEM, &woken), 0);
    assert_ptr_equal(woken, &w);
    /* Woken but not collected yet: still busy. */
    struct ipc_waiter w2 = waiter(VM2, 0, 0);
    assert_int_equal(ipc_msgq_recv(&ipc, &w2, Q2, buf, sizeof(buf), &len, true, &n),
                     IPC_BLOCKED);
    w.vm = VM2; /* reuse w as a queue member: still refused while WOKEN */
    assert_int_equal(ipc_msgq_send(&ipc, &w, Q2, "x", 1, true, &n), -BH_EINVAL);
    w.vm = VM0;
    assert_true(ipc_waiter_done(&ipc, &w, &res));
    assert_int_equal(res, 0);
    assert_int_equal(w.state, IPC_WAIT_IDLE);
    /* Collecting an idle waiter is a glue bug: answered, not trusted. */
    assert_true(ipc_waiter_done(&ipc, &w, &res));
    assert_int_equal(res, -BH_EINVAL);
}

/* ------------------------------------------------------------------ doorbells */

static void test_doorbell(void **state)
{
    unsigned tvm = 99;
    uint32_t intid = 0;

    (void)state;
    assert_int_equal(ipc_doorbell_ring(&ipc, VM0, DB, &tvm, &intid), 0);
    assert_int_equal(tvm, VM1);
    assert_int_equal(intid, 40);
    assert_int_equal(ipc_stats(&ipc, DB).ops, 1);
}

/* ------------------------------------------------------------------ semaphores */

static void test_sem_counting(void **state)
{
    struct ipc_waiter w = waiter(VM1, 0, 0), *woken = &w;

    (void)state;
    assert_int_equal(ipc_sem_wait(&ipc, &w, SEM, false), -BH_EBUSY); /* initial 0 */
    for (int i = 0; i < SEM_MAX; i++) {
        assert_int_equal(ipc_sem_post(&ipc, VM0, SEM, &woken), 0);
        assert_null(woken);
    }
    assert_int_equal(ipc_sem_post(&ipc, VM1, SEM, &woken), -BH_ERANGE);
    for (int i = 0; i < SEM_MAX; i++) {
        assert_int_equal(ipc_sem_wait(&ipc, &w, SEM, i % 2 == 0), 0);
    }
    assert_int_equal(ipc_sem_wait(&ipc, &w, SEM, false), -BH_EBUSY);
    struct ipc_stats s = ipc_stats(&ipc, SEM);
    assert_int_equal(s.ops, 2 * SEM_MAX);
    assert_int_equal(s.busy, 2);
    assert_int_equal(s.invalid, 1);

    /* initial is honoured. */
    build_scenario();
    sc.chans[SEM].sem_initial = 2;
    assert_int_equal(ipc_init(&ipc, &sc), 0);
    assert_int_equal(ipc_sem_wait(&ipc, &w, SEM, false), 0);
    assert_int_equal(ipc_sem_wait(&ipc, &w, SEM, false), 0);
    assert_int_equal(ipc_sem_wait(&ipc, &w, SEM, false), -BH_EBUSY);
}

/* Waiters are served by priority, then in arrival order; post hands the unit over. */
static void test_sem_wake_order(void **state)
{
    static const uint32_t prio[] = { 1, 5, 5, 3, 5, 0 };
    static const int expect[] = { 1, 2, 4, 3, 0, 5 };
    enum { N = sizeof(prio) / sizeof(prio[0]) };
    struct ipc_waiter w[N], *woken;
    int res;

    (void)state;
    for (int i = 0; i < N; i++) {
        w[i] = waiter(i % 2 ? VM1 : VM0, (unsigned)i, prio[i]);
        assert_int_equal(ipc_sem_wait(&ipc, &w[i], SEM, true), IPC_BLOCKED);
        assert_false(ipc_waiter_done(&ipc, &w[i], &res));
    }
    for (int i = 0; i < N; i++) {
        assert_int_equal(ipc_sem_post(&ipc, VM0, SEM, &woken), 0);
        assert_ptr_equal(woken, &w[expect[i]]);
        assert_int_equal(woken->result, 0);
        assert_true(ipc_waiter_done(&ipc, woken, &res));
        assert_int_equal(res, 0);
    }
    /* Every unit went to a waiter: the count is still 0. */
    struct ipc_waiter x = waiter(VM0, 7, 0);
    assert_int_equal(ipc_sem_wait(&ipc, &x, SEM, false), -BH_EBUSY);
    assert_int_equal(ipc_stats(&ipc, SEM).blocked, N);
}

static void test_cancel_vs_wake(void **state)
{
    struct ipc_waiter a = waiter(VM0, 0, 0), b = waiter(VM1, 0, 0), *woken;
    int res = 42;

    (void)state;
    /* Timeout first: a leaves, the later post counts up instead of waking it. */
    assert_int_equal(ipc_sem_wait(&ipc, &a, SEM, true), IPC_BLOCKED);
    assert_true(ipc_cancel(&ipc, &a, &res));
    assert_int_equal(a.state, IPC_WAIT_IDLE);
    assert_int_equal(ipc_sem_post(&ipc, VM1, SEM, &woken), 0);
    assert_null(woken);
    assert_int_equal(ipc_stats(&ipc, SEM).timeouts, 1);

    /* Wake first: the unit is a's; cancel reports the wake and its result. */
    assert_int_equal(ipc_sem_wait(&ipc, &b, SEM, false), 0); /* take the counted unit */
    assert_int_equal(ipc_sem_wait(&ipc, &a, SEM, true), IPC_BLOCKED);
    assert_int_equal(ipc_sem_post(&ipc, VM1, SEM, &woken), 0);
    assert_ptr_equal(woken, &a);
    assert_false(ipc_cancel(&ipc, &a, &res));
    assert_int_equal(res, 0);
    assert_int_equal(a.state, IPC_WAIT_IDLE);
    assert_int_equal(ipc_sem_wait(&ipc, &b, SEM, false), -BH_EBUSY); /* not counted twice */

    /* Cancel of an idle waiter: nothing to do. */
    assert_false(ipc_cancel(&ipc, &a, &res));
    assert_int_equal(res, 0);

    /* Cancel in the middle of a list keeps the others in order. */
    struct ipc_waiter w[3] = { waiter(VM0, 1, 0), waiter(VM0, 2, 0), waiter(VM0, 3, 0) };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ipc_sem_wait(&ipc, &w[i], SEM, true), IPC_BLOCKED);
    }
    assert_true(ipc_cancel(&ipc, &w[1], &res));
    assert_int_equal(ipc_sem_post(&ipc, VM1, SEM, &woken), 0);
    assert_ptr_equal(woken, &w[0]);
    assert_int_equal(ipc_sem_post(&ipc, VM1, SEM, &woken), 0);
    assert_ptr_equal(woken, &w[2]);
}

/* ------------------------------------------------------------------ mutexes */

static void test_mutex_ownership(void **state)
{
    struct ipc_waiter a0 = waiter(VM0, 0, 0), a1 = waiter(VM0, 1, 0), b0 = waiter(VM1, 0, 9);
    struct ipc_waiter *woken;
    int res;

    (void)state;
    assert_int_equal(ipc_mutex_unlock(&ipc, VM0, 0, MTX, &woken), -BH_EPERM); /* not held */
    assert_int_equal(ipc_mutex_lock(&ipc, &a0, MTX, true), 0);
    assert_int_equal(ipc_mutex_lock(&ipc, &a0, MTX, true), -BH_EINVAL); /* recursive */
    assert_int_equal(ipc_mutex_lock(&ipc, &a1, MTX, false), -BH_EBUSY); /* same VM, other vCPU */
    assert_int_equal(ipc_mutex_unlock(&ipc, VM0, 1, MTX, &woken), -BH_EPERM);
    assert_int_equal(ipc_mutex_unlock(&ipc, VM1, 0, MTX, &woken), -BH_EPERM);
    assert_null(woken);

    assert_int_equal(ipc_mutex_lock(&ipc, &a1, MTX, true), IPC_BLOCKED);
    assert_int_equal(ipc_mutex_lock(&ipc, &b0, MTX, true), IPC_BLOCKED); /* higher prio */
    assert_int_equal(ipc_mutex_unlock(&ipc, VM0, 0, MTX, &woken), 0);
    assert_ptr_equal(woken, &b0);
    assert_true(ipc_waiter_done(&ipc, &b0, &res));
    assert_int_equal(res, 0);
    /* The old owner is no longer one. */
    assert_int_equal(ipc_mutex_unlock(&ipc, VM0, 0, MTX, &woken), -BH_EPERM);
    assert_int_equal(ipc_mutex_unlock(&ipc, VM1, 0, MTX, &woken), 0);
    assert_ptr_equal(woken, &a1);
    assert_int_equal(ipc_mutex_unlock(&ipc, VM0, 1, MTX, &woken), 0);
    assert_null(woken);
    assert_int_equal(ipc_mutex_lock(&ipc, &a0, MTX, false), 0); /* free again */
    struct ipc_stats s = ipc_stats(&ipc, MTX);
    assert_int_equal(s.denied, 4);
    assert_int_equal(s.invalid, 1);
    assert_int_equal(s.busy, 1);
    assert_int_equal(s.blocked, 2);
}

static void test_mutex_owner_died(void **state)
{
    struct ipc_waiter a = waiter(VM0, 0, 0), b = waiter(VM1, 0, 0), b1 = waiter(VM1, 1, 0);
    struct ipc_waiter *woken;
    struct ipc_notify n;
    int res;

    (void)state;
    /* Died with a waiter: handed over at once, with IPC_OWNER_DIED. */
    assert_int_equal(ipc_mutex_lock(&ipc, &a, MTX, true), 0);
    assert_int_equal(ipc_mutex_lock(&ipc, &b, MTX, true), IPC_BLOCKED);
    ipc_vm_reset(&ipc, VM0, &n);
    assert_int_equal(n.woken_count, 1);
    assert_ptr_equal(n.woken[0], &b);
    assert_true(ipc_waiter_done(&ipc, &b, &res));
    assert_int_equal(res, IPC_OWNER_DIED);
    assert_int_equal(ipc_mutex_unlock(&ipc, VM1, 0, MTX, &woken), 0);

    /* Died without a waiter: the next lock, and only that one, is told. */
    assert_int_equal(ipc_mutex_lock(&ipc, &a, MTX, true), 0);
    ipc_vm_reset(&ipc, VM0, &n);
    assert_int_equal(n.woken_count, 0);
    assert_int_equal(ipc_mutex_lock(&ipc, &b1, MTX, true), IPC_OWNER_DIED);
    assert_int_equal(ipc_mutex_unlock(&ipc, VM1, 1, MTX, &woken), 0);
    assert_int_equal(ipc_mutex_lock(&ipc, &b1, MTX, true), 0);

    /* The dying VM's own waiter is dropped before the handover: it never gets the lock. */
    assert_int_equal(ipc_mutex_unlock(&ipc, VM1, 1, MTX, &woken), 0);
    struct ipc_waiter a1 = waiter(VM0, 1, 99);
    assert_int_equal(ipc_mutex_lock(&ipc, &a, MTX, true), 0);
    assert_int_equal(ipc_mutex_lock(&ipc, &a1, MTX, true), IPC_BLOCKED);
    assert_int_equal(ipc_mutex_lock(&ipc, &b, MTX, true), IPC_BLOCKED);
    ipc_vm_reset(&ipc, VM0, &n);
    assert_int_equal(n.woken_count, 1);
    assert_ptr_equal(n.woken[0], &b);
    assert_int_equal(a1.state, IPC_WAIT_IDLE);
    assert_int_equal(b.result, IPC_OWNER_DIED);

    /* A reset of a VM that holds nothing changes nothing. */
    ipc_vm_reset(&ipc, VM2, &n);
    assert_int_equal(n.woken_count, 0);
    assert_int_equal(ipc_mutex_unlock(&ipc, VM1, 0, MTX, &woken), 0);
}

/* ------------------------------------------------------------------ message queues */

/* Deterministic pseudo-random numbers (xorshift32). */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

/* Message k: length k % (Q_MSG + 1), bytes derived from k. */
static size_t make_msg(uint32_t k, uint8_t *m)
{
    size_t len = k % (Q_MSG + 1);
    for (size_t i = 0; i < len; i++) {
        m[i] = (uint8_t)(k * 31 + i);
    }
    if (len >= sizeof(k)) {
        memcpy(m, &k, sizeof(k));
    }
    return len;
}

/*
 * More than 10^5 messages through a 4-deep queue, sender and receiver taking turns in bursts
 * of random size: every message arrives once, in order, intact; the full queue pushes back.
 */
static void test_msgq_stream(void **state)
{
    enum { TOTAL = 150000 };
    struct ipc_waiter s = waiter(VM0, 0, 0), r = waiter(VM1, 0, 0);
    struct ipc_notify n;
    uint8_t m[Q_MSG], want[Q_MSG], got[Q_MSG];
    uint32_t sent = 0, recvd = 0, busy_tx = 0, busy_rx = 0, rx_edges = 0, tx_edges = 0;

    (void)state;
    while (recvd < TOTAL) {
        uint32_t burst = rnd() % 7;
        for (uint32_t i = 0; i < burst && sent < TOTAL; i++) {
            size_t len = make_msg(sent, m);
            int ret = ipc_msgq_send(&ipc, &s, Q, m, len, false, &n);
            if (ret == -BH_EBUSY) {
                busy_tx++;
                break;
            }
            assert_int_equal(ret, 0);
            rx_edges += n.irq_count;
            sent++;
        }
        burst = rnd() % 7;
        for (uint32_t i = 0; i < burst; i++) {
            size_t len = 0;
            int ret = ipc_msgq_recv(&ipc, &r, Q, got, sizeof(got), &len, false, &n);
            if (ret == -BH_EBUSY) {
                busy_rx++;
                break;
            }
            assert_int_equal(ret, 0);
            tx_edges += n.irq_count;
            size_t wlen = make_msg(recvd, want);
            assert_int_equal(len, wlen);
            assert_memory_equal(got, want, wlen);
            recvd++;
        }
    }
    assert_int_equal(sent, TOTAL);
    assert_true(busy_tx > 1000); /* back pressure was exercised, often */
    assert_true(busy_rx > 1000);
    assert_true(rx_edges > 0 && tx_edges > 0);
    struct ipc_stats st = ipc_stats(&ipc, Q);
    assert_int_equal(st.ops, 2 * (uint64_t)TOTAL);
    assert_int_equal(st.busy, busy_tx + busy_rx);
    print_message("  %u messages, %u full, %u empty, %u rx / %u tx notifications\n", TOTAL,
                  busy_tx, busy_rx, rx_edges, tx_edges);
}

/* One side of the blocking stream: a vCPU that is either running or asleep in a call. */
struct side {
    struct ipc_waiter w;
    bool asleep;
    uint8_t buf[Q_MSG];  /* send: the message (kept while blocked); recv: the destination */
    uint32_t next;       /* sequence number of the next message to send / expect */
};

static void wake_all(const struct ipc_notify *n, struct side *tx, struct side *rx)
{
    for (unsigned i = 0; i < n->woken_count; i++) {
        struct side *sd = n->woken[i] == &tx->w ? tx : rx;
        assert_ptr_equal(n->woken[i], &sd->w);
        assert_true(sd->asleep);
        sd->asleep = false; /* the glue kicks it; it collects below when it runs */
    }
}

/* Receive side finished a message (now or on wake-up): check it against the sequence. */
static void check_received(struct side *rx, size_t len)
{
    uint8_t want[Q_MSG];
    size_t wlen = make_msg(rx->next, want);

    assert_int_equal(len, wlen);
    assert_memory_equal(rx->buf, want, wlen);
    rx->next++;
}

/*
 * The same stream with blocking calls on both sides, in random turns: a full queue puts the
 * sender to sleep until a receive completes its send, an empty one the receiver until a send
 * hands it a message. Nothing is lost, duplicated or reordered, and nobody sleeps forever.
 */
static void test_msgq_stream_blocking(void **state)
{
    enum { TOTAL = 120000 };
    static struct side tx, rx;
    struct ipc_notify n;
    uint32_t tx_sleeps = 0, rx_sleeps = 0;
    int res;

    (void)state;
    memset(&tx, 0, sizeof(tx));
    memset(&rx, 0, sizeof(rx));
    tx.w = waiter(VM0, 0, 0);
    rx.w = waiter(VM1, 0, 0);
    while (rx.next < TOTAL) {
        bool sender_turn = rnd() % 2 == 0;
        if (sender_turn && !tx.asleep && tx.next < TOTAL) {
            if (tx.w.state == IPC_WAIT_WOKEN) {
                assert_true(ipc_waiter_done(&ipc, &tx.w, &res));
                assert_int_equal(res, 0);
            }
            size_t len = make_msg(tx.next, tx.buf);
            int ret = ipc_msgq_send(&ipc, &tx.w, Q, tx.buf, len, true, &n);
            assert_true(ret == 0 || ret == IPC_BLOCKED);
            tx.asleep = ret == IPC_BLOCKED;
            tx_sleeps += tx.asleep;
            tx.next++; /* accepted now, or will be when it wakes */
            wake_all(&n, &tx, &rx);
        } else if (!sender_turn && !rx.asleep) {
            size_t len = 0;
            if (rx.w.state == IPC_WAIT_WOKEN) {
                assert_true(ipc_waiter_done(&ipc, &rx.w, &res));
                assert_int_equal(res, 0);
                check_received(&rx, rx.w.msg_len);
                continue;
            }
            int ret = ipc_msgq_recv(&ipc, &rx.w, Q, rx.buf, sizeof(rx.buf), &len, true, &n);
            assert_true(ret == 0 || ret == IPC_BLOCKED);
            rx.asleep = ret == IPC_BLOCKED;
            rx_sleeps += rx.asleep;
            wake_all(&n, &tx, &rx);
            if (ret == 0) {
                check_received(&rx, len);
            }
        }
        assert_false(tx.asleep && rx.asleep); /* no deadlock */
    }
    assert_true(tx_sleeps > 1000 && rx_sleeps > 1000);
    print_message("  %u messages, sender slept %u times, receiver %u\n", TOTAL, tx_sleeps,
                  rx_sleeps);
}

static void fill(struct ipc_waiter *s, unsigned id, uint32_t depth, uint32_t first)
{
    struct ipc_notify n;
    for (uint32_t i = 0; i < depth; i++) {
        uint32_t v = first + i;
        assert_int_equal(ipc_msgq_send(&ipc, s, id, &v, sizeof(v), false, &n), 0);
    }
}

static uint32_t recv_u32(struct ipc_waiter *r, unsigned id, struct ipc_notify *n)
{
    uint8_t buf[Q_MSG];
    size_t len = 0;
    uint32_t v;

    assert_int_equal(ipc_msgq_recv(&ipc, r, id, buf, sizeof(buf), &len, false, n), 0);
    assert_int_equal(len, sizeof(v));
    memcpy(&v, buf, sizeof(v));
    return v;
}

/* Full queue: a blocked sender's message takes the freed slot, after the older ones. */
static void test_msgq_blocked_sender(void **state)
{
    struct ipc_waiter s = waiter(VM0, 0, 0), s2 = waiter(VM0, 1, 0), r = waiter(VM1, 0, 0);
    struct ipc_notify n;
    uint32_t late = 100, later = 200;
    int res;

    (void)state;
    fill(&s, Q, Q_DEPTH, 0);
    assert_int_equal(ipc_msgq_send(&ipc, &s, Q, &late, sizeof(late), false, &n), -BH_EBUSY);
    assert_int_equal(ipc_msgq_send(&ipc, &s, Q, &late, sizeof(late), true, &n), IPC_BLOCKED);
    assert_int_equal(ipc_msgq_send(&ipc, &s2, Q, &later, sizeof(later), true, &n), IPC_BLOCKED);
    assert_false(ipc_waiter_done(&ipc, &s, &res));

    assert_int_equal(recv_u32(&r, Q, &n), 0);
    assert_int_equal(n.woken_count, 1); /* s completed: its message is in */
    assert_ptr_equal(n.woken[0], &s);
    assert_int_equal(n.irq_count, 0);   /* still full: no tx edge */
    assert_true(ipc_waiter_done(&ipc, &s, &res));
    assert_int_equal(res, 0);
    assert_int_equal(recv_u32(&r, Q, &n), 1);
    assert_ptr_equal(n.woken[0], &s2);
    for (uint32_t want = 2; want < Q_DEPTH; want++) {
        assert_int_equal(recv_u32(&r, Q, &n), want);
        assert_int_equal(n.woken_count, 0);
    }
    assert_int_equal(recv_u32(&r, Q, &n), late);
    assert_int_equal(recv_u32(&r, Q, &n), later);
    uint8_t buf[Q_MSG];
    size_t len;
    assert_int_equal(ipc_msgq_recv(&ipc, &r, Q, buf, sizeof(buf), &len, false, &n), -BH_EBUSY);
}

/* Empty queue: a blocked receiver gets the next message straight into its buffer. */
static void test_msgq_blocked_receiver(void **state)
{
    struct ipc_waiter s = waiter(VM0, 0, 0), r = waiter(VM1, 0, 0), r2 = waiter(VM1, 1, 7);
    struct ipc_notify n;
    uint8_t buf[Q_MSG] = { 0 }, buf2[Q_MSG] = { 0 };
    size_t len = 0;
    int res;

    (void)state;
    assert_int_equal(ipc_msgq_recv(&ipc, &r, Q, buf, sizeof(buf), &len, true, &n), IPC_BLOCKED);
    assert_int_equal(ipc_msgq_recv(&ipc, &r2, Q, buf2, sizeof(buf2), &len, true, &n),
                     IPC_BLOCKED);
    assert_int_equal(ipc_msgq_send(&ipc, &s, Q, "hello", 5, false, &n), 0);
    assert_int_equal(n.woken_count, 1);
    assert_ptr_equal(n.woken[0], &r2); /* higher priority first */
    assert_int_equal(n.irq_count, 0);   /* never became non-empty */
    assert_true(ipc_waiter_done(&ipc, &r2, &res));
    assert_int_equal(res, 0);
    assert_int_equal(r2.msg_len, 5);
    assert_memory_equal(buf2, "hello", 5);
    assert_int_equal(ipc_msgq_send(&ipc, &s, Q, "", 0, false, &n), 0);
    assert_ptr_equal(n.woken[0], &r);
    assert_true(ipc_waiter_done(&ipc, &r, &res));
    assert_int_equal(r.msg_len, 0);
    /* Now the queue is used again. */
    assert_int_equal(ipc_msgq_send(&ipc, &s, Q, "x", 1, false, &n), 0);
    assert_int_equal(n.woken_count, 0);
    assert_int_equal(n.irq_count, 1);

    /* A receiver that timed out is not handed anything. */
    assert_int_equal(ipc_msgq_recv(&ipc, &r, Q, buf, sizeof(buf), &len, false, &n), 0);
    assert_int_equal(ipc_msgq_recv(&ipc, &r, Q, buf, sizeof(buf), &len, true, &n), IPC_BLOCKED);
    assert_true(ipc_cancel(&ipc, &r, &res));
    assert_int_equal(ipc_msgq_send(&ipc, &s, Q, "y", 1, false, &n), 0);
    assert_int_equal(n.woken_count, 0);
    assert_int_equal(n.irq_count, 1);
}

/* rx-intid to every receiver on empty -> non-empty; tx-intid to every sender on full -> not. */
static void test_msgq_notifications(void **state)
{
    struct ipc_waiter s0 = waiter(VM0, 0, 0), s2 = waiter(VM2, 0, 0), r1 = waiter(VM1, 0, 0);
    struct ipc_notify n;
    uint8_t buf[Q_MSG];
    size_t len;

    (void)state;
    assert_int_equal(ipc_msgq_send(&ipc, &s0, Q2, "a", 1, false, &n), 0);
    assert_int_equal(n.irq_count, 2);
    assert_int_equal(n.irqs[0].vm, VM1);
    assert_int_equal(n.irqs[0].intid, 43);
    assert_int_equal(n.irqs[1].vm, VM2);
    assert_int_equal(n.irqs[1].intid, 43);
    assert_int_equal(ipc_msgq_send(&ipc, &s2, Q2, "b", 1, false, &n), 0);
    assert_int_equal(n.irq_count, 0); /* already non-empty */
    assert_int_equal(ipc_msgq_recv(&ipc, &r1, Q2, buf, sizeof(buf), &len, false, &n), 0);
    assert_int_equal(n.irq_count, 0); /* Q2 has no tx-intid */

    /* Q: tx-intid 42 to its one sender when a full queue frees a slot. */
    fill(&s0, Q, Q_DEPTH, 0);
    assert_int_equal(ipc_msgq_recv(&ipc, &r1, Q, buf, sizeof(buf), &len, false, &n), 0);
    assert_int_equal(n.irq_count, 1);
    assert_int_equal(n.irqs[0].vm, VM0);
    assert_int_equal(n.irqs[0].intid, 42);
    assert_int_equal(ipc_msgq_recv(&ipc, &r1, Q, buf, sizeof(buf), &len, false, &n), 0);
    assert_int_equal(n.irq_count, 0);
}

/* A VM reset drops that VM's waiters, keeps queued messages and other VMs' waiters. */
static void test_vm_reset(void **state)
{
    struct ipc_waiter s0 = waiter(VM0, 0, 0), s2 = waiter(VM2, 0, 0), r1 = waiter(VM1, 0, 0);
    struct ipc_waiter sw = waiter(VM1, 1, 0), *woken;
    struct ipc_notify n;
    uint8_t buf[Q_MSG];
    size_t len;
    int res;

    (void)state;
    fill(&s0, Q2, 2, 7);
    assert_int_equal(ipc_msgq_send(&ipc, &s0, Q2, "zz", 2, true, &n), IPC_BLOCKED);
    assert_int_equal(ipc_msgq_send(&ipc, &s2, Q2, "yy", 2, true, &n), IPC_BLOCKED);
    assert_int_equal(ipc_sem_wait(&ipc, &sw, SEM, true), IPC_BLOCKED);
    ipc_vm_reset(&ipc, VM0, &n);
    assert_int_equal(n.woken_count, 0);
    assert_int_equal(n.irq_count, 0);
    assert_int_equal(s0.state, IPC_WAIT_IDLE);
    assert_null(s0.src); /* its buffer is forgotten */
    assert_int_equal(s2.state, IPC_WAIT_QUEUED);
    assert_int_equal(sw.state, IPC_WAIT_QUEUED);

    /* The two accepted messages stay; VM2's blocked message follows; VM0's never was. */
    assert_int_equal(recv_u32(&r1, Q2, &n), 7);
    assert_ptr_equal(n.woken[0], &s2);
    assert_int_equal(recv_u32(&r1, Q2, &n), 8);
    assert_int_equal(ipc_msgq_recv(&ipc, &r1, Q2, buf, sizeof(buf), &len, false, &n), 0);
    assert_int_equal(len, 2);
    assert_memory_equal(buf, "yy", 2);
    assert_int_equal(ipc_msgq_recv(&ipc, &r1, Q2, buf, sizeof(buf), &len, false, &n), -BH_EBUSY);

    /* Resetting VM1 drops its semaphore waiter: the next post counts. */
    ipc_vm_reset(&ipc, VM1, &n);
    assert_int_equal(sw.state, IPC_WAIT_IDLE);
    assert_false(ipc_cancel(&ipc, &sw, &res)); /* the glue may still cancel: harmless */
    assert_int_equal(ipc_sem_post(&ipc, VM0, SEM, &woken), 0);
    assert_null(woken);
    assert_int_equal(ipc_sem_wait(&ipc, &s0, SEM, false), 0);
}

/* ------------------------------------------------------------------ info helpers */

static void test_vm_object(void **state)
{
    struct ipc_obj_info info;

    (void)state;
    assert_true(ipc_vm_object(&sc, VM1, DB, &info));
    assert_int_equal(info.id, DB);
    assert_string_equal(info.name, "obj0");
    assert_int_equal(info.type, CFG_CHAN_DOORBELL);
    assert_int_equal(info.rights, CFG_RIGHT_RECV);
    assert_int_equal(info.intid, 40);
    assert_int_equal(info.regs_ipa, VPLAT_IPC_IPA);
    assert_true(ipc_vm_object(&sc, VM0, DB, &info));
    assert_int_equal(info.intid, 0); /* the ringer gets no interrupt */
    assert_false(ipc_vm_object(&sc, VM2, DB, &info));

    assert_true(ipc_vm_object(&sc, VM1, SHM, &info));
    assert_int_equal(info.rights, CFG_RIGHT_READ);
    assert_int_equal(info.shm_ipa, 0x30000000);
    assert_int_equal(info.shm_size, 0x10000);
    assert_int_equal(info.regs_ipa, 0);

    assert_true(ipc_vm_object(&sc, VM2, Q2, &info));
    assert_int_equal(info.rights, CFG_RIGHT_SEND | CFG_RIGHT_RECV);
    assert_int_equal(info.rx_intid, 43);
    assert_int_equal(info.tx_intid, 0);
    assert_int_equal(info.depth, 2);
    assert_int_equal(info.msg_size, Q2_MSG);
    assert_int_equal(info.regs_ipa, VPLAT_IPC_IPA + Q2 * VPLAT_IPC_STRIDE);
    assert_true(ipc_vm_object(&sc, VM0, Q, &info));
    assert_int_equal(info.rx_intid, 0);
    assert_int_equal(info.tx_intid, 42);
    assert_true(ipc_vm_object(&sc, VM1, SEM, &info));
    assert_int_equal(info.sem_max, SEM_MAX);

    assert_false(ipc_vm_object(&sc, VM0, GONE, &info));
    assert_false(ipc_vm_object(&sc, VM0, OBJ_COUNT, &info));
    assert_false(ipc_vm_object(&sc, CFG_MAX_VMS, SEM, &info));

    unsigned count = 0;
    for (unsigned id = 0; id < sc.chan_count; id++) {
        count += ipc_vm_object(&sc, VM0, id, &info);
    }
    assert_int_equal(count, 6); /* every object but GONE */
}

static void test_guest_buf_check(void **state)
{
    const uint64_t base = 0x40000000, size = 0x4000000;

    (void)state;
    assert_int_equal(ipc_guest_buf_check(base, size, base, 16), 0);
    assert_int_equal(ipc_guest_buf_check(base, size, base + size - 16, 16), 0);
    assert_int_equal(ipc_guest_buf_check(base, size, base + size, 0), 0);
    assert_int_equal(ipc_guest_buf_check(base, size, base + 4, 16), -BH_EINVAL);
    assert_int_equal(ipc_guest_buf_check(base, size, base + size - 8, 16), -BH_ERANGE);
    assert_int_equal(ipc_guest_buf_check(base, size, base - 8, 16), -BH_ERANGE);
    assert_int_equal(ipc_guest_buf_check(base, size, base + size, 8), -BH_ERANGE);
    assert_int_equal(ipc_guest_buf_check(base, size, 0, 8), -BH_ERANGE);
    assert_int_equal(ipc_guest_buf_check(base, size, UINT64_MAX - 7, 16), -BH_ERANGE);
    assert_int_equal(ipc_guest_buf_check(base, size, base + 8, UINT64_MAX), -BH_ERANGE);
    assert_int_equal(ipc_guest_buf_check(base, size, base + size + 8, 0), -BH_ERANGE);
}

static void test_abi_result(void **state)
{
    (void)state;
    assert_int_equal(ipc_abi_result(0), BH_OK);
    assert_int_equal(ipc_abi_result(IPC_OWNER_DIED), 1);
    assert_int_equal(ipc_abi_result(-BH_EPERM), BH_E_DENIED);
    assert_int_equal(ipc_abi_result(-BH_ENOENT), BH_E_NOENT);
    assert_int_equal(ipc_abi_result(-BH_ERANGE), BH_E_RANGE);
    assert_int_equal(ipc_abi_result(-BH_EBUSY), BH_E_BUSY);
    assert_int_equal(ipc_abi_result(IPC_BLOCKED), BH_E_BUSY);
    assert_int_equal(ipc_abi_result(-BH_EINVAL), BH_E_INVAL);
    assert_int_equal(ipc_abi_result(-BH_EIO), BH_E_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_limits),
        cmocka_unit_test_setup(test_forged_ids, setup),
        cmocka_unit_test_setup(test_rights, setup),
        cmocka_unit_test_setup(test_lengths, setup),
        cmocka_unit_test_setup(test_waiter_busy, setup),
        cmocka_unit_test_setup(test_doorbell, setup),
        cmocka_unit_test_setup(test_sem_counting, setup),
        cmocka_unit_test_setup(test_sem_wake_order, setup),
        cmocka_unit_test_setup(test_cancel_vs_wake, setup),
        cmocka_unit_test_setup(test_mutex_ownership, setup),
        cmocka_unit_test_setup(test_mutex_owner_died, setup),
        cmocka_unit_test_setup(test_msgq_stream, setup),
        cmocka_unit_test_setup(test_msgq_stream_blocking, setup),
        cmocka_unit_test_setup(test_msgq_blocked_sender, setup),
        cmocka_unit_test_setup(test_msgq_blocked_receiver, setup),
        cmocka_unit_test_setup(test_msgq_notifications, setup),
        cmocka_unit_test_setup(test_vm_reset, setup),
        cmocka_unit_test_setup(test_vm_object, setup),
        cmocka_unit_test(test_guest_buf_check),
        cmocka_unit_test(test_abi_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
