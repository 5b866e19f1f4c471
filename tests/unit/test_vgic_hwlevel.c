// SPDX-License-Identifier: MIT
/*
 * Unit tests for HW-linked level interrupts in the vGIC (core/vgic/vgic.c, vgic_lr.c,
 * vgic_fast.c, vgic_mmio.c): the virtual timer PPI 27 and a pass-through level SPI. A level
 * interrupt is pending only while its source asserts it (GIC spec IHI 0069 4.1.2), so one
 * taken by EL2 (physical active, held for the guest) whose source dropped before the guest
 * acknowledged it must stop being pending, wherever it waits (model or list register), its
 * physical interrupt must be completed, and GICR_ISPENDR0 / GICD_ISPENDR must read the
 * source's real state, also for an interrupt the guest keeps disabled. The source is a table
 * behind the hw_line hook, which must only be asked from the pCPU that sees it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <core/vgic/vgic_priv.h>

#include <arch/vgic_hw.h>

#define NR_VCPUS  2
#define VT        VGIC_VTIMER_INTID
#define PT_SPI    40
#define PT_PINTID 72
#define SGI_BASE  GICR_SGI_OFFSET
#define PRIO      0xa0

struct hook_log {
    unsigned active_calls;   /* hw_set_active */
    bool active_on;
    uint32_t active_pintid;
    unsigned line_calls;     /* hw_line */
    unsigned line_wrong_cpu; /* hw_line for a PPI asked from another vCPU's pCPU */
};

static struct hook_log hl;
static struct vgic_vm vm;
static struct vgic_fake_hw cpu_hw[NR_VCPUS];
static unsigned cur_cpu;
static bool vt_line[NR_VCPUS]; /* each vCPU's virtual timer output */
static bool pt_line;           /* the pass-through SPI's input */

static void h_active(void *ctx, unsigned vcpu, uint32_t pintid, bool on)
{
    (void)ctx;
    (void)vcpu;
    hl.active_calls++;
    hl.active_on = on;
    hl.active_pintid = pintid;
}

static bool h_line(void *ctx, unsigned vcpu, uint32_t pintid)
{
    (void)ctx;
    hl.line_calls++;
    if (pintid == PT_PINTID) {
        return pt_line;
    }
    if (vcpu != cur_cpu) {
        hl.line_wrong_cpu++;
    }
    return vcpu < NR_VCPUS && vt_line[vcpu];
}

static void h_kick(void *ctx, uint32_t mask)
{
    (void)ctx;
    (void)mask;
}

static void on_cpu(unsigned v)
{
    cpu_hw[cur_cpu] = vgic_fake;
    vgic_fake = cpu_hw[v];
    cur_cpu = v;
}

static uint64_t drd(uint32_t off)
{
    uint64_t v = 0;
    assert_int_equal(vgic_dist_mmio(&vm, cur_cpu, off, 4, false, &v), 0);
    return v;
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

static int setup(void **state)
{
    struct vgic_vm_cfg cfg = {
        .nr_vcpus = NR_VCPUS,
        .nr_spis = 1,
        .spis = { { .intid = PT_SPI, .hw = true, .pintid = PT_PINTID } },
        .hooks = { .hw_set_active = h_active, .hw_line = h_line, .kick = h_kick },
    };

    (void)state;
    vgic_fake_reset();
    for (unsigned v = 0; v < NR_VCPUS; v++) {
        cpu_hw[v] = vgic_fake;
        vt_line[v] = false;
    }
    pt_line = false;
    cur_cpu = 0;
    assert_int_equal(vgic_vm_init(&vm, &cfg), 0);
    dwr(GICD_CTLR, 4, GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0);
    dwr(GICD_IGROUPR + 4, 4, 0xffffffff);
    dwr(GICD_IPRIORITYR + PT_SPI, 1, PRIO);
    dwr(GICD_IROUTER + PT_SPI * 8, 8, 0);
    for (unsigned v = 0; v < NR_VCPUS; v++) {
        rwr(v, SGI_BASE + GICR_IGROUPR0, 4, 0xffffffff);
        rwr(v, SGI_BASE + GICR_IPRIORITYR0 + VT, 1, PRIO);
    }
    memset(&hl, 0, sizeof(hl));
    return 0;
}

static unsigned lrs_valid(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < VGIC_FAKE_NR_LRS; i++) {
        n += !vgic_fake_lr_invalid(vgic_fake.lr[i]);
    }
    return n;
}

static bool vt_pending_read(unsigned frame)
{
    return (rrd(frame, SGI_BASE + GICR_ISPENDR0) >> VT) & 1;
}

static bool pt_pending_read(void)
{
    return (drd(GICD_ISPENDR + PT_SPI / 32 * 4) >> (PT_SPI % 32)) & 1;
}

/* vCPU 0's timer fires (EL2 takes physical 27 and leaves it active) and the exit ends. */
static void vt_fire(void)
{
    vt_line[0] = true;
    vgic_inject_hw(&vm, 0, VT, VT);
    vgic_sync_flush_lrs(&vm, 0, false);
}

/* The timer fires while the guest has PPI 27 disabled; ISPENDR0 shows the timer's output:
 * pending while asserted, not once the guest stopped it (CNTV_CTL.ENABLE = 0), and enabling
 * the PPI afterwards delivers nothing. The physical interrupt is completed exactly once. */
static void test_disabled_timer_stops_pending(void **state)
{
    (void)state;
    vt_fire();
    assert_int_equal(lrs_valid(), 0);
    assert_true(vt_pending_read(0));
    assert_int_equal(hl.active_calls, 0);
    vt_line[0] = false; /* the guest cleared CNTV_CTL.ENABLE: no exit for that */
    assert_false(vt_pending_read(0));
    assert_int_equal(hl.active_calls, 1);
    assert_false(hl.active_on);
    assert_int_equal(hl.active_pintid, VT);
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, UINT32_C(1) << VT);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(hl.active_calls, 1);
    assert_int_equal(hl.line_wrong_cpu, 0);
}

/* The same without a read in between: enabling the PPI resamples before delivering. */
static void test_stale_timer_not_delivered_on_enable(void **state)
{
    (void)state;
    vt_fire();
    vt_line[0] = false; /* CVAL moved to the future, or IMASK set */
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, UINT32_C(1) << VT);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(hl.active_calls, 1);
    assert_false(hl.active_on);
    assert_false(vt_pending_read(0));
}

/* Still asserted when enabled: delivered once, through an LR with the HW link. */
static void test_asserted_timer_delivered_on_enable(void **state)
{
    struct vgic_lr lr;
    int i;

    (void)state;
    vt_fire();
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, UINT32_C(1) << VT);
    vgic_flush_lrs(&vm, 0);
    i = vgic_fake_find(VT);
    assert_true(i >= 0);
    lr = vgic_lr_decode(vgic_fake.lr[i]);
    assert_true(lr.hw && lr.pending && !lr.active);
    assert_int_equal(lr.pintid, VT);
    assert_int_equal(hl.active_calls, 0);
    /* the guest handles it (and stops its timer): nothing is left to deliver */
    assert_true(vgic_fake_guest_ack((unsigned)i));
    vt_line[0] = false;
    assert_true(vgic_fake_guest_eoi((unsigned)i));
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    assert_false(vt_pending_read(0));
    assert_int_equal(hl.active_calls, 0); /* the guest's deactivation completed it */
}

/* Pending-not-acknowledged in an LR (guest IRQs masked) when the timer stops: the exit's sync
 * retires the LR and completes the physical interrupt; ISPENDR0 reads 0. */
static void test_lr_pending_retired(void **state)
{
    (void)state;
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, UINT32_C(1) << VT);
    vt_fire();
    assert_int_equal(lrs_valid(), 1);
    assert_true(vt_pending_read(0));
    vt_line[0] = false;
    vgic_sync_lrs(&vm, 0); /* the next exit, e.g. the ISPENDR0 read itself */
    assert_false(vt_pending_read(0));
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(hl.active_calls, 1);
    assert_false(hl.active_on);
}

/* Pending in an LR, then the guest disables the PPI: the LR gives it back to the model, which
 * keeps it while the timer asserts it and drops it when the timer stops. */
static void test_withdrawn_then_stopped(void **state)
{
    (void)state;
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, UINT32_C(1) << VT);
    vt_fire();
    assert_int_equal(lrs_valid(), 1);
    vgic_sync_lrs(&vm, 0);
    rwr(0, SGI_BASE + GICR_ICENABLER0, 4, UINT32_C(1) << VT);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    assert_true(vt_pending_read(0));
    vt_line[0] = false;
    assert_false(vt_pending_read(0));
    assert_int_equal(hl.active_calls, 1);
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, UINT32_C(1) << VT);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
}

/* The interrupt exit's short path (vgic_sync_flush_fast) resamples too. */
static void test_fast_path_resamples(void **state)
{
    (void)state;
    rwr(0, SGI_BASE + GICR_ICENABLER0, 4, UINT32_C(1) << VT);
    vgic_sync_flush_lrs(&vm, 0, false);
    vt_line[0] = true;
    vgic_inject_hw(&vm, 0, VT, VT);
    vgic_sync_flush_lrs(&vm, 0, false);
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, UINT32_C(1) << VT);
    vt_line[0] = false;
    /* an interrupt exit (a kick) comes before any other entry */
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(hl.active_calls, 1);
}

/* Software pending (ISPENDR) of a HW level interrupt lasts until acknowledged, source or not,
 * and keeps the physical interrupt active meanwhile. */
static void test_software_pending_kept(void **state)
{
    int i;

    (void)state;
    rwr(0, SGI_BASE + GICR_ISPENDR0, 4, UINT32_C(1) << VT);
    assert_int_equal(hl.active_calls, 1);
    assert_true(hl.active_on);
    assert_true(vt_pending_read(0));
    rwr(0, SGI_BASE + GICR_ISENABLER0, 4, UINT32_C(1) << VT);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 1);
    vgic_sync_lrs(&vm, 0); /* an exit: the LR is not resampled away */
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 1);
    assert_true(vt_pending_read(0));
    i = vgic_fake_find(VT);
    assert_true(vgic_fake_guest_ack((unsigned)i));
    assert_true(vgic_fake_guest_eoi((unsigned)i));
    vgic_sync_flush_lrs(&vm, 0, false);
    assert_int_equal(lrs_valid(), 0);
    assert_false(vt_pending_read(0));
}

/* GICR_ICPENDR0 clears a taken line too and completes the physical interrupt: if the source
 * still asserts it, it reads pending (and fires again on the hardware). */
static void test_icpendr_clears_taken_line(void **state)
{
    (void)state;
    vt_fire();
    rwr(0, SGI_BASE + GICR_ICPENDR0, 4, UINT32_C(1) << VT);
    assert_int_equal(hl.active_calls, 1);
    assert_false(hl.active_on);
    assert_true(vt_pending_read(0)); /* the source is still asserted */
    vt_line[0] = false;
    assert_false(vt_pending_read(0));
    assert_int_equal(hl.active_calls, 1);
}

/* Another vCPU's timer cannot be sampled from here: its redistributor shows the model. */
static void test_remote_read_uses_model(void **state)
{
    (void)state;
    vt_fire();
    on_cpu(1);
    assert_true(vt_pending_read(0));
    vt_line[0] = false;
    assert_true(vt_pending_read(0)); /* as of vCPU 0's last look */
    assert_int_equal(hl.line_wrong_cpu, 0);
    on_cpu(0);
    assert_false(vt_pending_read(0));
    assert_int_equal(hl.line_wrong_cpu, 0);
}

/* A pass-through level SPI asserted while the guest has it disabled (so EL2 never took it:
 * physically disabled) reads pending in GICD_ISPENDR, and not once the device drops it. */
static void test_disabled_spi_reads_line(void **state)
{
    (void)state;
    assert_false(pt_pending_read());
    pt_line = true;
    assert_true(pt_pending_read());
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 0);
    assert_int_equal(hl.active_calls, 0); /* nothing taken, nothing to complete */
    pt_line = false;
    assert_false(pt_pending_read());
    /* enabled and asserted: the hardware fires, EL2 injects, delivered with the HW link */
    pt_line = true;
    dwr(GICD_ISENABLER + PT_SPI / 32 * 4, 4, UINT32_C(1) << (PT_SPI % 32));
    vgic_inject_hw(&vm, 0, PT_SPI, PT_PINTID);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 1);
    assert_true(vgic_lr_decode(vgic_fake.lr[vgic_fake_find(PT_SPI)]).hw);
}

/* A pass-through SPI the guest configured edge-triggered is latched, never resampled. */
static void test_edge_spi_not_resampled(void **state)
{
    (void)state;
    dwr(GICD_ICFGR + PT_SPI / 16 * 4, 4, (uint64_t)GIC_ICFGR_EDGE << (PT_SPI % 16 * 2));
    vgic_inject_hw(&vm, 0, PT_SPI, PT_PINTID);
    pt_line = false;
    assert_true(pt_pending_read());
    dwr(GICD_ISENABLER + PT_SPI / 32 * 4, 4, UINT32_C(1) << (PT_SPI % 32));
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 1);
    vgic_sync_lrs(&vm, 0);
    vgic_flush_lrs(&vm, 0);
    assert_int_equal(lrs_valid(), 1);
    assert_int_equal(hl.active_calls, 0);
}

/* VM reset completes a taken physical interrupt. */
static void test_reset_completes_taken(void **state)
{
    (void)state;
    vt_fire();
    vgic_vm_reset(&vm);
    vt_line[0] = false; /* the vCPU's reset stops its timer */
    assert_int_equal(hl.active_calls, 1);
    assert_false(hl.active_on);
    assert_false(vt_pending_read(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_disabled_timer_stops_pending, setup),
        cmocka_unit_test_setup(test_stale_timer_not_delivered_on_enable, setup),
        cmocka_unit_test_setup(test_asserted_timer_delivered_on_enable, setup),
        cmocka_unit_test_setup(test_lr_pending_retired, setup),
        cmocka_unit_test_setup(test_withdrawn_then_stopped, setup),
        cmocka_unit_test_setup(test_fast_path_resamples, setup),
        cmocka_unit_test_setup(test_software_pending_kept, setup),
        cmocka_unit_test_setup(test_icpendr_clears_taken_line, setup),
        cmocka_unit_test_setup(test_remote_read_uses_model, setup),
        cmocka_unit_test_setup(test_disabled_spi_reads_line, setup),
        cmocka_unit_test_setup(test_edge_spi_not_resampled, setup),
        cmocka_unit_test_setup(test_reset_completes_taken, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
