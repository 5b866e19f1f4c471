// SPDX-License-Identifier: MIT
// arch_copy_normal(dst, src, n): copy n bytes between buffers that do not overlap, both in
// Normal memory (the MMU on, SCTLR_EL2.A clear), so 8- and 16-byte accesses may be
// unaligned: blocks of 64 and then 16 bytes, the last 16 loaded first and stored last (they may
// overlap the blocks before them), and for n < 16 two overlapping halves. A 76-byte frame is 25
// instructions; lib's memcpy, which must also work with the MMU off, needs about 70 for it.
    .text
    .global arch_copy_normal
    .type arch_copy_normal, %function
arch_copy_normal:
    cmp     x2, #16
    b.lo    2f
    add     x3, x1, x2
    add     x4, x0, x2
    ldp     x6, x7, [x3, #-16]      // the last 16 bytes, stored last
    sub     x2, x2, #16             // the bytes before them (>= 0)
    cmp     x2, #64
    b.ge    0f
1:  ldp     x8, x9, [x1], #16       // 16 a round (the first even if none is left: the
    stp     x8, x9, [x0], #16       // same bytes as the final 16), the last round
    subs    x2, x2, #16             // reaching into the final 16, stored again below
    b.gt    1b
8:  stp     x6, x7, [x4, #-16]
    ret
0:  ldp     x8, x9, [x1]            // 64 bytes a round while at least 64 are left
    ldp     x10, x11, [x1, #16]
    ldp     x12, x13, [x1, #32]
    ldp     x14, x15, [x1, #48]
    add     x1, x1, #64
    stp     x8, x9, [x0]
    stp     x10, x11, [x0, #16]
    stp     x12, x13, [x0, #32]
    stp     x14, x15, [x0, #48]
    add     x0, x0, #64
    sub     x2, x2, #64
    cmp     x2, #64
    b.ge    0b
    cmp     x2, #0
    b.gt    1b
    b       8b
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
