// SPDX-License-Identifier: MIT
/*
 * Per-pCPU deadlines on the EL2 physical timer CNTHP (ARM DDI 0487 D11.2.4, CNTHP_CTL_EL2 and
 * CNTHP_CVAL_EL2): the one EL2 timer this CPU has (no FEAT_VHE), shared by arch_vcpu_wait's
 * time limit, the emulated EL1 physical timer and the VM's watchdog. Each user has a slot;
 * CNTHP holds the nearest. Slots are written by their own pCPU, except the watchdog's, which
 * any vCPU of its VM may move (a register write): a slot moved earlier from elsewhere sends
 * GIC_SGI_DEADLINE so that its pCPU reprograms; a slot moved later needs nothing, since the
 * earlier expiry finds it not yet due and programs the new nearest. A blocking wait's limit is
 * not cleared when the wait ends: the next wait overwrites it, or it lapses once as a spurious
 * CNTHP interrupt; that keeps CNTHP writes off the end of every blocking IPC call. None of
 * this is on the hypercall fast path or the guest interrupt exits (only CNTHP's PPI and this
 * SGI come here).
 */
#include "deadline.h"

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <drivers/gic.h>

struct deadline_set deadline_sets[MAX_CPUS];

uint64_t arch_counter(void)
{
    isb(); /* not read ahead of earlier instructions (D11.2.2) */
    return sysreg_read(cntpct_el0);
}

uint64_t arch_counter_hz(void)
{
    return sysreg_read(cntfrq_el0) & 0xffffffffu;
}

static struct deadline_set *self(void)
{
    return &deadline_sets[arch_cpu_id_raw()];
}

static void program(struct deadline_set *d)
{
    uint64_t min = ARCH_DEADLINE_NEVER;
    /* deferred slots are due already: during the wait they would only fire again at once */
    unsigned skip = d->in_wait ? d->deferred : 0;

    for (unsigned i = 0; i < ARCH_DEADLINE_COUNT; i++) {
        uint64_t at = __atomic_load_n(&d->at[i], __ATOMIC_ACQUIRE);
        min = at < min && !(skip & (1u << i)) ? at : min;
    }
    if (min == ARCH_DEADLINE_NEVER) {
        sysreg_write(cnthp_ctl_el2, 0);
    } else {
        sysreg_write(cnthp_cval_el2, min);
        sysreg_write(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
    }
    isb();
    d->cnthp = min;
}

void deadline_program(void)
{
    program(self());
}

void deadline_init_cpu(void)
{
    struct deadline_set *d = self();

    for (unsigned i = 0; i < ARCH_DEADLINE_COUNT; i++) {
        __atomic_store_n(&d->at[i], ARCH_DEADLINE_NEVER, __ATOMIC_RELEASE);
    }
    d->in_wait = false;
    d->deferred = 0;
    program(d);
}

void arch_deadline_bind(unsigned cpu, enum arch_deadline_id id, arch_deadline_fn *fn, void *ctx)
{
    if (cpu < MAX_CPUS && id < ARCH_DEADLINE_COUNT) {
        deadline_sets[cpu].fn[id] = fn;
        deadline_sets[cpu].ctx[id] = ctx;
    }
}

void arch_deadline_set(unsigned cpu, enum arch_deadline_id id, uint64_t at)
{
    if (cpu >= MAX_CPUS || id >= ARCH_DEADLINE_COUNT) {
        return;
    }
    struct deadline_set *d = &deadline_sets[cpu];
    uint64_t old = __atomic_exchange_n(&d->at[id], at, __ATOMIC_SEQ_CST);

    if (cpu == arch_cpu_id_raw()) {
        program(d);
    } else if (at < old && cpu < pcpu_count && pcpus[cpu].online) {
        gic_send_sgi(GIC_SGI_DEADLINE, pcpus[cpu].mpidr);
    }
}

void deadline_fire(void)
{
    struct deadline_set *d = self();
    uint64_t now = arch_counter();
    bool can_stop = !d->in_wait;

    sysreg_write(cnthp_ctl_el2, 0);
    d->cnthp = ARCH_DEADLINE_NEVER;
    if (can_stop) {
        d->deferred = 0; /* due: called below */
    }
    for (unsigned i = 0; i < ARCH_DEADLINE_COUNT; i++) {
        uint64_t at = __atomic_load_n(&d->at[i], __ATOMIC_ACQUIRE);
        /* a slot moved meanwhile (another pCPU) is left for program() to see */
        if (at > now || !__atomic_compare_exchange_n(&d->at[i], &at, ARCH_DEADLINE_NEVER, false,
                                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            continue;
        }
        if (d->fn[i] && !d->fn[i](d->ctx[i], can_stop)) {
            /* due again at once: CNTHP fires as soon as the vCPU is back in the guest */
            uint64_t never = ARCH_DEADLINE_NEVER;
            (void)__atomic_compare_exchange_n(&d->at[i], &never, now, false, __ATOMIC_ACQ_REL,
                                              __ATOMIC_ACQUIRE);
            d->deferred |= (uint8_t)(1u << i);
        }
    }
    program(d);
}



void deadline_park(void)
{
    struct deadline_set *d = self();

    d->in_wait = false; /* deferred slots stay due: the idle loop may stop the VM */
    __atomic_store_n(&d->at[ARCH_DEADLINE_WAIT], ARCH_DEADLINE_NEVER, __ATOMIC_RELEASE);
    __atomic_store_n(&d->at[ARCH_DEADLINE_PTIMER], ARCH_DEADLINE_NEVER, __ATOMIC_RELEASE);
    program(d);
}
