/* SPDX-License-Identifier: MIT */
/* Private interfaces of the EL2 trap layer (arch/aarch64 only). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/frame.h>
#include <arch/sysreg.h>
#include <core/console.h>
#include <core/hyp.h>
#include <drivers/gic.h>

#include "smccc.h"

struct vcpu;

/* PSCI function IDs (DEN0022D 5.1) */
#define PSCI_VERSION          0x84000000u
#define PSCI_CPU_SUSPEND_32   0x84000001u
#define PSCI_CPU_SUSPEND_64   0xC4000001u
#define PSCI_CPU_OFF          0x84000002u
#define PSCI_CPU_ON_32        0x84000003u
#define PSCI_CPU_ON_64        0xC4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xC4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF       0x84000008u
#define PSCI_SYSTEM_RESET     0x84000009u
#define PSCI_FEATURES         0x8400000Au

#define PSCI_RET_SUCCESS        0
#define PSCI_RET_NOT_SUPPORTED  (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_DENIED         (-3)
#define PSCI_RET_ALREADY_ON     (-4)
#define PSCI_RET_ON_PENDING     (-5)
#define PSCI_RET_INVALID_ADDRESS (-9)

void guest_enter(struct trap_frame *f) __attribute__((noreturn));
void arch_run_on_fresh_stack(void (*fn)(void *), void *arg, void *sp) __attribute__((noreturn));

struct trap_frame *pcpu_frame(unsigned cpu);
void pcpu_local_init(void);
void pcpu_idle(void) __attribute__((noreturn));
void vcpu_enter_fresh(struct vcpu *v) __attribute__((noreturn));

/* Called on every way back into the guest: parks the pCPU if its VM stopped, else refills the
 * list registers. */
void vcpu_return(struct vcpu *v);

/* Acknowledge and handle every pending physical interrupt. v may be NULL (idle). */
void irq_poll(struct vcpu *v);
/* Handle one acknowledged interrupt (not spurious). True when it leaves no work for the
 * list registers beyond what vgic_vcpu_pending_work shows (a kick, a re-armed tick). */
bool irq_handle(struct vcpu *v, uint32_t intid);

/* The kick SGI was acknowledged: complete it. Its work happens on the way back into the
 * guest (posted edges, LR refill, stop); the console's drain pCPU also writes what
 * real-time VMs appended (core/console.c). */
static inline void irq_kick_taken(uint32_t intid)
{
    gic_eoi(intid);
    gic_deactivate(intid);
    if (hyp_console_drain_cpu >= 0 && (int)arch_cpu_id_raw() == hyp_console_drain_cpu) {
        console_drain();
    }
}

/* Step the guest past the trapped instruction: 2 bytes for a 16-bit T32 instruction, 4
 * otherwise, as ESR_EL2.IL says (ARM DDI 0487 D17.2.37). The instruction has now completed,
 * so a guest that was single-stepping it must take its software step exception before the
 * next one: SPSR.SS cleared ("active-pending" on return, D2.12.3, D2.12.5); left as the trap
 * set it (1: the trapped instruction had not executed), the guest would run one instruction
 * more before the step exception. KVM's kvm_skip_instr does the same (DBG_SPSR_SS). Every
 * skip over an emulated instruction in C comes here; vectors.S sends a stepped access the C
 * way (guest_dabt, guest_sysreg). */
static inline void arch_skip_insn(struct trap_frame *f, uint64_t esr)
{
    f->elr += (esr & ESR_IL) ? 4 : 2;
    f->spsr &= ~(uint64_t)PSR_SS;
}

/* A trapped system register access (EC 0x18) that a row of sysreg_trap.c's table emulates:
 * enc is the ISS encoding (SYSREG_ENC), *val the value written, or set to the value read.
 * Returns 0, or a negative error for an access the vCPU may not make (UNDEF + sysreg_deny). */
typedef int (*sysreg_access_fn)(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val);

/* A Bulkhead call (SMCCC OEN 6, include/bulkhead/abi.h), also the hypercall fast path's:
 * false for a function that does not exist (the caller answers NOT_SUPPORTED). */
bool vbh_call(struct vcpu *v, struct trap_frame *f, uint32_t fid);

/* PSCI for guests (vpsci.c), one of the SMCCC services arch_smccc_init registers. */
extern const struct smccc_service vpsci_service;

/* Register the SMCCC services of this layer (PSCI, TRNG, architecture workarounds, Bulkhead
 * calls) in core's table; boot CPU, before any guest. */
int arch_smccc_init(void);

/* Data abort from the guest: emulate MMIO or apply the fault policy. */
void dabt_guest(struct vcpu *v, struct trap_frame *f, uint64_t esr);
void iabt_guest(struct vcpu *v, struct trap_frame *f, uint64_t esr);

/* Inject a synchronous exception into the guest's EL1 (ESR value esr, fault address far). */
void inject_sync(struct trap_frame *f, uint64_t esr, uint64_t far);
void inject_undef(struct trap_frame *f);
void inject_dabt(struct trap_frame *f, uint64_t far);
void inject_iabt(struct trap_frame *f, uint64_t far);

/* Apply the VM's fault policy to a guest fault that was already logged. */
void fault_policy_apply(struct vcpu *v, struct trap_frame *f, bool is_exec, uint64_t far);

/* The test build's FIQ self-test (CONFIG_FIQ_TEST, trap.c): before pCPU 0's first guest entry. */
void trap_fiq_selftest(void);

/* Check once at boot that sysreg_trap.c's table is sorted and its ranges disjoint (panics). */
void sysreg_table_check(void);
