// SPDX-License-Identifier: MIT
/*
 * Lifecycle operations a manager (core/dev/vmgmt.c) or the board owner asks for: start,
 * stop, restart, pause, resume (docs/MANAGEMENT.md "Lifecycle"). The rights are checked by
 * the caller; here only the state machine:
 *
 *   defined --start--> running --pause--> paused --resume--> running
 *   running|paused --stop--> stopping --> stopped --start--> (reloaded) running
 *   running|paused --restart--> stopping --> (reloaded) running
 *   running --shutdown--> running, power button pressed --(guest, or timeout)--> stopped
 *
 * A VM in the transient state (stopping, reloading) answers -BH_EBUSY; an operation that
 * does not apply to the state (resume a running VM, pause a stopped one, anything on a
 * refused VM) answers -BH_EINVAL. vm->lock makes the state check and the change one step, so
 * two managers (or two vCPUs of one) racing on a VM get one success and one refusal.
 *
 * A pause keeps every vCPU where it is: the vCPU is sent out of the guest by a kick and,
 * on its way back in (vcpu_return, the IRQ exit), is held in the hypervisor on its own pCPU
 * (vm_vcpu_hold: WFI, no CPU time) with its registers untouched until the VM runs again.
 * The guest's virtual counter keeps counting (CNTVOFF is not changed): after a resume the
 * guest sees the time that passed, as after a long interrupt, and its timers that expired
 * meanwhile fire at once. Interrupts and console input that arrive while paused are kept
 * pending and delivered after the resume.
 */
#include <core/vm/vm_ctl.h>
#include <core/vm/vm_wdog.h>

#include <arch/cpu.h>
#include <core/hyp.h>
#include <core/vm/vm_build.h>
#include <core/vm/vm_power.h>

/* A pause waits at most this long for every vCPU to be out of the guest. */
#define PAUSE_ACK_NS UINT64_C(100000000)

static int state_error(enum vm_state s)
{
    return s == VM_STOPPING ? -BH_EBUSY : -BH_EINVAL;
}

int vm_ctl_start(struct vm *vm)
{
    spin_lock(&vm->lock);
    enum vm_state s = vm->state;
    if (s != VM_STOPPED && s != VM_DEFINED) {
        spin_unlock(&vm->lock);
        return state_error(s);
    }
    vm->state = VM_STOPPING; /* reloading: others get BUSY */
    spin_unlock(&vm->lock);
    if (s == VM_STOPPED) {
        vm_reload(vm); /* from the verified images, as a restart does */
    }
    vm_start(vm);
    return 0;
}

static int stop_or_restart(struct vm *vm, bool restart)
{
    spin_lock(&vm->lock);
    enum vm_state s = vm->state;
    spin_unlock(&vm->lock);
    if (s != VM_RUNNING && s != VM_PAUSED) {
        return state_error(s);
    }
    /* vm_stop re-checks under the lock: of two racing stops one does the work */
    vm_stop(vm, "manager", restart);
    return 0;
}

int vm_ctl_stop(struct vm *vm)
{
    return stop_or_restart(vm, false);
}

int vm_ctl_restart(struct vm *vm)
{
    spin_lock(&vm->lock);
    enum vm_state s = vm->state;
    spin_unlock(&vm->lock);
    return s == VM_STOPPED ? vm_ctl_start(vm) : stop_or_restart(vm, true);
}

int vm_ctl_shutdown(struct vm *vm)
{
    spin_lock(&vm->lock);
    enum vm_state s = vm->state;
    int r = 0;
    if (s != VM_RUNNING) {
        r = state_error(s); /* paused: it could not answer; resume or stop it */
    } else if (!vm->cfg->power_button) {
        r = -BH_ENOTSUP;    /* nothing to ask the guest with */
    } else if (vm->shutdown_deadline_ns != 0) {
        r = -BH_EBUSY;      /* asked already, waiting for the guest or the timeout */
    } else {
        vm->shutdown_deadline_ns =
            arch_now_ns() + (uint64_t)vm->cfg->shutdown_timeout_ms * 1000000u;
    }
    spin_unlock(&vm->lock);
    if (r == 0) {
        vm_power_press(vm);
    }
    return r;
}

/* Whether vCPU v is out of the guest: off, held by the pause, blocked in an IPC wait, or
 * switched out on a shared pCPU (it passes vcpu_return's check before the guest, so a pause
 * never waits for a vCPU starved by a higher priority or throttled). A vCPU idle in a trapped
 * WFI is not: the pause's kick moves it into the hold, and its time stands still only from
 * there. */
static bool vcpu_is_out(const struct vcpu *v)
{
    uint8_t kind = v->wait_kind;

    return v->state != VCPU_RUNNING || kind == VCPU_WAIT_HOLD || kind == VCPU_WAIT_IPC ||
           __atomic_load_n(&v->waiter.state, __ATOMIC_RELAXED) == IPC_WAIT_QUEUED ||
           arch_vcpu_is_switched_out(v);
}

int vm_ctl_pause(struct vm *vm)
{
    spin_lock(&vm->lock);
    if (vm->state != VM_RUNNING) {
        enum vm_state s = vm->state;
        spin_unlock(&vm->lock);
        return state_error(s);
    }
    vm->state = VM_PAUSED;
    spin_unlock(&vm->lock);
    vm_wdog_pause(vm, true);
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        arch_kick(vm->vcpus[i].pcpu);
    }
    /* Until each vCPU is out (bounded: a vCPU on the caller's own pCPU, the console's, only
     * gets there once the caller returns). The event stream bounds each WFE. */
    uint64_t deadline = arch_now_ns() + PAUSE_ACK_NS;
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        while (!vcpu_is_out(&vm->vcpus[i]) && vm->state == VM_PAUSED &&
               arch_now_ns() < deadline) {
            arch_wait_event();
        }
    }
    vm_event_always(vm, "pause", "vcpus=%u", vm->nr_vcpus);
    return 0;
}

int vm_ctl_resume(struct vm *vm)
{
    spin_lock(&vm->lock);
    if (vm->state != VM_PAUSED) {
        enum vm_state s = vm->state;
        spin_unlock(&vm->lock);
        return state_error(s);
    }
    vm->state = VM_RUNNING;
    spin_unlock(&vm->lock);
    vm_wdog_pause(vm, false);
    vm_event_always(vm, "resume", "vcpus=%u", vm->nr_vcpus);
    arch_wake_all();
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        arch_kick(vm->vcpus[i].pcpu); /* held ones, and pending ones in the idle loop */
    }
    return 0;
}

static bool vm_not_paused(void *arg)
{
    return ((struct vm *)arg)->state != VM_PAUSED;
}

void vm_vcpu_hold(struct vcpu *v)
{
    uint64_t slept = 0; /* on a shared pCPU without its time runnable and not running */

    v->wait_since = arch_ticks();
    v->wait_kind = VCPU_WAIT_HOLD;
    arch_wake_all(); /* the pausing caller waits for this */
    (void)arch_vcpu_wait(v, UINT64_MAX, vm_not_paused, v->vm, VCPU_WAIT_NONE, &slept);
    v->paused_ticks += slept;
    v->wait_kind = VCPU_WAIT_NONE;
}

/* Read by a manager on another pCPU while v's own pCPU updates them: a wait or WFI in
 * progress is added as it stands (one that ends meanwhile may be counted twice for one read:
 * the figures are estimates to the microsecond, never negative). On a shared pCPU the
 * scheduler's figures (arch_sched_vcpu_times) are exact per decision: run is the time v held
 * the pCPU, and a wait's time runnable without the pCPU is waiting, not idle or blocked. */
void vm_vcpu_times(const struct vcpu *v, struct vm_vcpu_times *t)
{
    uint64_t now = arch_ticks();
    uint64_t since = __atomic_load_n(&v->on_since, __ATOMIC_RELAXED);
    uint8_t kind = __atomic_load_n(&v->wait_kind, __ATOMIC_ACQUIRE);
    uint64_t wsince = __atomic_load_n(&v->wait_since, __ATOMIC_RELAXED);
    struct arch_sched_vcpu_stats ss;
    bool shared = arch_sched_vcpu_times(v, &ss);
    uint64_t cur = kind != VCPU_WAIT_NONE && since && now > wsince ? now - wsince : 0;
    if (shared) {
        cur -= ss.ready_in_wait < cur ? ss.ready_in_wait : cur;
    }
    uint64_t on = v->on_ticks + (since && now > since ? now - since : 0);
    uint64_t blocked = v->blocked_ticks + (kind == VCPU_WAIT_IPC ? cur : 0);
    uint64_t paused = v->paused_ticks + (kind == VCPU_WAIT_HOLD ? cur : 0);
    uint64_t idle = v->idle_ticks + (kind == VCPU_WAIT_IDLE ? cur : 0);
    uint64_t out = blocked + paused + idle;

    *t = (struct vm_vcpu_times){
        .blocked_ns = arch_ticks_to_ns(blocked),
        .paused_ns = arch_ticks_to_ns(paused),
        .idle_ns = arch_ticks_to_ns(idle),
        .run_ns = arch_ticks_to_ns(on > out ? on - out : 0),
    };
    if (shared) {
        t->run_ns = arch_ticks_to_ns(ss.run);
        t->wait_ns = arch_ticks_to_ns(ss.wait);
        t->throttled_ns = arch_ticks_to_ns(ss.throttled);
        t->preemptions = ss.preemptions;
        t->throttles = ss.throttles;
    }
}
