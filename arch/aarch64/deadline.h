/* SPDX-License-Identifier: MIT */
/* The arch side of the per-pCPU deadline set (deadline.c, <arch/deadline.h>). */
#pragma once

#include <stdbool.h>

#include <arch/deadline.h>

/* SGI that makes a pCPU reprogram CNTHP after another pCPU moved one of its slots earlier. */
#define GIC_SGI_DEADLINE 1

/* This pCPU: every slot off, CNTHP off (callbacks bound so far are kept). */
void deadline_init_cpu(void);

/* CNTHP's PPI fired on this pCPU: call the owners of every due slot, reprogram. */
void deadline_fire(void);

/* GIC_SGI_DEADLINE: program CNTHP with this pCPU's nearest slot. */
void deadline_program(void);

/* arch_vcpu_wait starts / ends blocking on this pCPU (callbacks get can_stop = false). */
void deadline_wait_begin(void);
void deadline_wait_end(void);

/* A callback returned false during the wait: the wait must end (deadline.h contract). */
bool deadline_wait_must_end(void);

/* The vCPU leaves this pCPU (park): its own slots (wait, physical timer) off; the watchdog's
 * stays, since the VM may still run on its other vCPUs. */
void deadline_park(void);
