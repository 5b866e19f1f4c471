/* SPDX-License-Identifier: MIT */
/*
 * What a guest fault the hypervisor does not emulate leads to: the VM's fault policy
 * (docs/CONFIG.md "fault-policy"), and the two cases the policy alone gets wrong. Portable, so
 * the decision is unit-tested on the host; arch/aarch64/trap.c carries it out.
 *   - A fault taken while delivering a fault (ARM DDI 0487 D1.10.2: an injected abort goes to
 *     VBAR_EL1 + offset): a stage-2 fault at the very PC the hypervisor last sent the guest to
 *     means its vector is unreachable (outside RAM, or faulting on its first instruction), so
 *     injecting again would repeat forever. The VM is stopped instead, as Xen crashes such a
 *     domain.
 *   - A physical SError taken from the guest is asynchronous: under the abort policy it
 *     becomes a virtual SError (HCR_EL2.VSE, D1.14.6 "Virtual SError"), never a synchronous
 *     abort at whatever PC the guest happened to be.
 */
#pragma once

#include <stdint.h>

#include <core/config/config.h>

/* No injection yet (a PC the guest can never be at: not 4-byte aligned). */
#define VM_FAULT_NO_PC UINT64_MAX

enum vm_fault_kind {
    VM_FAULT_DABT,   /* stage-2 data abort outside the VM's memory and devices */
    VM_FAULT_IABT,   /* stage-2 instruction abort */
    VM_FAULT_SERROR, /* physical SError taken while the guest ran */
};

enum vm_fault_action {
    VM_FAULT_INJECT_DABT,
    VM_FAULT_INJECT_IABT,
    VM_FAULT_INJECT_VSERROR,
    VM_FAULT_STOP,
    VM_FAULT_RESTART,
    VM_FAULT_STOP_LOOP, /* fault while delivering a fault: stop, whatever the policy says */
};

/*
 * The action for a fault of kind at guest PC pc, under policy; injected_pc is where the
 * hypervisor last sent this vCPU by injecting an exception (VM_FAULT_NO_PC: never).
 */
enum vm_fault_action vm_fault_decide(enum cfg_fault_policy policy, enum vm_fault_kind kind,
                                     uint64_t pc, uint64_t injected_pc);
