// SPDX-License-Identifier: MIT
/*
 * GIC conformance, memory-mapped registers (IHI 0069 chapter 12; on a GICv2 IHI 0048B 4.3,
 * where the SGI/PPI banks are the distributor's banked registers and gicconf_v2.c checks
 * what only GICv2 has): distributor and redistributor identification, GICD_CTLR and
 * GICR_WAKER semantics, and the per-INTID banks (priority, configuration, enable, pending,
 * active) on SGIs, PPIs and one SPI the VM owns: the virtual UART's (DT "arm,pl011"
 * interrupt, INTID 33 on both platforms). Runs on the boot CPU alone with IRQs masked where
 * an access could make something deliverable.
 */
#include "dt_dev.h"
#include "gicconf.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "timer.h"

#define GC_RO_PATTERN     0xa5a55a5aU
#define GC_PRIO_PATTERN   0xff7fbf3fU /* as kvm-unit-tests' gic "mmio" test */
#define GC_PRIO_BYTE2     0x1fU
#define GC_MIN_PRIO_BITS  4  /* GICD_IPRIORITYR: at least 16 levels */
#define GC_SPI_MAX_LINES  30 /* ITLinesNumber <= 30: INTIDs up to 1019 */
#define GC_IDBITS_NO_LPI  10 /* INTIDs 0..1023 need 10 bits */
#define GC_IDBITS_LPI     14 /* LPIs start at 8192 */
#define GC_IDBITS_MAX     24
#define GC_SGI_PRIO_WORD  12 /* SGIs 12..15: one IPRIORITYR word */
#define GC_PPI_PRIO_WORD  20 /* PPIs 20..23: unused on QEMU virt and Bulkhead */
#define GC_WAKER_MS       10
#define GC_BYTE_BITS      8
#define GC_BYTE(v, n)     (((v) >> ((n)*GC_BYTE_BITS)) & GIC_PRIO_MASK)
#define GC_ICFGR_PER_REG  16
#define GC_LAST_PRIO_WORD 1016 /* INTIDs 1016..1019: the last IPRIORITYR word */

static uint32_t gicd_read(uint32_t off)
{
    return mmio_read32(plat.gicd_base + off);
}

static void gicd_write(uint32_t off, uint32_t val)
{
    mmio_write32(plat.gicd_base + off, val);
}

/* A read-only register keeps its value whatever is written (kvm-unit-tests' check). */
static bool is_read_only(uintptr_t reg)
{
    static const uint32_t patterns[] = { UINT32_MAX, GC_RO_PATTERN, 0 };
    uint32_t orig = mmio_read32(reg);
    bool ok = true;

    for (size_t i = 0; i < ARRAY_SIZE(patterns); i++) {
        mmio_write32(reg, patterns[i]);
        ok = ok && mmio_read32(reg) == orig;
    }
    return ok;
}

/* ---------------------------------------------------------------- identification */

/* 12.9 GICD_TYPER. */
static void test_gicd_typer(void)
{
    uint32_t typer = gicd_read(GICD_TYPER);
    uint32_t lines = (uint32_t)FIELD_GET(GICD_TYPER_ITLINES, typer);
    uint32_t nr_intids = GIC_REG_BITS * (lines + 1);
    uint32_t idbits = (uint32_t)FIELD_GET(GICD_TYPER_IDBITS, typer) + 1;
    bool lpis = typer & GICD_TYPER_LPIS;
    bool its = dt_has_compatible("arm,gic-v3-its");
    bool ds = gicd_read(GICD_CTLR) & GICD_CTLR_DS;

    report(lines <= GC_SPI_MAX_LINES && plat.uart_intid < nr_intids,
           "gicconf: GICD_TYPER=0x%08x ITLinesNumber=%u: INTIDs 0..%u, covering the UART's %u",
           typer, lines, nr_intids - 1, plat.uart_intid);
    report(idbits >= (lpis ? GC_IDBITS_LPI : GC_IDBITS_NO_LPI) && idbits <= GC_IDBITS_MAX,
           "gicconf: GICD_TYPER.IDbits: %u interrupt ID bits (LPIs=%d)", idbits, lpis);
    /* LPIs need an ITS or direct injection; neither platform offers the latter */
    report(lpis == its, "gicconf: GICD_TYPER.LPIS=%d, the DT %s an ITS", lpis,
           its ? "has" : "has no");
    report(!(typer & GICD_TYPER_NO1N) || !FIELD_GET(GICD_TYPER_CPUNUM, typer),
           "gicconf: GICD_TYPER.No1N=%d (1 of N SPI routing %s), CPUNumber=%u under ARE",
           (typer & GICD_TYPER_NO1N) != 0, (typer & GICD_TYPER_NO1N) ? "absent" : "offered",
           (uint32_t)FIELD_GET(GICD_TYPER_CPUNUM, typer));
    report(!ds || !(typer & GICD_TYPER_SECEXTN),
           "gicconf: GICD_TYPER.SecurityExtn=%d with GICD_CTLR.DS=%d",
           (typer & GICD_TYPER_SECEXTN) != 0, ds);
    report(is_read_only(plat.gicd_base + GICD_TYPER), "gicconf: GICD_TYPER is read-only");
}

/* 12.9 GICD_IIDR, GICD_PIDR2, and the same on our redistributor (12.10). */
static void test_ids(void)
{
    uint32_t iidr = gicd_read(GICD_IIDR);
    uint32_t pidr2 = gicd_read(GICD_PIDR2);
    uintptr_t rd = this_cpu()->gicr_rd;
    uint32_t rpidr2 = mmio_read32(rd + GICR_PIDR2);
    uint32_t arch = (uint32_t)FIELD_GET(GIC_PIDR2_ARCHREV, pidr2);

    report(FIELD_GET(GIC_IIDR_IMPLEMENTER, iidr) != 0 && is_read_only(plat.gicd_base + GICD_IIDR),
           "gicconf: GICD_IIDR=0x%08x (implementer 0x%03x, product 0x%02x) read-only", iidr,
           (uint32_t)FIELD_GET(GIC_IIDR_IMPLEMENTER, iidr),
           (uint32_t)FIELD_GET(GIC_IIDR_PRODUCTID, iidr));
    report(arch == GIC_ARCHREV_GICV3 && is_read_only(plat.gicd_base + GICD_PIDR2),
           "gicconf: GICD_PIDR2=0x%02x ArchRev=%u (GICv3), read-only", pidr2, arch);
    report(FIELD_GET(GIC_PIDR2_ARCHREV, rpidr2) == arch,
           "gicconf: GICR_PIDR2=0x%02x ArchRev matches the distributor's", rpidr2);
    report(mmio_read32(rd + GICR_IIDR) != 0, "gicconf: GICR_IIDR=0x%08x",
           mmio_read32(rd + GICR_IIDR));
}

/* 12.9 GICD_CTLR: ARE (DS=1) or ARE_NS (NS view) is RAO/WI here, the group enable is RW. */
static void test_gicd_ctlr(void)
{
    uint32_t ctlr = gicd_read(GICD_CTLR) & ~(uint32_t)GICD_CTLR_RWP;

    irq_mask();
    gicd_write(GICD_CTLR, ctlr & ~(uint32_t)GICD_CTLR_ARE_NS);
    uint32_t after = gicd_read(GICD_CTLR);
    gicd_write(GICD_CTLR, ctlr & ~(uint32_t)GICD_CTLR_ENABLE_G1);
    uint32_t g1_off = gicd_read(GICD_CTLR);
    gicd_write(GICD_CTLR, ctlr);
    uint32_t restored = gicd_read(GICD_CTLR);
    irq_unmask();

    report((ctlr & GICD_CTLR_ARE_NS) && (after & GICD_CTLR_ARE_NS) && (after & GICD_CTLR_ENABLE_G1),
           "gicconf: GICD_CTLR=0x%x DS=%d: ARE%s RAO/WI (0x%x after writing it 0)", ctlr,
           (ctlr & GICD_CTLR_DS) != 0, (ctlr & GICD_CTLR_DS) ? "" : "_NS", after);
    report(!(g1_off & GICD_CTLR_ENABLE_G1) && (restored & GICD_CTLR_ENABLE_G1),
           "gicconf: GICD_CTLR.EnableGrp1 is read/write (0x%x, then 0x%x)", g1_off, restored);
}

/* 12.10 GICR_TYPER: one frame per CPU, each affinity once, Last on the final frame. */
static void test_gicr_typer(void)
{
    uint64_t stride = gic_redist_stride();
    bool lpis = gicd_read(GICD_TYPER) & GICD_TYPER_LPIS;
    uint32_t frames = 0, found = 0, bad_last = 0, bad_plpis = 0;
    bool last = false;

    for (uint64_t off = 0; off + stride <= plat.gicr_size && !last; off += stride) {
        uintptr_t rd = plat.gicr_base + off;
        uint32_t lo = mmio_read32(rd + GICR_TYPER), hi = mmio_read32(rd + GICR_TYPER_HI);
        int cpu = -1;

        last = lo & GICR_TYPER_LAST;
        frames++;
        for (uint32_t i = 0; i < plat.cpu_count; i++) {
            uint64_t m = plat.cpu_mpidr[i];
            uint32_t aff =
                (uint32_t)(FIELD_GET(MPIDR_AFF0, m) | FIELD_GET(MPIDR_AFF1, m) << 8 |
                           FIELD_GET(MPIDR_AFF2, m) << 16 | FIELD_GET(MPIDR_AFF3, m) << 24);
            cpu = aff == hi ? (int)i : cpu;
        }
        found += cpu >= 0;
        bad_plpis += ((lo & GICR_TYPER_PLPIS) != 0) != lpis;
        bad_last += last && frames != plat.cpu_count_dt;
    }
    report(last && frames == plat.cpu_count_dt && found == plat.cpu_count && !bad_last,
           "gicconf: GICR_TYPER: %u frames, Last set on frame %u only, %u of %u CPU affinities",
           frames, frames - 1, found, plat.cpu_count);
    report(!bad_plpis, "gicconf: GICR_TYPER.PLPIS matches GICD_TYPER.LPIS=%d on every frame", lpis);
}

static bool waker_is(uintptr_t rd, uint32_t want)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(GC_WAKER_MS);
    uint32_t mask = GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP;

    while ((mmio_read32(rd + GICR_WAKER) & mask) != want && timer_now() < deadline) {
        wfe();
    }
    return (mmio_read32(rd + GICR_WAKER) & mask) == want;
}

/* 12.10 GICR_WAKER: ChildrenAsleep follows ProcessorSleep (the power-down handshake). */
static void test_gicr_waker(void)
{
    uintptr_t rd = this_cpu()->gicr_rd;
    uint32_t both = GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP;
    uint32_t waker = mmio_read32(rd + GICR_WAKER);

    irq_mask();
    bool awake = waker_is(rd, 0);
    mmio_write32(rd + GICR_WAKER, waker | GICR_WAKER_PROCESSOR_SLEEP);
    bool asleep = waker_is(rd, both);
    mmio_write32(rd + GICR_WAKER, waker & ~(uint32_t)GICR_WAKER_PROCESSOR_SLEEP);
    bool woken = waker_is(rd, 0);
    irq_unmask();
    report(awake && asleep && woken,
           "gicconf: GICR_WAKER 0x%x: ProcessorSleep=1 -> ChildrenAsleep=1, =0 -> awake again",
           waker);
}

/* ---------------------------------------------------------------- per-INTID banks */

/*
 * 12.11 GICR_IPRIORITYR / 12.9 GICD_IPRIORITYR: byte and word access, implemented bits
 * (0xff reads back with the unimplemented low bits zero), every field masked alike.
 */
static void test_prio_word(const char *what, uintptr_t reg)
{
    uint32_t orig = mmio_read32(reg);

    mmio_write32(reg, UINT32_MAX);
    uint32_t mask = mmio_read32(reg);
    uint32_t m = mask & GIC_PRIO_MASK;
    uint32_t bits = (uint32_t)__builtin_popcount(m);
    bool form = m == ((GIC_PRIO_MASK << (GC_BYTE_BITS - bits)) & GIC_PRIO_MASK);
    report(form && bits >= GC_MIN_PRIO_BITS && mask == m * 0x01010101U,
           "gicconf: %s: 0xff reads 0x%02x in every field (0x%08x): %u priority bits", what, m,
           mask, bits);

    mmio_write32(reg, 0);
    uint32_t zero = mmio_read32(reg);
    mmio_write32(reg, GC_PRIO_PATTERN);
    uint32_t word = mmio_read32(reg);
    uint32_t b1 = mmio_read8(reg + 1);
    mmio_write8(reg + 2, GC_PRIO_BYTE2);
    uint32_t after = mmio_read32(reg);
    uint32_t want = GC_PRIO_PATTERN & mask;
    uint32_t want2 = (want & ~(GIC_PRIO_MASK << 16)) | ((GC_PRIO_BYTE2 & m) << 16);
    report(!zero && word == want && b1 == GC_BYTE(want, 1) && after == want2,
           "gicconf: %s: word 0x%08x reads 0x%08x, byte 1 0x%02x, byte 2 <- 0x%02x gives "
           "0x%08x",
           what, GC_PRIO_PATTERN, word, b1, GC_PRIO_BYTE2, after);
    mmio_write32(reg, orig);
}

/* The SPI's word also holds three INTIDs a VM may not own: check only the SPI's byte. */
static void test_prio_spi(uint32_t intid)
{
    uintptr_t byte = plat.gicd_base + GICD_IPRIORITYR + intid;
    uintptr_t word = byte & ~(uintptr_t)(sizeof(uint32_t) - 1);
    uint32_t shift = (uint32_t)(byte - word) * GC_BYTE_BITS;
    uint8_t orig = mmio_read8(byte);

    mmio_write8(byte, GIC_PRIO_MASK);
    uint32_t m = mmio_read8(byte);
    uint32_t bits = (uint32_t)__builtin_popcount(m);
    report(m == ((GIC_PRIO_MASK << (GC_BYTE_BITS - bits)) & GIC_PRIO_MASK) &&
               bits >= GC_MIN_PRIO_BITS,
           "gicconf: GICD_IPRIORITYR SPI %u: 0xff reads 0x%02x: %u priority bits", intid, m, bits);

    uint32_t w = mmio_read32(word);
    uint32_t v = (w & ~(GIC_PRIO_MASK << shift)) | ((uint32_t)GC_PRIO_MID << shift);
    mmio_write32(word, v);
    uint32_t wb = mmio_read8(byte), ww = (mmio_read32(word) >> shift) & GIC_PRIO_MASK;
    mmio_write8(byte, GC_PRIO_LOW);
    uint32_t bb = (mmio_read32(word) >> shift) & GIC_PRIO_MASK;
    report(wb == GC_PRIO_MID && ww == GC_PRIO_MID && bb == GC_PRIO_LOW,
           "gicconf: GICD_IPRIORITYR SPI %u: word write 0x%02x reads 0x%02x/0x%02x (byte/word), "
           "byte write 0x%02x reads 0x%02x",
           intid, GC_PRIO_MID, wb, ww, GC_PRIO_LOW, bb);
    mmio_write8(byte, orig);
}

static void test_priorities(void)
{
    uintptr_t sgi = gc_sgi_base();

    test_prio_word(gc_name("GICR_IPRIORITYR SGI 12-15", "GICD_IPRIORITYR SGI 12-15 (banked)"),
                   sgi + GICR_IPRIORITYR + GC_SGI_PRIO_WORD);
    test_prio_word(gc_name("GICR_IPRIORITYR PPI 20-23", "GICD_IPRIORITYR PPI 20-23 (banked)"),
                   sgi + GICR_IPRIORITYR + GC_PPI_PRIO_WORD);
    test_prio_spi(plat.uart_intid);
    if (plat.gic_v2) {
        return; /* GICv2: INTIDs 0..31 are these banked registers; no ICC_CTLR_EL1 */
    }
    uint64_t ctlr = read_sysreg(ICC_CTLR_EL1);
    report_info("gicconf: ICC_CTLR_EL1=0x%lx: CPU interface implements %u priority bits", ctlr,
                (uint32_t)FIELD_GET(ICC_CTLR_PRIBITS, ctlr) + 1);
    /* GICD_IPRIORITYR: with affinity routing the copies for INTIDs 0..31 are RAZ/WI */
    uint32_t before = gicd_read(GICD_IPRIORITYR);
    gicd_write(GICD_IPRIORITYR, GC_PRIO_PATTERN);
    uint32_t after = gicd_read(GICD_IPRIORITYR), isen = gicd_read(GICD_ISENABLER);
    report(!before && !after && !isen,
           "gicconf: GICD_IPRIORITYR0 / GICD_ISENABLER0 are RAZ/WI under ARE (0x%x, 0x%x)", after,
           isen);

    /*
     * kvm-unit-tests: fields past the last INTID GICD_TYPER promises are RAZ/WI. The last
     * word (INTIDs 1016..1019) is probed, not the first one past the limit: QEMU 7.2 reports
     * ITLinesNumber = 7 (INTIDs < 256) but implements SPIs up to 287.
     */
    uint32_t lines = (uint32_t)FIELD_GET(GICD_TYPER_ITLINES, gicd_read(GICD_TYPER));
    if (GIC_REG_BITS * (lines + 1) <= GC_LAST_PRIO_WORD) {
        gicd_write(GICD_IPRIORITYR + GC_LAST_PRIO_WORD, UINT32_MAX);
        uint32_t beyond = gicd_read(GICD_IPRIORITYR + GC_LAST_PRIO_WORD);
        report(!beyond,
               "gicconf: GICD_IPRIORITYR for INTIDs %u..%u (past ITLinesNumber=%u) "
               "is RAZ/WI (0x%x)",
               GC_LAST_PRIO_WORD, GC_LAST_PRIO_WORD + 3, lines, beyond);
    }
}

/* 12.11 GICR_ICFGR0 (SGIs always edge, read-only) and ICFGR1, 12.9 GICD_ICFGR. */
static void test_config(void)
{
    uintptr_t sgi = gc_sgi_base();
    uint32_t icfgr0 = mmio_read32(sgi + GICR_ICFGR0);

    mmio_write32(sgi + GICR_ICFGR0, 0);
    uint32_t w0 = mmio_read32(sgi + GICR_ICFGR0);
    mmio_write32(sgi + GICR_ICFGR0, ~GIC_ICFGR_SGI_VALUE);
    uint32_t w1 = mmio_read32(sgi + GICR_ICFGR0);
    report(icfgr0 == GIC_ICFGR_SGI_VALUE && w0 == icfgr0 && w1 == icfgr0,
           "gicconf: %s_ICFGR0=0x%08x, read-only (0x%08x, 0x%08x after writes)", gc_priv_frame(),
           icfgr0, w0, w1);

    uint32_t timer_shift = (plat.timer_intid % GC_ICFGR_PER_REG) * GIC_ICFGR_BITS;
    uint32_t icfgr1 = mmio_read32(sgi + GICR_ICFGR1);
    report(!((icfgr1 >> timer_shift) & GIC_ICFGR_EDGE),
           "gicconf: %s_ICFGR1=0x%08x: timer PPI %u is level-sensitive", gc_priv_frame(), icfgr1,
           plat.timer_intid);

    uint32_t spi = plat.uart_intid;
    uint32_t off = GICD_ICFGR + (spi / GC_ICFGR_PER_REG) * (uint32_t)sizeof(uint32_t);
    uint32_t shift = (spi % GC_ICFGR_PER_REG) * GIC_ICFGR_BITS, orig = gicd_read(off);
    gicd_write(off, orig | (GIC_ICFGR_EDGE << shift));
    uint32_t edge = (gicd_read(off) >> shift) & GIC_ICFGR_EDGE;
    gicd_write(off, orig & ~(GIC_ICFGR_EDGE << shift));
    uint32_t level = (gicd_read(off) >> shift) & GIC_ICFGR_EDGE;
    gicd_write(off, orig);
    report(edge && !level, "gicconf: GICD_ICFGR SPI %u: edge/level programmable", spi);
}

/* 12.11 GICR_IS/ICENABLER0 and 12.9 GICD_IS/ICENABLER<n>: write-1-to-set/clear. */
static void test_enable_bank(const char *what, uintptr_t set, uintptr_t clr, uint32_t bit)
{
    mmio_write32(clr, bit);
    uint32_t base = mmio_read32(set);
    mmio_write32(set, bit);
    uint32_t on = mmio_read32(set), on_c = mmio_read32(clr);
    mmio_write32(set, 0);
    uint32_t zero_w = mmio_read32(set);
    mmio_write32(clr, bit);
    uint32_t off = mmio_read32(set);
    report(!(base & bit) && on == (base | bit) && on_c == on && zero_w == on && off == base,
           "gicconf: %s: set 0x%x -> 0x%x (IC reads alike), writing 0 no effect, clear -> 0x%x",
           what, bit, on, off);
}

static void test_enables(void)
{
    uintptr_t sgi = gc_sgi_base();
    uint32_t spi = plat.uart_intid;

    irq_mask();
    test_enable_bank(gc_name("GICR_ISENABLER0 SGI 13", "GICD_ISENABLER0 SGI 13 (banked)"),
                     sgi + GICR_ISENABLER0, sgi + GICR_ICENABLER0, gic_bit(13));
    test_enable_bank(gc_name("GICR_ISENABLER0 PPI 22", "GICD_ISENABLER0 PPI 22 (banked)"),
                     sgi + GICR_ISENABLER0, sgi + GICR_ICENABLER0, gic_bit(22));
    test_enable_bank("GICD_ISENABLER SPI (UART)",
                     plat.gicd_base + GICD_ISENABLER + gic_bit_reg(spi),
                     plat.gicd_base + GICD_ICENABLER + gic_bit_reg(spi), gic_bit(spi));
    irq_unmask();
}

/* 12.11 GICR_IS/ICPENDR0 and IS/ICACTIVER0 on a disabled SGI: plain state bits. */
static void test_pend_active_bits(void)
{
    uintptr_t sgi = gc_sgi_base();
    uint32_t pb = gic_bit(GC_SGI_PEND), ab = gic_bit(GC_SGI_ACTIVE);

    irq_mask();
    mmio_write32(sgi + GICR_ICENABLER0, pb | ab);
    mmio_write32(sgi + GICR_ISPENDR0, pb);
    bool p_set = (mmio_read32(sgi + GICR_ISPENDR0) & pb) && (mmio_read32(sgi + GICR_ICPENDR0) & pb);
    uint32_t hppir = gc_hppir();
    mmio_write32(sgi + GICR_ICPENDR0, pb);
    bool p_clr = !(mmio_read32(sgi + GICR_ISPENDR0) & pb);
    report(p_set && p_clr && hppir != GC_SGI_PEND,
           "gicconf: %s_ISPENDR0/ICPENDR0 set and clear disabled SGI %u (not forwarded: "
           "%s=%u)",
           gc_priv_frame(), GC_SGI_PEND, gic_hppir_name(), hppir);

    mmio_write32(sgi + GICR_ISACTIVER0, ab);
    bool a_set =
        (mmio_read32(sgi + GICR_ISACTIVER0) & ab) && (mmio_read32(sgi + GICR_ICACTIVER0) & ab);
    mmio_write32(sgi + GICR_ICACTIVER0, ab);
    bool a_clr = !(mmio_read32(sgi + GICR_ISACTIVER0) & ab);
    report(a_set && a_clr, "gicconf: %s_ISACTIVER0/ICACTIVER0 set and clear SGI %u",
           gc_priv_frame(), GC_SGI_ACTIVE);
    irq_unmask();
}

/* The same banks in the distributor for an owned SPI (12.9), plus GICD_IGROUPR. */
static void test_spi_bits(void)
{
    uint32_t spi = plat.uart_intid, w = gic_bit_reg(spi), b = gic_bit(spi);

    irq_mask();
    gicd_write(GICD_ICENABLER + w, b);
    gicd_write(GICD_ISPENDR + w, b);
    bool p_set = (gicd_read(GICD_ISPENDR + w) & b) && (gicd_read(GICD_ICPENDR + w) & b);
    gicd_write(GICD_ICPENDR + w, b);
    bool p_clr = !(gicd_read(GICD_ISPENDR + w) & b);
    gicd_write(GICD_ISACTIVER + w, b);
    bool a_set = (gicd_read(GICD_ISACTIVER + w) & b) && (gicd_read(GICD_ICACTIVER + w) & b);
    gicd_write(GICD_ICACTIVER + w, b);
    bool a_clr = !(gicd_read(GICD_ISACTIVER + w) & b);
    uint32_t grp = gicd_read(GICD_IGROUPR + w);
    gicd_write(GICD_IGROUPR + w, grp & ~b);
    bool g0 = gicd_read(GICD_IGROUPR + w) & b;
    gicd_write(GICD_IGROUPR + w, grp | b);
    bool g1 = gicd_read(GICD_IGROUPR + w) & b;
    gicd_write(GICD_IGROUPR + w, grp);
    irq_unmask();

    report(p_set && p_clr, "gicconf: GICD_ISPENDR/ICPENDR set and clear disabled SPI %u", spi);
    report(a_set && a_clr, "gicconf: GICD_ISACTIVER/ICACTIVER set and clear SPI %u", spi);
    report(!g0 && g1, "gicconf: GICD_IGROUPR SPI %u is read/write", spi);
}

/*
 * 12.9 GICD_IROUTER of an owned SPI holds the affinity written. IRM stays 0: with
 * GICD_TYPER.No1N = 1 (both platforms) setting it is CONSTRAINED UNPREDICTABLE.
 */
static void test_irouter(void)
{
    uint32_t off = GICD_IROUTER + plat.uart_intid * GICD_IROUTER_STRIDE;
    uint64_t m = plat.cpu_mpidr[plat.cpu_count - 1];
    uint32_t lo = (uint32_t)(m & (MPIDR_AFF0 | MPIDR_AFF1 | MPIDR_AFF2));
    uint32_t hi = (uint32_t)FIELD_GET(MPIDR_AFF3, m);
    uint32_t olo = gicd_read(off), ohi = gicd_read(off + sizeof(uint32_t));

    gicd_write(off, lo);
    gicd_write(off + sizeof(uint32_t), hi);
    uint32_t rlo = gicd_read(off), rhi = gicd_read(off + sizeof(uint32_t));
    gicd_write(off, olo);
    gicd_write(off + sizeof(uint32_t), ohi);
    report(rlo == lo && rhi == hi, "gicconf: GICD_IROUTER%u holds affinity 0x%x_%08x",
           plat.uart_intid, rhi, rlo);
}

void gicconf_regs(void)
{
    if (plat.gic_v2) {
        gicconf_regs_v2(); /* identification, GICD_CTLR, ITARGETSR, SGIR, S/CPENDSGIR */
    } else {
        test_gicd_typer();
        test_ids();
        test_gicd_ctlr();
        test_gicr_typer();
        test_gicr_waker();
    }
    test_priorities();
    test_config();
    test_enables();
    test_pend_active_bits();
    test_spi_bits();
    if (!plat.gic_v2) {
        test_irouter();
        gicconf_icc();
    }
    gicconf_reserved();
}
