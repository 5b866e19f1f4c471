// SPDX-License-Identifier: MIT
/*
 * EL2 exception vectors (ARM DDI 0487 D1.10.2). Exceptions from the guest save the full
 * general-purpose frame at the top of this CPU's stack and call C; exceptions taken at EL2
 * itself are hypervisor bugs and go to trap_el2_fault.
 */
#include <asm-offsets.h>

#include "dabt_load.inc"

// x2-x9, x10-x15, x16-x19 into their frame slots (x0, x1 are saved first, by whoever needs
// them as scratch): the short paths save as far as they use, and complete the frame later.
.macro save_x2_x9
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
.endm

.macro save_x10_x15
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
.endm

.macro save_x16_x19
    stp     x16, x17, [sp, #16 * 8]
    stp     x18, x19, [sp, #16 * 9]
.endm

.macro save_x2_x19
    save_x2_x9
    save_x10_x15
    save_x16_x19
.endm

.macro load_x2_x9
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
.endm

.macro load_x10_x15
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
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
    load_x2_x9
    load_x10_x15
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

// spin_lock / spin_unlock of arch/spinlock.h (the ticket lock) on the lock at [\l].
.macro ticket_lock l, t0, t1, t2
.Llock\@:
    ldaxr   \t0, [\l]
    add     \t1, \t0, #0x10000
    stxr    \t2, \t1, [\l]
    cbnz    \t2, .Llock\@
    eor     \t2, \t0, \t0, ror #16     // owner == next: ours at once
    cbz     \t2, .Llocked\@
    lsr     \t1, \t0, #16
    sevl
.Lwait\@:
    wfe
    ldaxrh  \t0, [\l]
    cmp     \t0, \t1
    b.ne    .Lwait\@
.Llocked\@:
.endm

.macro ticket_unlock l, t0
    ldrh    \t0, [\l]
    add     \t0, \t0, #1
    stlrh   \t0, [\l]
.endm

// ICH_LR<\idx>_EL2 = \val, idx 0..15 in a register (the number is part of the instruction),
// then on at \cont. \t: scratch.
.macro lr_write idx, val, t, cont
    adr     \t, .Llrw\@
    add     \t, \t, \idx, lsl #3
    br      \t
.Llrw\@:
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7
    msr     S3_4_C12_C12_\n, \val
    b       \cont
    .endr
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7
    msr     S3_4_C12_C13_\n, \val
    b       \cont
    .endr
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
    ror     x1, x1, #20                 // ESR_EL2[31:20] (EC, IL, ISS[24:20]) in bits 11:0
    cmp     x1, #0x5a0                  // EC_HVC64, IL, every other bit 0: an HVC #0
    b.ne    guest_sync_other            // (HVC #imm != 0 too: C answers it, DEN0028 2.9)
    ubfx    x1, x0, #24, #6             // SMCCC owning entity of the function ID
    cmp     x1, #6                      // BH_SMCCC_OEN_VENDOR_HYP
    b.ne    guest_sync_full
    tbz     w0, #5, guest_hvc_other     // not an IPC call (function numbers 0x20-0x3f)
guest_hvc_short:
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

/*
 * The register-only Bulkhead calls, function numbers 0-2 of the fast SMC64 vendor range
 * (BH_HC_NULL -> BH_OK, BH_HC_VERSION -> BH_ABI_VERSION, BH_HC_VM_ID -> the VM's index),
 * answered here with exactly trap_guest_hvc's outcome (vbh_call's switch, no policy applies
 * to them): x0 = the answer, x1-x3 as they were, exits.hvc counted, and straight back unless
 * vcpu_return_is_noop says otherwise (then the frame is completed, guest_short_tail). Any
 * other function ID (IPC calls excepted, above) takes the hypercall short path.
 */
guest_hvc_other:
    mov     w1, #BH_HC_BASE_
    sub     w1, w0, w1                  // the function number, if a fast SMC64 call
    cmp     w1, #2
    b.hi    guest_hvc_short
    stp     x2, x3, [sp, #16 * 1]
    mrs     x2, tpidr_el2
    adrp    x3, pcpus
    add     x3, x3, :lo12:pcpus
    add     x3, x3, x2, lsl #PCPU_SHIFT
    ldr     x3, [x3, #PCPU_VCPU]        // v
    ldr     x2, [x3, #VCPU_VM]          // vm
    mov     x0, #0                      // BH_HC_NULL: BH_OK
    cbz     w1, 1f
    mov     x0, #BH_ABI_VERSION_        // BH_HC_VERSION
    cmp     w1, #1
    b.eq    1f
    ldr     w0, [x2, #VM_ID]            // BH_HC_VM_ID
1:  ldr     x1, [x3, #VCPU_EXITS_HVC]   // its own counters (vm_stats.h)
    add     x1, x1, #1
    str     x1, [x3, #VCPU_EXITS_HVC]
    ldr     w1, [x2, #VM_STATE]         // vcpu_return_is_noop
    cmp     w1, #VM_RUNNING_
    ldr     w1, [x3, #VCPU_STATE]
    ccmp    w1, #VCPU_RUNNING_, #0, eq
    b.ne    2f
    ldr     w3, [x3, #VCPU_IDX]
    ldr     w1, [x2, #(VM_VGIC + VGIC_DIRTY)]
    lsr     w1, w1, w3
    tbnz    w1, #0, 2f
    add     x1, x2, #(VM_VGIC + VGIC_INBOX)
    ldr     x1, [x1, x3, lsl #3]
    cbnz    x1, 2f
    ldp     x2, x3, [sp, #16 * 1]
    ldr     x1, [sp, #8]
    add     sp, sp, #FRAME_SIZE
    eret
2:  str     x0, [sp]                    // the long way back: the answer in the frame
    ldp     x2, x3, [sp, #16 * 1]
    mrs     x0, elr_el2
    save_x2_x19
    stp     x30, x0, [sp, #16 * 15]
    b       guest_short_tail

guest_sync_other:
    ubfx    x1, x1, #6, #6              // ESR_EL2.EC (from the rotated syndrome)
    cmp     x1, #0x18                   // EC_SYSREG: maybe an IPI (guest_sysreg)
    b.eq    guest_sysreg
    cmp     x1, #0x24                   // EC_DABT_LOW: maybe emulated MMIO (guest_dabt)
    b.eq    guest_dabt
guest_sync_full:
    save_rest
    mov     x0, sp
    bl      trap_guest_sync
    b       guest_exit

// The rest of a frame whose x0-x18, x30 and ELR are saved: x19-x29 and SPSR.
.macro complete_frame
    str     x19, [sp, #8 * 19]
    save_x20_x29
    mrs     x1, spsr_el2
    str     x1, [sp, #FRAME_SPSR]
.endm

/*
 * A stage-2 data abort from AArch64 (SPSR_EL2.M[4] clear; AArch32 EL0 comes through this
 * vector too, EL1 being AArch64) with a valid syndrome (ISV): an access to an emulated
 * device, decoded here with exactly dabt_guest's rules, the device's access function called
 * with only x0-x18, x30 and ELR saved (C preserves x19-x29; with Rt in x19-x29 those are
 * saved too, a store's value is read from the frame and a load writes the register itself):
 *   - ESR ISV set; the IPA from HPFAR_EL2.FIPA and FAR_EL2[11:0];
 *   - the IPA's 64 KiB granule of the device area names one window (mmio_find's table:
 *     mmio.h MMIO_FAST_*) and the IPA is inside it;
 *   - the vCPU's list registers are synced first, as trap_guest_sync does
 *     (vgic_sync_lrs_slow when an LR is in use), so every device, the vGIC's faces
 *     included, sees what it sees in C;
 * then exits.dabt is counted, the value (a write's Rt, xzr 0, zero-extended from the access
 * size; a read 0) goes into the frame's pad word, and access(v, dev, off, size, write,
 * &f->pad) runs. On success mmio_emulated is counted, a read's value goes into Rt's frame
 * slot as mmio_emulate puts it there (only the access size's bits of what the device
 * returned, zero- or, if SSE, sign-extended from there, a W register unless SF; xzr:
 * nowhere), ELR steps over the access (AArch64: IL = 1), and the
 * vCPU goes straight back unless its VM or itself is not running or it has list-register
 * work (dirty, inbox): then trap_guest_mmio_tail (vcpu_return). A refused access:
 * trap_guest_mmio_deny (the mmio_deny record and the external abort, as in C). Anything else
 * (no syndrome, from AArch32, single-stepping (SPSR.SS: arch_skip_insn clears it with the
 * step, so the stepped access completes a step: D2.12), no window or a granule several
 * share, outside the device area, vCPU index not below nr_vcpus): the full C path, with
 * nothing changed. d-mmio-widths
 * checks the decode (every size, sign and zero extension into W and X, xzr, Rt x19-x30, a
 * refused access, an LR in use) against the values the devices must return, and that STATS
 * counts each access once (exit_dabt, mmio_emulated) as C does.
 */
guest_dabt:
    mrs     x0, esr_el2
    tbz     x0, #24, guest_sync_full    // ISV clear: no syndrome to emulate from (C)
    mrs     x1, spsr_el2
    tbnz    w1, #4, guest_sync_full     // from AArch32 (a guest's EL0): C
    tbnz    w1, #21, guest_sync_full    // SPSR.SS, single-stepping: C (arch_skip_insn)
    ubfx    x1, x0, #16, #5             // SRT
    cmp     x1, #18
    b.hi    guest_dabt_hi               // x19-x30 or xzr
guest_dabt_lo:
    save_x2_x9
    save_x10_x15
    stp     x16, x17, [sp, #16 * 8]
    str     x18, [sp, #16 * 9]
    mrs     x2, elr_el2
    stp     x30, x2, [sp, #16 * 15]
    mrs     x2, hpfar_el2
    ubfx    x2, x2, #4, #40             // HPFAR_EL2.FIPA
    mrs     x3, far_el2
    lsl     x2, x2, #12
    bfxil   x2, x3, #0, #12             // the IPA (dabt.c fault_ipa)
    mrs     x3, tpidr_el2
    adrp    x4, pcpus
    add     x4, x4, :lo12:pcpus
    add     x4, x4, x3, lsl #PCPU_SHIFT
    ldr     x4, [x4, #PCPU_VCPU]        // v
    ldr     x5, [x4, #VCPU_VM]          // vm
    ldr     w6, [x4, #VCPU_IDX]
    ldr     w7, [x5, #(VM_VGIC + VGIC_NR_VCPUS_)]
    cmp     w6, w7
    b.hs    guest_dabt_c
    mov     x8, #MMIO_FAST_BASE_
    sub     x8, x2, x8
    lsr     x8, x8, #MMIO_FAST_SHIFT_   // the granule (huge below the area)
    cmp     x8, #MMIO_FAST_SLOTS_
    b.hs    guest_dabt_c
    mov     x11, #VM_MMIO_REGIONS
    add     x11, x5, x11                // &vm->mmio.regions[0]; the slots follow within 4 KiB
    add     x8, x8, x11
    ldrb    w9, [x8, #(VM_MMIO_SLOT - VM_MMIO_REGIONS)]
    sub     w9, w9, #1                  // the window's index: 0 (none) and SEARCH are above
    cmp     w9, #MMIO_MAX_REGIONS_
    b.hs    guest_dabt_c
    mov     x10, #MMIO_REGION_SIZE_
    madd    x9, x9, x10, x11            // r
    ldp     x10, x11, [x9, #MMIO_REGION_IPA] // r->ipa, r->size
    sub     x10, x2, x10                // off
    cmp     x10, x11
    b.hs    guest_dabt_c                // in the granule, not in the window (s2_fault)
    mov     x7, #VGIC_CPU_SIZE
    madd    x7, x6, x7, x5
    ldr     w12, [x7, #(VM_VGIC + VGIC_CPU0_LR_USED)] // LRs in use: synced before the call
// x0 ESR, x1 SRT, x4 v, x5 vm, x9 r, x10 off, w12 lr_used
    ldr     x11, [x4, #VCPU_EXITS_DABT] // its own counters (vm_stats.h)
    add     x11, x11, #1
    str     x11, [x4, #VCPU_EXITS_DABT]
    ubfx    x3, x0, #22, #2             // SAS
    tbnz    w0, #6, guest_dabt_wr       // WnR
    str     xzr, [sp, #FRAME_PAD]       // a read passes 0
guest_dabt_valued:
    cbnz    w12, guest_dabt_sync        // vgic_sync_lrs has work (the value is in hand)
// x0 ESR, x3 SAS, x4 v, x9 r, x10 off
guest_dabt_call:
    stp     x0, x4, [sp, #8 * 19]       // ESR and v in x19/x20's slots until the frame is full
    mov     w7, #1
    lsl     w3, w7, w3                  // size
    ldp     x6, x1, [x9, #MMIO_REGION_ACCESS] // r->access, r->dev
    mov     x2, x10
    ubfx    x10, x0, #6, #1             // write
    mov     x0, x4
    mov     x4, x10
    add     x5, sp, #FRAME_PAD
    blr     x6
    ldp     x1, x4, [sp, #8 * 19]       // ESR, v
    cbnz    w0, guest_dabt_deny
    ldr     x5, [x4, #VCPU_VM]
    ldr     x2, [x4, #VCPU_MMIO_EMULATED]
    add     x2, x2, #1
    str     x2, [x4, #VCPU_MMIO_EMULATED]
    tbnz    w1, #6, 4f                  // a write: nothing to load
    ubfx    x3, x1, #16, #5             // Rt
    ldr     x0, [sp, #FRAME_PAD]
    dabt_load_value guest_dabt_zx, guest_dabt_sse, guest_dabt_sf, guest_dabt_loaded
guest_dabt_loaded:
    cmp     x3, #18
    b.hi    guest_dabt_load_hi          // x19-x30, xzr
    str     x0, [sp, x3, lsl #3]
4:  ldr     x0, [sp, #FRAME_ELR]
    add     x0, x0, #4                  // AArch64: IL = 1
    msr     elr_el2, x0
    ldr     w2, [x5, #VM_STATE]         // vcpu_return_is_noop
    ldr     w3, [x4, #VCPU_STATE]
    cmp     w2, #VM_RUNNING_
    ccmp    w3, #VCPU_RUNNING_, #0, eq
    b.ne    5f
    ldr     w6, [x4, #VCPU_IDX]
    ldr     w2, [x5, #(VM_VGIC + VGIC_DIRTY)]
    add     x3, x5, #(VM_VGIC + VGIC_INBOX)
    ldr     x3, [x3, x6, lsl #3]
    lsr     w2, w2, w6
    tbnz    w2, #0, 5f
    cbnz    x3, 5f
    restore_caller_saved_eret
5:  str     x0, [sp, #FRAME_ELR]        // the long way back: vcpu_return
    complete_frame
    mov     x0, sp
    bl      trap_guest_mmio_tail
    b       guest_exit
// Rt x19-x29 (x30 is in the frame already): their values into their frame slots, which a
// store's value is read from (the device call preserves the registers themselves).
guest_dabt_hi:
    cmp     x1, #31
    b.eq    guest_dabt_lo               // xzr
    str     x19, [sp, #8 * 19]
    save_x20_x29
    b       guest_dabt_lo
// A load into x19-x29 goes into the register itself (C preserved it; nothing restores it
// from the frame on the way back), into x30 through its frame slot, into xzr nowhere.
guest_dabt_load_hi:
    adr     x2, 6f
    sub     x3, x3, #19
    add     x2, x2, x3, lsl #3
    br      x2
6:  .irp n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
    mov     x\n, x0
    b       4b
    .endr
    str     x0, [sp, #8 * 30]
    b       4b
    b       4b                          // xzr
    nop
    dabt_load_value_rare guest_dabt_zx, guest_dabt_sse, guest_dabt_sf, guest_dabt_loaded
// A store: the value of Rt (xzr: 0) zero-extended from the access size into the pad word.
guest_dabt_wr:
    ldr     x6, [sp, x1, lsl #3]        // frame slot Rt (31: ELR, not used)
    cmp     x1, #31
    csel    x6, xzr, x6, eq
    mov     x7, #8
    lsl     x7, x7, x3
    neg     x7, x7                      // 64 - the access's bits (mod 64: 0 for 64)
    lsl     x6, x6, x7
    lsr     x6, x6, x7                  // zero-extended from the access size
    str     x6, [sp, #FRAME_PAD]
    b       guest_dabt_valued
// An LR in use: vgic_sync_lrs_slow(&vm->vgic, idx) before the device, as trap_guest_sync
// does. x19-x22's slots are scratch: a store's value is in the pad word already, a load
// into x19-x29 writes the register, and a frame completed later takes the registers.
guest_dabt_sync:
    stp     x0, x4, [sp, #8 * 19]
    stp     x9, x10, [sp, #8 * 21]
    add     x0, x5, #VM_VGIC
    ldr     w1, [x4, #VCPU_IDX]
    bl      vgic_sync_lrs_slow
    ldp     x0, x4, [sp, #8 * 19]
    ldp     x9, x10, [sp, #8 * 21]
    ubfx    x3, x0, #22, #2             // SAS
    b       guest_dabt_call
// The device refused the access: its record and the abort in C (ELR not stepped).
guest_dabt_deny:
    complete_frame
    mov     x0, sp
    bl      trap_guest_mmio_deny
    b       guest_exit
// Not for the vector (x0-x18, x30, ELR saved, nothing changed): the full C path.
guest_dabt_c:
    complete_frame
    mov     x0, sp
    bl      trap_guest_sync
    b       guest_exit

/*
 * A write of ICC_SGI1R_EL1 (every IPI of a guest) from x0-x19 takes the same kind of short
 * path: trap_guest_sgi posts the SGI, steps ELR over the MSR and returns 0 when the vCPU
 * may go straight back; otherwise the frame is completed and the hypercall's long way back
 * follows (trap_guest_hvc_tail). Any other system register, Rt >= 20 (not in the partial
 * frame), or an MSR the guest is single-stepping (SPSR_EL2.SS set: the step over it must clear
 * SS too, arch_skip_insn, which needs SPSR in the frame) goes the full way.
 *
 * GICv3, Rt <= 15: the usual IPI, one SGI to one other vCPU of the VM on another pCPU, is
 * posted right here, with exactly trap_guest_sgi's outcome (vgic_sgi_send, vm_kick_mask,
 * vcpu_return_is_noop), x0-x15 only: the value names one target by TargetList with RS,
 * Aff1-3 and IRM zero (bits 63:32 and 23:16 clear), the sender's index is below nr_vcpus,
 * the target is not the sender, its pCPU is another one below pcpu_count, and the SGI is
 * enabled there (a disabled one goes into the model under the lock: C). Then the SGI's bit
 * is ORed into the target's inbox (release) and, if it was not already there, the kick
 * SGI goes to the target's pCPU (gicv3_send_sgi1r); ELR steps over the MSR, exits.sysreg is
 * counted, and the vCPU goes straight back unless its VM or itself is not running or it has
 * work of its own (dirty, inbox): then guest_short_tail. Anything else: trap_guest_sgi, with
 * nothing changed yet.
 */
guest_sysreg:
    mrs     x1, esr_el2
    mov     w0, #(ESR_SGI1R_WRITE & 0xffff)
    movk    w0, #(ESR_SGI1R_WRITE >> 16), lsl #16
    eor     w0, w0, w1
    and     w0, w0, #0xfffffc1f         // all but Rt (ISS bits 9:5)
    cbnz    w0, guest_sync_full
    mrs     x0, spsr_el2
    tbnz    w0, #21, guest_sync_full    // SPSR.SS, single-stepping: C (arch_skip_insn)
    ubfx    x0, x1, #5, #5              // Rt
    cmp     x0, #19
    b.hi    guest_sync_full
#if PLAT_GIC_VERSION == 3
    save_x2_x9
    save_x10_x15
    cmp     x0, #15
    b.hi    guest_sgi_c
    ldr     x0, [sp, x0, lsl #3]        // the value written (frame slot Rt)
    lsr     x2, x0, #32
    cbnz    x2, guest_sgi_c             // Aff2, IRM, RS, Aff3 (or RES0 bits): C
    tst     x0, #0xff0000               // Aff1
    b.ne    guest_sgi_c
    mrs     x2, tpidr_el2               // this pCPU
    adrp    x3, pcpus
    add     x3, x3, :lo12:pcpus
    add     x4, x3, x2, lsl #PCPU_SHIFT
    ldr     x4, [x4, #PCPU_VCPU]        // v
    ldr     x5, [x4, #VCPU_VM]          // vm
    ldr     w6, [x4, #VCPU_IDX]         // src
    ldr     w7, [x5, #(VM_VGIC + VGIC_NR_VCPUS_)]
    cmp     w6, w7
    b.hs    guest_sgi_c
    mov     w9, #1
    lsl     w9, w9, w7
    sub     w9, w9, #1                  // VGIC_ALL_VCPUS
    and     w8, w0, w9                  // TargetList (RS = 0) & the VM's vCPUs
    cbz     w8, guest_sgi_c
    sub     w9, w8, #1
    tst     w8, w9
    b.ne    guest_sgi_c                 // more than one
    rbit    w9, w8
    clz     w9, w9                      // t
    cmp     w9, w6
    b.eq    guest_sgi_c                 // to itself
    add     x10, x5, x9, lsl #VCPU_SHIFT
    ldr     w10, [x10, #(VM_VCPUS + VCPU_PCPU)]
    cmp     w10, w2
    b.eq    guest_sgi_c                 // its pCPU is this one (arch_kick_self)
    adrp    x11, pcpu_count
    ldr     w11, [x11, #:lo12:pcpu_count]
    cmp     w10, w11
    b.hs    guest_sgi_c
    ubfx    x11, x0, #24, #4            // INTID
    mov     x12, #VGIC_CPU_SIZE
    madd    x12, x9, x12, x5
    add     x12, x12, #(VM_VGIC + VGIC_CPU)
    mov     x13, #VGIC_IRQ_SIZE
    madd    x12, x11, x13, x12          // &vm->vgic.cpu[t].priv[intid]
    ldrb    w13, [x12, #VGIC_IRQ_ENABLED]
    cbz     w13, guest_sgi_c
    add     x12, x5, #(VM_VGIC + VGIC_INBOX)
    add     x12, x12, x9, lsl #3        // &inbox[t]
    add     x11, x11, #32               // VGIC_INBOX_SGI + intid
    mov     x13, #1
    lsl     x13, x13, x11
1:  ldxr    x14, [x12]                  // __atomic_fetch_or(..., __ATOMIC_RELEASE)
    orr     x15, x14, x13
    stlxr   w11, x15, [x12]
    cbnz    w11, 1b
    tst     x14, x13
    b.ne    2f                          // posted before and not taken: its kick is on its way
    add     x10, x3, x10, lsl #PCPU_SHIFT
    ldr     x10, [x10, #PCPU_KICK_SGI1R]
    dsb     ishst
    msr     S3_0_C12_C11_5, x10         // ICC_SGI1R_EL1: the kick
    isb
2:  mrs     x1, elr_el2
    add     x1, x1, #4                  // EC 0x18 is AArch64 only: IL = 1
    msr     elr_el2, x1
    ldr     x13, [x4, #VCPU_EXITS_SYSREG] // its own counters (vm_stats.h)
    add     x13, x13, #1
    str     x13, [x4, #VCPU_EXITS_SYSREG]
    ldr     w13, [x5, #VM_STATE]        // vcpu_return_is_noop
    ldr     w14, [x4, #VCPU_STATE]
    cmp     w13, #VM_RUNNING_
    ccmp    w14, #VCPU_RUNNING_, #0, eq
    b.ne    3f
    ldr     w13, [x5, #(VM_VGIC + VGIC_DIRTY)]
    lsr     w13, w13, w6
    add     x14, x5, #(VM_VGIC + VGIC_INBOX)
    ldr     x14, [x14, x6, lsl #3]
    tbnz    w13, #0, 3f
    cbnz    x14, 3f
    load_x2_x9
    load_x10_x15
    ldp     x0, x1, [sp, #16 * 0]
    add     sp, sp, #FRAME_SIZE
    eret
3:                                      // the long way back: complete the short frame
    save_x16_x19
    stp     x30, x1, [sp, #16 * 15]
    b       guest_short_tail
// Not the usual IPI: trap_guest_sgi with x0-x15 saved, nothing changed.
guest_sgi_c:
    save_x16_x19
    mrs     x0, elr_el2
#else
    mrs     x0, elr_el2
    save_x2_x19
#endif
    stp     x30, x0, [sp, #16 * 15]
    mov     x0, sp
    bl      trap_guest_sgi
    cbnz    x0, guest_short_tail
    restore_caller_saved_eret

/*
 * Interrupts save only x0-x18 and x30: nothing on the interrupt path reads or changes the
 * guest's other registers, ELR or SPSR (a vCPU that must stop leaves through
 * arch_vcpu_park, on a fresh stack, and a restart builds a whole new frame).
 *
 * GICv3: the vector acknowledges the interrupt itself, and the virtual timer's tick, the
 * interrupt a pinned real-time guest takes most, is handled right here when it has the
 * usual shape (docs/VGIC.md "Timer re-arm", docs/PERFORMANCE.md): exactly what the C path
 * does for it (trap_guest_irq_acked -> irq_handle -> irq_vtimer -> vgic_rearm_hw, then
 * irq_return), with x0-x9 only:
 *   - the INTID is hyp_plat's virtual timer PPI; this pCPU has a vCPU, running, of a running
 *     VM, with no posted edge in its inbox and (one-vCPU VM) not dirty: the way back would
 *     have nothing to do (vgic_sync_flush_lrs with quiet = true);
 *   - an LR of the vCPU holds its priv[INTID], finished by the guest (set in ICH_ELRSR_EL2)
 *     with a shadow of "pending, HW" (vgic_lr_rearmable);
 *   - with several vCPUs, under the vGIC lock, the vCPU is not dirty (vgic_rearm_hw);
 * then the shadow is written back into that LR, the interrupt is priority-dropped (EOImode
 * 1: the guest's deactivation through the HW bit completes it), the exit and the injection
 * are counted (bhctl stats: exits.irq, irqs_injected) and the vCPU goes straight back.
 * Anything else takes the C path with the INTID in hand, as if nothing had been looked at
 * (nothing was changed). h-timer-fast(-icount) checks every tick arrives, through this path
 * and the C path (STATS irqs= against the ticks the guest counted).
 */
guest_irq:
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #16 * 0]
#if PLAT_GIC_VERSION == 3
    save_x2_x9
    mrs     x0, S3_0_C12_C12_0          // ICC_IAR1_EL1 (gicv3_ack)
    and     w0, w0, #0xffffff
    dsb     sy
    adrp    x1, hyp_plat + PLAT_TIMER_VIRT
    ldr     w1, [x1, #:lo12:hyp_plat + PLAT_TIMER_VIRT]
    cmp     w0, w1
    ccmp    w0, #31, #2, eq             // and a private INTID (vgic_rearm_hw); ne: "hi"
    b.hi    guest_irq_other
    mrs     x1, tpidr_el2               // arch_cpu_id_raw
    adrp    x2, pcpus
    add     x2, x2, :lo12:pcpus
    add     x2, x2, x1, lsl #PCPU_SHIFT
    ldr     x2, [x2, #PCPU_VCPU]        // v
    cbz     x2, guest_irq_c
    ldr     w6, [x2, #VCPU_STATE]
    cmp     w6, #VCPU_RUNNING_
    b.ne    guest_irq_c
    ldr     x1, [x2, #VCPU_VM]          // vm
    ldr     w3, [x2, #VCPU_IDX]         // idx
    ldr     w6, [x1, #VM_STATE]
    cmp     w6, #VM_RUNNING_
    b.ne    guest_irq_c
    ldr     w9, [x1, #(VM_VGIC + VGIC_NR_VCPUS_)]
    cmp     w3, w9
    b.hs    guest_irq_c                 // idx < nr_vcpus (vgic_rearm_hw)
    add     x6, x1, #(VM_VGIC + VGIC_INBOX)
    ldr     x6, [x6, x3, lsl #3]        // inbox[idx]: posted edges for the way back
    cbnz    x6, guest_irq_c
    mov     x4, #VGIC_CPU_SIZE
    madd    x4, x3, x4, x1
    add     x4, x4, #(VM_VGIC + VGIC_CPU) // c = &vm->vgic.cpu[idx]
    mov     x5, #VGIC_IRQ_SIZE
    madd    x5, x0, x5, x4              // &c->priv[intid]
    ldr     w6, [x4, #VGIC_CPU_LR_USED]
    add     x4, x4, #VGIC_CPU_LR_IRQ    // &c->lr_irq[0] (x2 stays v, for its counters)
1:  cbz     w6, guest_irq_c             // in no LR
    rbit    w7, w6
    clz     w7, w7                      // i
    ldr     x8, [x4, x7, lsl #3]
    cmp     x8, x5
    b.eq    2f
    sub     w8, w6, #1
    and     w6, w6, w8
    b       1b
2:  mrs     x6, S3_4_C12_C11_5          // ICH_ELRSR_EL2: the guest has finished LR i
    lsr     w6, w6, w7
    tbz     w6, #0, guest_irq_c
    add     x5, x4, #(VGIC_CPU_LR_SHADOW - VGIC_CPU_LR_IRQ)
    ldr     x5, [x5, x7, lsl #3]
    and     x6, x5, #0xe000000000000000 // ICH_LR_STATE | ICH_LR_HW
    eor     x6, x6, #0x6000000000000000 // == ICH_LR_PENDING | ICH_LR_HW
    cbnz    x6, guest_irq_c
    cmp     w9, #1
    b.ne    3f
    ldr     w8, [x1, #(VM_VGIC + VGIC_DIRTY)]
    lsr     w8, w8, w3                  // bit 0: this vCPU is dirty
    tbnz    w8, #0, guest_irq_c         // one vCPU: the way back would flush
    mov     x4, #0                      // no lock to drop
    b       5f
3:  add     x4, x1, #VM_VGIC            // d->lock
    ticket_lock x4, w6, w8, w9
    ldr     w8, [x1, #(VM_VGIC + VGIC_DIRTY)]
    lsr     w8, w8, w3
    tbnz    w8, #0, guest_irq_unlock_c  // a model change first: the C path
5:  lr_write x7, x5, x6, 9f            // arch_vgic_write_lr(i, shadow)
9:  cbz     x4, 10f
    ticket_unlock x4, w6
10: msr     S3_0_C12_C12_1, x0          // ICC_EOIR1_EL1: priority drop (gicv3_eoi)
    ldr     x6, [x2, #VCPU_EXITS_IRQ]   // v's own counters (vm_stats.h)
    ldr     x7, [x2, #VCPU_IRQS_INJECTED]
    add     x6, x6, #1
    add     x7, x7, #1
    str     x6, [x2, #VCPU_EXITS_IRQ]
    str     x7, [x2, #VCPU_IRQS_INJECTED]
    load_x2_x9
    ldp     x0, x1, [sp, #16 * 0]
    add     sp, sp, #FRAME_SIZE
    eret
guest_irq_unlock_c:
    ticket_unlock x4, w6
// Not the tick's usual shape: the C path with the acknowledged INTID (x0); x0-x9 are saved.
guest_irq_c:
    save_x10_x15
guest_irq_c16:                          // (x0-x15 saved)
    save_x16_x19
    str     x30, [sp, #16 * 15]
    bl      trap_guest_irq_acked        // (intid)
    restore_caller_saved_eret

/*
 * The kick SGI (GIC_SGI_KICK), which brings a vCPU SGIs posted by the others (vectors.S
 * guest_sysreg, vgic_sgi_send): what trap_guest_irq_acked does for it, with x0-x15 only,
 * when the vCPU's inbox holds nothing but SGIs. irq_kick_taken (EOIR, DIR; the console
 * drain pCPU, which drains on a kick, goes to C before anything) and the exit count, then
 * irq_return(v, quiet) as vgic_inbox_direct + vgic_inbox_rest do it: under the vGIC lock the
 * inbox is taken, the vCPU must not be dirty, sleeping or have an underflow interrupt armed,
 * and each SGI goes through vgic_edge_direct's rules: targeting this vCPU, edge, not
 * HW-linked, enabled with its group; re-armed in the LR it still holds if the guest finished
 * it (empty in ELRSR, no EOI maintenance owed), or put into a free LR if it is in none and
 * inactive without a latch. Every SGI not taken goes back into the inbox and the rest of the
 * exit runs in C (trap_guest_kick_rest: irq_return, which takes them into the model), as it
 * does when the inbox held SPIs or level raises, or the vCPU is dirty at the end.
 */
guest_irq_other:
    cmp     w0, #GIC_SGI_KICK_
    b.ne    guest_irq_c
    save_x10_x15
    mrs     x1, tpidr_el2
    adrp    x2, hyp_console_drain_cpu
    ldr     w2, [x2, #:lo12:hyp_console_drain_cpu]
    cmp     w2, w1                      // (-1: none)
    b.eq    guest_irq_c16
    adrp    x2, pcpus
    add     x2, x2, :lo12:pcpus
    add     x2, x2, x1, lsl #PCPU_SHIFT
    ldr     x2, [x2, #PCPU_VCPU]        // v
    cbz     x2, guest_irq_c16
    ldr     w6, [x2, #VCPU_STATE]
    ldr     x1, [x2, #VCPU_VM]          // vm
    ldr     w3, [x2, #VCPU_IDX]         // idx
    cmp     w6, #VCPU_RUNNING_
    b.ne    guest_irq_c16
    ldr     w6, [x1, #VM_STATE]
    cmp     w6, #VM_RUNNING_
    b.ne    guest_irq_c16
    ldr     w6, [x1, #(VM_VGIC + VGIC_NR_VCPUS_)]
    cmp     w3, w6
    b.hs    guest_irq_c16
    msr     S3_0_C12_C12_1, x0          // ICC_EOIR1_EL1 (irq_kick_taken)
    msr     S3_0_C12_C11_1, x0          // ICC_DIR_EL1
    ldr     x6, [x2, #VCPU_EXITS_IRQ]   // v's own counters (vm_stats.h)
    add     x6, x6, #1
    str     x6, [x2, #VCPU_EXITS_IRQ]
    add     x2, x1, #VM_VGIC            // d
    add     x5, x2, #VGIC_INBOX
    add     x5, x5, x3, lsl #3          // &d->inbox[idx]
    ldr     x6, [x5]
    cbz     x6, .Lk_quiet
    tst     x6, #0xffff0000ffffffff     // SPIs (31:0), level raises (48)
    b.ne    .Lk_spis
    ticket_lock x2, w7, w8, w9
1:  ldaxr   x6, [x5]                    // __atomic_exchange_n(.., 0, __ATOMIC_ACQUIRE)
    stxr    w7, xzr, [x5]
    cbnz    w7, 1b
    mov     x10, x6                     // what goes back: all of it, unless ...
    tst     x6, #0xffff0000ffffffff
    b.ne    .Lk_back
    ldr     w7, [x2, #VGIC_DIRTY]
    lsr     w7, w7, w3
    tbnz    w7, #0, .Lk_back
    mov     x4, #VGIC_CPU_SIZE
    madd    x4, x3, x4, x2
    add     x4, x4, #VGIC_CPU           // c
    ldrb    w7, [x4, #VGIC_CPU_SLEEPING]
    cbnz    w7, .Lk_back
    mrs     x7, S3_4_C12_C11_0          // ICH_HCR_EL2
    and     x7, x7, #3
    cmp     x7, #1                      // EN, not UIE
    b.ne    .Lk_back
    mov     x10, #0                     // ... only the SGIs not taken
    lsr     x6, x6, #32                 // the SGIs
    mrs     x11, S3_4_C12_C11_5         // ICH_ELRSR_EL2
.Lk_next:
    cbz     w6, .Lk_done
    rbit    w7, w6
    clz     w7, w7                      // n
    mov     w8, #1
    lsl     w8, w8, w7
    bic     w6, w6, w8
    mov     x12, #VGIC_IRQ_SIZE
    madd    x12, x7, x12, x4            // irq = &c->priv[n]
    ldrb    w9, [x12, #VGIC_IRQ_TARGET]
    cmp     w9, w3
    b.ne    .Lk_not
    ldrb    w9, [x12, #VGIC_IRQ_HW]
    ldrb    w14, [x12, #VGIC_IRQ_LEVEL]
    orr     w9, w9, w14
    cbnz    w9, .Lk_not
    ldrb    w9, [x12, #VGIC_IRQ_ENABLED]
    cbz     w9, .Lk_not
    ldrb    w9, [x12, #VGIC_IRQ_GROUP1]
    ldrb    w14, [x2, #VGIC_ENABLE_GRP0]
    ldrb    w15, [x2, #VGIC_ENABLE_GRP1]
    cmp     w9, #0
    csel    w14, w15, w14, ne
    cbz     w14, .Lk_not
    ldrb    w9, [x12, #VGIC_IRQ_LR_VCPU]
    cmp     w9, w3
    b.ne    .Lk_free
    ldr     w9, [x4, #VGIC_CPU_LR_USED] // in an LR of ours (vgic_lr_of)
    add     x15, x4, #VGIC_CPU_LR_IRQ
2:  cbz     w9, .Lk_not
    rbit    w13, w9
    clz     w13, w13                    // i
    ldr     x14, [x15, x13, lsl #3]
    cmp     x14, x12
    b.eq    3f
    sub     w14, w9, #1
    and     w9, w9, w14
    b       2b
3:  lsr     w14, w11, w13
    tbz     w14, #0, .Lk_not            // still pending or active there: the model merges it
    add     x15, x4, #VGIC_CPU_LR_SHADOW
    ldr     x14, [x15, x13, lsl #3]
    tbnz    x14, #41, .Lk_not           // ICH_LR_EOI owed
    b       .Lk_lr
.Lk_free:
    cmp     w9, #VGIC_NO_VCPU_
    b.ne    .Lk_not
    ldrb    w9, [x12, #VGIC_IRQ_ACTIVE]
    ldrb    w14, [x12, #VGIC_IRQ_PENDING_LATCH]
    orr     w9, w9, w14
    cbnz    w9, .Lk_not
    ldr     w9, [x4, #VGIC_CPU_LR_USED]
    ldr     w14, [x2, #VGIC_NR_LRS_]
    mov     w15, #1
    lsl     w15, w15, w14
    sub     w15, w15, #1
    bics    w15, w15, w9                // free LRs
    b.eq    .Lk_not
    rbit    w13, w15
    clz     w13, w13                    // i
    add     x15, x4, #VGIC_CPU_LR_IRQ
    str     x12, [x15, x13, lsl #3]     // lr_irq[i] = irq
    mov     w14, #1
    lsl     w14, w14, w13
    orr     w9, w9, w14
    str     w9, [x4, #VGIC_CPU_LR_USED]
    strb    w3, [x12, #VGIC_IRQ_LR_VCPU]
.Lk_lr:
    strb    wzr, [x12, #VGIC_IRQ_ACTIVE]
    mov     w9, #1
    strb    w9, [x12, #VGIC_IRQ_LR_PENDING]
    strb    wzr, [x12, #VGIC_IRQ_PENDING_LATCH]
    ldrh    w9, [x12, #VGIC_IRQ_INTID]  // VINTID
    ldrb    w14, [x12, #VGIC_IRQ_PRIORITY]
    ldrb    w15, [x2, #VGIC_LR_PRIO_MASK]
    and     w14, w14, w15
    orr     x9, x9, x14, lsl #48        // priority
    ldrb    w14, [x12, #VGIC_IRQ_GROUP1]
    orr     x9, x9, x14, lsl #60        // group
    orr     x9, x9, #0x4000000000000000 // pending
    add     x15, x4, #VGIC_CPU_LR_SHADOW
    str     x9, [x15, x13, lsl #3]
    lr_write x13, x9, x14, .Lk_next
.Lk_not:
    orr     x10, x10, x8, lsl #32       // back into the inbox, for the model
    b       .Lk_next
.Lk_done:
    cbnz    x10, .Lk_back
    ticket_unlock x2, w7
.Lk_quiet:
    ldr     w7, [x2, #VGIC_DIRTY]
    lsr     w7, w7, w3
    tbnz    w7, #0, guest_kick_rest
    load_x10_x15
    load_x2_x9
    ldp     x0, x1, [sp, #16 * 0]
    add     sp, sp, #FRAME_SIZE
    eret
.Lk_back:
    ldxr    x7, [x5]                    // __atomic_fetch_or(.., __ATOMIC_RELAXED)
    orr     x7, x7, x10
    stxr    w8, x7, [x5]
    cbnz    w8, .Lk_back
    ticket_unlock x2, w7
    b       guest_kick_rest
/*
 * Posted SPIs alone in the inbox of a one-vCPU VM: vgic_inbox_direct's lock-free re-arm of
 * each SPI whose LR the guest has finished (vgic_lr_rearmable, HW clear: empty in ELRSR, the
 * shadow "pending" without EOI maintenance); the model, which still believes that state,
 * is not touched. SPIs it cannot re-arm go back into the inbox for C (vgic_inbox_rest).
 */
.Lk_spis:
    lsr     x7, x6, #32
    cbnz    x7, guest_kick_rest         // SGIs or level raises with them: C
    ldr     w7, [x2, #VGIC_NR_VCPUS_]
    cmp     w7, #1
    b.ne    guest_kick_rest
1:  ldaxr   x6, [x5]                    // __atomic_exchange_n(.., 0, __ATOMIC_ACQUIRE)
    stxr    w7, xzr, [x5]
    cbnz    w7, 1b
    mov     x10, x6
    lsr     x7, x6, #32
    cbnz    x7, .Lk_spis_back           // changed since: all back, C
    mov     x10, #0
    mov     x4, #VGIC_CPU_SIZE
    madd    x4, x3, x4, x2
    add     x4, x4, #VGIC_CPU           // c
    mrs     x11, S3_4_C12_C11_5         // ICH_ELRSR_EL2
    add     x12, x4, #VGIC_CPU_LR_IRQ
.Lk_spi_next:
    cbz     w6, .Lk_spis_done
    rbit    w7, w6
    clz     w7, w7                      // k
    mov     w8, #1
    lsl     w8, w8, w7
    bic     w6, w6, w8
    add     x9, x2, #VGIC_OWNED_SPI
    ldrb    w9, [x9, x7]                // owned_spi[k]
    mov     x13, #VGIC_IRQ_SIZE
    add     x14, x2, #VGIC_SPI
    madd    x9, x9, x13, x14            // irq = &d->spi[owned_spi[k]]
    ldr     w13, [x4, #VGIC_CPU_LR_USED] // its LR (vgic_lr_of)
2:  cbz     w13, .Lk_spi_not
    rbit    w14, w13
    clz     w14, w14                    // i
    ldr     x15, [x12, x14, lsl #3]
    cmp     x15, x9
    b.eq    3f
    sub     w15, w13, #1
    and     w13, w13, w15
    b       2b
3:  lsr     w15, w11, w14
    tbz     w15, #0, .Lk_spi_not        // not finished
    add     x15, x4, #VGIC_CPU_LR_SHADOW
    ldr     x15, [x15, x14, lsl #3]
    tbnz    x15, #41, .Lk_spi_not       // ICH_LR_EOI: maintenance owed
    and     x13, x15, #0xe000000000000000 // ICH_LR_STATE | ICH_LR_HW
    eor     x13, x13, #0x4000000000000000 // == ICH_LR_PENDING
    cbnz    x13, .Lk_spi_not
    lr_write x14, x15, x13, .Lk_spi_next
.Lk_spi_not:
    orr     w10, w10, w8
    b       .Lk_spi_next
.Lk_spis_done:
    cbz     x10, .Lk_quiet
.Lk_spis_back:
    ldxr    x7, [x5]                    // __atomic_fetch_or(.., __ATOMIC_RELAXED)
    orr     x7, x7, x10
    stxr    w8, x7, [x5]
    cbnz    w8, .Lk_spis_back
// The rest of the kick's exit in C (irq_return), x0-x15 saved.
guest_kick_rest:
    save_x16_x19
    str     x30, [sp, #16 * 15]
    bl      trap_guest_kick_rest
#else
    save_x2_x19
    str     x30, [sp, #16 * 15]
    mov     x0, sp
    bl      trap_guest_irq
#endif
    restore_caller_saved_eret

// A FIQ: never an interrupt of ours (trap.c trap_guest_fiq: acknowledged as Group 0 and
// disabled, or its signalling stopped); x0-x18 and x30 as on the interrupt paths.
guest_fiq:
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #16 * 0]
    save_x2_x19
    str     x30, [sp, #16 * 15]
    bl      trap_guest_fiq
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
