// SPDX-License-Identifier: MIT
/*
 * tg.mode=passthrough: a physical device given to the VM works like on bare hardware. The
 * device is a PL031 RTC (PrimeCell RTC PL031 TRM, ARM DDI 0224), found by "arm,pl031" in the
 * DT: its ID registers, a counting data register, and its match interrupt delivered through
 * the (virtual) GIC as a level SPI (GIC spec IHI 0069, 4.1 and 12.9 for the SPI set-up).
 *
 * The guest driver dispatches only SGIs and PPIs, and a level SPI that nobody clears would
 * fire forever, so this mode takes its interrupts itself: PSTATE.I stays set, WFI wakes on a
 * pending interrupt anyway (ARM ARM, "Wait for Interrupt" wake-up events), and the loop
 * acknowledges with ICC_IAR1_EL1 (GICv2: GICC_IAR), runs the RTC handler and EOIs. A
 * virtual-timer deadline bounds each WFI.
 */
#include "dt_dev.h"
#include "gicx.h"
#include "irqwait.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

/* PL031 registers (DDI 0224 3.2). */
#define RTC_DR        0x000 /* data: seconds, read-only */
#define RTC_MR        0x004 /* match */
#define RTC_CR        0x00c /* control: bit 0 = started */
#define RTC_IMSC      0x010 /* interrupt mask set/clear: 1 = enabled */
#define RTC_RIS       0x014 /* raw interrupt status */
#define RTC_MIS       0x018 /* masked interrupt status */
#define RTC_ICR       0x01c /* interrupt clear, write-only */
#define RTC_PERIPHID0 0xfe0
#define RTC_PCELLID0  0xff0
#define RTC_ID_REGS   4
#define RTC_ID_BYTE   0xffU
#define RTC_INT       BIT(0)
#define RTC_CR_START  BIT(0)
/* PeriphID2[3:0] is the designer's upper nibble (ARM = 0x41); [7:4] is the revision. */
#define RTC_PID2_DESIGNER GENMASK(3, 0)

#define RTC_IRQ_PRIO       0x80
#define RTC_ROUNDS         3
#define RTC_WAIT_MS        5000 /* a match is at most 1 s away */
#define RTC_SETTLE_MS      200  /* a second delivery of the same match would come by then */
#define RTC_MASKED_MS      1500 /* a match with IMSC = 0 must raise RIS only */
#define RTC_COUNT_MS       1100 /* RTCDR advances at least once in this time */
#define RTC_MAX_ADVANCE    3

struct rtc_irq_state {
    uint32_t count;      /* RTC interrupts taken since the last reset */
    uint32_t mis, ris;   /* status seen in the handler before clearing */
    uint32_t ris_after;  /* RIS after writing RTCICR */
    uint32_t dr;         /* RTCDR when the interrupt was taken */
    bool active;         /* the distributor showed the SPI active in the handler */
    uint64_t at;         /* CNTVCT when the interrupt was taken */
};

static uintptr_t rtc_base;
static uint32_t rtc_intid;
static struct rtc_irq_state st;

static uint32_t rtc_read(uint32_t off)
{
    return mmio_read32(rtc_base + off);
}

static void rtc_write(uint32_t off, uint32_t val)
{
    mmio_write32(rtc_base + off, val);
}

/* ---------------------------------------------------------------- device checks */

static void test_rtc_ids(void)
{
    static const uint32_t periph_id[RTC_ID_REGS] = { 0x31, 0x10, 0x04, 0x00 };
    static const uint32_t cell_id[RTC_ID_REGS] = { 0x0d, 0xf0, 0x05, 0xb1 };
    uint32_t pid[RTC_ID_REGS], cid[RTC_ID_REGS];
    bool pid_ok = true, cid_ok = true;

    for (uint32_t i = 0; i < RTC_ID_REGS; i++) {
        pid[i] = rtc_read(RTC_PERIPHID0 + i * (uint32_t)sizeof(uint32_t)) & RTC_ID_BYTE;
        cid[i] = rtc_read(RTC_PCELLID0 + i * (uint32_t)sizeof(uint32_t)) & RTC_ID_BYTE;
        /* the revision nibble of PeriphID2 differs between releases (QEMU says r1) */
        uint32_t mask = i == 2 ? (uint32_t)RTC_PID2_DESIGNER : RTC_ID_BYTE;
        pid_ok = pid_ok && (pid[i] & mask) == periph_id[i];
        cid_ok = cid_ok && cid[i] == cell_id[i];
    }
    report(pid_ok, "passthrough: PL031 PeriphID = 0x%02x 0x%02x 0x%02x 0x%02x", pid[0], pid[1],
           pid[2], pid[3]);
    report(cid_ok, "passthrough: PL031 PrimeCell ID = 0x%02x 0x%02x 0x%02x 0x%02x", cid[0], cid[1],
           cid[2], cid[3]);
}

static void test_rtc_counting(void)
{
    uint32_t cr = rtc_read(RTC_CR);
    uint32_t d0 = rtc_read(RTC_DR);

    report(cr & RTC_CR_START, "passthrough: RTCCR=0x%x, RTC started", cr);
    timer_delay_ms(RTC_COUNT_MS); /* the SPI is not enabled yet: the normal IRQ path is safe */
    uint32_t d1 = rtc_read(RTC_DR);
    report(d0 != 0 && d1 - d0 >= 1 && d1 - d0 <= RTC_MAX_ADVANCE,
           "passthrough: RTCDR %u -> %u after %u ms (non-zero, advancing)", d0, d1, RTC_COUNT_MS);
}

/* ---------------------------------------------------------------- GIC set-up of the SPI */

static bool spi_reg_bit(uint32_t bank, uint32_t intid)
{
    return mmio_read32(plat.gicd_base + bank + gic_bit_reg(intid)) & gic_bit(intid);
}

/* ---------------------------------------------------------------- interrupts by hand */

static void rtc_irq(void)
{
    st.mis = rtc_read(RTC_MIS);
    st.ris = rtc_read(RTC_RIS);
    st.active = spi_reg_bit(GICD_ISACTIVER, rtc_intid);
    rtc_write(RTC_ICR, RTC_INT);
    st.ris_after = rtc_read(RTC_RIS);
    st.dr = rtc_read(RTC_DR);
    st.at = timer_now();
    st.count++;
}

static struct irq_wait irqw = { .handler = rtc_irq, .count = &st.count };

/* Sleep with WFI until `want` RTC interrupts were taken or timeout_ms passed. */
static void rtc_wait(uint32_t want, uint64_t timeout_ms)
{
    irqw.intid = rtc_intid;
    irq_wait_for(&irqw, want, timeout_ms);
}

/* Forget what the handler saw last time; the unexpected-interrupt tally carries on. */
static void rtc_irq_reset(void)
{
    st = (struct rtc_irq_state){ 0 };
}

static void test_rtc_match(uint32_t round)
{
    rtc_write(RTC_IMSC, 0);
    rtc_write(RTC_ICR, RTC_INT);
    rtc_irq_reset();

    uint32_t match = rtc_read(RTC_DR) + 1;
    uint64_t start = timer_now();
    rtc_write(RTC_MR, match);
    rtc_write(RTC_IMSC, RTC_INT);

    rtc_wait(1, RTC_WAIT_MS);
    uint32_t first = st.count;
    uint64_t ms = first ? (st.at - start) * MS_PER_S / timer_freq() : 0;
    rtc_wait(first + 1, RTC_SETTLE_MS); /* a second one would be a spurious re-delivery */

    report(first == 1 && st.count == 1,
           "passthrough: match %u (RTCMR=%u): interrupt %u taken exactly once (%u) after %lu ms",
           round + 1, match, rtc_intid, st.count, ms);
    if (!first) {
        report_info("passthrough: no interrupt: RTCRIS=0x%x RTCMIS=0x%x GICD pending=%d "
                    "enabled=%d",
                    rtc_read(RTC_RIS), rtc_read(RTC_MIS), spi_reg_bit(GICD_ISPENDR, rtc_intid),
                    spi_reg_bit(GICD_ISENABLER, rtc_intid));
        return;
    }
    report(st.mis == RTC_INT && st.ris == RTC_INT && st.ris_after == 0 && st.active,
           "passthrough: match %u handler saw RTCMIS=0x%x RTCRIS=0x%x, RTCRIS=0x%x after "
           "RTCICR, SPI active=%d",
           round + 1, st.mis, st.ris, st.ris_after, st.active);
    report(st.dr >= match && st.dr <= match + 1, "passthrough: match %u RTCDR=%u at interrupt",
           round + 1, st.dr);
}

struct spi_wait {
    uint32_t intid;
    bool want;
};

static bool spi_pending_is(const void *arg)
{
    const struct spi_wait *w = arg;

    return spi_reg_bit(GICD_ISPENDR, w->intid) == w->want;
}

/*
 * A level interrupt is pending only while its line is asserted (GIC spec 4.1.2): when the
 * device lowers it before the CPU acknowledged, here by masking it with RTCIMSC = 0, the SPI
 * must stop being pending and must not be delivered.
 */
static void test_rtc_withdrawn(void)
{
    struct spi_wait on = { rtc_intid, true }, off = { rtc_intid, false };
    uint64_t daif = read_sysreg(daif);

    rtc_write(RTC_IMSC, 0);
    rtc_write(RTC_ICR, RTC_INT);
    rtc_irq_reset();
    irq_mask();
    rtc_write(RTC_MR, rtc_read(RTC_DR) + 1);
    rtc_write(RTC_IMSC, RTC_INT);
    bool pend = wait_event_cond(spi_pending_is, &on, RTC_WAIT_MS);
    uint32_t h1 = gic_hppi_intid();
    rtc_write(RTC_IMSC, 0);
    bool dropped = wait_event_cond(spi_pending_is, &off, RTC_SETTLE_MS);
    uint32_t h2 = gic_hppi_intid();
    rtc_wait(1, RTC_SETTLE_MS); /* still masked: a wrong delivery is taken by hand here */
    write_sysreg(daif, daif);
    isb();
    rtc_write(RTC_ICR, RTC_INT);

    report(pend && h1 == rtc_intid,
           "passthrough: match with IRQs masked: SPI %u pending, %s=%u", rtc_intid,
           gic_hppir_name(), h1);
    report(dropped && h2 != rtc_intid && st.count == 0,
           "passthrough: RTCIMSC=0 before acknowledge: SPI %u no longer pending (pending=%d, "
           "%s=%u), not delivered (%u deliveries, RTCMIS=0x%x seen)",
           rtc_intid, !dropped, gic_hppir_name(), h2, st.count, st.mis);
}

/*
 * A level interrupt is pending while its line is asserted, enabled or not (GIC spec 4.1.2,
 * 12.9.14 GICD_ISPENDR): a match while the guest has the SPI disabled reads pending, and
 * the interrupt is delivered once the SPI is enabled.
 */
static void test_rtc_pending_while_disabled(void)
{
    struct spi_wait on = { rtc_intid, true };
    uint64_t daif = read_sysreg(daif);

    irq_mask(); /* the SPI is taken by hand (rtc_wait): the guest driver has no SPI handler */
    gic_spi_disable(rtc_intid);
    rtc_write(RTC_IMSC, 0);
    rtc_write(RTC_ICR, RTC_INT);
    rtc_irq_reset();
    rtc_write(RTC_MR, rtc_read(RTC_DR) + 1);
    rtc_write(RTC_IMSC, RTC_INT);
    bool pend = wait_event_cond(spi_pending_is, &on, RTC_WAIT_MS);
    uint32_t before = st.count;
    gic_spi_setup(rtc_intid, RTC_IRQ_PRIO, false, false); /* enable, keeping pending state */
    rtc_wait(1, RTC_WAIT_MS);
    rtc_write(RTC_IMSC, 0);
    rtc_write(RTC_ICR, RTC_INT);
    write_sysreg(daif, daif);
    isb();

    report(pend && before == 0 && st.count == 1 && st.mis == RTC_INT,
           "passthrough: level SPI %u asserted while disabled reads pending (%d), is delivered "
           "once enabled (%u deliveries, RTCMIS=0x%x)",
           rtc_intid, pend, st.count, st.mis);
}

/* With RTCIMSC = 0 a match raises RTCRIS but neither RTCMIS nor the interrupt line. */
static void test_rtc_masked(void)
{
    rtc_write(RTC_IMSC, 0);
    rtc_write(RTC_ICR, RTC_INT);
    rtc_irq_reset();
    uint32_t match = rtc_read(RTC_DR) + 1;
    rtc_write(RTC_MR, match);

    rtc_wait(1, RTC_MASKED_MS);
    uint32_t ris = rtc_read(RTC_RIS), mis = rtc_read(RTC_MIS);
    bool pending = spi_reg_bit(GICD_ISPENDR, rtc_intid);
    report(st.count == 0 && ris == RTC_INT && mis == 0 && !pending,
           "passthrough: masked match (RTCIMSC=0): RTCRIS=0x%x RTCMIS=0x%x, SPI pending=%d, "
           "%u interrupts",
           ris, mis, pending, st.count);
    rtc_write(RTC_ICR, RTC_INT);
    report(rtc_read(RTC_RIS) == 0, "passthrough: RTCICR clears RTCRIS");
}

void tests_passthrough(void)
{
    struct dt_dev dev;

    if (!dt_find_device("arm,pl031", &dev) || !dev.intid_count) {
        /* boards without a PL031 (the ZynqMP) give a Cadence UART instead */
        if (dt_find_device("cdns,uart-r1p12", &dev) && dev.intid_count) {
            tests_passthrough_cdns(&dev);
        }
        report(false, "passthrough: no arm,pl031 or cdns,uart-r1p12 device with an interrupt "
                      "in the DT");
        tg_finish();
    }
    rtc_base = dev.base;
    rtc_intid = dev.intid[0];
    report(rtc_intid >= GIC_NR_PRIVATE && rtc_intid < GIC_INTID_SPURIOUS,
           "passthrough: arm,pl031 at 0x%lx size 0x%lx, SPI INTID %u", dev.base, dev.size,
           rtc_intid);

    test_rtc_ids();
    test_rtc_counting();
    gic_spi_setup(rtc_intid, RTC_IRQ_PRIO, false, true); /* level, like the RTC */
    for (uint32_t round = 0; round < RTC_ROUNDS; round++) {
        test_rtc_match(round);
    }
    test_rtc_masked();
    test_rtc_withdrawn();
    test_rtc_pending_while_disabled();
    rtc_write(RTC_IMSC, 0);
    gic_spi_disable(rtc_intid);

    report(!irqw.unexpected, "passthrough: no unexpected interrupts (%u, last INTID %u)",
           irqw.unexpected, irqw.last_unexpected);
    report(!this_cpu()->unexpected_irqs, "irq: cpu 0 no unexpected interrupts (%u)",
           this_cpu()->unexpected_irqs);
    tg_finish();
}
