// SPDX-License-Identifier: MIT
/*
 * spin_trylock of arch/aarch64/inc/arch/spinlock.h, run under qemu-aarch64: a free lock is
 * taken (and is then held, as by spin_lock), a held one is not and stays as it was, at every
 * ticket value including the 16-bit wrap; and two threads taking it with spin_trylock or
 * spin_lock exclude each other (a counter incremented under it loses nothing).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "../../arch/aarch64/inc/arch/spinlock.h"

#define ROUNDS 20000

static struct spinlock shared = SPINLOCK_INIT;
static volatile unsigned long counter;
static unsigned fails;

static void check(int ok, const char *what, unsigned t)
{
    if (!ok) {
        printf("FAIL trylock %s (ticket %u)\n", what, t);
        fails++;
    }
}

static void *worker(void *arg)
{
    int use_try = arg != NULL;

    for (unsigned i = 0; i < ROUNDS; i++) {
        if (use_try) {
            while (!spin_trylock(&shared)) {
            }
        } else {
            spin_lock(&shared);
        }
        counter = counter + 1;
        spin_unlock(&shared);
    }
    return NULL;
}

int main(void)
{
    static const unsigned tickets[] = { 0, 1, 0x7fff, 0xfffe, 0xffff };
    pthread_t a, b;

    for (unsigned k = 0; k < sizeof(tickets) / sizeof(tickets[0]); k++) {
        struct spinlock l = { (uint16_t)tickets[k], (uint16_t)tickets[k] };
        check(spin_trylock(&l), "of a free lock", tickets[k]);
        check(spin_is_locked(&l), "leaves it held", tickets[k]);
        check(!spin_trylock(&l), "of a held lock", tickets[k]);
        check(l.owner == (uint16_t)tickets[k] && l.next == (uint16_t)(tickets[k] + 1),
              "changes a held lock", tickets[k]);
        spin_unlock(&l);
        check(!spin_is_locked(&l), "then unlock frees it", tickets[k]);
        if (fails != 0) {
            break; /* spin_lock would wait for ever on what it left */
        }
        spin_lock(&l);
        check(!spin_trylock(&l), "of a lock taken by spin_lock", tickets[k]);
        spin_unlock(&l);
        check(spin_trylock(&l), "after spin_unlock", tickets[k]);
    }
    if (fails != 0) { /* the threads could wait for ever on a broken lock */
        printf("arch spinlock: %u failed\n", fails);
        return 1;
    }
    pthread_create(&a, NULL, worker, (void *)1);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    check(counter == 2ul * ROUNDS, "excludes a spin_lock holder", 0);
    printf("arch spinlock: counter %lu of %u, %u failed\n", counter, 2 * ROUNDS, fails);
    return fails != 0;
}
