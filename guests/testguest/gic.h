/* SPDX-License-Identifier: MIT */
/*
 * GIC driver for the guest. GICv3 (GIC architecture spec IHI 0069): distributor and
 * redistributor MMIO for enable/priority/group, system-register CPU interface for
 * acknowledge/EOI/SGIs. GICv2 (IHI 0048B), when the device tree has an arm,gic-400 or
 * arm,cortex-a15-gic node (plat.gic_v2: Bulkhead on GICv2 hardware): the distributor banks
 * SGIs and PPIs per CPU, routes SPIs by GICD_ITARGETSR and sends SGIs by GICD_SGIR; the CPU
 * interface is the memory-mapped GICC. Interrupts stay in Group 0 there, as Linux leaves
 * them (a virtual CPU interface signals Group 0 as IRQ). The same calls serve both.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"
#include "sysreg.h"

/* Distributor (GICD) registers, offsets from the GICD base (spec 12.9). */
#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_IROUTER    0x6000 /* 64-bit per INTID, accessed as two 32-bit halves */
#define GICD_PIDR2      0xffe8

#define GICD_CTLR_ENABLE_G1 BIT(1) /* EnableGrp1 (DS=1) or EnableGrp1A (NS view) */
#define GICD_CTLR_ARE_NS    BIT(4) /* ARE (DS=1) or ARE_NS (NS view): affinity routing */
#define GICD_CTLR_RWP       BIT(31)
#define GICD_TYPER_ITLINES  GENMASK(4, 0)
#define GICD_IROUTER_IRM    BIT(31)
#define GICD_IROUTER_STRIDE 8
#define GIC_PIDR2_ARCHREV   GENMASK(7, 4)
#define GIC_ARCHREV_GICV3   3
#define GIC_ARCHREV_GICV4   4

/* Redistributor RD_base frame (spec 12.10). */
#define GICR_CTLR       0x0000
#define GICR_TYPER      0x0008 /* 64-bit, accessed as two 32-bit halves */
#define GICR_TYPER_HI   0x000c
#define GICR_WAKER      0x0014
#define GICR_PIDR2      0xffe8
#define GICR_TYPER_VLPIS BIT(1)
#define GICR_TYPER_LAST  BIT(4)
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)

/* Redistributor SGI_base frame, 64 KiB after RD_base. */
#define GICR_SGI_OFFSET 0x10000
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ICPENDR0   0x0280
#define GICR_IPRIORITYR 0x0400

#define GICR_FRAME_STRIDE_V3 0x20000UL /* RD + SGI frames */
#define GICR_FRAME_STRIDE_V4 0x40000UL /* plus VLPI + reserved frames */

/* GICv2 only (IHI 0048B 4.3, 4.4): SPI targets, SGIs, the memory-mapped CPU interface. */
#define GICD_ITARGETSR  0x0800 /* one byte per INTID: CPU interface bit mask */
#define GICD_SGIR       0x0f00
#define GICD_SGIR_TARGETS_SHIFT 16 /* CPUTargetList [23:16], TargetListFilter 0 */
#define GICD_CTLR_ENABLE_G0 BIT(0)
#define GICC_CTLR       0x0000
#define GICC_PMR        0x0004
#define GICC_BPR        0x0008
#define GICC_IAR        0x000c
#define GICC_EOIR       0x0010
#define GICC_CTLR_ENABLE_G0 BIT(0) /* EOImode 0: EOIR also deactivates */
#define GICC_IAR_INTID  GENMASK(9, 0) /* [12:10]: an SGI's source CPU, kept for EOIR */
#define GICV2_MAX_CPUS  8

#define GIC_INTID_SPURIOUS   1020 /* 1020..1023 are special, never EOIed */
#define GIC_INTID_SPECIAL_END 1024
#define GIC_NR_PRIVATE     32   /* SGIs and PPIs, banked per CPU */
#define GIC_IRQ_PRIORITY   0xa0
#define GIC_REG_BITS       32   /* one bit per INTID in the set/clear-enable registers */
#define GIC_PRIO_PER_REG   4
#define GIC_PRIO_BITS      8

typedef void (*irq_handler_t)(uint32_t intid);

/* Enable affinity routing and group 1 in the distributor. Boot CPU only, before any CPU. */
void gic_dist_init(void);

/*
 * Per-CPU setup for the calling CPU: find its redistributor by GICR_TYPER affinity, wake
 * it, put all SGIs/PPIs in group 1 at a default priority, enable the system-register CPU
 * interface. Returns false if no redistributor matches this CPU's MPIDR.
 */
bool gic_cpu_init(void);

/* RD_base of the redistributor whose GICR_TYPER affinity equals mpidr, or 0. */
uintptr_t gic_find_redist(uint64_t mpidr);

/* Stride between redistributor frames (DT "redistributor-stride" or from GICR_TYPER). */
uint64_t gic_redist_stride(void);

/* Register the handler for private interrupt intid (< GIC_NR_PRIVATE); same on all CPUs. */
void gic_set_handler(uint32_t intid, irq_handler_t handler);

/* Enable private interrupt intid on the calling CPU's redistributor. */
void gic_enable_private(uint32_t intid);

/* Disable private interrupt intid on the calling CPU and clear it if pending. */
void gic_disable_private(uint32_t intid);

/* Send SGI intid to the one CPU with affinity mpidr. */
void gic_send_sgi(uint32_t intid, uint64_t mpidr);

/* Acknowledge, dispatch and EOI pending group-1 interrupts; called from the IRQ vector. */
void gic_handle_irq(void);

/* Acknowledge the highest-priority pending interrupt: the IAR value (ICC_IAR1_EL1 or
 * GICC_IAR), to be given back to gic_eoi; gic_iar_intid gives its INTID (>= 1020: none).
 * Inline: on every interrupt, and GICv3 guests pay one test for GICv2 support. */
static inline uint32_t gic_ack(void)
{
    if (plat.gic_v2) {
        return *(volatile uint32_t *)(plat.gicc_base + GICC_IAR);
    }
    return (uint32_t)read_sysreg(ICC_IAR1_EL1);
}

static inline uint32_t gic_iar_intid(uint32_t iar)
{
    return plat.gic_v2 ? (uint32_t)FIELD_GET(GICC_IAR_INTID, iar)
                       : (uint32_t)FIELD_GET(ICC_IAR_INTID, iar);
}

/* End of interrupt (priority drop and deactivation, EOImode 0) of an acknowledged IAR. */
static inline void gic_eoi(uint32_t iar)
{
    if (plat.gic_v2) {
        *(volatile uint32_t *)(plat.gicc_base + GICC_EOIR) = iar;
        return;
    }
    write_sysreg(iar, ICC_EOIR1_EL1);
    isb();
}
/* Route SPI intid to the calling CPU: GICD_IROUTER (v3) or GICD_ITARGETSR (v2). */
void gic_spi_route_self(uint32_t intid);
/* Whether this guest drives a GICv2 (its device tree's GIC). */
bool gic_is_v2(void);
