// SPDX-License-Identifier: MIT
/*
 * Fault policy decision (core/vm/vm_fault.h): policy, fault-while-delivering detection and the
 * asynchronous SError rule, without any register access so it is unit-tested on the host.
 */
#include <core/vm/vm_fault.h>

enum vm_fault_action vm_fault_decide(enum cfg_fault_policy policy, enum vm_fault_kind kind,
                                     uint64_t pc, uint64_t injected_pc)
{
    switch (policy) {
    case CFG_FAULT_ABORT:
        if (kind == VM_FAULT_SERROR) {
            return VM_FAULT_INJECT_VSERROR; /* asynchronous: no PC it belongs to */
        }
        /* Stage 2 never changes while the VM runs, so a fault at the vector the last
         * injection went to would fault again on every further injection. */
        if (injected_pc != VM_FAULT_NO_PC && pc == injected_pc) {
            return VM_FAULT_STOP_LOOP;
        }
        return kind == VM_FAULT_IABT ? VM_FAULT_INJECT_IABT : VM_FAULT_INJECT_DABT;
    case CFG_FAULT_RESTART:
        return VM_FAULT_RESTART;
    case CFG_FAULT_STOP:
    default:
        return VM_FAULT_STOP;
    }
}
