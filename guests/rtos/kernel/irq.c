// SPDX-License-Identifier: MIT
/*
 * Interrupt registration and dispatch over the GIC CPU interface (testguest's gic.c: GICv3
 * system registers, GIC spec 12.2, or a GICv2's GICC when the device tree has one):
 * acknowledge, run the handler, drop priority and deactivate (EOImode 0). Private interrupts
 * go through testguest's helpers; SPIs are configured here in the distributor: group 1 (a
 * GICv2: group 0), one priority, routed to the registering CPU. Under Bulkhead all of this
 * is the virtual GIC.
 */
#include <rt/console.h>
#include <rt/irq.h>

#include "kernel.h"
#include "mmio.h"
#include "platform.h"

#define GICD_IGROUPR      0x0080
#define GICD_IPRIORITYR   0x0400
#define GIC_PRIO_MASK     0xffU
#define GIC_NR_SGIS       16
#define GIC_SPIS_PER_LINE 32 /* GICD_TYPER.ITLinesNumber counts blocks of 32 INTIDs */
#define REG_BYTES         4

static irq_handler_t irq_handlers[RT_IRQ_MAX];
static uint32_t irq_counts[RT_IRQ_MAX];
static uint32_t irq_unhandled;

static uint32_t gic_max_intid(void)
{
    uint32_t lines = (uint32_t)FIELD_GET(GICD_TYPER_ITLINES,
                                         mmio_read32(plat.gicd_base + GICD_TYPER));
    uint32_t max = (lines + 1) * GIC_SPIS_PER_LINE;

    return max < RT_IRQ_MAX ? max : RT_IRQ_MAX;
}

static void gicd_set_bit(uint32_t reg, uint32_t intid)
{
    uintptr_t a = plat.gicd_base + reg + (intid / GIC_REG_BITS) * REG_BYTES;

    mmio_write32(a, mmio_read32(a) | (uint32_t)BIT(intid % GIC_REG_BITS));
}

/* Group 1, default priority, routed to this CPU (IRM = 0), then enabled. */
static void spi_enable(uint32_t intid)
{
    uintptr_t prio = plat.gicd_base + GICD_IPRIORITYR + (intid / GIC_PRIO_PER_REG) * REG_BYTES;
    uint32_t shift = (intid % GIC_PRIO_PER_REG) * GIC_PRIO_BITS;

    if (!gic_is_v2()) { /* a GICv2 keeps them in Group 0 (testguest's gic.h) */
        gicd_set_bit(GICD_IGROUPR, intid);
    }
    mmio_write32(prio, (mmio_read32(prio) & ~(GIC_PRIO_MASK << shift)) |
                           (uint32_t)RT_IRQ_PRIORITY << shift);
    gic_spi_route_self(intid);
    gicd_set_bit(GICD_ISENABLER, intid);
}

static void spi_disable(uint32_t intid)
{
    mmio_write32(plat.gicd_base + GICD_ICENABLER + (intid / GIC_REG_BITS) * REG_BYTES,
                 (uint32_t)BIT(intid % GIC_REG_BITS));
}

int irq_register(uint32_t intid, irq_handler_t handler)
{
    if (!handler || intid >= gic_max_intid()) {
        return RT_EINVAL;
    }
    uint64_t daif = rt_irq_lock();
    int ret = RT_EBUSY;
    if (!irq_handlers[intid]) {
        irq_handlers[intid] = handler;
        if (intid < GIC_NR_PRIVATE) {
            gic_enable_private(intid);
        } else {
            spi_enable(intid);
        }
        ret = RT_OK;
    }
    rt_irq_unlock(daif);
    return ret;
}

int irq_unregister(uint32_t intid)
{
    if (intid >= RT_IRQ_MAX) {
        return RT_EINVAL;
    }
    uint64_t daif = rt_irq_lock();
    int ret = RT_EPERM;
    if (irq_handlers[intid]) {
        if (intid < GIC_NR_PRIVATE) {
            gic_disable_private(intid);
        } else {
            spi_disable(intid);
        }
        irq_handlers[intid] = NULL;
        ret = RT_OK;
    }
    rt_irq_unlock(daif);
    return ret;
}

void irq_send_sgi_self(uint32_t intid)
{
    if (intid < GIC_NR_SGIS) {
        gic_send_sgi(intid, this_cpu()->mpidr);
    }
}

uint32_t irq_count(uint32_t intid)
{
    return intid < RT_IRQ_MAX ? READ_ONCE(irq_counts[intid]) : 0;
}

void irq_dispatch(struct rt_cpu *cpu)
{
    (void)cpu;
    for (;;) {
        uint32_t iar = gic_ack();
        uint32_t intid = gic_iar_intid(iar);

        if (intid >= GIC_INTID_SPURIOUS) {
            return;
        }
        if (intid < RT_IRQ_MAX && irq_handlers[intid]) {
            irq_counts[intid]++;
            irq_handlers[intid](intid);
        } else {
            irq_unhandled++;
        }
        gic_eoi(iar);
    }
}
