// SPDX-License-Identifier: MIT
/*
 * Stage-1 identity map for EL1 (ARM ARM D8, VMSAv8-64, 4 KiB granule, 39-bit VA so the walk
 * starts at level 1). RAM from the device tree is Normal write-back in 2 MiB blocks; every
 * other address is Device-nGnRE, execute-never, in 1 GiB blocks, so MMIO keeps its ordering
 * and nothing speculative ever touches a device. With the data cache on, the kernel's
 * memory is fast and, unlike with the MMU off, exclusives and unaligned accesses work.
 * Shared-memory windows of the hypervisor IPC (/bulkhead-ipc) are Normal write-back too, in
 * 2 MiB blocks where a block is entirely shared memory, else in 4 KiB pages (level 3).
 */
#include <rt/arch.h>
#include <rt/ipc.h>
#include <rt/rt.h>

#include "platform.h"
#include "sysreg.h"

#define PT_ENTRIES   512
#define PT_ALIGN     4096
#define L1_SHIFT     30                  /* 1 GiB per level-1 entry */
#define L2_SHIFT     21                  /* 2 MiB per level-2 entry */
#define L1_SIZE      (UINT64_C(1) << L1_SHIFT)
#define L2_SIZE      (UINT64_C(1) << L2_SHIFT)
#define VA_BITS      39
#define MAP_LIMIT    (UINT64_C(1) << VA_BITS)
#define L2_TABLES    4                   /* GiB-sized windows that may contain RAM */
#define L3_TABLES    8                   /* 2 MiB blocks only partly shared memory */
#define L3_SHIFT     12                  /* 4 KiB pages */
#define DESC_PAGE    UINT64_C(0x3)

/* Descriptor fields (D8.3) */
#define DESC_BLOCK   UINT64_C(0x1)
#define DESC_TABLE   UINT64_C(0x3)
#define DESC_ATTR    GENMASK(4, 2)
#define DESC_SH      GENMASK(9, 8)
#define DESC_AF      BIT(10)
#define DESC_PXN     BIT(53)
#define DESC_UXN     BIT(54)
#define SH_INNER     3

/* MAIR_EL1 attribute indices and encodings (D19.2.97) */
#define ATTR_DEVICE      0
#define ATTR_NORMAL      1
#define MAIR_DEVICE_NGNRE 0x04
#define MAIR_NORMAL_WB    0xff /* inner/outer write-back, read/write-allocate */
#define MAIR_ATTR_SHIFT   8

/* TCR_EL1 (D19.2.139) */
#define TCR_T0SZ     GENMASK(5, 0)
#define TCR_IRGN0    GENMASK(9, 8)
#define TCR_ORGN0    GENMASK(11, 10)
#define TCR_SH0      GENMASK(13, 12)
#define TCR_EPD1     BIT(23)
#define TCR_IPS      GENMASK(34, 32)
#define TCR_RGN_WBWA 1
#define ID_MMFR0_PARANGE GENMASK(3, 0)
#define PARANGE_48BIT    5

#define SCTLR_M BIT(0)
#define SCTLR_C BIT(2)
#define SCTLR_I BIT(12)
#define CTR_DMINLINE GENMASK(19, 16) /* log2(words) of the smallest D-cache line */
#define WORD_SIZE    4

static uint64_t l1_table[PT_ENTRIES] __attribute__((aligned(PT_ALIGN)));
static uint64_t l2_tables[L2_TABLES][PT_ENTRIES] __attribute__((aligned(PT_ALIGN)));
static uint64_t l3_tables[L3_TABLES][PT_ENTRIES] __attribute__((aligned(PT_ALIGN)));

static const uint64_t device_block = DESC_BLOCK | DESC_AF | DESC_PXN | DESC_UXN |
                                     FIELD_PREP(DESC_ATTR, ATTR_DEVICE);
static const uint64_t normal_block = DESC_BLOCK | DESC_AF | FIELD_PREP(DESC_SH, SH_INNER) |
                                     FIELD_PREP(DESC_ATTR, ATTR_NORMAL);

/* Is [pa, pa + size) entirely inside one DT memory range or shared-memory window? */
static bool is_ram(uint64_t pa, uint64_t size)
{
    uint64_t b, s;

    for (uint32_t i = 0; i < plat.mem_count; i++) {
        if (pa >= plat.mem[i].base && pa + size <= plat.mem[i].base + plat.mem[i].size) {
            return true;
        }
    }
    for (uint32_t i = 0; ipc_shm_window(i, &b, &s); i++) {
        if (pa >= b && pa + size <= b + s) {
            return true;
        }
    }
    return false;
}

/* Does [pa, pa + size) overlap any DT memory range or shared-memory window? */
static bool has_ram(uint64_t pa, uint64_t size)
{
    uint64_t b, s;

    for (uint32_t i = 0; i < plat.mem_count; i++) {
        if (pa < plat.mem[i].base + plat.mem[i].size && plat.mem[i].base < pa + size) {
            return true;
        }
    }
    for (uint32_t i = 0; ipc_shm_window(i, &b, &s); i++) {
        if (pa < b + s && b < pa + size) {
            return true;
        }
    }
    return false;
}

/* Fill the tables; false if RAM needs more L2 tables than we have or lies above 2^39. */
static bool build_tables(void)
{
    uint32_t l2_used = 0, l3_used = 0;
    uint64_t b, sz;

    if (platform_mem_highest_end() > MAP_LIMIT) {
        return false;
    }
    for (uint32_t i = 0; ipc_shm_window(i, &b, &sz); i++) {
        if (b + sz > MAP_LIMIT || b + sz < b) {
            return false;
        }
    }
    for (uint64_t i = 0; i < PT_ENTRIES; i++) {
        uint64_t gib = i << L1_SHIFT;

        if (!has_ram(gib, L1_SIZE)) {
            l1_table[i] = gib | device_block;
            continue;
        }
        if (l2_used == L2_TABLES) {
            return false;
        }
        uint64_t *l2 = l2_tables[l2_used++];
        for (uint64_t j = 0; j < PT_ENTRIES; j++) {
            uint64_t pa = gib + (j << L2_SHIFT);
            if (is_ram(pa, L2_SIZE) || !has_ram(pa, L2_SIZE)) {
                l2[j] = pa | (is_ram(pa, L2_SIZE) ? normal_block : device_block);
                continue;
            }
            /* partly RAM or shared memory: 4 KiB pages, never cache what is neither */
            if (l3_used == L3_TABLES) {
                return false;
            }
            uint64_t *l3 = l3_tables[l3_used++];
            for (uint64_t k = 0; k < PT_ENTRIES; k++) {
                uint64_t pg = pa + (k << L3_SHIFT);
                uint64_t d = is_ram(pg, UINT64_C(1) << L3_SHIFT) ? normal_block : device_block;
                l3[k] = pg | (d & ~DESC_BLOCK) | DESC_PAGE;
            }
            l2[j] = (uintptr_t)l3 | DESC_TABLE;
        }
        l1_table[i] = (uintptr_t)l2 | DESC_TABLE;
    }
    return true;
}

/*
 * Discard any stale cache lines over the image (text, data, tables, stacks): everything was
 * written with the MMU off, i.e. straight to memory, so nothing dirty can be lost.
 */
static void dcache_inval_image(void)
{
    uint64_t line = WORD_SIZE << FIELD_GET(CTR_DMINLINE, read_sysreg(ctr_el0));

    for (uintptr_t va = (uintptr_t)_head & ~(line - 1); va < (uintptr_t)_end; va += line) {
        __asm__ volatile("dc ivac, %0" : : "r"(va) : "memory");
    }
    dsb_sy();
}

bool arch_mmu_enable(void)
{
    if (!build_tables()) {
        return false;
    }
    uint64_t parange = FIELD_GET(ID_MMFR0_PARANGE, read_sysreg(id_aa64mmfr0_el1));
    uint64_t tcr = FIELD_PREP(TCR_T0SZ, 64 - VA_BITS) | FIELD_PREP(TCR_IRGN0, TCR_RGN_WBWA) |
                   FIELD_PREP(TCR_ORGN0, TCR_RGN_WBWA) | FIELD_PREP(TCR_SH0, SH_INNER) |
                   TCR_EPD1 | FIELD_PREP(TCR_IPS, RT_MIN(parange, PARANGE_48BIT));
    uint64_t mair = (uint64_t)MAIR_DEVICE_NGNRE << (ATTR_DEVICE * MAIR_ATTR_SHIFT) |
                    (uint64_t)MAIR_NORMAL_WB << (ATTR_NORMAL * MAIR_ATTR_SHIFT);

    dcache_inval_image();
    write_sysreg(mair, mair_el1);
    write_sysreg(tcr, tcr_el1);
    write_sysreg((uintptr_t)l1_table, ttbr0_el1);
    isb();
    __asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tic iallu\n\tdsb nsh" : : : "memory");
    isb();
    write_sysreg(read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I, sctlr_el1);
    isb();
    return true;
}
