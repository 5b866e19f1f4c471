// SPDX-License-Identifier: MIT
/*
 * EL2 entry. The image starts with an arm64 Linux Image header (Documentation/arm64/booting.rst)
 * so that QEMU's loader (and boot loaders) place it and pass the device tree in x0. Secondary
 * CPUs enter at secondary_entry through PSCI CPU_ON with their index as the context id.
 */
#include <arch/layout.h>
#include <asm-offsets.h>

#ifndef CONFIG_BENCH
#define CONFIG_BENCH 0
#endif

    .section .text.head, "ax"
    .global _start
_start:
    b       primary_entry           // code0
    .long   0                       // code1
    .quad   PLAT_LOAD_ADDR - PLAT_RAM_BASE  // text_offset
    .quad   _image_size             // image_size
    .quad   0xa                     // flags: LE, 4K pages, 2MB aligned base anywhere
    .quad   0, 0, 0                 // res2-4
    .ascii  "ARM\x64"               // magic
    .long   0                       // res5

primary_entry:
    mov     x19, x0                 // device tree
#if CONFIG_BENCH
    // Count boot instructions from the first one: cycle counter at all ELs (PMCCFILTR.NSH),
    // which equals instructions under QEMU -icount.
    mov     x1, #(1 << 27)
    msr     pmccfiltr_el0, x1
    mrs     x1, pmcr_el0
    orr     x1, x1, #1              // E
    orr     x1, x1, #4              // C: reset the cycle counter
    msr     pmcr_el0, x1
    mov     x1, #(1 << 31)
    msr     pmcntenset_el0, x1
    isb
#endif
    // Stack and BSS first, at whatever level we run: the wrong-level path prints in C too.
    adrp    x1, pcpu_stacks
    add     x1, x1, :lo12:pcpu_stacks
    add     x1, x1, #PCPU_STACK_BYTES
    sub     sp, x1, #FRAME_SIZE     // the guest frame of this CPU lives at the top
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:  mrs     x1, CurrentEL
    cmp     x1, #(2 << 2)
    b.ne    not_el2
    msr     tpidr_el2, xzr
    bl      cpu_early_setup
    mov     x0, x19
    bl      boot_primary
    b       park

    .global secondary_entry
secondary_entry:
    msr     tpidr_el2, x0
    mov     x19, x0
    bl      cpu_early_setup
    adrp    x1, pcpu_stacks
    add     x1, x1, :lo12:pcpu_stacks
    mov     x2, #PCPU_STACK_BYTES
    madd    x1, x19, x2, x1
    add     x1, x1, x2
    sub     sp, x1, #FRAME_SIZE
    mov     x0, x19
    bl      boot_secondary
    b       park

// Per-CPU state that must be right before any C runs: vectors, no FP trap (libfdt uses SIMD
// registers at boot), alignment checks off for EL2 data accesses.
cpu_early_setup:
    adrp    x1, el2_vectors
    add     x1, x1, :lo12:el2_vectors
    msr     vbar_el2, x1
    mov     x1, #0x33ff             // CPTR_EL2 RES1 bits, TFP = 0, TTA = 0
    msr     cptr_el2, x1
    isb
    ret

// Entered at EL1 (QEMU without virtualization=on, a boot loader that dropped to EL1) or EL3:
// one line on the console (boot_wrong_el), then park. At EL1, FP/SIMD is enabled first
// (CPACR_EL1.FPEN): libfdt uses the SIMD registers.
not_el2:
    lsr     x20, x1, #2
    cmp     x20, #1
    b.ne    1f
    mov     x1, #(3 << 20)
    msr     cpacr_el1, x1
    isb
1:  mov     x0, x19
    mov     x1, x20
    bl      boot_wrong_el
park:
    wfe
    b       park
