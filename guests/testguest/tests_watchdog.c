// SPDX-License-Identifier: MIT
/*
 * tg.mode=watchdog: the VM's virtual watchdog, an ARM SP805 (ARM DDI 0270B), found by
 * "arm,sp805" in the DT. Its identification and reset values, the lock register, a counter
 * that decrements at WDOGCLK (tg.wdog_hz=, default 1 MHz, the scenario's rate), feeding
 * (WDOGINTCLR, the way Linux's sp805_wdt pings: unlock, clear, lock) that keeps it quiet for
 * a while, then no more feeding: the interrupt (SPI, level) after LOAD + 1 ticks, WDOGINTCLR
 * lowering it, the interrupt again, and the summary. Then the guest hangs the hard way:
 * interrupts masked, spinning, never exiting to the hypervisor. The reset output must fire
 * anyway (LOAD + 1 ticks after the second interrupt) and the VM's fault policy applies: the
 * scenario checks the `EVT ... kind=watchdog` record and what follows. With tg.wdog_hang=ipc
 * the hang is a wait without time limit on the semaphore named "hang" that nobody posts:
 * vCPU 0 blocks in the hypervisor, where the reset is deferred to the guest context (the wait
 * must end and the policy apply, never the call return to the guest).
 *
 * The SPI is taken by hand with PSTATE.I set (the guest driver dispatches SGIs and PPIs only,
 * as in tests_passthrough.c); a virtual-timer deadline bounds each WFI.
 */
#include <string.h>

#include <bulkhead/abi.h>

#include "bootargs.h"
#include "dt_dev.h"
#include "gicx.h"
#include "ipc.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define WD_LOAD      0x000
#define WD_VALUE     0x004
#define WD_CONTROL   0x008
#define WD_INTCLR    0x00c
#define WD_RIS       0x010
#define WD_MIS       0x014
#define WD_LOCK      0xc00
#define WD_ITCR      0xf00
#define WD_PERIPHID0 0xfe0
#define WD_INTEN     BIT(0)
#define WD_RESEN     BIT(1)
#define WD_UNLOCK    0x1acce551U

#define WD_INTID          47   /* the virtual platform's (core/config/config.h) */
#define WD_PERIOD_MS      100  /* LOAD + 1 ticks */
#define WD_FEED_MS        30
#define WD_FEED_TOTAL_MS  1500 /* fifteen periods fed: no interrupt */
#define WD_IRQ_PRIO       0x80
#define WD_SLACK_MS       40   /* scheduling slack of an interrupt's arrival (QEMU icount) */

static uintptr_t wd_base;
static uint64_t wd_hz;
static uint32_t irqs;          /* watchdog SPIs taken */
static uint64_t irq_at;        /* CNTVCT of the last one */
static uint32_t unexpected;

static uint32_t wd_read(uint32_t off)
{
    return mmio_read32(wd_base + off);
}

static void wd_write(uint32_t off, uint32_t val)
{
    mmio_write32(wd_base + off, val);
}

static uint64_t ms_since(uint64_t t)
{
    return (timer_now() - t) * MS_PER_S / timer_freq();
}

/* Acknowledge everything pending: the watchdog's SPI is counted and left asserted. */
static void irq_drain(void)
{
    for (;;) {
        uint32_t iar = gic_ack();
        uint32_t intid = gic_iar_intid(iar);

        if (intid >= GIC_INTID_SPURIOUS && intid < GIC_INTID_SPECIAL_END) {
            return;
        }
        if (intid == WD_INTID) {
            irqs++;
            irq_at = timer_now();
            gic_spi_disable(WD_INTID); /* level, still asserted: once per wait */
        } else if (intid == plat.timer_intid) {
            write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntv_ctl_el0);
        } else {
            unexpected++;
        }
        gic_eoi(iar);
    }
}

/* WFI with IRQs masked until `want` watchdog interrupts were taken or timeout_ms passed. */
static void wd_wait(uint32_t want, uint64_t timeout_ms)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(timeout_ms);

    irq_mask();
    gic_spi_setup(WD_INTID, WD_IRQ_PRIO, false, false);
    write_sysreg(deadline, cntv_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    isb();
    irq_drain();
    while (irqs < want && timer_now() < deadline) {
        wfi();
        irq_drain();
    }
    write_sysreg(0, cntv_ctl_el0);
    isb();
    irq_drain();
}

/* Linux's ping: unlock, load, clear (reloads), lock. */
static void wd_feed(uint32_t load)
{
    wd_write(WD_LOCK, WD_UNLOCK);
    wd_write(WD_LOAD, load);
    wd_write(WD_INTCLR, 1);
    wd_write(WD_LOCK, 1);
}

static void test_ids_and_reset_values(void)
{
    uint32_t pid = 0, cid = 0;

    for (unsigned i = 0; i < 4; i++) {
        pid |= (wd_read(WD_PERIPHID0 + 4 * i) & 0xff) << (8 * i);
        cid |= (wd_read(WD_PERIPHID0 + 16 + 4 * i) & 0xff) << (8 * i);
    }
    report((pid & 0x00ffffff) == 0x00141805 && cid == 0xb105f00d,
           "watchdog: PrimeCell IDs periph=0x%08x cell=0x%08x (SP805)", pid, cid);
    uint32_t load = wd_read(WD_LOAD), value = wd_read(WD_VALUE), ctl = wd_read(WD_CONTROL);
    uint32_t ris = wd_read(WD_RIS), lock = wd_read(WD_LOCK), itcr = wd_read(WD_ITCR);
    report(load == 0xffffffff && value == 0xffffffff && ctl == 0 && ris == 0 && lock == 0 &&
               itcr == 0,
           "watchdog: reset values LOAD=0x%x VALUE=0x%x CONTROL=0x%x RIS=%u LOCK=%u ITCR=%u",
           load, value, ctl, ris, lock, itcr);
}

static void test_lock(void)
{
    wd_write(WD_LOCK, 1);
    uint32_t locked = wd_read(WD_LOCK);
    wd_write(WD_LOAD, 0x1234);
    wd_write(WD_CONTROL, WD_INTEN);
    uint32_t load = wd_read(WD_LOAD), ctl = wd_read(WD_CONTROL);
    report(locked == 1 && load == 0xffffffff && ctl == 0,
           "watchdog: locked (WDOGLOCK=%u): LOAD and CONTROL writes ignored (0x%x, 0x%x)",
           locked, load, ctl);
    wd_write(WD_LOCK, WD_UNLOCK);
    uint32_t open = wd_read(WD_LOCK);
    wd_write(WD_LOAD, 0x1234);
    report(open == 0 && wd_read(WD_LOAD) == 0x1234,
           "watchdog: unlocked with 0x1ACCE551 (WDOGLOCK=%u): LOAD written", open);
}

static void test_counting(uint32_t load)
{
    wd_write(WD_LOAD, load);
    wd_write(WD_CONTROL, WD_INTEN | WD_RESEN);
    uint64_t t0 = timer_now();
    uint32_t v0 = wd_read(WD_VALUE);
    timer_delay_ms(20);
    uint32_t v1 = wd_read(WD_VALUE);
    uint64_t ms = ms_since(t0);
    uint64_t expect = ms * wd_hz / MS_PER_S, got = (uint64_t)(v0 - v1);
    report(v0 <= load && v1 < v0 && got + wd_hz / 100 >= expect && got <= expect + wd_hz / 100,
           "watchdog: counter decrements at WDOGCLK: %u -> %u in %lu ms (%lu ticks, ~%lu "
           "expected)",
           v0, v1, ms, got, expect);
}

static void test_feeding(uint32_t load)
{
    uint64_t t0 = timer_now();
    unsigned feeds = 0;

    while (ms_since(t0) < WD_FEED_TOTAL_MS) {
        wd_feed(load);
        feeds++;
        wd_wait(1, WD_FEED_MS);
    }
    uint32_t ris = wd_read(WD_RIS);
    report(irqs == 0 && ris == 0 && unexpected == 0,
           "watchdog: fed %u times in %lu ms (period %u ms): no interrupt (RIS=%u, %u taken)",
           feeds, ms_since(t0), WD_PERIOD_MS, ris, irqs);
}

static void test_interrupt(uint32_t load)
{
    wd_feed(load);
    uint64_t fed = timer_now();
    wd_wait(1, 4 * WD_PERIOD_MS);
    uint64_t ms = (irq_at - fed) * MS_PER_S / timer_freq();
    uint32_t ris = wd_read(WD_RIS), mis = wd_read(WD_MIS);
    report(irqs == 1 && ris == 1 && mis == 1 && ms + WD_SLACK_MS >= WD_PERIOD_MS &&
               ms <= WD_PERIOD_MS + WD_SLACK_MS,
           "watchdog: not fed: SPI %u after %lu ms (LOAD+1 ticks = %u ms), RIS=%u MIS=%u",
           WD_INTID, ms, WD_PERIOD_MS, ris, mis);
    /* WDOGINTCLR lowers the line and reloads: the next interrupt a period later */
    wd_write(WD_LOCK, WD_UNLOCK);
    wd_write(WD_INTCLR, 1);
    uint64_t cleared = timer_now();
    uint32_t ris_after = wd_read(WD_RIS);
    wd_wait(2, 4 * WD_PERIOD_MS);
    ms = (irq_at - cleared) * MS_PER_S / timer_freq();
    report(ris_after == 0 && irqs == 2 && ms + WD_SLACK_MS >= WD_PERIOD_MS &&
               ms <= WD_PERIOD_MS + WD_SLACK_MS,
           "watchdog: WDOGINTCLR clears RIS (%u) and reloads: interrupt again after %lu ms",
           ris_after, ms);
}

void tests_watchdog(void)
{
    struct dt_dev dev;

    wd_hz = bootarg_get_u64("tg.wdog_hz", 1000000);
    if (!dt_find_device("arm,sp805", &dev) || !dev.intid_count || !wd_hz) {
        report(false, "watchdog: no arm,sp805 device with an interrupt in the DT");
        tg_finish();
    }
    wd_base = dev.base;
    report(dev.intid[0] == WD_INTID && dev.size == 0x1000,
           "watchdog: arm,sp805 at 0x%lx size 0x%lx, SPI INTID %u", dev.base, dev.size,
           dev.intid[0]);
    uint32_t load = (uint32_t)(wd_hz * WD_PERIOD_MS / MS_PER_S - 1);

    test_ids_and_reset_values();
    test_lock();
    test_counting(load);
    test_feeding(load);
    test_interrupt(load);
    char hang[8] = "";
    struct ipc_obj sem;
    bool in_ipc = bootarg_get("tg.wdog_hang", hang, sizeof(hang)) && !strcmp(hang, "ipc");
    if (in_ipc && !ipc_dt_find("hang", &sem)) {
        report(false, "watchdog: tg.wdog_hang=ipc without a semaphore named hang");
        in_ipc = false;
    }
    tg_summary();
    __asm__ volatile("msr daifset, #0xf" ::: "memory");
    if (in_ipc) {
        tg_print("INFO watchdog: blocked in SEM_WAIT without time limit, the reset is due in "
                 "%u ms", WD_PERIOD_MS);
        int64_t r = ipc_sem_wait(sem.id, BH_TIMEOUT_NEVER);
        tg_print("FAIL watchdog: SEM_WAIT returned %s to a VM whose watchdog fired",
                 ipc_err_name(r));
    }
    /* Hung for good: nothing exits to the hypervisor, only its own timer can notice. */
    tg_print("INFO watchdog: hanging with interrupts masked, the reset is due in %u ms",
             WD_PERIOD_MS);
    for (;;) {
        __asm__ volatile("" ::: "memory");
    }
}
