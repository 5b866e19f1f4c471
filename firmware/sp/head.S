// SPDX-License-Identifier: MIT
/*
 * The secure partition's entry and vectors (S-EL1, docs/TRUST.md "The secure partition").
 * EL3 enters at sp_entry, EL1h with D A I F masked, x0..x7 = the call, and the partition's
 * EL1 state already set (spd.c: SCTLR_EL1 with the MMU and caches off, a flat identity view
 * of the secure physical address space; VBAR_EL1 = sp_vectors; FP/SIMD enabled): EL1's
 * registers are not banked by security state, so the normal world's are live until then. Every entry starts afresh
 * on the partition's own stack: no register state survives a call, only memory. The answer
 * is one SMC (SPD_DONE). Any exception here (a fault, an undefined instruction, a stack
 * overflow into unmapped space, an SError) takes the vectors, which touch no memory and
 * answer SPD_FAULT: EL3 turns it into an error for the caller and never returns to this one.
 */
#include "spd.h"

#define FRAME_BYTES     64

    .section .text.head, "ax"
    .global sp_entry
sp_entry:
    ldr     x9, =sp_stack_top
    mov     sp, x9
    ldr     x9, =SPD_INIT
    cmp     x0, x9
    b.ne    2f
    ldr     x9, =__bss_start                // the first call clears .bss (hand-over: EL3
    ldr     x10, =__bss_end                 // calls SPD_INIT exactly once, at boot)
1:  cmp     x9, x10
    b.hs    2f
    stp     xzr, xzr, [x9], #16
    b       1b
2:  sub     sp, sp, #FRAME_BYTES
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    mov     x0, sp
    bl      sp_dispatch
    ldp     x1, x2, [sp, #0]
    ldp     x3, x4, [sp, #16]
    ldr     x5, [sp, #32]
    stp     xzr, xzr, [sp, #0]              // nothing of the call stays on the stack
    stp     xzr, xzr, [sp, #16]
    stp     xzr, xzr, [sp, #32]
    stp     xzr, xzr, [sp, #48]
    ldr     x0, =SPD_DONE
    .irp    r, 6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
    mov     x\r, xzr
    .endr
    smc     #0
3:  b       3b                              // EL3 never returns here
    .ltorg

.macro fault
    .balign 0x80
    ldr     x0, =SPD_FAULT
    mrs     x1, esr_el1
    mrs     x2, elr_el1
    smc     #0
4:  b       4b
.endm

    .balign 2048                            // at FW_SP_VECTORS_PA (link.ld.in checks)
    .global sp_vectors
sp_vectors:
    .rept   16
    fault
    .endr
    .ltorg
