// SPDX-License-Identifier: MIT
/*
 * Device lookups by "compatible" for the pass-through and GIC conformance modes. platform.c
 * keeps its parsed tree private and only extracts the devices every mode needs; these modes
 * ask about other nodes (a pass-through RTC, the GIC's ITS), so they read the loader's DTB
 * again, in place (the memory tests that could overwrite it do not run in these modes).
 */
#include <libfdt.h>

#include "dt_dev.h"
#include "platform.h"

#define DT_CELL_BITS      32
#define DT_MAX_ADDR_CELLS 2
#define DT_GIC_IRQ_CELLS  3 /* type, number, flags */
#define DT_IRQ_TYPE_SPI   0
#define DT_IRQ_TYPE_PPI   1
#define DT_SPI_BASE       32
#define DT_PPI_BASE       16

static const void *dt_blob(void)
{
    return plat.dtb_ok ? (const void *)plat.dtb_pa : NULL;
}

static uint64_t dt_cells(const fdt32_t *cells, int count)
{
    uint64_t val = 0;

    for (int i = 0; i < count; i++) {
        val = (val << DT_CELL_BITS) | fdt32_to_cpu(cells[i]);
    }
    return val;
}

/* "status" absent, "okay" or "ok": the device is usable (DT specification 2.3.4). */
static bool dt_available(const void *fdt, int node)
{
    const char *status = fdt_getprop(fdt, node, "status", NULL);

    return !status || !strncmp(status, "okay", sizeof("okay")) ||
           !strncmp(status, "ok", sizeof("ok"));
}

static bool dt_first_reg(const void *fdt, int node, struct dt_dev *dev)
{
    int parent = fdt_parent_offset(fdt, node);
    int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent), len = 0;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

    if (!reg || ac <= 0 || ac > DT_MAX_ADDR_CELLS || sc < 0 || sc > DT_MAX_ADDR_CELLS ||
        len < (ac + sc) * (int)sizeof(fdt32_t)) {
        return false;
    }
    dev->base = dt_cells(reg, ac);
    dev->size = dt_cells(reg + ac, sc);
    return true;
}

/* Only GIC 3-cell specifiers of SPIs and PPIs are understood; others are skipped. */
static void dt_irqs(const void *fdt, int node, struct dt_dev *dev)
{
    int len = 0;
    const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
    int count = irq ? len / (int)(DT_GIC_IRQ_CELLS * sizeof(fdt32_t)) : 0;

    dev->intid_count = 0;
    for (int i = 0; i < count && dev->intid_count < DT_DEV_MAX_IRQS; i++) {
        uint32_t type = fdt32_to_cpu(irq[i * DT_GIC_IRQ_CELLS]);
        uint32_t num = fdt32_to_cpu(irq[i * DT_GIC_IRQ_CELLS + 1]);
        if (type == DT_IRQ_TYPE_SPI) {
            dev->intid[dev->intid_count++] = DT_SPI_BASE + num;
        } else if (type == DT_IRQ_TYPE_PPI) {
            dev->intid[dev->intid_count++] = DT_PPI_BASE + num;
        }
    }
}

bool dt_find_device(const char *compat, struct dt_dev *dev)
{
    const void *fdt = dt_blob();
    int node = -1;

    if (!fdt) {
        return false;
    }
    for (;;) {
        node = fdt_node_offset_by_compatible(fdt, node, compat);
        if (node < 0) {
            return false;
        }
        if (dt_available(fdt, node) && dt_first_reg(fdt, node, dev)) {
            dt_irqs(fdt, node, dev);
            return true;
        }
    }
}

unsigned int dt_find_devices(const char *compat, struct dt_dev *devs, unsigned int max)
{
    const void *fdt = dt_blob();
    unsigned int count = 0;

    for (int node = -1; fdt && count < max;) {
        node = fdt_node_offset_by_compatible(fdt, node, compat);
        if (node < 0) {
            break;
        }
        if (dt_available(fdt, node) && dt_first_reg(fdt, node, &devs[count])) {
            dt_irqs(fdt, node, &devs[count]);
            count++;
        }
    }
    return count;
}

bool dt_has_compatible(const char *compat)
{
    const void *fdt = dt_blob();

    return fdt && fdt_node_offset_by_compatible(fdt, -1, compat) >= 0;
}
