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

/* The deadline passed on vCPU 0's pCPU: stop the VM if the shutdown is still pending. */
static bool shutdown_expired(void *ctx, bool can_stop)
{
    struct vm *vm = ctx;

    if (vm->shutdown_deadline_ns == 0) {
        return true; /* the guest stopped in time (or the VM was reloaded) */
    }
    if (vm->state == VM_PAUSED) {
        /* held where it was: stopping it from inside the hold is not safe; look again */
        arch_deadline_set(vm->cfg->cpus[0], ARCH_DEADLINE_SHUTDOWN,
                          ticks_after_ms(PAUSED_RECHECK_MS));
        return true;
    }
    if (vm->state != VM_RUNNING) {
        return true; /* being stopped: vm_stop records the outcome */
    }
    if (!can_stop) {
        return false; /* vCPU 0 blocks in a wait: called again from the guest context */
    }
    vm_event_always(vm, "shutdown", "phase=forced timeout_ms=%u", vm->cfg->shutdown_timeout_ms);
    vm_stop(vm, VM_POWER_FORCED_REASON, false);
    return true;
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
    arch_deadline_bind(vm->cfg->cpus[0], ARCH_DEADLINE_SHUTDOWN, shutdown_expired, vm);
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
    arch_deadline_set(vm->cfg->cpus[0], ARCH_DEADLINE_SHUTDOWN, ticks_after_ms(ms));
}

void vm_power_stopped(struct vm *vm, const char *reason)
{
    uint64_t deadline = vm->shutdown_deadline_ns;
    uint64_t timeout_ns = (uint64_t)vm->cfg->shutdown_timeout_ms * 1000000u;

    if (deadline == 0) {
        return;
    }
    vm->shutdown_deadline_ns = 0;
    arch_deadline_set(vm->cfg->cpus[0], ARCH_DEADLINE_SHUTDOWN, ARCH_DEADLINE_NEVER);
    if (strcmp(reason, VM_POWER_FORCED_REASON) != 0) {
        uint64_t now = arch_now_ns(), asked = deadline - timeout_ns;
        vm_event_always(vm, "shutdown", "phase=done by=guest reason=%s ms=%llu", reason,
                        (unsigned long long)(now > asked ? (now - asked) / 1000000u : 0));
    }
}
