// SPDX-License-Identifier: MIT
/*
 * Unit tests for vGIC injection and list-register management (core/vgic/vgic.c, core/vgic/vgic_lr.c)
 * against the fake ICH_* bank of arch/host: LR encoding, SGI decoding, priority-ordered
 * allocation, overflow and underflow maintenance, eviction, pending+active merging, level
 * resampling through EOI maintenance, HW-linked interrupts, retargeting, reset, and edges
 * posted without the lock (vgic_post_spi) taken on an interrupt exit (vgic_sync_flush_lrs).
 * Each vCPU has its own fake CPU interface: on_cpu(v) swaps banks like a pCPU switch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bulkhead/errno.h>
#include <core/vgic/vgic_priv.h>

#include <arch/vgic_hw.h>

#define NR_VCPUS  4
#define UART_SPI  33
#define PT_SPI    40
#define PT_PINTID 72
#define FOREIGN   34
#define SGI_BASE  GICR_SGI_OFFSET

struct hook_log {
    unsigned active_calls;
    bool active_on;
    uint32_t active_pintid;
    unsigned kick_calls;
    uint32_t kick_mask;
};

static struct hook_log hl;
static struct vgic_vm vm;
static struct vgic_fake_hw cpu_hw[NR_VCPUS];
static unsigned cur_cpu;

static void h_active(void *ctx, unsigned vcpu, uint32_t pintid, bool on)
{
    (void)ctx;
    (void)vcpu;
    hl.active_calls++;
    hl.active_on = on;
    hl.active_pintid = pintid;
}

static void h_kick(void *ctx, uint32_t mask)
{
    (void)ctx;
    hl.kick_calls++;
    hl.kick_mask |= mask;
}

static void on_cpu(unsigned v)
{
    cpu_hw[cur_cpu] = vgic_fake;
    vgic_fake = cpu_hw[v];
    cur_cpu = v;
}

static void dwr(uint32_t off, unsigned size, uint64_t v)
{
    assert_int_equal(vgic_dist_mmio(&vm, cur_cpu, off, size, true, &v), 0);
}

static uint64_t rrd(unsigned frame, uint32_t off)
{
    uint64_t v = 0;
    assert_int_equal(vgic_redist_mmio(&vm, cur_cpu, frame * GICR_FRAME_SIZE + off, 4, false, &v),
                     0);
    return v;
}

static void rwr(unsigned frame, uint32_t off, unsigned size, uint64_t v)
{
    assert_int_equal(vgic_redist_mmio(&vm, cur_cpu, frame * GICR_FRAME_SIZE + off, size, true, &v),
                     0);
}

/* A fresh VM from cfg, set up as Linux does it: Group 1 SPIs, distributor on. */
static void vm_up(const struct vgic_vm_cfg *cfg)
{
    vgic_fake_reset();
    for (unsigned v = 0; v < NR_VCPUS; v++) {
        cpu_hw[v] = vgic_fake;
    }
    cur_cpu = 0;
    assert_int_equal(vgic_vm_init(&vm, cfg), 0);
    memset(&hl, 0, sizeof(hl));
    dwr(GICD_CTLR, 4, GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0);
    dwr(GICD_IGROUPR + 4, 4, 0xffffffff);
}

static int setup(void **state)
{
    struct vgic_vm_cfg cfg = {
        .nr_vcpus = NR_VCPUS,
        .nr_spis = 2,
        .spis = { { .intid = UART_SPI }, { .intid = PT_SPI, .hw = true, .pintid = PT_PINTID } },
        .hooks = { .hw_set_active = h_active, .kick = h_kick },
    };

    (void)state;
    vm_up(&cfg);
    for (unsigned v = 0; v < NR_VCPUS; v++) {
        rwr(v, SGI_BASE + GICR_IGROUPR0, 4, 0xffffffff);
    }
    hl.kick_calls = 0;
    hl.kick_mask = 0;
    return 0;
}

/* Enable a private interrupt on vCPU v with a priority. */
static void enable_priv(unsigned v, uint32_t intid, uint8_t prio)
{
    rwr(v, SGI_BASE + GICR_IPRIORITYR0 + intid, 1, prio);
    rwr(v, SGI_BASE + GICR_ISENABLER0, 4, UINT32_C(1) << intid);
}

static void enable_spi(uint32_t intid, uint8_t prio, unsigned target)
{
    dwr(GICD_IPRIORITYR + intid, 1, prio);
    dwr(GICD_IROUTER + intid * 8, 8, target);
    dwr(GICD_ISENABLER + intid / 32 * 4, 4, UINT32_C(1) << (intid % 32));
}

static unsigned lrs_valid(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < VGIC_FAKE_NR_LRS; i++) {
        n += !vgic_fake_lr_invalid(vgic_fake.lr[i]);
    }
    return n;
}

static struct vgic_lr lr_of(uint32_t intid)
{
    int i = vgic_fake_find(intid);
    assert_true(i >= 0);
    return vgic_lr_decode(vgic_fake.lr[i]);
}

/* The guest takes and completes interrupt intid on the current vCPU. */
static void guest_handle(uint32_t intid)
{
    int i = vgic_fake_find(intid);
    assert_true(i >= 0);
    assert_true(vgic_fake_guest_ack((unsigned)i));
    assert_true(vgic_fake_guest_eoi((unsigned)i));
}

static void test_lr_encoding(void **state)
{
    struct vgic_lr hw = { .vintid = 27, .pintid = 27, .priority = 0xa0, .group1 = true,
                          .hw = true, .pending = true };
    struct vgic_lr sw = { .vintid = 1019, .priority = 0x08, .eoi = true, .active = true };
    struct vgic_lr back;

    (void)state;
    assert_int_equal(vgic_lr_encode(&hw), (UINT64_C(1) << 62) | (UINT64_C(1) << 61) |
                                              (UINT64_C(1) << 60) | (UINT64_C(0xa0) << 48) |
                                              (UINT64_C(27) << 32) | 27);
    assert_int_equal(vgic_lr_encode(&sw), (UINT64_C(1) << 63) | (UINT64_C(8) << 48) |
                                              (UINT64_C(1) << 41) | 1019);
    back = vgic_lr_decode(vgic_lr_encode(&hw));
    assert_memory_equal(&back, &hw, sizeof(back));
    back = vgic_lr_decode(vgic_lr_encode(&sw));
    assert_memory_equal(&back, &sw, sizeof(back));
    /* With HW = 1 bit 41 belongs to pINTID, not EOI. */
    back = vgic_lr_decode(ICH_LR_HW | FIELD_PREP(ICH_LR_PINTID, 0x200));
    assert_false(back.eoi);
    assert_int_equal(back.pintid, 0x200);
}

static void test_sgi_decode(void **state)
{
    (void)state;
    for (unsigned v = 0; v < NR_VCPUS; v++) {
        enable_priv(v, 3, 0x80);
    }
    /* TargetList 0b1010, INTID 3: vCPUs 1 and 3. */
    assert_int_equal(vgic_sgi(&vm, 0, (UINT64_C(3) << 24) | 0xa), 0xa);
    assert_int_equal(rrd(1, SGI_BASE + GICR_ISPENDR0), 1u << 3);
    assert_int_equal(rrd(2, SGI_BASE + GICR_ISPENDR0), 0);
    /* The sender may name itself; bits beyond the VM's vCPUs are ignored. */
    assert_int_equal(vgic_sgi(&vm, 2, (UINT64_C(3) << 24) | 0xff04), 0x4);
    /* Aff1/Aff2/Aff3 != 0 or RS != 0 name PEs we do not have. */
    assert_int_equal(vgic_sgi(&vm, 0, (UINT64_C(3) << 24) | (UINT64_C(1) << 16) | 1), 0);
    assert_int_equal(vgic_sgi(&vm, 0, (UINT64_C(3) << 24) | (UINT64_C(1) << 32) | 1), 0);
    assert_int_equal(vgic_sgi(&vm, 0, (UINT64_C(3) << 24) | (UINT64_C(1) << 48) | 1), 0);
    assert_int_equal(vgic_sgi(&vm, 0, (UINT64_C(3) << 24) | (UINT64_C(1) << 44) | 1), 0);
    assert_int_equal(vgic_sgi(&vm, 0, (UINT64_C(3) << 24) | (UINT64_C(2) << 44) | 0xffff), 0);
    assert_int_equal(vgic_sgi(&vm, 0, (UINT64_C(3) << 24) | (UINT64_C(15) << 44) | 0xffff), 0);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISPENDR0), 0);
    /* IRM = 1: everyone but the sender, whatever TargetList says. */
    assert_int_equal(vgic_sgi(&vm, 1, (UINT64_C(5) << 24) | (UINT64_C(1) << 40) | 0x2), 0);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISPENDR0), 1u << 5);
    assert_int_equal(rrd(1, SGI_BASE + GICR_ISPENDR0), 1u << 3);
    assert_int_equal(rrd(3, SGI_BASE + GICR_ISPENDR0), (1u << 3) | (1u << 5));
    /* SGI0R cannot raise a Group 1 SGI; SGI1R can raise a Group 0 one (DS = 1). */
    assert_int_equal(vgic_sgi0(&vm, 0, (UINT64_C(3) << 24) | 0x1), 0);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISPENDR0), 1u << 5);
    rwr(0, SGI_BASE + GICR_IGROUPR0, 4, 0);
    assert_int_equal(vgic_sgi0(&vm, 1, (UINT64_C(3) << 24) | 0x1), 0x1);
    /* The same SGI again before vCPU 0 took it: one pending bit per SGI and target, and the
     * first kick is on its way (posted, vgic.h), so nobody is kicked twice. */
    assert_int_equal(vgic_sgi(&vm, 1, (UINT64_C(3) << 24) | 0x1), 0);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISPENDR0), (1u << 3) | (1u << 5));
    assert_int_equal(vgic_sgi(&vm, 1, (UINT64_C(3) << 24) | 0x1), 0x1); /* folded: new */
}

static void test_lr_basic_cycle(void **state)
{
    struct vgic_lr lr;

    (void)state;
    enable_priv(0, 1, 0x87);
    assert_int_equal(vgic_sgi(&vm, 1, (UINT64_C(1) << 24) | 0x1), 0x1);
    vgic_flush_lrs(&vm, 0);
    lr = lr_of(1);
    assert_true(lr.pending && !lr.active && lr.group1 && !lr.hw && !lr.eoi);
    assert_int_equal(lr.priority, 0x80); /* the CPU interface has 5 priority bits */
    assert_true(vgic_fake.hcr & ICH_HCR_EN);
    assert_false(vgic_fake.hcr & ICH_HCR_UIE);

    assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(1)));
    vgic_sync_lrs(&vm, 0);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISACTIVER0), 1u << 1);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISPENDR0), 0);
    vgic_flush_lrs(&vm, 0);
    assert_true(lr_of(1).active);

    assert_true(vgic_fake_guest_eoi((unsigned)vgic_fake_find(1)));
    vgic_sync_lrs(&vm, 0);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISACTIVER0), 0);
    assert_int_equal(vm.cpu[0].lr_used, 0);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    assert_false(vgic_fake.hcr & ICH_HCR_UIE);
}

static void test_lr_priority_overflow(void **state)
{
    static const uint8_t prio[6] = { 0x60, 0x20, 0x50, 0x10, 0x40, 0x30 };

    (void)state;
    for (unsigned s = 0; s < 6; s++) {
        enable_priv(0, s, prio[s]);
        vgic_inject(&vm, 0, s);
    }
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 4);
    for (unsigned s = 0; s < 6; s++) {
        assert_int_equal(vgic_fake_find(s) >= 0, prio[s] <= 0x40);
    }
    assert_true(vgic_fake.hcr & ICH_HCR_UIE);
    /* Underflow once the guest handled three: the maintenance interrupt refills. */
    guest_handle(3);
    guest_handle(1);
    guest_handle(5);
    assert_true(arch_vgic_read_misr() & ICH_MISR_U);
    vgic_maintenance(&vm, 0);
    assert_int_equal(lrs_valid(), 3);
    assert_true(vgic_fake_find(2) >= 0 && vgic_fake_find(0) >= 0 && vgic_fake_find(4) >= 0);
    assert_false(vgic_fake.hcr & ICH_HCR_UIE);
    assert_int_equal(arch_vgic_read_misr(), 0);
}

static void test_lr_eviction(void **state)
{
    (void)state;
    for (unsigned s = 0; s < 4; s++) {
        enable_priv(0, s, 0x80);
        vgic_inject(&vm, 0, s);
    }
    enable_priv(0, 9, 0x10);
    enable_priv(0, 10, 0x80);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 4);
    vgic_inject(&vm, 0, 10); /* same priority: no eviction, waits */
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(vgic_fake_find(10), -1);
    assert_true(vgic_fake.hcr & ICH_HCR_UIE);

    vgic_inject(&vm, 0, 9); /* higher priority: the worst pending LR (SGI 3) makes room */
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_true(vgic_fake_find(9) >= 0);
    assert_int_equal(vgic_fake_find(3), -1);
    assert_int_equal(vm.stats.evictions, 1);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISPENDR0), 0x60f); /* 3 still pending */
    assert_true(vgic_fake.hcr & ICH_HCR_UIE);

    /* Active LRs are never evicted. */
    for (unsigned s = 0; s < 3; s++) {
        assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(s)));
    }
    assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(9)));
    vgic_sync_lrs(&vm, 0);
    enable_priv(0, 11, 0x00);
    vgic_inject(&vm, 0, 11);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(vgic_fake_find(11), -1);
    assert_int_equal(vm.stats.evictions, 1);
}

static void test_lr_pending_active(void **state)
{
    (void)state;
    enable_priv(0, 2, 0x40);
    vgic_inject(&vm, 0, 2);
    vgic_flush_lrs(&vm, 0);
    /* A second edge before the guest acknowledges merges. */
    vgic_inject(&vm, 0, 2);
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_true(lr_of(2).pending && !lr_of(2).active);
    assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(2)));
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_true(lr_of(2).active && !lr_of(2).pending);
    /* An edge while active: pending+active in the same LR. */
    vgic_inject(&vm, 0, 2);
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_true(lr_of(2).active && lr_of(2).pending);
    assert_int_equal(lrs_valid(), 1);
    assert_true(vgic_fake_guest_eoi((unsigned)vgic_fake_find(2)));
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_true(lr_of(2).pending && !lr_of(2).active);
    guest_handle(2);
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
}

static void test_level_resample(void **state)
{
    struct vgic_lr lr;

    (void)state;
    enable_spi(UART_SPI, 0xa0, 0);
    assert_int_equal(vgic_set_level(&vm, 0, UART_SPI, true), 0x1);
    vgic_flush_lrs(&vm, 0);
    lr = lr_of(UART_SPI);
    assert_true(lr.pending && lr.eoi && !lr.hw);
    /* Line still high at EOI: the maintenance interrupt re-pends it. */
    guest_handle(UART_SPI);
    assert_int_equal(arch_vgic_read_eisr(), 1u << 0);
    assert_true(arch_vgic_read_misr() & ICH_MISR_EOI);
    vgic_maintenance(&vm, 0);
    assert_true(lr_of(UART_SPI).pending);
    /* Line dropped by the device's handler before EOI: nothing more. */
    assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(UART_SPI)));
    vgic_sync_lrs(&vm, 0);
    assert_int_equal(vgic_set_level(&vm, 0, UART_SPI, false), 0x1);
    vgic_flush_lrs(&vm, 0);
    assert_true(lr_of(UART_SPI).active);
    assert_true(vgic_fake_guest_eoi((unsigned)vgic_fake_find(UART_SPI)));
    vgic_maintenance(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(arch_vgic_read_eisr(), 0);
    /* A pending LR is withdrawn when the line drops before the guest takes it. */
    vgic_set_level(&vm, 0, UART_SPI, true);
    vgic_flush_lrs(&vm, 0);
    vgic_set_level(&vm, 0, UART_SPI, false);
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    /* ISPENDR on a level interrupt latches until acknowledged. */
    dwr(GICD_ISPENDR + 4, 4, 1u << (UART_SPI - 32));
    vgic_flush_lrs(&vm, 0);
    guest_handle(UART_SPI);
    vgic_maintenance(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
}

static void test_hw_timer(void **state)
{
    struct vgic_lr lr;

    (void)state;
    enable_priv(1, VGIC_VTIMER_INTID, 0xa0);
    on_cpu(1);
    assert_int_equal(vgic_inject_hw(&vm, 1, VGIC_VTIMER_INTID, VGIC_VTIMER_INTID), 0x2);
    vgic_flush_lrs(&vm, 1);
    lr = lr_of(VGIC_VTIMER_INTID);
    assert_true(lr.hw && lr.pending && !lr.eoi);
    assert_int_equal(lr.pintid, VGIC_VTIMER_INTID);
    /* The guest's deactivation reaches the physical interrupt; no hook needed. */
    guest_handle(VGIC_VTIMER_INTID);
    assert_int_equal(vgic_fake.hw_deactivations, 1);
    assert_int_equal(vgic_fake.last_hw_deactivated, VGIC_VTIMER_INTID);
    vgic_sync_lrs(&vm, 1);
    assert_int_equal(vm.cpu[1].lr_used, 0);
    assert_int_equal(hl.active_calls, 0);
    /* Guest software clears a pending HW interrupt: the physical one is deactivated. */
    vgic_inject_hw(&vm, 1, VGIC_VTIMER_INTID, VGIC_VTIMER_INTID);
    vgic_flush_lrs(&vm, 1);
    rwr(1, SGI_BASE + GICR_ICPENDR0, 4, 1u << VGIC_VTIMER_INTID);
    assert_int_equal(hl.active_calls, 1);
    assert_false(hl.active_on);
    assert_int_equal(hl.active_pintid, VGIC_VTIMER_INTID);
    vgic_sync_lrs(&vm, 1);
    vgic_flush_lrs(&vm, 1);
    assert_int_equal(lrs_valid(), 0);
    /* A pass-through SPI carries its physical INTID. */
    enable_spi(PT_SPI, 0x90, 1);
    vgic_inject_hw(&vm, 0, PT_SPI, PT_PINTID);
    vgic_flush_lrs(&vm, 1);
    lr = lr_of(PT_SPI);
    assert_true(lr.hw && lr.pending);
    assert_int_equal(lr.pintid, PT_PINTID);
    on_cpu(0);
}

/* The timer tick re-armed in its finished LR (vgic_rearm_hw): lock-free with one vCPU, under
 * the lock (and not while dirty) with several; never while the last tick is in progress. */
static void test_rearm_timer(void **state)
{
    unsigned writes;
    int i;

    (void)state;
    enable_priv(1, VGIC_VTIMER_INTID, 0xa0);
    on_cpu(1);
    assert_false(vgic_rearm_hw(&vm, 1, VGIC_VTIMER_INTID)); /* in no LR yet */
    vgic_inject_hw(&vm, 1, VGIC_VTIMER_INTID, VGIC_VTIMER_INTID);
    vgic_sync_flush_lrs(&vm, 1, false);
    i = vgic_fake_find(VGIC_VTIMER_INTID);
    assert_true(i >= 0);
    guest_handle(VGIC_VTIMER_INTID);
    writes = vgic_fake.lr_writes;
    assert_true(vgic_rearm_hw(&vm, 1, VGIC_VTIMER_INTID));
    assert_int_equal(vgic_fake.lr_writes, writes + 1);
    assert_int_equal(vgic_fake_find(VGIC_VTIMER_INTID), i);
    assert_true(lr_of(VGIC_VTIMER_INTID).hw && lr_of(VGIC_VTIMER_INTID).pending);
    vgic_sync_flush_lrs(&vm, 1, true); /* a quiet exit: nothing else written */
    assert_int_equal(vgic_fake.lr_writes, writes + 1);
    /* acknowledged, not finished: no re-arm (the physical one cannot fire then anyway) */
    assert_true(vgic_fake_guest_ack((unsigned)i));
    assert_false(vgic_rearm_hw(&vm, 1, VGIC_VTIMER_INTID));
    assert_true(vgic_fake_guest_eoi((unsigned)i));
    /* another vCPU changed something of vCPU 1's: no re-arm until its flush */
    on_cpu(0);
    rwr(1, SGI_BASE + GICR_IPRIORITYR0 + VGIC_VTIMER_INTID, 1, 0x40);
    on_cpu(1);
    assert_false(vgic_rearm_hw(&vm, 1, VGIC_VTIMER_INTID));
    vgic_inject_hw(&vm, 1, VGIC_VTIMER_INTID, VGIC_VTIMER_INTID);
    vgic_sync_flush_lrs(&vm, 1, true); /* dirty: synced and flushed on this exit */
    assert_int_equal(lr_of(VGIC_VTIMER_INTID).priority, 0x40);
    assert_true(lr_of(VGIC_VTIMER_INTID).pending);
    /* not a private interrupt, or not a vCPU: no */
    assert_false(vgic_rearm_hw(&vm, 1, UART_SPI));
    assert_false(vgic_rearm_hw(&vm, NR_VCPUS, VGIC_VTIMER_INTID));
    on_cpu(0);
}

static void test_retarget(void **state)
{
    (void)state;
    enable_spi(UART_SPI, 0xa0, 1);
    assert_int_equal(vgic_set_level(&vm, 0, UART_SPI, true), 0x2);
    on_cpu(1);
    vgic_flush_lrs(&vm, 1);
    assert_true(lr_of(UART_SPI).pending);
    on_cpu(0);
    dwr(GICD_IROUTER + UART_SPI * 8, 8, 2); /* from vCPU 0: vCPU 1 must let go */
    assert_int_equal(hl.kick_mask, 0x2);
    on_cpu(1);
    vgic_sync_lrs(&vm, 1);
    vgic_flush_lrs(&vm, 1);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(hl.kick_mask, 0x6); /* ... and hands it on to vCPU 2 */
    on_cpu(2);
    vgic_flush_lrs(&vm, 2);
    assert_true(lr_of(UART_SPI).pending);
    on_cpu(0);
}

/* The guest completes intid, one more edge is posted and taken on an interrupt exit: it must
 * come back pending in LR i, and that LR write must be the only one. */
static void repost_rearmed(uint32_t intid, int i)
{
    unsigned writes;

    guest_handle(intid);
    writes = vgic_fake.lr_writes;
    vgic_post_spi(&vm, intid);
    vgic_sync_flush_lrs(&vm, cur_cpu, false);
    assert_int_equal(vgic_fake_find(intid), i);
    assert_true(lr_of(intid).pending && !lr_of(intid).active);
    assert_int_equal(vgic_fake.lr_writes, writes + 1);
}

/* Posted edges (vgic_post_spi): straight into an LR on the target's next interrupt exit,
 * re-armed in place once the guest finished the last one, merged through the model while
 * the last one is still pending or active, visible to register reads before the target
 * exits, and for HW-linked SPIs the ordinary locked injection. */
static void test_post_direct(void **state)
{
    uint32_t w = GICD_ISPENDR + 4, b = 1u << (UART_SPI - 32);
    int i;

    (void)state;
    dwr(GICD_ICFGR + UART_SPI / 16 * 4, 4, UINT32_C(2) << (UART_SPI % 16 * 2)); /* edge */
    enable_spi(UART_SPI, 0xa0, 0);
    vgic_sync_flush_lrs(&vm, 0, false); /* the set-up's register writes are applied */
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(vgic_post_spi(&vm, UART_SPI), 0x1);
    assert_int_equal(vm.inbox[0], 1u << 0);
    assert_int_equal(vm.dirty & 0x1, 0); /* the model is not touched */
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(vm.inbox[0], 0);
    assert_true(lr_of(UART_SPI).pending);
    assert_int_equal(lr_of(UART_SPI).priority, 0xa0);
    i = vgic_fake_find(UART_SPI);

    /* the guest completes it; the next edge re-arms the same LR, nothing else written */
    repost_rearmed(UART_SPI, i);
    assert_int_equal(vm.cpu[0].lr_used, 1u << i);

    /* still pending in the LR: an edge merges (one LR, still just pending) */
    vgic_post_spi(&vm, UART_SPI);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(lrs_valid(), 1);
    assert_true(lr_of(UART_SPI).pending && !lr_of(UART_SPI).active);

    /* acknowledged, not completed: the edge makes it pending+active */
    assert_true(vgic_fake_guest_ack((unsigned)i));
    vgic_post_spi(&vm, UART_SPI);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_true(lr_of(UART_SPI).pending && lr_of(UART_SPI).active);
    assert_int_equal(lrs_valid(), 1);
    assert_true(vgic_fake_guest_eoi((unsigned)i));
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_true(lr_of(UART_SPI).pending && !lr_of(UART_SPI).active);
    guest_handle(UART_SPI);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(lrs_valid(), 0);

    /* a register read sees a posted edge before the target exits */
    vgic_post_spi(&vm, UART_SPI);
    on_cpu(1);
    {
        uint64_t v = 0;
        assert_int_equal(vgic_dist_mmio(&vm, 1, w, 4, false, &v), 0);
        assert_int_equal(v & b, b);
    }
    on_cpu(0);
    assert_int_equal(vm.inbox[0], 0); /* folded into the model by the read */
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_true(lr_of(UART_SPI).pending);
    guest_handle(UART_SPI);

    /* disabled: the edge stays pending in the model until enabled */
    dwr(GICD_ICENABLER + 4, 4, b);
    vgic_post_spi(&vm, UART_SPI);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(lrs_valid(), 0);
    {
        uint64_t v = 0;
        assert_int_equal(vgic_dist_mmio(&vm, 0, w, 4, false, &v), 0);
        assert_int_equal(v & b, b);
    }
    dwr(GICD_ISENABLER + 4, 4, b);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_true(lr_of(UART_SPI).pending);
}

static void test_post_other_paths(void **state)
{
    (void)state;
    /* HW-linked: the locked injection, dirty for its target */
    enable_spi(PT_SPI, 0x90, 0);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(vgic_post_spi(&vm, PT_SPI), 0x1);
    assert_int_equal(vm.inbox[0], 0);
    assert_int_equal(vm.dirty & 0x1, 0x1);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_true(lr_of(PT_SPI).pending && lr_of(PT_SPI).hw);
    /* not an SPI of ours, or not an SPI: nothing */
    assert_int_equal(vgic_post_spi(&vm, FOREIGN), 0);
    assert_int_equal(vgic_post_spi(&vm, 27), 0);
    assert_int_equal(vgic_post_spi(&vm, 1020), 0);

    /* posted to vCPU 1, then the guest routes it to vCPU 2: the edge goes with it */
    enable_spi(UART_SPI, 0xa0, 1);
    assert_int_equal(vgic_post_spi(&vm, UART_SPI), 0x2);
    dwr(GICD_IROUTER + UART_SPI * 8, 8, 2);
    on_cpu(1);
    vgic_sync_flush_lrs(&vm, 1, false);
    assert_int_equal(vgic_fake_find(UART_SPI), -1);
    on_cpu(2);
    vgic_sync_flush_lrs(&vm, 2, false);
    assert_true(lr_of(UART_SPI).pending);
    on_cpu(0);

    /* a vCPU asleep (GICR_WAKER.ProcessorSleep) takes nothing */
    enable_spi(UART_SPI, 0xa0, 3);
    on_cpu(3);
    rwr(3, GICR_WAKER, 4, GICR_WAKER_SLEEP);
    vgic_post_spi(&vm, UART_SPI);
    vgic_sync_flush_lrs(&vm, 3, false);
    assert_int_equal(vgic_fake_find(UART_SPI), -1);
    on_cpu(0);

    /* a VM reset forgets posted edges */
    vgic_post_spi(&vm, UART_SPI);
    vgic_vm_reset(&vm);
    for (unsigned v = 0; v < NR_VCPUS; v++) {
        assert_int_equal(vm.inbox[v], 0);
    }
}

/* A post asks for a kick only when the target has something to take (issue 9, a doorbell
 * storm): a disabled SPI becomes pending in the model and kicks nobody until it is enabled
 * (IHI 0069 4.1: a disabled interrupt can be pending but is not forwarded); an edge posted
 * while the last one is not yet taken rides on that one's kick. */
static void test_post_kicks_only_when_needed(void **state)
{
    uint32_t w = GICD_ISPENDR + 4, b = 1u << (UART_SPI - 32);
    uint64_t v = 0;

    (void)state;
    dwr(GICD_ICFGR + UART_SPI / 16 * 4, 4, UINT32_C(2) << (UART_SPI % 16 * 2)); /* edge */
    enable_spi(UART_SPI, 0xa0, 1);
    dwr(GICD_ICENABLER + 4, 4, b);
    on_cpu(1);
    vgic_sync_flush_lrs(&vm, 1, false);
    on_cpu(0);
    hl.kick_mask = 0;
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(vgic_post_spi(&vm, UART_SPI), 0); /* disabled: no kick */
    }
    assert_int_equal(hl.kick_mask, 0);
    assert_int_equal(vm.inbox[1], 0);
    assert_int_equal(vgic_dist_mmio(&vm, 0, w, 4, false, &v), 0);
    assert_int_equal(v & b, b); /* but pending, once */
    /* enabling it delivers it: the target is kicked and takes it */
    dwr(GICD_ISENABLER + 4, 4, b);
    assert_int_equal(hl.kick_mask & 0x2, 0x2);
    on_cpu(1);
    vgic_sync_flush_lrs(&vm, 1, false);
    assert_true(lr_of(UART_SPI).pending);
    guest_handle(UART_SPI);
    vgic_sync_flush_lrs(&vm, 1, false);
    on_cpu(0);

    /* enabled: the first post kicks, the next ones until it is taken do not */
    assert_int_equal(vgic_post_spi(&vm, UART_SPI), 0x2);
    assert_int_equal(vgic_post_spi(&vm, UART_SPI), 0);
    assert_int_equal(vgic_post_spi(&vm, UART_SPI), 0);
    on_cpu(1);
    vgic_sync_flush_lrs(&vm, 1, false);
    assert_int_equal(vm.inbox[1], 0);
    assert_true(lr_of(UART_SPI).pending);
    guest_handle(UART_SPI);
    on_cpu(0);
    /* taken: the next edge is new and kicks again */
    assert_int_equal(vgic_post_spi(&vm, UART_SPI), 0x2);
}

/* One vCPU: the steady state of a notification stream re-arms the LR without the lock and
 * leaves the model as it was; a model change (dirty) still gets its flush on that exit. */
static int setup_one(void **state)
{
    struct vgic_vm_cfg cfg = {
        .nr_vcpus = 1,
        .nr_spis = 1,
        .spis = { { .intid = UART_SPI } },
        .hooks = { .hw_set_active = h_active, .kick = h_kick },
    };

    (void)state;
    vm_up(&cfg);
    dwr(GICD_ICFGR + UART_SPI / 16 * 4, 4, UINT32_C(2) << (UART_SPI % 16 * 2)); /* edge */
    enable_spi(UART_SPI, 0xa0, 0);
    vgic_sync_flush_lrs(&vm, 0, false);
    return 0;
}

static void test_post_one_vcpu(void **state)
{
    struct vgic_irq *irq = &vm.spi[UART_SPI - VGIC_SPI_BASE];
    unsigned writes;
    int i;

    (void)state;
    vgic_post_spi(&vm, UART_SPI);
    vgic_sync_flush_lrs(&vm, 0, false); /* first one: a free LR, under the lock */
    i = vgic_fake_find(UART_SPI);
    assert_true(i >= 0 && lr_of(UART_SPI).pending);
    for (unsigned n = 0; n < 3; n++) {
        repost_rearmed(UART_SPI, i);
        /* the model still holds what the last sync saw: pending in LR i */
        assert_int_equal(irq->lr_vcpu, 0);
        assert_true(irq->lr_pending && !irq->active && !irq->pending_latch);
    }
    /* a register write makes the vCPU dirty: the same exit also syncs and flushes */
    guest_handle(UART_SPI);
    dwr(GICD_IPRIORITYR + UART_SPI, 1, 0x40);
    vgic_post_spi(&vm, UART_SPI);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(vm.dirty, 0);
    assert_true(lr_of(UART_SPI).pending);
    assert_int_equal(lr_of(UART_SPI).priority, 0x40);
    /* the timer the same way, without the lock */
    rwr(0, SGI_BASE + GICR_IPRIORITYR0 + VGIC_VTIMER_INTID, 1, 0xa0);
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, 1u << VGIC_VTIMER_INTID);
    vgic_inject_hw(&vm, 0, VGIC_VTIMER_INTID, VGIC_VTIMER_INTID);
    vgic_sync_flush_lrs(&vm, 0, false);
    guest_handle(VGIC_VTIMER_INTID);
    writes = vgic_fake.lr_writes;
    assert_true(vgic_rearm_hw(&vm, 0, VGIC_VTIMER_INTID));
    assert_int_equal(vgic_fake.lr_writes, writes + 1);
    assert_true(lr_of(VGIC_VTIMER_INTID).pending && lr_of(VGIC_VTIMER_INTID).hw);
    /* not finished yet (acknowledged): no re-arm, the model makes it pending+active */
    assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(UART_SPI)));
    vgic_post_spi(&vm, UART_SPI);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_true(lr_of(UART_SPI).pending && lr_of(UART_SPI).active);
}

static void test_disable_and_groups(void **state)
{
    uint32_t w = GICD_ISPENDR + 4, b = 1u << (UART_SPI - 32);

    (void)state;
    enable_spi(UART_SPI, 0xa0, 0);
    vgic_set_level(&vm, 0, UART_SPI, true);
    vgic_flush_lrs(&vm, 0);
    dwr(GICD_ICENABLER + 4, 4, b);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    uint64_t v = 0;
    assert_int_equal(vgic_dist_mmio(&vm, 0, w, 4, false, &v), 0);
    assert_int_equal(v, b); /* still pending, just not forwarded */
    dwr(GICD_ISENABLER + 4, 4, b);
    dwr(GICD_CTLR, 4, GICD_CTLR_ENABLE_G0); /* Group 1 off */
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    dwr(GICD_CTLR, 4, GICD_CTLR_ENABLE_G1);
    rwr(0, GICR_WAKER, 4, GICR_WAKER_SLEEP); /* asleep: not forwarded either */
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    rwr(0, GICR_WAKER, 4, 0);
    vgic_flush_lrs(&vm, 0);
    assert_true(lr_of(UART_SPI).pending);
    /* A priority change reaches a pending LR. */
    dwr(GICD_IPRIORITYR + UART_SPI, 1, 0x20);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lr_of(UART_SPI).priority, 0x20);
    /* Foreign and out-of-range injections are ignored. */
    assert_int_equal(vgic_inject(&vm, 0, FOREIGN), 0);
    assert_int_equal(vgic_inject(&vm, 0, VGIC_NR_IRQS), 0);
    assert_int_equal(vgic_inject(&vm, NR_VCPUS, 1), 0);
}

/*
 * A trapped WFI ends when the virtual CPU interface would signal an interrupt (vgic_lrs_signal):
 * a pending LR of an enabled group, above the priority mask and the running priority. Each
 * case below differs from a signalling state in one condition.
 */
static void test_lrs_signal(void **state)
{
    /* group 1, priority 0x80, vINTID 27, pending */
    const uint64_t lr = ICH_LR_PENDING | ICH_LR_GROUP | ((uint64_t)0x80 << 48) | 27;

    (void)state;
    vgic_fake_reset();
    vgic_hw_reset_cpu(); /* as at pCPU bring-up: ICH_VTR_EL2 is read there */
    assert_false(vgic_lrs_signal()); /* nothing in the LRs */

    vgic_fake.vmcr = ICH_VMCR_VENG1 | ((uint64_t)0xf0 << 24);
    vgic_fake.lr[2] = lr;
    assert_true(vgic_lrs_signal());

    vgic_fake.vmcr = ICH_VMCR_VENG0 | ((uint64_t)0xf0 << 24); /* group 1 disabled */
    assert_false(vgic_lrs_signal());
    vgic_fake.lr[2] = lr & ~ICH_LR_GROUP; /* a group 0 interrupt is signalled (vFIQ) */
    assert_true(vgic_lrs_signal());

    vgic_fake.vmcr = ICH_VMCR_VENG1 | ((uint64_t)0x80 << 24); /* mask at its priority */
    vgic_fake.lr[2] = lr;
    assert_false(vgic_lrs_signal());
    vgic_fake.vmcr = ICH_VMCR_VENG1 | ((uint64_t)0x88 << 24);
    assert_true(vgic_lrs_signal());

    /* running priority 0x80 (active-priority bit 0x80 >> 3): an equal priority waits, a
     * higher one preempts */
    vgic_fake.ap1r[0] = 1u << (0x80 >> 3);
    assert_false(vgic_lrs_signal());
    vgic_fake.lr[2] = (lr & ~ICH_LR_PRIORITY) | ((uint64_t)0x78 << 48);
    assert_true(vgic_lrs_signal());
    vgic_fake.ap1r[0] = 0;
    vgic_fake.ap0r[0] = 1u << (0x70 >> 3); /* group 0 activity masks group 1 too */
    assert_false(vgic_lrs_signal());
    vgic_fake.ap0r[0] = 0;

    /* active, or pending and active: not signalled */
    vgic_fake.lr[2] = (lr & ~ICH_LR_STATE) | ICH_LR_ACTIVE;
    assert_false(vgic_lrs_signal());
    vgic_fake.lr[2] = lr | ICH_LR_ACTIVE;
    assert_false(vgic_lrs_signal());
    /* an LR beyond the implemented ones is not read */
    vgic_fake.lr[2] = 0;
    vgic_fake.lr[VGIC_FAKE_NR_LRS] = lr;
    assert_false(vgic_lrs_signal());
}

/* A shared pCPU's switch-out (vgic_vcpu_switch_out): with empty LRs the vCPU is not marked
 * for a flush, so an idle vCPU is not woken by its own switch-out; with an interrupt in an LR
 * it goes back to the model and the vCPU is marked, and the next flush refills the LR. */
static void test_switch_out_marks_only_what_it_hands_back(void **state)
{
    (void)state;
    enable_priv(0, 1, 0x40);
    vgic_flush_lrs(&vm, 0);
    assert_false(vgic_vcpu_pending_work(&vm, 0));
    vgic_vcpu_switch_out(&vm, 0); /* idle, nothing in the LRs */
    assert_false(vgic_vcpu_pending_work(&vm, 0));
    assert_int_equal(lrs_valid(), 0);
    vgic_vcpu_reset_hw(&vm, 0); /* a PE reset marks it whatever the LRs held */
    assert_true(vgic_vcpu_pending_work(&vm, 0));
    vgic_flush_lrs(&vm, 0);
    assert_false(vgic_vcpu_pending_work(&vm, 0));
    vgic_inject(&vm, 0, 1);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 1);
    assert_false(vgic_vcpu_pending_work(&vm, 0));
    vgic_vcpu_switch_out(&vm, 0); /* SGI 1 pending in an LR: handed back, marked */
    assert_int_equal(lrs_valid(), 0);
    assert_true(vgic_vcpu_pending_work(&vm, 0));
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISPENDR0), 1u << 1);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 1);
    assert_true(lr_of(1).pending);
}

/*
 * vgic_lrs_check says why the interface does not signal: EMPTY only when no LR holds anything
 * in ICH_ELRSR_EL2's terms (an invalid LR still owing EOI maintenance is not empty), QUIET
 * when LRs hold interrupts none of which would be signalled; SIGNAL exactly when
 * vgic_lrs_signal() is true. A trapped WFI may keep ICH_HCR_EL2.En while it sleeps only when
 * EMPTY and no maintenance interrupt is enabled (vgic_lrs_sleep_quiet, arch_vcpu_idle).
 */
static void test_lrs_check_and_sleep_quiet(void **state)
{
    const uint64_t lr = ICH_LR_PENDING | ICH_LR_GROUP | ((uint64_t)0x80 << 48) | 27;

    (void)state;
    vgic_fake_reset();
    vgic_hw_reset_cpu();
    assert_int_equal(vgic_lrs_check(), VGIC_LRS_EMPTY);
    assert_true(vgic_lrs_sleep_quiet(VGIC_LRS_EMPTY, ICH_HCR_EN));
    assert_true(vgic_lrs_sleep_quiet(VGIC_LRS_EMPTY, 0));
    /* a maintenance enable or an EOI count: En goes off while asleep */
    assert_false(vgic_lrs_sleep_quiet(VGIC_LRS_EMPTY, ICH_HCR_EN | ICH_HCR_UIE));
    assert_false(vgic_lrs_sleep_quiet(VGIC_LRS_EMPTY, ICH_HCR_EN | ICH_HCR_NPIE));
    assert_false(vgic_lrs_sleep_quiet(VGIC_LRS_EMPTY, ICH_HCR_EN | ICH_HCR_LRENPIE));
    assert_false(vgic_lrs_sleep_quiet(VGIC_LRS_EMPTY, ICH_HCR_EN | FIELD_PREP(ICH_HCR_EOICOUNT, 1)));
    /* an LR in use, signalled or not: En goes off */
    assert_false(vgic_lrs_sleep_quiet(VGIC_LRS_QUIET, ICH_HCR_EN));
    assert_false(vgic_lrs_sleep_quiet(VGIC_LRS_SIGNAL, ICH_HCR_EN));

    vgic_fake.vmcr = ICH_VMCR_VENG1 | ((uint64_t)0xf0 << 24);
    vgic_fake.lr[1] = lr;
    assert_int_equal(vgic_lrs_check(), VGIC_LRS_SIGNAL);
    assert_true(vgic_lrs_signal());
    vgic_fake.vmcr = ICH_VMCR_VENG1 | ((uint64_t)0x80 << 24); /* masked: held, not signalled */
    assert_int_equal(vgic_lrs_check(), VGIC_LRS_QUIET);
    assert_false(vgic_lrs_signal());
    vgic_fake.vmcr = ICH_VMCR_VENG1 | ((uint64_t)0xf0 << 24);
    vgic_fake.ap1r[0] = 1u << (0x80 >> 3); /* running at its priority */
    assert_int_equal(vgic_lrs_check(), VGIC_LRS_QUIET);
    vgic_fake.ap1r[0] = 0;
    vgic_fake.lr[1] = (lr & ~ICH_LR_STATE) | ICH_LR_ACTIVE;
    assert_int_equal(vgic_lrs_check(), VGIC_LRS_QUIET);
    /* deactivated but owing EOI maintenance: not empty in ELRSR */
    vgic_fake.lr[1] = (lr & ~ICH_LR_STATE) | ICH_LR_EOI;
    assert_int_equal(vgic_lrs_check(), VGIC_LRS_QUIET);
    vgic_fake.lr[1] = lr & ~ICH_LR_STATE;
    assert_int_equal(vgic_lrs_check(), VGIC_LRS_EMPTY);
}

/*
 * ICH_VTR_EL2 is a constant of the implementation: read at pCPU bring-up
 * (vgic_hw_reset_cpu), never by the idle path's check on a trapped WFI's wake-up (each read
 * is a GIC register access, docs/PERFORMANCE.md "Wall clock beside native QEMU").
 */
static void test_lrs_check_reads_vtr_once(void **state)
{
    const uint64_t lr = ICH_LR_PENDING | ICH_LR_GROUP | ((uint64_t)0x80 << 48) | 27;

    (void)state;
    vgic_fake_reset();
    vgic_hw_reset_cpu();
    vgic_fake.vtr_reads = 0;
    for (int i = 0; i < 8; i++) {
        vgic_fake.vmcr = ICH_VMCR_VENG1 | ((uint64_t)0xf0 << 24);
        vgic_fake.lr[2] = i & 1 ? lr : 0;
        assert_int_equal(vgic_lrs_check(), i & 1 ? VGIC_LRS_SIGNAL : VGIC_LRS_EMPTY);
    }
    assert_int_equal(vgic_fake.vtr_reads, 0);
}

static void test_reset(void **state)
{
    (void)state;
    enable_priv(0, 1, 0x40);
    enable_priv(0, VGIC_VTIMER_INTID, 0x40);
    vgic_inject(&vm, 0, 1);
    vgic_inject_hw(&vm, 0, VGIC_VTIMER_INTID, VGIC_VTIMER_INTID);
    vgic_flush_lrs(&vm, 0);
    vgic_fake.ap1r[0] = 0x1;
    vgic_fake.vmcr = 0xf0000002;
    /* PE reset: LR contents go back to the redistributor state. */
    vgic_vcpu_reset_hw(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(vgic_fake.ap1r[0], 0);
    assert_int_equal(vgic_fake.vmcr, 0);
    assert_int_equal(vgic_fake.hcr, 0);
    assert_int_equal(vm.cpu[0].lr_used, 0);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISPENDR0), (1u << 1) | (1u << VGIC_VTIMER_INTID));
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 2);
    /* VM reset: everything back to reset values; busy HW interrupts deactivated. */
    vgic_vm_reset(&vm);
    assert_int_equal(hl.active_calls, 1);
    assert_false(hl.active_on);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISPENDR0), 0);
    assert_int_equal(rrd(0, SGI_BASE + GICR_ISENABLER0), 0);
    assert_int_equal(rrd(0, SGI_BASE + GICR_IGROUPR0), 0);
    assert_int_equal(vm.cpu[0].lr_used, 0);
    assert_false(vm.enable_grp1);
    vgic_hw_reset_cpu();
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
}

/* ------------------------------------------------------------------ fast flush == general */

/* What a flush leaves: the LR values as a set (which LR holds what does not matter), ICH_HCR,
 * the dirty bit and the model state of the interrupts involved. */
struct flush_outcome {
    uint64_t lr[VGIC_FAKE_NR_LRS];
    uint64_t hcr;
    uint32_t dirty;
    bool state[6][5];
};

static const uint32_t flush_intids[6] = { 3, 5, 20, 21, UART_SPI, PT_SPI };

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void flush_outcome(struct flush_outcome *o)
{
    memset(o, 0, sizeof(*o));
    for (unsigned i = 0; i < VGIC_FAKE_NR_LRS; i++) {
        o->lr[i] = vgic_fake_lr_invalid(vgic_fake.lr[i]) ? 0 : vgic_fake.lr[i];
    }
    qsort(o->lr, VGIC_FAKE_NR_LRS, sizeof(o->lr[0]), cmp_u64);
    o->hcr = vgic_fake.hcr;
    o->dirty = vm.dirty & 1u;
    for (unsigned k = 0; k < 6; k++) {
        const struct vgic_irq *irq = vgic_irq_get(&vm, 0, flush_intids[k]);
        o->state[k][0] = irq->pending_latch;
        o->state[k][1] = irq->line_level;
        o->state[k][2] = irq->lr_pending;
        o->state[k][3] = irq->active;
        o->state[k][4] = irq->lr_vcpu == 0;
    }
}

/* The shapes of a flush on the way back from a trap (vgic_flush_lrs, whose fast path is
 * vgic_flush_fast_locked): each is set up twice, flushed once by vgic_flush_lrs and once by
 * the general vgic_flush_locked alone, and both must leave the same LRs and model. */
static void flush_shape(unsigned shape)
{
    uint32_t spi_bit = 1u << (UART_SPI - 32);

    switch (shape) {
    case 0: /* a virtual level SPI raised: the frame path's own used-buffer interrupt */
        vgic_set_level(&vm, 0, UART_SPI, true);
        break;
    case 1: /* a level SPI pending through ISPENDR only (latched until acknowledged) */
        dwr(GICD_ISPENDR + 4, 4, spi_bit);
        break;
    case 2: /* line and latch */
        vgic_set_level(&vm, 0, UART_SPI, true);
        dwr(GICD_ISPENDR + 4, 4, spi_bit);
        break;
    case 3: /* the same SPI configured edge, raised */
        dwr(GICD_ICFGR + UART_SPI / 16 * 4, 4, UINT32_C(2) << (UART_SPI % 16 * 2));
        vgic_set_level(&vm, 0, UART_SPI, true);
        break;
    case 4: /* a level SPI, an SGI, a level PPI and a HW edge SPI together */
        vgic_set_level(&vm, 0, UART_SPI, true);
        vgic_inject(&vm, 0, 3);
        vgic_set_level(&vm, 0, 20, true);
        vgic_inject_hw(&vm, 0, PT_SPI, PT_PINTID);
        break;
    case 5: /* more candidates than LRs: priorities decide */
        vgic_inject(&vm, 0, 3);
        vgic_inject(&vm, 0, 5);
        vgic_set_level(&vm, 0, 20, true);
        vgic_set_level(&vm, 0, 21, true);
        vgic_set_level(&vm, 0, UART_SPI, true);
        break;
    case 6: /* a level SPI raised while group 1 is off: no LR */
        dwr(GICD_CTLR, 4, GICD_CTLR_ENABLE_G0);
        vgic_set_level(&vm, 0, UART_SPI, true);
        break;
    case 7: /* a level SPI raised while the last one is still active in its LR */
        vgic_set_level(&vm, 0, UART_SPI, true);
        vgic_flush_lrs(&vm, 0);
        assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(UART_SPI)));
        vgic_sync_lrs(&vm, 0);
        vgic_set_level(&vm, 0, UART_SPI, false);
        vgic_set_level(&vm, 0, UART_SPI, true);
        break;
    default: /* an SGI and a level SPI while the guest finished an earlier one */
        vgic_inject(&vm, 0, 5);
        vgic_flush_lrs(&vm, 0);
        guest_handle(5);
        vgic_sync_lrs(&vm, 0);
        vgic_inject(&vm, 0, 3);
        vgic_set_level(&vm, 0, UART_SPI, true);
        break;
    }
}

static void flush_prepare(void)
{
    setup(NULL);
    dwr(GICD_ICFGR + PT_SPI / 16 * 4, 4, UINT32_C(2) << (PT_SPI % 16 * 2)); /* HW edge */
    enable_spi(UART_SPI, 0x90, 0);
    enable_spi(PT_SPI, 0x70, 0);
    enable_priv(0, 3, 0xa0);
    enable_priv(0, 5, 0x40);
    enable_priv(0, 20, 0x60);
    enable_priv(0, 21, 0x50);
    rwr(0, SGI_BASE + GICR_ICFGR0 + 4, 4, 0); /* PPIs 20, 21 level */
    vgic_sync_flush_lrs(&vm, 0, false); /* the set-up's register writes are applied */
    assert_int_equal(lrs_valid(), 0);
}

static void test_flush_fast_equals_general(void **state)
{
    (void)state;
    for (unsigned shape = 0; shape <= 8; shape++) {
        struct flush_outcome fast, general;
        uint32_t kick = 0;

        flush_prepare();
        flush_shape(shape);
        vgic_flush_lrs(&vm, 0);
        flush_outcome(&fast);

        flush_prepare();
        flush_shape(shape);
        spin_lock(&vm.lock);
        vgic_flush_locked(&vm, 0, &kick);
        spin_unlock(&vm.lock);
        flush_outcome(&general);
        print_message("shape %u: %u LRs valid\n", shape, lrs_valid());
        assert_memory_equal(&fast, &general, sizeof(fast));
    }
    /* and the level SPI's LR asks for EOI maintenance, which resamples its line */
    flush_prepare();
    flush_shape(0);
    vgic_flush_lrs(&vm, 0);
    assert_true(lr_of(UART_SPI).pending && lr_of(UART_SPI).eoi);
    guest_handle(UART_SPI);
    vgic_maintenance(&vm, 0);
    assert_true(lr_of(UART_SPI).pending); /* line still high */
}

/* vgic_set_level_here (a level SPI raised by the vCPU's own trap) against vgic_set_level and
 * the general flush: the same LRs and model in every shape; in the plain one it leaves
 * nothing for the flush (not dirty) and writes one LR. */
/* The model states the level-raise paths are compared in (shape 0: nothing else going on;
 * level_here uses 0-6, post_level 0-8, whose 8 is set up by the caller). */
static void level_shape(unsigned shape)
{
    switch (shape) {
    case 1: /* another change waits (dirty) */
        vgic_inject(&vm, 0, 3);
        break;
    case 2: /* group 1 off */
        dwr(GICD_CTLR, 4, GICD_CTLR_ENABLE_G0);
        break;
    case 3: /* every LR in use */
        vgic_inject(&vm, 0, 3);
        vgic_inject(&vm, 0, 5);
        vgic_set_level(&vm, 0, 20, true);
        vgic_set_level(&vm, 0, 21, true);
        vgic_flush_lrs(&vm, 0);
        break;
    case 4: /* the SPI still active in its LR from last time */
        vgic_set_level(&vm, 0, UART_SPI, true);
        vgic_flush_lrs(&vm, 0);
        assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(UART_SPI)));
        vgic_sync_lrs(&vm, 0);
        vgic_set_level(&vm, 0, UART_SPI, false);
        vgic_flush_lrs(&vm, 0);
        break;
    case 5: /* routed to another vCPU: that one is kicked */
        dwr(GICD_IROUTER + UART_SPI * 8, 8, 1);
        vgic_sync_flush_lrs(&vm, 0, false);
        break;
    case 6: /* edge-configured: a rising edge latches */
        dwr(GICD_ICFGR + UART_SPI / 16 * 4, 4, UINT32_C(2) << (UART_SPI % 16 * 2));
        vgic_sync_flush_lrs(&vm, 0, false);
        break;
    case 7: /* disabled: pending in the model, nobody kicked */
        dwr(GICD_ICENABLER + 4, 4, 1u << (UART_SPI - 32));
        vgic_sync_flush_lrs(&vm, 0, false);
        break;
    default:
        break;
    }
}

static void level_here_shape(unsigned shape, bool here)
{
    uint32_t kick;

    level_shape(shape);
    kick = here ? vgic_set_level_here(&vm, 0, UART_SPI, true)
                : vgic_set_level(&vm, 0, UART_SPI, true);
    if (shape == 5) {
        assert_int_equal(kick, 0x2u);
    } else if (shape == 0 && here) {
        assert_int_equal(kick, 0); /* nobody to kick: it is already in the LR */
    }
}

static void test_level_here_equals_set_level(void **state)
{
    (void)state;
    for (unsigned shape = 0; shape <= 6; shape++) {
        struct flush_outcome fast, general;
        uint32_t kick = 0;
        unsigned writes;

        flush_prepare();
        writes = vgic_fake.lr_writes;
        level_here_shape(shape, true);
        if (shape == 0) {
            assert_int_equal(vm.dirty & 1u, 0); /* nothing left for the way back */
            assert_int_equal(vgic_fake.lr_writes, writes + 1);
            assert_true(lr_of(UART_SPI).pending && lr_of(UART_SPI).eoi);
        }
        vgic_flush_lrs(&vm, 0);
        flush_outcome(&fast);

        flush_prepare();
        level_here_shape(shape, false);
        spin_lock(&vm.lock);
        if (vm.dirty & 1u) {
            vgic_flush_locked(&vm, 0, &kick);
        }
        spin_unlock(&vm.lock);
        flush_outcome(&general);
        print_message("shape %u: %u LRs valid\n", shape, lrs_valid());
        assert_memory_equal(&fast, &general, sizeof(fast));
    }
    /* the line then behaves as after any flush: EOI with the line high re-pends it, with the
     * line low ends it */
    flush_prepare();
    vgic_set_level_here(&vm, 0, UART_SPI, true);
    guest_handle(UART_SPI);
    vgic_maintenance(&vm, 0);
    assert_true(lr_of(UART_SPI).pending);
    assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(UART_SPI)));
    vgic_sync_lrs(&vm, 0);
    vgic_set_level_here(&vm, 0, UART_SPI, false);
    vgic_flush_lrs(&vm, 0);
    assert_true(vgic_fake_guest_eoi((unsigned)vgic_fake_find(UART_SPI)));
    vgic_maintenance(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
}

/* Posted SGIs (vgic_sgi without the lock, taken on the target's next exit by the direct
 * path) against the same SGIs folded into the model and flushed the general way: the same
 * LRs and model in every shape; GICv3 semantics (one pending bit per SGI and target, enable,
 * group, sleep, the Group 0 request rule, IRM) hold on both. */
static void sgi_shape(unsigned shape)
{
    const uint64_t sgi3 = (UINT64_C(3) << 24) | 0x1, sgi5 = (UINT64_C(5) << 24) | 0x1;

    switch (shape) {
    case 1: /* twice before it is taken: one pending bit */
        vgic_sgi(&vm, 1, sgi3);
        break;
    case 2: /* the last one finished in its LR: re-armed there */
    case 3: /* the last one still pending in its LR */
    case 4: /* the last one active (acknowledged, not deactivated) */
        vgic_sgi(&vm, 1, sgi3);
        on_cpu(0);
        vgic_sync_flush_lrs(&vm, 0, false);
        if (shape == 2) {
            guest_handle(3);
        } else if (shape == 4) {
            assert_true(vgic_fake_guest_ack((unsigned)vgic_fake_find(3)));
        }
        on_cpu(1);
        break;
    case 5: /* disabled: pending in the model, nobody kicked */
        rwr(0, SGI_BASE + GICR_ICENABLER0, 4, 1u << 3);
        break;
    case 6: /* the target's redistributor asleep */
        rwr(0, GICR_WAKER, 4, GICR_WAKER_SLEEP);
        break;
    case 7: /* every LR taken by better interrupts: it waits (or evicts) */
        vgic_inject(&vm, 0, 5);
        vgic_set_level(&vm, 0, 20, true);
        vgic_set_level(&vm, 0, 21, true);
        vgic_inject_hw(&vm, 0, PT_SPI, PT_PINTID);
        on_cpu(0);
        vgic_sync_flush_lrs(&vm, 0, false);
        on_cpu(1);
        break;
    case 8: /* a Group 0 request for a Group 1 SGI does nothing */
        assert_int_equal(vgic_sgi0(&vm, 1, sgi5), 0);
        return;
    case 9: /* IRM = 1 from vCPU 1: vCPUs 0, 2 and 3; only 0 has SGI 5 enabled (kicked) */
        assert_int_equal(vgic_sgi(&vm, 1, (UINT64_C(5) << 24) | (UINT64_C(1) << 40)), 0x1);
        assert_true(vm.cpu[2].priv[5].pending_latch && vm.cpu[3].priv[5].pending_latch);
        assert_false(vm.cpu[1].priv[5].pending_latch);
        return;
    default:
        break;
    }
    vgic_sgi(&vm, 1, shape == 7 ? sgi3 | sgi5 : sgi3);
}

static void test_sgi_post_equals_model(void **state)
{
    (void)state;
    for (unsigned shape = 0; shape <= 9; shape++) {
        struct flush_outcome direct, model;
        uint32_t kick = 0;

        flush_prepare();
        on_cpu(1);
        sgi_shape(shape);
        on_cpu(0);
        vgic_sync_flush_lrs(&vm, 0, false);
        assert_int_equal(vm.inbox[0], 0);
        flush_outcome(&direct);

        flush_prepare();
        on_cpu(1);
        sgi_shape(shape);
        on_cpu(0);
        spin_lock(&vm.lock);
        kick |= vgic_inbox_to_model(&vm, 0, __atomic_exchange_n(&vm.inbox[0], 0,
                                                                 __ATOMIC_ACQUIRE));
        vgic_sync_locked(&vm, 0, &kick);
        if (vm.dirty & 1u) {
            vgic_flush_locked(&vm, 0, &kick);
        }
        spin_unlock(&vm.lock);
        flush_outcome(&model);
        print_message("shape %u: %u LRs valid\n", shape, lrs_valid());
        assert_memory_equal(&direct, &model, sizeof(direct));
    }
    /* a disabled SGI kicks nobody; enabling it delivers it */
    flush_prepare();
    rwr(0, SGI_BASE + GICR_ICENABLER0, 4, 1u << 3);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(vgic_sgi(&vm, 1, (UINT64_C(3) << 24) | 0x1), 0);
    assert_int_equal(vm.inbox[0], 0);
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, 1u << 3);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_true(lr_of(3).pending);
    /* one posted to a vCPU that is off becomes model state when its pCPU folds it */
    flush_prepare();
    enable_priv(2, 3, 0xa0);
    assert_int_equal(vgic_sgi(&vm, 1, (UINT64_C(3) << 24) | 0x4), 0x4);
    assert_int_not_equal(vm.inbox[2], 0);
    vgic_inbox_fold(&vm, 2);
    assert_int_equal(vm.inbox[2], 0);
    assert_true(vm.cpu[2].priv[3].pending_latch);
    /* an SGI to itself is taken on the way back from the trap that sent it */
    flush_prepare();
    assert_int_equal(vgic_sgi(&vm, 0, (UINT64_C(3) << 24) | 0x1), 0x1);
    vgic_flush_lrs(&vm, 0);
    assert_true(lr_of(3).pending);
}

/* Level raises posted without the lock (vgic_post_level, a receiver's virtio-net line raised
 * from the sender's pCPU) and taken on the target's next exit, against the same raise by
 * vgic_set_level and the general flush: the same LRs and model in every shape, and the same
 * vCPUs kicked. A lowering takes a posted raise first, so a line that dropped before the
 * target looked is never delivered. */
static uint32_t post_level_shape(unsigned shape, bool post)
{
    uint32_t kick;

    level_shape(shape);
    on_cpu(2); /* the sender's pCPU */
    kick = post ? vgic_post_level(&vm, UART_SPI) : vgic_set_level(&vm, 0, UART_SPI, true);
    if (shape == 8) { /* lowered again before the target looked */
        kick |= vgic_set_level(&vm, 0, UART_SPI, false);
    }
    on_cpu(0);
    return kick;
}

static void test_post_level_equals_set_level(void **state)
{
    (void)state;
    for (unsigned shape = 0; shape <= 8; shape++) {
        struct flush_outcome posted, locked;
        uint32_t kick = 0, kick_posted, kick_locked;

        flush_prepare();
        kick_posted = post_level_shape(shape, true);
        for (unsigned t = 1; t < NR_VCPUS; t++) { /* another target's exit on the kick */
            if (kick_posted & (1u << t)) {
                on_cpu(t);
                vgic_sync_flush_lrs(&vm, t, false);
                on_cpu(0);
            }
        }
        vgic_sync_flush_lrs(&vm, 0, false); /* the kick's exit (or the next one) */
        assert_int_equal(vm.level_post, 0);
        assert_int_equal(vm.inbox[0], 0);
        flush_outcome(&posted);

        flush_prepare();
        kick_locked = post_level_shape(shape, false);
        for (unsigned t = 1; t < NR_VCPUS; t++) {
            if (kick_locked & (1u << t)) {
                on_cpu(t);
                vgic_sync_flush_lrs(&vm, t, false);
                on_cpu(0);
            }
        }
        spin_lock(&vm.lock);
        vgic_sync_locked(&vm, 0, &kick);
        if (vm.dirty & 1u) {
            vgic_flush_locked(&vm, 0, &kick);
        }
        spin_unlock(&vm.lock);
        flush_outcome(&locked);
        print_message("shape %u: %u LRs valid, kicks %x %x\n", shape, lrs_valid(), kick_posted,
                      kick_locked);
        assert_memory_equal(&posted, &locked, sizeof(posted));
        /* the posted way kicks the target the locked way would, or nobody where the locked
         * way's kick is the caller's own (vCPU 0 flushes anyway) */
        assert_int_equal(kick_posted & ~1u, kick_locked & ~1u);
    }
}

/* The bookkeeping of a posted raise: one kick per raise, none while one is on its way; a
 * lowering cancels it (nothing delivered late); a register read sees it pending; a reset
 * forgets it. */
static void test_post_level_paths(void **state)
{
    uint32_t spi_bit = 1u << (UART_SPI - 32);
    uint64_t v = 0;

    (void)state;
    flush_prepare();
    on_cpu(2);
    assert_int_equal(vgic_post_level(&vm, UART_SPI), 0x1);
    assert_int_equal(vgic_post_level(&vm, UART_SPI), 0); /* still posted: no second kick */
    assert_false(vgic_irq_get(&vm, 0, UART_SPI)->line_level);
    vgic_set_level(&vm, 0, UART_SPI, false); /* the receiver's InterruptACK */
    assert_int_equal(vm.level_post, 0);
    on_cpu(0);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(lrs_valid(), 0); /* a dropped line is never delivered late */
    assert_false(vgic_irq_is_pending(vgic_irq_get(&vm, 0, UART_SPI)));
    /* a read of the pending registers takes it */
    assert_int_equal(vgic_post_level(&vm, UART_SPI), 0x1);
    assert_int_equal(vgic_dist_mmio(&vm, 1, GICD_ISPENDR + 4, 4, false, &v), 0);
    assert_true(v & spi_bit);
    assert_true(vgic_irq_get(&vm, 0, UART_SPI)->line_level);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_true(lr_of(UART_SPI).pending && lr_of(UART_SPI).eoi);
    /* a posted raise for a vCPU that is off is folded when it goes off */
    flush_prepare();
    dwr(GICD_IROUTER + UART_SPI * 8, 8, 2);
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(vgic_post_level(&vm, UART_SPI), 0x4);
    vgic_inbox_fold(&vm, 2);
    assert_true(vgic_irq_get(&vm, 0, UART_SPI)->line_level);
    assert_int_equal(vm.level_post, 0);
    /* out of range or HW-linked: the locked path (PT_SPI is HW: ignored, as vgic_set_level) */
    assert_int_equal(vgic_post_level(&vm, 200), 0);
    assert_int_equal(vgic_post_level(&vm, PT_SPI), 0);
    assert_int_equal(vm.level_post, 0);
    /* a reset forgets a posted raise */
    flush_prepare();
    assert_int_equal(vgic_post_level(&vm, UART_SPI), 0x1);
    vgic_vm_reset(&vm);
    assert_int_equal(vm.level_post, 0);
    assert_int_equal(vm.inbox[0], 0);
}

/* In a VM with one vCPU, vgic_set_level_here does without the lock (nothing another pCPU
 * does touches what it reads or writes): the same LRs and model as vgic_set_level and the
 * general flush, with the VM's lock held elsewhere meanwhile (the host lock asserts if it
 * were taken). */
static void level_one_prepare(void)
{
    setup_one(NULL);
    dwr(GICD_ICFGR + UART_SPI / 16 * 4, 4, 0); /* level, as virtio-net's */
    vgic_sync_flush_lrs(&vm, 0, false);
}

static void test_level_here_one_vcpu(void **state)
{
    struct flush_outcome fast, general;
    uint32_t kick = 0;
    unsigned writes;

    (void)state;
    level_one_prepare();
    writes = vgic_fake.lr_writes;
    spin_lock(&vm.lock); /* say, another pCPU's change of another interrupt */
    assert_int_equal(vgic_set_level_here(&vm, 0, UART_SPI, true), 0);
    spin_unlock(&vm.lock);
    assert_int_equal(vgic_fake.lr_writes, writes + 1);
    assert_int_equal(vm.dirty, 0);
    vgic_flush_lrs(&vm, 0);
    flush_outcome(&fast);

    level_one_prepare();
    vgic_set_level(&vm, 0, UART_SPI, true);
    spin_lock(&vm.lock);
    vgic_flush_locked(&vm, 0, &kick);
    spin_unlock(&vm.lock);
    flush_outcome(&general);
    assert_memory_equal(&fast, &general, sizeof(fast));
    /* EOI with the line high re-pends it */
    guest_handle(UART_SPI);
    vgic_maintenance(&vm, 0);
    assert_true(lr_of(UART_SPI).pending);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_lr_encoding, setup),
        cmocka_unit_test_setup(test_sgi_decode, setup),
        cmocka_unit_test_setup(test_lr_basic_cycle, setup),
        cmocka_unit_test_setup(test_lr_priority_overflow, setup),
        cmocka_unit_test_setup(test_lr_eviction, setup),
        cmocka_unit_test_setup(test_lr_pending_active, setup),
        cmocka_unit_test_setup(test_level_resample, setup),
        cmocka_unit_test_setup(test_hw_timer, setup),
        cmocka_unit_test_setup(test_rearm_timer, setup),
        cmocka_unit_test_setup(test_retarget, setup),
        cmocka_unit_test_setup(test_post_direct, setup),
        cmocka_unit_test_setup(test_post_other_paths, setup),
        cmocka_unit_test_setup(test_post_kicks_only_when_needed, setup),
        cmocka_unit_test_setup(test_post_one_vcpu, setup_one),
        cmocka_unit_test_setup(test_disable_and_groups, setup),
        cmocka_unit_test_setup(test_reset, setup),
        cmocka_unit_test_setup(test_switch_out_marks_only_what_it_hands_back, setup),
        cmocka_unit_test(test_flush_fast_equals_general),
        cmocka_unit_test(test_level_here_equals_set_level),
        cmocka_unit_test(test_sgi_post_equals_model),
        cmocka_unit_test(test_lrs_signal),
        cmocka_unit_test(test_lrs_check_and_sleep_quiet),
        cmocka_unit_test(test_lrs_check_reads_vtr_once),
        cmocka_unit_test(test_post_level_equals_set_level),
        cmocka_unit_test(test_post_level_paths),
        cmocka_unit_test(test_level_here_one_vcpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
