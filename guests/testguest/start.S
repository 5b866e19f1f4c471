/* SPDX-License-Identifier: MIT */
/*
 * Image header and entry. The header is the arm64 Linux Image header
 * (Documentation/arch/arm64/booting.rst), so QEMU's -kernel and Bulkhead load the guest like
 * a Linux kernel: x0 = DTB address, MMU off, EL1. The loader may place us at any 2 MiB
 * boundary (QEMU puts a text_offset 0 Image at RAM base + 2 MiB), so the image is linked as a
 * static PIE and applies its own R_AARCH64_RELATIVE relocations before touching data.
 */
#include "exc.h"
#include "sysreg.h"
#include "tg.h"

#define IMAGE_FLAGS_LE        0
#define IMAGE_FLAGS_PAGE_4K   (1 << 1)
#define IMAGE_FLAGS_ANYWHERE  (1 << 3)
#define IMAGE_FLAGS           (IMAGE_FLAGS_LE | IMAGE_FLAGS_PAGE_4K | IMAGE_FLAGS_ANYWHERE)
#define R_AARCH64_RELATIVE    1027
#define RELA_ENTRY_SIZE       24

    .section .text.head, "ax"
    .global _head
_head:
    b       primary_entry           /* code0 */
    .long   0                       /* code1 */
    .quad   0                       /* text_offset */
    .quad   _end - _head            /* image_size, including .bss */
    .quad   IMAGE_FLAGS
    .quad   0                       /* res2 */
    .quad   0                       /* res3 */
    .quad   0                       /* res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5: no PE/COFF header */

    .text
/* Per-CPU EL1 setup shared by the boot CPU and secondaries; clobbers x9. */
.macro cpu_setup
    msr     daifset, #0xf
    msr     spsel, #1
    ldr     x9, =SCTLR_EL1_BOOT
    msr     sctlr_el1, x9
    mov     x9, #CPACR_EL1_FPEN_ALL
    msr     cpacr_el1, x9
    adrp    x9, vectors
    add     x9, x9, :lo12:vectors
    msr     vbar_el1, x9
    isb
.endm

/* sp = tg_stacks + (idx + 1) * TG_STACK_SIZE (stacks grow down); clobbers x9..x11. */
.macro set_stack idx
    adrp    x9, tg_stacks
    add     x9, x9, :lo12:tg_stacks
    add     x10, \idx, #1
    mov     x11, #TG_STACK_SIZE
    madd    x9, x10, x11, x9
    mov     sp, x9
.endm

primary_entry:
    mov     x19, x0                 /* DTB address, kept in a callee-saved register */
    cpu_setup

    /* delta = where we run - where we were linked */
    adrp    x1, _head
    add     x1, x1, :lo12:_head
    ldr     x2, =TG_LINK_BASE
    sub     x3, x1, x2

    adrp    x4, __rela_start
    add     x4, x4, :lo12:__rela_start
    adrp    x5, __rela_end
    add     x5, x5, :lo12:__rela_end
1:  cmp     x4, x5
    b.hs    3f
    ldp     x6, x7, [x4]            /* r_offset, r_info */
    ldr     x8, [x4, #16]           /* r_addend */
    add     x4, x4, #RELA_ENTRY_SIZE
    cmp     w7, #R_AARCH64_RELATIVE
    b.ne    2f                      /* the link step guarantees there are no others */
    add     x8, x8, x3
    str     x8, [x6, x3]
2:  b       1b

3:  /* zero .bss (stacks included; nothing runs on a stack yet) */
    adrp    x4, __bss_start
    add     x4, x4, :lo12:__bss_start
    adrp    x5, __bss_end
    add     x5, x5, :lo12:__bss_end
4:  cmp     x4, x5
    b.hs    5f
    str     xzr, [x4], #8
    b       4b

5:  mov     x20, #0                 /* boot CPU is logical CPU 0 */
    msr     tpidr_el1, x20
    set_stack x20
    mov     x0, x19
    bl      tg_main
6:  wfi
    b       6b

/* PSCI CPU_ON entry: x0 = context id = logical CPU index (see start_secondaries()). */
    .global secondary_entry
secondary_entry:
    mov     x19, x0
    cpu_setup
    cmp     x19, #TG_MAX_CPUS
    b.hs    7f                      /* no stack for it: park rather than corrupt memory */
    msr     tpidr_el1, x19
    set_stack x19
    bl      tg_secondary_main
7:  wfi
    b       7b

    .ltorg
