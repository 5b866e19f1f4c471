/* SPDX-License-Identifier: MIT */
/*
 * Physical GICv3 driver for EL2 (ARM IHI 0069): distributor and redistributor set-up, the
 * CPU interface in EOImode 1 (priority drop and deactivation are separate, so a HW-linked
 * virtual interrupt can be deactivated by the guest), SGIs and SPI routing.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/sysreg.h>

#define GIC_SGI_KICK   0   /* "look at your vCPU": LR refill, stop, start */
#define GIC_SGI_SCHED  2   /* the kick of a shared pCPU: re-decide who runs (sched_cpu.c) */
#define GIC_PPI_MAINT  25  /* virtual CPU interface maintenance interrupt */

/* Distributor init, once, on the boot CPU. gicd/gicr are the EL2 (identity) addresses. */
void gicv3_init(uint64_t gicd, uint64_t gicr, uint64_t gicr_size);
/* This CPU's redistributor and CPU interface; mpidr selects the redistributor frame. */
int gicv3_cpu_init(uint64_t mpidr);
/* Enable / disable / configure an interrupt (PPIs/SGIs on the calling CPU's redistributor). */
void gicv3_enable(uint32_t intid, bool enable);
void gicv3_set_priority(uint32_t intid, uint8_t prio);
/* Set / clear the active state of intid; for SGIs and PPIs in physical CPU cpu's
 * redistributor. */
void gicv3_set_active(uint32_t intid, unsigned cpu, bool active);
/* Whether SPI intid is pending at the distributor (for a level SPI: its line is high). */
bool gicv3_is_pending(uint32_t intid);
/* This pCPU's SGIs and PPIs that are active (GICR_ISACTIVER0: bit n = INTID n). */
uint32_t gicv3_local_active(void);
/* Route an SPI to the CPU with this MPIDR. */
void gicv3_route_spi(uint32_t intid, uint64_t mpidr);
/* Send SGI intid to the CPU with this MPIDR. */
void gicv3_send_sgi(uint32_t intid, uint64_t mpidr);
/* The ICC_SGI1R_EL1 value that sends SGI intid to the CPU with this MPIDR, and sending a
 * value computed before (hot paths precompute it per target). */
uint64_t gicv3_sgi1r(uint32_t intid, uint64_t mpidr);
static inline void gicv3_send_sgi1r(uint64_t sgi1r)
{
    dsb(ishst);
    sysreg_write(ICC_SGI1R_EL1, sgi1r);
    isb();
}
/* Acknowledge (returns INTID, 1023 if none), priority drop, deactivate. */
/* Inline: every interrupt taken at EL2 goes through them. */
static inline uint32_t gicv3_ack(void)
{
    uint32_t intid = (uint32_t)sysreg_read(ICC_IAR1_EL1) & 0xffffff;
    dsb(sy);
    return intid;
}

static inline void gicv3_eoi(uint32_t intid)
{
    sysreg_write(ICC_EOIR1_EL1, intid);
}

static inline void gicv3_deactivate(uint32_t intid)
{
    sysreg_write(ICC_DIR_EL1, intid);
}

/*
 * Group 0, which Bulkhead never uses (every interrupt is Group 1): with one security state
 * (GICD_CTLR.DS, QEMU virt without secure=on) a Group 0 interrupt is signalled as FIQ. Its
 * acknowledge (ICC_IAR0_EL1, 1023 if none) and priority drop (ICC_EOIR0_EL1; ICC_DIR_EL1
 * deactivates it, EOImode 1 holding for both groups). They are accessible at EL2 whenever a
 * FIQ is taken there: SCR_EL3.FIQ is then clear, or it would have gone to EL3.
 */
static inline uint32_t gicv3_ack_fiq(void)
{
    uint32_t intid = (uint32_t)sysreg_read(ICC_IAR0_EL1) & 0xffffff;
    dsb(sy);
    return intid;
}

static inline void gicv3_eoi_fiq(uint32_t intid)
{
    sysreg_write(ICC_EOIR0_EL1, intid);
}

/* Test builds (CONFIG_FIQ_TEST): a Group 0 SGI pending on this CPU (drivers/gicv3.c). */
void gicv3_test_fiq_sgi(uint32_t intid);

/* Stop this CPU interface signalling Group 0 (FIQ) at all: true if it was signalling. */
static inline bool gicv3_fiq_off(void)
{
    bool was_on = sysreg_read(ICC_IGRPEN0_EL1) & 1;

    sysreg_write(ICC_IGRPEN0_EL1, 0);
    isb();
    return was_on;
}
