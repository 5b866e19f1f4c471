// SPDX-License-Identifier: MIT
/*
 * GIC guest driver (GICv3, or GICv2 when the device tree says so: gic.h): only the pieces the
 * tests need. 64-bit registers (GICR_TYPER,
 * GICD_IROUTER) are read as 32-bit halves, which the spec permits (12.1.4) and which an
 * emulating hypervisor can decode from a single-register syndrome.
 */
#include "gic.h"
#include "gicx.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "tg.h"

#define GIC_SGI_TARGETS_PER_RS 16 /* ICC_SGI1R TargetList covers Aff0 % 16, RS = Aff0 / 16 */
#define GICR_AFF_BITS 8

static irq_handler_t handlers[GIC_NR_PRIVATE];

/* Wait until a register write has taken effect (RWP); bounded by WFE, not a busy loop. */
#define GICD_RWP_MS 100

void gicd_wait_rwp(void)
{
    /* the counter directly: the RTOS links this file without timer.c */
    uint64_t deadline = read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) * GICD_RWP_MS / 1000;

    while ((mmio_read32(plat.gicd_base + GICD_CTLR) & GICD_CTLR_RWP) &&
           read_sysreg(cntvct_el0) < deadline) {
        wfe();
    }
}

static void spi_config(uint32_t intid, bool edge)
{
    uintptr_t cfg = plat.gicd_base + GICD_ICFGR + (intid / GICD_ICFGR_PER_REG) * sizeof(uint32_t);
    uint32_t edge_bit = GIC_ICFGR_EDGE << ((intid % GICD_ICFGR_PER_REG) * GIC_ICFGR_BITS);

    mmio_write32(cfg, edge ? mmio_read32(cfg) | edge_bit : mmio_read32(cfg) & ~edge_bit);
}

void gic_spi_set_edge(uint32_t intid)
{
    spi_config(intid, true);
}

void gic_spi_setup(uint32_t intid, uint8_t prio, bool edge, bool clear_pending)
{
    uintptr_t d = plat.gicd_base;
    uint32_t bit = gic_bit(intid), word = gic_bit_reg(intid);

    gic_spi_disable(intid);
    if (clear_pending) {
        mmio_write32(d + GICD_ICPENDR + word, bit);
    }
    if (!plat.gic_v2) { /* GICv2: Group 0 (gic.h) */
        mmio_write32(d + GICD_IGROUPR + word, mmio_read32(d + GICD_IGROUPR + word) | bit);
    }
    spi_config(intid, edge);
    mmio_write8(d + GICD_IPRIORITYR + intid, prio);
    gic_spi_route_self(intid);
    mmio_write32(d + GICD_ISENABLER + word, bit);
}

void gic_spi_route_self(uint32_t intid)
{
    uint64_t mpidr = this_cpu()->mpidr;
    uintptr_t route = plat.gicd_base + GICD_IROUTER + intid * GICD_IROUTER_STRIDE;

    if (plat.gic_v2) {
        /* CPU interface number = Aff0 under Bulkhead (vCPU i has MPIDR Aff0 = i) */
        uint64_t aff0 = FIELD_GET(MPIDR_AFF0, mpidr);
        if (aff0 < GICV2_MAX_CPUS) {
            mmio_write8(plat.gicd_base + GICD_ITARGETSR + intid, (uint8_t)BIT(aff0));
        }
        return;
    }
    mmio_write32(route, (uint32_t)(mpidr & (MPIDR_AFF0 | MPIDR_AFF1 | MPIDR_AFF2)));
    mmio_write32(route + sizeof(uint32_t), (uint32_t)FIELD_GET(MPIDR_AFF3, mpidr));
}

bool gic_is_v2(void)
{
    return plat.gic_v2;
}

void gic_spi_disable(uint32_t intid)
{
    mmio_write32(plat.gicd_base + GICD_ICENABLER + gic_bit_reg(intid), gic_bit(intid));
    gicd_wait_rwp();
}

void gic_dist_init(void)
{
    uint32_t ctlr = mmio_read32(plat.gicd_base + GICD_CTLR);

    if (plat.gic_v2) {
        mmio_write32(plat.gicd_base + GICD_CTLR, ctlr | GICD_CTLR_ENABLE_G0);
        return;
    }

    mmio_write32(plat.gicd_base + GICD_CTLR, ctlr | GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1);
    gicd_wait_rwp();
}

uint64_t gic_redist_stride(void)
{
    if (plat.gicr_stride) {
        return plat.gicr_stride;
    }
    uint32_t typer = mmio_read32(plat.gicr_base + GICR_TYPER);
    return (typer & GICR_TYPER_VLPIS) ? GICR_FRAME_STRIDE_V4 : GICR_FRAME_STRIDE_V3;
}

/* GICR_TYPER[63:32] holds Aff3.Aff2.Aff1.Aff0, one byte each. */
static uint32_t mpidr_to_gicr_aff(uint64_t mpidr)
{
    return (uint32_t)(FIELD_GET(MPIDR_AFF0, mpidr) |
                      FIELD_GET(MPIDR_AFF1, mpidr) << GICR_AFF_BITS |
                      FIELD_GET(MPIDR_AFF2, mpidr) << (2 * GICR_AFF_BITS) |
                      FIELD_GET(MPIDR_AFF3, mpidr) << (3 * GICR_AFF_BITS));
}

uintptr_t gic_find_redist(uint64_t mpidr)
{
    uint64_t stride = gic_redist_stride();
    uint32_t want = mpidr_to_gicr_aff(mpidr);

    /* stay inside the DT region even if no frame carries GICR_TYPER.Last */
    for (uint64_t off = 0; off + stride <= plat.gicr_size; off += stride) {
        uintptr_t rd = plat.gicr_base + off;
        uint32_t typer = mmio_read32(rd + GICR_TYPER);

        if (mmio_read32(rd + GICR_TYPER_HI) == want) {
            return rd;
        }
        if (typer & GICR_TYPER_LAST) {
            break;
        }
    }
    return 0;
}

static void gicr_wake(uintptr_t rd)
{
    uint32_t waker = mmio_read32(rd + GICR_WAKER);

    mmio_write32(rd + GICR_WAKER, waker & ~(uint32_t)GICR_WAKER_PROCESSOR_SLEEP);
    while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) {
        wfe();
    }
}

static void gicr_set_priority(uintptr_t sgi, uint32_t intid, uint8_t prio)
{
    uintptr_t reg = sgi + GICR_IPRIORITYR + (intid / GIC_PRIO_PER_REG) * sizeof(uint32_t);
    uint32_t shift = (intid % GIC_PRIO_PER_REG) * GIC_PRIO_BITS;
    uint32_t val = mmio_read32(reg);

    val &= ~((uint32_t)UINT8_MAX << shift);
    val |= (uint32_t)prio << shift;
    mmio_write32(reg, val);
}

/* GICv2: SGIs and PPIs in the banked distributor registers, the CPU interface in GICC. */
static void gic_cpu_init_v2(void)
{
    uintptr_t d = plat.gicd_base, c = plat.gicc_base;

    mmio_write32(d + GICD_ICENABLER, UINT32_MAX);
    mmio_write32(d + GICD_ICPENDR, UINT32_MAX);
    for (uint32_t intid = 0; intid < GIC_NR_PRIVATE; intid++) {
        mmio_write8(d + GICD_IPRIORITYR + intid, GIC_IRQ_PRIORITY);
    }
    mmio_write32(c + GICC_PMR, ICC_PMR_LOWEST);
    mmio_write32(c + GICC_BPR, 0);
    mmio_write32(c + GICC_CTLR, GICC_CTLR_ENABLE_G0);
}

bool gic_cpu_init(void)
{
    struct percpu *pc = this_cpu();

    if (plat.gic_v2) {
        gic_cpu_init_v2();
        return true;
    }

    pc->gicr_rd = gic_find_redist(pc->mpidr);
    if (!pc->gicr_rd) {
        return false;
    }
    gicr_wake(pc->gicr_rd);

    uintptr_t sgi = pc->gicr_rd + GICR_SGI_OFFSET;
    mmio_write32(sgi + GICR_ICENABLER0, UINT32_MAX);
    mmio_write32(sgi + GICR_ICPENDR0, UINT32_MAX);
    mmio_write32(sgi + GICR_IGROUPR0, UINT32_MAX); /* group 1: delivered as IRQ at EL1 */
    for (uint32_t intid = 0; intid < GIC_NR_PRIVATE; intid++) {
        gicr_set_priority(sgi, intid, GIC_IRQ_PRIORITY);
    }

    write_sysreg(read_sysreg(ICC_SRE_EL1) | ICC_SRE_SRE, ICC_SRE_EL1);
    isb();
    write_sysreg(ICC_PMR_LOWEST, ICC_PMR_EL1);
    write_sysreg(0, ICC_BPR1_EL1);
    write_sysreg(read_sysreg(ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
    write_sysreg(ICC_IGRPEN1_EN, ICC_IGRPEN1_EL1);
    isb();
    return true;
}

void gic_set_handler(uint32_t intid, irq_handler_t handler)
{
    if (intid < GIC_NR_PRIVATE) {
        handlers[intid] = handler;
    }
}

void gic_enable_private(uint32_t intid)
{
    uintptr_t rd = this_cpu()->gicr_rd;

    if (plat.gic_v2 && intid < GIC_NR_PRIVATE) {
        mmio_write32(plat.gicd_base + GICD_ISENABLER, (uint32_t)BIT(intid)); /* banked */
    } else if (rd && intid < GIC_NR_PRIVATE) {
        mmio_write32(rd + GICR_SGI_OFFSET + GICR_ISENABLER0, (uint32_t)BIT(intid));
    }
}

void gic_disable_private(uint32_t intid)
{
    uintptr_t rd = this_cpu()->gicr_rd;

    if (plat.gic_v2 && intid < GIC_NR_PRIVATE) {
        mmio_write32(plat.gicd_base + GICD_ICENABLER, (uint32_t)BIT(intid));
        mmio_write32(plat.gicd_base + GICD_ICPENDR, (uint32_t)BIT(intid));
    } else if (rd && intid < GIC_NR_PRIVATE) {
        mmio_write32(rd + GICR_SGI_OFFSET + GICR_ICENABLER0, (uint32_t)BIT(intid));
        mmio_write32(rd + GICR_SGI_OFFSET + GICR_ICPENDR0, (uint32_t)BIT(intid));
    }
}

void gic_send_sgi(uint32_t intid, uint64_t mpidr)
{
    uint64_t aff0 = FIELD_GET(MPIDR_AFF0, mpidr);

    if (plat.gic_v2) {
        if (aff0 < GICV2_MAX_CPUS) {
            dsb_sy();
            mmio_write32(plat.gicd_base + GICD_SGIR,
                         (uint32_t)(BIT(aff0) << GICD_SGIR_TARGETS_SHIFT) | (intid & 0xf));
        }
        return;
    }
    uint64_t val = FIELD_PREP(ICC_SGI1R_TARGETS, BIT(aff0 % GIC_SGI_TARGETS_PER_RS)) |
                   FIELD_PREP(ICC_SGI1R_RS, aff0 / GIC_SGI_TARGETS_PER_RS) |
                   FIELD_PREP(ICC_SGI1R_AFF1, FIELD_GET(MPIDR_AFF1, mpidr)) |
                   FIELD_PREP(ICC_SGI1R_AFF2, FIELD_GET(MPIDR_AFF2, mpidr)) |
                   FIELD_PREP(ICC_SGI1R_AFF3, FIELD_GET(MPIDR_AFF3, mpidr)) |
                   FIELD_PREP(ICC_SGI1R_INTID, intid);

    /* make earlier stores visible to the target before the interrupt arrives */
    dsb_sy();
    write_sysreg(val, ICC_SGI1R_EL1);
    isb();
}

void gic_handle_irq(void)
{
    for (;;) {
        uint32_t iar = gic_ack();
        uint32_t intid = gic_iar_intid(iar);

        if (intid >= GIC_INTID_SPURIOUS && intid < GIC_INTID_SPECIAL_END) {
            return;
        }
        if (intid < GIC_NR_PRIVATE && handlers[intid]) {
            handlers[intid](intid);
        } else {
            this_cpu()->unexpected_irqs++;
        }
        gic_eoi(iar);
    }
}
