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
#define MEMORY_REG      0
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
#define SCAN_MAX_DMA   64 /* DMA-capable nodes: QEMU virt has 32 virtio-mmio, fw_cfg, PCIe */

struct scan {
    int memory, memory_parent;
    int gic, gic_parent;
    uint32_t gic_version;
    int its, its_parent;
    int timer;
    int psci;
    int chosen, cpus; /* /chosen and /cpus */
    int uart[SCAN_MAX_UARTS], uart_parent[SCAN_MAX_UARTS];
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

/*
 * Why node can master the bus, or NULL. One pass over the node's properties: a libfdt lookup
 * per name walked them five times per node, ~0.9 M instructions at boot on QEMU's tree.
 */
static const char *dma_reason(const void *fdt, int node, const char *compat, int len)
{
    const char *why = platinfo_dma_compatible(compat, len);
    int prop;

    if (why != NULL) {
        return why;
    }
    fdt_for_each_property_offset(prop, fdt, node) {
        const char *name;
        if (fdt_getprop_by_offset(fdt, prop, &name, NULL) == NULL ||
            (name[0] != 'd' && name[0] != 'i' && name[0] != 'm')) {
            continue; /* not dma-*, iommu* or msi-* */
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
    const char *why = dma_reason(fdt, node, len > 0 ? compat : NULL, len);
    if (why != NULL && tree.dma_count < SCAN_MAX_DMA) {
        tree.dma[tree.dma_count] = node;
        tree.dma_parent[tree.dma_count] = parent;
        tree.dma_why[tree.dma_count++] = why;
    } else if (why != NULL) {
        tree.dma_overflow = true;
    }
    if (compat != NULL && len > 0) {
        if (tree.gic < 0 && fdt_stringlist_contains(compat, len, "arm,gic-v3")) {
            tree.gic = node;
            tree.gic_parent = parent;
            tree.gic_version = 3;
        } else if (tree.gic < 0 && (fdt_stringlist_contains(compat, len, "arm,gic-400") ||
                                    fdt_stringlist_contains(compat, len, "arm,cortex-a15-gic"))) {
            tree.gic = node;
            tree.gic_parent = parent;
            tree.gic_version = 2;
        } else if (tree.timer < 0 && fdt_stringlist_contains(compat, len, "arm,armv8-timer")) {
            tree.timer = node;
        } else if (tree.psci < 0 && fdt_stringlist_contains(compat, len, "arm,psci-0.2")) {
            tree.psci = node;
        } else if (tree.uart_count < SCAN_MAX_UARTS &&
                   fdt_stringlist_contains(compat, len, "arm,pl011")) {
            tree.uart[tree.uart_count] = node;
            tree.uart_parent[tree.uart_count++] = parent;
        }
    }
    if (tree.memory < 0) {
        const char *type = fdt_getprop(fdt, node, "device_type", &len);
        if (type != NULL && len == sizeof("memory") && strcmp(type, "memory") == 0) {
            tree.memory = node;
            tree.memory_parent = parent;
        }
    }
}

static void scan_tree(const void *fdt)
{
    int stack[SCAN_MAX_DEPTH];
    int depth = 0;

    tree = (struct scan){ .memory = -1, .gic = -1, .its = -1, .timer = -1, .psci = -1,
                          .chosen = -1, .cpus = -1 };
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

static int parse_memory(const void *fdt, struct platinfo *out)
{
    int node = tree.memory;
    if (node < 0) {
        return -BH_ENOENT;
    }
    int ret = read_reg(fdt, node, tree.memory_parent, MEMORY_REG, &out->ram);
    if (ret == 0 && (out->ram.size == 0 || out->ram.pa + out->ram.size < out->ram.pa)) {
        ret = -BH_EINVAL;
    }
    if (ret == 0 && out->ram.size > PLATINFO_HYP_RESERVE) {
        out->vm_ram.pa = out->ram.pa + PLATINFO_HYP_RESERVE;
        out->vm_ram.size = out->ram.size - PLATINFO_HYP_RESERVE;
    }
    out->vm_ram_avail = out->vm_ram.size;
    return ret;
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

static int find_console(const void *fdt, int *parent)
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
                *parent = tree.uart_parent[i];
                return tree.uart[i];
            }
        }
    }
    *parent = tree.uart_parent[0];
    return tree.uart[0];
}

static int parse_uart(const void *fdt, struct platinfo *out)
{
    int parent = -1;
    int node = find_console(fdt, &parent);

    out->uart_intid = PLATINFO_NO_INTID;
    if (node < 0) {
        return 0; /* optional: the hypervisor may run without a console */
    }
    int ret = read_reg(fdt, node, parent, UART_REG, &out->uart);
    if (ret != 0) {
        return ret;
    }
    out->has_uart = true;
    if (fdt_getprop(fdt, node, "interrupts", NULL) != NULL) {
        ret = read_intid(fdt, node, 0, &out->uart_intid);
    }
    return ret;
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

int platinfo_parse(const void *fdt, struct platinfo *out)
{
    static int (*const parsers[])(const void *, struct platinfo *) = {
        parse_cpus, parse_memory, parse_gic, parse_uart, parse_timer, parse_psci, parse_initrd,
        parse_dma,
    };

    memset(out, 0, sizeof(*out));
    if (fdt_check_header(fdt) != 0) {
        return -BH_EINVAL;
    }
    scan_tree(fdt);
    for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
        int ret = parsers[i](fdt, out);
        if (ret != 0) {
            return ret;
        }
    }
    return 0;
}
