// SPDX-License-Identifier: MIT
/*
 * Waiters are served by their VM's priority, then in arrival order (docs/ABI.md, VM property
 * `priority`), scenario tests/scenarios/i-prio.dts. Three VMs share the semaphore `sem`
 * (initially 0) and the page `board`:
 *   prio-low   (priority 1) blocks in SEM_WAIT first,
 *   prio-high  (priority 9) blocks after it,
 *   prio-post  (priority 0) then posts once, waits until the unit was taken, posts again.
 * The high-priority VM must get the first unit although it arrived second. Each waiter
 * records its role in board.order[] when its wait returns; the poster checks the order.
 * Arrival order is made certain by time: the scenario runs under -icount (deterministic
 * virtual time), and each step waits SETTLE_MS after the previous one's "about to wait" note.
 */
#include "bootargs.h"
#include "report.h"
#include "tests_ipc.h"

#define ROLE_LOW      1u
#define ROLE_HIGH     2u
#define SETTLE_MS     50
#define WAIT_NS       (20000 * IPC_NS_PER_MS)
#define STEP_MS       20000

struct board {
    volatile uint32_t low_waiting, high_waiting;
    volatile uint32_t taken;      /* units taken so far */
    volatile uint32_t order[2];   /* roles in the order they got a unit */
};

static struct board *board_of(struct ipc_obj *sem)
{
    struct ipc_obj shm;

    ipc_dt_need("board", &shm);
    ipc_dt_need("sem", sem);
    return (struct board *)(uintptr_t)shm.shm_ipa;
}

static bool wait_word(volatile uint32_t *w, uint32_t want)
{
    for (uint32_t ms = 0; ms < STEP_MS; ms++) {
        if (*w >= want) {
            return true;
        }
        ipc_delay_ms(1);
    }
    return false;
}

static void __noreturn waiter(uint32_t role)
{
    struct ipc_obj sem;
    struct board *b = board_of(&sem);

    if (role == ROLE_HIGH && !report(wait_word(&b->low_waiting, 1), "prio: low is waiting")) {
        tg_finish();
    }
    if (role == ROLE_HIGH) {
        ipc_delay_ms(SETTLE_MS); /* low is blocked in the hypervisor by now */
    }
    *(role == ROLE_LOW ? &b->low_waiting : &b->high_waiting) = 1;
    dsb_sy();
    int64_t r = ipc_sem_wait(sem.id, WAIT_NS);
    uint32_t slot = b->taken;
    if (slot < 2) {
        b->order[slot] = role;
    }
    b->taken = slot + 1;
    dsb_sy();
    ipc_expect(r, BH_OK, role == ROLE_LOW ? "prio: low's wait" : "prio: high's wait");
    tg_finish();
}

void ipc_role_prio_low(void)
{
    waiter(ROLE_LOW);
}

void ipc_role_prio_high(void)
{
    waiter(ROLE_HIGH);
}

void ipc_role_prio_post(void)
{
    struct ipc_obj sem;
    struct board *b = board_of(&sem);

    if (!report(wait_word(&b->high_waiting, 1), "prio: both waiters arrived (low first)")) {
        tg_finish();
    }
    ipc_delay_ms(SETTLE_MS);
    for (uint32_t i = 1; i <= 2; i++) {
        ipc_expect(ipc_sem_post(sem.id), BH_OK, "prio: post");
        if (!report(wait_word(&b->taken, i), "prio: unit %u taken", i)) {
            tg_finish();
        }
    }
    report(b->order[0] == ROLE_HIGH && b->order[1] == ROLE_LOW,
           "prio: first unit to the priority-9 VM, second to the priority-1 VM that waited "
           "longer (order %u, %u)", b->order[0], b->order[1]);
    tg_finish();
}
