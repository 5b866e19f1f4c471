// SPDX-License-Identifier: MIT
/*
 * Boot-time choice of the GIC back end (<arch/gic_sel.h>): each GIC system-register access
 * on a hot path is listed in section gic_v2_sites with the address of its GICv2 stub; on
 * GICv2 hardware its MRS/MSR becomes "B <stub>". Runs with the MMU off (the text is still
 * writable), before the secondary CPUs start; the instruction cache is invalidated after.
 */
#include <arch/gic_sel.h>

#include <stdint.h>

#include <arch/sysreg.h>
#include <arch/vgic_hw.h>
#include <arch/vgic_gich.h>

struct gic_site {
    uint64_t at;
    uint64_t to;
};

/* Provided by the linker for the orphan section with a C-identifier name. */
extern const struct gic_site __start_gic_v2_sites[], __stop_gic_v2_sites[];

bool arch_gic_is_v2;

#define A64_B       UINT32_C(0x14000000) /* B imm26 */
#define A64_B_RANGE (INT64_C(1) << 27)   /* +-128 MiB */

void arch_gic_select_v2(void)
{
    for (const struct gic_site *s = __start_gic_v2_sites; s < __stop_gic_v2_sites; s++) {
        int64_t off = (int64_t)(s->to - s->at);
        if (off >= A64_B_RANGE || off < -A64_B_RANGE) {
            continue; /* impossible in one image; the site then stays GICv3 */
        }
        *(volatile uint32_t *)(uintptr_t)s->at = A64_B | (uint32_t)((off >> 2) & 0x3ffffff);
        __asm__ volatile("dc cvau, %0" : : "r"(s->at) : "memory");
    }
    arch_gic_is_v2 = true;
    __asm__ volatile("dsb ish\n ic iallu\n dsb ish\n isb" : : : "memory");
}

uint64_t arch_gich_base;

void vgic_hw_select_v2(uint64_t gich)
{
    arch_gich_base = gich;
}
