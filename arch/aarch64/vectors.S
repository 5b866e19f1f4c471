// SPDX-License-Identifier: MIT
/*
 * EL2 exception vectors (ARM DDI 0487 D1.10.2). Exceptions from the guest save the full
 * general-purpose frame at the top of this CPU's stack and call C; exceptions taken at EL2
 * itself are hypervisor bugs and go to trap_el2_fault.
 */
#include <asm-offsets.h>

// x2-x19 into the frame (x0, x1 are saved first, by whoever needs them as scratch).
.macro save_x2_x19
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
    stp     x18, x19, [sp, #16 * 9]
.endm

// x20-x29: what a C callee preserves, so a short path may save them late or never.
.macro save_x20_x29
    stp     x20, x21, [sp, #16 * 10]
    stp     x22, x23, [sp, #16 * 11]
    stp     x24, x25, [sp, #16 * 12]
    stp     x26, x27, [sp, #16 * 13]
    stp     x28, x29, [sp, #16 * 14]
.endm

// The rest of a full frame once x0 and x1 are saved: x2-x30, ELR, SPSR.
.macro save_rest
    save_x2_x19
    save_x20_x29
    mrs     x0, elr_el2
    mrs     x1, spsr_el2
    stp     x30, x0, [sp, #16 * 15]
    str     x1, [sp, #FRAME_SPSR]
.endm

.macro save_frame
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #16 * 0]
    save_rest
.endm

.macro load_x2_x17
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
.endm

// Back to the guest from a short path: x0-x18 and x30 as saved (x19-x29 never left).
.macro restore_caller_saved_eret
    load_x2_x17
    ldr     x18, [sp, #16 * 9]
    ldr     x30, [sp, #16 * 15]
    ldp     x0, x1, [sp, #16 * 0]
    add     sp, sp, #FRAME_SIZE
    eret
.endm

.macro vector_entry label
    .balign 0x80
    b       \label
.endm

    .section .text.vectors, "ax"
    .balign 0x800
    .global el2_vectors
el2_vectors:
    vector_entry el2_sync_sp0
    vector_entry el2_irq_sp0
    vector_entry el2_fiq_sp0
    vector_entry el2_serr_sp0
    vector_entry el2_sync
    vector_entry el2_irq
    vector_entry el2_fiq
    vector_entry el2_serr
    vector_entry guest_sync
    vector_entry guest_irq
    vector_entry guest_fiq
    vector_entry guest_serr
    vector_entry guest_sync         // AArch32 EL0 of a guest: same handling
    vector_entry guest_irq
    vector_entry guest_fiq
    vector_entry guest_serr

.macro el2_fault kind
    save_frame
    mov     x0, sp
    mov     x1, #\kind
    bl      trap_el2_fault
    b       .
.endm

el2_sync_sp0:   el2_fault 0
el2_irq_sp0:    el2_fault 1
el2_fiq_sp0:    el2_fault 2
el2_serr_sp0:   el2_fault 3
el2_sync:       el2_fault 4
el2_irq:        el2_fault 5
el2_fiq:        el2_fault 6
el2_serr:       el2_fault 7

/*
 * Hypercalls to Bulkhead (HVC64 with a vendor-hypervisor function ID, SMCCC OEN 6) take a
 * short path: only what the C calling convention lets a callee clobber (x0-x18, x30) and ELR
 * are saved, since those calls never touch x19-x29, ELR or SPSR (they may block: a wait
 * happens at EL2 with interrupts masked, so nothing overwrites ELR/SPSR). trap_guest_hvc
 * returns 0 when the vCPU may go straight back; otherwise the frame is completed (the guest's
 * x19-x29 are still in their registers, preserved by C) and the usual way back is taken.
 */
guest_sync:
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #16 * 0]
    mrs     x1, esr_el2
    lsr     x1, x1, #26                 // ESR_EL2.EC
    cmp     x1, #0x18                   // EC_SYSREG: maybe an IPI (guest_sgi)
    b.eq    guest_sysreg
    cmp     x1, #0x16                   // EC_HVC64
    ubfx    x1, x0, #24, #6             // SMCCC owning entity of the function ID
    ccmp    x1, #6, #0, eq              // BH_SMCCC_OEN_VENDOR_HYP
    b.ne    guest_sync_full
    mrs     x0, elr_el2
    save_x2_x19
    stp     x30, x0, [sp, #16 * 15]
    mov     x0, sp
    bl      trap_guest_hvc
    cbnz    x0, guest_short_tail
    restore_caller_saved_eret
/* A short path that needs the rest of the exit (its handler returned non-zero): the
 * remaining registers, SPSR, and the common tail (trap_guest_hvc_tail, guest_exit). */
guest_short_tail:
    save_x20_x29
    mrs     x1, spsr_el2
    str     x1, [sp, #FRAME_SPSR]
    mov     x0, sp
    bl      trap_guest_hvc_tail
    b       guest_exit

guest_sync_full:
    save_rest
    mov     x0, sp
    bl      trap_guest_sync
    b       guest_exit

/*
 * A write of ICC_SGI1R_EL1 (every IPI of a guest) from x0-x19 takes the same kind of short
 * path: trap_guest_sgi posts the SGI, steps ELR over the MSR and returns 0 when the vCPU
 * may go straight back; otherwise the frame is completed and the hypercall's long way back
 * follows (trap_guest_hvc_tail). Any other system register, or Rt >= 20 (not in the partial
 * frame), goes the full way.
 */
guest_sysreg:
    mrs     x1, esr_el2
    mov     w0, #(ESR_SGI1R_WRITE & 0xffff)
    movk    w0, #(ESR_SGI1R_WRITE >> 16), lsl #16
    eor     w0, w0, w1
    and     w0, w0, #0xfffffc1f         // all but Rt (ISS bits 9:5)
    cbnz    w0, guest_sync_full
    ubfx    x0, x1, #5, #5              // Rt
    cmp     x0, #19
    b.hi    guest_sync_full
    mrs     x0, elr_el2
    save_x2_x19
    stp     x30, x0, [sp, #16 * 15]
    mov     x0, sp
    bl      trap_guest_sgi
    cbnz    x0, guest_short_tail
    restore_caller_saved_eret

/*
 * Interrupts save only x0-x18 and x30: nothing on the interrupt path reads or changes the
 * guest's other registers, ELR or SPSR (a vCPU that must stop leaves through
 * arch_vcpu_park, on a fresh stack, and a restart builds a whole new frame).
 */
guest_irq:
guest_fiq:
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #16 * 0]
    save_x2_x19
    str     x30, [sp, #16 * 15]
    mov     x0, sp
    bl      trap_guest_irq
    restore_caller_saved_eret

guest_serr:
    save_frame
    mov     x0, sp
    bl      trap_guest_serror
    b       guest_exit

// void guest_enter(struct trap_frame *f): f is at the top of this CPU's stack.
    .global guest_enter
guest_enter:
    mov     sp, x0
guest_exit:
    ldp     x30, x0, [sp, #16 * 15]
    ldr     x1, [sp, #FRAME_SPSR]
    msr     elr_el2, x0
    msr     spsr_el2, x1
    ldp     x0, x1, [sp, #16 * 0]
    load_x2_x17
    ldp     x18, x19, [sp, #16 * 9]
    ldp     x20, x21, [sp, #16 * 10]
    ldp     x22, x23, [sp, #16 * 11]
    ldp     x24, x25, [sp, #16 * 12]
    ldp     x26, x27, [sp, #16 * 13]
    ldp     x28, x29, [sp, #16 * 14]
    add     sp, sp, #FRAME_SIZE
    eret

// void arch_run_on_fresh_stack(void (*fn)(void *), void *arg, void *sp): never returns.
    .global arch_run_on_fresh_stack
arch_run_on_fresh_stack:
    mov     sp, x2
    mov     x3, x0
    mov     x0, x1
    blr     x3
    b       .
