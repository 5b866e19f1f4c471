// SPDX-License-Identifier: MIT
/*
 * Physical GICv2 (GIC-400; ARM IHI 0048B chapter 4) at EL2. The hypervisor owns the
 * distributor. Interrupts stay in the group the firmware left them in: without the Security
 * Extensions (QEMU virt without secure=on) that is Group 0, signalled as IRQ (FIQEn = 0);
 * in the Non-secure view of a GIC-400 with a secure firmware it is Group 1. Bit 0 of
 * GICD_CTLR and GICC_CTLR enables that group in both views, and bit 9 is EOImodeS
 * (no Security Extensions) or EOImodeNS (Non-secure view): EOImode 1 either way, so EL2 drops
 * priority at once and leaves deactivation of guest-bound interrupts to the guest's LR HW bit.
 * An SGI's IAR value carries its source CPU in bits [12:10]; EOIR and DIR need the same value,
 * so the last one taken of each SGI is kept per CPU (EL2 handles interrupts one at a time).
 */
#include <drivers/gicv2.h>

#include <arch/layout.h>
#include <arch/sysreg.h>

/* Distributor (IHI 0048B 4.3) */
#define GICD_CTLR        0x000
#define GICD_TYPER       0x004
#define GICD_ISENABLER   0x100
#define GICD_ICENABLER   0x180
#define GICD_ISPENDR     0x200
#define GICD_ISACTIVER   0x300
#define GICD_ICACTIVER   0x380
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_SGIR        0xf00
#define GICD_SGIR_TARGET_SHIFT 16

/* CPU interface (IHI 0048B 4.4) */
#define GICC_CTLR        0x0000
#define GICC_PMR         0x0004
#define GICC_BPR         0x0008
#define GICC_IAR         0x000c
#define GICC_EOIR        0x0010
#define GICC_DIR         0x1000
#define GICC_CTLR_ENABLE BIT(0)
#define GICC_CTLR_EOIMODE BIT(9) /* EOImodeS, or EOImodeNS in the Non-secure view */
#define GICC_IAR_INTID   0x3ffu

#define GIC_PRIO_DEFAULT 0xa0
#define GIC_NR_LOCAL     32
#define GIC_NR_SGIS      16
#define GICV2_MAX_CPUS   8

static uint64_t gicd_base;
static uint64_t gicc_base;
static uint32_t sgi_iar[MAX_CPUS][GIC_NR_SGIS]; /* last IAR value of each SGI, per CPU */

static inline void w32(uint64_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

static inline uint32_t r32(uint64_t a)
{
    return *(volatile uint32_t *)a;
}

void gicv2_init(uint64_t gicd, uint64_t gicc)
{
    gicd_base = gicd;
    gicc_base = gicc;

    w32(gicd_base + GICD_CTLR, 0);
    uint32_t lines = ((r32(gicd_base + GICD_TYPER) & 0x1f) + 1) * 32;
    for (uint32_t i = GIC_NR_LOCAL; i < lines; i += 32) {
        w32(gicd_base + GICD_ICENABLER + i / 8, 0xffffffff);
    }
    for (uint32_t i = GIC_NR_LOCAL; i < lines; i += 4) {
        w32(gicd_base + GICD_IPRIORITYR + i, 0xa0a0a0a0);
    }
    w32(gicd_base + GICD_CTLR, 1);
}

int gicv2_cpu_init(uint64_t mpidr)
{
    unsigned aff0 = (unsigned)(mpidr & 0xff);

    /* GICD_ITARGETSR0..7 are banked and read-only: each byte is this CPU's own bit. */
    if (aff0 >= GICV2_MAX_CPUS || (r32(gicd_base + GICD_ITARGETSR) & 0xff) != (1u << aff0)) {
        return -1;
    }
    w32(gicd_base + GICD_ICENABLER, 0xffffffff);
    for (uint32_t i = 0; i < GIC_NR_LOCAL; i += 4) {
        w32(gicd_base + GICD_IPRIORITYR + i, 0xa0a0a0a0);
    }
    w32(gicc_base + GICC_PMR, 0xff);
    w32(gicc_base + GICC_BPR, 0);
    w32(gicc_base + GICC_CTLR, GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
    return 0;
}

void gicv2_enable(uint32_t intid, bool enable)
{
    w32(gicd_base + (enable ? GICD_ISENABLER : GICD_ICENABLER) + (intid / 32) * 4,
        UINT32_C(1) << (intid % 32));
}

void gicv2_set_active(uint32_t intid, unsigned cpu, bool active)
{
    /* SGIs and PPIs are banked: only the calling CPU's can be reached. */
    if (intid < GIC_NR_LOCAL && cpu != arch_cpu_id_raw()) {
        return;
    }
    w32(gicd_base + (active ? GICD_ISACTIVER : GICD_ICACTIVER) + (intid / 32) * 4,
        UINT32_C(1) << (intid % 32));
}

uint32_t gicv2_local_active(void)
{
    return r32(gicd_base + GICD_ISACTIVER);
}

bool gicv2_is_pending(uint32_t intid)
{
    if (intid < GIC_NR_LOCAL) {
        return true; /* only SPIs are asked about */
    }
    return r32(gicd_base + GICD_ISPENDR + (intid / 32) * 4) & (UINT32_C(1) << (intid % 32));
}

void gicv2_set_priority(uint32_t intid, uint8_t prio)
{
    *(volatile uint8_t *)(gicd_base + GICD_IPRIORITYR + intid) = prio;
}

void gicv2_route_spi(uint32_t intid, uint64_t mpidr)
{
    if (intid >= GIC_NR_LOCAL && (mpidr & 0xff) < GICV2_MAX_CPUS) {
        *(volatile uint8_t *)(gicd_base + GICD_ITARGETSR + intid) = (uint8_t)(1u << (mpidr & 0xff));
    }
}

uint64_t gicv2_sgir(uint32_t intid, uint64_t mpidr)
{
    /* TargetListFilter 0 (the list), CPUTargetList [23:16], NSATT 0, SGIINTID [3:0] */
    return ((UINT64_C(1) << (mpidr & 0x7)) << GICD_SGIR_TARGET_SHIFT) | (intid & 0xf);
}

void gicv2_send_sgir(uint64_t sgir)
{
    dsb(ishst);
    w32(gicd_base + GICD_SGIR, (uint32_t)sgir);
}

void gicv2_send_sgi(uint32_t intid, uint64_t mpidr)
{
    gicv2_send_sgir(gicv2_sgir(intid, mpidr));
}

uint32_t gicv2_ack(void)
{
    uint32_t iar = r32(gicc_base + GICC_IAR);
    uint32_t intid = iar & GICC_IAR_INTID;
    unsigned cpu = arch_cpu_id_raw();

    if (intid < GIC_NR_SGIS && cpu < MAX_CPUS) {
        sgi_iar[cpu][intid] = iar;
    }
    dsb(sy);
    return intid;
}

static uint32_t gicv2_iar_of(uint32_t intid)
{
    unsigned cpu = arch_cpu_id_raw();

    if (intid < GIC_NR_SGIS && cpu < MAX_CPUS && (sgi_iar[cpu][intid] & GICC_IAR_INTID) == intid) {
        return sgi_iar[cpu][intid];
    }
    return intid;
}

void gicv2_eoi(uint32_t intid)
{
    w32(gicc_base + GICC_EOIR, gicv2_iar_of(intid));
}

void gicv2_deactivate(uint32_t intid)
{
    w32(gicc_base + GICC_DIR, gicv2_iar_of(intid));
}

void gicv2_resample(void)
{
    w32(gicc_base + GICC_PMR, 0xff);
}
