/* SPDX-License-Identifier: MIT */
/*
 * A trip to AArch32 EL0 and back (tg.mode=a32): a32_run(entry, spsr, r1) erets to entry with
 * SPSR_EL1 = spsr and r1 set; the EL0 code ends with an SVC, whose handler (exc.c, slot 12)
 * records what it saw and resumes at a32_resume with the callee-saved registers restored.
 * The EL0 snippets are written as data: the aarch64 assembler does not assemble A32/T32.
 */
    .text
    .global a32_run
    .type a32_run, %function
a32_run:
    stp     x19, x20, [sp, #-96]!
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    adr     x9, a32_saved_sp
    mov     x10, sp
    str     x10, [x9]
    msr     elr_el1, x0
    msr     spsr_el1, x1
    mov     x1, x2
    isb
    eret

    .global a32_resume
a32_resume:
    adr     x9, a32_saved_sp
    ldr     x10, [x9]
    mov     sp, x10
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     x19, x20, [sp], #96
    ret
    .size a32_run, . - a32_run

    .balign 8
a32_saved_sp:
    .quad   0

    /* T32: a 16-bit LDR r0, [r1]; SVC #0; then SVC #1 where a PC stepped by 4 lands. */
    .balign 8
    .global a32_t16_load
a32_t16_load:
    .hword  0x6808, 0xdf00, 0xdf01, 0xdf01

    /* T32: a 32-bit LDR.W r0, [r1, #0]; SVC #0; SVC #1. */
    .balign 8
    .global a32_t32_load
a32_t32_load:
    .hword  0xf8d1, 0x0000, 0xdf00, 0xdf01

    /* A32: LDR r0, [r1]; SVC #0; SVC #1. */
    .balign 8
    .global a32_a32_load
a32_a32_load:
    .word   0xe5910000, 0xef000000, 0xef000001
