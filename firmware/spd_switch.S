// SPDX-License-Identifier: MIT
/*
 * The world switch's two halves (docs/TRUST.md "The secure partition"), as TF-A's
 * synchronous SP entry and exit: fw_sp_enter saves EL3's callee-saved registers and stack
 * pointer in the context and ERETs into the partition (S-EL1h, D A I F masked) with x0..x7
 * from the context and every other register zero, so nothing of EL3 or the normal world
 * reaches it; the partition's answering SMC arrives through the vectors (head.S lower_sync,
 * fw_trap), and spd.c calls fw_sp_exit, which restores them: fw_sp_enter returns. The EL3
 * frames in between are dropped. Only spd.c calls these, under its lock.
 */
#define SPSR_EL1H_MASKED 0x3c5              // EL1h, D A I F masked
#define CTX_SP      96
#define CTX_X       104
#define CTX_ENTRY   168

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
