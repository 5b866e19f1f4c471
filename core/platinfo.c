// SPDX-License-Identifier: MIT
/*
 * Reads the physical platform from the host device tree with libfdt. Only the handful of
 * nodes the hypervisor itself drives are looked at; everything else belongs to the VMs (by
 * passthrough) or to nobody. Bindings: Linux Documentation/devicetree/bindings.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include <bulkhead/errno.h>
#include <core/platinfo.h>
#include <lib/string.h>

#define CELL_BYTES      4
#define GIC_IRQ_CELLS   3 /* <type number flags> */
#define GICV3_REG_GICD  0
#define GICV3_REG_GICR  1
/* GICv2 with virtualization extensions (arm,gic.yaml): reg = GICD, GICC, GICH, GICV. */
#define GICV2_REG_GICC  1
#define GICV2_REG_GICH  2
#define GICV2_REG_GICV  3
#define UART_REG        0
/*
 * The GICs this build drives, and how the failure line names them: the EL2 image drives the
 * one its platform.mk chose (PLAT_GIC_VERSION, drivers/gic.h); host tools describe any board.
 */
#if !defined(PLAT_GIC_VERSION)
#define DRIVES_GICV3 1
#define DRIVES_GICV2 1
#define GICS_DRIVEN  "arm,gic-v3, arm,gic-400, arm,cortex-a15-gic"
#elif PLAT_GIC_VERSION == 2
#define DRIVES_GICV3 0
#define DRIVES_GICV2 1
#define GICS_DRIVEN  "arm,gic-400, arm,cortex-a15-gic"
#else
#define DRIVES_GICV3 1
#define DRIVES_GICV2 0
#define GICS_DRIVEN  "arm,gic-v3"
#endif
#define MAX_REG_CELLS   2 /* 64-bit addresses and sizes at most */
#define PCI_SPACE_SHIFT 24
#define PCI_SPACE_MASK  3
#define PCI_SPACE_MEM32 2

/* Read a 1- or 2-cell big-endian number. */
static uint64_t read_cells(const fdt32_t *cells, int count)
{
    uint64_t v = 0;

    for (int i = 0; i < count; i++) {
        v = (v << 32) | fdt32_ld(&cells[i]);
    }
    return v;
}

/*
 * reg entry `index` of node, sized by the parent's #address-cells/#size-cells (their defaults
 * 2 and 1 apply when absent, as libfdt implements them).
 */
static int read_reg(const void *fdt, int node, int parent, int index,
                    struct platinfo_region *out)
{
    if (parent < 0) {
        return -BH_EINVAL;
    }
    int ac = fdt_address_cells(fdt, parent);
    int sc = fdt_size_cells(fdt, parent);
    if (ac < 1 || ac > MAX_REG_CELLS || sc < 1 || sc > MAX_REG_CELLS) {
        return -BH_EINVAL;
    }
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    int entry = ac + sc;
    if (reg == NULL || len < 0 || len / CELL_BYTES < (index + 1) * entry) {
        return -BH_EINVAL;
    }
    out->pa = read_cells(&reg[index * entry], ac);
    out->size = read_cells(&reg[index * entry + ac], sc);
    return 0;
}

int platinfo_irq_to_intid(const void *spec_be, uint32_t *intid)
{
    const fdt32_t *spec = spec_be;
    uint32_t type = fdt32_ld(&spec[0]);
    uint32_t num = fdt32_ld(&spec[1]);

    if (type == PLATINFO_IRQ_TYPE_SPI && num < PLATINFO_SPI_COUNT) {
        *intid = num + PLATINFO_SPI_BASE;
        return 0;
    }
    if (type == PLATINFO_IRQ_TYPE_PPI && num < PLATINFO_PPI_COUNT) {
        *intid = num + PLATINFO_PPI_BASE;
        return 0;
    }
    return -BH_EINVAL;
}

/* INTID of interrupt `index` of node (GIC 3-cell specifiers), or -BH_EINVAL. */
static int read_intid(const void *fdt, int node, int index, uint32_t *intid)
{
    int len;
    const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);

    if (irqs == NULL || len < 0 || len / CELL_BYTES < (index + 1) * GIC_IRQ_CELLS) {
        return -BH_EINVAL;
    }
    return platinfo_irq_to_intid(&irqs[index * GIC_IRQ_CELLS], intid);
}

/* /cpus/cpu@*: physical CPU index = order in the tree; MPIDR = reg. */
/*
 * One walk over the whole tree finds every node the parsers need, with its parent (whose
 * #address-cells/#size-cells size its reg). Searching per node type instead rescans the tree
 * each time (libfdt's *_by_compatible and fdt_parent_offset are linear), which cost QEMU's
 * virt tree ~1.8 M instructions at boot.
 */
#define SCAN_MAX_DEPTH 16
#define SCAN_MAX_UARTS 4
#define SCAN_MAX_MEMORY 4 /* device_type "memory" nodes (one per bank in some trees) */
#define SCAN_MAX_DMA   64 /* DMA-capable nodes: QEMU virt has 32 virtio-mmio, fw_cfg, PCIe */

struct scan {
    int memory[SCAN_MAX_MEMORY], memory_parent[SCAN_MAX_MEMORY];
    int memory_count;
    int gic, gic_parent;
    int intc; /* the first other interrupt controller: named when no GIC we drive is found */
    uint32_t gic_version;
    int its, its_parent;
    int timer;
    int psci;
    int chosen, cpus; /* /chosen and /cpus */
    int uart[SCAN_MAX_UARTS], uart_parent[SCAN_MAX_UARTS];
    enum platinfo_uart uart_kind[SCAN_MAX_UARTS];
    int uart_count;
    int dma[SCAN_MAX_DMA], dma_parent[SCAN_MAX_DMA];
    const char *dma_why[SCAN_MAX_DMA];
    int dma_count;
    bool dma_overflow;
};

/* Bus masters by compatible (their bindings), then by the properties that imply one. */
static const struct {
    const char *compat;
    const char *why;
} dma_compats[] = {
    { "virtio,mmio", "virtio-mmio" },
    { "qemu,fw-cfg-mmio", "fw_cfg DMA interface" },
    { "pci-host-ecam-generic", "PCIe host bridge" },
    { "pci-host-cam-generic", "PCIe host bridge" },
};
/* UARTs the hypervisor has a console driver for, by compatible (drivers/uart_*.c). */
static const struct {
    const char *compat;
    enum platinfo_uart kind;
} uart_compats[] = {
    { "arm,pl011", PLATINFO_UART_PL011 },
    { "cdns,uart-r1p12", PLATINFO_UART_CADENCE },
    { "cdns,uart-r1p8", PLATINFO_UART_CADENCE },
    { "xlnx,xuartps", PLATINFO_UART_CADENCE },
};

static enum platinfo_uart uart_kind_of(const char *compat, int len)
{
    for (size_t i = 0; i < sizeof(uart_compats) / sizeof(uart_compats[0]); i++) {
        if (fdt_stringlist_contains(compat, len, uart_compats[i].compat)) {
            return uart_compats[i].kind;
        }
    }
    return PLATINFO_UART_NONE;
}

static const char *const dma_props[] = { "dma-coherent", "iommus", "iommu-map", "msi-parent",
                                         "msi-map" };

const char *platinfo_dma_compatible(const char *compat, int len)
{
    for (size_t i = 0; compat != NULL && i < sizeof(dma_compats) / sizeof(dma_compats[0]); i++) {
        if (fdt_stringlist_contains(compat, len, dma_compats[i].compat)) {
            return dma_compats[i].why;
        }
    }
    return NULL;
}

/* What the scan learns from a node's property names besides the DMA reason. */
struct node_props {
    bool memory; /* device_type = "memory" */
    bool intc;   /* interrupt-controller */
};

/*
 * Why node can master the bus, or NULL. One pass over the node's properties: a libfdt lookup
 * per name walked them five times per node, ~0.9 M instructions at boot on QEMU's tree. The
 * same pass notes a memory node and an interrupt controller (*np; not for bus masters).
 */
static const char *dma_reason(const void *fdt, int node, const char *compat, int len,
                              struct node_props *np)
{
    const char *why = platinfo_dma_compatible(compat, len);
    int prop;

    if (why != NULL) {
        return why;
    }
    fdt_for_each_property_offset(prop, fdt, node) {
        const char *name;
        int vlen;
        const char *val = fdt_getprop_by_offset(fdt, prop, &name, &vlen);
        if (val == NULL || (name[0] != 'd' && name[0] != 'i' && name[0] != 'm')) {
            continue; /* not dma-*, iommu*, msi-*, device_type or interrupt-controller */
        }
        if (name[0] == 'd' && strcmp(name, "device_type") == 0) {
            np->memory = vlen == sizeof("memory") && strcmp(val, "memory") == 0;
            continue;
        }
        if (name[0] == 'i' && strcmp(name, "interrupt-controller") == 0) {
            np->intc = true;
            continue;
        }
        for (size_t i = 0; i < sizeof(dma_props) / sizeof(dma_props[0]); i++) {
            if (strcmp(name, dma_props[i]) == 0) {
                return dma_props[i];
            }
        }
    }
    return NULL;
}

static struct scan tree;

static void scan_node(const void *fdt, int node, int parent)
{
    int len;
    const char *compat = fdt_getprop(fdt, node, "compatible", &len);

    if (parent == 0) {
        const char *name = fdt_get_name(fdt, node, NULL);
        if (name != NULL && strcmp(name, "chosen") == 0) {
            tree.chosen = node;
        } else if (name != NULL && strcmp(name, "cpus") == 0) {
            tree.cpus = node;
        }
    }
    if (compat != NULL && len > 0 && fdt_stringlist_contains(compat, len, "arm,gic-v3-its")) {
        if (tree.its < 0) {
            tree.its = node;
            tree.its_parent = parent;
        }
        return; /* the hypervisor's own, like the GIC: not a passthrough candidate */
    }
    struct node_props np = { false, false };
    const char *why = dma_reason(fdt, node, len > 0 ? compat : NULL, len, &np);
    if (why != NULL && tree.dma_count < SCAN_MAX_DMA) {
        tree.dma[tree.dma_count] = node;
        tree.dma_parent[tree.dma_count] = parent;
        tree.dma_why[tree.dma_count++] = why;
    } else if (why != NULL) {
        tree.dma_overflow = true;
    }
    if (compat != NULL && len > 0) {
        if (tree.gic < 0 && DRIVES_GICV3 && fdt_stringlist_contains(compat, len, "arm,gic-v3")) {
            tree.gic = node;
            tree.gic_parent = parent;
            tree.gic_version = 3;
        } else if (tree.gic < 0 && DRIVES_GICV2 &&
                   (fdt_stringlist_contains(compat, len, "arm,gic-400") ||
                    fdt_stringlist_contains(compat, len, "arm,cortex-a15-gic"))) {
            tree.gic = node;
            tree.gic_parent = parent;
            tree.gic_version = 2;
        } else if (tree.timer < 0 && fdt_stringlist_contains(compat, len, "arm,armv8-timer")) {
            tree.timer = node;
        } else if (tree.psci < 0 && fdt_stringlist_contains(compat, len, "arm,psci-0.2")) {
            tree.psci = node;
        } else if (tree.uart_count < SCAN_MAX_UARTS &&
                   (tree.uart_kind[tree.uart_count] = uart_kind_of(compat, len))) {
            tree.uart[tree.uart_count] = node;
            tree.uart_parent[tree.uart_count++] = parent;
        } else if (tree.intc < 0 && np.intc) {
            tree.intc = node;
        }
    }
    if (np.memory && tree.memory_count < SCAN_MAX_MEMORY) {
        tree.memory[tree.memory_count] = node;
        tree.memory_parent[tree.memory_count++] = parent;
    }
}

static void scan_tree(const void *fdt)
{
    int stack[SCAN_MAX_DEPTH];
    int depth = 0;

    tree = (struct scan){ .gic = -1, .its = -1, .timer = -1, .psci = -1, .chosen = -1,
                          .cpus = -1, .intc = -1 };
    stack[0] = 0;
    for (int node = fdt_next_node(fdt, 0, &depth); node >= 0 && depth > 0;
         node = fdt_next_node(fdt, node, &depth)) {
        if (depth >= SCAN_MAX_DEPTH) {
            continue; /* deeper than any node we look for */
        }
        stack[depth] = node;
        scan_node(fdt, node, stack[depth - 1]);
    }
}

static int parse_cpus(const void *fdt, struct platinfo *out)
{
    int cpus = tree.cpus;
    if (cpus < 0) {
        return -BH_ENOENT;
    }
    int ac = fdt_address_cells(fdt, cpus);
    if (ac < 1 || ac > MAX_REG_CELLS) {
        return -BH_EINVAL;
    }
    int node;
    fdt_for_each_subnode(node, fdt, cpus) {
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);
        if (type == NULL || strcmp(type, "cpu") != 0) {
            continue; /* cpu-map and friends */
        }
        int len;
        const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
        if (reg == NULL || len != ac * CELL_BYTES) {
            return -BH_EINVAL;
        }
        if (out->cpu_count == PLATINFO_MAX_CPUS) {
            out->cpus_ignored++;
            continue;
        }
        out->mpidr[out->cpu_count++] = read_cells(reg, ac);
    }
    return out->cpu_count > 0 ? 0 : -BH_ENOENT;
}

/* The first bytes of out->error: what went wrong where (the node's path, then the text). */
static void fail_at(const void *fdt, int node, const char *what, struct platinfo *out)
{
    size_t n = 0;

    if (out->error[0] != '\0') {
        return; /* the first, most precise reason wins */
    }
    if (node >= 0 && fdt_get_path(fdt, node, out->error, sizeof(out->error) - 2) == 0) {
        n = strlen(out->error);
        out->error[n++] = ':';
        out->error[n++] = ' ';
    }
    for (size_t i = 0; what[i] != '\0' && n + 1 < sizeof(out->error); i++) {
        out->error[n++] = what[i];
    }
    out->error[n] = '\0';
}

/* One bank per reg entry of every memory node: a bank must be non-empty and not wrap. */
static int parse_memory(const void *fdt, struct platinfo *out)
{
    if (tree.memory_count == 0) {
        return -BH_ENOENT;
    }
    for (int m = 0; m < tree.memory_count; m++) {
        /* read_reg fails past the last entry: at most len / 8 rounds */
        for (int e = 0;; e++) {
            struct platinfo_region bank;
            if (read_reg(fdt, tree.memory[m], tree.memory_parent[m], e, &bank) != 0) {
                if (e > 0) {
                    break; /* past the last entry */
                }
                fail_at(fdt, tree.memory[m], "reg: missing or malformed", out);
                return -BH_EINVAL;
            }
            if (bank.size == 0 || bank.pa + bank.size < bank.pa) {
                fail_at(fdt, tree.memory[m], "reg: a RAM bank is empty or wraps around", out);
                return -BH_EINVAL;
            }
            if (out->ram_bank_count < PLATINFO_MAX_RAM_BANKS) {
                out->ram_bank[out->ram_bank_count++] = bank;
            } else {
                out->ram_banks_ignored++;
            }
        }
    }
    out->ram = out->ram_bank[0];
    if (out->ram.size > PLATINFO_HYP_RESERVE) {
        out->vm_ram.pa = out->ram.pa + PLATINFO_HYP_RESERVE;
        out->vm_ram.size = out->ram.size - PLATINFO_HYP_RESERVE;
    }
    out->vm_ram_avail = out->vm_ram.size;
    return 0;
}

/*
 * A GICv2 CPU interface (GICC, or the virtual one, GICV) is two 4 KiB pages, GICx_DIR in the
 * second. A region of 128 KiB is the 64 KiB-aligned layout (the GIC-400 of the ZynqMP, and
 * QEMU's model of it): each page sits in its own 64 KiB, aliased all over it, so the second
 * page follows the first at +0xf000 (as Linux's gic_check_eoimode reads it).
 */
#define GICV2_CPU_FRAME       UINT64_C(0x2000)
#define GICV2_CPU_SPLIT_SIZE  UINT64_C(0x20000)
#define GICV2_CPU_SPLIT_START UINT64_C(0xf000)

static void gicv2_cpu_frame(struct platinfo_region *r)
{
    if (r->size >= GICV2_CPU_SPLIT_SIZE) {
        r->pa += GICV2_CPU_SPLIT_START;
        r->size = GICV2_CPU_FRAME;
    }
}

static int parse_gic(const void *fdt, struct platinfo *out)
{
    int node = tree.gic;
    if (node < 0) {
        return -BH_ENOENT;
    }
    int ret = read_reg(fdt, node, tree.gic_parent, GICV3_REG_GICD, &out->gicd);
    out->gic_version = tree.gic_version;
    if (ret == 0 && tree.gic_version == 2) {
        /* without GICH and GICV (no virtualization extensions) there is nothing to use */
        ret = read_reg(fdt, node, tree.gic_parent, GICV2_REG_GICC, &out->gicc);
        ret = ret ? ret : read_reg(fdt, node, tree.gic_parent, GICV2_REG_GICH, &out->gich);
        ret = ret ? ret : read_reg(fdt, node, tree.gic_parent, GICV2_REG_GICV, &out->gicv);
        gicv2_cpu_frame(&out->gicc);
        gicv2_cpu_frame(&out->gicv);
    } else if (ret == 0) {
        ret = read_reg(fdt, node, tree.gic_parent, GICV3_REG_GICR, &out->gicr);
    }
    return ret;
}

/*
 * The console: /chosen stdout-path may be a path or an alias, optionally followed by
 * ":<options>" (chosen.yaml); only a PL011 is usable, else fall back to the first PL011.
 */
/* stdout-path names node: for a plain "/name" path, comparing names avoids a path walk. */
static bool path_names(const void *fdt, const char *path, int namelen, int node, int parent)
{
    const char *name = fdt_get_name(fdt, node, NULL);

    if (path[0] == '/' && parent == 0 && memchr(path + 1, '/', (size_t)namelen - 1) == NULL) {
        return name != NULL && (int)strlen(name) == namelen - 1 &&
               strncmp(name, path + 1, (size_t)namelen - 1) == 0;
    }
    return fdt_path_offset_namelen(fdt, path, namelen) == node;
}

/* Index in tree.uart[] of the console, or -1 when the tree has no UART we drive. */
static int find_console(const void *fdt)
{
    int chosen = tree.chosen;
    const char *path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", NULL) : NULL;

    if (tree.uart_count == 0) {
        return -1;
    }
    if (path != NULL) {
        const char *colon = strchr(path, ':');
        int namelen = colon != NULL ? (int)(colon - path) : (int)strlen(path);
        for (int i = 0; namelen > 0 && i < tree.uart_count; i++) {
            if (path_names(fdt, path, namelen, tree.uart[i], tree.uart_parent[i])) {
                return i;
            }
        }
    }
    return 0;
}

/* Optional here (the hypervisor may be built to run without one); the boot refuses to go on
 * without it, on the platform's default UART (arch boot code). */
static int parse_uart(const void *fdt, struct platinfo *out)
{
    int i = find_console(fdt);

    out->uart_intid = PLATINFO_NO_INTID;
    if (i < 0) {
        return 0;
    }
    int ret = read_reg(fdt, tree.uart[i], tree.uart_parent[i], UART_REG, &out->uart);
    if (ret == 0 && fdt_getprop(fdt, tree.uart[i], "interrupts", NULL) != NULL) {
        ret = read_intid(fdt, tree.uart[i], 0, &out->uart_intid);
    }
    if (ret != 0) {
        fail_at(fdt, tree.uart[i], "console UART: reg or interrupts malformed", out);
        out->uart_intid = PLATINFO_NO_INTID;
        return ret;
    }
    out->has_uart = true;
    out->uart_kind = tree.uart_kind[i];
    return 0;
}

static int parse_timer(const void *fdt, struct platinfo *out)
{
    int node = tree.timer;
    if (node < 0) {
        return -BH_ENOENT;
    }
    for (int i = 0; i < PLATINFO_TIMER_COUNT; i++) {
        int ret = read_intid(fdt, node, i, &out->timer_intid[i]);
        if (ret != 0) {
            return ret;
        }
    }
    return 0;
}

static int parse_psci(const void *fdt, struct platinfo *out)
{
    int node = fdt_path_offset(fdt, "/psci");
    if (node < 0) {
        node = tree.psci;
    }
    const char *method = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;

    out->psci = PLATINFO_PSCI_NONE;
    if (method == NULL) {
        return 0;
    }
    if (strcmp(method, "hvc") == 0) {
        out->psci = PLATINFO_PSCI_HVC;
    } else if (strcmp(method, "smc") == 0) {
        out->psci = PLATINFO_PSCI_SMC;
    } else {
        return -BH_EINVAL;
    }
    return 0;
}

/* A /chosen initrd bound: one or two cells (U-Boot writes either, chosen.yaml). */
static int read_chosen_addr(const void *fdt, int chosen, const char *name, uint64_t *out)
{
    int len;
    const fdt32_t *val = fdt_getprop(fdt, chosen, name, &len);

    if (val == NULL) {
        return -BH_ENOENT;
    }
    if (len != CELL_BYTES && len != 2 * CELL_BYTES) {
        return -BH_EINVAL;
    }
    *out = read_cells(val, len / CELL_BYTES);
    return 0;
}

static int parse_initrd(const void *fdt, struct platinfo *out)
{
    int chosen = tree.chosen;
    if (chosen < 0) {
        return 0;
    }
    int rs = read_chosen_addr(fdt, chosen, "linux,initrd-start", &out->initrd_start);
    int re = read_chosen_addr(fdt, chosen, "linux,initrd-end", &out->initrd_end);
    if (rs == -BH_ENOENT && re == -BH_ENOENT) {
        return 0;
    }
    if (rs != 0 || re != 0 || out->initrd_end < out->initrd_start) {
        return -BH_EINVAL;
    }
    out->has_initrd = true;
    return 0;
}

/* One DMA-capable window, merged with the previous one when adjacent and of the same kind. */
static void add_dma(struct platinfo *out, uint64_t pa, uint64_t size, const char *why)
{
    struct platinfo_dma *last = out->dma_count > 0 ? &out->dma[out->dma_count - 1] : NULL;

    if (size == 0) {
        return;
    }
    if (last != NULL && last->why == why && last->win.pa + last->win.size == pa &&
        last->win.size + size > last->win.size) {
        last->win.size += size;
    } else if (out->dma_count < PLATINFO_MAX_DMA) {
        out->dma[out->dma_count++] = (struct platinfo_dma){ { pa, size }, why };
    } else {
        out->dma_overflow = true;
    }
}

/* A PCIe host's "ranges": <child (3 cells) parent (#address-cells) size (own #size-cells)>,
 * the windows its devices' BARs live in (PCI bus binding, IEEE 1275). */
static void add_pci_ranges(const void *fdt, int node, int parent, const char *why,
                           struct platinfo *out)
{
    int len;
    const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
    int pac = fdt_address_cells(fdt, parent);
    int sc = fdt_size_cells(fdt, node);
    int entry = 3 + pac + sc;

    if (r == NULL || len <= 0 || pac < 1 || pac > MAX_REG_CELLS || sc < 1 ||
        sc > MAX_REG_CELLS) {
        return;
    }
    for (int i = 0; (i + 1) * entry <= len / CELL_BYTES; i++) {
        uint64_t pa = read_cells(&r[i * entry + 3], pac);
        uint64_t size = read_cells(&r[i * entry + 3 + pac], sc);
        add_dma(out, pa, size, why);
        /* phys.hi bits 25:24 = space code, 0b10: 32-bit memory (PCI bus binding 2.2.1.1) */
        if (((fdt32_ld(&r[i * entry]) >> PCI_SPACE_SHIFT) & PCI_SPACE_MASK) == PCI_SPACE_MEM32 &&
            out->pci_mem32.size == 0) {
            out->pci_mem32 = (struct platinfo_region){ pa, size };
        }
    }
}

/*
 * Every reg window of each bus master. The parent's cells are looked up once per parent (the
 * 32 virtio-mmio nodes share the root): read_reg per entry cost ~0.5 M instructions at boot.
 */
static int parse_dma(const void *fdt, struct platinfo *out)
{
    struct platinfo_region reg;
    int parent = -1, ac = 0, sc = 0;

    out->dma_overflow = tree.dma_overflow;
    if (tree.its >= 0 && read_reg(fdt, tree.its, tree.its_parent, 0, &reg) == 0) {
        out->has_its = true;
        out->its = reg;
    }
    for (int i = 0; i < tree.dma_count; i++) {
        int len;
        const fdt32_t *r = fdt_getprop(fdt, tree.dma[i], "reg", &len);
        if (tree.dma_parent[i] != parent) {
            parent = tree.dma_parent[i];
            ac = fdt_address_cells(fdt, parent);
            sc = fdt_size_cells(fdt, parent);
        }
        bool cells_ok = ac >= 1 && ac <= MAX_REG_CELLS && sc >= 1 && sc <= MAX_REG_CELLS;
        for (int e = 0; r != NULL && cells_ok && (e + 1) * (ac + sc) <= len / CELL_BYTES; e++) {
            add_dma(out, read_cells(&r[e * (ac + sc)], ac),
                    read_cells(&r[e * (ac + sc) + ac], sc), tree.dma_why[i]);
        }
        if (strcmp(tree.dma_why[i], "PCIe host bridge") == 0) {
            if (!out->has_pci && r != NULL && cells_ok && len / CELL_BYTES >= ac + sc) {
                out->has_pci = true; /* the first one; pci_mem32 from its ranges */
                out->pci_ecam = (struct platinfo_region){ read_cells(r, ac),
                                                          read_cells(&r[ac], sc) };
            }
            add_pci_ranges(fdt, tree.dma[i], tree.dma_parent[i], tree.dma_why[i], out);
        }
    }
    return 0;
}


/*
 * No GIC we drive: name the interrupt controller the tree has instead, if any: the root's
 * interrupt-parent (the system's), else the first node marked interrupt-controller.
 */
static void fail_no_gic(const void *fdt, struct platinfo *out)
{
    int len;
    const fdt32_t *phandle = fdt_getprop(fdt, 0, "interrupt-parent", &len);
    int node = phandle != NULL && len == CELL_BYTES ?
               fdt_node_offset_by_phandle(fdt, fdt32_ld(phandle)) : -1;

    node = node >= 0 ? node : tree.intc;
    const char *compat = node >= 0 ? fdt_getprop(fdt, node, "compatible", NULL) : NULL;
    char what[PLATINFO_ERROR_MAX] = "unsupported interrupt controller \"";
    size_t n = strlen(what);

    if (compat == NULL) {
        fail_at(fdt, -1, "no interrupt controller this build drives (" GICS_DRIVEN ")", out);
        return;
    }
    for (size_t i = 0; compat[i] != '\0' && n + 1 < sizeof(what); i++) {
        what[n++] = compat[i];
    }
    static const char tail[] = "\": this build drives " GICS_DRIVEN;
    for (size_t i = 0; tail[i] != '\0' && n + 1 < sizeof(what); i++) {
        what[n++] = tail[i];
    }
    what[n] = '\0';
    fail_at(fdt, node, what, out);
}

int platinfo_parse(const void *fdt, struct platinfo *out)
{
    /* The console first: its fields are valid whatever fails after it (platinfo.h). */
    static const struct {
        int (*parse)(const void *, struct platinfo *);
        const char *what; /* the failure line when the parser left none */
    } parsers[] = {
        { parse_uart, "console UART: malformed" },
        { parse_cpus, "/cpus: no cpu node, or a malformed reg" },
        { parse_memory, "no device_type \"memory\" node" },
        { parse_timer, "arm,armv8-timer: missing, or fewer than four interrupts" },
        { parse_psci, "psci: method is neither \"hvc\" nor \"smc\"" },
        { parse_initrd, "/chosen: linux,initrd-start/-end malformed" },
        { parse_gic, "GIC: reg malformed" },
        { parse_dma, "DMA windows" },
    };

    memset(out, 0, sizeof(*out));
    if (fdt_check_header(fdt) != 0) {
        fail_at(fdt, -1, "not a flattened device tree (bad header)", out);
        return -BH_EINVAL;
    }
    scan_tree(fdt);
    for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
        int ret = parsers[i].parse(fdt, out);
        if (ret == -BH_ENOENT && parsers[i].parse == parse_gic) {
            fail_no_gic(fdt, out);
        }
        if (ret != 0) {
            fail_at(fdt, -1, parsers[i].what, out);
            return ret;
        }
    }
    return 0;
}
