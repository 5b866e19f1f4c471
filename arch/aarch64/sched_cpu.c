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
 * limit become its wake_at. The PMU and debug registers are not switched (refused on
 * shared pCPUs, docs/SCHEDULING.md).
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
#include <drivers/gic.h>
#include <lib/string.h>

#include "deadline.h"
#include "rr_slice.h"
#include "trap.h"
#include "vtimer.h"

#define SCHED_THREADS 12 /* vCPUs on shared pCPUs, all pCPUs together */
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
    struct vcpu_hw hw;
};

struct sched_pcpu {
    struct sched_cpu s;
    struct vcpu_ctx *ctx[SCHED_MAX_ENTS]; /* by entity */
    struct vcpu_ctx *cur;  /* whose state the hardware holds; NULL: the idle thread runs */
    struct sched_thread idle;
    uint64_t switches;
};

bool sched_pcpu_shared[MAX_CPUS];
static struct sched_pcpu sched_pcpus[MAX_CPUS];
static struct vcpu_ctx sched_ctxs[SCHED_THREADS];
static unsigned sched_ctx_count;
static uint8_t sched_stacks[SCHED_THREADS][PCPU_STACK_BYTES] __attribute__((aligned(16))) __noclear;
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
    return (struct trap_frame *)(void *)(sched_stacks[c - sched_ctxs] + PCPU_STACK_BYTES -
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

    if (sched_ctx_count >= SCHED_THREADS) {
        hyp_printf("bulkhead: sched: more than %u vCPUs on shared pCPUs: vm %s vcpu %u not "
                   "scheduled", SCHED_THREADS, v->vm->name, v->idx);
        return;
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
    struct sched_pcpu *p = &sched_pcpus[cpu];

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

void arch_sched_init(const struct cfg_scenario *sc)
{
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

    if (v->vm->state != VM_RUNNING || v->state != VCPU_RUNNING) {
        return true; /* it must see that (stop, pause, restart) */
    }
    if (c->done) {
        return c->done(c->arg);
    }
    return vgic_vcpu_pending_work(&v->vm->vgic, v->idx);
}

/* Kicks: vCPUs to start, blocked ones with something to do. */
static void look_for_wakeups(struct sched_pcpu *p, uint64_t now)
{
    for (unsigned e = 0; e < p->s.n; e++) {
        struct vcpu_ctx *c = p->ctx[e];
        struct vcpu *v = c->v;
        uint8_t st = p->s.ent[e].state;

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
        /* the list registers back to the model; the next flush of v refills them */
        vgic_vcpu_reset_hw(&v->vm->vgic, v->idx);
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
    p->cur = to;
    pcpus[cpu].vcpu = to ? to->v : NULL;
    if (to && to->fresh) {
        static const struct vcpu_hw zero; /* nothing of the previous vCPU shows through */
        vcpu_hw_load(&zero);
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
    struct sched_pcpu *p = &sched_pcpus[cpu];
    uint64_t now = arch_counter();

    sched_account(&p->s, now);
    look_for_wakeups(p, now);
    sched_wake_due(&p->s, now);
    unsigned e = sched_pick(&p->s, now);
    struct vcpu_ctx *to = e == SCHED_NONE ? NULL : p->ctx[e];
    struct vcpu_ctx *from = p->cur;

    if (to == from || (!to && cur_waits)) {
        arm_next(p, cpu, now);
        return false;
    }
    swap_hw(p, from, to, cpu);
    arm_next(p, cpu, now);
    sched_thread_switch(from ? &from->th : &p->idle, to ? &to->th : &p->idle);
    return true;
}

/* ------------------------------------------------------------------ entry points */

void sched_thread_main(struct vcpu_ctx *c)
{
    vcpu_enter_fresh(c->v); /* on its own stack; does not return */
}

void sched_event(unsigned cpu)
{
    if (!sched_is_shared(cpu)) {
        return;
    }
    struct sched_pcpu *p = &sched_pcpus[cpu];
    bool waits = p->cur && p->s.ent[p->cur->ent].state == SCHED_BLOCKED;

    (void)resched(cpu, waits);
}

bool sched_block(struct vcpu *v, bool (*done)(void *), void *arg, uint64_t wait_at)
{
    unsigned cpu = v->pcpu;
    struct sched_pcpu *p = &sched_pcpus[cpu];
    struct vcpu_ctx *c = ctx_of(v);

    if (!c) {
        wfi();
        return false;
    }
    c->done = done;
    c->arg = arg;
    c->wait_at = wait_at;
    sched_account(&p->s, arch_counter());
    sched_set_state(&p->s, c->ent, SCHED_BLOCKED, SCHED_NEVER, 0);
    if (resched(cpu, true)) {
        return true;
    }
    wfi();
    return false;
}

void sched_unblock(struct vcpu *v)
{
    struct sched_pcpu *p = &sched_pcpus[v->pcpu];
    struct vcpu_ctx *c = ctx_of(v);

    if (!c || p->s.ent[c->ent].state == SCHED_RUNNABLE) {
        return;
    }
    c->done = NULL;
    c->wait_at = SCHED_NEVER;
    sched_account(&p->s, arch_counter());
    sched_set_state(&p->s, c->ent, SCHED_RUNNABLE, SCHED_NEVER, 0);
    (void)resched(v->pcpu, false);
}

void sched_park(struct vcpu *v)
{
    struct sched_pcpu *p = &sched_pcpus[v->pcpu];
    struct vcpu_ctx *c = ctx_of(v);

    if (!c) {
        return;
    }
    sched_account(&p->s, arch_counter());
    sched_set_state(&p->s, c->ent, SCHED_OFF, SCHED_NEVER, 0);
    c->fresh = true;
    c->done = NULL;
    c->wait_at = SCHED_NEVER;
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

/* ------------------------------------------------------------------ statistics */

bool arch_sched_vcpu_times(const struct vcpu *v, uint64_t *run, uint64_t *wait, uint64_t *thr,
                           uint64_t *throttles)
{
    const struct vcpu_ctx *c = ctx_of(v);

    if (!c) {
        return false;
    }
    const struct sched_ent *e = &sched_pcpus[v->pcpu].s.ent[c->ent];
    *run = __atomic_load_n(&e->run_ticks, __ATOMIC_RELAXED);
    *wait = __atomic_load_n(&e->wait_ticks, __ATOMIC_RELAXED);
    *thr = __atomic_load_n(&e->throttled_ticks, __ATOMIC_RELAXED);
    *throttles = __atomic_load_n(&e->throttles, __ATOMIC_RELAXED);
    return true;
}

bool arch_sched_windows(unsigned cpu, uint64_t *entries, uint64_t *jitter_max_ns,
                        uint64_t *skipped)
{
    if (!sched_is_shared(cpu) || sched_pcpus[cpu].s.policy != SCHED_POLICY_PARTITIONS) {
        return false;
    }
    const struct sched_cpu *s = &sched_pcpus[cpu].s;
    *entries = s->win_entries;
    *jitter_max_ns = arch_ticks_to_ns(s->jitter_max);
    *skipped = s->win_skipped;
    return true;
}
