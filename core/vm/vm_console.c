// SPDX-License-Identifier: MIT
/*
 * The console's hooks on the VM side: typed input reaches a VM through its queue in the
 * console and its UART's receive FIFO (pulled as the guest reads, vuart rx_pull), a VM that is
 * not running refuses input (the console prints a notice), and the board owner's commands at
 * the serial port (docs/CONSOLE.md "Command mode") act on VMs with the same lifecycle calls
 * as the fault policy: vm_stop, and vm_reload + vm_start for a start.
 *
 * The board owner at the serial port is trusted with every VM, like a power switch; a
 * management VM gets rights per target VM instead (issue 10's manager grants).
 */
#include <core/vm/vm_console.h>
#include <core/vm/vm_ctl.h>

#include <core/console.h>
#include <core/hyp.h>
#include <core/vm/vm.h>
#include <core/vm/vm_build.h>
#include <core/vm/vm_vcons.h>

static struct vm *vm_of(unsigned id)
{
    return id < vm_count ? &vms[id] : NULL;
}

size_t vm_console_rx_pull(void *ctx, uint8_t *buf, size_t max)
{
    const struct vm *vm = ctx;

    return console_vm_input_pull(vm->id, buf, max);
}

void vm_console_input_ready(unsigned id)
{
    struct vm *vm = vm_of(id);

    if (vm != NULL && vm_takes_input(vm) && !vm_vcons_input_ready(vm)) {
        vuart_rx_refill(&vm->vuart);
    }
}

const char *vm_console_state(unsigned id, bool *takes_input)
{
    struct vm *vm = vm_of(id);

    if (vm == NULL) {
        *takes_input = false;
        return "unknown";
    }
    *takes_input = vm_takes_input(vm);
    return vm_state_name(vm->state);
}

/*
 * Start a VM that is defined (autostart off) or stopped (fault policy "stop", a restart
 * limit, SYSTEM_OFF, `stop`): the lifecycle's start (core/vm/vm_ctl.c), which reloads a
 * stopped VM from the verified bundle. Refused VMs are never started.
 */
static void console_start(struct vm *vm)
{
    if (vm_ctl_start(vm) != 0) {
        hyp_printf("bulkhead: console: vm %s is %s: not started", vm->name,
                   vm_state_name(vm->state));
    }
}

static void console_stop(struct vm *vm, bool restart)
{
    if (vm->state != VM_RUNNING && vm->state != VM_PAUSED) {
        if (restart && (vm->state == VM_STOPPED || vm->state == VM_DEFINED)) {
            console_start(vm);
            return;
        }
        hyp_printf("bulkhead: console: vm %s is %s: not %s", vm->name, vm_state_name(vm->state),
                   restart ? "restarted" : "stopped");
        return;
    }
    vm_stop(vm, "console", restart);
}

/* Stop every running VM; the last one to stop powers the platform off (vm_stop). */
static void console_poweroff(void)
{
    bool any = false;

    for (unsigned i = 0; i < vm_count; i++) {
        if (vms[i].state == VM_RUNNING || vms[i].state == VM_PAUSED) {
            any = true;
            vm_stop(&vms[i], "console", false);
        }
    }
    if (!any) {
        hyp_printf("bulkhead: console: no vm is running"); /* whoever stops the last powers off */
    }
}

void vm_console_command(const struct console_cmd *cmd)
{
    struct vm *vm = vm_of(cmd->vm);

    switch (cmd->op) {
    case CONSOLE_OP_STATS:
        if (vm != NULL) {
            vm_print_vm_stats(vm);
        } else {
            vm_print_stats();
        }
        break;
    case CONSOLE_OP_EVENTS:
        vm_print_events(cmd->count);
        break;
    case CONSOLE_OP_START:
    case CONSOLE_OP_STOP:
    case CONSOLE_OP_RESTART:
        if (vm == NULL) {
            hyp_printf("bulkhead: console: no vm %u", cmd->vm);
        } else if (cmd->op == CONSOLE_OP_START) {
            console_start(vm);
        } else {
            console_stop(vm, cmd->op == CONSOLE_OP_RESTART);
        }
        break;
    case CONSOLE_OP_POWEROFF:
        console_poweroff();
        break;
    default:
        break;
    }
}
