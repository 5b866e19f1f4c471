// SPDX-License-Identifier: MIT
/*
 * tg.mode=timer: the EL1 Generic Timers as a guest sees them (ARM DDI 0487 D11 "The Generic
 * Timer", D11.2.4 for the CNTV_* / CNTP_* registers) and their interrupts as level-sensitive
 * PPIs (GIC spec IHI 0069 4.1.2: a level interrupt is pending while its line is asserted).
 *
 * - Virtual timer (PPI 27 on a Bulkhead VM, a HW-linked interrupt there): it fires at CVAL;
 *   while its condition holds GICR_ISPENDR0 (GICv2: the banked GICD_ISPENDR0) shows it
 *   pending, also with the PPI disabled;
 *   once the timer is stopped (ENABLE = 0, IMASK = 1, or CVAL moved to the future) before
 *   the interrupt was acknowledged, it is no longer pending and nothing is delivered when the
 *   PPI or the CPU's IRQs are unmasked again.
 * - EL1 physical timer (PPI 30, emulated on a Bulkhead VM): CTL/CVAL/TVAL read back, TVAL
 *   counts down as a signed 32-bit view of CVAL - CNTPCT, ISTATUS, the interrupt at (never
 *   before) CVAL, none when masked or disabled.
 *
 * Boot CPU only. Waits use WFE and the counter event stream, not the timer driver (its
 * handler is replaced here). Every check also holds on plain QEMU virt without a hypervisor.
 */
#include "gicconf.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define TM_PRIO        0x80
#define TM_IRQ_MS      500   /* an interrupt that should come, comes by then */
#define TM_SETTLE_MS   20    /* a wrong delivery would show up by then */
#define TM_POLL_MS     100   /* a pending bit that should change, changes by then */
#define TM_FIRE_MS     5     /* compare value this far ahead */
#define TM_TVAL_MS     100
#define TM_FAR_S       10    /* "the future" for a compare value */
#define TM_PAST_TICKS  1000
#define TM_TVAL_BITS   GENMASK(31, 0)

struct tm_irq {
    volatile uint32_t count;
    volatile uint64_t at;   /* counter (CNTVCT or CNTPCT) in the handler */
};

static struct tm_irq vt, pt;

static uint64_t phys_now(void)
{
    isb();
    return read_sysreg(cntpct_el0);
}

/* The handlers mask their timer (IMASK): the level would re-fire after EOI otherwise. */
static void vt_irq(uint32_t intid)
{
    (void)intid;
    vt.at = timer_now();
    vt.count++;
    write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntv_ctl_el0);
    isb();
}

static void pt_irq(uint32_t intid)
{
    (void)intid;
    pt.at = phys_now();
    pt.count++;
    write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntp_ctl_el0);
    isb();
}

static bool count_reached(const void *arg)
{
    return ((const struct tm_irq *)arg)->count > 0;
}

static bool never(const void *arg)
{
    (void)arg;
    return false;
}

static void settle(uint64_t ms)
{
    wait_event_cond(never, NULL, ms);
}

struct bit_wait {
    uint32_t intid;
    bool want;
};

static bool pend_is(const void *arg)
{
    const struct bit_wait *w = arg;

    return gc_private_bit(GICR_ISPENDR0, w->intid) == w->want;
}

/* Poll GICR_ISPENDR0 (GICv2: GICD_ISPENDR0) bit intid until it reads want (bounded);
 * returns whether it did. */
static bool pend_becomes(uint32_t intid, bool want)
{
    struct bit_wait w = { intid, want };

    return wait_event_cond(pend_is, &w, TM_POLL_MS);
}

static void private_enable(uint32_t intid, bool on)
{
    mmio_write32(gc_sgi_base() + (on ? GICR_ISENABLER0 : GICR_ICENABLER0), gic_bit(intid));
}

/* ---------------------------------------------------------------- virtual timer */

static void test_vtimer_fires(void)
{
    uint64_t cval = timer_now() + timer_ms_to_ticks(TM_FIRE_MS);

    vt = (struct tm_irq){ 0 };
    private_enable(plat.timer_intid, true);
    write_sysreg(cval, cntv_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    isb();
    bool got = wait_event_cond(count_reached, &vt, TM_IRQ_MS);
    settle(TM_SETTLE_MS);
    write_sysreg(0, cntv_ctl_el0);
    isb();
    report(got && vt.count == 1 && vt.at >= cval,
           "timer: vtimer PPI %u fires once, not before CVAL (%u, %ld ticks after CVAL)",
           plat.timer_intid, vt.count, (long)(vt.at - cval));
}

enum vt_stop { VT_STOP_DISABLE, VT_STOP_IMASK, VT_STOP_FUTURE };

static const char *const vt_stop_name[] = {
    [VT_STOP_DISABLE] = "CNTV_CTL.ENABLE=0",
    [VT_STOP_IMASK] = "CNTV_CTL.IMASK=1",
    [VT_STOP_FUTURE] = "CVAL moved to the future",
};

/*
 * The timer fires while its interrupt cannot be taken: the PPI is disabled in the
 * redistributor or GICv2 distributor (gic_masked) or the CPU masks IRQs. While the
 * condition holds it reads pending; the guest stops the timer with `how` before
 * acknowledging: no longer pending, and nothing is delivered once the PPI or IRQs are
 * unmasked.
 */
static void test_vtimer_stopped(enum vt_stop how, bool gic_masked)
{
    uint32_t t = plat.timer_intid;

    vt = (struct tm_irq){ 0 };
    irq_mask();
    private_enable(t, !gic_masked);
    write_sysreg(timer_now(), cntv_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    isb();
    bool on = pend_becomes(t, true);
    switch (how) {
    case VT_STOP_DISABLE:
        write_sysreg(0, cntv_ctl_el0);
        break;
    case VT_STOP_IMASK:
        write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntv_ctl_el0);
        break;
    case VT_STOP_FUTURE:
        write_sysreg(timer_now() + TM_FAR_S * timer_freq(), cntv_cval_el0);
        break;
    }
    isb();
    bool off = pend_becomes(t, false);
    private_enable(t, true);
    irq_unmask();
    settle(TM_SETTLE_MS);
    write_sysreg(0, cntv_ctl_el0);
    isb();

    report(on, "timer: vtimer condition met, %s: %s_ISPENDR0 bit %u reads 1",
           gic_masked ? "PPI disabled" : "IRQs masked", gc_priv_frame(), t);
    report(off && vt.count == 0,
           "timer: vtimer pending-not-acked (%s), then %s: bit %u reads 0 (%d), no interrupt "
           "once unmasked (%u)",
           gic_masked ? "PPI disabled" : "IRQs masked", vt_stop_name[how], t, off, vt.count);
}

/* ---------------------------------------------------------------- physical timer */

static void test_ptimer_registers(void)
{
    uint64_t cval = phys_now() + TM_FAR_S * timer_freq();

    write_sysreg(0, cntp_ctl_el0);
    write_sysreg(cval, cntp_cval_el0);
    isb();
    uint64_t cval_rd = read_sysreg(cntp_cval_el0);
    report(cval_rd == cval, "timer: CNTP_CVAL_EL0 reads back 0x%lx (0x%lx)", cval, cval_rd);

    /* ISTATUS is read-only: writing it has no effect */
    write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS, cntp_ctl_el0);
    isb();
    uint64_t ctl = read_sysreg(cntp_ctl_el0);
    report(ctl == (CNTV_CTL_ENABLE | CNTV_CTL_IMASK),
           "timer: CNTP_CTL_EL0 reads back ENABLE|IMASK, ISTATUS 0 before CVAL (0x%lx)", ctl);

    write_sysreg(phys_now() - TM_PAST_TICKS, cntp_cval_el0);
    isb();
    ctl = read_sysreg(cntp_ctl_el0);
    report(ctl == (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS),
           "timer: CNTP_CTL_EL0.ISTATUS 1 once CVAL <= CNTPCT (0x%lx)", ctl);
    write_sysreg(0, cntp_ctl_el0);
    isb();
}

static void test_ptimer_tval(void)
{
    uint64_t ticks = timer_ms_to_ticks(TM_TVAL_MS);

    write_sysreg(0, cntp_ctl_el0);
    uint64_t before = phys_now();
    write_sysreg(ticks, cntp_tval_el0);
    isb();
    uint64_t after = phys_now();
    uint64_t cval = read_sysreg(cntp_cval_el0);
    uint64_t t1 = read_sysreg(cntp_tval_el0);
    settle(1);
    uint64_t t2 = read_sysreg(cntp_tval_el0);
    report(cval >= before + ticks && cval <= after + ticks,
           "timer: CNTP_TVAL_EL0 write sets CVAL = CNTPCT + TVAL (CVAL - CNTPCT = %ld, TVAL %lu)",
           (long)(cval - before), ticks);
    report(t2 < t1 && t1 <= ticks && !(t1 >> 32),
           "timer: CNTP_TVAL_EL0 counts down (%lu -> %lu, written %lu)", t1, t2, ticks);

    /* a compare value in the past: TVAL is negative as a signed 32-bit value */
    uint64_t c0 = phys_now();
    write_sysreg(c0 - TM_PAST_TICKS, cntp_cval_el0);
    isb();
    uint64_t neg = read_sysreg(cntp_tval_el0);
    uint64_t c1 = phys_now();
    int32_t sv = (int32_t)(uint32_t)neg;
    /* read at a count in [c0, c1]: TVAL in [-(PAST + c1 - c0), -PAST] */
    report(!(neg >> 32) && sv <= -TM_PAST_TICKS &&
               (int64_t)sv >= -(int64_t)(TM_PAST_TICKS + (c1 - c0)),
           "timer: CNTP_TVAL_EL0 after CVAL passed reads %d as int32 (raw 0x%lx, bits 63:32 0)",
           sv, neg);

    /* a negative TVAL is sign-extended into CVAL */
    /* The write's count lies between 'before' and 'after' (a trap or a host preemption may
     * put any number of ticks between them), so CVAL + TM_PAST_TICKS must too. */
    before = phys_now();
    write_sysreg((uint64_t)(uint32_t)-TM_PAST_TICKS, cntp_tval_el0);
    isb();
    after = phys_now();
    cval = read_sysreg(cntp_cval_el0);
    report(cval + TM_PAST_TICKS >= before && cval + TM_PAST_TICKS <= after,
           "timer: CNTP_TVAL_EL0 = -%d sets CVAL %ld ticks before the count at the write "
           "(write within [%lu, %lu] + %d)", TM_PAST_TICKS,
           (long)(before - cval), before, after, TM_PAST_TICKS);
}

/* The physical timer compares with CNTPCT: ISTATUS rises when CNTPCT (not CNTVCT) passes. */
static void test_ptimer_counts_physical(void)
{
    int64_t voff = (int64_t)(phys_now() - timer_now()); /* ~CNTVOFF (0 if none) */
    uint64_t cval = phys_now() + timer_ms_to_ticks(TM_FIRE_MS);

    write_sysreg(cval, cntp_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntp_ctl_el0);
    isb();
    while (!(read_sysreg(cntp_ctl_el0) & CNTV_CTL_ISTATUS) && phys_now() < cval + timer_freq()) {
        wfe();
    }
    uint64_t seen = phys_now();
    write_sysreg(0, cntp_ctl_el0);
    isb();
    report(seen >= cval && seen - cval < timer_freq(),
           "timer: CNTP ISTATUS follows CNTPCT (%ld ticks after CVAL; CNTPCT - CNTVCT ~ %ld)",
           (long)(seen - cval), voff);
}

static void test_ptimer_interrupt(bool use_tval)
{
    uint32_t p = plat.ptimer_intid;
    uint64_t ticks = timer_ms_to_ticks(TM_FIRE_MS);
    uint64_t cval;

    pt = (struct tm_irq){ 0 };
    private_enable(p, true);
    if (use_tval) {
        write_sysreg(ticks, cntp_tval_el0);
        isb();
        cval = read_sysreg(cntp_cval_el0);
    } else {
        cval = phys_now() + ticks;
        write_sysreg(cval, cntp_cval_el0);
    }
    write_sysreg(CNTV_CTL_ENABLE, cntp_ctl_el0);
    isb();
    bool got = wait_event_cond(count_reached, &pt, TM_IRQ_MS);
    settle(TM_SETTLE_MS);
    write_sysreg(0, cntp_ctl_el0);
    isb();
    report(got && pt.count == 1 && pt.at >= cval,
           "timer: ptimer (%s) interrupt on PPI %u once, not before CVAL (%u, %ld ticks after)",
           use_tval ? "TVAL" : "CVAL", p, pt.count, (long)(pt.at - cval));
}

/* Condition met but masked (IMASK) or disabled: no interrupt, not pending. */
static void test_ptimer_silent(bool masked)
{
    uint32_t p = plat.ptimer_intid;

    pt = (struct tm_irq){ 0 };
    private_enable(p, true);
    write_sysreg(phys_now() - TM_PAST_TICKS, cntp_cval_el0);
    write_sysreg(masked ? CNTV_CTL_ENABLE | CNTV_CTL_IMASK : 0, cntp_ctl_el0);
    isb();
    settle(TM_SETTLE_MS);
    bool pend = gc_private_bit(GICR_ISPENDR0, p);
    uint64_t ctl = read_sysreg(cntp_ctl_el0);
    write_sysreg(0, cntp_ctl_el0);
    isb();
    report(pt.count == 0 && !pend && (!masked || (ctl & CNTV_CTL_ISTATUS)),
           "timer: ptimer %s with CVAL passed: no interrupt (%u), PPI %u not pending, "
           "CNTP_CTL=0x%lx",
           masked ? "masked (IMASK=1)" : "disabled (ENABLE=0)", pt.count, p, ctl);
}

/* With PPI 30 disabled: pending while the output is asserted, not after ENABLE=0, and no
 * interrupt once the PPI is enabled again. */
static void test_ptimer_pending_level(void)
{
    uint32_t p = plat.ptimer_intid;

    pt = (struct tm_irq){ 0 };
    private_enable(p, false);
    write_sysreg(phys_now(), cntp_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntp_ctl_el0);
    isb();
    bool on = pend_becomes(p, true);
    write_sysreg(0, cntp_ctl_el0);
    isb();
    bool off = pend_becomes(p, false);
    private_enable(p, true);
    settle(TM_SETTLE_MS);
    report(on && off && pt.count == 0,
           "timer: ptimer PPI %u disabled: pending while asserted (%d), not after ENABLE=0 (%d), "
           "no interrupt once enabled (%u)",
           p, on, off, pt.count);
}

void tests_timer(void)
{
    report_info("timer: virtual PPI %u, physical PPI %u, CNTFRQ %lu Hz", plat.timer_intid,
                plat.ptimer_intid, timer_freq());
    gic_set_handler(plat.timer_intid, vt_irq);
    gic_set_handler(plat.ptimer_intid, pt_irq);
    gc_set_prio(plat.timer_intid, TM_PRIO);
    gc_set_prio(plat.ptimer_intid, TM_PRIO);

    test_vtimer_fires();
    for (unsigned how = VT_STOP_DISABLE; how <= VT_STOP_FUTURE; how++) {
        test_vtimer_stopped((enum vt_stop)how, true);
        test_vtimer_stopped((enum vt_stop)how, false);
    }

    test_ptimer_registers();
    test_ptimer_tval();
    test_ptimer_counts_physical();
    test_ptimer_interrupt(false);
    test_ptimer_interrupt(true);
    test_ptimer_silent(true);
    test_ptimer_silent(false);
    test_ptimer_pending_level();
    private_enable(plat.ptimer_intid, false);

    timer_init(plat.timer_intid); /* back to the driver's handler */
    report(!this_cpu()->unexpected_irqs, "irq: cpu 0 no unexpected interrupts (%u)",
           this_cpu()->unexpected_irqs);
    tg_finish();
}
