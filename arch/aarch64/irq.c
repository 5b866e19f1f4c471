// SPDX-License-Identifier: MIT
/*
 * Physical interrupts at EL2. Every interrupt is acknowledged and priority-dropped at once
 * (EOImode 1). Interrupts that belong to a guest (its virtual timer, pass-through SPIs) are
 * injected with the list-register HW bit and left active, so the guest's own deactivation
 * completes them (GICv3 spec 4.4.2 / 8.3.1); the hypervisor's own (kick SGI, maintenance,
 * console input) are deactivated here.
 */
#include "deadline.h"
#include "sched_cpu.h"
#include "trap.h"
#include "vpmu.h"
#include "vtimer.h"

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <core/console.h>
#include <core/hyp.h>
#include <core/vm/vm.h>
#include <drivers/gic.h>
#include <drivers/uart.h>

/* INTID -> owning VM + 1 for pass-through SPIs (0: not passed through). */
static uint8_t spi_owner[1020];

void arch_irq_set_owner(uint32_t intid, unsigned vm_id)
{
    if (intid < sizeof(spi_owner)) {
        spi_owner[intid] = (uint8_t)(vm_id + 1);
    }
}

/* True when the tick went straight back into its list register (vgic_rearm_hw). */
static bool irq_vtimer(struct vcpu *v, uint32_t intid)
{
    if (!v || v->state != VCPU_RUNNING) {
        /* No guest owns the timer here: silence it and complete the interrupt. */
        sysreg_write(cntv_ctl_el0, 0);
        gic_deactivate(intid);
        return false;
    }
    v->stats.irqs_injected++;
    if (vgic_rearm_hw(&v->vm->vgic, v->idx, intid)) {
        return true;
    }
    vgic_inject_hw(&v->vm->vgic, v->idx, intid, intid);
    return false;
}

/* The console UART's interrupt, on console_cpu: take bytes while the console has room for
 * them; otherwise the console holds the receiver (arch_console_rx_hold) and the rest waits. */
static void irq_console(void)
{
    int c;

    while (console_input_room() && (c = uart_console->getc()) >= 0) {
        console_input((uint8_t)c);
    }
}

/* The pCPU the UART's interrupt goes to, and with it the console's keys and commands: pCPU 0
 * from boot, the console drain pCPU once the VMs are known (arch_console_rx_route). */
static unsigned console_cpu;

static bool console_timer_due(void *ctx, bool can_stop)
{
    (void)ctx;
    (void)can_stop;
    console_timer();
    return true;
}

void arch_console_rx_hold(bool hold)
{
    uart_console->set_rx_irq(!hold);
}

void arch_console_arm_timer(uint64_t at_ns)
{
    uint64_t hz = arch_counter_hz();
    uint64_t ns = UINT64_C(1000000000);

    arch_deadline_set(console_cpu, ARCH_DEADLINE_CONSOLE, at_ns / ns * hz + at_ns % ns * hz / ns);
}

void arch_console_rx_route(unsigned cpu)
{
    if (cpu >= pcpu_count || cpu == console_cpu || hyp_plat.uart_intid == PLATINFO_NO_INTID) {
        return;
    }
    arch_deadline_bind(cpu, ARCH_DEADLINE_CONSOLE, console_timer_due, NULL);
    console_cpu = cpu;
    gic_route_spi(hyp_plat.uart_intid, pcpus[cpu].mpidr);
}

void arch_console_rx_init(void)
{
    arch_deadline_bind(console_cpu, ARCH_DEADLINE_CONSOLE, console_timer_due, NULL);
    uart_console->enable_rx_irq();
}

static void irq_passthrough(uint32_t intid)
{
    unsigned owner = spi_owner[intid];

    if (!owner) {
        gic_deactivate(intid);
        return;
    }
    struct vm *vm = &vms[owner - 1];
    if (!vm_takes_input(vm)) {
        gic_deactivate(intid);
        return;
    }
    vm_stats_count(&vm->stats.irqs_injected); /* its pCPU may run another VM */
    vm_kick_mask(vm, vgic_inject_hw(&vm->vgic, 0, intid, intid));
}

static bool irq_one(struct vcpu *v, uint32_t intid)
{
    if (intid == hyp_plat.timer_intid[PLATINFO_TIMER_VIRT]) {
        return irq_vtimer(v, intid);
    }
    if (intid == VPMU_INTID) {
        return vpmu_irq(v, intid);
    }
    if (intid == hyp_plat.timer_intid[PLATINFO_TIMER_HYP]) {
        /* A deadline of this pCPU passed (deadline.c): a wait's time limit, the guest's
         * emulated physical timer, the VM's watchdog. */
        deadline_fire();
        gic_deactivate(intid);
        sched_event(arch_cpu_id_raw()); /* a shared pCPU's decision may be due */
    } else if (intid == GIC_PPI_MAINT) {
        bool done = v && v->state == VCPU_RUNNING;
        if (done) {
            vgic_maintenance(&v->vm->vgic, v->idx);
        }
        gic_deactivate(intid); /* after the refill: it is level-sensitive */
        return done; /* synced and refilled: nothing left for the way back */
    } else if (intid == hyp_plat.uart_intid) {
        irq_console();
        gic_deactivate(intid);
    } else if (intid >= 32) {
        irq_passthrough(intid);
    } else {
        if (intid == GIC_SGI_DEADLINE) {
            deadline_program(); /* another pCPU moved one of ours earlier */
        }
        gic_deactivate(intid); /* otherwise an SGI nobody sends */
        if (intid == GIC_SGI_SCHED) {
            sched_event(arch_cpu_id_raw()); /* a shared pCPU's kick: someone may wake */
        }
    }
    return false;
}

bool irq_handle(struct vcpu *v, uint32_t intid)
{
    if (intid == GIC_SGI_KICK) {
        irq_kick_taken(intid);
        return true;
    }
    gic_eoi(intid);
    return irq_one(v, intid);
}

void irq_poll(struct vcpu *v)
{
    for (;;) {
        uint32_t intid = gic_ack();
        if (intid >= ICC_IAR_SPURIOUS) {
            return;
        }
        irq_handle(v, intid);
        if (intid == GIC_SGI_KICK) {
            return; /* anything else pending interrupts again at once (or ends the WFI) */
        }
    }
}
