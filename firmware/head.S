// SPDX-License-Identifier: MIT
/*
 * Reset entry of the EL3 firmware (docs/TRUST.md). Every CPU starts here at address 0 (QEMU
 * virt with secure=on and -bios: secure flash, MMU off). The primary (MPIDR Aff0 = 0) copies
 * the image into secure SRAM where it is linked, clears .bss, and releases the others through
 * the hold word (plat.h); each CPU then runs C on its own stack. Also: the EL3 vector table
 * (SMCs from the normal world; anything else is a firmware fault) and the ERET into EL2.
 */
#include "plat.h"

#define SCTLR_EL3_VAL   0x30c51838          // RES1 | I | SA, M = 0, EE = 0 (ARM DDI 0487 D17.2.119)
#define SPSR_EL2H_MASKED 0x3c9              // EL2h, D A I F masked
#define FRAME_BYTES     (32 * 8)

    .section .text.head, "ax"
    .global _start
_start:
#if CONFIG_BENCH
    // Bench builds only (docs/TRUST.md "Speed"): count boot instructions from reset with the
    // cycle counter (== instructions under QEMU -icount) at EL3, EL1 and EL0 (PMCCFILTR 0: M
    // equals P), which needs secure counting allowed (MDCR_EL3.SPME). A product firmware
    // never sets SPME: it would let the normal world count what the secure world does.
    mov     x0, #(1 << 17)                  // MDCR_EL3.SPME
    msr     mdcr_el3, x0
    msr     pmccfiltr_el0, xzr
    mov     x0, #5                          // PMCR_EL0.E | C: on, from zero
    msr     pmcr_el0, x0
    mov     x0, #(1 << 31)
    msr     pmcntenset_el0, x0
    isb
#endif
    mrs     x0, mpidr_el1
    and     x19, x0, #0xff                  // Aff0: the CPU index
    ubfx    x1, x0, #8, #16                 // Aff1, Aff2
    ubfx    x2, x0, #32, #8                 // Aff3
    orr     x1, x1, x2
    cbnz    x1, reset_park                  // not a CPU of this layout
    cmp     x19, #FW_MAX_CPUS
    b.hs    reset_park
    ldr     x0, =SCTLR_EL3_VAL
    msr     sctlr_el3, x0
    isb
    cbnz    x19, hold
    adr     x0, _start                      // where QEMU put us (PC-relative)
    ldr     x1, =__fw_start                 // where we are linked
    ldr     x2, =__fw_image_end
1:  ldp     x3, x4, [x0], #16
    stp     x3, x4, [x1], #16
    cmp     x1, x2
    b.lo    1b
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
2:  cmp     x1, x2
    b.hs    3f
    stp     xzr, xzr, [x1], #16
    b       2b
3:  dsb     sy
    ic      iallu
    dsb     sy
    isb
    ldr     x0, =FW_HOLD_PA
    ldr     x1, =FW_HOLD_MAGIC
    str     x1, [x0]
    dsb     sy
    sev
    ldr     x0, =linked_entry
    br      x0

hold:                                       // secondaries: wait for the copy
    ldr     x0, =FW_HOLD_PA
    ldr     x1, =FW_HOLD_MAGIC
4:  wfe
    ldr     x2, [x0]
    cmp     x2, x1
    b.ne    4b
    ldr     x0, =linked_entry
    br      x0

reset_park:
    wfi
    b       reset_park
    .ltorg

    .text
linked_entry:
    adrp    x0, fw_vectors
    add     x0, x0, :lo12:fw_vectors
    msr     vbar_el3, x0
    msr     tpidr_el3, x19
    add     x1, x19, #1
    mov     x2, #FW_STACK_BYTES
    adrp    x0, fw_stacks
    add     x0, x0, :lo12:fw_stacks
    madd    x0, x1, x2, x0
    mov     sp, x0
    isb
    mov     x0, x19
    cbnz    x19, 5f
    bl      fw_main
    b       fw_park
5:  bl      fw_secondary_main
    b       fw_park

    .global fw_park
fw_park:
    msr     daifset, #0xf
6:  wfi
    b       6b

// fw_el2_enter(entry, x0 value, stack top): never returns. No firmware value reaches EL2 in
// a register other than x0.
    .global fw_el2_enter
fw_el2_enter:
    mov     sp, x2
    msr     elr_el3, x0
    mov     x0, #SPSR_EL2H_MASKED
    msr     spsr_el3, x0
    mov     x0, x1
    .irp    r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
    mov     x\r, xzr
    .endr
    isb
    eret

// fw_cpu_idle(stack top, cpu): CPU_OFF's way back to the wait loop on a fresh stack.
    .global fw_cpu_idle
fw_cpu_idle:
    mov     sp, x0
    mov     x0, x1
    bl      psci_cpu_wait
    b       fw_park

// ------------------------------------------------------------------- vectors (D1.10.2)
.macro unexpected kind
    .balign 0x80
    mov     x0, #\kind
    mrs     x1, esr_el3
    mrs     x2, elr_el3
    b       fw_unexpected
.endm

    .balign 2048
fw_vectors:
    unexpected 0                            // current EL, SP0: sync, IRQ, FIQ, SError
    unexpected 1
    unexpected 2
    unexpected 3
    unexpected 4                            // current EL, SPx
    unexpected 5
    unexpected 6
    unexpected 7
    .balign 0x80                            // lower EL, AArch64: sync (SMC)
    b       lower_sync
    unexpected 9
    unexpected 10
    unexpected 11
    unexpected 12                           // lower EL, AArch32
    unexpected 13
    unexpected 14
    unexpected 15

// A synchronous exception from EL2 or EL1: save x0-x30, let fw_trap answer it through the
// frame (x0-x3 are the SMCCC results, every other register is preserved), return.
lower_sync:
    sub     sp, sp, #FRAME_BYTES
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
    mov     x0, sp
    mrs     x1, esr_el3
    bl      fw_trap
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    add     sp, sp, #FRAME_BYTES
    eret
