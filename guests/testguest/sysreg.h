/* SPDX-License-Identifier: MIT */
/*
 * Bit helpers, system register accessors and the register fields the test guest uses
 * (ARM ARM D13 for the EL1 registers, GIC architecture spec 12.2 for ICC_*). Shared with
 * assembly, so the C-only parts sit behind __ASSEMBLER__.
 */
#pragma once

#ifdef __ASSEMBLER__
#define BIT(n) (1 << (n))
#else
#include <stdint.h>
#define BIT(n)        (UINT64_C(1) << (n))
#define GENMASK(h, l) ((~UINT64_C(0) >> (63 - (h))) & ~(BIT(l) - 1))
#define FIELD_GET(mask, val) (((uint64_t)(val) & (mask)) >> __builtin_ctzll(mask))
#define FIELD_PREP(mask, val) (((uint64_t)(val) << __builtin_ctzll(mask)) & (mask))
#endif

/* GICv3 CPU interface registers by encoding, so no assembler extension is needed. */
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define ICC_BPR1_EL1    S3_0_C12_C12_3
#define ICC_CTLR_EL1    S3_0_C12_C12_4
#define ICC_SRE_EL1     S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1   S3_0_C12_C11_5

/* CPACR_EL1.FPEN = 0b11: libfdt is built with FP/SIMD, so EL1 must not trap it. */
#define CPACR_EL1_FPEN_ALL (3 << 20)

/* SCTLR_EL1: RES1 bits (ARMv8.0) plus SP alignment checks; MMU and data cache stay off. */
#define SCTLR_EL1_RES1 (BIT(29) | BIT(28) | BIT(23) | BIT(22) | BIT(20) | BIT(11))
#define SCTLR_EL1_SA   BIT(3)
#define SCTLR_EL1_I    BIT(12)
#define SCTLR_EL1_BOOT (SCTLR_EL1_RES1 | SCTLR_EL1_SA | SCTLR_EL1_I)

#define DAIF_IRQ_BIT 2 /* immediate for "msr daifset/daifclr": I is bit 1 of the 4-bit mask */

#ifndef __ASSEMBLER__

#define MPIDR_AFF0 GENMASK(7, 0)
#define MPIDR_AFF1 GENMASK(15, 8)
#define MPIDR_AFF2 GENMASK(23, 16)
#define MPIDR_AFF3 GENMASK(39, 32)
#define MPIDR_AFF_MASK (MPIDR_AFF0 | MPIDR_AFF1 | MPIDR_AFF2 | MPIDR_AFF3)

#define ESR_EC       GENMASK(31, 26)
#define ESR_ISS      GENMASK(24, 0)
#define ESR_EC_UNKNOWN  0x00
#define ESR_EC_DABT_CUR 0x25

/* CNTV_CTL_EL0 */
#define CNTV_CTL_ENABLE  BIT(0)
#define CNTV_CTL_IMASK   BIT(1)
#define CNTV_CTL_ISTATUS BIT(2)

/* CNTKCTL_EL1 event stream: EVNTI selects the counter bit whose transition raises an event. */
#define CNTKCTL_EVNTEN BIT(2)
#define CNTKCTL_EVNTI  GENMASK(7, 4)

/* ICC_SRE_EL1 / ICC_IGRPEN1_EL1 / ICC_CTLR_EL1 */
#define ICC_SRE_SRE       BIT(0)
#define ICC_IGRPEN1_EN    BIT(0)
#define ICC_CTLR_EOIMODE  BIT(1)
#define ICC_PMR_LOWEST    0xff /* every priority below this is unmasked */

/* ICC_SGI1R_EL1 fields (GIC spec 12.11.27) */
#define ICC_SGI1R_TARGETS GENMASK(15, 0)
#define ICC_SGI1R_AFF1    GENMASK(23, 16)
#define ICC_SGI1R_INTID   GENMASK(27, 24)
#define ICC_SGI1R_AFF2    GENMASK(39, 32)
#define ICC_SGI1R_RS      GENMASK(47, 44)
#define ICC_SGI1R_AFF3    GENMASK(55, 48)
#define ICC_IAR_INTID     GENMASK(23, 0)

#define __stringify_1(x) #x
#define __stringify(x)   __stringify_1(x)

#define read_sysreg(r)                                              \
    ({                                                              \
        uint64_t __rval;                                            \
        __asm__ volatile("mrs %0, " __stringify(r) : "=r"(__rval)); \
        __rval;                                                     \
    })

#define write_sysreg(v, r)                                                      \
    do {                                                                        \
        uint64_t __wval = (uint64_t)(v);                                        \
        __asm__ volatile("msr " __stringify(r) ", %x0" : : "rZ"(__wval));       \
    } while (0)

static inline void isb(void)
{
    __asm__ volatile("isb" : : : "memory");
}

static inline void dsb_sy(void)
{
    __asm__ volatile("dsb sy" : : : "memory");
}

static inline void dmb_sy(void)
{
    __asm__ volatile("dmb sy" : : : "memory");
}

static inline void sev(void)
{
    __asm__ volatile("sev" : : : "memory");
}

static inline void wfe(void)
{
    __asm__ volatile("wfe" : : : "memory");
}

static inline void wfi(void)
{
    __asm__ volatile("wfi" : : : "memory");
}

static inline void irq_mask(void)
{
    __asm__ volatile("msr daifset, #" __stringify(DAIF_IRQ_BIT) : : : "memory");
}

static inline void irq_unmask(void)
{
    __asm__ volatile("msr daifclr, #" __stringify(DAIF_IRQ_BIT) : : : "memory");
}

#endif /* __ASSEMBLER__ */
