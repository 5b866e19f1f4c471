// SPDX-License-Identifier: MIT
/*
 * The power button and the graceful shutdown (docs/MANAGEMENT.md "Graceful shutdown"). Every
 * VM with power-button (the default) has a PL061 (core/dev/vgpio.c) at VPLAT_PWR_IPA whose
 * line 0 is the button, wired in its device tree to a gpio-keys key with linux,code 116
 * (KEY_POWER): stock Linux's gpio-keys turns the press into an input event that busybox acpid
 * (or systemd-logind) answers with a power-off; a bare-metal guest waits for the controller's
 * interrupt. A shutdown presses the button (held until the VM stops or is reloaded, so a
 * driver that reads the level after the edge sees it pressed) and arms a deadline on the
 * pCPU of vCPU 0: if the VM still runs when it passes, it is stopped by force. The records:
 * phase=requested, then phase=done by=guest (it stopped itself, for whatever reason) or
 * phase=forced. None of this is on a trap path.
 */
#include <core/vm/vm_power.h>

#include <arch/deadline.h>
#include <core/config/config.h>
#include <lib/string.h>

#define PWR_LINE        0u
#define PAUSED_RECHECK_MS 10u /* a paused VM is not stopped: looked at again this much later */

static void pwr_level(void *ctx, uint32_t intid, bool level)
{
    struct vm *vm = ctx;

    vm_kick_mask(vm, vgic_set_level(&vm->vgic, 0, intid, level));
}

static int pwr_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                      uint64_t *val)
{
    (void)v;
    return vgpio_mmio(dev, 0, (uint32_t)off, size, write, val);
}

static uint64_t ticks_after_ms(uint32_t ms)
{
    return arch_counter() + (uint64_t)ms * arch_counter_hz() / 1000u; /* < 2^52: no wrap */
}

/* ms (rounded up) from now_ns to deadline_ns, 0 when passed. */
static uint32_t ms_until(uint64_t deadline_ns, uint64_t now_ns)
{
    return deadline_ns > now_ns ? (uint32_t)((deadline_ns - now_ns + 999999u) / 1000000u) : 0;
}

/* Whether vm's shutdown deadline lives on pCPU cpu's slot. */
static bool is_on_cpu(const struct vm *vm, unsigned cpu)
{
    return vm->cfg != NULL && vm->cfg->power_button && vm->cfg->cpus[0] == cpu;
}

/*
 * The slot passed on pCPU cpu (ctx), the pCPU of vCPU 0 of every VM whose shutdown it
 * serves: several VMs may share it on a shared pCPU (docs/SCHEDULING.md), so each VM keeps
 * its own deadline (shutdown_deadline_ns) and the slot holds the nearest. Stops the VMs whose
 * shutdown is due and still pending, then re-arms the slot for the rest (bounded by vm_count).
 */
static bool shutdown_expired(void *ctx, bool can_stop)
{
    unsigned cpu = (unsigned)(uintptr_t)ctx;
    uint64_t now = arch_now_ns();
    uint32_t next_ms = UINT32_MAX;
    bool deferred = false;

    for (unsigned i = 0; i < vm_count; i++) {
        struct vm *vm = &vms[i];
        uint64_t dl = vm->shutdown_deadline_ns;

        if (!is_on_cpu(vm, cpu) || dl == 0) {
            continue; /* none asked, or the guest stopped in time (or the VM was reloaded) */
        }
        if (vm->state != VM_RUNNING && vm->state != VM_PAUSED) {
            continue; /* being stopped: vm_stop records the outcome */
        }
        uint32_t ms = ms_until(dl, now);
        if (ms == 0 && vm->state == VM_PAUSED) {
            ms = PAUSED_RECHECK_MS; /* held where it was: stopping it from inside the hold is
                                     * not safe; look again */
        }
        if (ms != 0) {
            next_ms = ms < next_ms ? ms : next_ms;
        } else if (!can_stop) {
            deferred = true; /* vCPU 0 blocks in a wait: called again from the guest context */
        } else {
            vm_event_always(vm, "shutdown", "phase=forced timeout_ms=%u",
                            vm->cfg->shutdown_timeout_ms);
            vm_stop(vm, VM_POWER_FORCED_REASON, false);
        }
    }
    if (deferred) {
        return false; /* due again at once: every VM is looked at again then */
    }
    if (next_ms != UINT32_MAX) {
        arch_deadline_set(cpu, ARCH_DEADLINE_SHUTDOWN, ticks_after_ms(next_ms));
    }
    return true;
}

/* Arm cpu's slot for the nearest pending shutdown deadline of its VMs (none: off). */
static void shutdown_rearm(unsigned cpu)
{
    uint64_t now = arch_now_ns();
    uint32_t next_ms = UINT32_MAX;

    for (unsigned i = 0; i < vm_count; i++) {
        uint64_t dl = vms[i].shutdown_deadline_ns;
        if (is_on_cpu(&vms[i], cpu) && dl != 0) {
            uint32_t ms = ms_until(dl, now);
            next_ms = ms < next_ms ? ms : next_ms;
        }
    }
    arch_deadline_set(cpu, ARCH_DEADLINE_SHUTDOWN,
                      next_ms == UINT32_MAX ? ARCH_DEADLINE_NEVER : ticks_after_ms(next_ms));
}

int vm_power_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
{
    if (!vm->cfg->power_button) {
        return 0;
    }
    if (*n >= max) {
        return -BH_ENOMEM;
    }
    spis[(*n)++] = (struct vgic_spi_cfg){ .intid = VPLAT_PWR_INTID };
    return 0;
}

int vm_power_setup(struct vm *vm)
{
    static const uint32_t intid = VPLAT_PWR_INTID;

    if (!vm->cfg->power_button) {
        return 0;
    }
    vgpio_init(&vm->pwr, &intid, 1, pwr_level, vm);
    /* one callback per pCPU for all of its VMs (bound alike by each) */
    arch_deadline_bind(vm->cfg->cpus[0], ARCH_DEADLINE_SHUTDOWN, shutdown_expired,
                       (void *)(uintptr_t)vm->cfg->cpus[0]);
    return mmio_register(&vm->mmio, "power", VPLAT_PWR_IPA, VPLAT_PWR_SIZE, pwr_access,
                         &vm->pwr);
}

void vm_power_reset(struct vm *vm)
{
    if (vm->cfg->power_button) {
        vgpio_reset(&vm->pwr); /* clears the driven level too: released */
    }
}

void vm_power_press(struct vm *vm)
{
    uint32_t ms = vm->cfg->shutdown_timeout_ms;

    vm_event_always(vm, "shutdown", "phase=requested timeout_ms=%u", ms);
    vgpio_set_input(&vm->pwr, 0, PWR_LINE, true);
    shutdown_rearm(vm->cfg->cpus[0]); /* shutdown_deadline_ns was set by the caller */
}

void vm_power_stopped(struct vm *vm, const char *reason)
{
    uint64_t deadline = vm->shutdown_deadline_ns;
    uint64_t timeout_ns = (uint64_t)vm->cfg->shutdown_timeout_ms * 1000000u;

    if (deadline == 0) {
        return;
    }
    vm->shutdown_deadline_ns = 0;
    shutdown_rearm(vm->cfg->cpus[0]); /* the other VMs' deadlines on that pCPU stay */
    if (strcmp(reason, VM_POWER_FORCED_REASON) != 0) {
        uint64_t now = arch_now_ns(), asked = deadline - timeout_ns;
        vm_event_always(vm, "shutdown", "phase=done by=guest reason=%s ms=%llu", reason,
                        (unsigned long long)(now > asked ? (now - asked) / 1000000u : 0));
    }
}
