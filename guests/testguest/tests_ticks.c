// SPDX-License-Identifier: MIT
/*
 * tg.mode=ticks: a stream of virtual timer ticks in the shape a periodic guest tick has
 * (handler moves CNTV_CVAL_EL0 on by one period, timer left enabled), which on a GICv3
 * Bulkhead is re-armed in the hypervisor's IRQ vector (arch/aarch64/vectors.S guest_irq):
 * every tick arrives, never before its compare value, none is doubled or lost, and once the
 * handler stops the timer at the last one no more come. Exactly TK_TICKS virtual timer
 * interrupts reach the guest, so the scenario (tests/scenarios/h-timer-fast*.test) also
 * checks the VM's injection count in its STATS line, which the vector keeps.
 *
 * Run in a VM of one vCPU (the vector's lock-free re-arm) and of two (under the vGIC lock);
 * tg.ticks_touch=1 also disables and enables an SGI between ticks (a register write the
 * vGIC model takes, which leaves the vCPU dirty), so those ticks take the C path and the
 * stream must not notice. Boot CPU only; GICv3 or GICv2; also holds on plain QEMU.
 */
#include "bootargs.h"
#include "gic.h"
#include "platform.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define TK_TICKS 300
#define TK_HZ    1000
#define TK_SGI   5

static volatile uint32_t tk_count, tk_early;
static volatile uint64_t tk_cval, tk_period;

static void tk_irq(uint32_t intid)
{
    uint64_t now = timer_now();

    (void)intid;
    if (now < tk_cval) {
        tk_early++;
    }
    tk_count++;
    if (tk_count >= TK_TICKS) {
        write_sysreg(0, cntv_ctl_el0); /* the last one: the line drops, nothing follows */
    } else {
        tk_cval += tk_period;
        write_sysreg(tk_cval, cntv_cval_el0);
    }
    isb();
}

static bool tk_never(const void *arg)
{
    (void)arg;
    return false;
}

void tests_ticks(void)
{
    bool touch = bootarg_get_u64("tg.ticks_touch", 0) != 0;
    uint64_t deadline;
    uint32_t seen = 0;

    report_info("ticks: %u virtual timer ticks at %u Hz on PPI %u%s", TK_TICKS, TK_HZ,
                plat.timer_intid, touch ? ", GIC writes between ticks" : "");
    gic_set_handler(plat.timer_intid, tk_irq);
    tk_period = timer_freq() / TK_HZ;
    deadline = timer_now() + timer_ms_to_ticks(TK_TICKS * 1000 / TK_HZ + 5000);
    tk_cval = timer_now() + tk_period;
    write_sysreg(tk_cval, cntv_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    isb();
    /* WFI between ticks, as a periodic guest idles (a pending tick wakes a masked WFI) */
    irq_mask();
    while (tk_count < TK_TICKS && timer_now() < deadline) {
        if (touch && tk_count != seen) {
            seen = tk_count;
            gic_disable_private(TK_SGI);
            gic_enable_private(TK_SGI);
        }
        wfi();
        irq_unmask();
        isb();
        irq_mask();
    }
    irq_unmask();
    report(tk_count == TK_TICKS && tk_early == 0,
           "ticks: %u of %u ticks arrived, %u before their CVAL", tk_count, TK_TICKS, tk_early);
    wait_event_cond(tk_never, NULL, 20); /* a tick after the last would show up by then */
    report(tk_count == TK_TICKS, "ticks: none after the timer stopped (%u)", tk_count);
    timer_init(plat.timer_intid); /* back to the driver's handler */
    report(!this_cpu()->unexpected_irqs, "irq: cpu 0 no unexpected interrupts (%u)",
           this_cpu()->unexpected_irqs);
    tg_finish();
}
