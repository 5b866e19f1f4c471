// SPDX-License-Identifier: MIT
/*
 * The glue between a VM and its virtio console (core/dev/vcons.c): the device's output is the
 * VM's console text (console_vm_putc, the same safe-text path as its PL011's), its input the
 * VM's console queue, its interrupt a level SPI in the VM's vGIC, what the guest does wrong a
 * rate-limited vm_event. Devices are static: the hypervisor has no heap.
 */
#include <core/vm/vm_vcons.h>

#include <core/config/config.h>
#include <core/console.h>
#include <core/dev/mmio.h>
#include <core/dev/vcons.h>
#include <core/hyp.h>
#include <core/vm/vm.h>

static struct vcons devs[VM_MAX];
static bool used[VM_MAX];

static void h_set_irq(void *ctx, uint32_t intid, bool level)
{
    struct vm *vm = ctx;

    vm_kick_mask(vm, vgic_set_level(&vm->vgic, 0, intid, level));
}

static void h_put(void *ctx, char c)
{
    console_vm_putc(((struct vm *)ctx)->id, c);
}

static size_t h_pull(void *ctx, uint8_t *buf, size_t max)
{
    return console_vm_input_pull(((struct vm *)ctx)->id, buf, max);
}

static void h_event(void *ctx, const char *kind, const char *text)
{
    vm_event(ctx, kind, "%s", text);
}

static int vcons_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                        uint64_t *val)
{
    (void)v;
    return vcons_mmio(dev, (uint32_t)off, size, write, val);
}

int vm_vcons_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
{
    if (!vm->cfg->virtio_console) {
        return 0;
    }
    if (*n >= max) {
        return -BH_ENOMEM;
    }
    spis[(*n)++] = (struct vgic_spi_cfg){ .intid = VPLAT_VCONS_INTID };
    return 0;
}

int vm_vcons_setup(struct vm *vm)
{
    const struct virtq_mem mem = { .host = vm_ipa_to_host(vm, vm->mem_ipa),
                                   .ipa = vm->mem_ipa, .size = vm->mem_size };
    const struct vcons_hooks hooks = { .ctx = vm, .set_irq = h_set_irq, .put = h_put,
                                       .pull = h_pull, .event = h_event };

    if (!vm->cfg->virtio_console || vm->id >= VM_MAX) {
        return 0;
    }
    vcons_init(&devs[vm->id], VPLAT_VCONS_INTID, &mem, &hooks);
    used[vm->id] = true;
    return mmio_register(&vm->mmio, "virtio-console", VPLAT_VCONS_IPA, VPLAT_VCONS_SIZE,
                         vcons_access, &devs[vm->id]);
}

void vm_vcons_reset(struct vm *vm)
{
    if (vm->id < VM_MAX && used[vm->id]) {
        vcons_reset(&devs[vm->id]);
    }
}

bool vm_vcons_input_ready(struct vm *vm)
{
    if (vm->id >= VM_MAX || !used[vm->id] || !vcons_takes_input(&devs[vm->id])) {
        return false;
    }
    vcons_input_ready(&devs[vm->id]);
    return true;
}

void vm_vcons_print_stats(void)
{
    for (unsigned v = 0; v < vm_count && v < VM_MAX; v++) {
        struct vcons_stats s;
        if (!used[v]) {
            continue;
        }
        vcons_get_stats(&devs[v], &s);
        hyp_printf("STATS vcons vm=%s tx_bytes=%llu tx_dropped=%llu rx_bytes=%llu malformed=%llu",
                   vms[v].name, (unsigned long long)s.tx_bytes,
                   (unsigned long long)s.tx_dropped, (unsigned long long)s.rx_bytes,
                   (unsigned long long)s.malformed);
    }
}
