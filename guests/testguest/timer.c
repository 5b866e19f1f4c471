// SPDX-License-Identifier: MIT
/*
 * Virtual timer ticks and bounded waits. The periodic tick re-arms with CVAL += period (not
 * now + period), so a late interrupt (host preemption, -icount scheduling) is caught up
 * rather than lost, and the tick count stays tied to elapsed counter time.
 */
#include "gic.h"
#include "report.h"
#include "timer.h"
#include "tg.h"

#define EVNTI_MAX        15  /* CNTKCTL_EL1.EVNTI is a 4-bit counter bit index */
#define EVENT_STREAM_HZ  2000 /* event roughly every 0.5 ms bounds every WFE wait */

static uint32_t timer_intid;

uint64_t timer_freq(void)
{
    return read_sysreg(cntfrq_el0);
}

uint64_t timer_now(void)
{
    /* the ISB keeps the counter read from being speculated ahead of earlier code */
    isb();
    return read_sysreg(cntvct_el0);
}

uint64_t timer_ms_to_ticks(uint64_t ms)
{
    return ms * timer_freq() / MS_PER_S;
}

static void timer_irq(uint32_t intid)
{
    struct percpu *pc = this_cpu();

    (void)intid;
    if (pc->timer_period) {
        write_sysreg(read_sysreg(cntv_cval_el0) + pc->timer_period, cntv_cval_el0);
        pc->timer_ticks++;
    } else {
        /* one-shot deadline: mask the output so the level interrupt drops */
        write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntv_ctl_el0);
        pc->timer_fired = 1;
    }
    isb();
}

void timer_init(uint32_t intid)
{
    timer_intid = intid;
    gic_set_handler(intid, timer_irq);
}

/*
 * EVNTI = the counter bit whose 0->1 transition signals an event: bit n toggles every
 * 2^(n+1) ticks, so pick the largest n with 2^(n+1) <= freq / EVENT_STREAM_HZ.
 */
static uint32_t event_stream_bit(void)
{
    uint64_t ticks = timer_freq() / EVENT_STREAM_HZ;
    uint32_t n = 0;

    /* step while bit n + 1 would still give a period of at most `ticks` */
    while (n < EVNTI_MAX && (UINT64_C(1) << (n + 2)) <= ticks) {
        n++;
    }
    return n;
}

void timer_cpu_init(void)
{
    uint64_t kctl = read_sysreg(cntkctl_el1) & ~(CNTKCTL_EVNTI | CNTKCTL_EVNTEN);

    write_sysreg(0, cntv_ctl_el0);
    write_sysreg(kctl | FIELD_PREP(CNTKCTL_EVNTI, event_stream_bit()) | CNTKCTL_EVNTEN,
                 cntkctl_el1);
    isb();
    gic_enable_private(timer_intid);
}

static void timer_arm_oneshot(uint64_t deadline)
{
    struct percpu *pc = this_cpu();

    pc->timer_period = 0;
    pc->timer_fired = 0;
    write_sysreg(deadline, cntv_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    isb();
}

void timer_start_periodic(uint32_t hz)
{
    struct percpu *pc = this_cpu();
    uint64_t period = timer_freq() / hz;

    write_sysreg(0, cntv_ctl_el0);
    isb();
    pc->timer_ticks = 0;
    pc->timer_period = period ? period : 1;
    write_sysreg(timer_now() + pc->timer_period, cntv_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    isb();
}

void timer_stop(void)
{
    write_sysreg(0, cntv_ctl_el0);
    isb();
    this_cpu()->timer_period = 0;
}

bool wait_irq_cond(wait_cond_t cond, const void *arg, uint64_t timeout_ms)
{
    struct percpu *pc = this_cpu();
    uint64_t daif = read_sysreg(daif);
    uint64_t deadline = timer_now() + timer_ms_to_ticks(timeout_ms);
    bool oneshot = !pc->timer_period;

    if (oneshot) {
        timer_arm_oneshot(deadline);
    }
    /*
     * Check with IRQs masked, then WFI: a pending interrupt wakes WFI even while masked
     * (ARM ARM D1.16.2), so one arriving between the check and the WFI is not slept through.
     */
    irq_mask();
    while (!cond(arg) && timer_now() < deadline) {
        wfi();
        irq_unmask();
        isb();
        irq_mask();
    }
    bool ok = cond(arg);
    if (oneshot) {
        timer_stop();
    }
    write_sysreg(daif, daif);
    isb();
    return ok;
}

bool wait_event_cond(wait_cond_t cond, const void *arg, uint64_t timeout_ms)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(timeout_ms);

    while (!cond(arg)) {
        if (timer_now() >= deadline) {
            return cond(arg);
        }
        wfe(); /* woken by the other CPU's SEV or by the event stream */
    }
    return true;
}

static bool never(const void *arg)
{
    (void)arg;
    return false;
}

void timer_delay_ms(uint64_t ms)
{
    wait_irq_cond(never, NULL, ms);
}

void tg_cpu_init(void)
{
    struct percpu *pc = this_cpu();

    pc->idx = cpu_idx();
    pc->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
    if (!gic_cpu_init()) {
        tg_fatal("cpu %u: no redistributor matches mpidr 0x%lx", pc->idx, pc->mpidr);
    }
    timer_cpu_init();
    irq_unmask();
}
