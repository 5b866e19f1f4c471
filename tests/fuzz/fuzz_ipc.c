// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the inter-VM communication engine (core/ipc/ipc*.c) behind the IPC
 * hypercalls, called as the EL2 glue calls it, with arbitrary object IDs, VM indices,
 * lengths, priorities and blocking flags, and with timeouts (ipc_cancel), wake-ups
 * (ipc_waiter_done) and VM resets in between. The objects are those of tests/unit/test_ipc.c
 * (doorbell, semaphore, mutex, two queues, shared memory, an invalid channel) with sizes
 * taken from the input.
 *
 * Input: 4 bytes of sizes (semaphore max, queue depth, message size of each queue), then
 * 9-byte records: op, waiter/VM index, object ID (4 bytes LE), length (2 bytes LE), priority.
 *
 * Checked: every result is one the contract allows; a call on a busy waiter never succeeds;
 * a blocked call leaves its waiter queued, a woken one holds a result; semaphore counts stay
 * within max; every received message is one that was sent, intact (a self-describing byte
 * pattern), at its length; the sanitizers see no out-of-bounds copy.
 */
#include <string.h>

#include <bulkhead/abi.h>
#include <core/ipc/ipc.h>

#include "fuzz_input.h"

enum { VM0, VM1, VM2, VM_COUNT };
enum { DB, SEM, MTX, Q, SHM, GONE, Q2, OBJ_COUNT };

#define NR_VCPUS    2
#define NR_WAITERS  (VM_COUNT * NR_VCPUS + 2) /* + a VM index out of range, and a huge one */
#define BUF_MAX     128 /* per-waiter message buffer; queue messages are at most 64 bytes */
#define ID_SPREAD   (OBJ_COUNT + 4) /* IDs beyond the last object, some far beyond */

static struct cfg_scenario sc;
static struct ipc ipc;
static struct ipc_waiter w[NR_WAITERS];
/* Per waiter: a blocked send reads, a blocked receive writes, until it completes. */
static uint8_t sbuf[NR_WAITERS][BUF_MAX], rbuf[NR_WAITERS][BUF_MAX];
static size_t rlen[NR_WAITERS];
static uint8_t seq;

static void build_scenario(struct fuzz_in *in)
{
    memset(&sc, 0, sizeof(sc));
    sc.vm_count = VM_COUNT;
    for (int v = 0; v < VM_COUNT; v++) {
        sc.vms[v].valid = true;
        sc.vms[v].name[0] = (char)('a' + v);
    }
    sc.chan_count = OBJ_COUNT;
    for (int i = 0; i < OBJ_COUNT; i++) {
        sc.chans[i].valid = true;
        sc.chans[i].name[0] = (char)('A' + i);
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
    c->rights[VM2] = CFG_RIGHT_POST;
    c->sem_max = 1u + fuzz_in_u8(in) % 8u;
    c = &sc.chans[MTX];
    c->type = CFG_CHAN_MUTEX;
    c->rights[VM0] = c->rights[VM1] = CFG_RIGHT_LOCK;
    c = &sc.chans[Q];
    c->type = CFG_CHAN_MSGQ;
    c->rights[VM0] = CFG_RIGHT_SEND;
    c->rights[VM1] = CFG_RIGHT_RECV;
    c->depth = 1u + fuzz_in_u8(in) % 8u;
    c->msg_size = 2u + fuzz_in_u8(in) % 63u;
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
    c->msg_size = 2u + fuzz_in_u8(in) % 31u;
    c->rx_intid = 43;
}

/* A message: length, then bytes that follow from the first (checked on receipt). */
static void fill_msg(uint8_t *m, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        m[i] = (uint8_t)(i == 0 ? seq++ : m[0] + i * 7u);
    }
}

static void check_msg(const uint8_t *m, size_t len)
{
    for (size_t i = 1; i < len; i++) {
        FUZZ_CHECK(m[i] == (uint8_t)(m[0] + i * 7u));
    }
}

static void check_woken(struct ipc_waiter *x)
{
    FUZZ_CHECK(x >= &w[0] && x < &w[NR_WAITERS]);
    FUZZ_CHECK(x->state == IPC_WAIT_WOKEN);
}

static void check_notify(const struct ipc_notify *n)
{
    FUZZ_CHECK(n->irq_count <= IPC_NOTIFY_IRQS_MAX && n->woken_count <= IPC_NOTIFY_WOKEN_MAX);
    for (unsigned i = 0; i < n->irq_count; i++) {
        FUZZ_CHECK(n->irqs[i].vm < VM_COUNT && n->irqs[i].intid >= 41 && n->irqs[i].intid <= 43);
    }
    for (unsigned i = 0; i < n->woken_count; i++) {
        check_woken(n->woken[i]);
    }
}

/* A woken (or timed-out) waiter collects its outcome, as the glue does once it is kicked. */
static void collect(unsigned i, int result)
{
    if (w[i].op == IPC_OP_RECV && result == 0) {
        FUZZ_CHECK(w[i].msg_len <= BUF_MAX);
        check_msg(rbuf[i], w[i].msg_len);
    }
}

static void one_op(uint8_t op, unsigned i, unsigned id, size_t len, uint32_t prio)
{
    struct ipc_waiter *x = &w[i], *woken = NULL;
    struct ipc_notify n;
    bool busy = x->state != IPC_WAIT_IDLE;
    unsigned tvm;
    uint32_t intid;
    int r = 0, res;

    memset(&n, 0, sizeof(n));
    if (!busy) {
        x->prio = prio;
    }
    switch (op % 10u) {
    case 0:
        r = ipc_doorbell_ring(&ipc, x->vm, id, &tvm, &intid);
        FUZZ_CHECK(r == 0 || r == -BH_ENOENT || r == -BH_EPERM);
        FUZZ_CHECK(r != 0 || (tvm == VM1 && intid == 40));
        return;
    case 1:
        r = ipc_sem_wait(&ipc, x, id, (op & 0x80u) != 0);
        break;
    case 2:
        r = ipc_sem_post(&ipc, x->vm, id, &woken);
        FUZZ_CHECK(r == 0 || r == -BH_ENOENT || r == -BH_EPERM || r == -BH_ERANGE);
        if (woken != NULL) {
            check_woken(woken);
        }
        return;
    case 3:
        r = ipc_mutex_lock(&ipc, x, id, (op & 0x80u) != 0);
        break;
    case 4:
        r = ipc_mutex_unlock(&ipc, x->vm, x->vcpu, id, &woken);
        FUZZ_CHECK(r == 0 || r == -BH_ENOENT || r == -BH_EPERM);
        if (woken != NULL) {
            check_woken(woken);
        }
        return;
    case 5:
        if (!busy) {
            fill_msg(sbuf[i], len);
        }
        r = ipc_msgq_send(&ipc, x, id, len ? sbuf[i] : NULL, len, (op & 0x80u) != 0, &n);
        check_notify(&n);
        break;
    case 6:
        r = ipc_msgq_recv(&ipc, x, id, rbuf[i], len, &rlen[i], (op & 0x80u) != 0, &n);
        check_notify(&n);
        if (r == 0) {
            FUZZ_CHECK(rlen[i] <= len);
            check_msg(rbuf[i], rlen[i]);
        }
        break;
    case 7:
        if (ipc_cancel(&ipc, x, &res) == false && busy) {
            collect(i, res);
        }
        FUZZ_CHECK(x->state == IPC_WAIT_IDLE);
        return;
    case 8:
        ipc_vm_reset(&ipc, x->vm, &n);
        check_notify(&n);
        return;
    default:
        if (busy && ipc_waiter_done(&ipc, x, &res)) {
            collect(i, res);
            FUZZ_CHECK(x->state == IPC_WAIT_IDLE);
        }
        return;
    }
    /* The calls that take a waiter. */
    FUZZ_CHECK(r == 0 || r == IPC_OWNER_DIED || r == IPC_BLOCKED || r == -BH_ENOENT ||
               r == -BH_EPERM || r == -BH_EINVAL || r == -BH_ERANGE || r == -BH_EBUSY);
    FUZZ_CHECK(!busy || r < 0);
    FUZZ_CHECK((r == IPC_BLOCKED) == (x->state == IPC_WAIT_QUEUED) || busy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };

    build_scenario(&in);
    FUZZ_CHECK(ipc_init(&ipc, &sc) == 0);
    for (unsigned i = 0; i < VM_COUNT * NR_VCPUS; i++) {
        ipc_waiter_init(&w[i], i / NR_VCPUS, i % NR_VCPUS);
    }
    ipc_waiter_init(&w[NR_WAITERS - 2], CFG_MAX_VMS, 0);
    ipc_waiter_init(&w[NR_WAITERS - 1], UINT32_MAX, 0);
    seq = 0;
    while (!fuzz_in_done(&in)) {
        uint8_t op = fuzz_in_u8(&in);
        unsigned i = fuzz_in_u8(&in) % NR_WAITERS;
        uint32_t id = fuzz_in_u32(&in);
        size_t len = fuzz_in_bytes(&in, 2) % (BUF_MAX + 1);
        uint32_t prio = fuzz_in_u8(&in);

        /* Mostly real objects; sometimes an ID far out of range. */
        if ((op & 0x40u) == 0) {
            id %= ID_SPREAD;
        }
        one_op(op, i, id, len, prio);
        FUZZ_CHECK(ipc.objs[SEM].sem_count <= sc.chans[SEM].sem_max);
        FUZZ_CHECK(ipc.objs[Q].q_count <= sc.chans[Q].depth);
        FUZZ_CHECK(ipc.objs[Q2].q_count <= sc.chans[Q2].depth);
    }
    return 0;
}
