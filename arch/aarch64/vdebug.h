/* SPDX-License-Identifier: MIT */
/*
 * The guest's self-hosted debug registers (ARM DDI 0487 D2 "AArch64 Self-hosted Debug", the
 * registers in D13.3), its ID registers (HCR_EL2.TID3) and its auxiliary control register
 * (HCR_EL2.TACR): all trapped and emulated here (docs/VIRTUAL-CPU.md).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/sysreg.h>

struct vcpu;

/* Debug registers (op0 = 2). DBGB/W{V,C}R<n>_EL1: CRm = n, op2 4..7. */
#define OSDTRRX_EL1_ENC       SYSREG_ENC(2, 0, 0, 0, 2)
#define DBGBVR_EL1_ENC        SYSREG_ENC(2, 0, 0, 0, 4)
#define DBGBCR_EL1_ENC        SYSREG_ENC(2, 0, 0, 0, 5)
#define DBGWVR_EL1_ENC        SYSREG_ENC(2, 0, 0, 0, 6)
#define DBGWCR_EL1_ENC        SYSREG_ENC(2, 0, 0, 0, 7)
#define MDCCINT_EL1_ENC       SYSREG_ENC(2, 0, 0, 2, 0)
#define MDSCR_EL1_ENC         SYSREG_ENC(2, 0, 0, 2, 2)
#define OSDTRTX_EL1_ENC       SYSREG_ENC(2, 0, 0, 3, 2)
#define OSECCR_EL1_ENC        SYSREG_ENC(2, 0, 0, 6, 2)
#define MDRAR_EL1_ENC         SYSREG_ENC(2, 0, 1, 0, 0)
#define OSLAR_EL1_ENC         SYSREG_ENC(2, 0, 1, 0, 4)
#define OSLSR_EL1_ENC         SYSREG_ENC(2, 0, 1, 1, 4)
#define OSDLR_EL1_ENC         SYSREG_ENC(2, 0, 1, 3, 4)
#define DBGPRCR_EL1_ENC       SYSREG_ENC(2, 0, 1, 4, 4)
#define DBGCLAIMSET_EL1_ENC   SYSREG_ENC(2, 0, 7, 8, 6)
#define DBGCLAIMCLR_EL1_ENC   SYSREG_ENC(2, 0, 7, 9, 6)
#define DBGAUTHSTATUS_EL1_ENC SYSREG_ENC(2, 0, 7, 14, 6)
#define MDCCSR_EL0_ENC        SYSREG_ENC(2, 3, 0, 1, 0)
#define DBGDTR_EL0_ENC        SYSREG_ENC(2, 3, 0, 4, 0)
#define DBGDTRRX_EL0_ENC      SYSREG_ENC(2, 3, 0, 5, 0) /* DBGDTRTX_EL0 when written */
/* The breakpoint/watchpoint number n in CRm */
#define DBG_N_ENC_MASK        SYSREG_ENC(0, 0, 0, 15, 0)

/* ID registers: op0 = 3, op1 = 0, CRn = 0, CRm = 1..7, op2 = 0..7 (D17.1.3 table D17-2). */
#define ID_SPACE_ENC          SYSREG_ENC(3, 0, 0, 0, 0)
#define ID_SPACE_ENC_MASK     SYSREG_ENC(0, 0, 0, 7, 7)
#define ACTLR_EL1_ENC         SYSREG_ENC(3, 0, 1, 0, 1)

/* Emulate one trapped debug register access (sysreg_access_fn, arch/aarch64/trap.h). */
int vdebug_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val);
/* An ID register read (HCR_EL2.TID3): the hardware's value, without what the VM lacks. */
int vdebug_id_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val);
/* ACTLR_EL1 (HCR_EL2.TACR): reads the hardware's (reset) value, writes are ignored. */
int vdebug_actlr_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val);

/* Reset this pCPU's debug registers for the vCPU about to start here: breakpoints and
 * watchpoints disabled and zeroed, MDSCR_EL1 zero, the guest's OS lock locked (its
 * cold-reset state), the hardware's OS lock and double lock open. Call on the vCPU's own pCPU before it enters the guest. */
void vdebug_reset_cpu(void);

#define VDEBUG_MAX_BKPTS 16

/* A vCPU's debug state while it is out of a shared pCPU (vdebug_save/vdebug_load). */
struct vdebug_state {
    bool valid; /* false: the guest never touched its debug registers (the reset state) */
    bool oslk, corenpdrq;
    uint64_t mdscr;
    uint64_t bvr[VDEBUG_MAX_BKPTS], bcr[VDEBUG_MAX_BKPTS];
    uint64_t wvr[VDEBUG_MAX_BKPTS], wcr[VDEBUG_MAX_BKPTS];
};

/* Shared pCPUs: save this pCPU's guest debug state into s and reset it (vdebug_reset_cpu);
 * nothing is read when the guest never touched it since the last reset. */
void vdebug_save(struct vdebug_state *s);
/* Load s (saved by vdebug_save) into this pCPU, whose debug state is the reset one. */
void vdebug_load(const struct vdebug_state *s);
