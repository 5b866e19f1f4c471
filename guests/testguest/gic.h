/* SPDX-License-Identifier: MIT */
/*
 * GICv3 driver for the guest (GIC architecture spec IHI 0069): distributor and redistributor
 * MMIO for enable/priority/group, system-register CPU interface for acknowledge/EOI/SGIs.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

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
