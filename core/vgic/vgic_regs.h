/* SPDX-License-Identifier: MIT */
/*
 * GICv3 register layout the virtual GIC emulates and programs: distributor (GICD) and
 * redistributor (GICR) offsets and fields, the ICC_SGI1R_EL1 layout and the EL2 virtual CPU
 * interface registers (ICH_*). Positions follow the GICv3/v4 architecture specification
 * (Arm IHI 0069H) chapters 12.9-12.11 and 12.5; every layout fact is pinned by a static
 * assertion at the bottom so a typo cannot silently move a field.
 */
#pragma once

#include <stdint.h>

/* Bit helpers, token-identical to <arch/sysreg.h> so either may come first. */
#ifndef BIT
#define BIT(n) (UINT64_C(1) << (n))
#endif
#ifndef GENMASK
#define GENMASK(h, l) (((~UINT64_C(0)) >> (63 - (h))) & ~((UINT64_C(1) << (l)) - 1))
#endif
#ifndef FIELD_GET
#define FIELD_GET(mask, v) (((v) & (mask)) >> __builtin_ctzll(mask))
#endif
#ifndef FIELD_PREP
#define FIELD_PREP(mask, v) ((((uint64_t)(v)) << __builtin_ctzll(mask)) & (mask))
#endif

/* ---------------------------------------------------------------- distributor (12.9) */
#define GICD_FRAME_SIZE   UINT32_C(0x10000)
#define GICD_CTLR         0x0000u
#define GICD_TYPER        0x0004u
#define GICD_IIDR         0x0008u
#define GICD_TYPER2       0x000cu
#define GICD_STATUSR      0x0010u
#define GICD_SETSPI_NSR   0x0040u /* ..0x005c: SETSPI/CLRSPI NS and S */
#define GICD_IGROUPR      0x0080u
#define GICD_ISENABLER    0x0100u
#define GICD_ICENABLER    0x0180u
#define GICD_ISPENDR      0x0200u
#define GICD_ICPENDR      0x0280u
#define GICD_ISACTIVER    0x0300u
#define GICD_ICACTIVER    0x0380u
#define GICD_IPRIORITYR   0x0400u
#define GICD_ITARGETSR    0x0800u
#define GICD_ICFGR        0x0c00u
#define GICD_IGRPMODR     0x0d00u
#define GICD_NSACR        0x0e00u
#define GICD_SGIR         0x0f00u
#define GICD_CPENDSGIR    0x0f10u
#define GICD_SPENDSGIR    0x0f20u
#define GICD_INMIR        0x0f80u
#define GICD_ESPI_BASE    0x1000u /* extended SPI register block, 0x1000..0x5fff */
#define GICD_IROUTER      0x6000u
#define GICD_IROUTERE     0x8000u
#define GICD_IDREGS       0xffd0u /* PIDR4..7, PIDR0..3, CIDR0..3 */
#define GICD_PIDR2        0xffe8u
#define GICD_IDREGS_SIZE  0x30u

/* Bytes one bit-per-INTID register class spans for all 1024 INTIDs. */
#define GIC_BITMAP_SPAN   0x80u

#define GICD_CTLR_ENABLE_G0   BIT(0)
#define GICD_CTLR_ENABLE_G1   BIT(1)
#define GICD_CTLR_ARE         BIT(4)
#define GICD_CTLR_DS          BIT(6)
#define GICD_CTLR_RWP         BIT(31)

#define GICD_TYPER_ITLINES    GENMASK(4, 0)
#define GICD_TYPER_CPUNUMBER  GENMASK(7, 5)
#define GICD_TYPER_SECEXTN    BIT(10)
#define GICD_TYPER_MBIS       BIT(16)
#define GICD_TYPER_LPIS       BIT(17)
#define GICD_TYPER_IDBITS     GENMASK(23, 19)
#define GICD_TYPER_A3V        BIT(24)
#define GICD_TYPER_NO1N       BIT(25)
#define GICD_TYPER_RSS        BIT(26)

/* GICD_IROUTER<n>: affinity of the target PE; IRM (bit 31) is RES0 because No1N = 1. */
#define GICD_IROUTER_AFF0     GENMASK(7, 0)
#define GICD_IROUTER_AFF1     GENMASK(15, 8)
#define GICD_IROUTER_AFF2     GENMASK(23, 16)
#define GICD_IROUTER_IRM      BIT(31)
#define GICD_IROUTER_AFF3     GENMASK(39, 32)
#define GICD_IROUTER_WRITABLE \
    (GICD_IROUTER_AFF0 | GICD_IROUTER_AFF1 | GICD_IROUTER_AFF2 | GICD_IROUTER_AFF3)

/* GICD_ICFGR / GICR_ICFGR<n>: two bits per INTID, bit 1 set = edge, bit 0 RES0. */
#define GIC_ICFGR_EDGE        UINT64_C(0x2)
#define GIC_ICFGR_SGI_RO      UINT32_C(0xaaaaaaaa)

/* ---------------------------------------------------------------- redistributor (12.10) */
#define GICR_FRAME_SIZE   UINT32_C(0x20000) /* RD_base + SGI_base, no VLPI frames */
#define GICR_SGI_OFFSET   UINT32_C(0x10000)
#define GICR_CTLR         0x0000u
#define GICR_IIDR         0x0004u
#define GICR_TYPER        0x0008u
#define GICR_STATUSR      0x0010u
#define GICR_WAKER        0x0014u
#define GICR_MPAMIDR      0x0018u
#define GICR_PARTIDR      0x001cu
#define GICR_SETLPIR      0x0040u
#define GICR_CLRLPIR      0x0048u
#define GICR_PROPBASER    0x0070u
#define GICR_PENDBASER    0x0078u
#define GICR_INVLPIR      0x00a0u
#define GICR_INVALLR      0x00b0u
#define GICR_SYNCR        0x00c0u
#define GICR_IDREGS       0xffd0u
/* SGI_base frame, offsets relative to the frame. */
#define GICR_IGROUPR0     0x0080u
#define GICR_ISENABLER0   0x0100u
#define GICR_ICENABLER0   0x0180u
#define GICR_ISPENDR0     0x0200u
#define GICR_ICPENDR0     0x0280u
#define GICR_ISACTIVER0   0x0300u
#define GICR_ICACTIVER0   0x0380u
#define GICR_IPRIORITYR0  0x0400u
#define GICR_ICFGR0       0x0c00u
#define GICR_IGRPMODR0    0x0d00u
#define GICR_NSACR        0x0e00u
#define GICR_INMIR0       0x0f80u

#define GICR_TYPER_LAST       BIT(4)
#define GICR_TYPER_PROCNUM    GENMASK(23, 8)
#define GICR_TYPER_AFFINITY   GENMASK(63, 32)

#define GICR_WAKER_SLEEP      BIT(1) /* ProcessorSleep */
#define GICR_WAKER_ASLEEP     BIT(2) /* ChildrenAsleep */

/*
 * Identification. PIDR2 carries ArchRev = 3 (GICv3) and, with PIDR1/PIDR4, the JEP106 code
 * 0x43B; GICD_IIDR/GICR_IIDR report Implementer 0x43B with ProductID 'B' (0x42) so that
 * Bulkhead's virtual GIC cannot be mistaken for a real GIC product with errata (KVM uses the
 * same implementer with ProductID 'K'). See docs/VGIC.md.
 */
#define VGIC_IIDR_VALUE   UINT32_C(0x4200043b)
#define VGIC_PIDR2_VALUE  UINT32_C(0x3b)

/* ---------------------------------------------------------------- ICC_SGI1R_EL1 (12.2.22) */
#define ICC_SGIR_TARGETLIST   GENMASK(15, 0)
#define ICC_SGIR_AFF1         GENMASK(23, 16)
#define ICC_SGIR_INTID        GENMASK(27, 24)
#define ICC_SGIR_AFF2         GENMASK(39, 32)
#define ICC_SGIR_IRM          BIT(40)
#define ICC_SGIR_RS           GENMASK(47, 44)
#define ICC_SGIR_AFF3         GENMASK(55, 48)

/* ---------------------------------------------------------------- ICH_* (12.5) */
/*
 * ICH_LR<n>_EL2
 *   63 62 | 61 | 60  | 59..56 | 55..48   | 47..45 | 44..32 (41 = EOI if HW=0) | 31..0
 *   State | HW | Grp | RES0   | Priority | RES0   | pINTID                    | vINTID
 */
#define ICH_LR_VINTID         GENMASK(31, 0)
#define ICH_LR_PINTID         GENMASK(44, 32)
#define ICH_LR_EOI            BIT(41)
#define ICH_LR_PRIORITY       GENMASK(55, 48)
#define ICH_LR_GROUP          BIT(60)
#define ICH_LR_HW             BIT(61)
#define ICH_LR_PENDING        BIT(62)
#define ICH_LR_ACTIVE         BIT(63)
#define ICH_LR_STATE          (ICH_LR_PENDING | ICH_LR_ACTIVE)
/* Not ICH_LR_EL2's: a GICv2 VM's SGI source CPU, kept in pINTID bits RES0 when HW = 0 and
 * translated to GICH_LR.CPUID [12:10] by the GICv2 back end (vgic_v2.c). Only GICv2 hardware
 * ever sees an LR value with it set. */
#define ICH_LR_V2_SOURCE      GENMASK(34, 32)

#define ICH_HCR_EN            BIT(0)
#define ICH_HCR_UIE           BIT(1)
#define ICH_HCR_LRENPIE       BIT(2)
#define ICH_HCR_NPIE          BIT(3)
#define ICH_HCR_EOICOUNT      GENMASK(31, 27)

#define ICH_MISR_EOI          BIT(0)
#define ICH_MISR_U            BIT(1)
#define ICH_MISR_LRENP        BIT(2)
#define ICH_MISR_NP           BIT(3)

#define ICH_VTR_LISTREGS      GENMASK(4, 0)
#define ICH_VTR_PREBITS       GENMASK(28, 26)
#define ICH_VTR_PRIBITS       GENMASK(31, 29)

#define ICH_VMCR_VENG0        BIT(0)
#define ICH_VMCR_VENG1        BIT(1)
#define ICH_VMCR_VPMR         GENMASK(31, 24)

/* ---------------------------------------------------------------- layout checks */
_Static_assert(GICD_IROUTER + 8 * 32 == 0x6100, "IROUTER32 is the first SPI router");
_Static_assert(GICD_IPRIORITYR + 1020 < GICD_ITARGETSR, "IPRIORITYR spans 1020 INTIDs");
_Static_assert(GICD_ICFGR + 1024 / 4 == GICD_IGRPMODR, "ICFGR spans 1024 INTIDs");
_Static_assert(GICD_ISENABLER + GIC_BITMAP_SPAN == GICD_ICENABLER, "bitmap span");
_Static_assert(GICD_PIDR2 == GICD_IDREGS + 0x18, "PIDR2 position");
_Static_assert(GICR_SGI_OFFSET * 2 == GICR_FRAME_SIZE, "RD + SGI frame per redistributor");
_Static_assert(ICH_LR_PRIORITY == (UINT64_C(0xff) << 48), "LR priority field");
_Static_assert(ICH_LR_PINTID == (UINT64_C(0x1fff) << 32), "LR pINTID field");
_Static_assert(ICH_LR_HW == (UINT64_C(1) << 61) && ICH_LR_GROUP == (UINT64_C(1) << 60),
               "LR HW/Group bits");
_Static_assert(ICH_LR_STATE == (UINT64_C(3) << 62), "LR state field");
_Static_assert((ICH_LR_EOI & ICH_LR_PINTID) != 0, "EOI lives inside pINTID when HW = 0");
_Static_assert((ICH_LR_V2_SOURCE & ICH_LR_PINTID) == ICH_LR_V2_SOURCE &&
                   (ICH_LR_V2_SOURCE & ICH_LR_EOI) == 0,
               "a GICv2 SGI's source lives inside pINTID when HW = 0, apart from EOI");
_Static_assert(GICD_TYPER_IDBITS == (UINT64_C(0x1f) << 19), "TYPER.IDbits");
_Static_assert(ICC_SGIR_RS == (UINT64_C(0xf) << 44), "SGI1R.RS");

/* ---------------------------------------------------------------- GICv2 GICH (IHI 0048B 5.3) */
/*
 * The GICv2 virtual interface control registers, memory-mapped (GICH), which the GICv2 back
 * end (core/vgic/vgic_v2.c) translates to and from the ICH_* values above: the model keeps
 * list registers in ICH_LR<n>_EL2 form whichever the hardware is.
 *   GICH_LR<n>: 31 HW | 30 Grp1 | 29..28 State (A, P) | 27..23 Priority[7:3] | 22..20 RES0 |
 *               19..10 PhysicalID (HW = 1); 19 EOI, 12..10 CPUID (HW = 0) | 9..0 VirtualID
 * HCR, MISR, EISR0, ELRSR0, VMCR and VTR put the fields the vGIC uses where ICH_* has them
 * (VMCR.VMPriMask [31:27] is the top of ICH_VMCR.VPMR [31:24]; VTR.ListRegs is 6 bits).
 */
#define GICH_HCR          0x000u
#define GICH_VTR          0x004u
#define GICH_VMCR         0x008u
#define GICH_MISR         0x010u
#define GICH_EISR0        0x020u
#define GICH_ELRSR0       0x030u
#define GICH_APR          0x0f0u
#define GICH_LR0          0x100u
#define GICH_FRAME_SIZE   0x200u /* up to 64 LRs */

#define GICH_LR_VIRTUALID     GENMASK(9, 0)
#define GICH_LR_PHYSICALID    GENMASK(19, 10)
#define GICH_LR_CPUID         GENMASK(12, 10)
#define GICH_LR_EOI           BIT(19)
#define GICH_LR_PRIORITY      GENMASK(27, 23)
#define GICH_LR_PENDING       BIT(28)
#define GICH_LR_ACTIVE        BIT(29)
#define GICH_LR_STATE         (GICH_LR_PENDING | GICH_LR_ACTIVE)
#define GICH_LR_GROUP1        BIT(30)
#define GICH_LR_HW            BIT(31)
#define GICH_LR_PRIO_SHIFT    3 /* GICH_LR.Priority holds priority bits [7:3] */

#define GICH_VTR_LISTREGS     GENMASK(5, 0)
#define GICH_VTR_PREBITS      GENMASK(28, 26)
#define GICH_VTR_PRIBITS      GENMASK(31, 29)
#define GICH_VMCR_PRIMASK     GENMASK(31, 27)

_Static_assert(GICH_LR_PRIORITY == (UINT64_C(0x1f) << 23), "GICH_LR priority field");
_Static_assert(GICH_LR_PHYSICALID == (UINT64_C(0x3ff) << 10), "GICH_LR physical ID field");
_Static_assert(GICH_LR_STATE == (UINT64_C(3) << 28), "GICH_LR state field");
_Static_assert(GICH_LR0 + 64 * 4 == GICH_FRAME_SIZE, "64 GICH_LRs");
_Static_assert(GICH_VTR_PRIBITS == ICH_VTR_PRIBITS && GICH_VTR_PREBITS == ICH_VTR_PREBITS,
               "VTR priority fields agree");
_Static_assert((GICH_VMCR_PRIMASK & ICH_VMCR_VPMR) == GICH_VMCR_PRIMASK, "VMCR priority mask");
