// SPDX-License-Identifier: MIT
/*
 * The virtual watchdog's glue (vm_wdog.h). Time is the physical count (<arch/deadline.h>),
 * the same on every pCPU. Which pCPU watches: the one of the VM's vCPU 0, so that no other
 * VM's CPU ever spends time on it. Its deadline callback runs there in the guest's interrupt
 * exit or the idle loop, where stopping the VM is safe; while that vCPU blocks in an IPC wait
 * the reset is remembered, the wait ends and the callback runs again from the guest context
 * (arch_deadline_fn). A register access that finds the reset already due (the deadline is a
 * few ticks late, or another vCPU got there first) applies it on the accessing vCPU.
 */
#include <core/vm/vm_wdog.h>

#include <arch/deadline.h>
#include <core/config/config.h>
#include <core/vm/vm.h>

/* A reset noticed during an IPC wait of vCPU 0, applied when the callback runs again. */
static bool reset_pending[VM_MAX];

static void wdog_level(void *ctx, bool level)
{
    struct vm *vm = ctx;

    vm_kick_mask(vm, vgic_set_level(&vm->vgic, 0, VPLAT_WDOG_INTID, level));
}

static void wdog_deadline(void *ctx, uint64_t at)
{
    struct vm *vm = ctx;

    arch_deadline_set(vm->cfg->cpus[0], ARCH_DEADLINE_WDOG, at);
}

/* The reset output fired: the fault policy, with its record (never dropped: it ends or
 * restarts the VM, once per life). */
static void wdog_fire(struct vm *vm)
{
    bool restart = vm->cfg->fault_policy == CFG_FAULT_RESTART;

    vm_stats_count(&vm->stats.faults); /* not counted by a vCPU of its own */
    vm_event_always(vm, "watchdog", "action=%s", restart ? "restart" : "stop");
    vm_stop(vm, "watchdog", restart);
}

static bool wdog_expired(void *ctx, bool can_stop)
{
    struct vm *vm = ctx;

    if (vm->state != VM_RUNNING) {
        return true; /* stopped or stopping: the device is reset before it runs again */
    }
    if (sp805_expire(&vm->wdog, arch_counter())) {
        reset_pending[vm->id] = true;
    }
    if (!reset_pending[vm->id]) {
        return true;
    }
    if (!can_stop) {
        return false;
    }
    reset_pending[vm->id] = false;
    wdog_fire(vm);
    return true;
}

static int wdog_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                       uint64_t *val)
{
    bool reset = false;
    int r = sp805_mmio(dev, arch_counter(), (uint32_t)off, size, write, val, &reset);

    if (reset) {
        wdog_fire(v->vm);
    }
    return r;
}

int vm_wdog_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
{
    if (vm->cfg->watchdog == CFG_WDOG_NONE) {
        return 0;
    }
    if (*n >= max) {
        return -BH_ENOMEM;
    }
    spis[(*n)++] = (struct vgic_spi_cfg){ .intid = VPLAT_WDOG_INTID };
    return 0;
}

int vm_wdog_setup(struct vm *vm)
{
    const struct cfg_vm *cfg = vm->cfg;
    const struct sp805_hooks h = { .set_level = wdog_level, .set_deadline = wdog_deadline,
                                   .ctx = vm };

    if (cfg->watchdog == CFG_WDOG_NONE) {
        return 0;
    }
    sp805_init(&vm->wdog, arch_counter_hz(),
               cfg->watchdog_hz ? cfg->watchdog_hz : CFG_WDOG_HZ_DEFAULT, &h);
    reset_pending[vm->id] = false;
    arch_deadline_bind(cfg->cpus[0], ARCH_DEADLINE_WDOG, wdog_expired, vm);
    return mmio_register(&vm->mmio, "wdog", VPLAT_WDOG_IPA, VPLAT_WDOG_SIZE, wdog_access,
                         &vm->wdog);
}

void vm_wdog_reset(struct vm *vm)
{
    if (vm->cfg->watchdog == CFG_WDOG_NONE) {
        return;
    }
    reset_pending[vm->id] = false;
    sp805_reset(&vm->wdog);
}

void vm_wdog_pause(struct vm *vm, bool paused)
{
    if (vm->cfg->watchdog == CFG_WDOG_NONE) {
        return;
    }
    if (paused) {
        sp805_pause(&vm->wdog, arch_counter());
    } else {
        sp805_resume(&vm->wdog, arch_counter());
    }
}
