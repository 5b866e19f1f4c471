// SPDX-License-Identifier: MIT
/*
 * The world switch's two halves (docs/TRUST.md "The secure partition"), as TF-A's
 * synchronous SP entry and exit: fw_sp_enter saves EL3's callee-saved registers and stack
 * pointer in the context and ERETs into the partition (S-EL1h, D A I F masked) with x0..x7
 * from the context and every other register zero, so nothing of EL3 or the normal world
 * reaches it (the FP/SIMD registers are saved here and restored on the way back: the
 * partition's BearSSL uses them); the partition's answering SMC arrives through the vectors (head.S lower_sync,
 * fw_trap), and spd.c calls fw_sp_exit, which restores them: fw_sp_enter returns. The EL3
 * frames in between are dropped. Only spd.c calls these, under its lock.
 */
#define SPSR_EL1H_MASKED 0x3c5              // EL1h, D A I F masked
#define CTX_SP      96
#define CTX_X       104
#define CTX_ENTRY   168
#define CTX_FP      176                     // q0..q31, then FPCR, FPSR

    .text
// void fw_sp_enter(struct spd_ctx *c)
    .global fw_sp_enter
fw_sp_enter:
    stp     x19, x20, [x0, #0]
    stp     x21, x22, [x0, #16]
    stp     x23, x24, [x0, #32]
    stp     x25, x26, [x0, #48]
    stp     x27, x28, [x0, #64]
    stp     x29, x30, [x0, #80]
    mov     x9, sp
    str     x9, [x0, #CTX_SP]
    add     x9, x0, #CTX_FP                 // the normal world's FP/SIMD state: the partition's
    stp     q0, q1, [x9, #0]                // BearSSL uses the vector registers
    stp     q2, q3, [x9, #32]
    stp     q4, q5, [x9, #64]
    stp     q6, q7, [x9, #96]
    stp     q8, q9, [x9, #128]
    stp     q10, q11, [x9, #160]
    stp     q12, q13, [x9, #192]
    stp     q14, q15, [x9, #224]
    stp     q16, q17, [x9, #256]
    stp     q18, q19, [x9, #288]
    stp     q20, q21, [x9, #320]
    stp     q22, q23, [x9, #352]
    stp     q24, q25, [x9, #384]
    stp     q26, q27, [x9, #416]
    stp     q28, q29, [x9, #448]
    stp     q30, q31, [x9, #480]
    mrs     x10, fpcr
    mrs     x11, fpsr
    str     x10, [x9, #512]
    str     x11, [x9, #520]
    ldr     x9, [x0, #CTX_ENTRY]
    msr     elr_el3, x9
    mov     x9, #SPSR_EL1H_MASKED
    msr     spsr_el3, x9
    mov     x9, x0
    ldp     x0, x1, [x9, #CTX_X]
    ldp     x2, x3, [x9, #CTX_X + 16]
    ldp     x4, x5, [x9, #CTX_X + 32]
    ldp     x6, x7, [x9, #CTX_X + 48]
    .irp    r, 8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
    mov     x\r, xzr
    .endr
    isb
    eret

// void fw_sp_exit(struct spd_ctx *c): never returns to its caller; fw_sp_enter returns.
    .global fw_sp_exit
fw_sp_exit:
    ldp     x19, x20, [x0, #0]
    ldp     x21, x22, [x0, #16]
    ldp     x23, x24, [x0, #32]
    ldp     x25, x26, [x0, #48]
    ldp     x27, x28, [x0, #64]
    ldp     x29, x30, [x0, #80]
    ldr     x9, [x0, #CTX_SP]
    mov     sp, x9
    add     x9, x0, #CTX_FP
    ldp     q0, q1, [x9, #0]
    ldp     q2, q3, [x9, #32]
    ldp     q4, q5, [x9, #64]
    ldp     q6, q7, [x9, #96]
    ldp     q8, q9, [x9, #128]
    ldp     q10, q11, [x9, #160]
    ldp     q12, q13, [x9, #192]
    ldp     q14, q15, [x9, #224]
    ldp     q16, q17, [x9, #256]
    ldp     q18, q19, [x9, #288]
    ldp     q20, q21, [x9, #320]
    ldp     q22, q23, [x9, #352]
    ldp     q24, q25, [x9, #384]
    ldp     q26, q27, [x9, #416]
    ldp     q28, q29, [x9, #448]
    ldp     q30, q31, [x9, #480]
    ldr     x10, [x9, #512]
    ldr     x11, [x9, #520]
    msr     fpcr, x10
    msr     fpsr, x11
    ret

// The partition's image (build/fw/sp.bin, or the test firmware's), in the firmware's .data:
// spd_load copies it to FW_SP_PA and wipes this copy (the device root key is in it).
    .section .data.sp_blob, "aw"
    .balign 16
    .global sp_blob_start, sp_blob_end
sp_blob_start:
    .incbin FW_SP_BIN
    .balign 16
sp_blob_end:
