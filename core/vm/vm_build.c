// SPDX-License-Identifier: MIT
/*
 * Turns a validated cfg_vm into a runnable VM: guest RAM carved top-down from free physical
 * memory (2 MiB aligned so stage 2 uses blocks), images verified (SHA-256) and loaded per the
 * arm64 boot protocol (Documentation/arch/arm64/booting.rst: Image at text_offset from a
 * 2 MiB aligned base, DTB in its own 2 MiB region, initrd below it), stage-2 tables, vGIC
 * and virtual UART wired to the console.
 */
#include <core/vm/vm_build.h>

#include <arch/cpu.h>
#include <core/vm/bundle.h>
#include <core/console.h>
#include <core/dev/vmgmt.h>
#include <core/vm/guest_fdt.h>
#include <core/hyp.h>
#include <core/ipc/vm_ipc.h>
#include <core/vm/vm_net.h>
#include <core/vm/vm_power.h>
#include <core/vm/vm_measure.h>
#include <core/vm/vm_ram.h>
#include <core/vm/vm_vcons.h>
#include <lib/fmt.h>
#include <core/vm/vm_console.h>
#include <core/vm/vm_colour_ram.h>
#include <core/vm/vm_wdog.h>
#include <lib/string.h>

#define DTB_MAX       (64 * 1024)

uint64_t bench_hash_insns;
uint64_t bench_hash_bytes;
/* Written by guest_fdt_build before use: not cleared at boot. */
static uint8_t dtb_store[VM_MAX][DTB_MAX] __attribute__((aligned(8), section(".noclear")));

static int refuse(struct vm *vm, const char *why, const char *what)
{
    /* "reason" or "reason detail": e.g. "image missing from bundle: <path>", "kernel: <why>" */
    hyp_printf("bulkhead: vm %s not started: %s%s%s", vm->name, why, what ? " " : "",
               what ? what : "");
    vm_event(vm, "refused", "reason=\"%s%s%s\" action=refuse", why, what ? " " : "",
             what ? what : "");
    return -BH_EINVAL;
}

static int load_image(struct vm *vm, const void *fit, const char *path, const void **data,
                      uint64_t *size)
{
    struct bundle_image img;

    if (bundle_find(fit, path, &img) != 0) {
        return refuse(vm, "image missing from bundle:", path);
    }
    uint64_t t0 = arch_bench_cycles();
    int r = bundle_verify(fit, &img);
    bench_hash_insns += arch_bench_cycles() - t0;
    bench_hash_bytes += img.size;
    if (r == -BH_EIO) {
        return refuse(vm, "image sha256 mismatch:", path);
    }
    if (r) {
        return refuse(vm, "image has no sha256 hash:", path);
    }
    *data = img.data;
    *size = img.size;
    return 0;
}

/* The checker's own image and layout check (config_image.c) on the verified bundle data. */
static int plan_layout(struct vm *vm, const struct cfg_vm *cfg)
{
    struct cfg_image k = { .size = vm->kernel_size };
    struct cfg_layout lay;
    const char *prop;
    char why[160], reason[192];

    k.head_len = vm->kernel_size < CFG_IMAGE_HEAD ? (uint32_t)vm->kernel_size : CFG_IMAGE_HEAD;
    memcpy(k.head, vm->kernel, k.head_len);
    if (cfg_image_layout(cfg, &k, vm->initrd_size, &lay, &prop, why, sizeof(why)) != 0) {
        bh_snprintf(reason, sizeof(reason), "%s: %s", prop, why);
        return refuse(vm, reason, NULL);
    }
    /* Offsets fit in mem_size, which fits the IPA space (config_check.c): no sum wraps. */
    vm->kernel_ipa = vm->mem_ipa + lay.kernel_off;
    vm->entry_ipa = vm->mem_ipa + lay.entry_off;
    vm->initrd_ipa = vm->mem_ipa + lay.initrd_off;
    vm->dtb_ipa = vm->mem_ipa + lay.dtb_off;
    return 0;
}

static int build_stage2(struct vm *vm, const struct cfg_vm *cfg)
{
    const uint64_t ram_attr = PTE_S2_MEMATTR_NORMAL | PTE_S2_AP_RW | PTE_SH_INNER;
    const uint64_t dev_attr = PTE_S2_MEMATTR_DEVICE | PTE_S2_AP_RW | PTE_S2_XN;

    if (arch_s2_init(&vm->s2) != 0) {
        return refuse(vm, "out of translation table pages", NULL);
    }
    char why[CFG_MSG_MAX];
    int r = cfg->colours ? vm_colour_ram_map(vm, cfg, ram_attr, why, sizeof(why))
                         : pt_map(&vm->s2, vm->mem_ipa, vm->mem_pa, vm->mem_size, ram_attr);
    if (r && cfg->colours) {
        return refuse(vm, why, NULL);
    }
    for (uint32_t i = 0; !r && i < cfg->dev_count; i++) {
        r = pt_map(&vm->s2, cfg->devs[i].ipa, cfg->devs[i].pa, cfg->devs[i].size, dev_attr);
    }
    /* GICv2 hardware: the guest's GICC is the hardware's virtual CPU interface (GICV) */
    if (!r && hyp_plat.gic_version == 2) {
        r = pt_map(&vm->s2, VPLAT_GICC_IPA, hyp_plat.gicv.pa, VPLAT_GICC_SIZE, dev_attr);
    }
    if (r || vm_ipc_map(vm) != 0) {
        return refuse(vm, "cannot build stage-2 tables", NULL);
    }
    vm->vttbr = arch_s2_vttbr(&vm->s2, vm->vmid);
    return 0;
}

static void vuart_tx(void *ctx, char c)
{
    console_vm_putc(((struct vm *)ctx)->id, c);
}

static void vuart_irq(void *ctx, bool level)
{
    struct vm *vm = ctx;

    vm_kick_mask(vm, vgic_set_level(&vm->vgic, 0, VPLAT_UART_INTID, level));
}

static void vuart_notice(void *ctx, uint32_t off, bool write)
{
    struct vm *vm = ctx;

    vm_event(vm, "mmio_notice", "dev=uart off=0x%x dir=%s", off, write ? "write" : "read");
}

static void vgic_deny_hook(void *ctx, unsigned vcpu, uint32_t intid, const char *reg,
                           bool write)
{
    struct vm *vm = ctx;

    vm_stats_count(&vm->stats.denials); /* vcpu: the register's, not necessarily the caller */
    if (intid == UINT32_MAX) {
        vm_event(vm, "vgic_deny", "vcpu=%u reg=%s dir=%s", vcpu, reg, write ? "write" : "read");
    } else {
        vm_event(vm, "vgic_deny", "vcpu=%u intid=%u reg=%s dir=%s", vcpu, intid, reg,
                 write ? "write" : "read");
    }
}

static void vgic_hw_enable_hook(void *ctx, uint32_t pintid, bool enable)
{
    (void)ctx;
    arch_irq_enable(pintid, enable);
}

static void vgic_hw_route_hook(void *ctx, uint32_t pintid, unsigned vcpu)
{
    struct vm *vm = ctx;

    if (vcpu < vm->nr_vcpus) {
        arch_irq_route(pintid, vm->vcpus[vcpu].pcpu);
    }
}

static void vgic_hw_active_hook(void *ctx, unsigned vcpu, uint32_t pintid, bool active)
{
    struct vm *vm = ctx;

    if (vcpu < vm->nr_vcpus) {
        arch_irq_set_active(pintid, vm->vcpus[vcpu].pcpu, active);
    }
}

static bool vgic_hw_line_hook(void *ctx, unsigned vcpu, uint32_t pintid)
{
    struct vm *vm = ctx;

    return vcpu < vm->nr_vcpus ? arch_irq_line(pintid, vm->vcpus[vcpu].pcpu) : true;
}

static void vgic_kick_hook(void *ctx, uint32_t mask)
{
    vm_kick_mask(ctx, mask);
}

_Static_assert(CFG_MAX_VM_SPIS == VGIC_MAX_OWNED_SPIS, "the checker counts what the vGIC holds");

static int setup_devices(struct vm *vm, const struct cfg_vm *cfg)
{
    struct vgic_vm_cfg vc;
    const struct vuart_hooks uh = {
        .tx = vuart_tx, .set_irq = vuart_irq, .notice = vuart_notice, .ctx = vm,
        .rx_pull = vm_console_rx_pull,
    };

    memset(&vc, 0, sizeof(vc));
    vc.nr_vcpus = cfg->vcpu_count;
    vc.v2 = hyp_plat.gic_version == 2; /* guests see the GIC version of the hardware */
    vc.spis[vc.nr_spis++] = (struct vgic_spi_cfg){ .intid = VPLAT_UART_INTID };
    for (uint32_t d = 0; d < cfg->dev_count; d++) {
        for (uint32_t i = 0; i < cfg->devs[d].irq_count; i++) {
            uint32_t intid = cfg->devs[d].irqs[i];
            if (vc.nr_spis < VGIC_MAX_OWNED_SPIS) {
                vc.spis[vc.nr_spis++] = (struct vgic_spi_cfg){
                    .intid = intid, .hw = true, .pintid = intid };
            }
            arch_irq_set_owner(intid, vm->id);
        }
    }
    if (vm_wdog_spis(vm, vc.spis, &vc.nr_spis, VGIC_MAX_OWNED_SPIS) != 0 ||
        vm_ipc_spis(vm, vc.spis, &vc.nr_spis, VGIC_MAX_OWNED_SPIS) != 0 ||
        vm_net_spis(vm, vc.spis, &vc.nr_spis, VGIC_MAX_OWNED_SPIS) != 0 ||
        vm_power_spis(vm, vc.spis, &vc.nr_spis, VGIC_MAX_OWNED_SPIS) != 0 ||
        vm_vcons_spis(vm, vc.spis, &vc.nr_spis, VGIC_MAX_OWNED_SPIS) != 0) {
        return refuse(vm, "too many virtual interrupts (devices and channels)", NULL);
    }
    vc.hooks.ctx = vm;
    vc.hooks.deny = vgic_deny_hook;
    vc.hooks.hw_enable = vgic_hw_enable_hook;
    vc.hooks.hw_route = vgic_hw_route_hook;
    vc.hooks.hw_set_active = vgic_hw_active_hook;
    vc.hooks.kick = vgic_kick_hook;
    vc.hooks.hw_line = vgic_hw_line_hook;
    if (vgic_vm_init(&vm->vgic, &vc) != 0) {
        return refuse(vm, "cannot set up the virtual GIC", NULL);
    }
    vuart_init(&vm->vuart, &uh);
    if (vm_ipc_gpio_init(vm) != 0) {
        return refuse(vm, "too many notification GPIOs", NULL);
    }
    if (vm_mmio_register(vm) != 0 || vm_wdog_setup(vm) != 0 || vm_net_setup(vm) != 0 ||
        vm_vcons_setup(vm) != 0) {
        return refuse(vm, "cannot register the virtual devices' MMIO windows", NULL);
    }
    if (vm_power_setup(vm) != 0) {
        return refuse(vm, "cannot set up the power button", NULL);
    }
    if (vmgmt_init(vm) != 0) {
        return refuse(vm, "cannot set up the management device", NULL);
    }
    if (console_add_vm(vm->id, vm->name) != 0 ||
        console_set_vm_realtime(vm->id, cfg->priority > 0) != 0) {
        return refuse(vm, "cannot register the console", NULL);
    }
    return 0;
}

static int build_dtb(struct vm *vm, const struct cfg_vm *cfg)
{
    struct guest_fdt_layout lay = { .initrd_ipa = vm->initrd_ipa, .initrd_size = vm->initrd_size,
                                    .sc = vm_ipc_scenario(), .vm_index = vm->id,
                                    .gic_v2 = hyp_plat.gic_version == 2 };
    int n = guest_fdt_build(cfg, &lay, dtb_store[vm->id], DTB_MAX);

    if (n < 0) {
        return refuse(vm, "device tree too large", NULL);
    }
    vm->dtb = dtb_store[vm->id];
    vm->dtb_size = (uint64_t)n;
    return 0;
}

/* Zero guest RAM [from, to) (offsets from its base), cleaned for a guest with caches off. */
static void clear_guest(struct vm *vm, uint64_t from, uint64_t to)
{
    if (from < to) {
        arch_zero_guest_memory((uint64_t)(uintptr_t)vm_ipa_to_host(vm, vm->mem_ipa + from),
                               to - from);
    }
}

/*
 * Nothing of an earlier boot or instance may reach the guest (issue 9, item 10): every byte
 * the images and the device tree do not overwrite is cleared, the kernel's BSS included. The
 * pieces are in address order (cfg_image_layout): kernel, initrd, device tree.
 */
static void clear_guest_ram(struct vm *vm)
{
    uint64_t k = vm->kernel_ipa - vm->mem_ipa, i = vm->initrd_ipa - vm->mem_ipa;
    uint64_t d = vm->dtb_ipa - vm->mem_ipa;

    clear_guest(vm, 0, k);
    clear_guest(vm, k + vm->kernel_size, i);
    clear_guest(vm, i + vm->initrd_size, d);
    clear_guest(vm, d + vm->dtb_size, vm->mem_size);
}

void vm_reload(struct vm *vm)
{
    vm_net_reset(vm); /* first: no sender may still be writing into its rings */
    clear_guest_ram(vm);
    arch_load_guest_memory((uint64_t)(uintptr_t)vm_ipa_to_host(vm, vm->kernel_ipa), vm->kernel,
                           vm->kernel_size);
    if (vm->initrd_size) {
        arch_load_guest_memory((uint64_t)(uintptr_t)vm_ipa_to_host(vm, vm->initrd_ipa),
                               vm->initrd, vm->initrd_size);
    }
    arch_load_guest_memory((uint64_t)(uintptr_t)vm_ipa_to_host(vm, vm->dtb_ipa), vm->dtb,
                           vm->dtb_size);
    vgic_vm_reset(&vm->vgic);
    vuart_reset(&vm->vuart);
    vm_vcons_reset(vm);
    vm_wdog_reset(vm);
    vm_power_reset(vm);
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        vm->vcpus[i].state = VCPU_OFF;
    }
}

int vm_claim_identity(struct vm *vm, unsigned id, const struct cfg_vm *cfg)
{
    const char *what, *owner;
    char why[160];

    vm->id = id;
    vm->name = cfg->name;
    vm->state = VM_REFUSED;
    evt_limiter_init(&vm->evt_limit, arch_now_ns());
    if (!cfg->identity_map ||
        vm_ram_claim(cfg->mem_ipa, cfg->mem_size, cfg->name, &what, &owner) == 0) {
        return 0;
    }
    /* mem_ipa + mem_size fits the IPA space (config_check.c): no wrap. */
    bh_snprintf(why, sizeof(why), "identity map 0x%llx-0x%llx overlaps %s%s%s%s",
                (unsigned long long)cfg->mem_ipa,
                (unsigned long long)(cfg->mem_ipa + cfg->mem_size - 1), what,
                owner ? " '" : "", owner ? owner : "", owner ? "'" : "");
    return refuse(vm, why, NULL);
}

int vm_build(struct vm *vm, unsigned id, const struct cfg_vm *cfg, const void *fit)
{
    vm->id = id;
    vm->vmid = (uint16_t)(id + 1);
    vm->cfg = cfg;
    vm->name = cfg->name;
    vm->state = VM_REFUSED;
    spin_lock_init(&vm->lock);
    evt_limiter_init(&vm->evt_limit, arch_now_ns());
    vm->mem_ipa = cfg->mem_ipa;
    vm->mem_size = cfg->mem_size;
    vm->nr_vcpus = cfg->vcpu_count;

    if (load_image(vm, fit, cfg->kernel, &vm->kernel, &vm->kernel_size) ||
        (cfg->initrd[0] && load_image(vm, fit, cfg->initrd, &vm->initrd, &vm->initrd_size)) ||
        plan_layout(vm, cfg) || build_dtb(vm, cfg)) {
        return -BH_EINVAL;
    }
    /* An identity map was claimed by vm_claim_identity, before any carve. A coloured VM's
     * pages come with its stage 2 (vm_colour_ram_map). */
    vm->mem_pa = cfg->identity_map ? cfg->mem_ipa : cfg->colours ? 0 : vm_ram_alloc(vm->mem_size);
    if (!vm->mem_pa && !cfg->colours) {
        return refuse(vm, "not enough free RAM", NULL);
    }
    vm->mem_host = vm->mem_pa;
    if (build_stage2(vm, cfg) || setup_devices(vm, cfg)) {
        return -BH_EINVAL;
    }
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        struct vcpu *v = &vm->vcpus[i];
        v->vm = vm;
        v->idx = i;
        v->pcpu = cfg->cpus[i];
        v->state = VCPU_OFF;
        ipc_waiter_init(&v->waiter, vm->id, i);
        pcpus[v->pcpu].vcpu = v;
    }
    vm_reload(vm);
    vm->state = VM_STOPPED;
    vm_measure(vm, fit);
    return 0;
}
