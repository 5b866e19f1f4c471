/* SPDX-License-Identifier: MIT */
/*
 * The physical GIC, whichever it is: drivers/gicv3.c (system-register CPU interface) or
 * drivers/gicv2.c (GIC-400, memory-mapped), chosen once at boot from the host device tree
 * (arch/aarch64/boot.c). The hot calls (acknowledge, EOI, deactivate, send an SGI) are the
 * GICv3 instruction itself, rewritten at boot into a call of the GICv2 driver on GICv2
 * hardware (<arch/gic_sel.h>): no cost on GICv3. The others test arch_gic_is_v2. INTID
 * numbers, priorities and the SGI/PPI roles (GIC_SGI_KICK, GIC_PPI_MAINT) are the same.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/gic_sel.h>
#include <arch/sysreg.h>
#include <drivers/gicv2.h>
#include <drivers/gicv3.h>

static inline void gic_enable(uint32_t intid, bool enable)
{
    if (arch_gic_is_v2) {
        gicv2_enable(intid, enable);
        return;
    }
    gicv3_enable(intid, enable);
}

static inline void gic_set_priority(uint32_t intid, uint8_t prio)
{
    if (arch_gic_is_v2) {
        gicv2_set_priority(intid, prio);
        return;
    }
    gicv3_set_priority(intid, prio);
}

static inline void gic_set_active(uint32_t intid, unsigned cpu, bool active)
{
    if (arch_gic_is_v2) {
        gicv2_set_active(intid, cpu, active);
        return;
    }
    gicv3_set_active(intid, cpu, active);
}

static inline bool gic_is_pending(uint32_t intid)
{
    if (arch_gic_is_v2) {
        return gicv2_is_pending(intid);
    }
    return gicv3_is_pending(intid);
}

static inline void gic_route_spi(uint32_t intid, uint64_t mpidr)
{
    if (arch_gic_is_v2) {
        gicv2_route_spi(intid, mpidr);
        return;
    }
    gicv3_route_spi(intid, mpidr);
}

/* The value that sends SGI intid to the CPU with this MPIDR (precomputed per target). */
static inline uint64_t gic_sgi_value(uint32_t intid, uint64_t mpidr)
{
    if (arch_gic_is_v2) {
        return gicv2_sgir(intid, mpidr);
    }
    return gicv3_sgi1r(intid, mpidr);
}

static inline void gic_send_sgi_value(uint64_t v)
{
    dsb(ishst);
    gic_sysreg_write(ICC_SGI1R_EL1, gicv2_site_sgir, 0, v);
    isb();
}

static inline void gic_send_sgi(uint32_t intid, uint64_t mpidr)
{
    gic_send_sgi_value(gic_sgi_value(intid, mpidr));
}

static inline uint32_t gic_ack(void)
{
    uint32_t intid = (uint32_t)gic_sysreg_read(ICC_IAR1_EL1, gicv2_site_ack, 0) & 0xffffff;
    dsb(sy);
    return intid;
}

static inline void gic_eoi(uint32_t intid)
{
    gic_sysreg_write(ICC_EOIR1_EL1, gicv2_site_eoi, 0, intid);
}

static inline void gic_deactivate(uint32_t intid)
{
    gic_sysreg_write(ICC_DIR_EL1, gicv2_site_dir, 0, intid);
}

/* This CPU's GIC: redistributor (v3) or banked distributor part (v2), and CPU interface. */
static inline int gic_cpu_init(uint64_t mpidr)
{
    if (arch_gic_is_v2) {
        return gicv2_cpu_init(mpidr);
    }
    return gicv3_cpu_init(mpidr);
}
