// SPDX-License-Identifier: MIT
#include "irqwait.h"

#include "gicx.h"
#include "platform.h"
#include "sysreg.h"
#include "timer.h"

void irq_wait_drain(struct irq_wait *w)
{
    for (;;) {
        uint32_t iar = gic_ack();
        uint32_t intid = gic_iar_intid(iar);

        if (intid >= GIC_INTID_SPURIOUS && intid < GIC_INTID_SPECIAL_END) {
            return;
        }
        if (intid == w->intid) {
            w->handler();
        } else if (intid == plat.timer_intid) {
            write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntv_ctl_el0);
        } else {
            w->unexpected++;
            w->last_unexpected = intid;
        }
        gic_eoi(iar);
    }
}

void irq_wait_for(struct irq_wait *w, uint32_t want, uint64_t timeout_ms)
{
    uint64_t daif = read_sysreg(daif);
    uint64_t deadline = timer_now() + timer_ms_to_ticks(timeout_ms);

    irq_mask();
    write_sysreg(deadline, cntv_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    isb();
    irq_wait_drain(w);
    while (*(const volatile uint32_t *)w->count < want && timer_now() < deadline) {
        wfi();
        irq_wait_drain(w);
    }
    write_sysreg(0, cntv_ctl_el0);
    isb();
    irq_wait_drain(w); /* a deadline interrupt raised just before the timer was stopped */
    write_sysreg(daif, daif);
    isb();
}
