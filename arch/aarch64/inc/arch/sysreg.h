/* SPDX-License-Identifier: MIT */
/*
 * System register access and the architectural constants EL2 code uses (ARM DDI 0487, chapter
 * D13/D17). One place for every field so that call sites carry names, not numbers.
 */
#pragma once

#include <stdint.h>

#define BIT(n) (UINT64_C(1) << (n))
#define GENMASK(h, l) (((~UINT64_C(0)) >> (63 - (h))) & ~((UINT64_C(1) << (l)) - 1))
#define FIELD_GET(mask, v) (((v) & (mask)) >> __builtin_ctzll(mask))
#define FIELD_PREP(mask, v) ((((uint64_t)(v)) << __builtin_ctzll(mask)) & (mask))

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#define sysreg_read(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " __stringify(r) : "=r"(__v)); __v; })
#define sysreg_write(r, v) \
    do { \
        uint64_t __wv = (uint64_t)(v); \
        __asm__ volatile("msr " __stringify(r) ", %0" : : "r"(__wv)); \
    } while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")

/* GICv3 CPU interface registers by encoding (older binutils may lack the names). */
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define ICC_DIR_EL1     S3_0_C12_C11_1
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define ICC_CTLR_EL1    S3_0_C12_C12_4
#define ICC_SRE_EL2     S3_4_C12_C9_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1   S3_0_C12_C11_5
#define ICC_BPR1_EL1    S3_0_C12_C12_3
/* Group 0 (a FIQ taken from a guest: trap.c trap_guest_fiq) */
#define ICC_IAR0_EL1    S3_0_C12_C8_0
#define ICC_EOIR0_EL1   S3_0_C12_C8_1
#define ICC_IGRPEN0_EL1 S3_0_C12_C12_6
#define ICC_SGI0R_EL1   S3_0_C12_C11_7

#define ICC_SRE_SRE     BIT(0)
#define ICC_SRE_ENABLE  BIT(3)
#define ICC_CTLR_EOIMODE BIT(1)
#define ICC_IAR_SPURIOUS 1023

/* HCR_EL2 (D17.2.48) */
#define HCR_VM    BIT(0)
#define HCR_SWIO  BIT(1)
#define HCR_FMO   BIT(3)
#define HCR_IMO   BIT(4)
#define HCR_AMO   BIT(5)
#define HCR_VSE   BIT(8)   /* virtual SError pending (cleared by hardware when taken) */
#define HCR_BSU_IS FIELD_PREP(GENMASK(11, 10), 1)
#define HCR_TWI   BIT(13)
#define HCR_TWE   BIT(14)
#define HCR_TID3  BIT(18)
#define HCR_TSC   BIT(19)
#define HCR_TIDCP BIT(20)
#define HCR_TACR  BIT(21)
#define HCR_TSW   BIT(22)
#define HCR_RW    BIT(31)

/* VSESR_EL2 (FEAT_RAS; D17.2.161): syndrome of a virtual SError. IDS: implementation-defined. */
#define VSESR_EL2 S3_4_C5_C2_3
#define VSESR_IDS BIT(24)
/* ID_AA64PFR0_EL1.RAS: FEAT_RAS implemented when nonzero. */
#define ID_AA64PFR0_RAS GENMASK(31, 28)

/* SCTLR_ELx */
#define SCTLR_M    BIT(0)
#define SCTLR_A    BIT(1)
#define SCTLR_C    BIT(2)
#define SCTLR_SA   BIT(3)
#define SCTLR_I    BIT(12)
#define SCTLR_WXN  BIT(19)
#define SCTLR_EE   BIT(25) /* EL1 data accesses (and table walks) big endian */
#define SCTLR_EL2_RES1 (BIT(4) | BIT(5) | BIT(11) | BIT(16) | BIT(18) | BIT(22) | BIT(23) | \
                        BIT(28) | BIT(29))
/* SCTLR_EL1 reset-like value for a fresh vCPU: RES1 bits, MMU and caches off, little endian. */
#define SCTLR_EL1_RESET (BIT(11) | BIT(20) | BIT(22) | BIT(23) | BIT(28) | BIT(29))

/* ESR_ELx (D17.2.37) */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL BIT(25)
#define ESR_ISS(esr) ((esr) & GENMASK(24, 0))
#define EC_UNKNOWN    0x00
#define EC_WFX        0x01
#define EC_FP_ASIMD   0x07
#define EC_HVC64      0x16
#define EC_SMC64      0x17
#define EC_SYSREG     0x18
#define EC_IABT_LOW   0x20
#define EC_IABT_CUR   0x21
#define EC_DABT_LOW   0x24
#define EC_DABT_CUR   0x25
#define EC_COUNT      0x40

/* Data abort ISS */
#define ISS_ISV   BIT(24)
#define ISS_SAS   GENMASK(23, 22)
#define ISS_SSE   BIT(21)
#define ISS_SRT   GENMASK(20, 16)
#define ISS_SF    BIT(15)
#define ISS_WNR   BIT(6)
#define ISS_FSC   GENMASK(5, 0)
#define FSC_SEA   0x10 /* synchronous external abort */

/* Trapped MSR/MRS ISS (EC 0x18): Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10, Rt 9:5, CRm 4:1 */
#define SYSREG_ISS_DIR_READ BIT(0)
#define SYSREG_ISS_RT       GENMASK(9, 5)
#define SYSREG_ISS_ENC_MASK (GENMASK(21, 10) | GENMASK(4, 1))
#define SYSREG_ENC(op0, op1, crn, crm, op2) \
    (((uint32_t)(op0) << 20) | ((uint32_t)(op2) << 17) | ((uint32_t)(op1) << 14) | \
     ((uint32_t)(crn) << 10) | ((uint32_t)(crm) << 1))

/* SPSR / PSTATE */
#define PSR_MODE_EL1H 0x5
#define PSR_MODE_EL1T 0x4
#define PSR_MODE_MASK 0xf
#define PSR_DAIF      (BIT(9) | BIT(8) | BIT(7) | BIT(6))
/* SPSR_ELx.SS: software step state of the interrupted PSTATE (ARM DDI 0487 D2.12.3) */
#define PSR_SS        BIT(21)

/* CNTHCTL_EL2 (E2H=0): EL1PCTEN bit 0, EL1PCEN bit 1 */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN  BIT(1)
#define CNTHCTL_EVNTEN   BIT(2)
#define CNTHCTL_EVNTI    GENMASK(7, 4)

/* MDCR_EL2 */
#define MDCR_HPMN_MASK GENMASK(4, 0)
#define MDCR_TPMCR BIT(5)
#define MDCR_TPM   BIT(6)
#define MDCR_HPME  BIT(7)
#define MDCR_TDE   BIT(8)
#define MDCR_TDA   BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA  BIT(11)

/* CPTR_EL2 (E2H=0): RES1 bits 13:12, 9:0; TFP bit 10 */
#define CPTR_EL2_RES1 (GENMASK(13, 12) | GENMASK(9, 0))
#define CPTR_EL2_TFP  BIT(10)

/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4] */
#define HPFAR_FIPA GENMASK(43, 4)

static inline unsigned arch_cpu_id_raw(void)
{
    return (unsigned)sysreg_read(tpidr_el2);
}
