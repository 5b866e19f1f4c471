/* SPDX-License-Identifier: MIT */
/*
 * Interrupts for RTOS code: registration of (virtual) interrupt handlers, e.g. the doorbell
 * interrupts of the future hypervisor IPC, and short IRQ-masked critical sections.
 *
 * Handlers run in kernel context with IRQs masked, on the interrupted CPU's kernel stack.
 * They may call the non-blocking API (rt_sem_post, rt_queue_send/recv with RT_NO_WAIT,
 * rt_now, rt_kputs); a task they wake is scheduled when the interrupt returns.
 */
#pragma once

#include <rt/rt.h>

#include "gic.h" /* irq_handler_t, shared with guests/testguest */

#define RT_IRQ_MAX      1020 /* INTIDs 0..1019: SGIs, PPIs, SPIs (GICv3 spec 2.2.1) */
#define RT_IRQ_PRIORITY GIC_IRQ_PRIORITY

/*
 * Install handler for intid and enable it at the GIC (SGI/PPI on this CPU's
 * redistributor; SPI in the distributor, group 1, routed to this CPU). Returns 0,
 * RT_EINVAL (intid out of range, handler NULL) or RT_EBUSY (already registered, e.g. the
 * kernel's timer PPI). Kernel context or task context.
 */
int irq_register(uint32_t intid, irq_handler_t handler);

/* Disable intid and remove its handler. 0, RT_EINVAL or RT_EPERM (not registered). */
int irq_unregister(uint32_t intid);

/* Send SGI intid (0..15) to this CPU; a test and self-notification aid. */
void irq_send_sgi_self(uint32_t intid);

/* Number of times intid was taken since boot. */
uint32_t irq_count(uint32_t intid);

/* Mask IRQs on this CPU and return the previous DAIF; pair with rt_irq_unlock(). */
static inline uint64_t rt_irq_lock(void)
{
    uint64_t daif;

    __asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif) : : "memory");
    return daif;
}

static inline void rt_irq_unlock(uint64_t daif)
{
    __asm__ volatile("msr daif, %0" : : "r"(daif) : "memory");
}
