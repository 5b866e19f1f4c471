// SPDX-License-Identifier: MIT
/*
 * tg.mode=gicconf on a GICv2 (GIC architecture specification IHI 0048B): the CPU-interface
 * accessors the other gicconf files use on either GIC, and the GICv2 distributor's own
 * registers (4.3): GICD_TYPER, identification, GICD_CTLR's two group enables, GICD_ITARGETSR
 * (banked read-only bytes for SGIs and PPIs, target bits of absent CPU interfaces RAZ/WI),
 * GICD_SGIR's reserved filter, GICD_SPENDSGIR/CPENDSGIR per source CPU, and SGIs pending
 * once per (source, target) pair with the source in GICC_IAR.CPUID (gicconf_v2_sources, run by
 * every CPU from gicconf_smp.c). Under Bulkhead the distributor
 * is emulated and the CPU interface is the hardware's virtual one (GICV), so the CPU
 * interface checks hold the hypervisor's list-register handling to the architecture.
 */
#include "gicconf.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "timer.h"

#define GC_V2_TYPER_CPUNUM  GENMASK(7, 5)
#define GC_V2_TYPER_SECEXTN BIT(10)
#define GC_V2_ARCHREV       2
#define GC_V2_PIDR2         0x0fe8 /* identification registers at 0xfd0..0xffc (4.1.2) */
#define GC_V2_CTLR_ENABLES  (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1)
#define GC_V2_PRIVATE_BYTES GIC_NR_PRIVATE /* ITARGETSR0..7: one byte per SGI/PPI */
#define GC_V2_SGIR_RESERVED 3U
#define GC_V2_SPENDSGI      GC_SGI_PEND
#define GC_BYTE_BITS        8

static uintptr_t gicc(uint32_t off)
{
    return plat.gicc_base + off;
}

/* ---------------------------------------------------------------- CPU interface, either GIC */

uint32_t gc_hppir(void)
{
    return gic_hppi_intid();
}

uint32_t gc_rpr(void)
{
    if (plat.gic_v2) {
        return mmio_read32(gicc(GICC_RPR)) & GIC_PRIO_MASK;
    }
    return (uint32_t)read_sysreg(ICC_RPR_EL1) & GIC_PRIO_MASK;
}

uint32_t gc_ack(void)
{
    return gic_ack();
}

void gc_eoi(uint32_t iar)
{
    gic_eoi(iar);
}

void gc_dir(uint32_t iar)
{
    if (plat.gic_v2) {
        mmio_write32(gicc(GICC_DIR), iar);
        return;
    }
    write_sysreg(iar, ICC_DIR_EL1);
    isb();
}

void gc_set_pmr(uint32_t pmr)
{
    if (plat.gic_v2) {
        mmio_write32(gicc(GICC_PMR), pmr);
        return;
    }
    write_sysreg(pmr, ICC_PMR_EL1);
    isb();
}

uint32_t gc_pmr(void)
{
    return plat.gic_v2 ? mmio_read32(gicc(GICC_PMR)) : (uint32_t)read_sysreg(ICC_PMR_EL1);
}

void gc_set_bpr(uint32_t bpr)
{
    if (plat.gic_v2) {
        mmio_write32(gicc(GICC_BPR), bpr); /* Group 0's binary point */
        return;
    }
    write_sysreg(bpr, ICC_BPR1_EL1);
    isb();
}

uint32_t gc_bpr(void)
{
    return plat.gic_v2 ? mmio_read32(gicc(GICC_BPR)) : (uint32_t)read_sysreg(ICC_BPR1_EL1);
}

void gc_set_eoimode(bool split)
{
    if (plat.gic_v2) {
        uint32_t ctlr = mmio_read32(gicc(GICC_CTLR)) & ~(uint32_t)GICC_CTLR_EOIMODE;
        mmio_write32(gicc(GICC_CTLR), ctlr | (split ? GICC_CTLR_EOIMODE : 0));
        return;
    }
    uint64_t ctlr = read_sysreg(ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE;
    write_sysreg(ctlr | (split ? ICC_CTLR_EOIMODE : 0), ICC_CTLR_EL1);
    isb();
}

bool gc_eoimode(void)
{
    if (plat.gic_v2) {
        return mmio_read32(gicc(GICC_CTLR)) & GICC_CTLR_EOIMODE;
    }
    return read_sysreg(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE;
}

void gc_sgir_write(uint32_t filter, uint32_t targets, uint32_t intid)
{
    dsb_sy(); /* the receiver must see our earlier stores */
    mmio_write32(plat.gicd_base + GICD_SGIR,
                 (uint32_t)FIELD_PREP(GICD_SGIR_FILTER, filter) |
                     targets << GICD_SGIR_TARGETS_SHIFT | intid);
}

void gc_send_self(uint32_t intid)
{
    if (plat.gic_v2) {
        gc_sgir_write(GICD_SGIR_SELF, 0, intid);
        return;
    }
    gc_sgi1r_write(gc_sgi1r_one(intid, this_cpu()->mpidr));
}

/* ---------------------------------------------------------------- GICv2 distributor */

static uint32_t gicd_read(uint32_t off)
{
    return mmio_read32(plat.gicd_base + off);
}

static void gicd_write(uint32_t off, uint32_t val)
{
    mmio_write32(plat.gicd_base + off, val);
}

/* 4.3.2 GICD_TYPER: CPUNumber is the number of CPU interfaces - 1; no Security Extensions. */
static void test_typer(void)
{
    uint32_t typer = gicd_read(GICD_TYPER);
    uint32_t lines = (uint32_t)FIELD_GET(GICD_TYPER_ITLINES, typer);
    uint32_t cpus = (uint32_t)FIELD_GET(GC_V2_TYPER_CPUNUM, typer) + 1;

    report(plat.uart_intid < GIC_REG_BITS * (lines + 1),
           "gicconf: GICD_TYPER=0x%08x ITLinesNumber=%u: INTIDs 0..%u, covering the UART's %u",
           typer, lines, GIC_REG_BITS * (lines + 1) - 1, plat.uart_intid);
    report(cpus == plat.cpu_count_dt,
           "gicconf: GICD_TYPER.CPUNumber: %u CPU interfaces, %u CPUs in the DT", cpus,
           plat.cpu_count_dt);
    report_info("gicconf: GICD_TYPER.SecurityExtn=%d", (typer & GC_V2_TYPER_SECEXTN) != 0);
}

/* 4.3.3 GICD_IIDR and the identification registers' ArchRev (4.3.16, IHI 0048B table 4-2). */
static void test_ids(void)
{
    uint32_t iidr = gicd_read(GICD_IIDR);
    uint32_t pidr2 = gicd_read(GC_V2_PIDR2);
    uint32_t arch = (uint32_t)FIELD_GET(GIC_PIDR2_ARCHREV, pidr2);

    report(FIELD_GET(GIC_IIDR_IMPLEMENTER, iidr) != 0, "gicconf: GICD_IIDR=0x%08x", iidr);
    report(arch == GC_V2_ARCHREV, "gicconf: GICD_PIDR2=0x%02x ArchRev=%u (GICv2)", pidr2, arch);
}

/* 4.3.1 GICD_CTLR without Security Extensions: EnableGrp0 [0] and EnableGrp1 [1] are RW. */
static void test_ctlr(void)
{
    uint32_t ctlr = gicd_read(GICD_CTLR);

    irq_mask();
    gicd_write(GICD_CTLR, ctlr ^ GICD_CTLR_ENABLE_G1);
    uint32_t flipped = gicd_read(GICD_CTLR);
    gicd_write(GICD_CTLR, ctlr);
    uint32_t restored = gicd_read(GICD_CTLR);
    irq_unmask();

    report((ctlr & GICD_CTLR_ENABLE_G0) && flipped == (ctlr ^ GICD_CTLR_ENABLE_G1) &&
               restored == ctlr && !(ctlr & ~GC_V2_CTLR_ENABLES),
           "gicconf: GICD_CTLR=0x%x: EnableGrp0 set by the driver, EnableGrp1 read/write "
           "(0x%x, then 0x%x), no other bits",
           ctlr, flipped, restored);
}

/* 4.3.12 GICD_ITARGETSR0..7: read-only, each byte the accessing CPU's own interface bit. */
static void test_itargets_private(void)
{
    uint32_t own = (uint32_t)BIT(FIELD_GET(MPIDR_AFF0, this_cpu()->mpidr));
    uint32_t want = own * 0x01010101U, bad = 0;

    for (uint32_t off = 0; off < GC_V2_PRIVATE_BYTES; off += sizeof(uint32_t)) {
        uint32_t v = gicd_read(GICD_ITARGETSR + off);
        gicd_write(GICD_ITARGETSR + off, ~v);
        /* INTIDs a GIC does not implement may read 0: only a wrong bit counts */
        bad += (v & ~want) || (gicd_read(GICD_ITARGETSR + off) != v);
    }
    uint8_t sgi0 = mmio_read8(plat.gicd_base + GICD_ITARGETSR);
    report(!bad && sgi0 == own,
           "gicconf: GICD_ITARGETSR0..7 read-only, each byte this CPU's bit 0x%02x "
           "(SGI 0 reads 0x%02x)",
           own, sgi0);
}

/* 4.3.12: an SPI's targets byte is RW; the bits of CPU interfaces that do not exist RAZ/WI. */
static void test_itargets_spi(void)
{
    uint32_t spi = plat.uart_intid, n = plat.cpu_count_dt;
    uintptr_t byte = plat.gicd_base + GICD_ITARGETSR + spi;
    uint32_t all = (uint32_t)GENMASK(n - 1, 0), last = (uint32_t)BIT(n - 1);
    uint8_t orig = mmio_read8(byte);

    mmio_write8(byte, (uint8_t)last);
    uint32_t one = mmio_read8(byte);
    uint32_t word = (gicd_read(GICD_ITARGETSR + (spi & ~3U)) >> ((spi % 4) * GC_BYTE_BITS)) &
                    GIC_PRIO_MASK;
    mmio_write8(byte, UINT8_MAX);
    uint32_t every = mmio_read8(byte);
    mmio_write8(byte, orig);

    report(one == last && word == last,
           "gicconf: GICD_ITARGETSR SPI %u holds CPU mask 0x%02x (byte 0x%02x, word 0x%02x)",
           spi, last, one, word);
    report(every == all,
           "gicconf: GICD_ITARGETSR SPI %u: 0xff reads 0x%02x, bits of the %u absent CPU "
           "interfaces RAZ/WI",
           spi, every, GICV2_MAX_CPUS - n);
}

/* 4.3.15 GICD_SGIR: TargetListFilter 0b11 is reserved and sends nothing. */
static void test_sgir_reserved(void)
{
    uint32_t x = GC_SGI_PEND, b = gic_bit(x);

    irq_mask();
    gicd_write(GICD_ICENABLER, b);
    gicd_write(GICD_ICPENDR, b);
    gc_sgir_write(GC_V2_SGIR_RESERVED, UINT8_MAX, x);
    dsb_sy();
    bool pend = gicd_read(GICD_ISPENDR) & b;
    gc_sgir_write(GICD_SGIR_SELF, 0, x);
    dsb_sy();
    bool self = gicd_read(GICD_ISPENDR) & b;
    gicd_write(GICD_ICPENDR, b);
    irq_unmask();

    report(!pend && self,
           "gicconf: GICD_SGIR filter 0b11 (reserved) pends nothing (%d); filter 0b10 pends "
           "SGI %u here (%d)",
           pend, x, self);
}

/*
 * 4.3.17/4.3.18 GICD_SPENDSGIR/CPENDSGIR: one byte per SGI, a bit per source CPU. Only this
 * CPU's own bit is used: a source that sends to itself is one the GIC must keep.
 */
static void test_spendsgir(void)
{
    uint32_t x = GC_V2_SPENDSGI, b = gic_bit(x);
    uint32_t src = (uint32_t)BIT(FIELD_GET(MPIDR_AFF0, this_cpu()->mpidr));
    uintptr_t set = plat.gicd_base + GICD_SPENDSGIR + x, clr = plat.gicd_base + GICD_CPENDSGIR + x;

    irq_mask();
    gicd_write(GICD_ICENABLER, b);
    gicd_write(GICD_ICPENDR, b);
    mmio_write8(set, (uint8_t)src);
    uint32_t s1 = mmio_read8(set), c1 = mmio_read8(clr);
    bool pend = gicd_read(GICD_ISPENDR) & b;
    mmio_write8(clr, (uint8_t)src);
    uint32_t s2 = mmio_read8(set);
    bool pend2 = gicd_read(GICD_ISPENDR) & b;
    irq_unmask();

    report(s1 == src && c1 == src && pend,
           "gicconf: GICD_SPENDSGIR SGI %u source 0x%02x: reads 0x%02x (CPENDSGIR 0x%02x), "
           "pending",
           x, src, s1, c1);
    report(!s2 && !pend2, "gicconf: GICD_CPENDSGIR clears it (0x%02x, pending=%d)", s2, pend2);
}

/* An SGI's source CPU in a GICC_IAR value (4.4.4). */
static uint32_t iar_source(uint32_t iar)
{
    return (uint32_t)FIELD_GET(GICC_IAR_CPUID, iar);
}

/* The CPU interface number of logical CPU i (GICD_SGIR's CPUTargetList bit, an SGI's CPUID). */
static uint32_t cpu_if(uint32_t i)
{
    return (uint32_t)FIELD_GET(MPIDR_AFF0, plat.cpu_mpidr[i]);
}

static bool hppir_is(const void *arg)
{
    return gc_hppir() == *(const uint32_t *)arg;
}

/*
 * 4.3.17/4.3.18 with two sources: SPENDSGIR pends SGI x from another CPU interface as well as
 * this one, CPENDSGIR clears exactly the written bit, and the SGI pended for the other source
 * is acknowledged with that source in GICC_IAR.CPUID (4.4.4), nothing left after.
 */
static void test_spendsgir_sources(void)
{
    uint32_t x = GC_V2_SPENDSGI, b = gic_bit(x);
    uint32_t cpus = (uint32_t)FIELD_GET(GC_V2_TYPER_CPUNUM, gicd_read(GICD_TYPER)) + 1;
    uint32_t own = (uint32_t)BIT(FIELD_GET(MPIDR_AFF0, this_cpu()->mpidr));
    uint32_t other = (uint32_t)BIT(cpus - 1), want = x;
    uintptr_t set = plat.gicd_base + GICD_SPENDSGIR + x, clr = plat.gicd_base + GICD_CPENDSGIR + x;

    if (cpus < 2 || other == own) {
        report_info("gicconf: %u CPU interface(s): no second source for GICD_SPENDSGIR", cpus);
        return;
    }
    irq_mask();
    gicd_write(GICD_ICENABLER, b);
    mmio_write8(clr, UINT8_MAX);
    mmio_write8(set, (uint8_t)(own | other));
    uint32_t both = mmio_read8(set);
    mmio_write8(clr, (uint8_t)own);
    uint32_t left = mmio_read8(set);
    gicd_write(GICD_ISENABLER, b);
    bool seen = wait_event_cond(hppir_is, &want, GC_IRQ_MS);
    uint32_t iar = gc_ack();
    if (gic_iar_intid(iar) < GIC_INTID_SPURIOUS) {
        gc_eoi(iar);
    }
    uint32_t after = mmio_read8(set);
    gicd_write(GICD_ICENABLER, b);
    irq_unmask();

    report(both == (own | other),
           "gicconf: GICD_SPENDSGIR SGI %u from this CPU (0x%02x) and CPU interface %u: "
           "reads 0x%02x",
           x, own, cpus - 1, both);
    report(left == other, "gicconf: GICD_CPENDSGIR 0x%02x clears that source only: 0x%02x left",
           own, left);
    report(seen && gic_iar_intid(iar) == x && iar_source(iar) == cpus - 1 && after == 0,
           "gicconf: SGI %u pended for source %u: GICC_IAR=0x%x (CPUID %u), then none "
           "pending (0x%02x)",
           x, cpus - 1, iar, iar_source(iar), after);
}

/*
 * 3.2.x, 4.3.15, 4.4.4: every CPU sends the same SGI to every other one while all have
 * interrupts masked, so each target has it pending from every other CPU at once (one pending
 * state per source, GICD_SPENDSGIR shows them all); it then takes it once per sender, each
 * GICC_IAR naming that sender in CPUID. All gc_cpus CPUs run this.
 */
void gicconf_v2_sources(void)
{
    uint32_t x = GC_SGI_SRC, self = cpu_idx(), others = 0, seen = 0, dup = 0, takes = 0;
    uint32_t want = x;
    uintptr_t spend = plat.gicd_base + GICD_SPENDSGIR + x;

    for (uint32_t i = 0; i < gc_cpus; i++) {
        others |= i != self && cpu_if(i) < GICV2_MAX_CPUS ? (uint32_t)BIT(cpu_if(i)) : 0;
    }
    irq_mask();
    gc_barrier(GC_PH_SRC_MASKED);
    gc_sgir_write(0, others, x); /* filter 0: CPUTargetList */
    gc_barrier(GC_PH_SRC_SENT);
    uint32_t pend = mmio_read8(spend);
    for (uint32_t k = 0; k < gc_cpus; k++) { /* at most one more than the senders */
        if (!wait_event_cond(hppir_is, &want, GC_IRQ_MS)) {
            break;
        }
        uint32_t iar = gc_ack();
        if (gic_iar_intid(iar) >= GIC_INTID_SPURIOUS) {
            continue;
        }
        if (gic_iar_intid(iar) == x) {
            uint32_t src = (uint32_t)BIT(iar_source(iar));
            dup += (seen & src) != 0;
            seen |= src;
            takes++;
        }
        gc_eoi(iar);
    }
    uint32_t after = mmio_read8(spend);
    gc_barrier(GC_PH_SRC_TAKEN);
    irq_unmask();

    report(pend == others,
           "gicconf: cpu %u GICD_SPENDSGIR SGI %u pending from every other CPU at once: 0x%02x "
           "(want 0x%02x)",
           self, x, pend, others);
    report(seen == others && !dup && takes == gc_cpus - 1 && after == 0,
           "gicconf: cpu %u took SGI %u once per sender, GICC_IAR.CPUID the sender: sources "
           "0x%02x (want 0x%02x), %u taken, %u twice, 0x%02x left",
           self, x, seen, others, takes, dup, after);
}

void gicconf_regs_v2(void)
{
    test_typer();
    test_ids();
    test_ctlr();
    test_itargets_private();
    test_itargets_spi();
    test_sgir_reserved();
    test_spendsgir();
    test_spendsgir_sources();
}
