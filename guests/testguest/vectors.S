/* SPDX-License-Identifier: MIT */
/*
 * EL1 exception vector table (ARM ARM D1.10.2): 16 slots of 0x80 bytes. Only "current EL
 * with SP_ELx" sync and IRQ are part of normal operation; every other slot reports an
 * unexpected exception, which ends the test run.
 */
#include "exc.h"

#define VECTOR_TABLE_ALIGN 11   /* VBAR_EL1 bits [10:0] are RES0 */
#define VECTOR_SLOT_ALIGN  7

.macro save_frame
    sub     sp, sp, #EXC_FRAME_SIZE
    stp     x0, x1, [sp, #16 * 0]
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
    stp     x18, x19, [sp, #16 * 9]
    stp     x20, x21, [sp, #16 * 10]
    stp     x22, x23, [sp, #16 * 11]
    stp     x24, x25, [sp, #16 * 12]
    stp     x26, x27, [sp, #16 * 13]
    stp     x28, x29, [sp, #16 * 14]
    mrs     x0, elr_el1
    mrs     x1, spsr_el1
    str     x30, [sp, #16 * 15]
    stp     x0, x1, [sp, #EXC_FRAME_ELR]
.endm

.macro vector_entry handler, kind
    .balign (1 << VECTOR_SLOT_ALIGN)
    save_frame
    mov     x0, sp
    mov     x1, #\kind             /* slot index; only exc_unexpected() uses it */
    bl      \handler
    b       restore_frame
.endm

    .text
    .balign (1 << VECTOR_TABLE_ALIGN)
    .global vectors
vectors:
    vector_entry exc_unexpected, 0    /* current EL, SP_EL0: sync, IRQ, FIQ, SError */
    vector_entry exc_unexpected, 1
    vector_entry exc_unexpected, 2
    vector_entry exc_unexpected, 3
    vector_entry exc_sync, 4          /* current EL, SP_EL1: the ones we expect */
    vector_entry exc_irq, 5
    vector_entry exc_unexpected, 6
    vector_entry exc_unexpected, 7
    vector_entry exc_unexpected, 8    /* lower EL, AArch64 */
    vector_entry exc_unexpected, 9
    vector_entry exc_unexpected, 10
    vector_entry exc_unexpected, 11
    vector_entry exc_unexpected, 12   /* lower EL, AArch32 */
    vector_entry exc_unexpected, 13
    vector_entry exc_unexpected, 14
    vector_entry exc_unexpected, 15

restore_frame:
    ldp     x0, x1, [sp, #EXC_FRAME_ELR]
    msr     elr_el1, x0
    msr     spsr_el1, x1
    ldp     x0, x1, [sp, #16 * 0]
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
    ldp     x18, x19, [sp, #16 * 9]
    ldp     x20, x21, [sp, #16 * 10]
    ldp     x22, x23, [sp, #16 * 11]
    ldp     x24, x25, [sp, #16 * 12]
    ldp     x26, x27, [sp, #16 * 13]
    ldp     x28, x29, [sp, #16 * 14]
    ldr     x30, [sp, #16 * 15]
    add     sp, sp, #EXC_FRAME_SIZE
    eret
