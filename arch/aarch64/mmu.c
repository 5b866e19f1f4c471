// SPDX-License-Identifier: MIT
/*
 * EL2 stage-1 translation (ARM DDI 0487 D8): identity map, 4 KiB granule, 39-bit VA. Text is
 * read-only and executable, everything else is execute-never, and SCTLR_EL2.WXN makes any
 * writable mapping execute-never as well, so no mapping is ever writable and executable.
 * Translation tables for stage 2 come from the same pool of pages.
 */
#include "mmu.h"

#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/sysreg.h>
#include <core/config/config.h>
#include <lib/string.h>

#define TABLE_POOL_PAGES 192

/* Pages are zeroed when handed out. */
static uint64_t table_pool[TABLE_POOL_PAGES][PT_ENTRIES] __attribute__((aligned(4096))) __noclear;
static unsigned table_next;
static struct pgtable el2_pt;

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

/* TCR_EL2 (D17.2.131): T0SZ = 25 (39-bit), WBWA inner/outer, inner shareable, 4K, PS 40 bits */
#define TCR_EL2_VALUE ((64 - PT_IA_BITS) | (UINT64_C(1) << 8) | (UINT64_C(1) << 10) | \
                       (UINT64_C(3) << 12) | (UINT64_C(2) << 16) | BIT(23) | BIT(31))

uint64_t *mmu_table_alloc(void *ctx)
{
    (void)ctx;
    unsigned i = __atomic_fetch_add(&table_next, 1, __ATOMIC_RELAXED);
    if (i >= TABLE_POOL_PAGES) {
        return NULL;
    }
    memset(table_pool[i], 0, sizeof(table_pool[i]));
    return table_pool[i];
}

uint64_t mmu_to_pa(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

uint64_t *mmu_to_va(uint64_t pa)
{
    return (uint64_t *)(uintptr_t)pa;
}

static const uint64_t attr_text = PTE_S1_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_S1_AP1 |
                                  PTE_S1_AP_RO;
static const uint64_t attr_ro = PTE_S1_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_S1_AP1 |
                                PTE_S1_AP_RO | PTE_S1_XN;
static const uint64_t attr_rw = PTE_S1_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_S1_AP1 |
                                PTE_S1_XN;
static const uint64_t attr_dev = PTE_S1_ATTR(MAIR_IDX_DEVICE) | PTE_S1_AP1 | PTE_S1_XN;

static int map_ram_around_image(uint64_t ram_base, uint64_t ram_end)
{
    uint64_t img_start = (uint64_t)(uintptr_t)__image_start;
    uint64_t text_end = (uint64_t)(uintptr_t)__text_end;
    uint64_t ro_end = (uint64_t)(uintptr_t)__rodata_end;
    uint64_t img_end = (uint64_t)(uintptr_t)__image_end;
    int r = 0;

    r = r ? r : pt_map(&el2_pt, ram_base, ram_base, img_start - ram_base, attr_rw);
    r = r ? r : pt_map(&el2_pt, img_start, img_start, text_end - img_start, attr_text);
    r = r ? r : pt_map(&el2_pt, text_end, text_end, ro_end - text_end, attr_ro);
    r = r ? r : pt_map(&el2_pt, ro_end, ro_end, img_end - ro_end, attr_rw);
    r = r ? r : pt_map(&el2_pt, img_end, img_end, ram_end - img_end, attr_rw);
    return r;
}

int mmu_init(uint64_t ram_base, uint64_t ram_size)
{
    el2_pt.alloc = mmu_table_alloc;
    el2_pt.to_pa = mmu_to_pa;
    el2_pt.to_va = mmu_to_va;
    el2_pt.root = mmu_table_alloc(NULL);
    if (!el2_pt.root) {
        return -BH_ENOMEM;
    }
    return map_ram_around_image(ram_base, ram_base + ram_size);
}

int mmu_map_device(uint64_t pa, uint64_t size)
{
    uint64_t start = pa & ~(PT_PAGE_SIZE - 1);
    uint64_t end = (pa + size + PT_PAGE_SIZE - 1) & ~(PT_PAGE_SIZE - 1);

    return pt_map(&el2_pt, start, start, end - start, attr_dev);
}

void mmu_enable(void)
{
    sysreg_write(mair_el2, MAIR_EL2_VALUE);
    sysreg_write(tcr_el2, TCR_EL2_VALUE);
    sysreg_write(ttbr0_el2, mmu_to_pa(el2_pt.root));
    dsb(ish);
    __asm__ volatile("tlbi alle2" ::: "memory");
    dsb(ish);
    isb();
    sysreg_write(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_WXN);
    isb();
}

/*
 * The hypervisor's aliases of cache-coloured VMs' RAM (core/vm/vm_colour.c): VM i's scattered
 * pages appear contiguously at ALIAS_BASE + i * ALIAS_STRIDE, far above any RAM the identity
 * map covers, so vm_ipa_to_host stays one addition. Same attributes as the identity map of
 * the same pages (no mismatched aliases). Only new, invalid entries are written, on the boot
 * CPU before the others start: no break-before-make and no TLB invalidation are needed.
 */
#define ALIAS_BASE   (UINT64_C(1) << (PT_IA_BITS - 1))                  /* 256 GiB */
#define ALIAS_STRIDE ((UINT64_C(1) << (PT_IA_BITS - 1)) / CFG_MAX_VMS) /* 32 GiB */
_Static_assert(ALIAS_BASE % CFG_COLOUR_ALIAS_ALIGN == 0 &&
                   ALIAS_STRIDE % CFG_COLOUR_ALIAS_ALIGN == 0,
               "the checker counts the alias's tables from a 1 GiB boundary");

uint64_t arch_hyp_alias_va(unsigned vm_id)
{
    return vm_id < CFG_MAX_VMS ? ALIAS_BASE + vm_id * ALIAS_STRIDE : 0;
}

int arch_hyp_alias_map(uint64_t va, uint64_t pa, uint64_t size, pt_alloc_fn alloc, void *ctx)
{
    uint64_t slot = va - ALIAS_BASE;

    if (va < ALIAS_BASE || size > ALIAS_STRIDE || slot % ALIAS_STRIDE + size > ALIAS_STRIDE) {
        return -BH_EINVAL; /* one VM's window only */
    }
    pt_alloc_fn old_alloc = el2_pt.alloc;
    void *old_ctx = el2_pt.ctx;
    el2_pt.alloc = alloc;
    el2_pt.ctx = ctx;
    int r = pt_map(&el2_pt, va, pa, size, attr_rw);
    el2_pt.alloc = old_alloc;
    el2_pt.ctx = old_ctx;
    dsb(ish); /* the table walker sees the new entries */
    isb();
    return r;
}

bool arch_hyp_va_to_pa(uint64_t va, uint64_t *pa)
{
    /* AT S1E2R (D8.13): the MMU's own walk of the EL2 tables; PAR_EL1 is the hypervisor's
     * here (boot, before any guest runs on this CPU). */
    __asm__ volatile("at s1e2r, %0" ::"r"(va) : "memory");
    isb();
    uint64_t par = sysreg_read(par_el1);
    if (par & BIT(0)) {
        return false; /* PAR_EL1.F: the walk faulted */
    }
    *pa = (par & PTE_ADDR_MASK) | (va & (PT_PAGE_SIZE - 1));
    return true;
}
