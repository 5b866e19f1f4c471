// SPDX-License-Identifier: MIT
/*
 * Every IPC refusal with its error code (docs/ABI.md "Inter-VM communication", "Errors"),
 * scenario tests/scenarios/i-deny.dts. The prober (tg.ipc=deny) forges IDs, uses objects of
 * the wrong type and objects it is not a member of, passes bad buffers and lengths, posts a
 * full semaphore, relocks its own mutex and unlocks one another VM holds, and finally writes
 * to shared memory mapped read-only (a data abort with fault-policy "abort"); the same
 * through the register pages (aborts for what a page does not have). The peer
 * (tg.ipc=deny-peer) fills the shared memory and, when told to on 'hs_y', takes the mutex,
 * rings the prober and says so on 'hs_x'; it unlocks on the next 'hs_y'.
 *
 * Each refusal also makes the hypervisor emit an `EVT ... kind=ipc_deny` record from a token
 * bucket (32 records, one more every 50 ms): the prober paces its refusals so none is dropped.
 * IDs of objects not in the prober's device tree come from bootargs (tg.ipc_q2, tg.ipc_ysem,
 * tg.ipc_ylock).
 */
#include "bootargs.h"
#include "exc.h"
#include "platform.h"
#include "report.h"
#include "tests_ipc.h"
#include "timer.h"

#define EVT_PACE_MS     55  /* one event token per 50 ms */
#define FORGED_SMALL    31  /* the highest possible ID, unused in the scenario */
#define FORGED_LARGE    1000
#define ID_HIGH_BIT     (UINT64_C(1) << 32) /* a 32-bit truncation would find a real object */
#define MSG_SIZE        64
#define MSG_WORDS       (MSG_SIZE / 8)
#define MISALIGN        4
#define LOW_IPA         0x1000
#define SHORT_NS        (20 * IPC_NS_PER_MS)
#define SHORT_MS        20
#define SLACK_MS        2000
#define HS_WAIT_NS      (20000 * IPC_NS_PER_MS)
#define DB_WAIT_MS      1000
#define PEER_MAGIC      0x5eed0bedU

static uint64_t buf[MSG_WORDS * 2] __aligned(IPC_BUF_ALIGN);
static uint64_t rbuf[MSG_WORDS * 2] __aligned(IPC_BUF_ALIGN);

/* A refusal: check the code, then wait for the next event token. */
static void refused(int64_t got, int64_t want, const char *what)
{
    ipc_expect(got, want, what);
    ipc_delay_ms(EVT_PACE_MS);
}

static void need(const char *name, struct ipc_obj *o, enum ipc_type type)
{
    ipc_dt_need(name, o);
    if (!report(o->type == type, "deny: '%s' is of type %u (id %u rights 0x%x)", name, type,
                o->id, o->rights)) {
        tg_finish();
    }
    ipc_check_info(o);
}

struct deny_objs {
    struct ipc_obj shm, q, sem1, xlock, db, hs_x, hs_y;
    uint64_t q2, ysem, ylock; /* not ours: IDs from bootargs */
};

static void test_forged(const struct deny_objs *o)
{
    refused(ipc_info(FORGED_SMALL), BH_E_NOENT, "forged: IPC_INFO(31)");
    refused(ipc_info(FORGED_LARGE), BH_E_NOENT, "forged: IPC_INFO(1000)");
    refused(ipc_sem_post(FORGED_SMALL), BH_E_NOENT, "forged: SEM_POST(31)");
    refused(ipc_lock(FORGED_LARGE, IPC_NO_WAIT), BH_E_NOENT, "forged: MUTEX_LOCK(1000)");
    refused(ipc_ring(FORGED_LARGE), BH_E_NOENT, "forged: DOORBELL_RING(1000)");
    refused(ipc_send(FORGED_SMALL, (uintptr_t)buf, MSG_SIZE, IPC_NO_WAIT), BH_E_NOENT,
            "forged: MSGQ_SEND(31)");
    refused(ipc_lock(ID_HIGH_BIT | o->xlock.id, IPC_NO_WAIT), BH_E_NOENT,
            "forged: MUTEX_LOCK(2^32 + id of 'xlock')");
}

static void test_wrong_type(const struct deny_objs *o)
{
    refused(ipc_sem_post(o->xlock.id), BH_E_NOENT, "wrong type: SEM_POST on mutex 'xlock'");
    refused(ipc_lock(o->sem1.id, IPC_NO_WAIT), BH_E_NOENT,
            "wrong type: MUTEX_LOCK on semaphore 'sem1'");
    refused(ipc_send(o->sem1.id, (uintptr_t)buf, MSG_SIZE, IPC_NO_WAIT), BH_E_NOENT,
            "wrong type: MSGQ_SEND on semaphore 'sem1'");
    refused(ipc_ring(o->q.id), BH_E_NOENT, "wrong type: DOORBELL_RING on queue 'q'");
    refused(ipc_sem_wait(o->shm.id, IPC_NO_WAIT), BH_E_NOENT,
            "wrong type: SEM_WAIT on shared memory 'shm'");
    refused(ipc_recv(o->db.id, (uintptr_t)rbuf, MSG_SIZE, IPC_NO_WAIT), BH_E_NOENT,
            "wrong type: MSGQ_RECV on doorbell 'db'");
}

static void test_not_member(const struct deny_objs *o)
{
    struct ipc_obj none;

    report(!ipc_dt_find("q2", &none) && !ipc_dt_find("ysem", &none) &&
               !ipc_dt_find("ylock", &none),
           "not member: 'q2', 'ysem', 'ylock' are not in our device tree");
    int64_t r = ipc_info(o->ylock);
    /* NOENT, not DENIED: IPC_INFO must not tell a VM which objects exist (docs/ABI.md) */
    report(r == BH_E_NOENT,
           "not member: IPC_INFO of 'ylock' (id %lu) refused as absent: %ld (%s)", o->ylock, r,
           ipc_err_name(r));
    ipc_delay_ms(EVT_PACE_MS);
    refused(ipc_lock(o->ylock, IPC_NO_WAIT), BH_E_DENIED, "not member: MUTEX_LOCK 'ylock'");
    refused(ipc_sem_wait(o->ysem, IPC_NO_WAIT), BH_E_DENIED, "not member: SEM_WAIT 'ysem'");
    refused(ipc_sem_post(o->ysem), BH_E_DENIED, "not member: SEM_POST 'ysem'");
    refused(ipc_send(o->q2, (uintptr_t)buf, MSG_SIZE, IPC_NO_WAIT), BH_E_DENIED,
            "not member: MSGQ_SEND 'q2'");
    refused(ipc_recv(o->q2, (uintptr_t)rbuf, MSG_SIZE, IPC_NO_WAIT), BH_E_DENIED,
            "not member: MSGQ_RECV 'q2'");
    refused(ipc_ring(o->db.id), BH_E_DENIED, "not member: DOORBELL_RING 'db' (we are its `to`)");
}

static void test_buffers(const struct ipc_obj *q)
{
    uintptr_t ram_end = plat.mem[0].base + plat.mem[0].size;
    uintptr_t b = (uintptr_t)buf, rb = (uintptr_t)rbuf;

    refused(ipc_send(q->id, ram_end, MSG_SIZE, IPC_NO_WAIT), BH_E_RANGE,
            "buffer: MSGQ_SEND from just past RAM");
    refused(ipc_send(q->id, ram_end - 8, MSG_SIZE, IPC_NO_WAIT), BH_E_RANGE,
            "buffer: MSGQ_SEND straddling the end of RAM");
    refused(ipc_send(q->id, LOW_IPA, MSG_SIZE, IPC_NO_WAIT), BH_E_RANGE,
            "buffer: MSGQ_SEND from 0x1000 (below RAM)");
    refused(ipc_send(q->id, plat.gicd_base, MSG_SIZE, IPC_NO_WAIT), BH_E_RANGE,
            "buffer: MSGQ_SEND from the GIC distributor");
    refused(ipc_send(q->id, b + MISALIGN, MSG_SIZE - 8, IPC_NO_WAIT), BH_E_INVAL,
            "buffer: MSGQ_SEND misaligned");
    refused(ipc_send(q->id, b, MSG_SIZE + 1, IPC_NO_WAIT), BH_E_RANGE,
            "length: MSGQ_SEND len 65 > msg-size 64");
    refused(ipc_recv(q->id, rb, MSG_SIZE - 1, IPC_NO_WAIT), BH_E_RANGE,
            "length: MSGQ_RECV cap 63 < msg-size 64");
    refused(ipc_recv(q->id, ram_end, MSG_SIZE, IPC_NO_WAIT), BH_E_RANGE,
            "buffer: MSGQ_RECV into just past RAM");
    refused(ipc_recv(q->id, ram_end - 8, MSG_SIZE, IPC_NO_WAIT), BH_E_RANGE,
            "buffer: MSGQ_RECV straddling the end of RAM");
    refused(ipc_recv(q->id, rb + MISALIGN, MSG_SIZE, IPC_NO_WAIT), BH_E_INVAL,
            "buffer: MSGQ_RECV misaligned");
}

/* The same queue works with good arguments, and full/empty are BUSY or TIMEOUT, no event. */
static void test_queue_ok(const struct ipc_obj *q)
{
    for (uint32_t i = 0; i < MSG_WORDS; i++) {
        buf[i] = PEER_MAGIC + i;
    }
    ipc_expect(ipc_recv(q->id, (uintptr_t)rbuf, MSG_SIZE, IPC_NO_WAIT), BH_E_BUSY,
               "queue: receive from empty queue, no wait (no message leaked by the refusals)");
    uint64_t t0 = timer_now();
    int64_t r = ipc_recv(q->id, (uintptr_t)rbuf, MSG_SIZE, SHORT_NS);
    uint64_t ms = ipc_ticks_to_ms(timer_now() - t0);
    report(r == BH_E_TIMEOUT && ms >= SHORT_MS && ms < SHORT_MS + SLACK_MS,
           "queue: receive with %u ms timeout: %ld (%s) after %lu ms", SHORT_MS, r,
           ipc_err_name(r), ms);
    ipc_expect(ipc_send(q->id, (uintptr_t)buf, MSG_SIZE, IPC_NO_WAIT), BH_OK, "queue: send 64");
    ipc_expect(ipc_send(q->id, (uintptr_t)buf, 0, IPC_NO_WAIT), BH_OK, "queue: send empty");
    for (uint32_t i = q->depth; i > 2; i--) {
        ipc_expect(ipc_send(q->id, (uintptr_t)buf, 8, IPC_NO_WAIT), BH_OK, "queue: fill");
    }
    ipc_expect(ipc_send(q->id, (uintptr_t)buf, 8, IPC_NO_WAIT), BH_E_BUSY,
               "queue: send to full queue, no wait");
    t0 = timer_now();
    r = ipc_send(q->id, (uintptr_t)buf, 8, SHORT_NS);
    ms = ipc_ticks_to_ms(timer_now() - t0);
    report(r == BH_E_TIMEOUT && ms >= SHORT_MS && ms < SHORT_MS + SLACK_MS,
           "queue: send to full queue with %u ms timeout: %ld (%s) after %lu ms", SHORT_MS, r,
           ipc_err_name(r), ms);
    r = ipc_recv(q->id, (uintptr_t)rbuf, MSG_SIZE, IPC_NO_WAIT);
    bool same = r == MSG_SIZE;
    for (uint32_t i = 0; i < MSG_WORDS && same; i++) {
        same = rbuf[i] == buf[i];
    }
    report(same, "queue: first message back: len %ld, contents %s", r, same ? "equal" : "differ");
    ipc_expect(ipc_recv(q->id, (uintptr_t)rbuf, MSG_SIZE, IPC_NO_WAIT), 0,
               "queue: empty message back, length");
    for (uint32_t i = q->depth; i > 2; i--) {
        ipc_expect(ipc_recv(q->id, (uintptr_t)rbuf, MSG_SIZE, IPC_NO_WAIT), 8, "queue: drain");
    }
    /* only the message's bytes are written, not the whole capacity */
    for (uint32_t i = 0; i < MSG_WORDS; i++) {
        rbuf[i] = ~PEER_MAGIC;
    }
    ipc_expect(ipc_send(q->id, (uintptr_t)buf, 8, IPC_NO_WAIT), BH_OK, "queue: send 8");
    r = ipc_recv(q->id, (uintptr_t)rbuf, MSG_SIZE, IPC_NO_WAIT);
    same = r == 8 && rbuf[0] == buf[0];
    for (uint32_t i = 1; i < MSG_WORDS && same; i++) {
        same = rbuf[i] == ~PEER_MAGIC;
    }
    report(same, "queue: an 8-byte message into a 64-byte buffer: len %ld, bytes 8..63 untouched",
           r);
    ipc_expect(ipc_recv(q->id, (uintptr_t)rbuf, MSG_SIZE, IPC_NO_WAIT), BH_E_BUSY,
               "queue: empty again");
}

static void test_sem_mutex(const struct deny_objs *o)
{
    refused(ipc_sem_post(o->sem1.id), BH_E_RANGE, "sem: post 'sem1' beyond max 1");
    ipc_expect(ipc_sem_wait(o->sem1.id, IPC_NO_WAIT), BH_OK, "sem: try-wait 'sem1'");
    ipc_expect(ipc_sem_post(o->sem1.id), BH_OK, "sem: post 'sem1' back to max");

    ipc_expect(ipc_lock(o->xlock.id, IPC_NO_WAIT), BH_OK, "mutex: lock 'xlock'");
    refused(ipc_lock(o->xlock.id, IPC_NO_WAIT), BH_E_INVAL, "mutex: relock by owner, no wait");
    refused(ipc_lock(o->xlock.id, IPC_FOREVER), BH_E_INVAL,
            "mutex: relock by owner, wait forever (no self-deadlock)");
    ipc_expect(ipc_unlock(o->xlock.id), BH_OK, "mutex: unlock 'xlock'");
    refused(ipc_unlock(o->xlock.id), BH_E_DENIED, "mutex: unlock 'xlock' nobody holds");
}

/* The peer holds 'xlock', wrote the shared memory and rang us; then we may not unlock. */
static void test_peer(const struct deny_objs *o)
{
    ipc_expect(ipc_sem_post(o->hs_y.id), BH_OK, "peer: may lock now");
    if (!ipc_expect(ipc_sem_wait(o->hs_x.id, HS_WAIT_NS), BH_OK, "peer: holds 'xlock'")) {
        return;
    }
    /* rung while our SPI was still disabled: an edge stays pending until enabled (GIC 4.1) */
    ipc_spi_enable(o->db.intid);
    volatile uint32_t *shm = (volatile uint32_t *)(uintptr_t)o->shm.shm_ipa;
    report(*shm == PEER_MAGIC, "shm: read-only window shows the peer's write 0x%x", *shm);
    report(ipc_irq_wait(o->db.intid, 1, DB_WAIT_MS) && ipc_irq_count(o->db.intid) == 1,
           "doorbell: peer's ring of 'db' (before we enabled it) arrived as interrupt %u "
           "(%u times)", o->db.intid,
           ipc_irq_count(o->db.intid));
    refused(ipc_unlock(o->xlock.id), BH_E_DENIED, "mutex: unlock 'xlock' held by the peer");
    ipc_expect(ipc_lock(o->xlock.id, IPC_NO_WAIT), BH_E_BUSY, "mutex: try-lock held 'xlock'");
    uint64_t t0 = timer_now();
    int64_t r = ipc_lock(o->xlock.id, SHORT_NS);
    uint64_t ms = ipc_ticks_to_ms(timer_now() - t0);
    report(r == BH_E_TIMEOUT && ms >= SHORT_MS && ms < SHORT_MS + SLACK_MS,
           "mutex: lock held 'xlock' with %u ms timeout: %ld (%s) after %lu ms", SHORT_MS, r,
           ipc_err_name(r), ms);
    ipc_expect(ipc_sem_post(o->hs_y.id), BH_OK, "peer: may unlock now");
    ipc_expect(ipc_lock(o->xlock.id, IPC_FOREVER), BH_OK, "mutex: lock after the peer unlocked");
    ipc_expect(ipc_unlock(o->xlock.id), BH_OK, "mutex: unlock");
}

/* Last: a write to the read-only window is a data abort (fault-policy "abort"). */
/* Register page of object id (docs/ABI.md "IPC register pages"). */
static uintptr_t regs(uint64_t id)
{
    return (uintptr_t)(BH_IPC_MMIO_BASE + id * BH_IPC_MMIO_STRIDE);
}

/* A register-page access the hypervisor must refuse with an abort (and an mmio_deny). */
static void page_abort(bool write, uintptr_t pa, const char *what)
{
    uint32_t val = 0;
    uint64_t esr = 0;
    bool done = write ? probe_write32_esr(pa, BH_IPC_MAGIC, &esr)
                      : probe_read32_esr(pa, &val, &esr);

    report(!done, "regs: %s at 0x%lx aborts (ESR 0x%lx)", what, (uint64_t)pa, esr);
    ipc_delay_ms(EVT_PACE_MS);
}

/* The register pages are the Linux user-space face of the same policy: another VM's object,
 * a read-only register, another type's operation, a length over msg-size. */
static void test_regs(const struct deny_objs *o)
{
    uint32_t magic = 0, len = MSG_SIZE + 1, r = 0;

    report(probe_read32(regs(o->sem1.id) + BH_IPC_REG_MAGIC, &magic) && magic == BH_IPC_MAGIC,
           "regs: 'sem1' page reads its magic (0x%x)", magic);
    page_abort(false, regs(o->ylock) + BH_IPC_REG_MAGIC, "not a member: read of 'ylock'");
    page_abort(true, regs(o->sem1.id) + BH_IPC_REG_MAGIC, "write of read-only MAGIC");
    page_abort(false, regs(o->sem1.id) + BH_IPC_REG_RING, "RING on a semaphore");
    report(probe_write32(regs(o->q.id) + BH_IPC_REG_LEN, len) &&
               probe_read32(regs(o->q.id) + BH_IPC_REG_SEND, &r) && (int32_t)r == BH_E_RANGE,
           "regs: SEND of %u bytes on 'q' (msg-size %u) refused: %d", len, MSG_SIZE,
           (int32_t)r);
    ipc_delay_ms(EVT_PACE_MS);
}

static void test_ro_write(const struct ipc_obj *shm)
{
    uint64_t esr = 0;
    uintptr_t pa = (uintptr_t)shm->shm_ipa;

    report(!(shm->rights & IPC_R_WRITE), "shm: rights 0x%x: read-only", shm->rights);
    bool wrote = probe_write32_esr(pa, ~PEER_MAGIC, &esr);
    report(!wrote && esr_ec(esr) == ESR_EC_DABT_CUR,
           "shm: write to the read-only window: data abort (ESR 0x%lx, EC 0x%x)", esr,
           esr_ec(esr));
    uint32_t v = 0;
    report(probe_read32(pa, &v) && v == PEER_MAGIC, "shm: still 0x%x after the write", v);
}

void ipc_role_deny(void)
{
    struct deny_objs o;

    need("shm", &o.shm, IPC_SHMEM);
    need("q", &o.q, IPC_MSGQ);
    need("sem1", &o.sem1, IPC_SEM);
    need("xlock", &o.xlock, IPC_MUTEX);
    need("db", &o.db, IPC_DOORBELL);
    need("hs_x", &o.hs_x, IPC_SEM);
    need("hs_y", &o.hs_y, IPC_SEM);
    o.q2 = bootarg_get_u64("tg.ipc_q2", FORGED_SMALL);
    o.ysem = bootarg_get_u64("tg.ipc_ysem", FORGED_SMALL);
    o.ylock = bootarg_get_u64("tg.ipc_ylock", FORGED_SMALL);
    report(o.q.msg_size == MSG_SIZE && o.q.depth >= 2 && o.sem1.sem_max == 1 && o.db.intid,
           "deny: queue msg-size %u depth %u, 'sem1' max %u, 'db' interrupt %u", o.q.msg_size,
           o.q.depth, o.sem1.sem_max, o.db.intid);

    test_forged(&o);
    test_wrong_type(&o);
    test_not_member(&o);
    test_buffers(&o.q);
    test_queue_ok(&o.q);
    test_sem_mutex(&o);
    test_peer(&o);
    test_regs(&o);
    test_ro_write(&o.shm);
    report(!ipc_irq_unexpected(), "deny: no unexpected interrupts (%u)", ipc_irq_unexpected());
    tg_finish();
}

void ipc_role_deny_peer(void)
{
    struct ipc_obj shm, xlock, db, hs_x, hs_y;

    need("shm", &shm, IPC_SHMEM);
    need("xlock", &xlock, IPC_MUTEX);
    need("db", &db, IPC_DOORBELL);
    need("hs_x", &hs_x, IPC_SEM);
    need("hs_y", &hs_y, IPC_SEM);
    report((shm.rights & IPC_R_WRITE) && (db.rights & IPC_R_SEND) && !db.intid,
           "peer: 'shm' writable, may ring 'db'");

    *(volatile uint32_t *)(uintptr_t)shm.shm_ipa = PEER_MAGIC;
    dsb_sy();
    ipc_expect(ipc_sem_wait(hs_y.id, HS_WAIT_NS), BH_OK, "peer: wait 'hs_y' (go)");
    ipc_expect(ipc_lock(xlock.id, IPC_FOREVER), BH_OK, "peer: lock 'xlock'");
    ipc_expect(ipc_ring(db.id), BH_OK, "peer: ring 'db'");
    ipc_expect(ipc_sem_post(hs_x.id), BH_OK, "peer: post 'hs_x'");
    ipc_expect(ipc_sem_wait(hs_y.id, HS_WAIT_NS), BH_OK, "peer: wait 'hs_y' (unlock)");
    ipc_expect(ipc_unlock(xlock.id), BH_OK, "peer: unlock 'xlock'");
    tg_finish();
}
