// SPDX-License-Identifier: MIT
/*
 * Unit tests for the emulated GICv3 distributor and redistributor registers (core/vgic/vgic_dist.c,
 * core/vgic/vgic_redist.c, core/vgic/vgic_mmio.c): identification values, every register class's
 * read/write semantics, RAZ/WI rows, width checks, ownership denials and foreign frames.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <bulkhead/errno.h>
#include <core/vgic/vgic_priv.h>

#include <arch/vgic_hw.h>

#define NR_VCPUS   4
#define UART_SPI   33
#define PT_SPI     40  /* pass-through, physical 72 */
#define PT_PINTID  72
#define PLAIN_SPI  41
#define FOREIGN    34

struct hook_log {
    unsigned deny_calls;
    uint32_t deny_intid;
    unsigned deny_vcpu;
    const char *deny_reg;
    bool deny_write;
    unsigned enable_calls;
    uint32_t enable_pintid;
    bool enable_on;
    unsigned route_calls;
    uint32_t route_pintid;
    unsigned route_target;
    unsigned active_calls;
    bool active_on;
    unsigned kick_calls;
    uint32_t kick_mask;
};

static struct hook_log hl;
static struct vgic_vm vm;

static void h_deny(void *ctx, unsigned vcpu, uint32_t intid, const char *reg, bool write)
{
    (void)ctx;
    hl.deny_calls++;
    hl.deny_vcpu = vcpu;
    hl.deny_intid = intid;
    hl.deny_reg = reg;
    hl.deny_write = write;
}

static void h_enable(void *ctx, uint32_t pintid, bool on)
{
    (void)ctx;
    hl.enable_calls++;
    hl.enable_pintid = pintid;
    hl.enable_on = on;
}

static void h_route(void *ctx, uint32_t pintid, unsigned target)
{
    (void)ctx;
    hl.route_calls++;
    hl.route_pintid = pintid;
    hl.route_target = target;
}

static void h_active(void *ctx, unsigned vcpu, uint32_t pintid, bool on)
{
    (void)ctx;
    (void)vcpu;
    (void)pintid;
    hl.active_calls++;
    hl.active_on = on;
}

static void h_kick(void *ctx, uint32_t mask)
{
    (void)ctx;
    hl.kick_calls++;
    hl.kick_mask |= mask;
}

static struct vgic_vm_cfg make_cfg(void)
{
    struct vgic_vm_cfg cfg = {
        .nr_vcpus = NR_VCPUS,
        .nr_spis = 3,
        .spis = { { .intid = UART_SPI },
                  { .intid = PT_SPI, .hw = true, .pintid = PT_PINTID },
                  { .intid = PLAIN_SPI } },
        .hooks = { .deny = h_deny, .hw_enable = h_enable, .hw_route = h_route,
                   .hw_set_active = h_active, .kick = h_kick },
    };
    return cfg;
}

static int setup(void **state)
{
    struct vgic_vm_cfg cfg = make_cfg();

    (void)state;
    vgic_fake_reset();
    assert_int_equal(vgic_vm_init(&vm, &cfg), 0);
    memset(&hl, 0, sizeof(hl));
    return 0;
}

static uint64_t drd(uint32_t off, unsigned size)
{
    uint64_t v = 0xdeadbeefdeadbeefull;
    assert_int_equal(vgic_dist_mmio(&vm, 0, off, size, false, &v), 0);
    return v;
}

static void dwr(uint32_t off, unsigned size, uint64_t v)
{
    assert_int_equal(vgic_dist_mmio(&vm, 0, off, size, true, &v), 0);
}

static uint64_t rrd(unsigned frame, uint32_t off, unsigned size)
{
    uint64_t v = 0xdeadbeefdeadbeefull;
    assert_int_equal(vgic_redist_mmio(&vm, 0, frame * GICR_FRAME_SIZE + off, size, false, &v), 0);
    return v;
}

static void rwr(unsigned frame, uint32_t off, unsigned size, uint64_t v)
{
    assert_int_equal(vgic_redist_mmio(&vm, 0, frame * GICR_FRAME_SIZE + off, size, true, &v), 0);
}

/* Offset of the 32-bit word holding intid in a 1-bit-per-INTID register class. */
static uint32_t word(uint32_t base, uint32_t intid)
{
    return base + intid / 32 * 4;
}

static uint32_t bit(uint32_t intid)
{
    return UINT32_C(1) << (intid % 32);
}

static void test_init_errors(void **state)
{
    struct vgic_vm_cfg cfg = make_cfg();
    struct vgic_vm other;

    (void)state;
    cfg.nr_vcpus = 0;
    assert_int_equal(vgic_vm_init(&other, &cfg), -BH_EINVAL);
    cfg.nr_vcpus = VGIC_MAX_VCPUS + 1;
    assert_int_equal(vgic_vm_init(&other, &cfg), -BH_EINVAL);
    cfg = make_cfg();
    cfg.spis[0].intid = 31;
    assert_int_equal(vgic_vm_init(&other, &cfg), -BH_EINVAL);
    cfg.spis[0].intid = VGIC_NR_IRQS;
    assert_int_equal(vgic_vm_init(&other, &cfg), -BH_EINVAL);
    cfg = make_cfg();
    cfg.spis[1].pintid = 1020;
    assert_int_equal(vgic_vm_init(&other, &cfg), -BH_EINVAL);
    cfg = make_cfg();
    cfg.spis[2].intid = UART_SPI;
    assert_int_equal(vgic_vm_init(&other, &cfg), -BH_EEXIST);
    cfg = make_cfg();
    cfg.nr_spis = VGIC_MAX_OWNED_SPIS + 1;
    assert_int_equal(vgic_vm_init(&other, &cfg), -BH_ENOMEM);
}

static void test_tables_sorted(void **state)
{
    const struct vgic_reg_table *tabs[] = { &vgic_dist_table, &vgic_rd_table, &vgic_sgi_table };

    (void)state;
    for (size_t t = 0; t < 3; t++) {
        for (size_t i = 0; i < tabs[t]->count; i++) {
            const struct vgic_reg *r = &tabs[t]->rows[i];
            assert_true(r->len > 0 && r->widths != 0 && r->name != NULL);
            assert_true((r->read == vgic_mmio_read_field) == (r->field != NULL));
            if (i > 0) {
                const struct vgic_reg *p = &tabs[t]->rows[i - 1];
                assert_true(p->off + p->len <= r->off);
            }
            assert_ptr_equal(vgic_reg_find(tabs[t], r->off + r->len - 1), r);
        }
    }
}

static void test_dist_ids(void **state)
{
    (void)state;
    /* ITLinesNumber 3, IDbits 9, No1N; no LPIs, MBIS, SecurityExtn, RSS, A3V. */
    assert_int_equal(drd(GICD_TYPER, 4), 0x02480003);
    assert_int_equal(drd(GICD_IIDR, 4), VGIC_IIDR_VALUE);
    assert_int_equal(drd(GICD_TYPER2, 4), 0);
    assert_int_equal(drd(GICD_PIDR2, 4), 0x3b);
    assert_int_equal(drd(GICD_PIDR2, 4) & 0xf0, 0x30); /* what Linux checks: GICv3 */
    assert_int_equal(drd(GICD_IDREGS + 0x20, 4), 0x0d); /* CIDR0 */
    assert_int_equal(drd(GICD_IDREGS + 0x2c, 4), 0xb1); /* CIDR3 */
    dwr(GICD_TYPER, 4, 0);
    dwr(GICD_IIDR, 4, 0);
    dwr(GICD_PIDR2, 4, 0);
    assert_int_equal(drd(GICD_TYPER, 4), 0x02480003);
    assert_int_equal(drd(GICD_IIDR, 4), VGIC_IIDR_VALUE);
    assert_int_equal(drd(GICD_PIDR2, 4), 0x3b);
}

static void test_dist_ctlr(void **state)
{
    (void)state;
    assert_int_equal(drd(GICD_CTLR, 4), GICD_CTLR_ARE | GICD_CTLR_DS);
    dwr(GICD_CTLR, 4, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0 | GICD_CTLR_RWP);
    assert_int_equal(drd(GICD_CTLR, 4), 0x53);
    assert_int_equal(hl.kick_mask, 0xe); /* every other vCPU re-evaluates */
    dwr(GICD_CTLR, 4, 0);                /* ARE and DS are RAO/WI */
    assert_int_equal(drd(GICD_CTLR, 4), 0x50);
}

static void test_enable_and_deny(void **state)
{
    (void)state;
    dwr(word(GICD_ISENABLER, UART_SPI), 4, bit(UART_SPI));
    assert_int_equal(drd(word(GICD_ISENABLER, UART_SPI), 4), bit(UART_SPI));
    assert_int_equal(drd(word(GICD_ICENABLER, UART_SPI), 4), bit(UART_SPI));
    assert_int_equal(hl.deny_calls, 0);

    /* A foreign SPI: denied once per access, no effect, reads as zero. */
    dwr(word(GICD_ISENABLER, FOREIGN), 4, bit(FOREIGN) | bit(35) | bit(PLAIN_SPI));
    assert_int_equal(hl.deny_calls, 1);
    assert_int_equal(hl.deny_intid, FOREIGN);
    assert_string_equal(hl.deny_reg, "GICD_ISENABLER");
    assert_true(hl.deny_write);
    assert_int_equal(drd(word(GICD_ISENABLER, FOREIGN), 4), bit(UART_SPI) | bit(PLAIN_SPI));
    assert_int_equal(hl.deny_calls, 1); /* mixed read: not a probe */

    dwr(word(GICD_ICENABLER, UART_SPI), 4, bit(UART_SPI));
    assert_int_equal(drd(word(GICD_ISENABLER, UART_SPI), 4), bit(PLAIN_SPI));

    /* Zeros, or clearing a foreign interrupt, change nothing: no event. */
    dwr(word(GICD_ISENABLER, UART_SPI), 4, 0);
    dwr(word(GICD_ICENABLER, UART_SPI), 4, bit(PLAIN_SPI) | bit(FOREIGN));
    assert_int_equal(hl.deny_calls, 1);
    assert_int_equal(drd(word(GICD_ISENABLER, UART_SPI), 4), 0);

    /* Pass-through: mirrored to the physical GIC. */
    dwr(word(GICD_ISENABLER, PT_SPI), 4, bit(PT_SPI));
    assert_int_equal(hl.enable_calls, 1);
    assert_int_equal(hl.enable_pintid, PT_PINTID);
    assert_true(hl.enable_on);
    dwr(word(GICD_ICENABLER, PT_SPI), 4, bit(PT_SPI));
    assert_int_equal(hl.enable_calls, 2);
    assert_false(hl.enable_on);
}

static void test_pending_active(void **state)
{
    uint32_t w = word(GICD_ISPENDR, UART_SPI) - GICD_ISPENDR;

    (void)state;
    dwr(GICD_ISPENDR + w, 4, bit(UART_SPI));
    assert_int_equal(drd(GICD_ISPENDR + w, 4), bit(UART_SPI));
    assert_int_equal(drd(GICD_ICPENDR + w, 4), bit(UART_SPI));
    dwr(GICD_ICPENDR + w, 4, bit(UART_SPI));
    assert_int_equal(drd(GICD_ISPENDR + w, 4), 0);

    dwr(GICD_ISACTIVER + w, 4, bit(UART_SPI));
    assert_int_equal(drd(GICD_ISACTIVER + w, 4), bit(UART_SPI));
    assert_int_equal(drd(GICD_ICACTIVER + w, 4), bit(UART_SPI));
    dwr(GICD_ICACTIVER + w, 4, bit(UART_SPI));
    assert_int_equal(drd(GICD_ISACTIVER + w, 4), 0);

    /* HW-linked: the physical active state follows "virtual pending or active". */
    dwr(GICD_ISPENDR + w, 4, bit(PT_SPI));
    assert_int_equal(hl.active_calls, 1);
    assert_true(hl.active_on);
    dwr(GICD_ISACTIVER + w, 4, bit(PT_SPI));
    assert_int_equal(hl.active_calls, 1);
    dwr(GICD_ICPENDR + w, 4, bit(PT_SPI));
    assert_int_equal(hl.active_calls, 1);
    dwr(GICD_ICACTIVER + w, 4, bit(PT_SPI));
    assert_int_equal(hl.active_calls, 2);
    assert_false(hl.active_on);

    /* Raising another VM's interrupt is denied; clearing it is silently ignored. */
    assert_int_equal(hl.deny_calls, 0);
    dwr(GICD_ISPENDR + w, 4, bit(FOREIGN));
    assert_int_equal(hl.deny_calls, 1);
    assert_string_equal(hl.deny_reg, "GICD_ISPENDR");
    dwr(GICD_ISACTIVER + w, 4, bit(FOREIGN));
    assert_int_equal(hl.deny_calls, 2);
    dwr(GICD_ICPENDR + w, 4, bit(FOREIGN));
    dwr(GICD_ICACTIVER + w, 4, bit(FOREIGN));
    assert_int_equal(hl.deny_calls, 2);
    assert_int_equal(drd(GICD_ISPENDR + w, 4) | drd(GICD_ISACTIVER + w, 4), 0);
}

static void test_priority(void **state)
{
    uint64_t v = 0;

    (void)state;
    dwr(GICD_IPRIORITYR + UART_SPI, 1, 0xa8);
    assert_int_equal(drd(GICD_IPRIORITYR + UART_SPI, 1), 0xa8);
    assert_int_equal(drd(GICD_IPRIORITYR + 32, 4), 0xa800);
    assert_int_equal(hl.deny_calls, 0);
    /* Configuring or reading another VM's SPI: ignored / zero, no event. */
    dwr(GICD_IPRIORITYR + 32, 4, 0x11223340);
    assert_int_equal(drd(GICD_IPRIORITYR + 32, 4), 0x3000);
    assert_int_equal(drd(GICD_IPRIORITYR + FOREIGN, 1), 0);
    assert_int_equal(hl.deny_calls, 0);
    /* Banked (0..31) and unimplemented (>= 128) INTIDs are RAZ/WI, no denial. */
    dwr(GICD_IPRIORITYR, 4, 0xffffffff);
    dwr(GICD_IPRIORITYR + VGIC_NR_IRQS, 4, 0xffffffff);
    assert_int_equal(drd(GICD_IPRIORITYR, 4), 0);
    assert_int_equal(drd(GICD_IPRIORITYR + VGIC_NR_IRQS, 4), 0);
    assert_int_equal(hl.deny_calls, 0);
    assert_int_equal(vgic_dist_mmio(&vm, 0, GICD_IPRIORITYR + 32, 2, false, &v), -BH_EINVAL);
}

/* The priority bits the CPU interface implements (fake ICH_VTR_EL2.PRIbits = 4: five), the
 * low bits RAZ/WI in every face: byte, word, SPI, SGI and PPI alike. */
static void test_priority_bits(void **state)
{
    (void)state;
    assert_int_equal(vm.lr_prio_mask, 0xf8);
    dwr(GICD_IPRIORITYR + PLAIN_SPI, 1, 0xff);
    assert_int_equal(drd(GICD_IPRIORITYR + PLAIN_SPI, 1), 0xf8);
    dwr(GICD_IPRIORITYR + UART_SPI, 1, 0xa5);
    assert_int_equal(drd(GICD_IPRIORITYR + UART_SPI, 1), 0xa0);
    assert_int_equal(vm.spi[UART_SPI - 32].priority, 0xa0);
    rwr(1, GICR_SGI_OFFSET + GICR_IPRIORITYR0, 4, 0xffffffff);
    assert_int_equal(rrd(1, GICR_SGI_OFFSET + GICR_IPRIORITYR0, 4), 0xf8f8f8f8);
    rwr(1, GICR_SGI_OFFSET + GICR_IPRIORITYR0 + 20, 4, 0x07060504);
    assert_int_equal(rrd(1, GICR_SGI_OFFSET + GICR_IPRIORITYR0 + 20, 4), 0);
    rwr(1, GICR_SGI_OFFSET + GICR_IPRIORITYR0 + 21, 1, 0x8f);
    assert_int_equal(rrd(1, GICR_SGI_OFFSET + GICR_IPRIORITYR0 + 20, 4), 0x8800);
}

static void test_icfgr(void **state)
{
    uint32_t icfgr2 = GICD_ICFGR + 8; /* INTIDs 32..47 */
    uint32_t expect = (2u << (UART_SPI - 32) * 2) | (2u << (PT_SPI - 32) * 2) |
                      (2u << (PLAIN_SPI - 32) * 2);

    (void)state;
    assert_int_equal(drd(icfgr2, 4), 0); /* SPIs reset level-sensitive */
    dwr(icfgr2, 4, 0xffffffff);          /* bit 0 of each field is RES0 */
    assert_int_equal(drd(icfgr2, 4), expect);
    dwr(icfgr2, 4, 0);
    assert_int_equal(drd(icfgr2, 4), 0);
    assert_int_equal(hl.deny_calls, 0);
    /* SGIs: read-only edge. PPIs: configurable except the HW-linked timer and PMU (level). */
    assert_int_equal(rrd(1, GICR_SGI_OFFSET + GICR_ICFGR0, 4), 0xaaaaaaaa);
    rwr(1, GICR_SGI_OFFSET + GICR_ICFGR0, 4, 0);
    assert_int_equal(rrd(1, GICR_SGI_OFFSET + GICR_ICFGR0, 4), 0xaaaaaaaa);
    assert_int_equal(rrd(1, GICR_SGI_OFFSET + GICR_ICFGR0 + 4, 4), 0);
    rwr(1, GICR_SGI_OFFSET + GICR_ICFGR0 + 4, 4, 0xaaaaaaaa);
    assert_int_equal(rrd(1, GICR_SGI_OFFSET + GICR_ICFGR0 + 4, 4),
                     0xaaaaaaaa & ~(2u << (VGIC_VTIMER_INTID - 16) * 2) &
                         ~(2u << (VGIC_PMU_INTID - 16) * 2));
}

static void test_irouter(void **state)
{
    uint32_t r33 = GICD_IROUTER + UART_SPI * 8, r40 = GICD_IROUTER + PT_SPI * 8;

    (void)state;
    dwr(r33, 8, 0xff80000102ull); /* IRM (bit 31) is RES0 with No1N */
    assert_int_equal(drd(r33, 8), 0xff00000102ull);
    assert_int_equal(drd(r33, 4), 0x102);
    assert_int_equal(drd(r33 + 4, 4), 0xff);
    dwr(r33 + 4, 4, 0);
    dwr(r33, 4, 2);
    assert_int_equal(drd(r33, 8), 2);
    assert_int_equal(vm.spi[UART_SPI - 32].target, 2);

    dwr(r40, 8, 3);
    assert_int_equal(hl.route_calls, 1);
    assert_int_equal(hl.route_pintid, PT_PINTID);
    assert_int_equal(hl.route_target, 3);
    dwr(r40, 8, NR_VCPUS); /* no such vCPU: not delivered anywhere */
    assert_int_equal(hl.route_target, VGIC_NO_VCPU);
    dwr(r40, 8, 0x100); /* Aff1 != 0 */
    assert_int_equal(hl.route_calls, 2);

    dwr(GICD_IROUTER + FOREIGN * 8, 8, 1); /* another VM's SPI: ignored */
    assert_int_equal(drd(GICD_IROUTER + FOREIGN * 8, 8), 0);
    assert_int_equal(hl.route_calls, 2);
    dwr(GICD_IROUTER + 5 * 8, 8, 1); /* INTID < 32: reserved */
    assert_int_equal(drd(GICD_IROUTER + 5 * 8, 8), 0);
    assert_int_equal(hl.deny_calls, 0);
}

static void test_group(void **state)
{
    uint32_t w = word(GICD_IGROUPR, UART_SPI);

    (void)state;
    assert_int_equal(drd(w, 4), 0);
    dwr(w, 4, 0xffffffff);
    assert_int_equal(drd(w, 4), bit(UART_SPI) | bit(PT_SPI) | bit(PLAIN_SPI));
    assert_int_equal(hl.deny_calls, 0);
    dwr(w, 4, 0);
    assert_int_equal(drd(w, 4), 0);
}

static void test_razwi_rows(void **state)
{
    static const struct {
        uint32_t off;
        unsigned size;
    } rows[] = {
        { GICD_STATUSR, 4 },          { GICD_SETSPI_NSR, 4 },   { GICD_SETSPI_NSR + 0x18, 4 },
        { GICD_ITARGETSR + 33, 1 },   { GICD_ITARGETSR + 32, 4 }, { GICD_IGRPMODR + 4, 4 },
        { GICD_NSACR + 8, 4 },        { GICD_SGIR, 4 },         { GICD_CPENDSGIR, 1 },
        { GICD_SPENDSGIR + 4, 4 },    { GICD_INMIR + 4, 4 },    { GICD_ESPI_BASE + 0x200, 4 },
        { GICD_IROUTERE, 8 },         { 0x20, 4 },              { 0xc000, 4 },
        { GICD_ISENABLER, 4 },        { GICD_ISPENDR + 0x10, 4 },
        /* reserved (no row, ESPI = 0, MBIS = 0, no NMIs) and IMPLEMENTATION DEFINED
         * locations: RAZ/WI at every naturally aligned width */
        { 0x20, 8 },                  { 0x21, 1 },              { 0x22, 2 },
        { 0xc000, 8 },                { 0xfffc - 0x30, 1 },     { GICD_ESPI_BASE, 8 },
        { GICD_ESPI_BASE + 0x402, 2 }, { GICD_IROUTERE + 3, 1 }, { GICD_SETSPI_NSR, 2 },
        { GICD_SETSPI_NSR + 8, 8 },   { GICD_INMIR + 8, 8 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        dwr(rows[i].off, rows[i].size, ~UINT64_C(0));
        assert_int_equal(drd(rows[i].off, rows[i].size), 0);
    }
    assert_int_equal(hl.deny_calls, 0);
    assert_int_equal(vm.stats.reserved, 14);
    assert_int_equal(vm.stats.bad_access, 0);
    /* the redistributor's reserved locations alike: RD_base and SGI_base frames */
    rwr(1, 0x30, 8, ~UINT64_C(0));
    assert_int_equal(rrd(1, 0x30, 8), 0);
    assert_int_equal(rrd(1, 0x8000, 1), 0);
    assert_int_equal(rrd(1, GICR_SGI_OFFSET + 0x1000, 8), 0);
    assert_int_equal(rrd(1, GICR_SGI_OFFSET + 0x7e, 2), 0);
    assert_int_equal(vm.stats.reserved, 19);
    /* GICD_ISENABLER0 did not reach the banked SGIs/PPIs. */
    assert_int_equal(rrd(0, GICR_SGI_OFFSET + GICR_ISENABLER0, 4), 0);
}

static void test_bad_widths(void **state)
{
    static const struct {
        bool redist;
        uint32_t off;
        unsigned size;
    } bad[] = {
        { false, GICD_CTLR, 8 },          { false, GICD_ISENABLER + 4, 1 },
        { false, GICD_ISENABLER + 2, 4 }, { false, GICD_IPRIORITYR + 2, 2 },
        { false, GICD_ICFGR, 1 },         { false, 0x24, 8 },
        { false, GICD_IROUTER + 4, 8 },   { false, GICD_IROUTER, 3 },
        { false, GICD_FRAME_SIZE, 4 },    { true, GICR_WAKER, 8 },
        { true, GICR_TYPER, 1 },          { true, GICR_SGI_OFFSET + GICR_ISENABLER0, 8 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint64_t v = 0;
        int r = bad[i].redist ? vgic_redist_mmio(&vm, 0, bad[i].off, bad[i].size, false, &v)
                              : vgic_dist_mmio(&vm, 0, bad[i].off, bad[i].size, true, &v);
        assert_int_equal(r, -BH_EINVAL);
    }
    assert_int_equal(vm.stats.bad_access, sizeof(bad) / sizeof(bad[0]) - 1);
    assert_int_equal(drd(GICD_CTLR, 4), 0x50);
}

static void test_redist_rd_frame(void **state)
{
    (void)state;
    for (unsigned f = 0; f < NR_VCPUS; f++) {
        uint64_t t = rrd(f, GICR_TYPER, 8);
        assert_int_equal(t >> 32, f);                         /* Affinity 0.0.0.f */
        assert_int_equal((t >> 8) & 0xffff, f);               /* Processor_Number */
        assert_int_equal(!!(t & GICR_TYPER_LAST), f == NR_VCPUS - 1);
        assert_int_equal(t & 0xf, 0);                         /* no PLPIS/VLPIS/DirectLPI */
        assert_int_equal(rrd(f, GICR_TYPER, 4), t & 0xffffffff);
        assert_int_equal(rrd(f, GICR_TYPER + 4, 4), t >> 32);
    }
    assert_int_equal(rrd(2, GICR_IIDR, 4), VGIC_IIDR_VALUE);
    assert_int_equal(rrd(2, GICR_IDREGS + 0x18, 4), 0x3b);
    assert_int_equal(rrd(2, GICR_CTLR, 4), 0);
    rwr(2, GICR_PROPBASER, 8, ~UINT64_C(0));
    rwr(2, GICR_PENDBASER + 4, 4, ~UINT64_C(0));
    assert_int_equal(rrd(2, GICR_PROPBASER, 8), 0);
    assert_int_equal(rrd(2, GICR_PENDBASER, 8), 0);
    assert_int_equal(rrd(2, GICR_SYNCR, 4), 0);

    /* WAKER: we woke the redistributors like firmware would. */
    assert_int_equal(rrd(1, GICR_WAKER, 4), 0);
    rwr(1, GICR_WAKER, 4, GICR_WAKER_SLEEP);
    assert_int_equal(rrd(1, GICR_WAKER, 4), GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP);
    assert_int_equal(rrd(0, GICR_WAKER, 4), 0);
    rwr(1, GICR_WAKER, 4, 0);
    assert_int_equal(rrd(1, GICR_WAKER, 4), 0);
    assert_int_equal(hl.deny_calls, 0);
}

static void test_redist_foreign_frames(void **state)
{
    uint64_t v = 0;

    (void)state;
    assert_int_equal(vgic_redist_mmio(&vm, 1, NR_VCPUS * GICR_FRAME_SIZE + GICR_TYPER, 8, false,
                                      &v),
                     -BH_ERANGE);
    assert_int_equal(hl.deny_calls, 1);
    assert_int_equal(hl.deny_vcpu, 1);
    assert_int_equal(hl.deny_intid, VGIC_INTID_NONE);
    assert_string_equal(hl.deny_reg, "GICR_TYPER");
    v = 0xffffffff;
    assert_int_equal(vgic_redist_mmio(&vm, 0,
                                      7 * GICR_FRAME_SIZE + GICR_SGI_OFFSET + GICR_ISENABLER0, 4,
                                      true, &v),
                     -BH_ERANGE);
    assert_string_equal(hl.deny_reg, "GICR_ISENABLER0");
    assert_true(hl.deny_write);
    assert_int_equal(vgic_dist_mmio(&vm, NR_VCPUS, GICD_CTLR, 4, false, &v), -BH_EINVAL);
}

static void test_redist_sgi_frame(void **state)
{
    uint32_t sgi = GICR_SGI_OFFSET;

    (void)state;
    rwr(2, sgi + GICR_IGROUPR0, 4, 0xffffffff);
    assert_int_equal(rrd(2, sgi + GICR_IGROUPR0, 4), 0xffffffff);
    assert_int_equal(rrd(1, sgi + GICR_IGROUPR0, 4), 0); /* banked */
    rwr(2, sgi + GICR_ISENABLER0, 4, 0x0800ffff);
    assert_int_equal(rrd(2, sgi + GICR_ICENABLER0, 4), 0x0800ffff);
    rwr(2, sgi + GICR_ICENABLER0, 4, 0x0000fff0);
    assert_int_equal(rrd(2, sgi + GICR_ISENABLER0, 4), 0x0800000f);
    rwr(2, sgi + GICR_ISPENDR0, 4, 0x3);
    assert_int_equal(rrd(2, sgi + GICR_ICPENDR0, 4), 0x3);
    rwr(2, sgi + GICR_ICPENDR0, 4, 0x1);
    assert_int_equal(rrd(2, sgi + GICR_ISPENDR0, 4), 0x2);
    rwr(2, sgi + GICR_ISACTIVER0, 4, 0x10);
    assert_int_equal(rrd(2, sgi + GICR_ICACTIVER0, 4), 0x10);
    rwr(2, sgi + GICR_ICACTIVER0, 4, 0xffffffff);
    assert_int_equal(rrd(2, sgi + GICR_ISACTIVER0, 4), 0);
    rwr(2, sgi + GICR_IPRIORITYR0 + 27, 1, 0xa0);
    assert_int_equal(rrd(2, sgi + GICR_IPRIORITYR0 + 24, 4), 0xa0000000);
    rwr(2, sgi + GICR_IPRIORITYR0, 4, 0x80808080);
    assert_int_equal(rrd(2, sgi + GICR_IPRIORITYR0 + 3, 1), 0x80);
    rwr(2, sgi + GICR_IGRPMODR0, 4, 0xffffffff);
    rwr(2, sgi + GICR_NSACR, 4, 0xffffffff);
    assert_int_equal(rrd(2, sgi + GICR_IGRPMODR0, 4), 0);
    assert_int_equal(rrd(2, sgi + GICR_NSACR, 4), 0);
    assert_int_equal(hl.deny_calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_errors, setup),
        cmocka_unit_test_setup(test_tables_sorted, setup),
        cmocka_unit_test_setup(test_dist_ids, setup),
        cmocka_unit_test_setup(test_dist_ctlr, setup),
        cmocka_unit_test_setup(test_enable_and_deny, setup),
        cmocka_unit_test_setup(test_pending_active, setup),
        cmocka_unit_test_setup(test_priority, setup),
        cmocka_unit_test_setup(test_priority_bits, setup),
        cmocka_unit_test_setup(test_icfgr, setup),
        cmocka_unit_test_setup(test_irouter, setup),
        cmocka_unit_test_setup(test_group, setup),
        cmocka_unit_test_setup(test_razwi_rows, setup),
        cmocka_unit_test_setup(test_bad_widths, setup),
        cmocka_unit_test_setup(test_redist_rd_frame, setup),
        cmocka_unit_test_setup(test_redist_foreign_frames, setup),
        cmocka_unit_test_setup(test_redist_sgi_frame, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
