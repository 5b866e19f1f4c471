/* SPDX-License-Identifier: MIT */
/*
 * EL1 virtual timer (ARM ARM D11.2) driven through CNTV_CVAL_EL0 / CNTV_CTL_EL0, plus the
 * wait primitives every test uses: WFI for conditions an interrupt completes, WFE for
 * conditions another CPU completes. Both have a deadline, so a missing SGI or a CPU that
 * never signals becomes a FAIL line instead of a hang; only a virtual timer that never
 * interrupts at all can still stall a WFI wait (the harness timeout covers that).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define MS_PER_S 1000U

typedef bool (*wait_cond_t)(const void *arg);

/* Record the timer INTID and install its handler; once, on the boot CPU. */
void timer_init(uint32_t intid);

/* Per CPU: enable the timer PPI and the counter event stream that bounds WFE waits. */
void timer_cpu_init(void);

/* Per-CPU start of the test and bench guests: index and MPIDR in percpu, this CPU's GIC
 * redistributor and timer, IRQs unmasked. A CPU without a redistributor is fatal. */
void tg_cpu_init(void);

/* Counter frequency in Hz (CNTFRQ_EL0) and current virtual count (CNTVCT_EL0). */
uint64_t timer_freq(void);
uint64_t timer_now(void);
uint64_t timer_ms_to_ticks(uint64_t ms);

/* Start a periodic tick of hz on the calling CPU; ticks count in this_cpu()->timer_ticks. */
void timer_start_periodic(uint32_t hz);

/* Stop the calling CPU's timer (periodic or one-shot). */
void timer_stop(void);

/*
 * Sleep with WFI until cond(arg) is true or timeout_ms elapsed; the condition is expected
 * to be made true by an interrupt on this CPU. WFI lets QEMU -icount skip idle time. The
 * deadline is a one-shot timer, or the periodic ticks if this CPU runs them. IRQs are
 * unmasked while waiting and the caller's DAIF is restored. Returns cond(arg).
 */
bool wait_irq_cond(wait_cond_t cond, const void *arg, uint64_t timeout_ms);

/* Wait with WFE until cond(arg) or timeout_ms; for conditions set by another CPU + SEV. */
bool wait_event_cond(wait_cond_t cond, const void *arg, uint64_t timeout_ms);

/* Sleep for ms milliseconds (WFI on a one-shot timer). */
void timer_delay_ms(uint64_t ms);
