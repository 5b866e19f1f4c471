// SPDX-License-Identifier: MIT
/* Structure offsets for assembly, generated from C so they can never drift (STYLE.md). */
#include <stddef.h>
#include <arch/frame.h>
#include <arch/layout.h>
#include <arch/sysreg.h>

#define DEFINE(sym, val) __asm__ volatile("\n@@ASMOFF " #sym " %0" : : "i"(val))

void asm_offsets(void);
void asm_offsets(void)
{
    DEFINE(FRAME_SIZE, sizeof(struct trap_frame));
    DEFINE(FRAME_ELR, offsetof(struct trap_frame, elr));
    DEFINE(FRAME_SPSR, offsetof(struct trap_frame, spsr));
    DEFINE(PCPU_STACK_SIZE, PCPU_STACK_BYTES);
    /* ESR_EL2 of an AArch64 write of ICC_SGI1R_EL1 with Rt = 0 (vectors.S: the IPI path) */
    DEFINE(ESR_SGI1R_WRITE, ((uint64_t)EC_SYSREG << ESR_EC_SHIFT) | ESR_IL |
                                SYSREG_ENC(3, 0, 12, 11, 5));
}
