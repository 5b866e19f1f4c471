/* SPDX-License-Identifier: MIT */
/* What core code may ask of the CPU layer: identity, time, cross-CPU kicks, power. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/layout.h>
#include <arch/sysreg.h>
#include <bulkhead/errno.h>
#include <drivers/gic.h>

struct vcpu;

struct pcpu {
    unsigned id;
    bool online;
    uint64_t mpidr;
    uint64_t kick_sgi1r; /* ICC_SGI1R_EL1 value of a kick SGI to this pCPU */
    struct vcpu *vcpu; /* the vCPU pinned here, or NULL */
};
/* 32 bytes: pcpus[i] is a shift away on every exit */
_Static_assert(sizeof(struct pcpu) == 32, "struct pcpu: keep it a power of two");

extern struct pcpu pcpus[MAX_CPUS];
extern unsigned pcpu_count;

/* Index of the calling physical CPU. */
unsigned arch_cpu_id(void);
/* Monotonic time in nanoseconds from the architected counter. */
uint64_t arch_now_ns(void);
/* The architected counter itself (cheap: for time accounting on paths with a budget);
 * arch_ticks_to_ns converts a duration. */
static inline uint64_t arch_ticks(void)
{
    return sysreg_read(cntpct_el0);
}
uint64_t arch_ticks_to_ns(uint64_t ticks);
/* Ask physical CPU cpu to look at its vCPU (start, stop, interrupts to inject); never the
 * calling one (it looks on its own way back into the guest). Inline: on every IPC call. */
extern bool sched_pcpu_shared[MAX_CPUS];
/* Out of line, off the IPC path: a shared pCPU kicks itself too (the vCPU to wake may be
 * another one of its own); an exclusive one never does. */
void arch_kick_self(unsigned cpu);
static inline void arch_kick(unsigned cpu)
{
    if (cpu < pcpu_count) {
        if (cpu != arch_cpu_id_raw()) {
            gic_send_sgi_value(pcpus[cpu].kick_sgi1r);
        } else {
            arch_kick_self(cpu);
        }
    }
}
/* Wake CPUs sleeping in WFE. */
void arch_wake_all(void);
/* Power the platform off (PSCI SYSTEM_OFF through the firmware). Does not return. */
void arch_power_off(void) __attribute__((noreturn));
/* SHA-256 of len bytes into out with the CPU's SHA-256 instructions (arch/aarch64/sha256.c):
 * false when the CPU has none or they fail their known answers; the caller then hashes
 * with portable code. */
bool arch_sha256(const void *data, uint64_t len, uint8_t out[32]);

/* Copy n bytes between non-overlapping buffers in Normal memory (MMU on): unaligned 16-byte
 * blocks (arch/aarch64/copy.S). For guest RAM and the hypervisor's own buffers after boot;
 * memcpy stays the one for anything that may run with the MMU off. */
void arch_copy_normal(void *dst, const void *src, size_t n);
/* One load or store of any alignment in Normal memory (SCTLR_EL2.A clear; the compiler's
 * -mstrict-align would split it into bytes): a few fields of a guest buffer, read once. */
static inline uint16_t arch_read_normal16(const void *p)
{
    uint32_t v;
    __asm__("ldrh %w0, [%1]" : "=r"(v) : "r"(p), "m"(*(const uint8_t(*)[2])p));
    return (uint16_t)v;
}
static inline uint32_t arch_read_normal32(const void *p)
{
    uint32_t v;
    __asm__("ldr %w0, [%1]" : "=r"(v) : "r"(p), "m"(*(const uint8_t(*)[4])p));
    return v;
}
static inline void arch_write_normal16(void *p, uint16_t v)
{
    __asm__("strh %w1, [%2]" : "=m"(*(uint8_t(*)[2])p) : "r"((uint32_t)v), "r"(p));
}
static inline void arch_write_normal64(void *p, uint64_t v)
{
    __asm__("str %1, [%2]" : "=m"(*(uint8_t(*)[8])p) : "r"(v), "r"(p));
}
/* The console UART's receiver (console hooks.rx_hold): hold or resume it. */
void arch_console_rx_hold(bool hold);
/* The console's timer (hooks.arm_timer): console_timer() on the console's pCPU at at_ns
 * (arch_now_ns time). */
void arch_console_arm_timer(uint64_t at_ns);
/* Bind the console's timer and enable the receive interrupt (boot, pCPU 0). */
void arch_console_rx_init(void);
/* Send the UART's interrupt (the console's keys and commands) to pCPU cpu instead (boot,
 * before any input: the console's drain pCPU, so a real-time VM's pCPU is left alone). */
void arch_console_rx_route(unsigned cpu);
/* Give pCPU cpu the round-robin time slice of slice_us (a platform quirk, rr_slice.c): from
 * its vCPU's start, a hypervisor timer deadline at every multiple of the slice while the vCPU
 * runs. Boot only, before the secondaries start; never for a real-time VM's pCPU. */
void arch_rt_slice_enable(unsigned cpu, uint32_t slice_us);
/* The platform's round-robin time slice in us when the scenario names none (0: none). */
uint32_t arch_rt_slice_default_us(void);
/* How often pCPU cpu's slice has expired since boot (0 where it is off): STATS. */
uint64_t arch_rt_slice_expiries(unsigned cpu);
struct cfg_scenario;
/* Set up the scheduler of every shared pCPU of the scenario (policy priority or partitions,
 * sched_cpu.c): after the VMs are built, before any starts and before the secondaries run. */
void arch_sched_init(const struct cfg_scenario *sc);
/* A vCPU's scheduler accounting on a shared pCPU (docs/SCHEDULING.md "Statistics"), as it
 * stands (the time since the pCPU's last decision included). */
struct arch_sched_vcpu_stats {
    uint64_t run;           /* counter ticks holding the pCPU */
    uint64_t wait;          /* ... runnable with budget left, another vCPU had the pCPU */
    uint64_t throttled;     /* ... runnable with its budget gone */
    uint64_t throttles;     /* how often its budget ran out */
    uint64_t preemptions;   /* switched out while it could have run on */
    uint64_t ready_in_wait; /* of wait + throttled, the ticks inside the guest wait (WFI, IPC,
                             * hold) in progress: not idle, blocked or paused time */
};
/* v's scheduler accounting; false (nothing written) when v's pCPU is exclusive. Any pCPU may
 * ask (an estimate while v's pCPU decides, never below what was accounted). */
bool arch_sched_vcpu_times(const struct vcpu *v, struct arch_sched_vcpu_stats *st);
/* A shared pCPU's scheduler counters (docs/SCHEDULING.md, `STATS sched` lines). */
struct arch_sched_stats {
    bool partitions;        /* policy partitions (else priority) */
    uint64_t switches;      /* vCPU switches (the idle thread counts as one side) */
    uint64_t windows;       /* partitions: windows entered */
    uint64_t skipped;       /* partitions: windows passed over entirely */
    uint64_t jitter_max_ns; /* partitions: latest window start, after its planned start */
    uint64_t jitter_avg_ns; /* partitions: mean lateness of the windows entered */
    uint64_t parked;        /* vCPUs parked while switched out (their VM stopped) */
    /* CONFIG_BENCH only (else 0): EL2 instructions of its decisions and of its switches
     * between two vCPUs (make bench, docs/PERFORMANCE.md) */
    uint64_t bench_decide_insns, bench_decisions, bench_switch_insns, bench_switches;
};
/* cpu's scheduler counters; false (nothing written) for an exclusive pCPU. */
/* Whether v waits switched out on a shared pCPU (not in the guest, and it passes the checks
 * of the way back before it enters the guest again): a pause need not wait for it. */
bool arch_vcpu_is_switched_out(const struct vcpu *v);
bool arch_sched_cpu_stats(unsigned cpu, struct arch_sched_stats *st);
/* Power off reporting a failed boot: QEMU's pvpanic-pci when present (QEMU exits 1 under
 * -action panic=exit-failure, scripts/qemu.sh), else arch_power_off. Does not return. */
void arch_power_off_failure(void) __attribute__((noreturn));
/* Leave the guest context on this pCPU and go to the idle loop. Does not return. */
void arch_vcpu_park(void) __attribute__((noreturn));
/* Copy size bytes of an image from src to guest RAM at pa, clean them to the point of
 * coherency (the guest starts with its caches off) and invalidate the I-cache. In chunks,
 * like arch_zero_guest_memory. */
void arch_load_guest_memory(uint64_t pa, const void *src, uint64_t size);
/* Zero [pa, pa + size) of guest RAM and clean it to the point of coherency: the guest starts
 * with its caches off. Reads every byte from the point of coherency (after DC CIVAC) and
 * writes only what is not zero already (clear.S: under QEMU untouched RAM stays unallocated). No I-cache maintenance: the caller loads
 * the images afterwards (vm_reload), which invalidates the whole I-cache. In 64 KiB chunks
 * with a YIELD between them (cpu.c: an emulator's round robin lets other CPUs run there). */
void arch_zero_guest_memory(uint64_t pa, uint64_t size);
/* Invalidate all stage-1 and stage-2 TLB entries of the VMID in vttbr (inner shareable). */
void arch_tlb_flush_vmid(uint64_t vttbr);
struct platinfo;
struct pgtable;

/*
 * Boot-CPU platform bring-up from the discovered platform: EL2 page tables and MMU, the GIC,
 * this CPU's interface, console input interrupt. Returns 0 or -BH_E*.
 */
int arch_platform_init(const struct platinfo *plat);
/*
 * Sleep on v's pCPU (WFI, interrupts handled, no CPU time) until done(arg) is true (returns
 * true), the time deadline_ns passes (UINT64_MAX: never) or v's VM stops running (returns
 * false). Wake-ups come from arch_kick() by whoever may have made done() true. kind: what
 * the wait shows as while it sleeps (vcpu.wait_kind, set from its first sleep on; with
 * VCPU_WAIT_NONE the caller keeps its own), and *slept (may be NULL) gets the time it
 * slept in counter ticks: 0 when done() held at once, which costs no counter read; on a
 * shared pCPU without the time it was runnable but had no pCPU (the scheduler's waiting).
 */
bool arch_vcpu_wait(struct vcpu *v, uint64_t deadline_ns, bool (*done)(void *), void *arg,
                    uint8_t kind, uint64_t *slept);
/*
 * A trapped WFI of v (its PC already past it): sleep on v's pCPU, handling interrupts, until
 * its virtual CPU interface would signal one (vgic_lrs_signal), its VM stops running or the
 * vCPU is turned off. The time goes to v's idle_ticks (VCPU_WAIT_IDLE while it sleeps),
 * on a shared pCPU without the time it was runnable but had no pCPU.
 */
void arch_vcpu_idle(struct vcpu *v);
/* Physical range of the hypervisor image (text, data, bss). */
void arch_image_bounds(uint64_t *start, uint64_t *size);
/* Start every other CPU with the firmware's PSCI CPU_ON and wait until each is up. */
void arch_start_secondaries(void);
/* Give up the boot stack and become this CPU's idle loop (enters vCPUs as they start). */
void arch_idle(void) __attribute__((noreturn));
/* Prepare an empty stage-2 table set drawing pages from the EL2 table pool. 0 or -BH_ENOMEM. */
int arch_s2_init(struct pgtable *pt);
/* The VTTBR_EL2 value for a VM's tables and VMID. */
uint64_t arch_s2_vttbr(const struct pgtable *pt, uint16_t vmid);
/*
 * The hypervisor's alias of a cache-coloured VM's RAM (core/vm/vm_colour.c, mmu.c): the base of
 * VM vm_id's window (a CFG_COLOUR_ALIAS_ALIGN boundary; 0 for a bad id); map [va, va + size)
 * of it to [pa, pa + size) (RAM attributes, tables from alloc(ctx); boot CPU, before the
 * other CPUs start); and the MMU's own translation of a hypervisor address (AT S1E2R), false
 * when it faults.
 */
uint64_t arch_hyp_alias_va(unsigned vm_id);
int arch_hyp_alias_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t *(*alloc)(void *),
                       void *ctx) BH_MUST_CHECK;
bool arch_hyp_va_to_pa(uint64_t va, uint64_t *pa);
/* Physical SPI intid belongs to VM vm_id (pass-through): deliver it there. */
void arch_irq_set_owner(uint32_t intid, unsigned vm_id);
/* Physical interrupt control for pass-through interrupts. */
void arch_irq_enable(uint32_t intid, bool enable);
void arch_irq_route(uint32_t intid, unsigned cpu);
/* Whether the source of physical interrupt intid still asserts it (the virtual timer output
 * of this CPU, or a level SPI's input as the GIC sees it). Called on cpu itself. */
bool arch_irq_line(uint32_t intid, unsigned cpu);
/* Set or clear the physical active state of intid (a PPI: in cpu's redistributor). */
void arch_irq_set_active(uint32_t intid, unsigned cpu, bool active);
/* Benchmark builds: this CPU's cycle counter (== instructions under QEMU -icount), else 0. */
uint64_t arch_bench_cycles(void);
/* Wait for an event (WFE): a SEV, or the EL2 event stream's next tick (bounded). */
static inline void arch_wait_event(void)
{
    __asm__ volatile("wfe" ::: "memory");
}
