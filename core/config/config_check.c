// SPDX-License-Identifier: MIT
/*
 * Checks that need more than one property: the guest-physical layout of a VM (RAM, the
 * virtual platform's device windows, passthrough windows), passthrough windows against what
 * the hypervisor owns, images against memory, and conflicts between VMs. Values that failed
 * their own check were left at 0 by the parsers and are skipped here, so one mistake is
 * reported once.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/range.h>
#include <lib/string.h>

typedef unsigned long long ull; /* what %llx takes, whatever uint64_t is */

struct window {
    const char *name;
    uint64_t base;
    uint64_t size;
};

enum { VPLAT_GICD, VPLAT_GICR, VPLAT_UART, VPLAT_GPIO, VPLAT_MGMT, VPLAT_WDOG, VPLAT_PWR,
       VPLAT_VCONS, VPLAT_WINDOWS };

/* The virtual devices' IPA windows in vm (the GICR region grows with the vCPU count). */
static void vplat_windows(const struct cfg_vm *vm, struct window w[VPLAT_WINDOWS])
{
    uint64_t vcpus = vm->vcpu_count > 0 ? vm->vcpu_count : 1;

    w[VPLAT_GICD] = (struct window){ "GICD", VPLAT_GICD_IPA, VPLAT_GICD_SIZE };
    w[VPLAT_GICR] = (struct window){ "GICR", VPLAT_GICR_IPA, vcpus * VPLAT_GICR_STRIDE };
    w[VPLAT_UART] = (struct window){ "UART", VPLAT_UART_IPA, VPLAT_UART_SIZE };
    /* only a VM with ipc-notify = "gpio" has the notification GPIOs */
    w[VPLAT_GPIO] = (struct window){ "notification GPIOs", VPLAT_GPIO_IPA,
                                     vm->ipc_notify == CFG_NOTIFY_GPIO ? VPLAT_GPIO_SIZE : 0 };
    /* only a manager (a VM with a grant) has the management device */
    w[VPLAT_MGMT] = (struct window){ "management device", VPLAT_MGMT_IPA,
                                     cfg_vm_is_manager(vm) ? VPLAT_MGMT_SIZE : 0 };
    w[VPLAT_WDOG] = (struct window){ "watchdog", VPLAT_WDOG_IPA,
                                     vm->watchdog != CFG_WDOG_NONE ? VPLAT_WDOG_SIZE : 0 };
    w[VPLAT_PWR] = (struct window){ "power button", VPLAT_PWR_IPA,
                                    vm->power_button ? VPLAT_PWR_SIZE : 0 };
    w[VPLAT_VCONS] = (struct window){ "virtio console", VPLAT_VCONS_IPA,
                                      vm->virtio_console ? VPLAT_VCONS_SIZE : 0 };
}

/* Window [base, base + size) wraps or ends beyond the IPA space. */
static bool beyond_ipa(uint64_t base, uint64_t size)
{
    return !range_fits(base, size, CFG_IPA_LIMIT);
}

static const char *mem_prop(const struct cfg_vm *vm)
{
    return vm->has_mem_base ? "memory-base" : "memory-size";
}

static void check_mem_window(struct cfg_ctx *c, struct cfg_vm *vm)
{
    struct window w[VPLAT_WINDOWS];
    uint64_t base = vm->mem_ipa;
    uint64_t size = vm->mem_size;

    if (size == 0) {
        return;
    }
    if (beyond_ipa(base, size)) {
        cfg_error(c, &vm->valid, vm->path, mem_prop(vm),
                  "guest RAM 0x%llx+0x%llx goes beyond the %d-bit IPA space", (ull)base,
                  (ull)size, CFG_IPA_BITS);
        return;
    }
    vplat_windows(vm, w);
    for (int i = 0; i < VPLAT_WINDOWS; i++) {
        if (cfg_overlap(base, size, w[i].base, w[i].size)) {
            cfg_error(c, &vm->valid, vm->path, mem_prop(vm),
                      "guest RAM 0x%llx+0x%llx overlaps the virtual %s at 0x%llx", (ull)base,
                      (ull)size, w[i].name, (ull)w[i].base);
        }
    }
    for (uint32_t i = 0; i < vm->dev_count; i++) {
        const struct cfg_dev *d = &vm->devs[i];
        if (cfg_overlap(base, size, d->ipa, d->size)) {
            cfg_error(c, &vm->valid, vm->path, mem_prop(vm),
                      "guest RAM 0x%llx+0x%llx overlaps passthrough device '%s' at 0x%llx",
                      (ull)base, (ull)size, d->name, (ull)d->ipa);
        }
    }
}

/* Physical side: nothing the hypervisor drives or owns may be given away. */
static void check_dev_host(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_dev *dev,
                           const char *path)
{
    const struct platinfo *p = c->plat;
    const struct window owned[] = {
        { "RAM", p->ram.pa, p->ram.size },
        { "GIC distributor", p->gicd.pa, p->gicd.size },
        { "GIC redistributors", p->gicr.pa, p->gicr.size },
        { "console UART", p->uart.pa, p->has_uart ? p->uart.size : 0 },
        { "GIC ITS", p->its.pa, p->has_its ? p->its.size : 0 },
    };

    for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
        if (cfg_overlap(dev->pa, dev->size, owned[i].base, owned[i].size)) {
            cfg_error(c, &vm->valid, path, "reg",
                      "0x%llx+0x%llx overlaps the hypervisor's %s at 0x%llx", (ull)dev->pa,
                      (ull)dev->size, owned[i].name, (ull)owned[i].base);
        }
    }
}

/*
 * Why dev can master the bus (DMA or MSI writes), or NULL: the platform's tree says so for its
 * window, or its own compatible is a bus master by binding (platinfo.c has both lists).
 */
static const char *dev_dma_reason(const struct platinfo *p, const struct cfg_dev *dev,
                                  uint64_t *at)
{
    for (uint32_t i = 0; i < p->dma_count; i++) {
        if (cfg_overlap(dev->pa, dev->size, p->dma[i].win.pa, p->dma[i].win.size)) {
            *at = p->dma[i].win.pa;
            return p->dma[i].why;
        }
    }
    *at = dev->pa;
    if (p->dma_overflow) {
        return "the platform lists more bus masters than Bulkhead tracks";
    }
    return platinfo_dma_compatible(dev->compat, (int)dev->compat_len);
}

/*
 * No SMMU stage 2 is set up for devices, so a bus master given to a VM could write any host
 * memory: refused, unless the scenario accepts it (dma-unsafe-ack) for an identity-mapped VM,
 * where guest-physical = host-physical and the addresses the guest gives the device are right
 * (docs/CONFIG.md "DMA-capable devices"). The device can still reach all memory: the VM is
 * trusted with the machine.
 */
static void check_dev_dma(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_dev *dev,
                          const char *path)
{
    uint64_t at;
    const char *why = dev_dma_reason(c->plat, dev, &at);

    if (why == NULL) {
        return;
    }
    if (!dev->dma_unsafe_ack) {
        cfg_error(c, &vm->valid, path, "reg",
                  "0x%llx+0x%llx is DMA-capable (%s at 0x%llx): without an IOMMU it could "
                  "write any memory", (ull)dev->pa, (ull)dev->size, why, (ull)at);
    } else if (!vm->identity_map) {
        cfg_error(c, &vm->valid, path, "dma-unsafe-ack",
                  "DMA-capable device (%s) needs an identity-mapped VM (identity-map = <1>): "
                  "it is given guest-physical addresses", why);
    } else {
        (void)cfg_identity_dev_ok(c, vm, dev, path);
    }
}

/* Guest side: inside the IPA space, clear of the virtual devices. */
static void check_dev_guest(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_dev *dev,
                            const char *path)
{
    const char *prop = dev->has_ipa ? "ipa" : "reg";
    struct window w[VPLAT_WINDOWS];

    if (beyond_ipa(dev->ipa, dev->size)) {
        cfg_error(c, &vm->valid, path, prop,
                  "guest window 0x%llx+0x%llx goes beyond the %d-bit IPA space",
                  (ull)dev->ipa, (ull)dev->size, CFG_IPA_BITS);
        return;
    }
    vplat_windows(vm, w);
    for (int i = 0; i < VPLAT_WINDOWS; i++) {
        if (cfg_overlap(dev->ipa, dev->size, w[i].base, w[i].size)) {
            cfg_error(c, &vm->valid, path, prop,
                      "guest window 0x%llx+0x%llx overlaps the virtual %s at 0x%llx",
                      (ull)dev->ipa, (ull)dev->size, w[i].name, (ull)w[i].base);
        }
    }
}

/* dev against the devices listed before it in the same VM: windows (both sides), SPIs. */
static void check_dev_siblings(struct cfg_ctx *c, struct cfg_vm *vm, uint32_t idx,
                               const char *path)
{
    const struct cfg_dev *dev = &vm->devs[idx];

    for (uint32_t j = 0; j < idx; j++) {
        const struct cfg_dev *o = &vm->devs[j];
        if (cfg_overlap(dev->pa, dev->size, o->pa, o->size)) {
            cfg_error(c, &vm->valid, path, "reg", "0x%llx+0x%llx overlaps device '%s'",
                      (ull)dev->pa, (ull)dev->size, o->name);
        } else if (cfg_overlap(dev->ipa, dev->size, o->ipa, o->size)) {
            cfg_error(c, &vm->valid, path, dev->has_ipa ? "ipa" : "reg",
                      "guest window 0x%llx+0x%llx overlaps device '%s'", (ull)dev->ipa,
                      (ull)dev->size, o->name);
        }
        for (uint32_t a = 0; a < dev->irq_count; a++) {
            for (uint32_t b = 0; b < o->irq_count; b++) {
                if (dev->irqs[a] == o->irqs[b]) {
                    cfg_error(c, &vm->valid, path, "interrupts",
                              "INTID %u is already given to device '%s'", dev->irqs[a],
                              o->name);
                }
            }
        }
    }
}

uint32_t cfg_vm_dev_spis(const struct cfg_vm *vm)
{
    /* the virtual UART's, the watchdog's, the power button's, the virtio console's */
    uint32_t n = 1 + (vm->watchdog != CFG_WDOG_NONE) + vm->power_button + vm->virtio_console;

    for (uint32_t i = 0; i < vm->dev_count; i++) {
        n += vm->devs[i].irq_count;
    }
    return n;
}

static void check_devs(struct cfg_ctx *c, struct cfg_vm *vm)
{
    char path[CFG_PATH_MAX];
    uint32_t spis = 1 + (vm->watchdog != CFG_WDOG_NONE) + vm->power_button + vm->virtio_console;

    for (uint32_t i = 0; i < vm->dev_count; i++) {
        const struct cfg_dev *dev = &vm->devs[i];
        cfg_dev_path(vm, dev, path);
        spis += dev->irq_count;
        for (uint32_t j = 0; j < dev->irq_count && vm->watchdog != CFG_WDOG_NONE; j++) {
            if (dev->irqs[j] == VPLAT_WDOG_INTID) {
                cfg_error(c, &vm->valid, path, "interrupts",
                          "INTID %u is the virtual watchdog's interrupt in this VM",
                          VPLAT_WDOG_INTID);
            }
        }
        for (uint32_t j = 0; j < dev->irq_count && vm->power_button; j++) {
            if (dev->irqs[j] == VPLAT_PWR_INTID) {
                cfg_error(c, &vm->valid, path, "interrupts",
                          "INTID %u is the power button's interrupt in this VM "
                          "(power-button = <0> frees it)", VPLAT_PWR_INTID);
            }
        }
        for (uint32_t j = 0; j < dev->irq_count && vm->virtio_console; j++) {
            if (dev->irqs[j] == VPLAT_VCONS_INTID) {
                cfg_error(c, &vm->valid, path, "interrupts",
                          "INTID %u is the virtio console's interrupt in this VM",
                          VPLAT_VCONS_INTID);
            }
        }
        if (spis > CFG_MAX_VM_SPIS && spis - dev->irq_count <= CFG_MAX_VM_SPIS) {
            cfg_error(c, &vm->valid, path, "interrupts",
                      "the VM would own %u virtual SPIs (its UART's and its devices'); at most %u",
                      spis, CFG_MAX_VM_SPIS);
        }
        if (dev->size != 0) {
            check_dev_host(c, vm, dev, path);
            check_dev_dma(c, vm, dev, path);
            check_dev_guest(c, vm, dev, path);
        }
        check_dev_siblings(c, vm, i, path);
    }
}

/* Looks an image up through the hook: 0 and *img, or -BH_ENOENT after reporting it missing
 * or empty. */
static int find_image(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const char *path,
                      struct cfg_image *img)
{
    memset(img, 0, sizeof(*img));
    if (c->hooks->image(c->hooks->ctx, path, img) != 0) {
        cfg_error(c, &vm->valid, vm->path, prop, "image '%s' not found", path);
        return -BH_ENOENT;
    }
    if (img->size == 0) {
        cfg_error(c, &vm->valid, vm->path, prop, "image '%s' is empty", path);
        return -BH_ENOENT;
    }
    return 0;
}

/*
 * The images must exist, and the kernel's format and the layout the loader will use must
 * work: cfg_image_layout is the loader's own check (vm_build.c runs it again on the verified
 * bundle data), so whatever passes here is loaded.
 */
static void check_images(struct cfg_ctx *c, struct cfg_vm *vm)
{
    struct cfg_image kernel, initrd = { 0 };
    struct cfg_layout lay;
    char why[CFG_MSG_MAX / 2];
    const char *prop = NULL;

    if (c->hooks == NULL || c->hooks->image == NULL) {
        return;
    }
    bool ok = vm->kernel[0] != '\0' && find_image(c, vm, "kernel", vm->kernel, &kernel) == 0;
    if (ok) {
        vm->kernel_size = kernel.size;
    }
    if (vm->initrd[0] != '\0') {
        ok = find_image(c, vm, "initrd", vm->initrd, &initrd) == 0 && ok;
        vm->initrd_size = initrd.size;
    }
    if (!ok || vm->mem_size == 0) {
        return;
    }
    if (cfg_image_layout(vm, &kernel, initrd.size, &lay, &prop, why, sizeof(why)) != 0) {
        cfg_error(c, &vm->valid, vm->path, prop, "%s", why);
    }
}

/* Image-independent entry rules; alignment and range are cfg_image_layout's. */
static void check_entry(struct cfg_ctx *c, struct cfg_vm *vm)
{
    if (vm->has_entry && vm->kernel_type != CFG_KERNEL_RAW) {
        /* A Linux Image is entered at its start (booting.rst); an offset means a mistake. */
        cfg_error(c, &vm->valid, vm->path, "entry", "only allowed with kernel-type \"raw\"");
    }
}

/* watchdog-clock-hz without a watchdog is a mistake, not a no-op. */
static void check_watchdog(struct cfg_ctx *c, struct cfg_vm *vm)
{
    if (vm->watchdog == CFG_WDOG_NONE && vm->watchdog_hz != 0) {
        cfg_error(c, &vm->valid, vm->path, "watchdog-clock-hz",
                  "only allowed with watchdog = \"sp805\"");
    }
}

void cfg_check_vm(struct cfg_ctx *c, struct cfg_vm *vm)
{
    check_watchdog(c, vm);
    check_mem_window(c, vm);
    cfg_check_identity(c, vm);
    cfg_check_colours(c, vm);
    check_devs(c, vm);
    check_images(c, vm);
    check_entry(c, vm);
}

/* ------------------------------------------------------------------------------------------
 * Between VMs. VM i is checked against the earlier VMs that are still valid, so the later of
 * two conflicting VMs is the one refused and a refused VM blocks nobody.
 */
static void check_cpus_pair(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_vm *o)
{
    for (uint32_t a = 0; a < vm->vcpu_count; a++) {
        for (uint32_t b = 0; b < o->vcpu_count; b++) {
            if (vm->cpus[a] == o->cpus[b] && !cfg_sched_is_shared(c->out, vm->cpus[a])) {
                cfg_error(c, &vm->valid, vm->path, "cpus", "CPU %u is already given to VM '%s'",
                          vm->cpus[a], o->name);
            }
        }
    }
}

static void check_dev_pair(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_dev *dev,
                           const struct cfg_vm *o)
{
    char path[CFG_PATH_MAX];

    cfg_dev_path(vm, dev, path);
    for (uint32_t j = 0; j < o->dev_count; j++) {
        const struct cfg_dev *od = &o->devs[j];
        if (cfg_overlap(dev->pa, dev->size, od->pa, od->size)) {
            cfg_error(c, &vm->valid, path, "reg",
                      "0x%llx+0x%llx overlaps device '%s' of VM '%s'", (ull)dev->pa,
                      (ull)dev->size, od->name, o->name);
        }
        for (uint32_t a = 0; a < dev->irq_count; a++) {
            for (uint32_t b = 0; b < od->irq_count; b++) {
                if (dev->irqs[a] == od->irqs[b]) {
                    cfg_error(c, &vm->valid, path, "interrupts",
                              "INTID %u is already given to VM '%s'", dev->irqs[a], o->name);
                }
            }
        }
    }
}

/* vm is vms[i]; a coloured VM adds what it grows the colour pool by (config_colour.c). */
static void check_total_memory(struct cfg_ctx *c, struct cfg_vm *vm, uint32_t i,
                               uint64_t *total)
{
    uint64_t avail = c->plat->vm_ram_avail;
    uint64_t need = cfg_vm_ram(c->out, i + 1) - cfg_vm_ram(c->out, i);

    if (*total + need > avail) {
        cfg_error(c, &vm->valid, vm->path, vm->colours ? "colours" : "memory-size",
                  "0x%llx more bytes would bring VM memory to 0x%llx, over the 0x%llx "
                  "available for VMs",
                  (ull)need, (ull)(*total + need), (ull)avail);
        return;
    }
    *total += need;
}

void cfg_check_cross(struct cfg_ctx *c)
{
    struct cfg_scenario *sc = c->out;
    uint64_t total = 0;

    for (uint32_t i = 0; i < sc->vm_count; i++) {
        struct cfg_vm *vm = &sc->vms[i];
        if (!vm->valid) {
            continue;
        }
        for (uint32_t j = 0; j < i; j++) {
            const struct cfg_vm *o = &sc->vms[j];
            if (!o->valid) {
                continue;
            }
            check_cpus_pair(c, vm, o);
            cfg_check_identity_pair(c, vm, o);
            cfg_check_colour_pair(c, vm, o);
            for (uint32_t d = 0; d < vm->dev_count; d++) {
                check_dev_pair(c, vm, &vm->devs[d], o);
            }
        }
        if (vm->valid) {
            check_total_memory(c, vm, i, &total);
        }
    }
}
