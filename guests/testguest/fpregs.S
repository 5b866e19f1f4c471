// SPDX-License-Identifier: MIT
/*
 * FP/SIMD register patterns for tg.mode=fpshare (mode_fp.c): the guest is built with
 * -mgeneral-regs-only, so only this file touches q0-q31, FPCR and FPSR.
 *
 *   void fp_fill(uint64_t seed, uint64_t fpcr)   vN = { seed + N, ~(seed + N) }, FPCR = fpcr
 *   uint64_t fp_check(uint64_t seed, uint64_t fpcr)   how many of the 64 halves and FPCR differ
 */
    .arch   armv8-a+simd
    .text

    .global fp_fill
fp_fill:
    msr     fpcr, x1
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    add     x2, x0, #\n
    mvn     x3, x2
    fmov    d\n, x2
    mov     v\n\().d[1], x3
    .endr
    ret

    .global fp_check
fp_check:
    mov     x4, x0
    mov     x0, #0
    mrs     x5, fpcr
    cmp     x5, x1
    cinc    x0, x0, ne
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    add     x2, x4, #\n
    mvn     x3, x2
    mov     x5, v\n\().d[0]
    cmp     x5, x2
    cinc    x0, x0, ne
    mov     x5, v\n\().d[1]
    cmp     x5, x3
    cinc    x0, x0, ne
    .endr
    ret
