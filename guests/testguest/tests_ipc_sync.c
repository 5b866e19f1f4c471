// SPDX-License-Identifier: MIT
/*
 * Synchronisation objects across VMs (docs/ABI.md "Inter-VM communication"), scenario
 * tests/scenarios/i-sync.dts:
 *   sync-a  semaphore try-wait and timed wait (CNTVCT-measured timeout), post beyond max;
 *           starts b and c, answers b's doorbells, lets b and c count ('go') and increments
 *           the shared counter with them, waits for b and c on a semaphore ('done') and
 *           checks the counter is exact; then waits three times
 *           for the robust-mutex VM: twice it must get OWNER_DIED, the third time 0;
 *   sync-b  rings a and counts a's answering doorbells (exactly N), increments the counter;
 *   sync-c  rings a doorbell it is not in `from` of (DENIED), increments the counter;
 *   robust  takes a mutex and dies holding it: a stage-2 fault with fault-policy "restart" on
 *           its first boot, PSCI SYSTEM_RESET on its second, a clean unlock on its third (the
 *           boot count survives in shared memory that only this VM maps).
 */
#include "bootargs.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "tests_ipc.h"
#include "timer.h"

#define DEF_INCREMENTS   20000
#define DEF_ROUNDS       200    /* doorbell round trips */
#define COUNTER_VMS      3
#define DB_WAIT_MS       5000
#define DB_SETTLE_MS     50     /* a duplicate doorbell interrupt would have come by then */
#define SEM_WAIT_NS      (30000 * IPC_NS_PER_MS)
#define ROBUST_WAIT_NS   (120000 * IPC_NS_PER_MS) /* "rgo" comes after a's counter phase */
#define SEM_TIMEOUT_MS   100
#define SEM_SHORT_MS     1
#define SEM_SLACK_MS     2000   /* loaded host: a late wake-up is not the point here */
#define ROBUST_ROUNDS    3      /* crash, SYSTEM_RESET, clean unlock */
#define ROBUST_HOLD_MS   100    /* the robust VM holds the lock this long after "rgo" */
#define BOOT_MAGIC       0x524f4200U /* "ROB" and, in the low byte, the boot count */
#define BOOT_MAGIC_MASK  0xffffff00U
#define BOOT_COUNT_MASK  0xffU
#define CRASH_OFFSET     (16 * 0x100000UL) /* 16 MiB past the end of RAM */
#define PSCI_SYSTEM_RESET 0x84000009U

/* ------------------------------------------------------------------ shared counter */

static volatile uint32_t *counter_of(const struct ipc_obj *shm)
{
    return (volatile uint32_t *)(uintptr_t)shm->shm_ipa;
}

static void count_up(const struct ipc_obj *shm, const struct ipc_obj *lock)
{
    uint64_t n = bootarg_get_u64("tg.ipc_count", DEF_INCREMENTS), bad = 0;
    volatile uint32_t *ctr = counter_of(shm);
    int64_t r = 0;
    uint64_t t0 = timer_now();

    for (uint64_t i = 0; i < n; i++) {
        r = ipc_lock(lock->id, IPC_FOREVER);
        if (r != BH_OK) {
            bad++;
            if (r < 0) {
                break;
            }
        }
        uint32_t v = *ctr; /* read-modify-write: only the mutex makes it exact */
        *ctr = v + 1;
        dsb_sy();
        r = ipc_unlock(lock->id);
        if (r != BH_OK) {
            bad++;
            break;
        }
    }
    report(bad == 0, "sync: %lu increments of the shared counter under mutex '%s' (%lu bad "
           "results, last %ld %s) in %lu ms", n, lock->name, bad, r, ipc_err_name(r),
           ipc_ticks_to_ms(timer_now() - t0));
}

static void need_checked(const char *name, struct ipc_obj *o, enum ipc_type type)
{
    ipc_dt_need(name, o);
    if (!report(o->type == type, "sync: '%s' is of type %u", name, type)) {
        tg_finish();
    }
    ipc_check_info(o);
}

/* ------------------------------------------------------------------ sync-a */

static void sem_timeouts(const struct ipc_obj *idle)
{
    ipc_expect(ipc_sem_wait(idle->id, IPC_NO_WAIT), BH_E_BUSY, "sem: try-wait on empty 'idle'");

    uint64_t t0 = timer_now();
    int64_t r = ipc_sem_wait(idle->id, SEM_TIMEOUT_MS * IPC_NS_PER_MS);
    uint64_t ms = ipc_ticks_to_ms(timer_now() - t0);
    report(r == BH_E_TIMEOUT && ms >= SEM_TIMEOUT_MS && ms < SEM_TIMEOUT_MS + SEM_SLACK_MS,
           "sem: wait with %u ms timeout returned %ld (%s) after %lu ms", SEM_TIMEOUT_MS, r,
           ipc_err_name(r), ms);

    t0 = timer_now();
    r = ipc_sem_wait(idle->id, SEM_SHORT_MS * IPC_NS_PER_MS);
    ms = ipc_ticks_to_ms(timer_now() - t0);
    report(r == BH_E_TIMEOUT && ms < SEM_SLACK_MS,
           "sem: wait with %u ms timeout returned %ld (%s) after %lu ms", SEM_SHORT_MS, r,
           ipc_err_name(r), ms);

    ipc_expect(ipc_sem_post(idle->id), BH_OK, "sem: post 'idle' to its max");
    ipc_expect(ipc_sem_post(idle->id), BH_E_RANGE, "sem: post 'idle' beyond max");
    ipc_expect(ipc_sem_wait(idle->id, IPC_NO_WAIT), BH_OK, "sem: try-wait takes the unit");
    ipc_expect(ipc_sem_wait(idle->id, IPC_NO_WAIT), BH_E_BUSY, "sem: try-wait again");
}

/* Answer each of b's rings with one of ours; our interrupt count must be exactly rounds. */
static void doorbell_answer(const struct ipc_obj *ping, const struct ipc_obj *pong)
{
    uint64_t rounds = bootarg_get_u64("tg.ipc_rounds", DEF_ROUNDS), i;
    int64_t r = BH_OK;

    for (i = 0; i < rounds && r == BH_OK; i++) {
        if (!ipc_irq_wait(ping->intid, (uint32_t)i + 1, DB_WAIT_MS)) {
            break;
        }
        r = ipc_ring(pong->id);
    }
    ipc_delay_ms(DB_SETTLE_MS);
    report(i == rounds && r == BH_OK && ipc_irq_count(ping->intid) == rounds,
           "doorbell: '%s' interrupt %u taken %u times for %lu rings, answered %lu (last %ld)",
           ping->name, ping->intid, ipc_irq_count(ping->intid), rounds, i, r);
}

/* Three hand-overs from the robust VM: it died holding the lock twice, then unlocked. */
static void robust_wait(const struct ipc_obj *rlock, const struct ipc_obj *rheld,
                        const struct ipc_obj *rgo)
{
    static const char *const how[ROBUST_ROUNDS] = { "crashed", "reset", "unlocked" };

    for (uint32_t round = 0; round < ROBUST_ROUNDS; round++) {
        int64_t want = round + 1 < ROBUST_ROUNDS ? BH_OWNER_DIED : BH_OK;
        if (!ipc_expect(ipc_sem_wait(rheld->id, ROBUST_WAIT_NS), BH_OK,
                        "robust: the other VM holds 'rlock'")) {
            return;
        }
        ipc_expect(ipc_sem_post(rgo->id), BH_OK, "robust: tell it to let go");
        uint64_t t0 = timer_now();
        int64_t r = ipc_lock(rlock->id, IPC_FOREVER);
        report(r == want, "robust: round %u: owner %s, MUTEX_LOCK returned %ld (%s) after "
               "%lu ms, expected %ld (%s)", round + 1, how[round], r, ipc_err_name(r),
               ipc_ticks_to_ms(timer_now() - t0), want, ipc_err_name(want));
        ipc_expect(ipc_unlock(rlock->id), BH_OK, "robust: unlock");
    }
}

void ipc_role_sync_a(void)
{
    struct ipc_obj shm, lock, start, go, done, idle, ping, pong, rlock, rheld, rgo;

    need_checked("shm", &shm, IPC_SHMEM);
    need_checked("lock", &lock, IPC_MUTEX);
    need_checked("start", &start, IPC_SEM);
    need_checked("go", &go, IPC_SEM);
    need_checked("done", &done, IPC_SEM);
    need_checked("idle", &idle, IPC_SEM);
    need_checked("ping", &ping, IPC_DOORBELL);
    need_checked("pong", &pong, IPC_DOORBELL);
    need_checked("rlock", &rlock, IPC_MUTEX);
    need_checked("rheld", &rheld, IPC_SEM);
    need_checked("rgo", &rgo, IPC_SEM);
    report(ping.intid && (ping.rights & IPC_R_RECV) && !pong.intid &&
               (pong.rights & IPC_R_SEND) && idle.sem_max == 1,
           "sync: 'ping' rings us at %u, we may ring 'pong', 'idle' max %u", ping.intid,
           idle.sem_max);
    ipc_spi_enable(ping.intid);

    sem_timeouts(&idle);

    *counter_of(&shm) = 0;
    dsb_sy();
    for (int i = 0; i < COUNTER_VMS - 1; i++) {
        ipc_expect(ipc_sem_post(start.id), BH_OK, "sync: post 'start'");
    }
    doorbell_answer(&ping, &pong);
    for (int i = 0; i < COUNTER_VMS - 1; i++) {
        ipc_expect(ipc_sem_post(go.id), BH_OK, "sync: post 'go'");
    }
    count_up(&shm, &lock);
    for (int i = 0; i < COUNTER_VMS - 1; i++) {
        ipc_expect(ipc_sem_wait(done.id, SEM_WAIT_NS), BH_OK, "sync: wait 'done'");
    }
    uint32_t total = *counter_of(&shm);
    uint64_t want = COUNTER_VMS * bootarg_get_u64("tg.ipc_count", DEF_INCREMENTS);
    report(total == want, "sync: shared counter = %u after %d VMs, expected %lu", total,
           COUNTER_VMS, want);

    robust_wait(&rlock, &rheld, &rgo);
    report(!ipc_irq_unexpected(), "sync: no unexpected interrupts (%u)", ipc_irq_unexpected());
    tg_finish();
}

/* ------------------------------------------------------------------ sync-b, sync-c */

void ipc_role_sync_b(void)
{
    struct ipc_obj shm, lock, start, go, done, ping, pong;
    uint64_t rounds = bootarg_get_u64("tg.ipc_rounds", DEF_ROUNDS), i;
    int64_t r = BH_OK;

    need_checked("shm", &shm, IPC_SHMEM);
    need_checked("lock", &lock, IPC_MUTEX);
    need_checked("start", &start, IPC_SEM);
    need_checked("go", &go, IPC_SEM);
    need_checked("done", &done, IPC_SEM);
    need_checked("ping", &ping, IPC_DOORBELL);
    need_checked("pong", &pong, IPC_DOORBELL);
    ipc_spi_enable(pong.intid);
    ipc_expect(ipc_sem_wait(start.id, SEM_WAIT_NS), BH_OK, "sync: wait 'start'");

    for (i = 0; i < rounds; i++) {
        r = ipc_ring(ping.id);
        if (r != BH_OK || !ipc_irq_wait(pong.intid, (uint32_t)i + 1, DB_WAIT_MS)) {
            break;
        }
    }
    ipc_delay_ms(DB_SETTLE_MS);
    report(i == rounds && ipc_irq_count(pong.intid) == rounds,
           "doorbell: rang '%s' %lu times (last %ld), '%s' interrupt %u taken %u times",
           ping.name, i, r, pong.name, pong.intid, ipc_irq_count(pong.intid));

    ipc_expect(ipc_sem_wait(go.id, SEM_WAIT_NS), BH_OK, "sync: wait 'go'");
    count_up(&shm, &lock);
    ipc_expect(ipc_sem_post(done.id), BH_OK, "sync: post 'done'");
    report(!ipc_irq_unexpected(), "sync: no unexpected interrupts (%u)", ipc_irq_unexpected());
    tg_finish();
}

void ipc_role_sync_c(void)
{
    struct ipc_obj shm, lock, start, go, done, none;
    uint64_t foreign = bootarg_get_u64("tg.ipc_foreign", UINT32_MAX);

    need_checked("shm", &shm, IPC_SHMEM);
    need_checked("lock", &lock, IPC_MUTEX);
    need_checked("start", &start, IPC_SEM);
    need_checked("go", &go, IPC_SEM);
    need_checked("done", &done, IPC_SEM);
    report(!ipc_dt_find("ping", &none), "sync: doorbell 'ping' (not ours) is not in our DT");
    ipc_expect(ipc_sem_wait(start.id, SEM_WAIT_NS), BH_OK, "sync: wait 'start'");

    ipc_expect(ipc_ring(foreign), BH_E_DENIED, "doorbell: ring 'ping' (id from tg.ipc_foreign) "
               "without being in its `from`");
    ipc_expect(ipc_sem_wait(go.id, SEM_WAIT_NS), BH_OK, "sync: wait 'go'");
    count_up(&shm, &lock);
    ipc_expect(ipc_sem_post(done.id), BH_OK, "sync: post 'done'");
    tg_finish();
}

/* ------------------------------------------------------------------ robust */

void ipc_role_robust(void)
{
    struct ipc_obj mem, rlock, rheld, rgo;

    need_checked("dmem", &mem, IPC_SHMEM);
    need_checked("rlock", &rlock, IPC_MUTEX);
    need_checked("rheld", &rheld, IPC_SEM);
    need_checked("rgo", &rgo, IPC_SEM);

    /* shared memory is not reloaded with the VM: the boot count survives restarts */
    volatile uint32_t *flag = counter_of(&mem);
    uint32_t v = *flag;
    uint32_t boot = (v & BOOT_MAGIC_MASK) == BOOT_MAGIC ? (v & BOOT_COUNT_MASK) + 1 : 1;
    *flag = BOOT_MAGIC | boot;
    dsb_sy();
    tg_print("robust: boot %u", boot);

    if (!ipc_expect(ipc_lock(rlock.id, IPC_FOREVER), BH_OK, "robust: lock 'rlock'")) {
        tg_finish();
    }
    ipc_expect(ipc_sem_post(rheld.id), BH_OK, "robust: post 'rheld'");
    if (!ipc_expect(ipc_sem_wait(rgo.id, ROBUST_WAIT_NS), BH_OK, "robust: wait 'rgo'")) {
        tg_finish();
    }
    if (boot < ROBUST_ROUNDS) {
        ipc_delay_ms(ROBUST_HOLD_MS); /* the other VM is blocked on the lock by now */
    }
    if (boot == 1) {
        uintptr_t target = platform_mem_highest_end() + CRASH_OFFSET;
        tg_print("robust: crashing while holding 'rlock': reading 0x%lx outside RAM", target);
        (void)*(volatile uint32_t *)target;
        tg_fatal("robust: read of 0x%lx outside RAM did not fault", target);
    }
    if (boot == 2) {
        tg_print("robust: SYSTEM_RESET while holding 'rlock'");
        int64_t r = psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
        tg_fatal("robust: SYSTEM_RESET returned %ld", r);
    }
    ipc_expect(ipc_unlock(rlock.id), BH_OK, "robust: unlock 'rlock'");
    ipc_expect(ipc_unlock(rlock.id), BH_E_DENIED, "robust: unlock 'rlock' again (not owner)");
    tg_finish();
}
