/* SPDX-License-Identifier: MIT */
/*
 * Device lookups in the loader's device tree beyond what platform.c keeps: a device by
 * "compatible" (first MMIO window and GIC interrupts, Linux bindings: devicetree
 * specification 2.3.6 "reg", interrupt-controller/arm,gic-v3.yaml for the 3-cell specifier).
 * Reads the DTB in place at plat.dtb_pa, so only modes that never write RAM may use it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define DT_DEV_MAX_IRQS 8

struct dt_dev {
    uint64_t base; /* first "reg" entry */
    uint64_t size;
    uint32_t intid[DT_DEV_MAX_IRQS]; /* GIC INTIDs (SPI n -> 32 + n, PPI n -> 16 + n) */
    uint32_t intid_count;
};

/*
 * Find the first available node whose "compatible" list contains compat and fill *dev.
 * Returns false if the DTB is unusable, there is no such node or its "reg" is unreadable.
 */
bool dt_find_device(const char *compat, struct dt_dev *dev);

/* Fill devs[] with every available node compatible with compat (at most max, DT order);
 * returns how many. Nodes whose "reg" is unreadable are skipped. */
unsigned int dt_find_devices(const char *compat, struct dt_dev *devs, unsigned int max);

/* True if some node (available or not) is compatible with compat. */
bool dt_has_compatible(const char *compat);
