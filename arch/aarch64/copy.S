// SPDX-License-Identifier: MIT
// arch_copy_normal(dst, src, n): copy n bytes between buffers that do not overlap, both in
// Normal memory (the MMU on, SCTLR_EL2.A clear), so 8- and 16-byte accesses may be
// unaligned: blocks of 16 bytes, the last block loaded first and stored last (it may overlap
// the blocks before it), and for n < 16 two overlapping halves. A 76-byte frame is 25
// instructions; lib's memcpy, which must also work with the MMU off, needs about 70 for it.
    .text
    .global arch_copy_normal
    .type arch_copy_normal, %function
arch_copy_normal:
    cmp     x2, #16
    b.lo    2f
    add     x3, x1, x2
    add     x4, x0, x2
    ldp     x6, x7, [x3, #-16]      // the last 16 bytes
    sub     x2, x2, #16             // bytes left after the first block (signed)
1:  ldp     x8, x9, [x1], #16
    stp     x8, x9, [x0], #16
    subs    x2, x2, #16
    b.gt    1b                      // another whole or partial block before the tail
    stp     x6, x7, [x4, #-16]
    ret
2:  cmp     x2, #8
    b.lo    3f
    add     x3, x1, x2
    add     x4, x0, x2
    ldr     x6, [x1]
    ldr     x7, [x3, #-8]
    str     x6, [x0]
    str     x7, [x4, #-8]
    ret
3:  cmp     x2, #4
    b.lo    4f
    add     x3, x1, x2
    add     x4, x0, x2
    ldr     w6, [x1]
    ldr     w7, [x3, #-4]
    str     w6, [x0]
    str     w7, [x4, #-4]
    ret
4:  cbz     x2, 6f
5:  ldrb    w6, [x1], #1
    strb    w6, [x0], #1
    subs    x2, x2, #1
    b.ne    5b
6:  ret
    .size arch_copy_normal, . - arch_copy_normal
