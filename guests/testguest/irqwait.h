/* SPDX-License-Identifier: MIT */
/*
 * A device's interrupt taken by hand (PSTATE.I set, WFI, IAR), as the pass-through tests do
 * it: drain everything pending, call the device's handler between acknowledge and EOI, and
 * silence the deadline timer that bounds the wait (IMASK) instead of counting it.
 */
#pragma once

#include <stdint.h>

struct irq_wait {
    uint32_t intid;           /* the device's interrupt */
    void (*handler)(void);    /* between acknowledge and EOI; counts into *count */
    const uint32_t *count;    /* deliveries taken so far */
    uint32_t unexpected;      /* other INTIDs (the deadline timer's excepted) */
    uint32_t last_unexpected;
};

/* Acknowledge and handle everything pending. */
void irq_wait_drain(struct irq_wait *w);

/* WFI until *w->count reaches want or timeout_ms passed (a virtual-timer deadline wakes the
 * WFI); interrupts stay masked throughout and DAIF is restored at the end. */
void irq_wait_for(struct irq_wait *w, uint32_t want, uint64_t timeout_ms);
