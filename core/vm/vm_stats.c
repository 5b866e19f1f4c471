// SPDX-License-Identifier: MIT
/* Summing a VM's statistics over its vCPUs (vm_stats.h). */
#include <core/vm/vm_stats.h>

void vm_stats_total(struct vm_stats *out, const struct vm_stats *vm,
                    const struct vcpu_stats *vcpu0, size_t stride, unsigned n)
{
    /* Plain loads (each counter one aligned 64-bit word: single-copy atomic), the sums in
     * registers: a management snapshot sums every VM it describes. */
    uint64_t e[EXIT_CLASS_COUNT];
    uint64_t mmio = vm->mmio_emulated, irqs = vm->irqs_injected;
    uint64_t faults = vm->faults, denials = vm->denials;
    const char *p = (const char *)vcpu0;

#pragma GCC unroll 8
    for (unsigned c = 0; c < EXIT_CLASS_COUNT; c++) {
        e[c] = vm->exits[c];
    }
    for (unsigned i = 0; i < n; i++, p += stride) {
        const struct vcpu_stats *v = (const struct vcpu_stats *)p;
#pragma GCC unroll 8
        for (unsigned c = 0; c < EXIT_CLASS_COUNT; c++) {
            e[c] += v->exits[c];
        }
        mmio += v->mmio_emulated;
        irqs += v->irqs_injected;
        faults += v->faults;
        denials += v->denials;
    }
#pragma GCC unroll 8
    for (unsigned c = 0; c < EXIT_CLASS_COUNT; c++) {
        out->exits[c] = e[c];
    }
    out->mmio_emulated = mmio;
    out->irqs_injected = irqs;
    out->faults = faults;
    out->denials = denials;
    out->events = vm->events;
    out->events_dropped = vm->events_dropped;
    out->restarts = vm->restarts;
    out->starts = vm->starts;
}
