// SPDX-License-Identifier: MIT
/*
 * Unit tests for arch/aarch64/pgtable.c: VMSAv8-64 descriptor encoding for stage 2 and EL2
 * stage 1 (ARM DDI 0487 D8.3): block vs page choice by alignment, attribute bits, table
 * allocation, overlap refusal, argument checks, and walks of what was built.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <arch/pgtable.h>

#define POOL_PAGES 64
#define S2_RAM (PTE_S2_MEMATTR_NORMAL | PTE_S2_AP_RW | PTE_SH_INNER)
#define S2_DEV (PTE_S2_MEMATTR_DEVICE | PTE_S2_AP_RW | PTE_S2_XN)

struct pool {
    uint64_t (*pages)[PT_ENTRIES];
    unsigned used;
    unsigned limit;
};

static struct pool pool;
static struct pgtable pt;

static uint64_t *pool_alloc(void *ctx)
{
    struct pool *p = ctx;

    if (p->used >= p->limit) {
        return NULL;
    }
    memset(p->pages[p->used], 0, sizeof(p->pages[0]));
    return p->pages[p->used++];
}

/* Host "physical addresses" of tables are their offsets in the pool plus a fake base, so a
 * descriptor's address field can be checked like on hardware. */
#define FAKE_BASE UINT64_C(0x80000000)

static uint64_t to_pa(const void *p)
{
    return FAKE_BASE + (uint64_t)((const uint64_t(*)[PT_ENTRIES])p - pool.pages) * PT_PAGE_SIZE;
}

static uint64_t *to_va(uint64_t pa)
{
    return pool.pages[(pa - FAKE_BASE) / PT_PAGE_SIZE];
}

static int setup(void **state)
{
    (void)state;
    pool.pages = aligned_alloc(4096, POOL_PAGES * PT_PAGE_SIZE);
    pool.used = 0;
    pool.limit = POOL_PAGES;
    pt.alloc = pool_alloc;
    pt.ctx = &pool;
    pt.to_pa = to_pa;
    pt.to_va = to_va;
    pt.root = pool_alloc(&pool);
    return pt.root ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(pool.pages);
    return 0;
}

static void test_2m_aligned_ram_uses_blocks(void **state)
{
    uint64_t pa, desc;
    (void)state;
    assert_int_equal(pt_map(&pt, 0x40000000, 0x7e000000, 0x400000, S2_RAM), 0);
    /* root + one level-2 table, no level 3 */
    assert_int_equal(pool.used, 2);
    assert_true(pt_walk(&pt, 0x40201234, &pa, &desc));
    assert_int_equal(pa, 0x7e201234);
    /* block descriptor: bits[1:0] = 01, AF, attributes as given */
    assert_int_equal(desc & 3, 1);
    assert_true(desc & PTE_AF);
    assert_int_equal(desc & (UINT64_C(0xf) << 2), PTE_S2_MEMATTR_NORMAL);
    assert_int_equal(desc & (UINT64_C(3) << 6), PTE_S2_AP_RW);
    assert_int_equal(desc & PTE_S2_XN, 0);
    assert_false(pt_walk(&pt, 0x40400000, &pa, &desc));
    assert_false(pt_walk(&pt, 0x3ffff000, &pa, &desc));
}

static void test_1g_block_and_unaligned_pages(void **state)
{
    uint64_t pa, desc;
    (void)state;
    assert_int_equal(pt_map(&pt, 0x40000000, 0x40000000, PT_BLOCK_L1, S2_RAM), 0);
    assert_int_equal(pool.used, 1); /* a level-1 block needs no new table */
    assert_true(pt_walk(&pt, 0x7fffffff, &pa, &desc));
    assert_int_equal(pa, 0x7fffffff);
    /* pa not 2 MiB aligned: pages at level 3 */
    assert_int_equal(pt_map(&pt, 0x0a000000, 0x0a001000, 0x3000, S2_DEV), 0);
    assert_true(pt_walk(&pt, 0x0a002010, &pa, &desc));
    assert_int_equal(pa, 0x0a003010);
    assert_int_equal(desc & 3, 3); /* page descriptor */
    assert_int_equal(desc & PTE_S2_XN, PTE_S2_XN);
    assert_int_equal(desc & (UINT64_C(0xf) << 2), PTE_S2_MEMATTR_DEVICE);
    assert_false(pt_walk(&pt, 0x0a003000, &pa, &desc));
}

static void test_mixed_range_blocks_in_middle(void **state)
{
    uint64_t pa, desc;
    (void)state;
    /* 1 MiB before a 2 MiB boundary, one full block, 4 KiB after */
    assert_int_equal(pt_map(&pt, 0x40100000, 0x40100000, 0x100000 + 0x200000 + 0x1000, S2_RAM), 0);
    assert_true(pt_walk(&pt, 0x40100000, &pa, &desc));
    assert_int_equal(desc & 3, 3);
    assert_true(pt_walk(&pt, 0x40300000, &pa, &desc));
    assert_int_equal(desc & 3, 1);
    assert_true(pt_walk(&pt, 0x40400000, &pa, &desc));
    assert_int_equal(desc & 3, 3);
    assert_false(pt_walk(&pt, 0x40401000, &pa, &desc));
}

static void test_overlap_and_bad_arguments_refused(void **state)
{
    (void)state;
    assert_int_equal(pt_map(&pt, 0x40000000, 0x40000000, 0x200000, S2_RAM), 0);
    assert_int_equal(pt_map(&pt, 0x40000000, 0x50000000, 0x200000, S2_RAM), -BH_EEXIST);
    assert_int_equal(pt_map(&pt, 0x40100000, 0x50000000, 0x1000, S2_RAM), -BH_EEXIST);
    assert_int_equal(pt_map(&pt, 0x1000, 0x2001, 0x1000, S2_RAM), -BH_EINVAL);
    assert_int_equal(pt_map(&pt, 0x1000, 0x2000, 0, S2_RAM), -BH_EINVAL);
    assert_int_equal(pt_map(&pt, UINT64_C(1) << 39, 0, 0x1000, S2_RAM), -BH_EINVAL);
    assert_int_equal(pt_map(&pt, (UINT64_C(1) << 39) - 0x1000, 0, 0x2000, S2_RAM), -BH_EINVAL);
}

static void test_pool_exhaustion(void **state)
{
    (void)state;
    pool.limit = pool.used + 1; /* room for a level-2 table but not a level-3 one */
    assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1000, S2_RAM), -BH_ENOMEM);
}

static void test_el2_stage1_attributes(void **state)
{
    uint64_t pa, desc;
    const uint64_t text = PTE_S1_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_S1_AP1 | PTE_S1_AP_RO;
    (void)state;
    assert_int_equal(pt_map(&pt, 0x40200000, 0x40200000, 0x3000, text), 0);
    assert_true(pt_walk(&pt, 0x40201000, &pa, &desc));
    assert_int_equal(desc & PTE_S1_AP_RO, PTE_S1_AP_RO);
    assert_int_equal(desc & PTE_S1_XN, 0);
    assert_int_equal((desc >> 2) & 7, MAIR_IDX_NORMAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_2m_aligned_ram_uses_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_1g_block_and_unaligned_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mixed_range_blocks_in_middle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlap_and_bad_arguments_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_exhaustion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_el2_stage1_attributes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
