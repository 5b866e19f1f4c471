/* SPDX-License-Identifier: MIT */
/*
 * The physical platform as the host device tree describes it: CPUs, RAM banks, GICv3, the
 * console UART (PL011 or Cadence), the architected timer PPIs, the PSCI conduit and the boot
 * bundle (/chosen initrd). Bindings: Linux Documentation/devicetree/bindings (cpus.yaml,
 * arm,gic-v3.yaml, arm,pl011.yaml, cdns,uart.yaml, arm,arch_timer.yaml, arm,psci.yaml,
 * chosen.yaml, memory.yaml).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#define PLATINFO_MAX_CPUS 8
#define PLATINFO_MAX_RAM_BANKS 4 /* RAM banks kept (ZynqMP: 2, below and above 4 GiB) */
#define PLATINFO_ERROR_MAX 160   /* platinfo.error: one console line */

/*
 * RAM the hypervisor keeps for itself: the lowest 256 MiB of the platform's RAM hold its
 * image, data and stacks, the host device tree and the boot bundle (QEMU virt loads the image
 * at RAM + 2 MiB and the bundle, as the initrd, at RAM + 128 MiB). VMs get the rest, one
 * contiguous region, so what the checker counts is exactly what the allocator hands out
 * (docs/CONFIG.md "Memory budget"). The hypervisor refuses to boot when a boot object lies
 * outside its reserve.
 */
#define PLATINFO_HYP_RESERVE (UINT64_C(256) << 20)

/* No interrupt described (e.g. a console UART without an interrupts property). */
#define PLATINFO_NO_INTID UINT32_MAX

/* GIC interrupt specifier (3 cells: <type number flags>), arm,gic-v3.yaml. */
#define PLATINFO_IRQ_TYPE_SPI 0
#define PLATINFO_IRQ_TYPE_PPI 1
#define PLATINFO_SPI_BASE     32 /* INTID of SPI number 0 */
#define PLATINFO_PPI_BASE     16 /* INTID of PPI number 0 */
#define PLATINFO_PPI_COUNT    16
#define PLATINFO_SPI_COUNT    988 /* SPIs are INTIDs 32..1019 */

enum platinfo_psci {
    PLATINFO_PSCI_NONE, /* no /psci node or no usable method */
    PLATINFO_PSCI_HVC,
    PLATINFO_PSCI_SMC,
};

/* Order of the arm,armv8-timer interrupts property. */
enum platinfo_timer {
    PLATINFO_TIMER_SEC_PHYS,
    PLATINFO_TIMER_NS_PHYS,
    PLATINFO_TIMER_VIRT,
    PLATINFO_TIMER_HYP,
    PLATINFO_TIMER_COUNT,
};

/* The console UART's programming model, from its compatible (the driver the boot picks). */
enum platinfo_uart {
    PLATINFO_UART_NONE,
    PLATINFO_UART_PL011,   /* "arm,pl011" */
    PLATINFO_UART_CADENCE, /* "cdns,uart-r1p12", "cdns,uart-r1p8", "xlnx,xuartps" */
};

/* A physical address window. */
struct platinfo_region {
    uint64_t pa;
    uint64_t size;
};

/*
 * A window of a device that can master the bus (DMA, or MSI writes, which are DMA too).
 * Without an SMMU stage 2 such a device, handed to a VM, writes any memory (docs/CONFIG.md
 * "DMA-capable devices"). Adjacent windows with the same reason are merged.
 */
#define PLATINFO_MAX_DMA 32 /* the ZCU102's tree has 25 (ZDMA channels, GEMs, SATA, SD, USB) */
struct platinfo_dma {
    struct platinfo_region win;
    const char *why; /* static: "virtio-mmio", "dma-coherent", ... */
};

struct platinfo {
    uint32_t cpu_count;                  /* CPUs used: at most PLATINFO_MAX_CPUS */
    uint32_t cpus_ignored;               /* CPUs the tree has beyond PLATINFO_MAX_CPUS */
    uint64_t mpidr[PLATINFO_MAX_CPUS];   /* physical CPU index -> MPIDR affinity (reg) */
    struct platinfo_region ram;          /* first RAM bank: the hypervisor's, and the VMs' */
    struct platinfo_region vm_ram;       /* RAM above PLATINFO_HYP_RESERVE: the VMs' */
    uint64_t vm_ram_avail;               /* bytes of RAM VMs may use: vm_ram.size */
    struct platinfo_region gicd;         /* distributor: reg[0] */
    struct platinfo_region gicr;         /* first redistributor region: reg[1] (GICv3) */
    uint32_t gic_version;                /* 3: "arm,gic-v3"; 2: "arm,gic-400"/"arm,cortex-a15-gic" */
    struct platinfo_region gicc;         /* GICv2: CPU interface, reg[1] (8 KiB: a 128 KiB
                                          * region's two aliased pages from +0xf000) */
    struct platinfo_region gich;         /* GICv2: virtual interface control, reg[2] */
    struct platinfo_region gicv;         /* GICv2: virtual CPU interface, reg[3] (as gicc) */
    bool has_its;                        /* a GICv3 ITS: the hypervisor's, never a VM's */
    struct platinfo_region its;          /* its translation register frame(s) */
    uint32_t dma_count;
    struct platinfo_dma dma[PLATINFO_MAX_DMA]; /* DMA-capable windows the tree describes */
    bool dma_overflow;                   /* more than the arrays hold: trust no window */
    bool has_pci;                        /* a generic ECAM PCIe host (first one) */
    struct platinfo_region pci_ecam;     /* its configuration space (reg[0]) */
    struct platinfo_region pci_mem32;    /* its 32-bit memory window (ranges, space 0x02) */
    bool has_uart;
    struct platinfo_region uart;         /* console PL011 */
    uint32_t uart_intid;                 /* its INTID, or PLATINFO_NO_INTID */
    uint32_t timer_intid[PLATINFO_TIMER_COUNT];
    enum platinfo_psci psci;
    bool has_initrd;                     /* /chosen linux,initrd-start/-end present */
    uint64_t initrd_start;               /* physical, inclusive */
    uint64_t initrd_end;                 /* physical, exclusive */
    enum platinfo_uart uart_kind;        /* the console's model (has_uart), else NONE */
    uint32_t ram_bank_count;             /* RAM banks in ram_bank[] (ram_bank[0] == ram) */
    uint32_t ram_banks_ignored;          /* banks beyond PLATINFO_MAX_RAM_BANKS */
    struct platinfo_region ram_bank[PLATINFO_MAX_RAM_BANKS]; /* every bank, in tree order */
    char error[PLATINFO_ERROR_MAX];      /* why platinfo_parse failed: "<what>: <reason>" */
};

/*
 * Fill *out from the flattened device tree fdt. Only reads fdt (libfdt, no allocation), so it
 * can run on the boot CPU before anything else is set up.
 * Required: /cpus with at least one device_type "cpu" node, a device_type "memory" node, an
 * "arm,gic-v3" node with two reg entries (or a GICv2 with virtualization extensions: an
 * "arm,gic-400" or "arm,cortex-a15-gic" node with four reg entries GICD, GICC, GICH, GICV)
 * and an "arm,armv8-timer" node with four interrupts.
 * RAM: every reg entry of every device_type "memory" node is a bank (ram_bank[], tree order);
 * the first is `ram`, where the hypervisor and the VMs live (the others are recorded only).
 * Optional: the console UART (the /chosen stdout-path node, a path or an alias, when it is a
 * UART we drive, "arm,pl011" or a Cadence UART; else the first such UART in the tree; the
 * console fields are parsed first, so they are valid whatever fails later: the boot reports
 * its failure on it), /psci (or an "arm,psci*" node) method, /chosen linux,initrd-start/-end
 * (32- or 64-bit cells). CPUs beyond PLATINFO_MAX_CPUS are counted in cpus_ignored and
 * otherwise left out. reg values are read with the parent's #address-cells/#size-cells (1 or
 * 2 each); "ranges" translation is not applied (all nodes used sit on the root bus).
 * DMA-capable devices (dma[]) are the nodes with a "dma-coherent", "iommus", "iommu-map",
 * "msi-parent" or "msi-map" property or a bus-master compatible (virtio,mmio,
 * qemu,fw-cfg-mmio, PCIe host bridges): every reg window, and a PCIe host's "ranges"
 * windows (its devices' BARs); the "arm,gic-v3-its" node is its instead.
 * vm_ram is the RAM above the hypervisor's PLATINFO_HYP_RESERVE (size 0 when RAM is smaller),
 * vm_ram_avail its size: the one definition of VM memory, for bhcfg and the boot.
 * Returns 0, -BH_EINVAL for a bad header or malformed property, -BH_ENOENT when a required
 * node is missing. *out is zeroed first and partially filled on error; then out->error says
 * what was wrong in one line (node path, property, reason; for a missing GIC, the
 * interrupt controller the tree has instead).
 */
BH_MUST_CHECK int platinfo_parse(const void *fdt, struct platinfo *out);

/*
 * Whether a compatible string list (compat, len bytes as in the tree) names a device that
 * masters the bus by its binding (virtio,mmio, qemu,fw-cfg-mmio, PCIe host bridges): the
 * reason as a static string, or NULL. compat may be NULL.
 */
const char *platinfo_dma_compatible(const char *compat, int len);

/*
 * Translate a 3-cell GIC interrupt specifier <type number flags> (big-endian cells as stored
 * in the tree) to an INTID: SPI n -> n + 32, PPI n -> n + 16. Returns 0, or -BH_EINVAL for an
 * unknown type or out-of-range number.
 */
BH_MUST_CHECK int platinfo_irq_to_intid(const void *spec_be, uint32_t *intid);
