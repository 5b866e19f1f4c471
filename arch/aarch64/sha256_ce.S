// SPDX-License-Identifier: MIT
/*
 * SHA-256 compression with the Armv8 Cryptographic Extension (FEAT_SHA256: SHA256H, SHA256H2,
 * SHA256SU0, SHA256SU1; ARM DDI 0487 C7.2), for hashing the boot bundle's images: about one
 * instruction per byte instead of BearSSL's portable ~40 (docs/PERFORMANCE.md).
 *
 *   void sha256_ce_blocks(uint32_t state[8], const uint8_t *data, uint64_t blocks)
 *
 * state: A..H as native words (v0 = ABCD, v1 = EFGH). Each 64-byte block: the message words
 * (big-endian in memory) in v4..v7; 16 rounds of four: wk = W + K, then SHA256H updates ABCD
 * and SHA256H2 updates EFGH from the ABCD before it; for the first 12, the message vector just
 * used becomes the one needed four rounds later (SHA256SU0 with the next vector, SHA256SU1 with
 * the two after). The SIMD registers it uses are saved and restored: at EL2 they may hold a
 * guest's state (FP is not trapped and not switched on a pinned pCPU).
 */
    .arch   armv8-a+crypto
    .text
    .p2align 3
    .global sha256_ce_blocks
    .type   sha256_ce_blocks, %function
sha256_ce_blocks:
    sub     sp, sp, #192
    st1     {v0.16b-v3.16b}, [sp]
    add     x9, sp, #64
    st1     {v4.16b-v7.16b}, [x9]
    add     x9, sp, #128
    st1     {v16.16b-v18.16b}, [x9]

    ld1     {v0.4s, v1.4s}, [x0]
    cbz     x2, 9f
1:  ld1     {v4.16b-v7.16b}, [x1], #64
    rev32   v4.16b, v4.16b
    rev32   v5.16b, v5.16b
    rev32   v6.16b, v6.16b
    rev32   v7.16b, v7.16b
    mov     v2.16b, v0.16b
    mov     v3.16b, v1.16b
    adrp    x3, sha256_k
    add     x3, x3, :lo12:sha256_k

    .macro  quad m0, m1, m2, m3, update
    ld1     {v17.4s}, [x3], #16
    add     v16.4s, \m0\().4s, v17.4s
    mov     v18.16b, v0.16b
    sha256h     q0, q1, v16.4s
    sha256h2    q1, q18, v16.4s
    .if \update
    sha256su0   \m0\().4s, \m1\().4s
    sha256su1   \m0\().4s, \m2\().4s, \m3\().4s
    .endif
    .endm

    quad    v4, v5, v6, v7, 1
    quad    v5, v6, v7, v4, 1
    quad    v6, v7, v4, v5, 1
    quad    v7, v4, v5, v6, 1
    quad    v4, v5, v6, v7, 1
    quad    v5, v6, v7, v4, 1
    quad    v6, v7, v4, v5, 1
    quad    v7, v4, v5, v6, 1
    quad    v4, v5, v6, v7, 1
    quad    v5, v6, v7, v4, 1
    quad    v6, v7, v4, v5, 1
    quad    v7, v4, v5, v6, 1
    quad    v4, v5, v6, v7, 0
    quad    v5, v6, v7, v4, 0
    quad    v6, v7, v4, v5, 0
    quad    v7, v4, v5, v6, 0

    add     v0.4s, v0.4s, v2.4s
    add     v1.4s, v1.4s, v3.4s
    subs    x2, x2, #1
    b.ne    1b
    st1     {v0.4s, v1.4s}, [x0]

9:  ld1     {v0.16b-v3.16b}, [sp]
    add     x9, sp, #64
    ld1     {v4.16b-v7.16b}, [x9]
    add     x9, sp, #128
    ld1     {v16.16b-v18.16b}, [x9]
    add     sp, sp, #192
    ret
    .size   sha256_ce_blocks, . - sha256_ce_blocks

    .section .rodata
    .p2align 4
sha256_k:   /* FIPS 180-4 section 4.2.2 */
    .word   0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
    .word   0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
    .word   0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
    .word   0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
    .word   0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
    .word   0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
    .word   0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
    .word   0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
