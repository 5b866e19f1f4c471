/* SPDX-License-Identifier: MIT */
/*
 * Physical GICv2 (GIC-400, ARM IHI 0048B) driver for EL2: distributor (GICD) and CPU interface
 * (GICC) set-up, the CPU interface in EOImode 1 (priority drop and deactivation separate, so a
 * HW-linked virtual interrupt can be deactivated by the guest through its list register), SGIs
 * through GICD_SGIR and SPI routing through GICD_ITARGETSR. The same calls as drivers/gicv3.h;
 * drivers/gic.h picks one when the image is built. CPU interface number = MPIDR.Aff0 (< 8), checked
 * against GICD_ITARGETSR0 at each CPU's init.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Distributor init, once, on the boot CPU; gicd/gicc are the EL2 (identity) addresses. */
void gicv2_init(uint64_t gicd, uint64_t gicc);
/* This CPU's banked distributor part and CPU interface; -1 if MPIDR.Aff0 is not this CPU's
 * interface number or is 8 or more (GICv2 has eight CPU interfaces). */
int gicv2_cpu_init(uint64_t mpidr);
void gicv2_enable(uint32_t intid, bool enable);
void gicv2_set_priority(uint32_t intid, uint8_t prio);
/* Active state of intid; SGIs/PPIs only on the calling CPU (banked): cpu must be this one. */
void gicv2_set_active(uint32_t intid, unsigned cpu, bool active);
bool gicv2_is_pending(uint32_t intid);
/* This CPU's SGIs and PPIs that are active (the banked GICD_ISACTIVER0: bit n = INTID n). */
uint32_t gicv2_local_active(void);
void gicv2_route_spi(uint32_t intid, uint64_t mpidr);
/* The GICD_SGIR value that sends SGI intid to the CPU with this MPIDR, and its sending. */
uint64_t gicv2_sgir(uint32_t intid, uint64_t mpidr);
void gicv2_send_sgir(uint64_t sgir);
void gicv2_send_sgi(uint32_t intid, uint64_t mpidr);
/* Acknowledge (INTID, 1023 if none; an SGI's source CPU is kept for its EOI and DIR). */
uint32_t gicv2_ack(void);
void gicv2_eoi(uint32_t intid);
void gicv2_deactivate(uint32_t intid);
/* Rewrite GICC_PMR with its value (drivers/gic.h gic_resample: a QEMU quirk). */
void gicv2_resample(void);
/* FIQ: gicv2_cpu_init leaves GICC_CTLR.FIQEn clear, so the GIC signals every group as IRQ
 * (GICC_IAR is the IRQ path's) and no FIQ comes from it: nothing to acknowledge (1023), and
 * nothing to stop (false). drivers/gicv3.h has the GICv3 side. */
static inline uint32_t gicv2_ack_fiq(void)
{
    return 1023;
}

static inline void gicv2_eoi_fiq(uint32_t intid)
{
    (void)intid;
}

static inline bool gicv2_fiq_off(void)
{
    return false;
}
