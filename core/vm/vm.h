/* SPDX-License-Identifier: MIT */
/*
 * Virtual machines and vCPUs. Each vCPU is pinned to one physical CPU for its whole life (on a
 * shared pCPU, docs/SCHEDULING.md, several take turns there, switched by arch/aarch64/sched_cpu.c;
 * what follows holds for the one running), so a
 * pCPU runs at most one vCPU and guest register state stays live in hardware between traps.
 * Lifecycle: a VM is built once at boot from its validated configuration (memory carved out,
 * images copied from the verified bundle, device tree generated, stage-2 tables built); it is
 * then started, and may stop (SYSTEM_OFF, fault policy "stop") or restart (SYSTEM_RESET,
 * policy "restart"), which reloads it from the bundle.
 *
 * Lock order: vm->lock before vm->vgic.lock before the console lock.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/cpu.h>
#include <arch/pgtable.h>
#include <arch/spinlock.h>
#include <arch/vtimer.h>
#include <core/config/config.h>
#include <core/dev/mmio.h>
#include <core/event.h>
#include <core/ipc/ipc.h>
#include <core/vgic/vgic.h>
#include <core/dev/sp805.h>
#include <core/dev/vgpio.h>
#include <core/dev/vuart.h>
#include <core/vm/vm_stats.h>

#define VM_MAX      CFG_MAX_VMS
#define VCPU_MAX    8
/* At most this many restarts of one VM within VM_RESTART_WINDOW_NS; one more stops it. */
#define VM_RESTART_MAX       20
#define VM_RESTART_WINDOW_NS UINT64_C(10000000000)

enum vcpu_state {
    VCPU_OFF,
    VCPU_ON_PENDING, /* CPU_ON accepted, the pCPU will enter it */
    VCPU_RUNNING,
};

enum vm_state {
    VM_UNUSED,
    VM_REFUSED,  /* bad configuration or image: never started */
    VM_RUNNING,
    VM_PAUSED,   /* vCPUs held in the hypervisor where they were (core/vm/vm_ctl.c); right
                  * after VM_RUNNING: vm_takes_input is one comparison */
    VM_STOPPING, /* vCPUs are being pulled out of the guest (or it is being reloaded) */
    VM_STOPPED,
    VM_DEFINED,  /* built and verified, never started (autostart = <0>) */
};

struct vm;

/* Why a vCPU sleeps in the hypervisor (vcpu.wait_kind). */
#define VCPU_WAIT_NONE  0
#define VCPU_WAIT_IPC   1 /* blocked in an IPC call (counted as blocked time) */
#define VCPU_WAIT_HOLD  2 /* its VM is paused (counted as paused time) */
#define VCPU_WAIT_IDLE  3 /* a trapped WFI (counted as idle time) */

struct vcpu {
    /* Interrupts it raised in another VM by ringing doorbell id on the direct path (vm_ipc.c
     * ring_direct), counted in that VM's irqs_injected when read (vm_ipc_ring_irqs). Its own
     * pCPU writes them; first, so the count is one indexed ldr/add/str on the doorbell path. */
    uint64_t ring_irqs[CFG_MAX_CHANS];
    struct vm *vm;
    unsigned idx;
    unsigned pcpu;
    volatile enum vcpu_state state;
    volatile uint8_t wait_kind; /* VCPU_WAIT_*: why it sleeps in the hypervisor now (wait_since) */
    bool entry_be;   /* for VCPU_ON_PENDING: SCTLR_EL1.EE of CPU_ON's caller (DEN0022D 6.4) */
    uint64_t entry;  /* for VCPU_ON_PENDING */
    uint64_t ctx_id;
    struct ipc_waiter waiter; /* its one outstanding IPC wait (core/ipc/vm_ipc.c) */
    struct ipc_notify notify; /* what its current IPC call raises and wakes (scratch) */
    /* Where the last exception the hypervisor injected sent it (VM_FAULT_NO_PC: none since
     * it started): a stage-2 fault at that PC is a fault while delivering one (vm_fault.h). */
    uint64_t injected_pc;
    struct arch_ptimer ptimer; /* emulated EL1 physical timer (arch/aarch64/vtimer.c) */
    /* Time accounting (statistics), in counter ticks (arch_ticks), written by its own pCPU
     * only, at the slow transitions: entered from reset / parked (on_*), a trapped WFI
     * (arch_vcpu_idle), a wait in an IPC call (arch_vcpu_wait), a pause (vm_vcpu_hold). */
    uint64_t on_since;         /* when it last entered the guest from reset; 0: off */
    uint64_t on_ticks;         /* time on, over the periods that ended */
    uint64_t idle_ticks;       /* the waits of each kind that ended */
    uint64_t blocked_ticks;
    uint64_t paused_ticks;
    uint64_t wait_since;       /* when the current wait began (wait_kind != NONE) */
    /* Its exits' counters (vm_stats.h): only its own pCPU writes them, the exception-vector
     * fast paths too (VCPU_EXITS_*, VCPU_MMIO_EMULATED, VCPU_IRQS_INJECTED). */
    struct vcpu_stats stats;
    /* Free room up to the power of two (the fields from vm to wait_since fill 512 bytes). */
    uint8_t spare[1024 - 512 - CFG_MAX_CHANS * 8 - sizeof(struct vcpu_stats)];
} __attribute__((aligned(64))); /* its pCPU's own cache lines (also: 1024 bytes, so
                                  * vcpus[i] on the doorbell path is a shift) */

_Static_assert(sizeof(struct vcpu) == 1024, "struct vcpu: keep vcpus[i] a shift");

struct vm {
    unsigned id;
    uint16_t vmid;
    const struct cfg_vm *cfg;
    const char *name;
    struct spinlock lock;
    volatile enum vm_state state;
    /* Restarts in the current window (vm_stop): a crash loop is stopped, not restarted
     * forever at full speed. */
    uint64_t restart_window_ns;
    uint32_t restart_count;

    uint64_t mem_pa;     /* host physical base of guest RAM (0: coloured, scattered pages) */
    uint64_t mem_host;   /* the hypervisor's view of it: mem_pa, or a coloured VM's alias */
    uint64_t mem_ipa;
    uint64_t mem_size;
    uint64_t entry_ipa;
    uint64_t dtb_ipa;
    const void *kernel;  /* images inside the verified bundle */
    uint64_t kernel_size;
    uint64_t kernel_ipa;
    const void *initrd;
    uint64_t initrd_size;
    uint64_t initrd_ipa;
    const void *dtb;     /* generated at boot, kept for restarts */
    uint64_t dtb_size;

    struct pgtable s2;
    uint64_t vttbr;

    struct vgic_vm vgic;
    struct vuart vuart;
    struct vgpio_bank gpio;  /* notification GPIOs (ipc-notify = "gpio") */
    struct vgpio_bank pwr;   /* the power button's PL061 (power-button, core/vm/vm_power.c) */
    struct mmio_bus mmio;    /* emulated MMIO windows (core/dev/mmio.h) */
    struct sp805 wdog;       /* virtual watchdog, if configured (core/vm/vm_wdog.c) */
    unsigned nr_vcpus;
    struct vcpu vcpus[VCPU_MAX];

    /* The VM-wide part of its statistics (vm_stats.h): what none of its vCPUs counts on its
     * own exit, under a lock or with vm_stats_count. Read the totals with vm_stats_read. */
    struct vm_stats stats;
    struct evt_limiter evt_limit; /* per kind; under vm.c's evt_lock */
    uint64_t started_ns;          /* when it last started (uptime) */
    uint64_t shutdown_deadline_ns; /* a graceful shutdown is pending until then; 0: none */
};

extern struct vm vms[VM_MAX];
extern unsigned vm_count;

/*
 * Emit an event record for vm, rate-limited per VM and kind (core/event.h); lifecycle kinds
 * are never dropped, and drops are reported in evt_dropped records. fmt may be "" for no extra
 * fields.
 */
void vm_event(struct vm *vm, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* vm_event for a record that must not be dropped whatever its kind: a fault that stops or
 * restarts the VM, or ends a fault loop. Only for events bounded by the VM's lifecycle. */
void vm_event_always(struct vm *vm, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Read the event log with a cursor (evt_ring_read under the log's lock, one record per call):
 * true and the record, or false when there is no newer one; *missed counts records the
 * cursor skipped because they were overwritten.
 */
bool vm_event_read(uint64_t *cursor, struct evt_record *out, uint64_t *missed);
/* The sequence number the next event record will get. */
uint64_t vm_event_next(void);

/*
 * Stop the VM (reason is printed in the marker). Safe from any vCPU of the VM or from the
 * hypervisor; other vCPUs are pulled out by a kick. If restart is true the VM is reloaded
 * from the bundle and started again. Returns once the calling pCPU may leave the guest; the
 * caller must not return into the guest if its own VM is no longer running.
 */
void vm_stop(struct vm *vm, const char *reason, bool restart);

/* Start vCPU 0 of a built VM: prints the start marker and kicks its pCPU. */
void vm_start(struct vm *vm);

/* Whether the VM counts as alive: running, paused, or being stopped (not yet stopped). */
static inline bool vm_is_alive(const struct vm *vm)
{
    return vm->state == VM_RUNNING || vm->state == VM_PAUSED || vm->state == VM_STOPPING;
}

/* Whether interrupts and input for the VM are kept: it runs, or it is paused (it gets them
 * once resumed). */
static inline bool vm_takes_input(const struct vm *vm)
{
    _Static_assert(VM_PAUSED == VM_RUNNING + 1, "one comparison");
    return (unsigned)vm->state - VM_RUNNING <= 1;
}

/* The name of a VM state ("running", "paused", ...). */
const char *vm_state_name(enum vm_state s);

/* Register the built-in virtual devices' MMIO windows on vm->mmio (core/vm/vm_mmio.c); after
 * the devices are set up. 0 or the bus's error. */
int vm_mmio_register(struct vm *vm) BH_MUST_CHECK;

/* Print every VM's statistics on the console (STATS lines), then the console's own. */
void vm_print_stats(void);

/* Print one VM's STATS line. */
void vm_print_vm_stats(const struct vm *vm);
/* The VM's statistics: its VM-wide part plus every vCPU's counters (vm_stats_total). */
void vm_stats_read(const struct vm *vm, struct vm_stats *out);

/* Print the newest n event records kept in the ring, oldest first, as
 * "bulkhead: events: #<seq> t=<s.us> EVT ..." lines (never at a line start as "EVT"). */
void vm_print_events(unsigned n);

/* The hypervisor's address of guest physical address ipa, inside the VM's RAM (checked by
 * the caller). Contiguous for every VM: a coloured VM's pages through its alias. */
static inline void *vm_ipa_to_host(const struct vm *vm, uint64_t ipa)
{
    return (void *)(uintptr_t)(vm->mem_host + (ipa - vm->mem_ipa));
}

/* Kick the pCPUs of the vCPUs in mask (bit i = vCPU i), except the caller's own. */
static inline void vm_kick_mask(struct vm *vm, uint32_t mask)
{
    /* masks come from the vGIC (its vCPUs only); bound the array index all the same */
    mask &= (uint32_t)BIT(VCPU_MAX) - 1;
    for (; mask; mask &= mask - 1) {
        arch_kick(vm->vcpus[__builtin_ctz(mask)].pcpu); /* never the calling pCPU itself */
    }
}
