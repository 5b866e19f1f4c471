// SPDX-License-Identifier: MIT
/*
 * Scenario-wide real-time properties of the root node. rt-slice-us: the round-robin time
 * slice the hypervisor keeps on the pCPUs of VMs without a priority when the scenario has a
 * real-time VM, a quirk for platforms that run every CPU on one thread (QEMU's -icount round
 * robin, arch/aarch64/rr_slice.c, docs/VIRTUAL-CPU.md). Absent: the platform's default.
 */
#include <stdbool.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>

void cfg_parse_rt(struct cfg_ctx *c)
{
    int len = 0;
    const void *val = fdt_getprop(c->fdt, 0, "rt-slice-us", &len);

    c->out->rt_slice_us = CFG_RT_SLICE_PLATFORM;
    if (!val) {
        return;
    }
    if (!cfg_check_cells(c, NULL, "/", "rt-slice-us", val, len, "one cell (microseconds)")) {
        return;
    }
    if (len != (int)sizeof(fdt32_t)) {
        cfg_error(c, NULL, "/", "rt-slice-us", "must be one cell, not %d bytes", len);
        return;
    }
    uint32_t us = fdt32_ld((const fdt32_t *)val);
    if (us != 0 && (us < CFG_RT_SLICE_US_MIN || us > CFG_RT_SLICE_US_MAX)) {
        cfg_error(c, NULL, "/", "rt-slice-us", "%u us is out of range (0: off, or %u..%u)", us,
                  CFG_RT_SLICE_US_MIN, CFG_RT_SLICE_US_MAX);
        return;
    }
    c->out->rt_slice_us = us;
}

uint32_t cfg_rt_slice_us(const struct cfg_scenario *s, uint32_t platform_us)
{
    return s->rt_slice_us == CFG_RT_SLICE_PLATFORM ? platform_us : s->rt_slice_us;
}
