// SPDX-License-Identifier: MIT
/*
 * Tickless time keeping on the EL1 virtual timer (ARM ARM D11.2.4): CNTV_CVAL_EL0 always
 * holds the earliest pending expiry (timer_program), so the timer interrupts only when a
 * task is due and an idle CPU sleeps in WFI until then. The interrupt's lateness against
 * the programmed compare value is the kernel's timer latency statistic.
 */
#include <rt/console.h>
#include <rt/irq.h>
#include <rt/time.h>

#include "kernel.h"
#include "sysreg.h"

#define EVENT_STREAM_HZ 10000 /* wakes WFE waits (PL011 FIFO full) about every 100 us */
#define EVNTI_MAX       15
#define LOG2_BITS       63

static uint64_t clock_hz;
static rt_time_t clock_boot;
static rt_clock_probe_fn clock_probe;

void rt_clock_set_probe(rt_clock_probe_fn probe)
{
    __atomic_store_n(&clock_probe, probe, __ATOMIC_RELEASE);
}

uint64_t rt_clock_hz(void)
{
    return clock_hz;
}

uint64_t rt_us_to_ticks(uint64_t us)
{
    uint64_t secs = us / RT_US_PER_S;

    if (secs > UINT64_MAX / clock_hz - 1) {
        return UINT64_MAX;
    }
    return secs * clock_hz + (us % RT_US_PER_S) * clock_hz / RT_US_PER_S;
}

uint64_t rt_ticks_to_us(uint64_t ticks)
{
    return ticks / clock_hz * RT_US_PER_S + (ticks % clock_hz) * RT_US_PER_S / clock_hz;
}

uint64_t rt_uptime_us(void)
{
    return rt_ticks_to_us(rt_now() - clock_boot);
}

rt_time_t timeout_to_deadline(uint64_t timeout_us)
{
    if (timeout_us == RT_FOREVER) {
        return RT_TIME_NEVER;
    }
    uint64_t ticks = rt_us_to_ticks(timeout_us);
    rt_time_t now = rt_now();

    return ticks >= RT_TIME_NEVER - now ? RT_TIME_NEVER - 1 : now + ticks;
}

static void clock_irq(uint32_t intid)
{
    rt_time_t now = rt_now();
    struct rt_cpu *cpu = cpu_this();
    rt_time_t cval = read_sysreg(cntv_cval_el0);
    rt_clock_probe_fn probe = __atomic_load_n(&clock_probe, __ATOMIC_ACQUIRE);

    (void)intid;
    if (probe) {
        probe(now, cval);
    }
    cpu->timer_irqs++;
    if (cpu->timer_programmed != RT_TIME_NEVER && now >= cval) {
        uint64_t late = now - cval;
        cpu->timer_lat_sum += late;
        cpu->timer_lat_max = RT_MAX(cpu->timer_lat_max, late);
    }
    timer_expire(cpu, now);
    /* the timer output is a level: move CVAL on now, or irq_dispatch sees it again */
    timer_program(cpu);
}

/* Counter bit n signals an event every 2^(n+1) ticks; pick the fastest not above the rate. */
static uint64_t event_stream_bit(void)
{
    uint64_t ticks = clock_hz / EVENT_STREAM_HZ;
    int log2 = ticks ? LOG2_BITS - __builtin_clzll(ticks) : 0;

    return (uint64_t)RT_MIN(RT_MAX(log2 - 1, 0), EVNTI_MAX);
}

void clock_init(uint32_t timer_intid)
{
    clock_hz = read_sysreg(cntfrq_el0);
    if (!clock_hz) {
        rt_panic("CNTFRQ_EL0 is 0: no counter frequency");
    }
    clock_boot = rt_now();
    write_sysreg(0, cntv_ctl_el0);
    uint64_t kctl = read_sysreg(cntkctl_el1) & ~(CNTKCTL_EVNTI | CNTKCTL_EVNTEN);
    write_sysreg(kctl | FIELD_PREP(CNTKCTL_EVNTI, event_stream_bit()) | CNTKCTL_EVNTEN,
                 cntkctl_el1);
    isb();
    if (irq_register(timer_intid, clock_irq) != RT_OK) {
        rt_panic("cannot register the virtual timer INTID %u", timer_intid);
    }
}
