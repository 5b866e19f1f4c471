// SPDX-License-Identifier: MIT
/*
 * The MMIO windows of every VM's built-in virtual devices on its bus (core/dev/mmio.h): the
 * vGIC distributor and redistributors, the PL011, the IPC register pages and the notification
 * GPIOs. The adapters turn the bus's (vCPU, offset) into each device's own interface. Devices
 * added later register their windows themselves from their set-up code.
 */
#include <core/vm/vm.h>

#include <core/config/config.h>
#include <core/dev/mmio.h>
#include <core/hyp.h>
#include <core/ipc/vm_ipc.h>

static int gicd_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                       uint64_t *val)
{
    return vgic_dist_mmio(dev, v->idx, (uint32_t)off, size, write, val);
}

static int gicr_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                       uint64_t *val)
{
    return vgic_redist_mmio(dev, v->idx, (uint32_t)off, size, write, val);
}

static int uart_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                       uint64_t *val)
{
    (void)v;
    return vuart_mmio(dev, (uint32_t)off, size, write, val);
}

static int ipc_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                      uint64_t *val)
{
    (void)dev;
    return vm_ipc_mmio(v, (uint32_t)off, size, write, val);
}

static int gpio_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                       uint64_t *val)
{
    (void)v;
    return vgpio_mmio(dev, (unsigned)(off / VPLAT_IPC_PAGE), (uint32_t)(off % VPLAT_IPC_PAGE),
                      size, write, val);
}

int vm_mmio_register(struct vm *vm)
{
    struct mmio_bus *bus = &vm->mmio;
    int r;

    mmio_bus_init(bus);
    r = mmio_register(bus, "gicd", VPLAT_GICD_IPA, VPLAT_GICD_SIZE, gicd_access, &vm->vgic);
    /* The whole architectural window of VCPU_MAX frames: frames past the VM's vCPUs are
     * refused by the vGIC with an event, rather than looking like unmapped memory. */
    if (hyp_plat.gic_version != 2) { /* a virtual GICv2 has no redistributors; its GICC is mapped */
        r = r ? r : mmio_register(bus, "gicr", VPLAT_GICR_IPA, VPLAT_GICR_STRIDE * VCPU_MAX,
                                  gicr_access, &vm->vgic);
    }
    r = r ? r : mmio_register(bus, "uart", VPLAT_UART_IPA, VPLAT_UART_SIZE, uart_access,
                              &vm->vuart);
    /* Pages of objects the VM may not use are refused by vm_ipc_mmio with an event. */
    r = r ? r : mmio_register(bus, "ipc", VPLAT_IPC_IPA, VPLAT_IPC_SIZE, ipc_access, NULL);
    if (!r && vm->cfg->ipc_notify == CFG_NOTIFY_GPIO) {
        r = mmio_register(bus, "gpio", VPLAT_GPIO_IPA, VPLAT_GPIO_SIZE, gpio_access,
                          &vm->gpio);
    }
    return r;
}
