// SPDX-License-Identifier: MIT
/* Structure offsets for assembly, generated from C so they can never drift (STYLE.md). */
#include <stddef.h>
#include <arch/frame.h>
#include <arch/layout.h>
#include <arch/sysreg.h>
#include <core/hyp.h>
#include <core/vm/vm.h>

#define DEFINE(sym, val) __asm__ volatile("\n@@ASMOFF " #sym " %0" : : "i"(val))

void asm_offsets(void);
void asm_offsets(void)
{
    DEFINE(FRAME_SIZE, sizeof(struct trap_frame));
    DEFINE(FRAME_ELR, offsetof(struct trap_frame, elr));
    DEFINE(FRAME_SPSR, offsetof(struct trap_frame, spsr));
    DEFINE(PCPU_STACK_SIZE, PCPU_STACK_BYTES);
    /* ESR_EL2 of an AArch64 write of ICC_SGI1R_EL1 with Rt = 0 (vectors.S: the IPI path) */
    DEFINE(ESR_SGI1R_WRITE, ((uint64_t)EC_SYSREG << ESR_EC_SHIFT) | ESR_IL |
                                SYSREG_ENC(3, 0, 12, 11, 5));
    /* the virtual timer tick's re-arm in the IRQ vector (vectors.S guest_irq) */
    DEFINE(PLAT_TIMER_VIRT, offsetof(struct platinfo, timer_intid[PLATINFO_TIMER_VIRT]));
    DEFINE(PCPU_SHIFT, __builtin_ctz(sizeof(struct pcpu)));
    DEFINE(PCPU_VCPU, offsetof(struct pcpu, vcpu));
    DEFINE(VCPU_VM, offsetof(struct vcpu, vm));
    DEFINE(VCPU_IDX, offsetof(struct vcpu, idx));
    DEFINE(VCPU_STATE, offsetof(struct vcpu, state));
    DEFINE(VCPU_RUNNING_, VCPU_RUNNING);
    DEFINE(VM_STATE, offsetof(struct vm, state));
    DEFINE(VM_RUNNING_, VM_RUNNING);
    DEFINE(VM_EXITS_IRQ, offsetof(struct vm, stats.exits[EXIT_IRQ]));
    DEFINE(VM_IRQS_INJECTED, offsetof(struct vm, stats.irqs_injected));
    DEFINE(VM_VGIC, offsetof(struct vm, vgic));
    DEFINE(VGIC_NR_VCPUS_, offsetof(struct vgic_vm, nr_vcpus));
    DEFINE(VGIC_DIRTY, offsetof(struct vgic_vm, dirty));
    DEFINE(VGIC_INBOX, offsetof(struct vgic_vm, inbox));
    DEFINE(VGIC_CPU, offsetof(struct vgic_vm, cpu));
    DEFINE(VGIC_CPU_SIZE, sizeof(struct vgic_cpu));
    DEFINE(VGIC_CPU_LR_IRQ, offsetof(struct vgic_cpu, lr_irq));
    DEFINE(VGIC_CPU_LR_SHADOW, offsetof(struct vgic_cpu, lr_shadow));
    DEFINE(VGIC_CPU_LR_USED, offsetof(struct vgic_cpu, lr_used));
    DEFINE(VGIC_IRQ_SIZE, sizeof(struct vgic_irq));
    /* the ICC_SGI1R_EL1 write's post in the vector (vectors.S guest_sysreg) */
    DEFINE(PCPU_KICK_SGI1R, offsetof(struct pcpu, kick_sgi1r));
    DEFINE(VCPU_PCPU, offsetof(struct vcpu, pcpu));
    DEFINE(VCPU_SHIFT, __builtin_ctz(sizeof(struct vcpu)));
    DEFINE(VM_VCPUS, offsetof(struct vm, vcpus));
    DEFINE(VM_EXITS_SYSREG, offsetof(struct vm, stats.exits[EXIT_SYSREG]));
    DEFINE(VGIC_IRQ_ENABLED, offsetof(struct vgic_irq, enabled));
    _Static_assert(sizeof(struct vcpu) == 1u << __builtin_ctz(sizeof(struct vcpu)), "shift");
    _Static_assert(sizeof(((struct vgic_irq *)0)->enabled) == 1, "vectors.S: ldrb");
    _Static_assert(offsetof(struct vgic_cpu, priv) == 0, "vectors.S: priv[] first");
    _Static_assert(sizeof(struct pcpu) == 1u << __builtin_ctz(sizeof(struct pcpu)), "shift");
    _Static_assert(offsetof(struct spinlock, owner) == 0 && offsetof(struct spinlock, next) == 2,
                   "vectors.S: the ticket lock's layout (arch/spinlock.h)");
}
