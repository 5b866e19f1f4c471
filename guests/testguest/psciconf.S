/* SPDX-License-Identifier: MIT */
/*
 * Raw pieces for tg.mode=psciconf (tests_psciconf.c), which C cannot express:
 *  - an SMCCC call with every one of x0-x17 given and read back, through HVC or SMC with a
 *    chosen immediate (what a conformance suite or a hostile guest does);
 *  - CPU_ON made while SCTLR_EL1.EE is set (the target must start big endian, DEN0022D 6.4);
 *  - the entry stub a CPU_ON'd vCPU records its entry state with, before touching anything;
 *  - a save / resume pair, so that the calling vCPU comes back into C from a powerdown
 *    CPU_SUSPEND, or from CPU_OFF followed by another vCPU's CPU_ON of it (the revive stub).
 * The guest runs with the MMU off: every store here is visible to the other vCPU.
 */

#define SCTLR_EE_BIT   25
#define FID_CPU_OFF    0x84000002
#define FID_CPU_ON64   0xc4000003
#define FID_AFF_INFO64 0xc4000004

.macro fid reg, id
    movz    \reg, #((\id) & 0xffff)
    movk    \reg, #((\id) >> 16), lsl #16
.endm

/* void name(const uint64_t in[18], uint64_t out[18]): x0-x17 = in, the call, out = x0-x17. */
.macro regs_call name, insn
    .global \name
    .type \name, %function
\name:
    stp     x19, x20, [sp, #-16]!
    mov     x19, x1
    mov     x20, x0
    ldp     x0, x1, [x20, #0]
    ldp     x2, x3, [x20, #16]
    ldp     x4, x5, [x20, #32]
    ldp     x6, x7, [x20, #48]
    ldp     x8, x9, [x20, #64]
    ldp     x10, x11, [x20, #80]
    ldp     x12, x13, [x20, #96]
    ldp     x14, x15, [x20, #112]
    ldp     x16, x17, [x20, #128]
    \insn
    stp     x0, x1, [x19, #0]
    stp     x2, x3, [x19, #16]
    stp     x4, x5, [x19, #32]
    stp     x6, x7, [x19, #48]
    stp     x8, x9, [x19, #64]
    stp     x10, x11, [x19, #80]
    stp     x12, x13, [x19, #96]
    stp     x14, x15, [x19, #112]
    stp     x16, x17, [x19, #128]
    ldp     x19, x20, [sp], #16
    ret
    .size \name, . - \name
.endm

    .text
    regs_call pc_hvc0_regs, "hvc #0"
    regs_call pc_hvc1_regs, "hvc #1"
    regs_call pc_hvcffff_regs, "hvc #0xffff"
    regs_call pc_smc0_regs, "smc #0"
    regs_call pc_smc1_regs, "smc #1"

/* int64_t pc_cpu_on_be(uint64_t mpidr, uint64_t entry, uint64_t ctx): CPU_ON_64 with
 * SCTLR_EL1.EE set around the HVC (interrupts masked, no data access meanwhile). x9/x10 live
 * across the call: SMCCC 1.1 preserves x4-x17. */
    .global pc_cpu_on_be
    .type pc_cpu_on_be, %function
pc_cpu_on_be:
    mrs     x9, daif
    msr     daifset, #0xf
    mrs     x10, sctlr_el1
    orr     x11, x10, #(1 << SCTLR_EE_BIT)
    msr     sctlr_el1, x11
    isb
    mov     x3, x2
    mov     x2, x1
    mov     x1, x0
    fid     w0, FID_CPU_ON64
    hvc     #0
    msr     sctlr_el1, x10
    isb
    msr     daif, x9
    ret
    .size pc_cpu_on_be, . - pc_cpu_on_be

/*
 * Entry point given to CPU_ON: records in pc_entry_rec (struct pc_entry) x0, the OR of
 * x1-x30, SCTLR_EL1 as found, CurrentEL, DAIF and SPSel, sets done, and turns itself off.
 * EE is cleared before the first data access, so a big-endian start still records right.
 */
    .global pc_entry_stub
    .type pc_entry_stub, %function
pc_entry_stub:
    .irp r, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
    orr     x9, x9, x\r
    .endr
    mrs     x10, sctlr_el1
    bic     x11, x10, #(1 << SCTLR_EE_BIT)
    msr     sctlr_el1, x11
    isb
    adrp    x11, pc_entry_rec
    add     x11, x11, :lo12:pc_entry_rec
    stp     x0, x9, [x11, #0]
    mrs     x12, currentel
    stp     x10, x12, [x11, #16]
    mrs     x12, daif
    mrs     x13, spsel
    stp     x12, x13, [x11, #32]
    mov     x12, #1
    str     x12, [x11, #48]
    dsb     sy
    fid     w0, FID_CPU_OFF
    hvc     #0
1:  wfi
    b       1b
    .size pc_entry_stub, . - pc_entry_stub

/*
 * int64_t pc_save_call(struct pc_ctx *ctx, uint32_t fid, uint64_t a1, uint64_t a2,
 *                      uint64_t a3): saves x19-x30, SP and the EL1 state CPU_ON resets in
 * ctx (pc_ctx_cur points at it), then makes the HVC. Returns the call's x0 if it returns, or
 * PC_RESUMED (0x5e5e) when the vCPU came back through pc_resume_entry instead.
 */
    .global pc_save_call
    .type pc_save_call, %function
pc_save_call:
    stp     x19, x20, [x0, #0]
    stp     x21, x22, [x0, #16]
    stp     x23, x24, [x0, #32]
    stp     x25, x26, [x0, #48]
    stp     x27, x28, [x0, #64]
    stp     x29, x30, [x0, #80]
    mov     x9, sp
    mrs     x10, sctlr_el1
    stp     x9, x10, [x0, #96]
    mrs     x9, vbar_el1
    mrs     x10, cpacr_el1
    stp     x9, x10, [x0, #112]
    mrs     x9, tpidr_el1
    mrs     x10, daif
    stp     x9, x10, [x0, #128]
    adrp    x9, pc_ctx_cur
    str     x0, [x9, :lo12:pc_ctx_cur]
    dsb     sy
    mov     w0, w1
    mov     x1, x2
    mov     x2, x3
    mov     x3, x4
    hvc     #0
    ret
    .size pc_save_call, . - pc_save_call

/* The entry given to CPU_SUSPEND (powerdown) or to the CPU_ON that revives the vCPU: records
 * x0, SCTLR_EL1, DAIF, CurrentEL and SPSel in *pc_ctx_cur, restores what pc_save_call saved
 * and returns from it with PC_RESUMED. */
    .global pc_resume_entry
    .type pc_resume_entry, %function
pc_resume_entry:
    mrs     x10, sctlr_el1
    bic     x11, x10, #(1 << SCTLR_EE_BIT)
    msr     sctlr_el1, x11
    isb
    adrp    x9, pc_ctx_cur
    ldr     x9, [x9, :lo12:pc_ctx_cur]
    stp     x0, x10, [x9, #144]
    mrs     x11, daif
    mrs     x12, currentel
    stp     x11, x12, [x9, #160]
    mrs     x11, spsel
    mov     x12, #1
    stp     x11, x12, [x9, #176]
    ldp     x10, x11, [x9, #112]
    msr     vbar_el1, x10
    msr     cpacr_el1, x11
    ldp     x10, x11, [x9, #128]
    msr     tpidr_el1, x10
    ldp     x10, x11, [x9, #96]
    mov     sp, x10
    msr     sctlr_el1, x11
    isb
    ldp     x19, x20, [x9, #0]
    ldp     x21, x22, [x9, #16]
    ldp     x23, x24, [x9, #32]
    ldp     x25, x26, [x9, #48]
    ldp     x27, x28, [x9, #64]
    ldp     x29, x30, [x9, #80]
    ldr     x10, [x9, #136]
    msr     daif, x10
    mov     x0, #0x5e5e
    ret
    .size pc_resume_entry, . - pc_resume_entry

/*
 * Entry given to vCPU 1's CPU_ON by a vCPU 0 about to turn itself off: waits until vCPU 0 is
 * OFF, turns it on again at pc_resume_entry with its own x0 as the context id, stores
 * CPU_ON's answer in pc_revive_ret, and turns itself off.
 */
    .global pc_revive_stub
    .type pc_revive_stub, %function
pc_revive_stub:
    mov     x19, x0
1:  fid     w0, FID_AFF_INFO64
    mov     x1, #0
    mov     x2, #0
    hvc     #0
    cmp     x0, #1                      // OFF
    b.ne    1b
    fid     w0, FID_CPU_ON64
    mov     x1, #0
    adrp    x2, pc_resume_entry
    add     x2, x2, :lo12:pc_resume_entry
    mov     x3, x19
    hvc     #0
    adrp    x9, pc_revive_ret
    str     x0, [x9, :lo12:pc_revive_ret]
    dsb     sy
    fid     w0, FID_CPU_OFF
    hvc     #0
2:  wfi
    b       2b
    .size pc_revive_stub, . - pc_revive_stub

    .data
    .balign 8
    .global pc_entry_rec, pc_ctx_cur, pc_revive_ret
pc_entry_rec:
    .fill 8, 8, 0
pc_ctx_cur:
    .quad 0
pc_revive_ret:
    .quad 0
