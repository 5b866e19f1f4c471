// SPDX-License-Identifier: MIT
/*
 * identity-map = <1>: the VM's RAM sits at host-physical address = its memory-base, so a
 * DMA-capable device it owns can be given the guest's own addresses (no SMMU stage 2 on the
 * reference platform; Jailhouse and Bao do the same). The range must be inside the platform's
 * RAM, outside the hypervisor's reserve (platinfo.h PLATINFO_HYP_RESERVE) and clear of every
 * other identity-mapped VM. The hypervisor claims the ranges at boot before it carves any
 * other RAM (core/vm/vm_ram.c). Schema: docs/CONFIG.md "Identity-mapped VMs".
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/range.h>

typedef unsigned long long ull; /* what %llx takes, whatever uint64_t is */


void cfg_parse_identity_map(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                            const void *val, int len)
{
    /* A malformed value counts as "identity-mapped": the VM is refused already, and its
     * DMA-capable devices are not reported a second time for the same mistake. */
    vm->identity_map = true;
    (void)cfg_read_bool(c, vm, prop, val, len, &vm->identity_map);
}

/* The physical side of an identity-mapped VM's RAM: platform RAM, above the hypervisor's. */
void cfg_check_identity(struct cfg_ctx *c, struct cfg_vm *vm)
{
    const struct platinfo *p = c->plat;
    uint64_t base = vm->mem_ipa, size = vm->mem_size;

    if (!vm->identity_map) {
        return;
    }
    if (!vm->has_mem_base) {
        cfg_error(c, &vm->valid, vm->path, "identity-map",
                  "needs memory-base (the host-physical address of the VM's RAM)");
        return;
    }
    if (vm->mem_base_bad || size == 0) {
        return; /* reported by its own parser */
    }
    if (base < p->ram.pa || !range_fits(base - p->ram.pa, size, p->ram.size)) {
        cfg_error(c, &vm->valid, vm->path, "memory-base",
                  "identity map 0x%llx+0x%llx is outside the platform's RAM 0x%llx+0x%llx",
                  (ull)base, (ull)size, (ull)p->ram.pa, (ull)p->ram.size);
        return;
    }
    /* vm_ram is the top of RAM (platinfo.c): what lies below it is the hypervisor's. */
    if (base < p->vm_ram.pa || p->vm_ram.size == 0) {
        cfg_error(c, &vm->valid, vm->path, "memory-base",
                  "identity map 0x%llx+0x%llx overlaps the hypervisor's own RAM 0x%llx+0x%llx "
                  "(its image, data, the host device tree, the boot bundle)",
                  (ull)base, (ull)size, (ull)p->ram.pa, (ull)(p->vm_ram.pa - p->ram.pa));
    }
}

/*
 * vm's passthrough devices keep their physical addresses: a DMA-capable device of an
 * identity-mapped VM sees the same address space as its driver (its own registers included,
 * for peer-to-peer transfers), so ipa, if given, must equal the physical base.
 */
bool cfg_identity_dev_ok(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_dev *dev,
                         const char *path)
{
    if (dev->has_ipa && dev->ipa != dev->pa) {
        cfg_error(c, &vm->valid, path, "ipa",
                  "0x%llx: a DMA-capable device of an identity-mapped VM keeps its physical "
                  "address 0x%llx", (ull)dev->ipa, (ull)dev->pa);
        return false;
    }
    return true;
}

/* Two identity-mapped VMs cannot share host memory; o is an earlier, valid VM. */
void cfg_check_identity_pair(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_vm *o)
{
    if (!vm->identity_map || !o->identity_map) {
        return;
    }
    if (cfg_overlap(vm->mem_ipa, vm->mem_size, o->mem_ipa, o->mem_size)) {
        cfg_error(c, &vm->valid, vm->path, "memory-base",
                  "identity map 0x%llx+0x%llx overlaps the identity map of VM '%s' at "
                  "0x%llx+0x%llx", (ull)vm->mem_ipa, (ull)vm->mem_size, o->name,
                  (ull)o->mem_ipa, (ull)o->mem_size);
    }
}
