// SPDX-License-Identifier: MIT
// arch_clear_nonzero(p, n, line): make [p, p + n) read zero at the point of coherency, writing
// only the 64-byte units that are not zero already (docs/PERFORMANCE.md "Linux boot: where the
// wall time goes"). Under QEMU, guest RAM the host never touched is not allocated: a read maps
// the host's shared zero page, while a store (or DC ZVA) makes the host fault in and zero a
// fresh page first, so clearing a VM's 256 MiB the old way cost more wall time than its boot.
//
// Nothing of the old contents is trusted: first every line of the range is cleaned and
// invalidated to the point of coherency (DC CIVAC, ARM DDI 0487 D7.5.9), so a stale *clean*
// line of our cacheable view cannot hide what a guest wrote to DRAM with its caches off (it
// would read as zero and be skipped), and dirty data of a guest's cacheable view reaches
// memory first; after a DSB every byte is read from the point of coherency. A unit that is
// not all zeros is stored with zeros and cleaned (DC CVAC): the next guest starts with its
// caches off. A line refetched speculatively meanwhile holds what memory holds, which the read
// sees. Returns the number of 64-byte units it wrote (for tests and statistics).
//
// p and n are multiples of 64; line (CTR_EL0.DminLine in bytes) is a power of two >= 16. A
// line larger than 64 bytes may reach before p or past p + n: cleaning and invalidating it
// keeps those bytes as they are.
    .text
    .global arch_clear_nonzero
    .type arch_clear_nonzero, %function
arch_clear_nonzero:
    mov     x15, #0                 // units written
    cbz     x1, 9f
    add     x3, x0, x1              // end
    sub     x4, x2, #1
    bic     x4, x0, x4              // first line
1:  dc      civac, x4
    add     x4, x4, x2
    cmp     x4, x3
    b.lo    1b
    dsb     ish
2:  ldp     x4, x5, [x0]            // one 64-byte unit
    ldp     x6, x7, [x0, #16]
    ldp     x8, x9, [x0, #32]
    ldp     x10, x11, [x0, #48]
    orr     x4, x4, x5
    orr     x6, x6, x7
    orr     x8, x8, x9
    orr     x10, x10, x11
    orr     x4, x4, x6
    orr     x8, x8, x10
    orr     x4, x4, x8
    cbnz    x4, 5f
3:  add     x0, x0, #64
    cmp     x0, x3
    b.lo    2b
    dsb     ish
9:  mov     x0, x15
    ret
5:  stp     xzr, xzr, [x0]
    stp     xzr, xzr, [x0, #16]
    stp     xzr, xzr, [x0, #32]
    stp     xzr, xzr, [x0, #48]
    add     x15, x15, #1
    mov     x4, x0                  // clean each line of the unit (one when line >= 64)
6:  dc      cvac, x4
    add     x4, x4, x2
    sub     x5, x4, x0
    cmp     x5, #64
    b.lo    6b
    b       3b
    .size arch_clear_nonzero, . - arch_clear_nonzero
