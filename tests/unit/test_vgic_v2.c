// SPDX-License-Identifier: MIT
/*
 * Unit tests for the vGIC's GICv2 parts: the back end's list-register translation
 * (core/vgic/vgic_v2.c) against a fake GICH frame, and the emulated GICv2 distributor
 * (core/vgic/vgic_dist_v2.c): identification, banked SGI/PPI registers, ITARGETSR routing,
 * GICD_SGIR target filters, C/SPENDSGIR, and a foreign SPI denied; SGIs pending per source
 * CPU (IHI 0048B 3.2.x), each source delivered once in an LR of its own with its CPUID.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <bulkhead/errno.h>
#include <core/vgic/vgic_priv.h>
#include <core/vgic/vgic_v2.h>

#include <arch/vgic_hw.h>
#include <arch/vgic_gich.h>

#define NR_VCPUS  3
#define OWN_SPI   40
#define FOREIGN   41

static struct vgic_vm vm;
static unsigned deny_calls;
static uint32_t deny_intid;
static uint32_t kicked;

static void h_deny(void *ctx, unsigned vcpu, uint32_t intid, const char *reg, bool write)
{
    (void)ctx;
    (void)vcpu;
    (void)reg;
    (void)write;
    deny_calls++;
    deny_intid = intid;
}

static void h_kick(void *ctx, uint32_t mask)
{
    (void)ctx;
    kicked |= mask;
}

static int setup(void **state)
{
    struct vgic_vm_cfg cfg = { .nr_vcpus = NR_VCPUS, .v2 = true, .nr_spis = 1 };

    (void)state;
    vgic_fake_reset();
    vgic_fake_gich_reset();
    cfg.spis[0] = (struct vgic_spi_cfg){ .intid = OWN_SPI };
    cfg.hooks.deny = h_deny;
    cfg.hooks.kick = h_kick;
    deny_calls = 0;
    kicked = 0;
    return vgic_vm_init(&vm, &cfg);
}

static uint32_t rd(unsigned vcpu, uint32_t off)
{
    uint64_t v = 0;
    assert_int_equal(vgic_dist_mmio(&vm, vcpu, off, 4, false, &v), 0);
    return (uint32_t)v;
}

static void wr(unsigned vcpu, uint32_t off, uint32_t val)
{
    uint64_t v = val;
    assert_int_equal(vgic_dist_mmio(&vm, vcpu, off, 4, true, &v), 0);
}

/* ---------------------------------------------------------------- LR translation */

static void test_v2_lr_encoding_fields(void **state)
{
    struct vgic_lr lr = { .vintid = 40, .priority = 0xa8, .group1 = true, .pending = true };
    uint32_t hw;

    (void)state;
    hw = vgic_v2_lr_to_hw(vgic_lr_encode(&lr));
    /* VirtualID [9:0], Priority[7:3] at [27:23], Grp1 bit 30, pending bit 28 */
    assert_int_equal(hw, 40u | (0xa8u >> 3) << 23 | 1u << 30 | 1u << 28);
    lr = (struct vgic_lr){ .vintid = 27, .pintid = 27, .hw = true, .active = true };
    hw = vgic_v2_lr_to_hw(vgic_lr_encode(&lr));
    assert_int_equal(hw, 27u | 27u << 10 | 1u << 31 | 1u << 29);
    lr = (struct vgic_lr){ .vintid = 33, .eoi = true, .pending = true, .active = true };
    hw = vgic_v2_lr_to_hw(vgic_lr_encode(&lr));
    assert_int_equal(hw, 33u | 1u << 19 | 3u << 28);
    /* a GICv2 SGI's source CPU: GICH_LR.CPUID [12:10], beside EOI */
    lr = (struct vgic_lr){ .vintid = 3, .eoi = true, .pending = true, .source = 5 };
    hw = vgic_v2_lr_to_hw(vgic_lr_encode(&lr));
    assert_int_equal(hw, 3u | 5u << 10 | 1u << 19 | 1u << 28);
}

static void test_v2_lr_round_trip(void **state)
{
    static const struct vgic_lr lrs[] = {
        { .vintid = 1, .priority = 0xf8, .pending = true },
        { .vintid = 127, .priority = 0x08, .group1 = true, .eoi = true, .active = true },
        { .vintid = 27, .pintid = 27, .priority = 0xa0, .hw = true, .pending = true },
        { .vintid = 64, .pintid = 1019, .hw = true, .pending = true, .active = true },
        { .vintid = 5, .priority = 0x80, .eoi = true, .pending = true, .source = 6 },
        { .vintid = 0 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(lrs) / sizeof(lrs[0]); i++) {
        uint64_t v = vgic_lr_encode(&lrs[i]);
        assert_int_equal(vgic_v2_lr_from_hw(vgic_v2_lr_to_hw(v)), v);
        vgic_v2_write_lr(i % 4, v);
        assert_int_equal(vgic_fake_gich[0x100 / 4 + i % 4], vgic_v2_lr_to_hw(v));
        assert_int_equal(vgic_v2_read_lr(i % 4), v);
    }
}

static void test_v2_vtr_and_status(void **state)
{
    struct vgic_lr eoi = { .vintid = 33, .eoi = true }; /* deactivated, EOI maintenance */

    (void)state;
    vgic_fake_gich_reset();
    /* 4 LRs, 5 priority bits, in ICH_VTR_EL2 form */
    assert_int_equal(FIELD_GET(ICH_VTR_LISTREGS, vgic_v2_read_vtr()), 3);
    assert_int_equal(FIELD_GET(ICH_VTR_PRIBITS, vgic_v2_read_vtr()), 4);
    vgic_fake_gich[0x004 / 4] |= 0x3f; /* 64 LRs: capped at the model's 16 */
    assert_int_equal(FIELD_GET(ICH_VTR_LISTREGS, vgic_v2_read_vtr()), VGIC_MAX_LRS - 1);
    vgic_fake_gich_reset();
    vgic_v2_write_lr(2, vgic_lr_encode(&eoi));
    assert_int_equal(vgic_v2_read(VGIC_V2_GICH_EISR0), 1u << 2);
    assert_int_equal(vgic_v2_read(VGIC_V2_GICH_ELRSR0), 0xfu & ~(1u << 2));
    vgic_v2_write(VGIC_V2_GICH_HCR, ICH_HCR_EN | ICH_HCR_UIE);
    assert_int_equal(vgic_fake_gich[0], 3);
    vgic_v2_write(VGIC_V2_GICH_NONE, 5); /* ICH_AP1R<n>: nothing in GICv2 */
    assert_int_equal(vgic_v2_read(VGIC_V2_GICH_NONE), 0);
}

/* ---------------------------------------------------------------- distributor */

static void test_v2_dist_ident(void **state)
{
    (void)state;
    /* ITLinesNumber 3, CPUNumber = 2 (3 vCPUs), no ARE/DS in GICD_CTLR */
    assert_int_equal(rd(0, GICD_TYPER), 3u | (NR_VCPUS - 1) << 5);
    wr(0, GICD_CTLR, 0xffffffff);
    assert_int_equal(rd(0, GICD_CTLR), 3);
    assert_int_equal(rd(0, 0xfe8) & 0xf0, 0x20); /* PIDR2.ArchRev = 2 */
}

static void test_v2_dist_banked(void **state)
{
    (void)state;
    wr(1, GICD_ISENABLER, 1u << 5 | 1u << 27);
    assert_int_equal(rd(1, GICD_ISENABLER), 1u << 27 | 1u << 5);
    assert_true(vm.cpu[1].priv[5].enabled);
    assert_false(vm.cpu[0].priv[5].enabled);
    assert_int_equal(rd(0, GICD_ISENABLER) & (1u << 5), 0);
    /* ITARGETSR0..7: the accessing vCPU's own bit, read-only */
    assert_int_equal(rd(2, GICD_ITARGETSR), 0x04040404);
    wr(2, GICD_ITARGETSR, 0);
    assert_int_equal(rd(2, GICD_ITARGETSR), 0x04040404);
}

static void test_v2_dist_itargets_routes(void **state)
{
    uint32_t off = GICD_ITARGETSR + OWN_SPI;
    uint64_t v = 0x06; /* vCPUs 1 and 2: delivered to the lowest, 1 */

    (void)state;
    assert_int_equal(rd(0, off & ~3u) >> (8 * (OWN_SPI % 4)) & 0xff, 1); /* reset: CPU 0 */
    assert_int_equal(vgic_dist_mmio(&vm, 0, off, 1, true, &v), 0);
    assert_int_equal(vm.spi[OWN_SPI - 32].target, 1);
    assert_int_equal(rd(0, off & ~3u) >> (8 * (OWN_SPI % 4)) & 0xff, 0x06);
    v = 0x80; /* no vCPU of this VM: routed nowhere */
    assert_int_equal(vgic_dist_mmio(&vm, 0, off, 1, true, &v), 0);
    assert_int_equal(vm.spi[OWN_SPI - 32].target, VGIC_NO_VCPU);
    /* another VM's SPI: ignored, reads as zero, no event */
    v = 0x01;
    assert_int_equal(vgic_dist_mmio(&vm, 0, GICD_ITARGETSR + FOREIGN, 1, true, &v), 0);
    assert_int_equal(vgic_dist_mmio(&vm, 0, GICD_ITARGETSR + FOREIGN, 1, false, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(deny_calls, 0);
}

/* IHI 0048B 4.3.12: a CPU targets bit of an unimplemented CPU interface is RAZ/WI; with 3
 * vCPUs, bits 3..7 never read back, whatever else the byte names. */
static void test_v2_dist_itargets_absent_cpus_raz(void **state)
{
    uint32_t off = GICD_ITARGETSR + OWN_SPI;
    uint64_t v = 0xfc; /* vCPU 2 and five CPU interfaces the VM does not have */

    (void)state;
    assert_int_equal(vgic_dist_mmio(&vm, 0, off, 1, true, &v), 0);
    assert_int_equal(vgic_dist_mmio(&vm, 0, off, 1, false, &v), 0);
    assert_int_equal(v, 0x04);
    assert_int_equal(vm.spi[OWN_SPI - 32].target, 2);
    v = 0x80; /* only an absent one: reads 0, routed nowhere */
    assert_int_equal(vgic_dist_mmio(&vm, 0, off, 1, true, &v), 0);
    assert_int_equal(rd(1, off & ~3u) >> (8 * (OWN_SPI % 4)) & 0xff, 0);
    assert_int_equal(vm.spi[OWN_SPI - 32].target, VGIC_NO_VCPU);
    wr(0, off & ~3u, 0xffffffff); /* a word write: the same per byte */
    assert_int_equal(rd(0, off & ~3u) >> (8 * (OWN_SPI % 4)) & 0xff, 0x07);
    assert_int_equal(vm.spi[OWN_SPI - 32].target, 0);
}

static void test_v2_dist_foreign_spi_denied(void **state)
{
    (void)state;
    wr(0, GICD_ISENABLER + 4, 1u << (FOREIGN - 32));
    assert_int_equal(deny_calls, 1);
    assert_int_equal(deny_intid, FOREIGN);
    assert_false(vm.spi[FOREIGN - 32].enabled);
}

static void test_v2_dist_sgir_filters(void **state)
{
    (void)state;
    for (unsigned v = 0; v < NR_VCPUS; v++) {
        wr(v, GICD_ISENABLER, 0xffff); /* every SGI enabled on every vCPU */
    }
    wr(0, GICD_CTLR, 3);
    kicked = 0;
    /* filter 0: CPUTargetList = vCPU 2 (and 7, not in the VM), SGI 3: posted with its
     * source 0 (the inbox bit, and the source in sgi_post) */
    wr(0, GICD_SGIR, 0u << 24 | (0x84u << 16) | 3);
    assert_int_equal(vm.inbox[2], (uint64_t)1 << (VGIC_INBOX_SGI + 3));
    assert_int_equal(vm.sgi_post[2][3], 1u << 0);
    assert_int_equal(vm.inbox[1], 0);
    assert_int_equal(vm.sgi_post[1][3], 0);
    assert_int_equal(kicked, 1u << 2);
    /* filter 1: all but the sender */
    kicked = 0;
    wr(1, GICD_SGIR, 1u << 24 | 5);
    assert_int_equal(vm.sgi_post[0][5], 1u << 1);
    assert_int_equal(vm.sgi_post[2][5], 1u << 1);
    assert_int_equal(vm.sgi_post[1][5], 0);
    assert_false(vm.inbox[1] & ((uint64_t)1 << (VGIC_INBOX_SGI + 5)));
    assert_int_equal(kicked, 1u << 0 | 1u << 2);
    /* again while not taken: the pair's bit is set already, so nobody is kicked (a sender
     * writing GICD_SGIR in a loop makes its target exit once) */
    kicked = 0;
    wr(1, GICD_SGIR, 1u << 24 | 5);
    assert_int_equal(kicked, 0);
    /* another source of the same SGI joins the post, whose kick is on its way */
    wr(0, GICD_SGIR, 0u << 24 | (0x04u << 16) | 5);
    assert_int_equal(vm.sgi_post[2][5], 1u << 1 | 1u << 0);
    assert_int_equal(kicked, 0);
    /* the pending registers take the posts into the model: both sources */
    assert_int_equal(rd(2, GICD_SPENDSGIR + 4) & 0xff00, 0x0300);
    assert_int_equal(vm.cpu[2].priv[5].sgi_src, 0x03);
    assert_int_equal(vm.sgi_post[2][5], 0);
    /* filter 2: the sender only (no kick of itself); filter 3 is reserved: nothing */
    kicked = 0;
    wr(1, GICD_SGIR, 2u << 24 | 6);
    assert_int_equal(vm.sgi_post[1][6], 1u << 1);
    wr(1, GICD_SGIR, 3u << 24 | 0xff0000u | 7);
    for (unsigned v = 0; v < NR_VCPUS; v++) {
        assert_int_equal(vm.sgi_post[v][7], 0);
        assert_false(vm.inbox[v] & ((uint64_t)1 << (VGIC_INBOX_SGI + 7)));
    }
    assert_int_equal(kicked, 0);
}

static void test_v2_dist_spendsgir(void **state)
{
    uint64_t v = 0x01;

    (void)state;
    /* SGI 2 of vCPU 1 pending through SPENDSGIR (byte 2), seen as source CPU 0 */
    assert_int_equal(vgic_dist_mmio(&vm, 1, GICD_SPENDSGIR + 2, 1, true, &v), 0);
    assert_true(vm.cpu[1].priv[2].pending_latch);
    assert_false(vm.cpu[0].priv[2].pending_latch);
    assert_int_equal(rd(1, GICD_SPENDSGIR), 0x00010000);
    assert_int_equal(rd(1, GICD_ISPENDR) & 0xffff, 1u << 2);
    wr(1, GICD_CPENDSGIR, 0x00ff0000);
    assert_false(vm.cpu[1].priv[2].pending_latch);
    assert_int_equal(rd(1, GICD_SPENDSGIR), 0);
}

/* ---------------------------------------------------------------- SGIs per source CPU */

#define SGI_X   4
#define TARGET  2   /* the receiving vCPU; vgic_fake is its CPU interface */

/* The SGI byte of GICD_SPENDSGIR (or CPENDSGIR, which reads the same) as vCPU v sees it. */
static uint8_t sgi_sources(unsigned v, uint32_t reg, unsigned intid)
{
    uint64_t b = 0;

    assert_int_equal(vgic_dist_mmio(&vm, v, reg + intid, 1, false, &b), 0);
    return (uint8_t)b;
}

static void sgi_byte_write(unsigned v, uint32_t reg, unsigned intid, uint8_t val)
{
    uint64_t b = val;

    assert_int_equal(vgic_dist_mmio(&vm, v, reg + intid, 1, true, &b), 0);
}

/* Distributor on, SGI intid enabled on vCPU v at a middle priority. */
static void sgi_on(unsigned v, unsigned intid)
{
    uint64_t prio = 0x80;

    wr(0, GICD_CTLR, 3);
    assert_int_equal(vgic_dist_mmio(&vm, v, GICD_IPRIORITYR + intid, 1, true, &prio), 0);
    wr(v, GICD_ISENABLER, 1u << intid);
}

/* GICD_SGIR from vCPU src: SGI intid to the vCPUs in list (filter 0). */
static void sgir_send(unsigned src, uint32_t list, unsigned intid)
{
    wr(src, GICD_SGIR, list << 16 | intid);
}

/* The target's way back into the guest (the fast flush first, as on every exit). */
static void target_enter(void)
{
    vgic_sync_lrs(&vm, TARGET);
    vgic_flush_lrs(&vm, TARGET);
}

static unsigned lrs_valid(void)
{
    unsigned n = 0;

    for (unsigned i = 0; i < VGIC_FAKE_NR_LRS; i++) {
        n += !vgic_fake_lr_invalid(vgic_fake.lr[i]);
    }
    return n;
}

/* The one LR holding intid, decoded; its GICH_LR form must carry the same CPUID. */
static struct vgic_lr sgi_lr(unsigned intid, int *idx)
{
    int i = vgic_fake_find(intid);
    struct vgic_lr lr;

    assert_true(i >= 0);
    lr = vgic_lr_decode(vgic_fake.lr[i]);
    assert_int_equal(FIELD_GET(GICH_LR_CPUID, vgic_v2_lr_to_hw(vgic_fake.lr[i])), lr.source);
    if (idx) {
        *idx = i;
    }
    return lr;
}

/* The guest takes intid (GICC_IAR: its CPUID is the LR's source) and completes it. */
static unsigned guest_take(unsigned intid)
{
    int i;
    struct vgic_lr lr = sgi_lr(intid, &i);

    assert_true(lr.pending);
    assert_true(vgic_fake_guest_ack((unsigned)i));
    assert_true(vgic_fake_guest_eoi((unsigned)i));
    return lr.source;
}

/* IHI 0048B 3.2.x: two senders' SGI n to one target is pending twice, once per source, and
 * each is delivered once with its own source in the LR (GICC_IAR.CPUID). */
static void test_v2_sgi_two_sources_each_delivered_once(void **state)
{
    (void)state;
    sgi_on(TARGET, SGI_X);
    sgir_send(0, 1u << TARGET, SGI_X);
    sgir_send(1, 1u << TARGET, SGI_X);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x03);
    assert_int_equal(rd(TARGET, GICD_ISPENDR) & 0xffff, 1u << SGI_X);
    /* another target sees none of it (banked) */
    assert_int_equal(sgi_sources(0, GICD_SPENDSGIR, SGI_X), 0);

    target_enter();
    assert_int_equal(lrs_valid(), 1);
    /* source 0 first; source 1 still pending: the LR asks for EOI maintenance */
    assert_int_equal(sgi_lr(SGI_X, NULL).source, 0);
    assert_true(sgi_lr(SGI_X, NULL).eoi);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x03);
    assert_int_equal(guest_take(SGI_X), 0);

    target_enter(); /* the EOI maintenance's exit */
    assert_int_equal(lrs_valid(), 1);
    assert_int_equal(sgi_lr(SGI_X, NULL).source, 1);
    assert_false(sgi_lr(SGI_X, NULL).eoi);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x02);
    assert_int_equal(guest_take(SGI_X), 1);

    target_enter();
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0);
    assert_int_equal(rd(TARGET, GICD_ISPENDR) & 0xffff, 0);
}

/* Every vCPU to every other, one SGI each: each receiver gets each sender once, with the
 * sender's number as the LR's source. */
static void test_v2_sgi_all_to_all_sources(void **state)
{
    struct vgic_fake_hw bank[NR_VCPUS];

    (void)state;
    for (unsigned v = 0; v < NR_VCPUS; v++) {
        sgi_on(v, SGI_X);
        bank[v] = vgic_fake;
    }
    for (unsigned s = 0; s < NR_VCPUS; s++) {
        wr(s, GICD_SGIR, 1u << 24 | SGI_X); /* filter 1: all but the sender */
    }
    for (unsigned t = 0; t < NR_VCPUS; t++) {
        uint32_t seen = 0;
        vgic_fake = bank[t];
        assert_int_equal(sgi_sources(t, GICD_SPENDSGIR, SGI_X), VGIC_ALL_VCPUS(&vm) & ~(1u << t));
        for (unsigned k = 0; k < NR_VCPUS - 1; k++) {
            vgic_sync_lrs(&vm, t);
            vgic_flush_lrs(&vm, t);
            assert_int_equal(lrs_valid(), 1);
            seen |= 1u << guest_take(SGI_X);
        }
        vgic_sync_lrs(&vm, t);
        vgic_flush_lrs(&vm, t);
        assert_int_equal(lrs_valid(), 0);
        assert_int_equal(seen, VGIC_ALL_VCPUS(&vm) & ~(1u << t));
        assert_int_equal(sgi_sources(t, GICD_SPENDSGIR, SGI_X), 0);
    }
}

/* The same source twice before delivery is one pending state (the pair's bit); while the
 * guest handles one, another from the same source joins its LR as pending + active, one from
 * another source waits in the model for the deactivation. */
static void test_v2_sgi_same_source_merges_other_waits(void **state)
{
    int i;

    (void)state;
    sgi_on(TARGET, SGI_X);
    sgir_send(0, 1u << TARGET, SGI_X);
    sgir_send(0, 1u << TARGET, SGI_X);
    target_enter();
    assert_int_equal(sgi_lr(SGI_X, &i).source, 0);
    assert_false(sgi_lr(SGI_X, NULL).eoi);
    assert_true(vgic_fake_guest_ack((unsigned)i)); /* active, in the guest's handler */
    vgic_sync_lrs(&vm, TARGET);

    sgir_send(0, 1u << TARGET, SGI_X); /* same source: pending + active in its LR */
    target_enter();
    assert_true(sgi_lr(SGI_X, NULL).pending && sgi_lr(SGI_X, NULL).active);
    assert_int_equal(sgi_lr(SGI_X, NULL).source, 0);
    assert_int_equal(vm.cpu[TARGET].priv[SGI_X].sgi_src, 0);

    sgir_send(1, 1u << TARGET, SGI_X); /* another source: waits, EOI maintenance asked */
    target_enter();
    assert_int_equal(sgi_lr(SGI_X, NULL).source, 0);
    assert_true(sgi_lr(SGI_X, NULL).eoi);
    assert_int_equal(vm.cpu[TARGET].priv[SGI_X].sgi_src, 1u << 1);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x03);

    assert_true(vgic_fake_guest_eoi((unsigned)i)); /* pending again (source 0) */
    target_enter();
    assert_int_equal(guest_take(SGI_X), 0);
    target_enter();
    assert_int_equal(guest_take(SGI_X), 1);
    target_enter();
    assert_int_equal(lrs_valid(), 0);
}

/* 4.3.17/4.3.18: SPENDSGIR sets and CPENDSGIR clears exactly the written source bits, bits
 * of CPUs the VM does not have are ignored, and a source already in an LR is withdrawn. */
static void test_v2_spendsgir_per_source(void **state)
{
    (void)state;
    sgi_on(TARGET, SGI_X);
    wr(TARGET, GICD_ICENABLER, 1u << SGI_X); /* not delivered while we look */
    sgi_byte_write(TARGET, GICD_SPENDSGIR, SGI_X, 0x86); /* 7: no such vCPU */
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x06);
    assert_int_equal(sgi_sources(TARGET, GICD_CPENDSGIR, SGI_X), 0x06);
    assert_int_equal(rd(TARGET, GICD_SPENDSGIR + (SGI_X & ~3u)) >> (8 * (SGI_X % 4)), 0x06);
    sgi_byte_write(TARGET, GICD_CPENDSGIR, SGI_X, 0x82);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x04);
    assert_int_equal(rd(TARGET, GICD_ISPENDR) & 0xffff, 1u << SGI_X);

    wr(TARGET, GICD_ISENABLER, 1u << SGI_X);
    target_enter();
    assert_int_equal(sgi_lr(SGI_X, NULL).source, 2);
    sgi_byte_write(TARGET, GICD_SPENDSGIR, SGI_X, 0x01);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x05);
    sgi_byte_write(TARGET, GICD_CPENDSGIR, SGI_X, 0x04); /* the LR's source */
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x01);
    target_enter(); /* the LR now shows the one source left */
    assert_int_equal(lrs_valid(), 1);
    assert_int_equal(guest_take(SGI_X), 0);
    target_enter();
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(rd(TARGET, GICD_ISPENDR) & 0xffff, 0);
}

/* An LR given back to the model (the vCPU reset or switched out) returns its source. */
static void test_v2_sgi_evicted_source_kept(void **state)
{
    (void)state;
    sgi_on(TARGET, SGI_X);
    sgir_send(1, 1u << TARGET, SGI_X);
    target_enter();
    assert_int_equal(sgi_lr(SGI_X, NULL).source, 1);
    vgic_vcpu_switch_out(&vm, TARGET);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(vm.cpu[TARGET].priv[SGI_X].sgi_src, 1u << 1);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x02);
    vgic_flush_lrs(&vm, TARGET);
    assert_int_equal(guest_take(SGI_X), 1);
}

/* The interrupt exit's short way (vgic_sync_flush_lrs: posted edges straight into LRs,
 * vgic_inbox_direct) gives what the model path gives: the lowest posted source in the LR
 * with EOI maintenance while others wait, the next after the deactivation, and a finished
 * LR re-armed in place with a new sender's CPUID. */
static void test_v2_sgi_posted_direct_path(void **state)
{
    int i, j;

    (void)state;
    sgi_on(TARGET, SGI_X);
    vgic_sync_flush_lrs(&vm, TARGET, false); /* nothing yet: the enable's flush */
    sgir_send(1, 1u << TARGET, SGI_X);
    sgir_send(0, 1u << TARGET, SGI_X);
    assert_int_equal(vm.sgi_post[TARGET][SGI_X], 0x03);
    vgic_sync_flush_lrs(&vm, TARGET, true); /* the kick's exit */
    assert_int_equal(vm.sgi_post[TARGET][SGI_X], 0);
    assert_int_equal(lrs_valid(), 1);
    assert_int_equal(sgi_lr(SGI_X, &i).source, 0);
    assert_true(sgi_lr(SGI_X, NULL).eoi);
    assert_int_equal(vm.cpu[TARGET].priv[SGI_X].sgi_src, 1u << 1);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0x03);
    assert_int_equal(guest_take(SGI_X), 0);
    vgic_sync_flush_lrs(&vm, TARGET, false); /* the EOI maintenance */
    assert_int_equal(guest_take(SGI_X), 1);
    vgic_sync_flush_lrs(&vm, TARGET, false);
    assert_int_equal(lrs_valid(), 0);

    /* one source, delivered and finished without an exit; a second sender's post re-arms
     * that LR in place with its own CPUID */
    sgir_send(2, 1u << TARGET, SGI_X);
    vgic_sync_flush_lrs(&vm, TARGET, true);
    assert_int_equal(sgi_lr(SGI_X, &i).source, 2);
    assert_false(sgi_lr(SGI_X, NULL).eoi);
    assert_int_equal(guest_take(SGI_X), 2);
    sgir_send(1, 1u << TARGET, SGI_X);
    vgic_sync_flush_lrs(&vm, TARGET, true);
    assert_int_equal(sgi_lr(SGI_X, &j).source, 1);
    assert_int_equal(j, i);
    assert_int_equal(guest_take(SGI_X), 1);
    vgic_sync_flush_lrs(&vm, TARGET, false);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(sgi_sources(TARGET, GICD_SPENDSGIR, SGI_X), 0);

    /* a post while the LR is still pending from another source waits in the model */
    sgir_send(0, 1u << TARGET, SGI_X);
    vgic_sync_flush_lrs(&vm, TARGET, true);
    sgir_send(1, 1u << TARGET, SGI_X);
    vgic_sync_flush_lrs(&vm, TARGET, true);
    assert_int_equal(sgi_lr(SGI_X, NULL).source, 0);
    assert_true(sgi_lr(SGI_X, NULL).eoi);
    assert_int_equal(vm.cpu[TARGET].priv[SGI_X].sgi_src, 1u << 1);
    assert_int_equal(guest_take(SGI_X), 0);
    vgic_sync_flush_lrs(&vm, TARGET, false);
    assert_int_equal(guest_take(SGI_X), 1);
    vgic_sync_flush_lrs(&vm, TARGET, false);
    assert_int_equal(lrs_valid(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_v2_lr_encoding_fields, setup),
        cmocka_unit_test_setup(test_v2_lr_round_trip, setup),
        cmocka_unit_test_setup(test_v2_vtr_and_status, setup),
        cmocka_unit_test_setup(test_v2_dist_ident, setup),
        cmocka_unit_test_setup(test_v2_dist_banked, setup),
        cmocka_unit_test_setup(test_v2_dist_itargets_routes, setup),
        cmocka_unit_test_setup(test_v2_dist_itargets_absent_cpus_raz, setup),
        cmocka_unit_test_setup(test_v2_dist_foreign_spi_denied, setup),
        cmocka_unit_test_setup(test_v2_dist_sgir_filters, setup),
        cmocka_unit_test_setup(test_v2_dist_spendsgir, setup),
        cmocka_unit_test_setup(test_v2_sgi_two_sources_each_delivered_once, setup),
        cmocka_unit_test_setup(test_v2_sgi_all_to_all_sources, setup),
        cmocka_unit_test_setup(test_v2_sgi_same_source_merges_other_waits, setup),
        cmocka_unit_test_setup(test_v2_spendsgir_per_source, setup),
        cmocka_unit_test_setup(test_v2_sgi_evicted_source_kept, setup),
        cmocka_unit_test_setup(test_v2_sgi_posted_direct_path, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
