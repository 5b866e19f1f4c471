// SPDX-License-Identifier: MIT
/*
 * VM lifecycle: start, stop and restart, event records and statistics. A stop pulls every
 * vCPU of the VM out of the guest (a kick makes each pCPU notice on its way back into the
 * guest) before the VM's memory is reloaded, so a restart never races with a running vCPU.
 * The last VM to stop powers the platform off (exactly one, even when several stop at once).
 */
#include <core/vm/vm.h>

#include <stdarg.h>

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <core/console.h>
#include <core/hyp.h>
#include <core/vm/vm_build.h>
#include <core/vm/vm_fault.h>
#include <core/vm/vm_net.h>
#include <core/vm/vm_power.h>
#include <core/vm/vm_vcons.h>
#include <core/ipc/vm_ipc.h>
#include <lib/fmt.h>

struct vm vms[VM_MAX];
unsigned vm_count;
static struct evt_ring evt_ring;
static struct spinlock evt_lock = SPINLOCK_INIT;

/* The record on the console and in the event log (structured: kind and fields apart). */
static void evt_emit(struct vm *vm, const char *kind, const char *text)
{
    uint64_t now = arch_now_ns();

    if (text[0]) {
        console_printf("EVT vm=%s kind=%s %s\n", vm->name, kind, text);
    } else {
        console_printf("EVT vm=%s kind=%s\n", vm->name, kind);
    }
    spin_lock(&evt_lock);
    evt_ring_push(&evt_ring, now, vm->id, kind, text);
    spin_unlock(&evt_lock);
}

bool vm_event_read(uint64_t *cursor, struct evt_record *out, uint64_t *missed)
{
    spin_lock(&evt_lock);
    bool ok = evt_ring_read(&evt_ring, cursor, out, missed);
    spin_unlock(&evt_lock);
    return ok;
}

uint64_t vm_event_next(void)
{
    return __atomic_load_n(&evt_ring.next_seq, __ATOMIC_RELAXED);
}

/* At most this many evt_dropped reports go out ahead of one record (the rest follow later
 * records, or the stop: nothing is lost, the counts only wait). */
#define EVT_DROP_REPORTS_MAX 4

struct drop_report {
    enum evt_kind kind;
    uint32_t count;
};

static void emit_drop_reports(struct vm *vm, const struct drop_report *r, unsigned n)
{
    char text[EVT_TEXT_MAX];

    for (unsigned i = 0; i < n; i++) {
        bh_snprintf(text, sizeof(text), "count=%u dropped_kind=%s", r[i].count,
                    evt_kind_name(r[i].kind));
        evt_emit(vm, "evt_dropped", text);
    }
}

/* Drops owed for other kinds whose buckets have a token again (force: all), under evt_lock. */
static unsigned collect_drops_locked(struct vm *vm, uint64_t now, bool force,
                                     struct drop_report *r, unsigned n, unsigned max)
{
    while (n < max && evt_limiter_next_drop(&vm->evt_limit, now, force, &r[n].kind,
                                            &r[n].count)) {
        n++;
    }
    return n;
}

static void vm_vevent(struct vm *vm, const char *kind, bool always, const char *fmt,
                      va_list ap)
{
    struct drop_report drops[EVT_DROP_REPORTS_MAX];
    enum evt_kind k = evt_kind_of(kind);
    char text[EVT_TEXT_MAX];
    uint64_t now = arch_now_ns();
    uint32_t dropped = 0;
    unsigned n = 0;

    spin_lock(&evt_lock);
    vm->stats.events++; /* under evt_lock: any vCPU, any pCPU */
    bool ok = evt_limiter_take(&vm->evt_limit, k, always, now, &dropped);
    if (ok) {
        if (dropped) {
            drops[n++] = (struct drop_report){ .kind = k, .count = dropped };
        }
        n = collect_drops_locked(vm, now, false, drops, n, EVT_DROP_REPORTS_MAX);
    }
    if (!ok) {
        vm->stats.events_dropped++;
    }
    spin_unlock(&evt_lock);
    if (!ok) {
        return;
    }
    emit_drop_reports(vm, drops, n);
    if (bh_vsnprintf(text, sizeof(text), fmt, ap) < 0) {
        text[0] = '\0';
    }
    evt_emit(vm, kind, text);
}

void vm_event(struct vm *vm, const char *kind, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vm_vevent(vm, kind, false, fmt, ap);
    va_end(ap);
}

void vm_event_always(struct vm *vm, const char *kind, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vm_vevent(vm, kind, true, fmt, ap);
    va_end(ap);
}

/* Every drop still owed, reported now whatever the buckets say (the VM stops or restarts:
 * bounded by the number of kinds). */
static void vm_event_flush_drops(struct vm *vm)
{
    struct drop_report drops[EVT_KIND_COUNT];
    unsigned n;

    spin_lock(&evt_lock);
    n = collect_drops_locked(vm, arch_now_ns(), true, drops, 0, EVT_KIND_COUNT);
    spin_unlock(&evt_lock);
    emit_drop_reports(vm, drops, n);
}

void vm_start(struct vm *vm)
{
    spin_lock(&vm->lock);
    vm->state = VM_RUNNING;
    vm->started_ns = arch_now_ns();
    vm->shutdown_deadline_ns = 0;
    vm->stats.starts++;
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        vm->vcpus[i].injected_pc = VM_FAULT_NO_PC; /* nothing injected in this run yet */
    }
    vm->vcpus[0].entry = vm->entry_ipa;
    vm->vcpus[0].ctx_id = vm->dtb_ipa; /* x0 at entry: the boot protocol's device tree */
    vm->vcpus[0].entry_be = false;
    vm->vcpus[0].state = VCPU_ON_PENDING;
    spin_unlock(&vm->lock);
    hyp_printf("bulkhead: vm %s started", vm->name);
    vm_event(vm, "start", "vcpus=%u mem=0x%llx", vm->nr_vcpus,
             (unsigned long long)vm->mem_size);
    arch_wake_all();
    arch_kick(vm->vcpus[0].pcpu);
}

/* Kick every other vCPU out of the guest and wait (WFE) until each has parked. */
static void vm_pull_vcpus(struct vm *vm)
{
    unsigned self = arch_cpu_id();

    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        struct vcpu *v = &vm->vcpus[i];
        if (v->state == VCPU_ON_PENDING) {
            v->state = VCPU_OFF;
        }
        if (v->pcpu == self) {
            v->state = VCPU_OFF;
        } else if (v->state == VCPU_RUNNING) {
            arch_kick(v->pcpu);
        }
    }
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        while (vm->vcpus[i].state == VCPU_RUNNING) {
            wfe();
        }
    }
}

static bool any_vm_alive(void)
{
    for (unsigned i = 0; i < vm_count; i++) {
        if (vm_is_alive(&vms[i])) {
            return true;
        }
    }
    return false;
}

/*
 * The caller just marked its VM stopped: is it the one that powers the platform off? Two VMs
 * stopping at once may both find nobody alive (or, with the stores still in flight, neither
 * might): the full barrier makes the later of the two see both stores, and the exchange lets
 * exactly one of those that see them through.
 */
static bool vm_is_last_to_stop(void)
{
    static bool powering_off;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return !any_vm_alive() && !__atomic_exchange_n(&powering_off, true, __ATOMIC_SEQ_CST);
}

/*
 * A guest that faults (or resets) in a loop would otherwise restart at full speed forever,
 * printing markers each time: past VM_RESTART_MAX restarts in a window it is stopped.
 */
static bool vm_restart_allowed(struct vm *vm)
{
    uint64_t now = arch_now_ns();

    if (now - vm->restart_window_ns > VM_RESTART_WINDOW_NS) {
        vm->restart_window_ns = now;
        vm->restart_count = 0;
    }
    return ++vm->restart_count <= VM_RESTART_MAX;
}

void vm_stop(struct vm *vm, const char *reason, bool restart)
{
    spin_lock(&vm->lock);
    if (vm->state != VM_RUNNING && vm->state != VM_PAUSED) {
        spin_unlock(&vm->lock);
        return; /* somebody else is already stopping it */
    }
    vm->state = VM_STOPPING;
    spin_unlock(&vm->lock);

    vm_pull_vcpus(vm);
    vm_ipc_vm_reset(vm);
    console_vm_flush(vm->id);
    hyp_printf("bulkhead: vm %s stopped (%s)", vm->name, reason);
    vm_event_flush_drops(vm);
    vm_power_stopped(vm, reason);
    bool restart_refused = false;
    if (restart && !vm_restart_allowed(vm)) {
        restart = false;
        restart_refused = true;
        /* Once per VM (it stays stopped): a lifecycle record, never dropped (event.h). */
        hyp_printf("bulkhead: vm %s restart limit reached (%u in %llu ms): not restarted",
                   vm->name, (unsigned)VM_RESTART_MAX,
                   (unsigned long long)(VM_RESTART_WINDOW_NS / 1000000));
        vm_event(vm, "restart_limit", "restarts=%u window_ms=%llu action=stop",
                 (unsigned)VM_RESTART_MAX,
                 (unsigned long long)(VM_RESTART_WINDOW_NS / 1000000));
    }
    vm_event(vm, restart ? "restart" : "stop", "reason=%s", reason);
    if (restart) {
        vm->stats.restarts++;
        vm_reload(vm);
        vm_start(vm);
        return;
    }
    if (vm_stop_is_failure(reason, restart_refused)) {
        vm_failover(vm, restart_refused ? "restart_limit" : reason); /* before STOPPED */
    }
    vm->state = VM_STOPPED;
    if (vm_is_last_to_stop()) {
        vm_print_stats();
        hyp_printf("bulkhead: powering off");
        arch_power_off();
    }
}

static const char *const state_names[] = {
    [VM_UNUSED] = "unused", [VM_REFUSED] = "refused", [VM_RUNNING] = "running",
    [VM_STOPPING] = "stopping", [VM_STOPPED] = "stopped", [VM_DEFINED] = "defined",
    [VM_PAUSED] = "paused",
};

const char *vm_state_name(enum vm_state s)
{
    return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) && state_names[s] ?
               state_names[s] : "?";
}

static const char *const exit_names[EXIT_CLASS_COUNT] = {
    [EXIT_HVC] = "hvc", [EXIT_SMC] = "smc", [EXIT_SYSREG] = "sysreg", [EXIT_DABT] = "dabt",
    [EXIT_IABT] = "iabt", [EXIT_IRQ] = "irq", [EXIT_OTHER] = "other",
    [EXIT_WFX] = "wfi",
};

void vm_stats_read(const struct vm *vm, struct vm_stats *out)
{
    vm_stats_total(out, &vm->stats, &vm->vcpus[0].stats, sizeof(vm->vcpus[0]),
                   vm->nr_vcpus < VCPU_MAX ? vm->nr_vcpus : VCPU_MAX);
    out->irqs_injected += vm_ipc_ring_irqs(vm); /* other VMs' doorbells, counted by them */
}

void vm_print_vm_stats(const struct vm *vm)
{
    struct vm_stats total;
    const struct vm_stats *s = &total;
    struct console_vm_stats cs = { 0 };
    struct vuart_stats us;
    char exits[128];
    int n = 0;

    vm_stats_read(vm, &total);
    for (int c = 0; c < EXIT_CLASS_COUNT; c++) {
        n += bh_snprintf(exits + n, sizeof(exits) - (size_t)n, " exit_%s=%llu",
                         exit_names[c], (unsigned long long)s->exits[c]);
    }
    /* Console counters come last (appended fields: tools parse the earlier ones). */
    if (console_get_vm_stats(vm->id, &cs) != 0) {
        cs = (struct console_vm_stats){ 0 }; /* a refused VM never had a console */
    }
    vuart_get_stats((struct vuart *)&vm->vuart, &us);
    /* the round-robin slice's expiries on its pCPUs (a platform quirk, docs/VIRTUAL-CPU.md) */
    uint64_t slice = 0;
    for (unsigned k = 0; vm->cfg != NULL && k < vm->cfg->vcpu_count; k++) {
        slice += arch_rt_slice_expiries(vm->cfg->cpus[k]);
    }
    /* shared pCPUs' scheduler accounting, summed over its vCPUs (docs/SCHEDULING.md) */
    uint64_t run = 0, wait = 0, thr = 0, throttles = 0, preempt = 0;
    for (unsigned k = 0; k < vm->nr_vcpus; k++) {
        struct arch_sched_vcpu_stats ss;
        if (arch_sched_vcpu_times(&vm->vcpus[k], &ss)) {
            run += ss.run, wait += ss.wait, thr += ss.throttled, throttles += ss.throttles;
            preempt += ss.preemptions;
        }
    }
    hyp_printf("STATS vm=%s state=%s%s mmio=%llu irqs=%llu faults=%llu denials=%llu "
               "events=%llu dropped=%llu restarts=%llu con_out=%llu con_lines=%llu "
               "con_in=%llu rx_dropped=%llu slice=%llu sched_run_us=%llu sched_wait_us=%llu "
               "sched_throttled_us=%llu throttles=%llu preemptions=%llu",
               vm->name, vm_state_name(vm->state), exits,
               (unsigned long long)s->mmio_emulated, (unsigned long long)s->irqs_injected,
               (unsigned long long)s->faults, (unsigned long long)s->denials,
               (unsigned long long)s->events, (unsigned long long)s->events_dropped,
               (unsigned long long)s->restarts, (unsigned long long)cs.out_bytes,
               (unsigned long long)cs.out_lines, (unsigned long long)cs.in_bytes,
               (unsigned long long)(cs.in_dropped + us.rx_dropped), (unsigned long long)slice,
               (unsigned long long)(arch_ticks_to_ns(run) / 1000),
               (unsigned long long)(arch_ticks_to_ns(wait) / 1000),
               (unsigned long long)(arch_ticks_to_ns(thr) / 1000), (unsigned long long)throttles,
               (unsigned long long)preempt);
}

void vm_print_stats(void)
{
    struct console_stats cs;

    for (unsigned i = 0; i < vm_count; i++) {
        vm_print_vm_stats(&vms[i]);
    }
    console_get_stats(&cs);
    const struct cfg_scenario *sc = vm_ipc_scenario();
    for (unsigned id = 0; sc != NULL && id < sc->chan_count; id++) {
        const struct cfg_chan *c = &sc->chans[id];
        if (!c->valid || c->type == CFG_CHAN_NET) { /* segments: vm_net_print_stats */
            continue;
        }
        struct ipc_stats st = vm_ipc_stats(id);
        hyp_printf("STATS ipc=%s id=%u ops=%llu blocked=%llu busy=%llu denied=%llu "
                   "invalid=%llu timeouts=%llu bytes=%llu",
                   c->name, id, (unsigned long long)st.ops, (unsigned long long)st.blocked,
                   (unsigned long long)st.busy, (unsigned long long)st.denied,
                   (unsigned long long)st.invalid, (unsigned long long)st.timeouts,
                   (unsigned long long)st.bytes);
    }
    vm_net_print_stats();
    vm_vcons_print_stats();
    /* shared pCPUs' schedulers (docs/SCHEDULING.md): switches, partition windows and jitter */
    for (unsigned cpu = 0; cpu < CFG_MAX_VCPUS; cpu++) {
        struct arch_sched_stats ss;
        if (arch_sched_cpu_stats(cpu, &ss)) {
            hyp_printf("STATS sched cpu=%u policy=%s switches=%llu windows=%llu skipped=%llu "
                       "jitter_max_us=%llu jitter_avg_us=%llu parked=%llu", cpu,
                       ss.partitions ? "partitions" : "priority",
                       (unsigned long long)ss.switches, (unsigned long long)ss.windows,
                       (unsigned long long)ss.skipped,
                       (unsigned long long)(ss.jitter_max_ns / 1000),
                       (unsigned long long)(ss.jitter_avg_ns / 1000),
                       (unsigned long long)ss.parked);
            if (ss.bench_switches && ss.bench_decisions) { /* a CONFIG_BENCH build */
                hyp_printf("bulkhead: bench sched_switch_insns=%llu sched_switches=%llu "
                           "sched_decide_insns=%llu sched_decisions=%llu",
                           (unsigned long long)(ss.bench_switch_insns / ss.bench_switches),
                           (unsigned long long)ss.bench_switches,
                           (unsigned long long)(ss.bench_decide_insns / ss.bench_decisions),
                           (unsigned long long)ss.bench_decisions);
            }
        }
    }
    hyp_printf("STATS console lines_split=%llu ring_full=%llu escaped=%llu input_dropped=%llu "
               "output_dropped=%llu rx_holds=%llu",
               (unsigned long long)cs.lines_split, (unsigned long long)cs.ring_full,
               (unsigned long long)cs.escaped, (unsigned long long)cs.input_dropped,
               (unsigned long long)cs.output_dropped, (unsigned long long)cs.rx_holds);
}

void vm_print_events(unsigned n)
{
    struct evt_record rec;
    uint64_t last = vm_event_next(), missed = 0, cursor;

    n = n < EVT_RING_SIZE ? n : EVT_RING_SIZE;
    cursor = last > n ? last - n : 0;
    if (last == 0) {
        hyp_printf("bulkhead: events: none yet");
    }
    /* Bounded by n: records pushed meanwhile wait for the next listing. */
    for (unsigned i = 0; i < n && cursor < last && vm_event_read(&cursor, &rec, &missed); i++) {
        const char *name = rec.vm < vm_count ? vms[rec.vm].name : "-";
        /* Not at a line start: a copy must not count as a new record for the tools. */
        hyp_printf("bulkhead: events: #%llu t=%llu.%06llu EVT vm=%s kind=%s%s%s",
                   (unsigned long long)rec.seq, (unsigned long long)(rec.time_ns / 1000000000u),
                   (unsigned long long)(rec.time_ns / 1000u % 1000000u), name, rec.kind,
                   rec.text[0] ? " " : "", rec.text);
    }
}
