/* SPDX-License-Identifier: MIT */
/*
 * Per-vCPU state of the emulated EL1 physical timer (CNTP_CTL/CVAL/TVAL_EL0, ARM DDI 0487
 * D11 "The Generic Timer"), owned by struct vcpu; arch/aarch64/vtimer.c emulates it. The
 * virtual timer needs no state here: it is the hardware's, live while the vCPU is pinned.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct arch_ptimer {
    uint64_t cval;  /* CNTP_CVAL_EL0: compared with the physical count CNTPCT_EL0 */
    uint32_t ctl;   /* CNTP_CTL_EL0 ENABLE and IMASK (ISTATUS is computed on read) */
    bool level;     /* the timer output as last given to the vGIC (PPI 30) */
};
