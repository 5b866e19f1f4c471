// SPDX-License-Identifier: MIT
/*
 * What the firmware changes in QEMU's device tree before Bulkhead reads it (docs/TRUST.md):
 *  - the secure-only devices (status "disabled", secure-status "okay": secure UART, GPIO,
 *    flash, SRAM; /secure-chosen) are deleted, so the normal world never learns of them;
 *  - /psci says the firmware answers PSCI 1.0+ through SMC (QEMU adds none when it runs
 *    firmware at EL3);
 *  - /chosen linux,initrd-start/end name the verified FIT, where Bulkhead finds its bundle
 *    (chosen.yaml; docs/CONFIG.md "Boot bundle").
 * It also reads the CPUs and the RAM for PSCI. The tree is QEMU's, trusted as the machine is.
 */
#include "fw.h"

#include <lib/string.h>
#include <libfdt.h>

#define MAX_DELETIONS 64

static bool is_secure_only(const void *fdt, int node)
{
    const char *status = fdt_getprop(fdt, node, "status", NULL);
    const char *sstatus = fdt_getprop(fdt, node, "secure-status", NULL);
    return status && sstatus && strcmp(status, "disabled") == 0 && strcmp(sstatus, "okay") == 0;
}

static int hide_secure_nodes(void *fdt)
{
    /* Deleting a node moves the ones after it: start over after each deletion. */
    for (int deleted = 0; deleted < MAX_DELETIONS; deleted++) {
        int node = fdt_path_offset(fdt, "/secure-chosen");
        for (int n = fdt_next_node(fdt, -1, NULL); node < 0 && n >= 0;
             n = fdt_next_node(fdt, n, NULL)) {
            if (is_secure_only(fdt, n)) {
                node = n;
            }
        }
        if (node < 0) {
            return 0;
        }
        int r = fdt_del_node(fdt, node);
        if (r < 0) {
            return r;
        }
    }
    return -FDT_ERR_BADSTRUCTURE;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
    uint64_t v = 0;
    for (int i = 0; i < cells; i++) {
        v = (v << 32) | fdt32_to_cpu(p[i]);
    }
    return v;
}

static int read_platform(const void *fdt, struct fw_platform *plat)
{
    int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0), len;
    int mem = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory"));
    const fdt32_t *reg = mem >= 0 ? fdt_getprop(fdt, mem, "reg", &len) : NULL;

    if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || reg == NULL || len < 4 * (ac + sc)) {
        return -FDT_ERR_BADVALUE;
    }
    plat->ram_pa = read_cells(reg, ac);
    plat->ram_size = read_cells(reg + ac, sc);

    int cpus = fdt_path_offset(fdt, "/cpus");
    int cac = cpus >= 0 ? fdt_address_cells(fdt, cpus) : -1;
    if (cac < 1 || cac > 2) {
        return -FDT_ERR_BADVALUE;
    }
    plat->cpu_count = 0;
    int n;
    fdt_for_each_subnode(n, fdt, cpus) {
        const char *type = fdt_getprop(fdt, n, "device_type", NULL);
        const fdt32_t *r = fdt_getprop(fdt, n, "reg", &len);
        if (type && strcmp(type, "cpu") == 0 && r && len >= 4 * cac &&
            plat->cpu_count < FW_MAX_CPUS) {
            plat->mpidr[plat->cpu_count++] = read_cells(r, cac);
        }
    }
    return plat->cpu_count > 0 ? 0 : -FDT_ERR_NOTFOUND;
}

static int add_psci(void *fdt)
{
    static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
    int node = fdt_path_offset(fdt, "/psci");
    if (node >= 0) {
        int r = fdt_del_node(fdt, node);
        if (r < 0) {
            return r;
        }
    }
    node = fdt_add_subnode(fdt, 0, "psci");
    if (node < 0) {
        return node;
    }
    int r = fdt_setprop(fdt, node, "compatible", compat, sizeof(compat));
    return r ? r : fdt_setprop_string(fdt, node, "method", "smc");
}

static int set_initrd(void *fdt, uint64_t pa, uint64_t size)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0) {
        chosen = fdt_add_subnode(fdt, 0, "chosen");
    }
    if (chosen < 0) {
        return chosen;
    }
    int r = fdt_setprop_u64(fdt, chosen, "linux,initrd-start", pa);
    return r ? r : fdt_setprop_u64(fdt, chosen, "linux,initrd-end", pa + size);
}

int fdtfix_apply(const void *fdt, void *out, uint64_t fdt_max, uint64_t initrd_pa,
                 uint64_t initrd_size, struct fw_platform *plat)
{
    int r = fdt_check_header(fdt);
    if (r == 0 && fdt_totalsize(fdt) > fdt_max) {
        r = -FDT_ERR_TRUNCATED;
    }
    r = r ? r : fdt_open_into(fdt, out, (int)fdt_max);
    r = r ? r : read_platform(out, plat);
    r = r ? r : hide_secure_nodes(out);
    r = r ? r : add_psci(out);
    r = r ? r : set_initrd(out, initrd_pa, initrd_size);
    return r ? r : fdt_pack(out);
}
