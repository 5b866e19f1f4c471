// SPDX-License-Identifier: MIT
/* Structure offsets for assembly, generated from C so they can never drift (STYLE.md). */
#include <stddef.h>
#include <arch/frame.h>
#include <arch/layout.h>
#include <arch/sysreg.h>
#include <bulkhead/abi.h>
#include <core/dev/mmio.h>
#include <core/hyp.h>
#include <core/vgic/vgic_regs.h>
#include <core/vm/vm.h>
#include <drivers/gicv3.h>

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
    DEFINE(VCPU_EXITS_IRQ, offsetof(struct vcpu, stats.exits[EXIT_IRQ]));
    DEFINE(VCPU_IRQS_INJECTED, offsetof(struct vcpu, stats.irqs_injected));
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
    DEFINE(VCPU_EXITS_SYSREG, offsetof(struct vcpu, stats.exits[EXIT_SYSREG]));
    DEFINE(VGIC_IRQ_ENABLED, offsetof(struct vgic_irq, enabled));
    _Static_assert(sizeof(struct vcpu) == 1u << __builtin_ctz(sizeof(struct vcpu)), "shift");
    _Static_assert(offsetof(struct vcpu, stats) % 64 == 0 && sizeof(struct vcpu_stats) % 64 == 0,
                   "vectors.S: a vCPU's counters in cache lines of their own");
    _Static_assert(offsetof(struct vcpu, stats.mmio_emulated) < 4096,
                   "vectors.S: ldr/str of a vCPU's counters at an immediate offset");
    _Static_assert(sizeof(((struct vgic_irq *)0)->enabled) == 1, "vectors.S: ldrb");
    /* the kick SGI's posted SGIs put into LRs in the vector (vectors.S guest_kick) */
    DEFINE(GIC_SGI_KICK_, GIC_SGI_KICK);
    DEFINE(VGIC_NO_VCPU_, VGIC_NO_VCPU);
    DEFINE(VGIC_NR_LRS_, offsetof(struct vgic_vm, nr_lrs));
    DEFINE(VGIC_LR_PRIO_MASK, offsetof(struct vgic_vm, lr_prio_mask));
    DEFINE(VGIC_ENABLE_GRP0, offsetof(struct vgic_vm, enable_grp0));
    DEFINE(VGIC_ENABLE_GRP1, offsetof(struct vgic_vm, enable_grp1));
    DEFINE(VGIC_CPU_SLEEPING, offsetof(struct vgic_cpu, sleeping));
    DEFINE(VGIC_OWNED_SPI, offsetof(struct vgic_vm, owned_spi));
    DEFINE(VGIC_SPI, offsetof(struct vgic_vm, spi));
    DEFINE(VGIC_IRQ_INTID, offsetof(struct vgic_irq, intid));
    DEFINE(VGIC_IRQ_PRIORITY, offsetof(struct vgic_irq, priority));
    DEFINE(VGIC_IRQ_TARGET, offsetof(struct vgic_irq, target));
    DEFINE(VGIC_IRQ_LR_VCPU, offsetof(struct vgic_irq, lr_vcpu));
    DEFINE(VGIC_IRQ_HW, offsetof(struct vgic_irq, hw));
    DEFINE(VGIC_IRQ_GROUP1, offsetof(struct vgic_irq, group1));
    DEFINE(VGIC_IRQ_LEVEL, offsetof(struct vgic_irq, level));
    DEFINE(VGIC_IRQ_PENDING_LATCH, offsetof(struct vgic_irq, pending_latch));
    DEFINE(VGIC_IRQ_LR_PENDING, offsetof(struct vgic_irq, lr_pending));
    DEFINE(VGIC_IRQ_ACTIVE, offsetof(struct vgic_irq, active));
    _Static_assert(sizeof(((struct vgic_irq *)0)->intid) == 2 &&
                   sizeof(((struct vgic_irq *)0)->target) == 1 &&
                   sizeof(((struct vgic_irq *)0)->lr_vcpu) == 1 &&
                   sizeof(((struct vgic_vm *)0)->enable_grp0) == 1 &&
                   sizeof(((struct vgic_vm *)0)->lr_prio_mask) == 1 &&
                   sizeof(((struct vgic_vm *)0)->nr_lrs) == 4 &&
                   sizeof(((struct vgic_cpu *)0)->sleeping) == 1,
                   "vectors.S: the widths of the fields the kick path loads");
    _Static_assert(ICH_LR_EOI == BIT(41) && ICH_LR_GROUP == BIT(60) &&
                   ICH_LR_PENDING == BIT(62) && ICH_LR_PRIORITY == GENMASK(55, 48) &&
                   ICH_LR_VINTID == GENMASK(31, 0) && ICH_HCR_EN == BIT(0) &&
                   ICH_HCR_UIE == BIT(1), "vectors.S: the ICH_LR / ICH_HCR bits it builds");
    _Static_assert(VGIC_INBOX_SGI == 32 && VGIC_INBOX_LEVEL == 48,
                   "vectors.S: inbox layout (SGIs in bits 47:32)");
    /* the register-only Bulkhead calls answered in the vector (vectors.S guest_hvc_info) */
    DEFINE(BH_HC_BASE_, BH_HC_BASE);
    DEFINE(BH_ABI_VERSION_, BH_ABI_VERSION);
    DEFINE(VM_ID, offsetof(struct vm, id));
    DEFINE(VCPU_EXITS_HVC, offsetof(struct vcpu, stats.exits[EXIT_HVC]));
    _Static_assert(BH_HC_NULL == BH_HC_BASE && BH_HC_VERSION == BH_HC_BASE + 1 &&
                   BH_HC_VM_ID == BH_HC_BASE + 2 && BH_OK == 0 &&
                   (BH_HC_BASE & 0xffff) == 0 && (BH_ABI_VERSION >> 16) == 0,
                   "vectors.S: the function numbers 0..2 it answers, movz-able constants");
    _Static_assert(sizeof(((struct vm *)0)->id) == 4, "vectors.S: vm->id is 32 bits");
    _Static_assert(offsetof(struct vgic_cpu, priv) == 0, "vectors.S: priv[] first");
    _Static_assert(sizeof(struct pcpu) == 1u << __builtin_ctz(sizeof(struct pcpu)), "shift");
    _Static_assert(offsetof(struct spinlock, owner) == 0 && offsetof(struct spinlock, next) == 2,
                   "vectors.S: the ticket lock's layout (arch/spinlock.h)");
    _Static_assert(offsetof(struct vgic_vm, lock) == 0, "vectors.S: the vGIC lock at VM_VGIC");
    _Static_assert(VCPU_MAX <= VGIC_MAX_VCPUS,
                   "vectors.S: guest_hvc_other reads inbox[vcpu->idx] without an idx < nr_vcpus test");
    /* emulated MMIO in the vector (vectors.S guest_dabt) */
    DEFINE(FRAME_PAD, offsetof(struct trap_frame, pad));
    DEFINE(VCPU_EXITS_DABT, offsetof(struct vcpu, stats.exits[EXIT_DABT]));
    DEFINE(VCPU_MMIO_EMULATED, offsetof(struct vcpu, stats.mmio_emulated));
    DEFINE(VM_MMIO_SLOT, offsetof(struct vm, mmio.slot));
    DEFINE(VM_MMIO_REGIONS, offsetof(struct vm, mmio.regions));
    DEFINE(MMIO_REGION_SIZE_, sizeof(struct mmio_region));
    DEFINE(MMIO_REGION_IPA, offsetof(struct mmio_region, ipa));
    DEFINE(MMIO_REGION_ACCESS, offsetof(struct mmio_region, access));
    DEFINE(MMIO_FAST_BASE_, MMIO_FAST_BASE);
    DEFINE(MMIO_FAST_SHIFT_, MMIO_FAST_SHIFT);
    DEFINE(MMIO_FAST_SLOTS_, MMIO_FAST_SLOTS);
    DEFINE(MMIO_MAX_REGIONS_, MMIO_MAX_REGIONS);
    DEFINE(VGIC_CPU0_LR_USED, offsetof(struct vgic_vm, cpu[0].lr_used));
    _Static_assert(offsetof(struct mmio_region, size) == offsetof(struct mmio_region, ipa) + 8 &&
                   offsetof(struct mmio_region, dev) ==
                       offsetof(struct mmio_region, access) + 8 &&
                   sizeof(((struct mmio_bus *)0)->slot[0]) == 1 &&
                   sizeof(((struct vgic_cpu *)0)->lr_used) == 4,
                   "vectors.S: ldp of ipa/size and access/dev, ldrb of a slot, ldr of lr_used");
    _Static_assert(MMIO_SLOT_SEARCH > MMIO_MAX_REGIONS && (MMIO_FAST_BASE & 0xffff) == 0 &&
                   (MMIO_FAST_BASE >> 32) == 0,
                   "vectors.S: slot - 1 below MMIO_MAX_REGIONS names a window; movz-able base");
    _Static_assert(offsetof(struct mmio_bus, slot) > offsetof(struct mmio_bus, regions) &&
                   offsetof(struct mmio_bus, slot) - offsetof(struct mmio_bus, regions) < 4096,
                   "vectors.S: ldrb of a slot at an immediate offset from the regions");
    _Static_assert(HPFAR_FIPA == GENMASK(43, 4) && ISS_ISV == BIT(24) &&
                   ISS_SAS == GENMASK(23, 22) && ISS_SSE == BIT(21) &&
                   ISS_SRT == GENMASK(20, 16) && ISS_SF == BIT(15) && ISS_WNR == BIT(6) &&
                   EC_DABT_LOW == 0x24,
                   "vectors.S: the data-abort syndrome fields it decodes");
    _Static_assert(offsetof(struct trap_frame, elr) == 31 * 8,
                   "vectors.S: frame slot 31 (xzr as Rt) is ELR, a harmless load");
}
