/* SPDX-License-Identifier: MIT */
/* What core code may ask of the CPU layer: identity, time, cross-CPU kicks, power. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/layout.h>

struct vcpu;

struct pcpu {
    unsigned id;
    uint64_t mpidr;
    bool online;
    struct vcpu *vcpu; /* the vCPU pinned here, or NULL */
};

extern struct pcpu pcpus[MAX_CPUS];
extern unsigned pcpu_count;

/* Index of the calling physical CPU. */
unsigned arch_cpu_id(void);
/* Monotonic time in nanoseconds from the architected counter. */
uint64_t arch_now_ns(void);
/* Ask physical CPU cpu to look at its vCPU (start, stop, interrupts to inject). */
void arch_kick(unsigned cpu);
/* Wake CPUs sleeping in WFE. */
void arch_wake_all(void);
/* Power the platform off (PSCI SYSTEM_OFF through the firmware). Does not return. */
void arch_power_off(void) __attribute__((noreturn));
/* Leave the guest context on this pCPU and go to the idle loop. Does not return. */
void arch_vcpu_park(void) __attribute__((noreturn));
/* Clean the data cache to the point of coherency and invalidate the I-cache for a range the
 * hypervisor wrote guest code or data into. */
void arch_sync_guest_memory(uint64_t pa, uint64_t size);
/* Invalidate all stage-1 and stage-2 TLB entries of the VMID in vttbr (inner shareable). */
void arch_tlb_flush_vmid(uint64_t vttbr);
/* Physical interrupt control for pass-through interrupts. */
void arch_irq_enable(uint32_t intid, bool enable);
void arch_irq_route(uint32_t intid, unsigned cpu);
/* Set or clear the physical active state of intid (a PPI: in cpu's redistributor). */
void arch_irq_set_active(uint32_t intid, unsigned cpu, bool active);
/* Benchmark builds: this CPU's cycle counter (== instructions under QEMU -icount), else 0. */
uint64_t arch_bench_cycles(void);
