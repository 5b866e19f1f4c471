/* SPDX-License-Identifier: MIT */
/*
 * EL2 access to the GICv3 virtual CPU interface control registers (ICH_*_EL2, GIC spec IHI 0069H
 * section 12.5), the only hardware core/vgic/vgic*.c touches. Registers are named by their encodings
 * (op0=3, op1=4, CRn=12) so that assemblers without GICv3 names accept them:
 *   ICH_AP0R<n>_EL2  S3_4_C12_C8_<n>      ICH_AP1R<n>_EL2  S3_4_C12_C9_<n>
 *   ICH_HCR_EL2      S3_4_C12_C11_0       ICH_VTR_EL2      S3_4_C12_C11_1
 *   ICH_MISR_EL2     S3_4_C12_C11_2       ICH_EISR_EL2     S3_4_C12_C11_3
 *   ICH_ELRSR_EL2    S3_4_C12_C11_5       ICH_VMCR_EL2     S3_4_C12_C11_7
 *   ICH_LR<n>_EL2    S3_4_C12_C12_<n> (n = 0..7), S3_4_C12_C13_<n-8> (n = 8..15)
 * Writes take effect for the guest at the next context synchronisation (the ERET into it).
 *
 * A GICv2 build (PLAT_GIC_VERSION 2, the platform's platform.mk) has no ICH_* registers: the
 * same accessors call the GICv2 back end instead (core/vgic/vgic_v2.c: the memory-mapped GICH
 * registers, LR values translated to and from the ICH_LR form the model keeps). The choice is
 * made by the compiler; a GICv3 build is the system-register accesses alone.
 */
#pragma once

#include <stdint.h>

#include <arch/sysreg.h>

#define ICH_AP0R0_EL2   S3_4_C12_C8_0
#define ICH_AP0R1_EL2   S3_4_C12_C8_1
#define ICH_AP0R2_EL2   S3_4_C12_C8_2
#define ICH_AP0R3_EL2   S3_4_C12_C8_3
#define ICH_AP1R0_EL2   S3_4_C12_C9_0
#define ICH_AP1R1_EL2   S3_4_C12_C9_1
#define ICH_AP1R2_EL2   S3_4_C12_C9_2
#define ICH_AP1R3_EL2   S3_4_C12_C9_3
#define ICH_HCR_EL2     S3_4_C12_C11_0
#define ICH_HCR_EN      BIT(0)  /* as core/vgic/vgic_regs.h, for arch code that only toggles it */
#define ICH_VTR_EL2     S3_4_C12_C11_1
#define ICH_MISR_EL2    S3_4_C12_C11_2
#define ICH_EISR_EL2    S3_4_C12_C11_3
#define ICH_ELRSR_EL2   S3_4_C12_C11_5
#define ICH_VMCR_EL2    S3_4_C12_C11_7

/* One case per list register: the register number is part of the instruction encoding. */
#define ARCH_VGIC_LR_CASES(op)                                                     \
    op(0, S3_4_C12_C12_0) op(1, S3_4_C12_C12_1) op(2, S3_4_C12_C12_2)              \
    op(3, S3_4_C12_C12_3) op(4, S3_4_C12_C12_4) op(5, S3_4_C12_C12_5)              \
    op(6, S3_4_C12_C12_6) op(7, S3_4_C12_C12_7) op(8, S3_4_C12_C13_0)              \
    op(9, S3_4_C12_C13_1) op(10, S3_4_C12_C13_2) op(11, S3_4_C12_C13_3)            \
    op(12, S3_4_C12_C13_4) op(13, S3_4_C12_C13_5) op(14, S3_4_C12_C13_6)           \
    op(15, S3_4_C12_C13_7)

#if PLAT_GIC_VERSION == 2
#include <arch/vgic_hw_v2.h>
#else
static inline uint64_t arch_vgic_read_vtr(void)
{
    return sysreg_read(ICH_VTR_EL2);
}

/* Reading an unimplemented LR is UNDEFINED: callers stay below arch_vgic_nr_lrs(). */
static inline uint64_t arch_vgic_read_lr(unsigned i)
{
    switch (i) {
#define ARCH_VGIC_READ_LR(n, reg) \
    case n:                       \
        return sysreg_read(reg);
        ARCH_VGIC_LR_CASES(ARCH_VGIC_READ_LR)
#undef ARCH_VGIC_READ_LR
    default:
        return 0;
    }
}

static inline void arch_vgic_write_lr(unsigned i, uint64_t v)
{
    switch (i) {
#define ARCH_VGIC_WRITE_LR(n, reg) \
    case n:                        \
        sysreg_write(reg, v);      \
        break;
        ARCH_VGIC_LR_CASES(ARCH_VGIC_WRITE_LR)
#undef ARCH_VGIC_WRITE_LR
    default:
        break;
    }
}

static inline uint32_t arch_vgic_read_elrsr(void)
{
    return (uint32_t)sysreg_read(ICH_ELRSR_EL2);
}

static inline uint32_t arch_vgic_read_eisr(void)
{
    return (uint32_t)sysreg_read(ICH_EISR_EL2);
}

static inline uint32_t arch_vgic_read_misr(void)
{
    return (uint32_t)sysreg_read(ICH_MISR_EL2);
}

static inline uint64_t arch_vgic_read_hcr(void)
{
    return sysreg_read(ICH_HCR_EL2);
}

static inline void arch_vgic_write_hcr(uint64_t v)
{
    sysreg_write(ICH_HCR_EL2, v);
}

static inline uint64_t arch_vgic_read_vmcr(void)
{
    return sysreg_read(ICH_VMCR_EL2);
}

static inline void arch_vgic_write_vmcr(uint64_t v)
{
    sysreg_write(ICH_VMCR_EL2, v);
}

/* Active-priority registers: n < 1 << (ICH_VTR_EL2.PREbits + 1 - 5); others are UNDEFINED. */
static inline void arch_vgic_write_ap0r(unsigned n, uint32_t v)
{
    switch (n) {
    case 0: sysreg_write(ICH_AP0R0_EL2, v); break;
    case 1: sysreg_write(ICH_AP0R1_EL2, v); break;
    case 2: sysreg_write(ICH_AP0R2_EL2, v); break;
    case 3: sysreg_write(ICH_AP0R3_EL2, v); break;
    default: break;
    }
}

static inline uint32_t arch_vgic_read_ap0r(unsigned n)
{
    switch (n) {
    case 0: return (uint32_t)sysreg_read(ICH_AP0R0_EL2);
    case 1: return (uint32_t)sysreg_read(ICH_AP0R1_EL2);
    case 2: return (uint32_t)sysreg_read(ICH_AP0R2_EL2);
    case 3: return (uint32_t)sysreg_read(ICH_AP0R3_EL2);
    default: return 0;
    }
}

static inline uint32_t arch_vgic_read_ap1r(unsigned n)
{
    switch (n) {
    case 0: return (uint32_t)sysreg_read(ICH_AP1R0_EL2);
    case 1: return (uint32_t)sysreg_read(ICH_AP1R1_EL2);
    case 2: return (uint32_t)sysreg_read(ICH_AP1R2_EL2);
    case 3: return (uint32_t)sysreg_read(ICH_AP1R3_EL2);
    default: return 0;
    }
}

static inline void arch_vgic_write_ap1r(unsigned n, uint32_t v)
{
    switch (n) {
    case 0: sysreg_write(ICH_AP1R0_EL2, v); break;
    case 1: sysreg_write(ICH_AP1R1_EL2, v); break;
    case 2: sysreg_write(ICH_AP1R2_EL2, v); break;
    case 3: sysreg_write(ICH_AP1R3_EL2, v); break;
    default: break;
    }
}
#endif /* PLAT_GIC_VERSION */

/* Number of implemented list registers: ICH_VTR_EL2.ListRegs + 1. */
static inline unsigned arch_vgic_nr_lrs(void)
{
    return (unsigned)(arch_vgic_read_vtr() & 0x1f) + 1;
}
