// SPDX-License-Identifier: MIT
/*
 * EL2 threads of a shared pCPU (sched_cpu.c): each vCPU there has its own hypervisor stack,
 * with its trap frame at the top, so a vCPU can be switched out wherever EL2 waits for it (a
 * trapped WFI, a blocking call, an interrupt exit) and resumed there. A switch saves what the
 * C calling convention preserves (x19-x30, sp) and the exception registers of the trap being
 * handled (ELR, SPSR, ESR, FAR, HPFAR_EL2: the short paths of vectors.S return with the live
 * ELR/SPSR, and the other vCPU's traps overwrite them); EL2 always runs with interrupts masked.
 * And
 * the guest's FP/SIMD registers, which EL2 never uses (-mgeneral-regs-only).
 */

// void sched_thread_switch(struct sched_thread *from, struct sched_thread *to)
    .global sched_thread_switch
sched_thread_switch:
    stp     x19, x20, [x0, #16 * 0]
    stp     x21, x22, [x0, #16 * 1]
    stp     x23, x24, [x0, #16 * 2]
    stp     x25, x26, [x0, #16 * 3]
    stp     x27, x28, [x0, #16 * 4]
    stp     x29, x30, [x0, #16 * 5]
    mov     x9, sp
    mrs     x10, elr_el2
    stp     x9, x10, [x0, #16 * 6]
    mrs     x9, spsr_el2
    mrs     x10, esr_el2
    stp     x9, x10, [x0, #16 * 7]
    mrs     x9, far_el2
    mrs     x10, hpfar_el2
    stp     x9, x10, [x0, #16 * 8]
    ldp     x19, x20, [x1, #16 * 0]
    ldp     x21, x22, [x1, #16 * 1]
    ldp     x23, x24, [x1, #16 * 2]
    ldp     x25, x26, [x1, #16 * 3]
    ldp     x27, x28, [x1, #16 * 4]
    ldp     x29, x30, [x1, #16 * 5]
    ldp     x9, x10, [x1, #16 * 6]
    mov     sp, x9
    msr     elr_el2, x10
    ldp     x9, x10, [x1, #16 * 7]
    msr     spsr_el2, x9
    msr     esr_el2, x10
    ldp     x9, x10, [x1, #16 * 8]
    msr     far_el2, x9
    msr     hpfar_el2, x10
    ret

// A new thread starts here (x19 = its argument, set by sched_thread_init).
    .global sched_thread_entry
sched_thread_entry:
    mov     x0, x19
    bl      sched_thread_main
    b       .

// void sched_fp_save(uint64_t *buf): q0-q31 (512 bytes), then FPCR, FPSR.
    .global sched_fp_save
sched_fp_save:
    stp     q0, q1, [x0, #32 * 0]
    stp     q2, q3, [x0, #32 * 1]
    stp     q4, q5, [x0, #32 * 2]
    stp     q6, q7, [x0, #32 * 3]
    stp     q8, q9, [x0, #32 * 4]
    stp     q10, q11, [x0, #32 * 5]
    stp     q12, q13, [x0, #32 * 6]
    stp     q14, q15, [x0, #32 * 7]
    stp     q16, q17, [x0, #32 * 8]
    stp     q18, q19, [x0, #32 * 9]
    stp     q20, q21, [x0, #32 * 10]
    stp     q22, q23, [x0, #32 * 11]
    stp     q24, q25, [x0, #32 * 12]
    stp     q26, q27, [x0, #32 * 13]
    stp     q28, q29, [x0, #32 * 14]
    stp     q30, q31, [x0, #32 * 15]
    mrs     x1, fpcr
    mrs     x2, fpsr
    add     x3, x0, #512
    stp     x1, x2, [x3]
    ret

// void sched_fp_load(const uint64_t *buf)
    .global sched_fp_load
sched_fp_load:
    ldp     q0, q1, [x0, #32 * 0]
    ldp     q2, q3, [x0, #32 * 1]
    ldp     q4, q5, [x0, #32 * 2]
    ldp     q6, q7, [x0, #32 * 3]
    ldp     q8, q9, [x0, #32 * 4]
    ldp     q10, q11, [x0, #32 * 5]
    ldp     q12, q13, [x0, #32 * 6]
    ldp     q14, q15, [x0, #32 * 7]
    ldp     q16, q17, [x0, #32 * 8]
    ldp     q18, q19, [x0, #32 * 9]
    ldp     q20, q21, [x0, #32 * 10]
    ldp     q22, q23, [x0, #32 * 11]
    ldp     q24, q25, [x0, #32 * 12]
    ldp     q26, q27, [x0, #32 * 13]
    ldp     q28, q29, [x0, #32 * 14]
    ldp     q30, q31, [x0, #32 * 15]
    add     x3, x0, #512
    ldp     x1, x2, [x3]
    msr     fpcr, x1
    msr     fpsr, x2
    ret
