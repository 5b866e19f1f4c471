/* SPDX-License-Identifier: MIT */
/*
 * A VM's trap statistics, exact under concurrent exits (docs/MANAGEMENT.md "Statistics").
 * As in Xen and KVM, what a vCPU's exit counts goes into that vCPU's own counters
 * (struct vcpu_stats in struct vcpu, their own cache lines), written only by the pCPU running
 * it, with plain increments (the exception-vector fast paths do ldr/add/str relative to the
 * vCPU; a doorbell's interrupt, on its direct path, is counted by the ringing vCPU in its
 * struct vcpu ring_irqs); what is counted anywhere else (an interrupt another IPC path or a
 * passthrough SPI injects, a denial in a device hook, the watchdog's fault, events, starts,
 * restarts) goes into the VM-wide part (struct vm.stats) under a lock or with a relaxed
 * atomic add (vm_stats_count). Readers sum them all (vm_stats_read in vm.c, over
 * vm_stats_total). Portable, so the summing is unit-tested on the host
 * (tests/unit/test_vm_stats.c).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Exit classes counted per VM (the order of struct bh_mgmt_vm.exits[], BH_MGMT_EXIT_*). */
enum vm_exit_class {
    EXIT_HVC,
    EXIT_SMC,
    EXIT_SYSREG,
    EXIT_DABT,
    EXIT_IABT,
    EXIT_IRQ,
    EXIT_OTHER,
    EXIT_WFX, /* a trapped WFI */
    EXIT_CLASS_COUNT,
};

/* A VM's statistics: the totals (vm_stats_total), and the type of its VM-wide part. */
struct vm_stats {
    uint64_t exits[EXIT_CLASS_COUNT];
    uint64_t mmio_emulated;
    uint64_t irqs_injected;
    uint64_t faults;
    uint64_t denials;
    uint64_t events;
    uint64_t events_dropped;
    uint64_t restarts;
    uint64_t starts;      /* vm_start calls (restarts included) */
};

/* One vCPU's counters: written only by the pCPU running it (no atomics), never reset (they
 * survive restarts and stop/start, like the VM-wide part). In their own cache lines. */
struct vcpu_stats {
    uint64_t exits[EXIT_CLASS_COUNT];
    uint64_t mmio_emulated;
    uint64_t irqs_injected; /* into its own VM, counted on its own exit */
    uint64_t faults;
    uint64_t denials;
} __attribute__((aligned(64)));

/* Count one event in a VM-wide counter from a context that holds no lock serialising it. */
static inline void vm_stats_count(uint64_t *counter)
{
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

/*
 * The totals into out: the VM-wide part vm plus the counters of n vCPUs, the first at
 * vcpu0 and each next one stride bytes further (&vm->vcpus[0].stats, sizeof(struct vcpu)).
 * Every counter is read once where it lies (an aligned 64-bit word, never torn): a snapshot
 * that may be a few exits behind a vCPU running on another pCPU, never a lost count.
 */
void vm_stats_total(struct vm_stats *out, const struct vm_stats *vm,
                    const struct vcpu_stats *vcpu0, size_t stride, unsigned n);
