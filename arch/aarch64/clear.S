// SPDX-License-Identifier: MIT
// arch_clear_nonzero(p, n, line): make [p, p + n) read zero at the point of coherency, writing
// only the 256-byte groups that are not zero already (docs/PERFORMANCE.md "Linux boot: where
// the wall time goes"). Under QEMU, guest RAM the host never touched is not allocated: a read
// maps the host's shared zero page, while a store (or DC ZVA) makes the host fault in and zero
// a fresh page first, so clearing a VM's 256 MiB with DC ZVA cost more wall time than the rest
// of the hypervisor's boot.
//
// Nothing of the old contents is trusted: first every line of the range is cleaned and
// invalidated to the point of coherency (DC CIVAC, ARM DDI 0487 D7.5.9), so a stale *clean*
// line of our cacheable view cannot hide what a guest wrote to DRAM with its caches off (it
// would read as zero and be skipped), and dirty data of a guest's cacheable view reaches
// memory first; after a DSB every byte is read from the point of coherency. A group that is
// not all zeros is stored with zeros and cleaned (DC CVAC): the next guest starts with its
// caches off. A line refetched speculatively meanwhile holds what memory holds, which the read
// sees. Returns the number of 256-byte groups it wrote (for tests).
//
// The reads use SIMD registers (64 bytes a load: a quarter of the instructions of LDP pairs);
// v16-v31 are saved and restored, as they may hold a guest's state (FP is not switched on a
// pinned pCPU). The caller makes sure FP/SIMD is not trapped (CPTR_EL2.TFP clear).
//
// p and n are multiples of 256; line (CTR_EL0.DminLine in bytes) is a power of two >= 16. A
// line larger than 256 bytes may reach before p or past p + n: cleaning and invalidating it
// keeps those bytes as they are.
    .text
    .global arch_clear_nonzero
    .type arch_clear_nonzero, %function
arch_clear_nonzero:
    mov     x15, #0                 // groups written
    cbz     x1, 9f
    sub     sp, sp, #256
    stp     q16, q17, [sp]
    stp     q18, q19, [sp, #32]
    stp     q20, q21, [sp, #64]
    stp     q22, q23, [sp, #96]
    stp     q24, q25, [sp, #128]
    stp     q26, q27, [sp, #160]
    stp     q28, q29, [sp, #192]
    stp     q30, q31, [sp, #224]
    add     x3, x0, x1              // end
    sub     x4, x2, #1
    bic     x4, x0, x4              // first line
    add     x6, x2, x2              // 2, 3 and 4 lines
    add     x7, x6, x2
    add     x8, x6, x6
    subs    x9, x3, x7              // four lines a round while the fourth starts below the end
    csel    x9, xzr, x9, lo         // (none when the end is below three lines: no wrap)
    b       0f
1:  dc      civac, x4
    add     x5, x4, x2
    dc      civac, x5
    add     x5, x4, x6
    dc      civac, x5
    add     x5, x4, x7
    dc      civac, x5
    add     x4, x4, x8
0:  cmp     x4, x9
    b.lo    1b
    b       0f
1:  dc      civac, x4               // the last lines, one a round
    add     x4, x4, x2
0:  cmp     x4, x3
    b.lo    1b
    dsb     ish
2:  ld1     {v16.16b-v19.16b}, [x0]     // one 256-byte group
    add     x4, x0, #64
    ld1     {v20.16b-v23.16b}, [x4], #64
    ld1     {v24.16b-v27.16b}, [x4], #64
    ld1     {v28.16b-v31.16b}, [x4]
    orr     v16.16b, v16.16b, v17.16b
    orr     v18.16b, v18.16b, v19.16b
    orr     v20.16b, v20.16b, v21.16b
    orr     v22.16b, v22.16b, v23.16b
    orr     v24.16b, v24.16b, v25.16b
    orr     v26.16b, v26.16b, v27.16b
    orr     v28.16b, v28.16b, v29.16b
    orr     v30.16b, v30.16b, v31.16b
    orr     v16.16b, v16.16b, v18.16b
    orr     v20.16b, v20.16b, v22.16b
    orr     v24.16b, v24.16b, v26.16b
    orr     v28.16b, v28.16b, v30.16b
    orr     v16.16b, v16.16b, v20.16b
    orr     v24.16b, v24.16b, v28.16b
    orr     v16.16b, v16.16b, v24.16b
    umaxv   s16, v16.4s             // zero only if every lane is
    fmov    w4, s16
    cbnz    w4, 5f
3:  add     x0, x0, #256
    cmp     x0, x3
    b.lo    2b
    dsb     ish
    ldp     q16, q17, [sp]
    ldp     q18, q19, [sp, #32]
    ldp     q20, q21, [sp, #64]
    ldp     q22, q23, [sp, #96]
    ldp     q24, q25, [sp, #128]
    ldp     q26, q27, [sp, #160]
    ldp     q28, q29, [sp, #192]
    ldp     q30, q31, [sp, #224]
    add     sp, sp, #256
9:  mov     x0, x15
    ret
5:  add     x15, x15, #1
    mov     x4, x0
6:  stp     xzr, xzr, [x4]
    stp     xzr, xzr, [x4, #16]
    stp     xzr, xzr, [x4, #32]
    stp     xzr, xzr, [x4, #48]
    add     x4, x4, #64
    sub     x5, x4, x0
    cmp     x5, #256
    b.lo    6b
    mov     x4, x0                  // clean each line of the group (one when line >= 256)
7:  dc      cvac, x4
    add     x4, x4, x2
    sub     x5, x4, x0
    cmp     x5, #256
    b.lo    7b
    b       3b
    .size arch_clear_nonzero, . - arch_clear_nonzero
