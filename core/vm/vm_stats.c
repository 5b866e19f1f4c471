// SPDX-License-Identifier: MIT
/* Summing a VM's statistics over its vCPUs (vm_stats.h). */
#include <core/vm/vm_stats.h>

static inline uint64_t rd(const uint64_t *c)
{
    return __atomic_load_n(c, __ATOMIC_RELAXED);
}

void vm_stats_total(struct vm_stats *out, const struct vm_stats *vm,
                    const struct vcpu_stats *vcpu0, size_t stride, unsigned n)
{
    for (unsigned c = 0; c < EXIT_CLASS_COUNT; c++) {
        out->exits[c] = rd(&vm->exits[c]);
    }
    out->mmio_emulated = rd(&vm->mmio_emulated);
    out->irqs_injected = rd(&vm->irqs_injected);
    out->faults = rd(&vm->faults);
    out->denials = rd(&vm->denials);
    out->events = rd(&vm->events);
    out->events_dropped = rd(&vm->events_dropped);
    out->restarts = rd(&vm->restarts);
    out->starts = rd(&vm->starts);
    for (unsigned i = 0; i < n; i++) {
        const struct vcpu_stats *v =
            (const struct vcpu_stats *)((const char *)vcpu0 + (size_t)i * stride);
        for (unsigned c = 0; c < EXIT_CLASS_COUNT; c++) {
            out->exits[c] += rd(&v->exits[c]);
        }
        out->mmio_emulated += rd(&v->mmio_emulated);
        out->irqs_injected += rd(&v->irqs_injected);
        out->faults += rd(&v->faults);
        out->denials += rd(&v->denials);
    }
}
