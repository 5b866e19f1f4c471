// SPDX-License-Identifier: MIT
/*
 * tg.mode=ramclear: the hypervisor must hand the VM RAM that holds nothing of an earlier boot
 * or instance (issue 9, item 10). Every word of RAM the loader did not fill (past the image
 * and its BSS, around the device tree) must read zero; then this guest fills that RAM with a
 * marker and calls SYSTEM_RESET, so the next instance checks that the marker is gone.
 */
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "tests.h"
#include "tg.h"

#define MARKER            UINT64_C(0x5afec1ea5afec1ea)
#define PSCI_SYSTEM_RESET 0x84000009u /* PSCI 1.1, DEN0022D 5.11 */

/* Nonzero words in [from, to); the first one's address in *first. */
static uint64_t count_dirty(uintptr_t from, uintptr_t to, uintptr_t *first)
{
    uint64_t n = 0;

    for (volatile uint64_t *p = (volatile uint64_t *)from; (uintptr_t)p < to; p++) {
        if (*p != 0) {
            *first = n++ == 0 ? (uintptr_t)p : *first;
        }
    }
    return n;
}

static void fill(uintptr_t from, uintptr_t to)
{
    for (volatile uint64_t *p = (volatile uint64_t *)from; (uintptr_t)p < to; p++) {
        *p = MARKER;
    }
}

void mode_ramclear(void)
{
    uintptr_t img_end = ((uintptr_t)_end + 7) & ~(uintptr_t)7;
    uintptr_t dtb = plat.dtb_pa & ~(uintptr_t)7;
    uintptr_t dtb_end = (plat.dtb_pa + plat.dtb_size + 7) & ~(uintptr_t)7;
    uintptr_t ram_end = (uintptr_t)platform_mem_highest_end();
    uintptr_t first = 0;

    if (!plat.dtb_ok || dtb < img_end || dtb_end > ram_end) {
        tg_fatal("ramclear: unexpected layout image end 0x%lx dtb 0x%lx+0x%x RAM end 0x%lx",
                 img_end, plat.dtb_pa, plat.dtb_size, ram_end);
    }
    uint64_t dirty = count_dirty(img_end, dtb, &first) + count_dirty(dtb_end, ram_end, &first);
    report(dirty == 0, "ram cleared: 0x%lx-0x%lx and 0x%lx-0x%lx read zero (%lu dirty words, "
           "first at 0x%lx)", img_end, dtb, dtb_end, ram_end, (unsigned long)dirty, first);
    fill(img_end, dtb);
    fill(dtb_end, ram_end);
    tg_print("ramclear: marker written, calling SYSTEM_RESET");
    int64_t r = psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    tg_fatal("SYSTEM_RESET returned %ld", (long)r);
}
