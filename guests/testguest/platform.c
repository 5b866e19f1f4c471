// SPDX-License-Identifier: MIT
/*
 * Device tree glue: reads the loader's DTB with libfdt into struct platform. The DTB is first
 * copied into a private buffer, so the memory tests may write anywhere in RAM without
 * damaging it. Bindings: Documentation/devicetree/bindings/{arm/cpus,serial/pl011,
 * interrupt-controller/arm,gic-v3,timer/arm,arch_timer,arm/psci}.yaml.
 */
#include <libfdt.h>

#include "exc.h"
#include "platform.h"

/* QEMU virt layout, used only where the DT gives nothing usable. */
#define DEF_MEM_BASE    0x40000000UL
#define DEF_MEM_SIZE    0x08000000UL /* 128 MiB: the least a test VM is given */
#define DEF_UART_BASE   0x09000000UL
#define DEF_UART_INTID  33
#define DEF_GICD_BASE   0x08000000UL
#define DEF_GICR_BASE   0x080a0000UL
#define DEF_GICR_FRAME  0x20000UL    /* RD + SGI frame */
#define DEF_TIMER_INTID 27
#define DEF_PTIMER_INTID 30

#define GIC_PPI_BASE 16
#define GIC_SPI_BASE 32
#define DT_IRQ_TYPE_SPI 0
#define DT_IRQ_TYPE_PPI 1
#define DT_GIC_INTERRUPT_CELLS 3
#define DT_TIMER_VIRT_INDEX 2  /* secure phys, non-secure phys, virt, hyp */
#define DT_TIMER_PHYS_INDEX 1
#define DT_CELL_BITS 32

struct platform plat;

static uint8_t fdt_buf[TG_FDT_BUF_SIZE] __aligned(8);
static const void *fdt;
static uint32_t gic_interrupt_cells = DT_GIC_INTERRUPT_CELLS;

static void note_default(const char *what)
{
    size_t n = strlen(plat.defaulted);

    if (n + strlen(what) + 2 < sizeof(plat.defaulted)) {
        if (n) {
            plat.defaulted[n++] = ' ';
        }
        memcpy(plat.defaulted + n, what, strlen(what) + 1);
    }
}

static uint64_t read_cells(const fdt32_t *cells, int count)
{
    uint64_t val = 0;

    for (int i = 0; i < count; i++) {
        val = (val << DT_CELL_BITS) | fdt32_to_cpu(cells[i]);
    }
    return val;
}

/* Entry index of node's "reg", decoded with the parent's #address-cells/#size-cells. */
static bool dt_reg(int node, int index, uint64_t *addr, uint64_t *size)
{
    int parent = fdt_parent_offset(fdt, node);
    int ac = fdt_address_cells(fdt, parent);
    int sc = fdt_size_cells(fdt, parent);
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

    if (!reg || ac <= 0 || sc < 0 || ac > 2 || sc > 2) {
        return false;
    }
    int stride = ac + sc;
    if ((index + 1) * stride * (int)sizeof(fdt32_t) > len) {
        return false;
    }
    *addr = read_cells(reg + index * stride, ac);
    *size = read_cells(reg + index * stride + ac, sc);
    return true;
}

/* Entry index of node's "interrupts" as a GIC INTID (GIC binding: type, number, flags). */
static bool dt_interrupt(int node, int index, uint32_t *intid)
{
    int len;
    const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
    uint32_t cells = gic_interrupt_cells;

    if (!irq || cells < 2 || (index + 1) * (int)(cells * sizeof(fdt32_t)) > len) {
        return false;
    }
    uint32_t type = fdt32_to_cpu(irq[index * cells]);
    uint32_t num = fdt32_to_cpu(irq[index * cells + 1]);
    if (type == DT_IRQ_TYPE_SPI) {
        *intid = num + GIC_SPI_BASE;
    } else if (type == DT_IRQ_TYPE_PPI) {
        *intid = num + GIC_PPI_BASE;
    } else {
        return false;
    }
    return true;
}

/* DT "status": absent, "okay" or "ok" mean usable. */
static bool dt_is_available(int node)
{
    const char *status = fdt_getprop(fdt, node, "status", NULL);

    return !status || !strncmp(status, "okay", sizeof("okay")) ||
           !strncmp(status, "ok", sizeof("ok"));
}

static void parse_memory(void)
{
    int node = -1;

    for (;;) {
        node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory",
                                             sizeof("memory"));
        if (node < 0) {
            break;
        }
        if (!dt_is_available(node)) {
            continue;
        }
        uint64_t base, size;
        for (int i = 0; plat.mem_count < PLAT_MAX_MEM_REGIONS && dt_reg(node, i, &base, &size);
             i++) {
            if (size) {
                plat.mem[plat.mem_count++] = (struct mem_region){ base, size };
            }
        }
    }
    if (!plat.mem_count) {
        plat.mem[plat.mem_count++] = (struct mem_region){ DEF_MEM_BASE, DEF_MEM_SIZE };
        note_default("memory");
    }
}

/* Logical order: the boot CPU first, then the others in DT order. */
static void parse_cpus(uint64_t boot_mpidr)
{
    int cpus = fdt_path_offset(fdt, "/cpus");
    int node;

    plat.cpu_mpidr[0] = boot_mpidr;
    plat.cpu_count = 1;
    if (cpus < 0) {
        note_default("cpus");
        return;
    }
    int ac = fdt_address_cells(fdt, cpus);
    fdt_for_each_subnode(node, fdt, cpus) {
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);
        int len;
        const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

        if (!type || strncmp(type, "cpu", sizeof("cpu")) || !dt_is_available(node) || !reg ||
            ac <= 0 || ac > 2 || len < ac * (int)sizeof(fdt32_t)) {
            continue;
        }
        uint64_t mpidr = read_cells(reg, ac) & MPIDR_AFF_MASK;
        plat.cpu_count_dt++;
        if (mpidr != boot_mpidr && plat.cpu_count < TG_MAX_CPUS) {
            plat.cpu_mpidr[plat.cpu_count++] = mpidr;
        }
    }
}

/* The console: /chosen stdout-path if it names a PL011, else the first PL011. */
static int find_uart(void)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    const char *path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", NULL) : NULL;

    if (path) {
        const char *opts = strchr(path, ':');
        int node = fdt_path_offset_namelen(fdt, path, opts ? (int)(opts - path)
                                                           : (int)strlen(path));
        if (node >= 0 && !fdt_node_check_compatible(fdt, node, "arm,pl011")) {
            return node;
        }
    }
    return fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
}

static void parse_devices(void)
{
    uint64_t addr, size;
    int node;

    node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
    if (node < 0) {
        /* a GICv2 (arm,gic.yaml): reg = GICD, GICC; what Bulkhead gives on GICv2 hardware */
        node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-400");
        node = node >= 0 ? node : fdt_node_offset_by_compatible(fdt, -1, "arm,cortex-a15-gic");
        plat.gic_v2 = node >= 0;
    }
    if (node >= 0) {
        int len;
        const fdt32_t *cells = fdt_getprop(fdt, node, "#interrupt-cells", &len);
        const fdt32_t *stride = fdt_getprop(fdt, node, "redistributor-stride", &len);

        if (cells) {
            gic_interrupt_cells = fdt32_to_cpu(*cells);
        }
        if (stride) {
            plat.gicr_stride = read_cells(stride, len / (int)sizeof(fdt32_t));
        }
    }
    if (node >= 0 && dt_reg(node, 0, &addr, &size)) {
        plat.gicd_base = addr;
    } else {
        plat.gicd_base = DEF_GICD_BASE;
        note_default("gicd");
    }
    if (plat.gic_v2 && dt_reg(node, 1, &addr, &size)) {
        plat.gicc_base = addr;
    } else if (plat.gic_v2) {
        plat.gic_v2 = false; /* no CPU interface: the GICv3 defaults below */
    }
    if (plat.gic_v2) {
        /* no redistributors */
    } else if (node >= 0 && dt_reg(node, 1, &addr, &size)) {
        plat.gicr_base = addr;
        plat.gicr_size = size;
    } else {
        plat.gicr_base = DEF_GICR_BASE;
        plat.gicr_size = DEF_GICR_FRAME * plat.cpu_count;
        note_default("gicr");
    }

    node = find_uart();
    if (node >= 0 && dt_reg(node, 0, &addr, &size)) {
        plat.uart_base = addr;
    } else {
        plat.uart_base = DEF_UART_BASE;
        note_default("uart");
    }
    if (node < 0 || !dt_interrupt(node, 0, &plat.uart_intid)) {
        plat.uart_intid = DEF_UART_INTID;
        note_default("uart-irq");
    }

    node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
    if (node < 0 || !dt_interrupt(node, DT_TIMER_VIRT_INDEX, &plat.timer_intid)) {
        plat.timer_intid = DEF_TIMER_INTID;
        note_default("timer");
    }
    if (node < 0 || !dt_interrupt(node, DT_TIMER_PHYS_INDEX, &plat.ptimer_intid)) {
        plat.ptimer_intid = DEF_PTIMER_INTID;
        note_default("ptimer");
    }
}

static void parse_psci(void)
{
    static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
    int node = -1;

    for (size_t i = 0; i < ARRAY_SIZE(compat) && node < 0; i++) {
        node = fdt_node_offset_by_compatible(fdt, -1, compat[i]);
    }
    const char *method = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;
    if (method && !strncmp(method, "smc", sizeof("smc"))) {
        plat.psci = PSCI_CONDUIT_SMC;
    } else if (method && !strncmp(method, "hvc", sizeof("hvc"))) {
        plat.psci = PSCI_CONDUIT_HVC;
    } else {
        /* HVC is what both QEMU (no EL2/EL3) and Bulkhead offer an EL1 guest */
        plat.psci = PSCI_CONDUIT_HVC;
        note_default("psci");
    }
}

static void parse_chosen(void)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    int len;
    const char *args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;

    if (args && len > 0) {
        size_t n = strnlen(args, (size_t)len);
        if (n >= sizeof(plat.bootargs)) {
            n = sizeof(plat.bootargs) - 1;
        }
        memcpy(plat.bootargs, args, n);
        plat.bootargs[n] = '\0';
    }
}

/*
 * Validate the DTB header (probing the first word, since x0 could point anywhere), then copy
 * it into fdt_buf; fdt_open_into() also drops the loader's padding, which can be large.
 */
static bool load_dtb(uintptr_t dtb_pa)
{
    uint32_t magic = 0;

    plat.dtb_pa = dtb_pa;
    if (!dtb_pa || (dtb_pa % sizeof(uint64_t)) || !probe_read32(dtb_pa, &magic) ||
        fdt32_to_cpu(magic) != FDT_MAGIC) {
        return false;
    }
    const void *blob = (const void *)dtb_pa;
    if (fdt_check_header(blob)) {
        return false;
    }
    plat.dtb_size = fdt_totalsize(blob);
    if (fdt_open_into(blob, fdt_buf, sizeof(fdt_buf)) == 0) {
        fdt = fdt_buf;
    } else {
        fdt = blob; /* too big to copy: use it in place; memory tests skip its range */
    }
    return true;
}

void platform_init(uintptr_t dtb_pa)
{
    uint64_t boot_mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;

    plat.dtb_ok = load_dtb(dtb_pa);
    if (!plat.dtb_ok) {
        /* an empty tree makes every lookup below fail cleanly into its default */
        fdt_create_empty_tree(fdt_buf, sizeof(fdt_buf));
        fdt = fdt_buf;
        note_default("dtb");
    }
    parse_memory();
    parse_cpus(boot_mpidr);
    parse_devices();
    parse_psci();
    parse_chosen();
}

uint64_t platform_mem_lowest(void)
{
    uint64_t low = UINT64_MAX;

    for (uint32_t i = 0; i < plat.mem_count; i++) {
        low = plat.mem[i].base < low ? plat.mem[i].base : low;
    }
    return low;
}

uint64_t platform_mem_highest_end(void)
{
    uint64_t high = 0;

    for (uint32_t i = 0; i < plat.mem_count; i++) {
        uint64_t end = plat.mem[i].base + plat.mem[i].size;
        high = end > high ? end : high;
    }
    return high;
}

int platform_cpu_index(uint64_t mpidr)
{
    for (uint32_t i = 0; i < plat.cpu_count; i++) {
        if (plat.cpu_mpidr[i] == (mpidr & MPIDR_AFF_MASK)) {
            return (int)i;
        }
    }
    return -1;
}
