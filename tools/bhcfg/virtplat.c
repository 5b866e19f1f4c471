// SPDX-License-Identifier: MIT
/*
 * The reference machine's device tree, as QEMU 7.2 writes it for
 * `-M virt,virtualization=on,gic-version=3 -cpu cortex-a72 -smp 4 -m 2G` (hw/arm/virt.c),
 * limited to what the hypervisor reads: CPUs, memory, GICv3 and its ITS, the PL011, the timer,
 * PSCI, /chosen stdout-path, and the bus masters (fw_cfg, the virtio-mmio slots, the PCIe host)
 * that a scenario must not pass through (docs/CONFIG.md "DMA-capable devices").
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include <libfdt.h>

#include <tools/bhcfg/virtplat.h>

#define VIRT_CPUS       4
#define VIRT_RAM_BASE   UINT64_C(0x40000000)
#define VIRT_RAM_SIZE   UINT64_C(0x80000000) /* 2 GiB */
#define VIRT_GICD_BASE  UINT64_C(0x08000000)
#define VIRT_GICD_SIZE  UINT64_C(0x10000)
#define VIRT_GICR_BASE  UINT64_C(0x080a0000)
#define VIRT_GICR_SIZE  UINT64_C(0xf60000) /* QEMU sizes it for 123 CPUs */
#define VIRT_UART_BASE  UINT64_C(0x09000000)
#define VIRT_UART_SIZE  UINT64_C(0x1000)
#define VIRT_UART_SPI   1
#define IRQ_SPI         0
#define IRQ_PPI         1
#define IRQ_LEVEL_HIGH  4
#define GIC_PHANDLE     0x8005
#define GIC_IRQ_CELLS   3 /* <type number flags> */
#define TIMER_IRQS      4
#define VIRT_ITS_BASE   UINT64_C(0x08080000)
#define VIRT_ITS_SIZE   UINT64_C(0x20000)
#define VIRT_FWCFG_BASE UINT64_C(0x09020000)
#define VIRT_FWCFG_SIZE UINT64_C(0x18)
#define VIRT_MMIO_BASE  UINT64_C(0x0a000000) /* 32 virtio-mmio transports */
#define VIRT_MMIO_SIZE  UINT64_C(0x200)
#define VIRT_MMIO_COUNT 32
#define VIRT_ECAM_BASE  UINT64_C(0x4010000000)
#define VIRT_ECAM_SIZE  UINT64_C(0x10000000)
#define PCI_RANGE_CELLS 7 /* <pci-addr (3) cpu-addr (2) size (2)> */

/* Propagates the first libfdt error out of the builder. */
#define TRY(expr)                  \
    do {                           \
        int err_ = (expr);         \
        if (err_ != 0) {           \
            return err_;           \
        }                          \
    } while (0)

static int reg2(void *fdt, uint64_t base, uint64_t size)
{
    fdt64_t v[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };
    return fdt_property(fdt, "reg", v, sizeof(v));
}

static int build_cpus(void *fdt)
{
    TRY(fdt_begin_node(fdt, "cpus"));
    TRY(fdt_property_u32(fdt, "#address-cells", 1));
    TRY(fdt_property_u32(fdt, "#size-cells", 0));
    for (uint32_t i = 0; i < VIRT_CPUS; i++) {
        char name[16] = "cpu@0";
        name[4] = (char)('0' + i);
        TRY(fdt_begin_node(fdt, name));
        TRY(fdt_property_string(fdt, "device_type", "cpu"));
        TRY(fdt_property_string(fdt, "compatible", "arm,cortex-a72"));
        TRY(fdt_property_u32(fdt, "reg", i));
        TRY(fdt_property_string(fdt, "enable-method", "psci"));
        TRY(fdt_end_node(fdt));
    }
    return fdt_end_node(fdt);
}

static int build_gic(void *fdt)
{
    fdt64_t reg[4] = { cpu_to_fdt64(VIRT_GICD_BASE), cpu_to_fdt64(VIRT_GICD_SIZE),
                       cpu_to_fdt64(VIRT_GICR_BASE), cpu_to_fdt64(VIRT_GICR_SIZE) };

    TRY(fdt_begin_node(fdt, "intc@8000000"));
    TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
    TRY(fdt_property_u32(fdt, "#interrupt-cells", GIC_IRQ_CELLS));
    TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    TRY(fdt_property_u32(fdt, "#address-cells", 2));
    TRY(fdt_property_u32(fdt, "#size-cells", 2));
    TRY(fdt_property(fdt, "ranges", NULL, 0));
    TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
    TRY(fdt_property_u32(fdt, "phandle", GIC_PHANDLE));
    TRY(fdt_begin_node(fdt, "its@8080000"));
    TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3-its"));
    TRY(fdt_property(fdt, "msi-controller", NULL, 0));
    TRY(reg2(fdt, VIRT_ITS_BASE, VIRT_ITS_SIZE));
    TRY(fdt_end_node(fdt));
    return fdt_end_node(fdt);
}

/* The bus masters QEMU's tree describes (hw/arm/virt.c): names as QEMU writes them. */
static int build_bus_masters(void *fdt)
{
    static const uint32_t ranges[3][PCI_RANGE_CELLS] = {
        { 0x1000000, 0, 0, 0, 0x3eff0000, 0, 0x10000 },              /* I/O */
        { 0x2000000, 0, 0x10000000, 0, 0x10000000, 0, 0x2eff0000 },  /* 32-bit MMIO */
        { 0x3000000, 0x80, 0, 0x80, 0, 0x80, 0 },                    /* 64-bit MMIO */
    };
    fdt32_t r[3 * PCI_RANGE_CELLS];
    char name[32];

    TRY(fdt_begin_node(fdt, "fw-cfg@9020000"));
    TRY(fdt_property(fdt, "dma-coherent", NULL, 0));
    TRY(reg2(fdt, VIRT_FWCFG_BASE, VIRT_FWCFG_SIZE));
    TRY(fdt_property_string(fdt, "compatible", "qemu,fw-cfg-mmio"));
    TRY(fdt_end_node(fdt));
    for (uint64_t i = 0; i < VIRT_MMIO_COUNT; i++) {
        uint64_t base = VIRT_MMIO_BASE + i * VIRT_MMIO_SIZE;
        snprintf(name, sizeof(name), "virtio_mmio@%" PRIx64, base);
        TRY(fdt_begin_node(fdt, name));
        TRY(fdt_property(fdt, "dma-coherent", NULL, 0));
        TRY(reg2(fdt, base, VIRT_MMIO_SIZE));
        TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
        TRY(fdt_end_node(fdt));
    }
    for (int i = 0; i < 3 * PCI_RANGE_CELLS; i++) {
        r[i] = cpu_to_fdt32(ranges[i / PCI_RANGE_CELLS][i % PCI_RANGE_CELLS]);
    }
    TRY(fdt_begin_node(fdt, "pcie@10000000"));
    TRY(fdt_property(fdt, "ranges", r, sizeof(r)));
    TRY(reg2(fdt, VIRT_ECAM_BASE, VIRT_ECAM_SIZE));
    TRY(fdt_property(fdt, "dma-coherent", NULL, 0));
    TRY(fdt_property_u32(fdt, "#size-cells", 2));
    TRY(fdt_property_u32(fdt, "#address-cells", 3));
    TRY(fdt_property_string(fdt, "device_type", "pci"));
    TRY(fdt_property_string(fdt, "compatible", "pci-host-ecam-generic"));
    return fdt_end_node(fdt);
}

static int build_devices(void *fdt)
{
    fdt32_t uart_irq[GIC_IRQ_CELLS] = { cpu_to_fdt32(IRQ_SPI), cpu_to_fdt32(VIRT_UART_SPI),
                                        cpu_to_fdt32(IRQ_LEVEL_HIGH) };
    /* PPI numbers in binding order: secure phys, non-secure phys, virt, hyp (INTID - 16) */
    static const uint32_t timer_ppis[TIMER_IRQS] = { 13, 14, 11, 10 };
    fdt32_t timer_irqs[GIC_IRQ_CELLS * TIMER_IRQS];

    TRY(fdt_begin_node(fdt, "pl011@9000000"));
    TRY(fdt_property(fdt, "compatible", "arm,pl011\0arm,primecell",
                     sizeof("arm,pl011\0arm,primecell")));
    TRY(reg2(fdt, VIRT_UART_BASE, VIRT_UART_SIZE));
    TRY(fdt_property(fdt, "interrupts", uart_irq, sizeof(uart_irq)));
    TRY(fdt_end_node(fdt));

    for (int i = 0; i < TIMER_IRQS; i++) {
        timer_irqs[GIC_IRQ_CELLS * i] = cpu_to_fdt32(IRQ_PPI);
        timer_irqs[GIC_IRQ_CELLS * i + 1] = cpu_to_fdt32(timer_ppis[i]);
        timer_irqs[GIC_IRQ_CELLS * i + 2] = cpu_to_fdt32(IRQ_LEVEL_HIGH);
    }
    TRY(fdt_begin_node(fdt, "timer"));
    TRY(fdt_property(fdt, "compatible", "arm,armv8-timer\0arm,armv7-timer",
                     sizeof("arm,armv8-timer\0arm,armv7-timer")));
    TRY(fdt_property(fdt, "interrupts", timer_irqs, sizeof(timer_irqs)));
    TRY(fdt_end_node(fdt));

    /* virtualization=on without secure=on: EL2 is the highest EL, QEMU emulates PSCI on SMC. */
    TRY(fdt_begin_node(fdt, "psci"));
    TRY(fdt_property(fdt, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci",
                     sizeof("arm,psci-1.0\0arm,psci-0.2\0arm,psci")));
    TRY(fdt_property_string(fdt, "method", "smc"));
    return fdt_end_node(fdt);
}

int virtplat_build(void *buf, int size)
{
    void *fdt = buf;

    TRY(fdt_create(fdt, size));
    TRY(fdt_finish_reservemap(fdt));
    TRY(fdt_begin_node(fdt, ""));
    TRY(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
    TRY(fdt_property_u32(fdt, "#address-cells", 2));
    TRY(fdt_property_u32(fdt, "#size-cells", 2));
    TRY(fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE));
    TRY(fdt_begin_node(fdt, "chosen"));
    TRY(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"));
    TRY(fdt_end_node(fdt));
    TRY(fdt_begin_node(fdt, "memory@40000000"));
    TRY(fdt_property_string(fdt, "device_type", "memory"));
    TRY(reg2(fdt, VIRT_RAM_BASE, VIRT_RAM_SIZE));
    TRY(fdt_end_node(fdt));
    TRY(build_bus_masters(fdt));
    TRY(build_cpus(fdt));
    TRY(build_gic(fdt));
    TRY(build_devices(fdt));
    TRY(fdt_end_node(fdt));
    return fdt_finish(fdt);
}
