/* SPDX-License-Identifier: MIT */
/*
 * tg.mode=step (tests_step.c): snippets run under software step (ARM DDI 0487 D2.12), each
 * one instruction the hypervisor emulates or answers, then three NOPs and the way back:
 *
 *     snippet+0   the instruction under test (x0, x1: the arguments of step_run)
 *     snippet+4   nop        <- the first step exception must report this ELR
 *     snippet+8   nop        <- and the second this one (one step per instruction)
 *     snippet+12  nop
 *     snippet+16  b step_back
 *
 * uint64_t step_run(const void *snippet, uint64_t spsr, uint64_t a0, uint64_t a1): ERET
 * into the snippet with SPSR_EL1 = spsr (SS set, D clear: stepping from its first
 * instruction) and x0 = a0, x1 = a1; returns the snippet's x1 (a load's value) when it ends.
 * Every register but SP and the callee-saved ones it restores may change (an HVC's results).
 */
    .text
    .global step_run
    .balign 4
step_run:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    msr     elr_el1, x0
    msr     spsr_el1, x1
    mov     x0, x2
    mov     x1, x3
    eret
step_back:
    mov     x0, x1
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret

.macro snippet name, insn:vararg
    .global \name
    .balign 4
\name:
    \insn
    nop
    nop
    nop
    b       step_back
.endm

// Emulated MMIO: loads and stores of the PL011 and the vGIC distributor.
snippet step_ldr_w,    ldr     w1, [x0]
snippet step_ldrsb_x,  ldrsb   x1, [x0]
snippet step_ldrh_w,   ldrh    w1, [x0]
snippet step_strb_w,   strb    w1, [x0]
snippet step_str_w,    str     w1, [x0]
snippet step_ldr_x20,  ldr     w20, [x0]
// Trapped system registers the hypervisor emulates.
snippet step_msr_actlr, msr    actlr_el1, x1
snippet step_mrs_dfr0,  mrs    x1, id_aa64dfr0_el1
snippet step_msr_sgi1r, msr    S3_0_C12_C11_5, x1     // ICC_SGI1R_EL1
// Calls: HVC (executed: the PE reports SPSR.SS 0) and SMC (trapped, HCR_EL2.TSC).
snippet step_hvc,      hvc     #0
snippet step_smc,      smc     #0
// WFI (HCR_EL2.TWI), with an interrupt pending behind PSTATE.I: it completes at once.
snippet step_wfi,      wfi
