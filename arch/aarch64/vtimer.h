/* SPDX-License-Identifier: MIT */
/*
 * Emulated EL1 physical timer (arch/aarch64/vtimer.c): the trapped CNTP_* accesses and the
 * events that change its output. All run on the vCPU's own pCPU.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/sysreg.h>

struct vcpu;

/* CNTx_CTL_EL0 fields, the same for every Generic Timer (ARM DDI 0487 D11.2.4). */
#define CNT_CTL_ENABLE  BIT(0)
#define CNT_CTL_IMASK   BIT(1)
#define CNT_CTL_ISTATUS BIT(2)

/*
 * sysreg_access_fn (trap.h) for CNTP_TVAL_EL0, CNTP_CTL_EL0 and CNTP_CVAL_EL0 (enc selects
 * which): reads and writes the vCPU's emulated timer and updates its interrupt. Always 0.
 */
int vtimer_ptimer_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val);

/*
 * Bring PPI 30 in line with the timer (asserted while enabled, unmasked and CVAL <= CNTPCT)
 * and, while it waits for its compare value, set the pCPU's ARCH_DEADLINE_PTIMER slot to
 * CVAL so that CNTHP's PPI brings the vCPU out when the output rises. After any change of the
 * timer state, and when that deadline passed.
 */
void vtimer_ptimer_update(struct vcpu *v);

/* The deadline-set callback of this pCPU's ARCH_DEADLINE_PTIMER slot (<arch/deadline.h>):
 * CVAL passed, so the output rises (vtimer_ptimer_update). Always true. */
bool vtimer_ptimer_deadline(void *ctx, bool can_stop);

/* PE reset (vCPU start, PSCI CPU_ON, VM restart): timer disabled, output low, CNTHP off. */
void vtimer_ptimer_reset(struct vcpu *v);
