// SPDX-License-Identifier: MIT
/*
 * Shared pCPUs (docs/SCHEDULING.md): several vCPUs on one physical CPU, chosen by the portable
 * scheduler (core/sched/sched.c) and switched here. Each vCPU of a shared pCPU is an EL2
 * thread with its own stack (its trap frame at the top), so it can be switched out wherever
 * EL2 waits for it and resumed there:
 * - it goes idle (trapped WFI) or blocks (IPC, pause): sched_block, from arch_vcpu_idle and
 *   arch_vcpu_wait, instead of their WFI;
 * - a scheduler event: the pCPU's ARCH_DEADLINE_SCHED slot (budget gone, replenishment,
 *   window end, a descheduled vCPU's timer) or a GIC_SGI_SCHED kick, handled in irq.c after
 *   the interrupt is deactivated: sched_event.
 * Other pCPUs never touch this state: they kick (a shared pCPU's kick_sgi1r sends
 * GIC_SGI_SCHED instead of GIC_SGI_KICK) and the pCPU looks for what woke.
 *
 * What a switch saves and restores (vcpu_switch.c): EL1 system registers, FP/SIMD, the
 * virtual timer (CNTV_CTL/CVAL; CNTVOFF stays 0: guest time is the counter's, it keeps
 * running while the vCPU is out), the physical active state of its timer PPI, the GIC virtual
 * interface (VMCR, APRs, ICH_HCR; the list registers go back to the vGIC model and are
 * refilled by the next flush), HCR_EL2, VMPIDR_EL2, VTTBR_EL2 (VMIDs are unique per VM: no
 * TLB maintenance). A descheduled vCPU's timers (virtual and emulated physical) and wait
 * limit become its wake_at. The PMU and debug registers are switched only for guests that
 * touched them (Linux does at boot; every access traps, so it is known).
 */
#include "sched_cpu.h"

#include <arch/cpu.h>
#include <arch/deadline.h>
#include <arch/frame.h>
#include <arch/sysreg.h>
#include <arch/vgic_hw.h>
#include <core/hyp.h>
#include <core/sched/sched.h>
#include <core/vm/vm.h>
#include <core/vm/vm_ram.h>
#include <drivers/gic.h>
#include <lib/string.h>

#include "deadline.h"
#include "pmu.h"
#include "rr_slice.h"
#include "trap.h"
#include "vtimer.h"

#define SCHED_QUANTUM_US 1000u

struct sched_thread {
    uint64_t regs[12]; /* x19-x30 */
    uint64_t sp;
    uint64_t elr, spsr, esr, far, hpfar; /* of the trap the thread is in (sched_switch.S) */
};


struct vcpu_ctx {
    struct sched_thread th;
    struct vcpu *v;
    uint8_t ent;           /* its index in the pCPU's struct sched_cpu */
    bool fresh;            /* its thread starts at sched_thread_main */
    bool in_wait;          /* the deadline set's in_wait as it was switched out */
    bool (*done)(void *);  /* a blocking wait's condition (NULL: a WFI) */
    void *arg;
    uint64_t wait_at;      /* the wait's time limit, ticks */
    bool marked;           /* in a guest wait (sched_block .. sched_unblock): ready_mark holds */
    uint64_t ready_mark;   /* its waiting + throttled ticks when that wait began */
    struct vcpu_hw hw;
};

struct sched_pcpu {
    struct sched_cpu s;
    struct vcpu_ctx *ctx[SCHED_MAX_ENTS]; /* by entity */
    struct vcpu_ctx *cur;  /* whose state the hardware holds; NULL: the idle thread runs */
    struct sched_thread idle;
    uint64_t switches;
    uint64_t drops;        /* vCPUs parked while switched out (ctx_drop) */
    /* CONFIG_BENCH: EL2 instructions of decisions and of vCPU-to-vCPU switches */
    uint64_t bench_decide_insns, bench_decisions;
    uint64_t bench_switch_insns, bench_switches, bench_switch_at;
};

bool sched_pcpu_shared[MAX_CPUS];

void arch_kick_self(unsigned cpu)
{
    if (cpu < MAX_CPUS && sched_pcpu_shared[cpu]) {
        gic_send_sgi_value(pcpus[cpu].kick_sgi1r);
    }
}
/*
 * Carved from RAM at boot for the shared pCPUs the scenario has (vm_ram_alloc, mapped at EL2
 * like all RAM), not static data: a scenario without them pays nothing, and the number of
 * threads is that of the scenario's vCPUs on shared pCPUs.
 */
static struct sched_pcpu *sched_pcpus[MAX_CPUS]; /* NULL: exclusive */
static struct vcpu_ctx *sched_ctxs;
static unsigned sched_ctx_count, sched_ctx_max;
static uint8_t *sched_stacks; /* sched_ctx_max stacks of PCPU_STACK_BYTES */
/* vm id, vCPU index -> context + 1 (0: exclusive) */
static uint8_t sched_ctx_of[VM_MAX][VCPU_MAX];

void sched_thread_switch(struct sched_thread *from, struct sched_thread *to);
void sched_thread_entry(void);
void sched_thread_main(struct vcpu_ctx *c);

static struct vcpu_ctx *ctx_of(const struct vcpu *v)
{
    if (v->vm == NULL) {
        return NULL; /* a vCPU of a VM refused before its vCPUs were set up */
    }
    unsigned k = sched_ctx_of[v->vm->id][v->idx];

    return k ? &sched_ctxs[k - 1] : NULL;
}

struct trap_frame *sched_vcpu_frame(struct vcpu *v)
{
    struct vcpu_ctx *c = ctx_of(v);

    if (!c) {
        return pcpu_frame(v->pcpu);
    }
    return (struct trap_frame *)(void *)(sched_stacks + (size_t)(c - sched_ctxs + 1) *
                                         PCPU_STACK_BYTES -
                                         sizeof(struct trap_frame));
}

static uint64_t us_to_ticks(uint64_t us)
{
    return us * arch_counter_hz() / 1000000u;
}

/* ------------------------------------------------------------------ set-up (boot) */

static void add_vcpu(struct sched_pcpu *p, struct vcpu *v)
{
    const struct cfg_vm *cfg = v->vm->cfg;
    uint64_t now = arch_counter();

    if (sched_ctx_count >= sched_ctx_max) {
        return; /* counted by arch_sched_init: not reached */
    }
    unsigned e = sched_add(&p->s, v->vm->id, cfg->priority, us_to_ticks(cfg->budget_us),
                           us_to_ticks(cfg->period_us), now);
    if (e == SCHED_NONE) {
        hyp_printf("bulkhead: sched: cpu %u takes at most %u vCPUs: vm %s vcpu %u not scheduled",
                   v->pcpu, SCHED_MAX_ENTS, v->vm->name, v->idx);
        return;
    }
    struct vcpu_ctx *c = &sched_ctxs[sched_ctx_count++];
    memset(c, 0, sizeof(*c));
    c->v = v;
    c->ent = (uint8_t)e;
    c->fresh = true;
    p->ctx[e] = c;
    sched_ctx_of[v->vm->id][v->idx] = (uint8_t)sched_ctx_count;
}

static void setup_cpu(unsigned cpu, const struct cfg_sched_cpu *cs)
{
    struct sched_pcpu *p = sched_pcpus[cpu];

    sched_cpu_init(&p->s, cs->policy, us_to_ticks(SCHED_QUANTUM_US), arch_counter());
    for (uint32_t w = 0; w < cs->window_count; w++) {
        (void)sched_add_window(&p->s, vms[cs->windows[w].vm].id, us_to_ticks(cs->windows[w].len_us));
    }
    for (unsigned i = 0; i < vm_count; i++) {
        for (unsigned k = 0; vms[i].cfg && k < vms[i].nr_vcpus; k++) {
            if (vms[i].vcpus[k].pcpu == cpu) {
                add_vcpu(p, &vms[i].vcpus[k]);
            }
        }
    }
    pcpus[cpu].vcpu = NULL; /* whoever runs; the idle loop starts them */
    pcpus[cpu].kick_sgi1r = gic_sgi_value(GIC_SGI_SCHED, pcpus[cpu].mpidr);
    sched_pcpu_shared[cpu] = true;
    hyp_printf("bulkhead: sched cpu %u policy %s vcpus %u", cpu,
               cs->policy == CFG_SCHED_PARTITIONS ? "partitions" : "priority", p->s.n);
}

static bool sched_due(void *ctx, bool can_stop)
{
    (void)ctx, (void)can_stop;
    return true; /* the decision follows in sched_event, once the interrupt is deactivated */
}

/* vCPUs of built VMs on pCPU cpu. */
static unsigned vcpus_on(unsigned cpu)
{
    unsigned n = 0;

    for (unsigned i = 0; i < vm_count; i++) {
        for (unsigned k = 0; vms[i].cfg && k < vms[i].nr_vcpus; k++) {
            n += vms[i].vcpus[k].pcpu == cpu;
        }
    }
    return n;
}

/* The threads, stacks and schedulers of the shared pCPUs, from RAM (zeroed). */
static bool carve(const struct cfg_scenario *sc)
{
    unsigned npcpu = 0, nthr = 0;

    for (unsigned cpu = 0; cpu < pcpu_count && cpu < CFG_MAX_VCPUS; cpu++) {
        if (cfg_sched_is_shared(sc, cpu)) {
            unsigned n = vcpus_on(cpu);
            npcpu++;
            nthr += n < SCHED_MAX_ENTS ? n : SCHED_MAX_ENTS;
        }
    }
    if (npcpu == 0) {
        return true;
    }
    uint64_t stacks = (uint64_t)nthr * PCPU_STACK_BYTES;
    uint64_t ctxs = ((uint64_t)nthr * sizeof(struct vcpu_ctx) + 15) & ~UINT64_C(15);
    uint64_t size = stacks + ctxs + (uint64_t)npcpu * sizeof(struct sched_pcpu);
    uint8_t *base = (uint8_t *)(uintptr_t)vm_ram_alloc(size);
    if (!base) {
        hyp_printf("bulkhead: sched: no RAM for %u vCPU threads (%llu bytes): shared pCPUs "
                   "not started", nthr, (unsigned long long)size);
        return false;
    }
    memset(base, 0, (size_t)size);
    sched_stacks = base;
    sched_ctxs = (struct vcpu_ctx *)(void *)(base + stacks);
    sched_ctx_max = nthr;
    struct sched_pcpu *p = (struct sched_pcpu *)(void *)(base + stacks + ctxs);
    for (unsigned cpu = 0; cpu < pcpu_count && cpu < CFG_MAX_VCPUS; cpu++) {
        if (cfg_sched_is_shared(sc, cpu)) {
            sched_pcpus[cpu] = p++;
        }
    }
    return true;
}

/* No RAM for the threads: the VMs on shared pCPUs cannot run (refused, with their record). */
static void refuse_shared(const struct cfg_scenario *sc)
{
    for (unsigned i = 0; i < vm_count; i++) {
        for (unsigned k = 0; vms[i].cfg && k < vms[i].nr_vcpus; k++) {
            if (cfg_sched_is_shared(sc, vms[i].vcpus[k].pcpu) && vms[i].state == VM_STOPPED) {
                vms[i].state = VM_REFUSED;
                hyp_printf("bulkhead: vm %s not started: no RAM for its vCPU threads",
                           vms[i].name);
                vm_event(&vms[i], "refused", "reason=\"no RAM for vCPU threads\" "
                         "action=refuse");
            }
        }
    }
}

void arch_sched_init(const struct cfg_scenario *sc)
{
    if (!carve(sc)) {
        refuse_shared(sc);
        return;
    }
    for (unsigned cpu = 0; cpu < pcpu_count && cpu < CFG_MAX_VCPUS; cpu++) {
        if (cfg_sched_is_shared(sc, cpu)) {
            setup_cpu(cpu, &sc->sched[cpu]);
            arch_deadline_bind(cpu, ARCH_DEADLINE_SCHED, sched_due, NULL);
        }
    }
}

/* ------------------------------------------------------------------ decisions */

/* Whether the blocked (and switched-out) vCPU of c has a reason to run again. */
static bool ctx_wakes(const struct vcpu_ctx *c)
{
    struct vcpu *v = c->v;

    if (!vm_takes_input(v->vm) || v->state != VCPU_RUNNING) {
        return true; /* it must see that (look_for_wakeups parks it first) */
    }
    if (c->done) {
        return c->done(c->arg); /* the pause's hold too: until the resume */
    }
    if (v->vm->state != VM_RUNNING) {
        return true; /* paused in a WFI: to its hold */
    }
    return vgic_vcpu_pending_work(&v->vm->vgic, v->idx);
}

/*
 * Whether the switched-out vCPU of c must leave the pCPU for good: its VM is stopping (or
 * stopped, restarted meanwhile) or it was turned off. Not yet started (fresh): unless it is
 * still to be started in a running VM.
 */
static bool ctx_must_leave(const struct vcpu_ctx *c)
{
    const struct vcpu *v = c->v;
    enum vcpu_state vs = v->state;

    if (c->fresh) {
        return vs != VCPU_ON_PENDING || v->vm->state != VM_RUNNING;
    }
    return !vm_takes_input(v->vm) || vs != VCPU_RUNNING;
}

/*
 * Park the switched-out vCPU of c without running it (what arch_vcpu_park does for a running
 * one): a VM stopped while its vCPU waits for a pCPU held by a higher priority, or throttled,
 * must not wait for its turn (the stopping pCPU waits for VCPU_OFF). Its saved state is
 * dropped: its timers and list registers were put away at the switch-out, its IPC waits are
 * undone by the stop (vm_ipc_vm_reset), and its thread starts afresh on its next start.
 */
static void ctx_drop(struct sched_pcpu *p, struct vcpu_ctx *c, uint64_t now)
{
    struct vcpu *v = c->v;
    bool was_fresh = c->fresh;

    sched_set_state(&p->s, c->ent, SCHED_OFF, SCHED_NEVER, now);
    c->fresh = true;
    c->in_wait = false;
    c->done = NULL;
    c->wait_at = SCHED_NEVER;
    c->marked = false;
    if (was_fresh) {
        return; /* it never ran: the stop turned it off already */
    }
    if (v->on_since) {
        v->on_ticks += arch_ticks() - v->on_since; /* statistics (vm_vcpu_times) */
        v->on_since = 0;
    }
    __atomic_store_n(&v->wait_kind, VCPU_WAIT_NONE, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_RELEASE); /* all of the above before it reads VCPU_OFF */
    if (v->state == VCPU_RUNNING) {
        v->state = VCPU_OFF; /* nobody else moves it from RUNNING while we are here */
    }
    p->drops++;
    arch_wake_all(); /* the stopping pCPU waits (WFE) for this */
}

/* Kicks: vCPUs to start, blocked ones with something to do, switched-out ones to park. */
static void look_for_wakeups(struct sched_pcpu *p, uint64_t now)
{
    for (unsigned e = 0; e < p->s.n; e++) {
        struct vcpu_ctx *c = p->ctx[e];
        struct vcpu *v = c->v;
        uint8_t st = p->s.ent[e].state;

        if (st != SCHED_OFF && c != p->cur && ctx_must_leave(c)) {
            ctx_drop(p, c, now);
            st = SCHED_OFF;
        }
        if (st == SCHED_OFF && v->state == VCPU_ON_PENDING && v->vm->state == VM_RUNNING) {
            c->fresh = true;
            sched_set_state(&p->s, e, SCHED_RUNNABLE, SCHED_NEVER, now);
        } else if (st == SCHED_BLOCKED && c != p->cur && ctx_wakes(c)) {
            sched_set_state(&p->s, e, SCHED_RUNNABLE, SCHED_NEVER, now);
        }
    }
}

static void thread_init_fresh(struct vcpu_ctx *c)
{
    memset(&c->th, 0, sizeof(c->th));
    c->th.regs[0] = (uint64_t)(uintptr_t)c;               /* x19: sched_thread_main's c */
    c->th.regs[11] = (uint64_t)(uintptr_t)sched_thread_entry; /* x30 */
    c->th.sp = (uint64_t)(uintptr_t)sched_vcpu_frame(c->v);
}

/* The hardware state of the vCPU going out (from) and the one coming in (to). */
static void swap_hw(struct sched_pcpu *p, struct vcpu_ctx *from, struct vcpu_ctx *to,
                    unsigned cpu)
{
    struct deadline_set *d = &deadline_sets[cpu];

    if (from) {
        struct vcpu *v = from->v;
        vcpu_hw_save(&from->hw);
        /* the list registers back to the model; the next flush of v refills them. An idle v
         * with empty LRs is not marked: it would read as a wake-up with nothing to do */
        if (p->s.ent[from->ent].state == SCHED_BLOCKED) {
            vgic_vcpu_switch_out(&v->vm->vgic, v->idx);
        } else {
            vgic_vcpu_reset_hw(&v->vm->vgic, v->idx);
        }
        from->in_wait = d->in_wait;
        d->in_wait = false;
        if (p->s.ent[from->ent].state == SCHED_BLOCKED) {
            uint64_t at = vcpu_hw_timer_at(&from->hw);
            uint64_t pt = (v->ptimer.ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) == CNT_CTL_ENABLE ?
                          v->ptimer.cval : SCHED_NEVER;
            at = pt < at ? pt : at;
            p->s.ent[from->ent].wake_at = from->wait_at < at ? from->wait_at : at;
        }
        __atomic_store_n(&d->at[ARCH_DEADLINE_PTIMER], ARCH_DEADLINE_NEVER, __ATOMIC_RELEASE);
        __atomic_store_n(&d->at[ARCH_DEADLINE_WAIT], ARCH_DEADLINE_NEVER, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&p->cur, to, __ATOMIC_RELAXED);
    /* before the resumed thread reads its VM's state (arch_vcpu_is_switched_out) */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    pcpus[cpu].vcpu = to ? to->v : NULL;
    if (to && to->fresh) {
        static const struct vcpu_hw zero; /* nothing of the previous vCPU shows through */
        vcpu_hw_load(&zero);
        memset(to->hw.fp, 0, sizeof(to->hw.fp)); /* what its first FP/SIMD use loads */
        to->hw.fp_live = false;
        thread_init_fresh(to);
        to->fresh = false;
    } else if (to) {
        vcpu_hw_load(&to->hw);
        d->in_wait = to->in_wait;
        if (!to->in_wait) {
            vtimer_ptimer_update(to->v);
        }
        rr_slice_resume(cpu);
    }
    p->switches++;
}

static void arm_next(struct sched_pcpu *p, unsigned cpu, uint64_t now)
{
    arch_deadline_set(cpu, ARCH_DEADLINE_SCHED, sched_next_event(&p->s, now));
}

/*
 * Decide and switch. cur_waits: the calling thread is a blocked vCPU that can sleep in its own
 * loop (returns false rather than going to the idle thread). Returns true after a switch
 * (the caller's thread ran again later).
 */
static bool resched(unsigned cpu, bool cur_waits)
{
    struct sched_pcpu *p = sched_pcpus[cpu];
    uint64_t t0 = IS_ENABLED(CONFIG_BENCH) ? pmu_el2_insns() : 0;
    uint64_t now = arch_counter();

    sched_account(&p->s, now);
    look_for_wakeups(p, now);
    sched_wake_due(&p->s, now);
    unsigned e = sched_pick(&p->s, now);
    struct vcpu_ctx *to = e == SCHED_NONE ? NULL : p->ctx[e];
    struct vcpu_ctx *from = p->cur;

    if (to == from || (!to && cur_waits)) {
        arm_next(p, cpu, now);
        if (IS_ENABLED(CONFIG_BENCH)) {
            p->bench_decide_insns += pmu_el2_insns() - t0;
            p->bench_decisions++;
        }
        return false;
    }
    if (IS_ENABLED(CONFIG_BENCH) && from && to && !to->fresh) {
        /* make bench (docs/PERFORMANCE.md): a decision, then a switch between two vCPUs,
         * counted up to where the vCPU coming in resumes (below, on its own stack) */
        uint64_t t1 = pmu_el2_insns();
        p->bench_decide_insns += t1 - t0;
        p->bench_decisions++;
        p->bench_switch_at = t1;
    }
    swap_hw(p, from, to, cpu);
    arm_next(p, cpu, now);
    sched_thread_switch(from ? &from->th : &p->idle, to ? &to->th : &p->idle);
    if (IS_ENABLED(CONFIG_BENCH) && p->bench_switch_at) {
        p->bench_switch_insns += pmu_el2_insns() - p->bench_switch_at;
        p->bench_switches++;
        p->bench_switch_at = 0;
    }
    return true;
}

/* ------------------------------------------------------------------ entry points */

bool sched_fp_trap(struct vcpu *v)
{
    unsigned cpu = arch_cpu_id();

    if (!sched_is_shared(cpu)) {
        return false;
    }
    struct vcpu_ctx *c = sched_pcpus[cpu]->cur;
    if (!c || c->v != v || c->hw.fp_live) {
        return false;
    }
    vcpu_hw_fp_in(&c->hw);
    return true;
}

void sched_thread_main(struct vcpu_ctx *c)
{
    vcpu_enter_fresh(c->v); /* on its own stack; does not return */
}

void sched_event(unsigned cpu)
{
    if (!sched_is_shared(cpu)) {
        return;
    }
    struct sched_pcpu *p = sched_pcpus[cpu];
    bool waits = p->cur && p->s.ent[p->cur->ent].state == SCHED_BLOCKED;

    (void)resched(cpu, waits);
}

bool sched_block(struct vcpu *v, bool (*done)(void *), void *arg, uint64_t wait_at)
{
    unsigned cpu = v->pcpu;
    struct sched_pcpu *p = sched_pcpus[cpu];
    struct vcpu_ctx *c = ctx_of(v);

    if (!c) {
        wfi();
        return false;
    }
    c->done = done;
    c->arg = arg;
    c->wait_at = wait_at;
    if (!c->marked) {
        /* the guest wait's first block: from here its time runnable without the pCPU
         * (woken, behind a higher priority or throttled) is waiting, not idle (sched_unblock) */
        const struct sched_ent *e = &p->s.ent[c->ent];
        c->ready_mark = e->wait_ticks + e->throttled_ticks;
        __atomic_store_n(&c->marked, true, __ATOMIC_RELEASE);
    }
    sched_account(&p->s, arch_counter());
    sched_set_state(&p->s, c->ent, SCHED_BLOCKED, SCHED_NEVER, 0);
    if (resched(cpu, true)) {
        return true;
    }
    wfi();
    return false;
}

uint64_t sched_unblock(struct vcpu *v)
{
    struct sched_pcpu *p = sched_pcpus[v->pcpu];
    struct vcpu_ctx *c = ctx_of(v);
    uint64_t ready = 0;

    if (!c) {
        return 0;
    }
    if (c->marked) {
        /* v runs (its pCPU holds it): its waiting and throttled ticks are settled */
        const struct sched_ent *e = &p->s.ent[c->ent];
        uint64_t now = e->wait_ticks + e->throttled_ticks;
        ready = now > c->ready_mark ? now - c->ready_mark : 0;
        __atomic_store_n(&c->marked, false, __ATOMIC_RELEASE);
    }
    if (p->s.ent[c->ent].state == SCHED_RUNNABLE) {
        return ready;
    }
    c->done = NULL;
    c->wait_at = SCHED_NEVER;
    sched_account(&p->s, arch_counter());
    sched_set_state(&p->s, c->ent, SCHED_RUNNABLE, SCHED_NEVER, 0);
    (void)resched(v->pcpu, false);
    return ready;
}

void sched_park(struct vcpu *v)
{
    struct sched_pcpu *p = sched_pcpus[v->pcpu];
    struct vcpu_ctx *c = ctx_of(v);

    if (!c) {
        return;
    }
    sched_account(&p->s, arch_counter());
    sched_set_state(&p->s, c->ent, SCHED_OFF, SCHED_NEVER, 0);
    c->fresh = true;
    c->done = NULL;
    c->wait_at = SCHED_NEVER;
    c->marked = false;
    /* the next vCPU's switch-in (vcpu_hw_load) expects the PMU and debug registers in their
     * reset state, as a switch-out leaves them */
    vpmu_reset_cpu();
    vdebug_reset_cpu();
    /* its state is gone (the caller reset it): nothing to save; the idle loop restarts on
     * the pCPU stack (pcpu_idle) and decides who runs next */
    p->cur = NULL;
    pcpus[v->pcpu].vcpu = NULL;
}

void sched_idle_loop(unsigned cpu)
{
    for (;;) {
        (void)resched(cpu, false);
        wfi();
        irq_poll(NULL);
    }
}

bool arch_vcpu_is_switched_out(const struct vcpu *v)
{
    const struct vcpu_ctx *c = ctx_of(v);

    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* after the caller's VM state store */
    return c && __atomic_load_n(&sched_pcpus[v->pcpu]->cur, __ATOMIC_RELAXED) != c;
}

/* ------------------------------------------------------------------ statistics */

bool arch_sched_vcpu_times(const struct vcpu *v, struct arch_sched_vcpu_stats *st)
{
    const struct vcpu_ctx *c = ctx_of(v);

    if (!c) {
        return false;
    }
    struct sched_times t;
    bool marked = __atomic_load_n(&c->marked, __ATOMIC_ACQUIRE);
    uint64_t mark = __atomic_load_n(&c->ready_mark, __ATOMIC_RELAXED);

    sched_ent_times(&sched_pcpus[v->pcpu]->s, c->ent, arch_counter(), &t);
    *st = (struct arch_sched_vcpu_stats){
        .run = t.run,
        .wait = t.wait,
        .throttled = t.throttled,
        .throttles = t.throttles,
        .preemptions = t.preemptions,
        .ready_in_wait = marked && t.wait + t.throttled > mark ? t.wait + t.throttled - mark : 0,
    };
    return true;
}

bool arch_sched_cpu_stats(unsigned cpu, struct arch_sched_stats *st)
{
    if (!sched_is_shared(cpu)) {
        return false;
    }
    const struct sched_pcpu *p = sched_pcpus[cpu];
    const struct sched_cpu *s = &p->s;
    *st = (struct arch_sched_stats){
        .partitions = s->policy == SCHED_POLICY_PARTITIONS,
        .switches = __atomic_load_n(&p->switches, __ATOMIC_RELAXED),
        .windows = __atomic_load_n(&s->win_entries, __ATOMIC_RELAXED),
        .skipped = __atomic_load_n(&s->win_skipped, __ATOMIC_RELAXED),
        .jitter_max_ns = arch_ticks_to_ns(__atomic_load_n(&s->jitter_max, __ATOMIC_RELAXED)),
        .parked = __atomic_load_n(&p->drops, __ATOMIC_RELAXED),
        .bench_decide_insns = p->bench_decide_insns,
        .bench_decisions = p->bench_decisions,
        .bench_switch_insns = p->bench_switch_insns,
        .bench_switches = p->bench_switches,
    };
    uint64_t sum = __atomic_load_n(&s->jitter_sum, __ATOMIC_RELAXED);
    st->jitter_avg_ns = st->windows ? arch_ticks_to_ns(sum / st->windows) : 0;
    return true;
}
