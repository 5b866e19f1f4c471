// SPDX-License-Identifier: MIT
// secfw_smc(struct secfw_regs *r): an SMC to the secure world with x0-x7 from r (x7: the
// SMCCC client id), results x0-x4 written back into r (docs/TRUST.md "Secure services").
    .text
    .global secfw_smc
secfw_smc:
    str     x0, [sp, #-16]!
    mov     x8, x0
    ldp     x0, x1, [x8, #0]
    ldp     x2, x3, [x8, #16]
    ldp     x4, x5, [x8, #32]
    ldp     x6, x7, [x8, #48]
    smc     #0
    ldr     x8, [sp], #16
    stp     x0, x1, [x8, #0]
    stp     x2, x3, [x8, #16]
    str     x4, [x8, #32]
    ret
