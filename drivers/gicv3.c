// SPDX-License-Identifier: MIT
/*
 * Physical GICv3 (ARM IHI 0069) at EL2. The hypervisor owns the distributor; all interrupts
 * are non-secure Group 1 and reach EL2 as IRQs (HCR_EL2.IMO). EOImode is 1 so that EL2 can
 * drop priority at once and leave deactivation of guest-bound interrupts to the guest through
 * the list register HW bit (IHI 0069 4.4 and 8.3.1).
 */
#include <drivers/gicv3.h>

#include <arch/layout.h>
#include <arch/sysreg.h>

/* Distributor registers (IHI 0069 12.9) */
#define GICD_CTLR        0x0000
#define GICD_TYPER       0x0004
#define GICD_IGROUPR     0x0080
#define GICD_ISENABLER   0x0100
#define GICD_ICENABLER   0x0180
#define GICD_IPRIORITYR  0x0400
#define GICD_ICFGR       0x0c00
#define GICD_IROUTER     0x6000
#define GICD_CTLR_RWP    BIT(31)
#define GICD_CTLR_ARE    BIT(4)
#define GICD_CTLR_GRP1   BIT(1)
#define GICD_CTLR_GRP0   BIT(0)

/* Redistributor (IHI 0069 12.10/12.11): RD frame then SGI frame */
#define GICR_FRAME       0x20000
#define GICR_SGI         0x10000
#define GICR_CTLR        0x0000
#define GICR_TYPER       0x0008
#define GICR_WAKER       0x0014
#define GICR_WAKER_PSLEEP BIT(1)
#define GICR_WAKER_CASLEEP BIT(2)
#define GICR_TYPER_LAST  BIT(4)
#define GICR_IGROUPR0    (GICR_SGI + 0x0080)
#define GICR_ISENABLER0  (GICR_SGI + 0x0100)
#define GICR_ICENABLER0  (GICR_SGI + 0x0180)
#define GICR_IPRIORITYR  (GICR_SGI + 0x0400)
#define GICR_ISACTIVER0  (GICR_SGI + 0x0300)
#define GICR_ICACTIVER0  (GICR_SGI + 0x0380)
#define GICD_ISACTIVER   0x0300
#define GICD_ICACTIVER   0x0380

#define GIC_PRIO_DEFAULT 0xa0
#define GIC_NR_LOCAL     32

static uint64_t gicd_base;
static uint64_t gicr_base;
static uint64_t gicr_limit;
static uint64_t this_rd[MAX_CPUS]; /* redistributor of each CPU, indexed by TPIDR_EL2 */

static inline void w32(uint64_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

static inline uint32_t r32(uint64_t a)
{
    return *(volatile uint32_t *)a;
}

static inline void w64(uint64_t a, uint64_t v)
{
    *(volatile uint64_t *)a = v;
}

static inline uint64_t r64(uint64_t a)
{
    return *(volatile uint64_t *)a;
}

static void gicd_wait_rwp(void)
{
    while (r32(gicd_base + GICD_CTLR) & GICD_CTLR_RWP) {
    }
}

void gicv3_init(uint64_t gicd, uint64_t gicr, uint64_t gicr_size)
{
    gicd_base = gicd;
    gicr_base = gicr;
    gicr_limit = gicr + gicr_size;

    w32(gicd_base + GICD_CTLR, 0);
    gicd_wait_rwp();
    uint32_t lines = ((r32(gicd_base + GICD_TYPER) & 0x1f) + 1) * 32;
    for (uint32_t i = GIC_NR_LOCAL; i < lines; i += 32) {
        w32(gicd_base + GICD_ICENABLER + i / 8, 0xffffffff);
        w32(gicd_base + GICD_IGROUPR + i / 8, 0xffffffff);
    }
    for (uint32_t i = GIC_NR_LOCAL; i < lines; i += 4) {
        w32(gicd_base + GICD_IPRIORITYR + i, 0xa0a0a0a0);
    }
    gicd_wait_rwp();
    w32(gicd_base + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
    gicd_wait_rwp();
}

static uint64_t find_rd(uint64_t mpidr)
{
    uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);

    for (uint64_t rd = gicr_base; rd < gicr_limit; rd += GICR_FRAME) {
        uint64_t typer = r64(rd + GICR_TYPER);
        if ((typer >> 32) == aff) {
            return rd;
        }
        if (typer & GICR_TYPER_LAST) {
            break;
        }
    }
    return 0;
}

int gicv3_cpu_init(uint64_t mpidr)
{
    uint64_t rd = find_rd(mpidr);
    unsigned cpu = arch_cpu_id_raw();

    if (!rd || cpu >= MAX_CPUS) {
        return -1;
    }
    this_rd[cpu] = rd;
    w32(rd + GICR_WAKER, r32(rd + GICR_WAKER) & ~(uint32_t)GICR_WAKER_PSLEEP);
    while (r32(rd + GICR_WAKER) & GICR_WAKER_CASLEEP) {
    }
    w32(rd + GICR_ICENABLER0, 0xffffffff);
    w32(rd + GICR_IGROUPR0, 0xffffffff);
    for (uint32_t i = 0; i < GIC_NR_LOCAL; i += 4) {
        w32(rd + GICR_IPRIORITYR + i, 0xa0a0a0a0);
    }
    sysreg_write(ICC_SRE_EL2, ICC_SRE_SRE | ICC_SRE_ENABLE);
    isb();
    sysreg_write(ICC_PMR_EL1, 0xff);
    sysreg_write(ICC_BPR1_EL1, 0);
    sysreg_write(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
    sysreg_write(ICC_IGRPEN1_EL1, 1);
    isb();
    return 0;
}

#ifdef CONFIG_FIQ_TEST
/* The FIQ self-test (arch/aarch64/trap.c trap_fiq_selftest): SGI intid of this CPU made
 * Group 0 at top priority, Group 0 enabled in the distributor and this CPU interface, and
 * the SGI sent to this CPU (ICC_SGI0R_EL1). Test builds only. */
void gicv3_test_fiq_sgi(uint32_t intid)
{
    uint64_t rd = this_rd[arch_cpu_id_raw()];
    uint64_t mpidr = sysreg_read(mpidr_el1);

    w32(rd + GICR_IGROUPR0, r32(rd + GICR_IGROUPR0) & ~(UINT32_C(1) << intid));
    *(volatile uint8_t *)(rd + GICR_IPRIORITYR + intid) = 0;
    w32(rd + GICR_ISENABLER0, UINT32_C(1) << intid);
    w32(gicd_base + GICD_CTLR, r32(gicd_base + GICD_CTLR) | GICD_CTLR_GRP0);
    gicd_wait_rwp();
    sysreg_write(ICC_IGRPEN0_EL1, 1);
    dsb(sy);
    sysreg_write(ICC_SGI0R_EL1, ((uint64_t)intid << 24) | ((mpidr >> 8 & 0xff) << 16) |
                                    ((mpidr >> 16 & 0xff) << 32) |
                                    ((mpidr >> 32 & 0xff) << 48) |
                                    (UINT64_C(1) << (mpidr & 0xf)) |
                                    ((mpidr & 0xf0) << 40));
    isb();
}
#endif

void gicv3_enable(uint32_t intid, bool enable)
{
    uint32_t bit = UINT32_C(1) << (intid % 32);

    if (intid < GIC_NR_LOCAL) {
        uint64_t rd = this_rd[arch_cpu_id_raw()];
        w32(rd + (enable ? GICR_ISENABLER0 : GICR_ICENABLER0), bit);
    } else {
        w32(gicd_base + (enable ? GICD_ISENABLER : GICD_ICENABLER) + (intid / 32) * 4, bit);
    }
}

void gicv3_set_active(uint32_t intid, unsigned cpu, bool active)
{
    uint32_t bit = UINT32_C(1) << (intid % 32);

    if (intid < GIC_NR_LOCAL) {
        if (cpu < MAX_CPUS && this_rd[cpu]) {
            w32(this_rd[cpu] + (active ? GICR_ISACTIVER0 : GICR_ICACTIVER0), bit);
        }
    } else {
        w32(gicd_base + (active ? GICD_ISACTIVER : GICD_ICACTIVER) + (intid / 32) * 4, bit);
    }
}

uint32_t gicv3_local_active(void)
{
    return r32(this_rd[arch_cpu_id_raw()] + GICR_ISACTIVER0);
}

#define GICD_ISPENDR 0x0200

bool gicv3_is_pending(uint32_t intid)
{
    if (intid < GIC_NR_LOCAL) {
        return true; /* only SPIs are asked about */
    }
    return r32(gicd_base + GICD_ISPENDR + (intid / 32) * 4) & (UINT32_C(1) << (intid % 32));
}

void gicv3_set_priority(uint32_t intid, uint8_t prio)
{
    if (intid < GIC_NR_LOCAL) {
        uint64_t rd = this_rd[arch_cpu_id_raw()];
        *(volatile uint8_t *)(rd + GICR_IPRIORITYR + intid) = prio;
    } else {
        *(volatile uint8_t *)(gicd_base + GICD_IPRIORITYR + intid) = prio;
    }
}

void gicv3_route_spi(uint32_t intid, uint64_t mpidr)
{
    uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 32);

    w64(gicd_base + GICD_IROUTER + intid * 8, aff);
}

uint64_t gicv3_sgi1r(uint32_t intid, uint64_t mpidr)
{
    /* ICC_SGI1R_EL1: TargetList[15:0], Aff1[23:16], INTID[27:24], Aff2[39:32], Aff3[55:48] */
    return (UINT64_C(1) << (mpidr & 0xf)) | (((mpidr >> 8) & 0xff) << 16) |
           ((uint64_t)intid << 24) | (((mpidr >> 16) & 0xff) << 32) |
           (((mpidr >> 32) & 0xff) << 48);
}

void gicv3_send_sgi(uint32_t intid, uint64_t mpidr)
{
    gicv3_send_sgi1r(gicv3_sgi1r(intid, mpidr));
}


