// SPDX-License-Identifier: MIT
/* Bakery lock (L. Lamport, CACM 17(8), 1974) with WFE waits; see lock.h for why. */
#include "lock.h"

void bakery_lock(struct bakery_lock *lock)
{
    uint32_t me = cpu_idx();
    uint32_t max = 0;

    WRITE_ONCE(lock->choosing[me], 1);
    dmb_sy();
    for (uint32_t j = 0; j < TG_MAX_CPUS; j++) {
        uint32_t n = READ_ONCE(lock->number[j]);
        max = n > max ? n : max;
    }
    WRITE_ONCE(lock->number[me], max + 1);
    dmb_sy();
    WRITE_ONCE(lock->choosing[me], 0);
    dsb_sy();
    sev();

    uint32_t mine = max + 1;
    for (uint32_t j = 0; j < TG_MAX_CPUS; j++) {
        if (j == me) {
            continue;
        }
        while (READ_ONCE(lock->choosing[j])) {
            wfe();
        }
        dmb_sy();
        for (;;) {
            uint32_t n = READ_ONCE(lock->number[j]);
            /* j goes first if it holds a smaller ticket, ties broken by CPU index */
            if (n == 0 || n > mine || (n == mine && j > me)) {
                break;
            }
            wfe();
        }
    }
    dmb_sy();
}

void bakery_unlock(struct bakery_lock *lock)
{
    dmb_sy();
    WRITE_ONCE(lock->number[cpu_idx()], 0);
    dsb_sy();
    sev();
}

bool bakery_is_mine(const struct bakery_lock *lock)
{
    return READ_ONCE(lock->number[cpu_idx()]) != 0;
}
