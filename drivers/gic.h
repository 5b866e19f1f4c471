/* SPDX-License-Identifier: MIT */
/*
 * The physical GIC of this build: drivers/gicv3.c (system-register CPU interface) or
 * drivers/gicv2.c (GIC-400, memory-mapped), chosen when the image is built: the platform's
 * platform.mk sets PLAT_GIC_VERSION (3: QEMU virt; 2: zcu102, qemu-virt-gicv2). Each gic_*
 * call is the driver's own, resolved by the compiler: no test, no indirection, no code of the
 * other driver on the hot paths. A device tree with the other GIC is refused at boot with one
 * line (core/platinfo.c). INTID numbers, priorities and the SGI/PPI roles are the same.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <drivers/gicv2.h>
#include <drivers/gicv3.h>

#if PLAT_GIC_VERSION == 2
#define GIC_DRV(fn) gicv2_##fn
#elif PLAT_GIC_VERSION == 3
#define GIC_DRV(fn) gicv3_##fn
#else
#error "PLAT_GIC_VERSION must be 2 or 3 (platform/<board>/platform.mk)"
#endif

/* This CPU's GIC: redistributor (v3) or banked distributor part (v2), and CPU interface. */
static inline int gic_cpu_init(uint64_t mpidr)
{
    return GIC_DRV(cpu_init)(mpidr);
}

static inline void gic_enable(uint32_t intid, bool enable)
{
    GIC_DRV(enable)(intid, enable);
}

static inline void gic_set_priority(uint32_t intid, uint8_t prio)
{
    GIC_DRV(set_priority)(intid, prio);
}

/* Active state of intid; an SGI or PPI only on the calling pCPU (GICv2 banks them). */
static inline void gic_set_active(uint32_t intid, unsigned cpu, bool active)
{
    GIC_DRV(set_active)(intid, cpu, active);
}

static inline bool gic_is_pending(uint32_t intid)
{
    return GIC_DRV(is_pending)(intid);
}

/* This pCPU's active SGIs and PPIs (bit n = INTID n). */
static inline uint32_t gic_local_active(void)
{
    return GIC_DRV(local_active)();
}

static inline void gic_route_spi(uint32_t intid, uint64_t mpidr)
{
    GIC_DRV(route_spi)(intid, mpidr);
}

/* The value that sends SGI intid to the CPU with this MPIDR (precomputed per target), and
 * its sending: ICC_SGI1R_EL1 (v3) or GICD_SGIR (v2). */
static inline uint64_t gic_sgi_value(uint32_t intid, uint64_t mpidr)
{
#if PLAT_GIC_VERSION == 2
    return gicv2_sgir(intid, mpidr);
#else
    return gicv3_sgi1r(intid, mpidr);
#endif
}

static inline void gic_send_sgi_value(uint64_t v)
{
#if PLAT_GIC_VERSION == 2
    gicv2_send_sgir(v);
#else
    gicv3_send_sgi1r(v);
#endif
}

static inline void gic_send_sgi(uint32_t intid, uint64_t mpidr)
{
    GIC_DRV(send_sgi)(intid, mpidr);
}

/* Acknowledge (returns INTID, 1023 if none), priority drop, deactivate. */
static inline uint32_t gic_ack(void)
{
    return GIC_DRV(ack)();
}

static inline void gic_eoi(uint32_t intid)
{
    GIC_DRV(eoi)(intid);
}

static inline void gic_deactivate(uint32_t intid)
{
    GIC_DRV(deactivate)(intid);
}

/* A FIQ (Group 0 with one security state on GICv3; none from a GICv2, FIQEn clear):
 * acknowledge (1023 if none), priority drop, and stop the CPU interface signalling FIQ (true
 * if it was). trap.c trap_guest_fiq. */
static inline uint32_t gic_ack_fiq(void)
{
    return GIC_DRV(ack_fiq)();
}

static inline void gic_eoi_fiq(uint32_t intid)
{
    GIC_DRV(eoi_fiq)(intid);
}

static inline bool gic_fiq_off(void)
{
    return GIC_DRV(fiq_off)();
}

/*
 * Before a pCPU sleeps for its vCPU (WFI): make the GIC look at its pending interrupts again.
 * A platform quirk of QEMU's GICv2 model (7.2, virt and xlnx-zcu102 alike): a guest's EOI of
 * a HW-linked list register deactivates the physical interrupt without re-evaluating the
 * physical CPU interface, so a physical interrupt already pending again behind it (the
 * virtual timer, re-armed by the guest) is not signalled until some other GIC access: every
 * pCPU could sleep through its timer. A write to GICC_PMR (the same value) is such an access;
 * on hardware it changes nothing. GICv3 builds: nothing.
 */
static inline void gic_resample(void)
{
#if PLAT_GIC_VERSION == 2
    gicv2_resample();
#endif
}
