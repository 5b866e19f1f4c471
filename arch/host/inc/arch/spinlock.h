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

/* Unit tests of a path that lets go of a lock when another is busy: while this is above 0,
 * spin_trylock reports that many free locks busy (held by another pCPU for a moment). */
__attribute__((weak)) int host_spin_trylock_busy;

static inline int spin_trylock(struct spinlock *l)
{
    if (host_spin_trylock_busy > 0) {
        host_spin_trylock_busy--;
        return 0;
    }
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
