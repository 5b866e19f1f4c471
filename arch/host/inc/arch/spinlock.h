/* SPDX-License-Identifier: MIT */
/* Host stand-in for <arch/spinlock.h>: unit tests are single-threaded, so a lock is a flag
 * that catches double locking and unlocking an unlocked lock. */
#pragma once

#include <assert.h>

struct spinlock {
    int held;
};

#define SPINLOCK_INIT { 0 }

static inline void spin_lock_init(struct spinlock *l)
{
    l->held = 0;
}

static inline void spin_lock(struct spinlock *l)
{
    assert(!l->held);
    l->held = 1;
}

static inline void spin_unlock(struct spinlock *l)
{
    assert(l->held);
    l->held = 0;
}

static inline int spin_trylock(struct spinlock *l)
{
    if (l->held) {
        return 0;
    }
    l->held = 1;
    return 1;
}

static inline int spin_is_locked(const struct spinlock *l)
{
    return l->held;
}
