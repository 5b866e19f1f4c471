// SPDX-License-Identifier: MIT
/*
 * tg.mode=passthrough with a Cadence UART instead of a PL031 (the ZynqMP's second UART,
 * DT "cdns,uart-r1p12", Zynq UltraScale+ TRM UG1085 chapter 21, registers UG1087): the boards
 * without a PL031 give the VM this one. Its interrupt is a level SPI, asserted while an
 * enabled (IMR) channel status is raised (CISR): TEMPTY stays raised while the transmit FIFO
 * is empty, so writing IER.TEMPTY asserts the line at once and IDR.TEMPTY withdraws it. The
 * checks mirror the PL031's (tests_passthrough.c): exactly one delivery per enable, handled
 * by hand (PSTATE.I set, WFI, IAR), the SPI active in the handler; the line withdrawn before
 * acknowledge is no longer pending and never delivered; asserted while the SPI is disabled it
 * reads pending and is delivered once enabled; with IMR clear nothing is pending.
 */
#include "dt_dev.h"
#include "gicx.h"
#include "irqwait.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define CDNS_CR        0x00
#define CDNS_IER       0x08 /* write 1: enable */
#define CDNS_IDR       0x0c /* write 1: disable */
#define CDNS_IMR       0x10 /* 1 = enabled, read-only */
#define CDNS_CISR      0x14 /* raised channel status, write 1 to clear */
#define CDNS_SR        0x2c
#define CDNS_TEMPTY    BIT(3) /* SR, CISR, IER/IDR/IMR: transmit FIFO empty */
#define CDNS_ALL_IRQS  GENMASK(13, 0)
#define CDNS_CR_TXEN   BIT(4)
#define CDNS_CR_TXDIS  BIT(5)

#define CDNS_PRIO      0x80
#define CDNS_ROUNDS    3
#define CDNS_WAIT_MS   500
#define CDNS_SETTLE_MS 50

static uintptr_t base;
static uint32_t spi;
static struct {
    uint32_t count, cisr, imr;
    bool active;
} st;

static uint32_t cdns_read(uint32_t off)
{
    return mmio_read32(base + off);
}

static void cdns_write(uint32_t off, uint32_t val)
{
    mmio_write32(base + off, val);
}

static bool spi_bit(uint32_t bank)
{
    return mmio_read32(plat.gicd_base + bank + gic_bit_reg(spi)) & gic_bit(spi);
}

/* The handler: what raised it, then lower the line (IDR), as a driver's TX-empty handler. */
static void cdns_irq(void)
{
    st.cisr = cdns_read(CDNS_CISR);
    st.imr = cdns_read(CDNS_IMR);
    st.active = spi_bit(GICD_ISACTIVER);
    cdns_write(CDNS_IDR, CDNS_TEMPTY);
    cdns_write(CDNS_CISR, CDNS_TEMPTY);
    st.count++;
}

static struct irq_wait irqw = { .handler = cdns_irq, .count = &st.count };

/* WFI until `want` deliveries or timeout_ms. */
static void cdns_wait(uint32_t want, uint64_t timeout_ms)
{
    irqw.intid = spi;
    irq_wait_for(&irqw, want, timeout_ms);
}

static void reset_state(void)
{
    cdns_write(CDNS_IDR, CDNS_ALL_IRQS);
    cdns_write(CDNS_CISR, CDNS_ALL_IRQS);
    st.count = st.cisr = st.imr = 0;
    st.active = false;
}

static void test_enable_once(uint32_t round)
{
    uint64_t daif = read_sysreg(daif);

    reset_state();
    irq_mask(); /* the line rises at once: it is taken by hand, the driver has no handler */
    cdns_write(CDNS_IER, CDNS_TEMPTY);
    cdns_wait(1, CDNS_WAIT_MS);
    uint32_t first = st.count;
    cdns_wait(first + 1, CDNS_SETTLE_MS); /* a second one would be a spurious re-delivery */
    write_sysreg(daif, daif);
    isb();
    report(first == 1 && st.count == 1 && (st.cisr & CDNS_TEMPTY) && (st.imr & CDNS_TEMPTY) &&
               st.active,
           "passthrough: IER.TEMPTY %u: interrupt %u taken exactly once (%u), handler saw "
           "CISR=0x%x IMR=0x%x, SPI active=%d",
           round + 1, spi, st.count, st.cisr, st.imr, st.active);
}

struct spi_wait {
    bool want;
};

static bool pending_is(const void *arg)
{
    return spi_bit(GICD_ISPENDR) == ((const struct spi_wait *)arg)->want;
}

/* Level withdrawn before acknowledge (IHI 0048B 1.4.2 / IHI 0069 4.1.2): not delivered. */
static void test_withdrawn(void)
{
    struct spi_wait on = { true }, off = { false };
    uint64_t daif = read_sysreg(daif);

    reset_state();
    irq_mask();
    cdns_write(CDNS_IER, CDNS_TEMPTY);
    bool pend = wait_event_cond(pending_is, &on, CDNS_WAIT_MS);
    uint32_t h1 = gic_hppi_intid();
    cdns_write(CDNS_IDR, CDNS_TEMPTY);
    bool dropped = wait_event_cond(pending_is, &off, CDNS_SETTLE_MS);
    uint32_t h2 = gic_hppi_intid();
    cdns_wait(1, CDNS_SETTLE_MS); /* a wrong delivery is taken by hand here */
    write_sysreg(daif, daif);
    isb();
    report(pend && h1 == spi, "passthrough: IER.TEMPTY with IRQs masked: SPI %u pending, %s=%u",
           spi, gic_hppir_name(), h1);
    report(dropped && h2 != spi && st.count == 0,
           "passthrough: IDR.TEMPTY before acknowledge: SPI %u no longer pending (%s=%u), not "
           "delivered (%u)",
           spi, gic_hppir_name(), h2, st.count);
}

static void test_pending_while_disabled(void)
{
    struct spi_wait on = { true };
    uint64_t daif = read_sysreg(daif);

    irq_mask();
    gic_spi_disable(spi);
    reset_state();
    cdns_write(CDNS_IER, CDNS_TEMPTY);
    bool pend = wait_event_cond(pending_is, &on, CDNS_WAIT_MS);
    uint32_t before = st.count;
    gic_spi_setup(spi, CDNS_PRIO, false, false); /* enable, keeping the pending state */
    cdns_wait(1, CDNS_WAIT_MS);
    write_sysreg(daif, daif);
    isb();
    report(pend && before == 0 && st.count == 1,
           "passthrough: level SPI %u asserted while disabled reads pending (%d), is delivered "
           "once enabled (%u deliveries)",
           spi, pend, st.count);
}

static void test_masked(void)
{
    reset_state();
    cdns_wait(1, CDNS_SETTLE_MS);
    uint32_t cisr = cdns_read(CDNS_CISR), imr = cdns_read(CDNS_IMR);
    bool pending = spi_bit(GICD_ISPENDR);
    report((cisr & CDNS_TEMPTY) && !imr && !pending && st.count == 0,
           "passthrough: IMR=0x%x: CISR=0x%x raised, SPI %u pending=%d, %u interrupts", imr, cisr,
           spi, pending, st.count);
}

void tests_passthrough_cdns(const struct dt_dev *dev)
{
    base = dev->base;
    spi = dev->intid[0];
    report(spi >= GIC_NR_PRIVATE && spi < GIC_INTID_SPURIOUS,
           "passthrough: cdns,uart-r1p12 at 0x%lx size 0x%lx, SPI INTID %u", dev->base, dev->size,
           spi);
    cdns_write(CDNS_CR, (cdns_read(CDNS_CR) & ~(uint32_t)CDNS_CR_TXDIS) | CDNS_CR_TXEN);
    reset_state();
    uint32_t sr = cdns_read(CDNS_SR);
    report((sr & CDNS_TEMPTY) && !cdns_read(CDNS_IMR),
           "passthrough: SR=0x%x transmit FIFO empty, IMR=0 after IDR", sr);

    gic_spi_setup(spi, CDNS_PRIO, false, true); /* level-sensitive, as the device's line */
    for (uint32_t round = 0; round < CDNS_ROUNDS; round++) {
        test_enable_once(round);
    }
    test_masked();
    test_withdrawn();
    test_pending_while_disabled();
    reset_state();
    gic_spi_disable(spi);

    report(!irqw.unexpected, "passthrough: no unexpected interrupts (%u, last INTID %u)",
           irqw.unexpected, irqw.last_unexpected);
    report(!this_cpu()->unexpected_irqs, "irq: cpu 0 no unexpected interrupts (%u)",
           this_cpu()->unexpected_irqs);
    tg_finish();
}
