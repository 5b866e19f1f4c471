/* SPDX-License-Identifier: MIT */
/*
 * Lamport's bakery lock. With the MMU off every data access is Device-nGnRnE, where
 * load/store-exclusive support is IMPLEMENTATION DEFINED (ARM ARM B2.9.3), so the guest
 * serialises with plain single-writer words, barriers and WFE/SEV instead of atomics.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "tg.h"

struct bakery_lock {
    uint32_t choosing[TG_MAX_CPUS];
    uint32_t number[TG_MAX_CPUS];
};

/* Take the lock; waits in WFE. Not reentrant: check bakery_is_mine() first if unsure. */
void bakery_lock(struct bakery_lock *lock);

/* Release the lock taken by the calling CPU and wake waiters with SEV. */
void bakery_unlock(struct bakery_lock *lock);

/* True if the calling CPU holds (or is queueing for) the lock. */
bool bakery_is_mine(const struct bakery_lock *lock);
