/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlock for EL2. Waiters sleep in WFE; the unlock store-release clears the exclusive
 * monitor of waiters, which generates the wake-up event (ARM ARM D1.16.1), so no busy spinning
 * happens even under QEMU's round-robin -icount mode.
 */
#pragma once

#include <stdint.h>

struct spinlock {
    volatile uint16_t owner;
    volatile uint16_t next;
};

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock_init(struct spinlock *l)
{
    l->owner = 0;
    l->next = 0;
}

static inline void spin_lock(struct spinlock *l)
{
    uint32_t tmp, ticket, newval;
    __asm__ volatile(
        "1: ldaxr %w[t], [%[l]]\n"
        "   add   %w[n], %w[t], #0x10000\n"
        "   stxr  %w[tmp], %w[n], [%[l]]\n"
        "   cbnz  %w[tmp], 1b\n"
        "   lsr   %w[n], %w[t], #16\n"
        "   and   %w[t], %w[t], #0xffff\n"
        "   cmp   %w[t], %w[n]\n"
        "   b.eq  3f\n"
        "   sevl\n"
        "2: wfe\n"
        "   ldaxrh %w[t], [%[l]]\n"
        "   cmp   %w[t], %w[n]\n"
        "   b.ne  2b\n"
        "3:\n"
        : [t] "=&r"(ticket), [n] "=&r"(newval), [tmp] "=&r"(tmp)
        : [l] "r"(l)
        : "memory", "cc");
}

static inline void spin_unlock(struct spinlock *l)
{
    uint16_t v = (uint16_t)(l->owner + 1);
    __asm__ volatile("stlrh %w0, [%1]" : : "r"(v), "r"(&l->owner) : "memory");
}

/* Take l only if it is free, without waiting: nonzero when taken. For taking a second lock
 * out of the usual order (a waiter never waits for it, so no cycle can form). */
static inline int spin_trylock(struct spinlock *l)
{
    uint32_t v, tmp;
    __asm__ volatile(
        "1: ldaxr %w[v], [%[l]]\n"
        "   eor   %w[t], %w[v], %w[v], ror #16\n" /* owner == next: free */
        "   cbnz  %w[t], 2f\n"
        "   add   %w[v], %w[v], #0x10000\n"
        "   stxr  %w[t], %w[v], [%[l]]\n"
        "   cbnz  %w[t], 1b\n"
        "   b     3f\n"
        "2: clrex\n"
        "3:\n"
        : [v] "=&r"(v), [t] "=&r"(tmp)
        : [l] "r"(l)
        : "memory", "cc");
    return tmp == 0;
}

/* For BH_ASSERT_LOCKED: true when somebody holds the lock. */
static inline int spin_is_locked(const struct spinlock *l)
{
    return l->owner != l->next;
}
