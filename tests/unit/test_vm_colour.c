// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/vm/vm_colour.c: pages come from the pool by colour (address bits
 * [log2(way) - 1 : 12]), round-robin over a VM's colours as the checker counts them
 * (cfg_colour_share); a coloured VM's RAM maps contiguously at stage 2 and in the alias with
 * every page, and every table page, of its colours, within the checker's page count; the walk
 * (vm_colour_check) finds a page of another colour, an unmapped page and an alias that
 * disagrees with stage 2. Host memory stands for RAM: its addresses are the "physical" ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <core/vm/vm_colour.h>

#define WAY       UINT64_C(0x10000) /* 16 colours */
#define POOL_SIZE (16 * UINT64_C(0x100000))
#define RAM_IPA   UINT64_C(0x40000000)
#define S2_RAM    (PTE_S2_MEMATTR_NORMAL | PTE_S2_AP_RW | PTE_SH_INNER)

static uint8_t *pool_mem;       /* POOL_SIZE bytes, 2 MiB aligned */
static uint64_t root_s2[PT_ENTRIES] __attribute__((aligned(4096)));
static uint64_t root_alias[PT_ENTRIES] __attribute__((aligned(4096)));

static uint64_t ident_pa(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static uint64_t *ident_va(uint64_t pa)
{
    return (uint64_t *)(uintptr_t)pa;
}

static uint64_t *no_alloc(void *ctx)
{
    (void)ctx;
    return NULL;
}

static struct pgtable s2, alias_pt;
static uint64_t table_pages_seen, table_pages_bad;
static const struct vm_colour_pool *cur_pool;
static uint64_t cur_mask;

/* Counts the table pages the walk-building code takes, and checks their colour. */
static uint64_t *count_alloc(void *ctx)
{
    uint64_t *t = vm_colour_table_alloc(ctx);
    if (t) {
        table_pages_seen++;
        if (!(cur_mask & (UINT64_C(1) << vm_colour_of(cur_pool, ident_pa(t))))) {
            table_pages_bad++;
        }
    }
    return t;
}

static int alias_map(void *ctx, uint64_t off, uint64_t pa, uint64_t len, pt_alloc_fn alloc,
                     void *alloc_ctx)
{
    (void)ctx;
    (void)alloc;
    alias_pt.alloc = count_alloc;
    alias_pt.ctx = alloc_ctx;
    int r = pt_map(&alias_pt, CFG_COLOUR_ALIAS_ALIGN + off, pa, len,
                   PTE_S1_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_S1_AP1 | PTE_S1_XN);
    alias_pt.alloc = no_alloc;
    return r;
}

static bool alias_pa(void *ctx, uint64_t off, uint64_t *pa)
{
    uint64_t desc;
    (void)ctx;
    return pt_walk(&alias_pt, CFG_COLOUR_ALIAS_ALIGN + off, pa, &desc);
}

static void reset_tables(void)
{
    memset(root_s2, 0, sizeof(root_s2));
    memset(root_alias, 0, sizeof(root_alias));
    s2 = (struct pgtable){ .root = root_s2, .alloc = no_alloc, .to_pa = ident_pa,
                           .to_va = ident_va };
    alias_pt = (struct pgtable){ .root = root_alias, .alloc = no_alloc, .to_pa = ident_pa,
                                 .to_va = ident_va };
    table_pages_seen = table_pages_bad = 0;
}

static int setup(void **state)
{
    (void)state;
    pool_mem = aligned_alloc(2 * 1024 * 1024, POOL_SIZE);
    return pool_mem ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(pool_mem);
    return 0;
}

static struct cfg_vm coloured_vm(uint64_t mask, uint64_t size)
{
    struct cfg_vm vm;
    memset(&vm, 0, sizeof(vm));
    vm.valid = true;
    vm.colours = mask;
    vm.mem_ipa = RAM_IPA;
    vm.mem_size = size;
    return vm;
}

/* Pages of a colour are a way apart; the sequence visits its colours in ascending order. */
static void test_take_by_colour_round_robin(void **state)
{
    struct vm_colour_pool p;
    struct vm_colour_seq s;
    const uint64_t base = ident_pa(pool_mem);
    (void)state;

    vm_colour_pool_init(&p, base, POOL_SIZE, WAY);
    assert_int_equal(p.colours, 16);
    vm_colour_seq_init(&s, &p, 0x8005); /* colours 0, 2, 15 */
    const uint32_t want[] = { 0, 2, 15, 0, 2, 15, 0 };
    for (unsigned i = 0; i < 7; i++) {
        uint64_t pa = vm_colour_take(&s);
        assert_int_equal(vm_colour_of(&p, pa), want[i]);
        assert_int_equal((pa - base) / WAY, i / 3);     /* its colour's i/3-th page */
    }
    assert_int_equal(s.taken, 7);
    /* A second VM on colour 2 (shared) gets the next pages of that colour, none twice. */
    struct vm_colour_seq t;
    vm_colour_seq_init(&t, &p, 0x4);
    assert_int_equal(vm_colour_take(&t), base + 2 * WAY + 2 * PT_PAGE_SIZE);
}

/* A colour runs out after pool_size / way pages: 0, and nothing handed out twice. */
static void test_colour_runs_out(void **state)
{
    struct vm_colour_pool p;
    struct vm_colour_seq s;
    (void)state;

    vm_colour_pool_init(&p, ident_pa(pool_mem), 4 * WAY, WAY);
    vm_colour_seq_init(&s, &p, 0x2);
    for (unsigned i = 0; i < 4; i++) {
        assert_int_not_equal(vm_colour_take(&s), 0);
    }
    assert_int_equal(vm_colour_take(&s), 0);
    assert_int_equal(s.taken, 4);
}

/* The sequence takes from each colour what the checker counts for it (cfg_colour_share). */
static void test_share_matches_sequence(void **state)
{
    const uint64_t masks[] = { 0x1, 0x7, 0xf0f0, 0x8001, 0xffff };
    (void)state;

    for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
        struct vm_colour_pool p;
        struct vm_colour_seq s;
        struct cfg_vm vm = coloured_vm(masks[m], 512 * 1024); /* < 256 pages a colour */
        uint64_t n = cfg_colour_pages(&vm);
        vm_colour_pool_init(&p, ident_pa(pool_mem), POOL_SIZE, WAY);
        vm_colour_seq_init(&s, &p, masks[m]);
        for (uint64_t i = 0; i < n; i++) {
            assert_int_not_equal(vm_colour_take(&s), 0);
        }
        for (uint32_t c = 0; c < 16; c++) {
            assert_int_equal(p.used[c], cfg_colour_share(&vm, c));
        }
    }
}

/* Map, then walk: every page in colour, alias = stage 2, within the checker's count. */
static void map_and_check(uint64_t mask, uint64_t size)
{
    struct vm_colour_pool p;
    struct vm_colour_seq s;
    struct vm_colour_report rep;
    struct cfg_vm vm = coloured_vm(mask, size);

    reset_tables();
    vm_colour_pool_init(&p, ident_pa(pool_mem), POOL_SIZE, WAY);
    cur_pool = &p;
    cur_mask = mask;
    vm_colour_seq_init(&s, &p, mask);
    s2.alloc = no_alloc;
    assert_int_equal(vm_colour_map(&s, &s2, RAM_IPA, size, S2_RAM, alias_map, NULL), 0);
    assert_ptr_equal(s2.alloc, no_alloc); /* restored */
    assert_true(s.taken <= cfg_colour_pages(&vm));
    assert_int_equal(table_pages_bad, 0);
    assert_int_equal(vm_colour_check(&p, &s2, RAM_IPA, size, mask, alias_pa, NULL, &rep), 0);
    assert_int_equal(rep.pages, size / PT_PAGE_SIZE);
    /* Stage-2 tables are of its colours too: every table reached from the root. */
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if ((root_s2[i] & PTE_VALID) && (root_s2[i] & PTE_TABLE)) {
            uint64_t *l2 = ident_va(root_s2[i] & PTE_ADDR_MASK);
            assert_true(mask & (UINT64_C(1) << vm_colour_of(&p, ident_pa(l2))));
            for (unsigned j = 0; j < PT_ENTRIES; j++) {
                if ((l2[j] & PTE_VALID) && (l2[j] & PTE_TABLE)) {
                    assert_true(mask &
                                (UINT64_C(1) << vm_colour_of(&p, l2[j] & PTE_ADDR_MASK)));
                }
            }
        }
    }
}

static void test_map_and_check(void **state)
{
    (void)state;
    map_and_check(0xf, 2 * 1024 * 1024);      /* 4 colours: runs of 4 pages */
    map_and_check(0x8421, 2 * 1024 * 1024);   /* scattered single pages */
    map_and_check(0x1, 512 * 1024);           /* one colour */
    map_and_check(0xffff, 4 * 1024 * 1024);   /* every colour: contiguous, blocks allowed */
}

/* The walk finds what is wrong: a page of another colour, a hole, an alias that disagrees. */
static void test_check_finds_bad_pages(void **state)
{
    struct vm_colour_pool p;
    struct vm_colour_seq s;
    struct vm_colour_report rep;
    const uint64_t size = 2 * 1024 * 1024, mask = 0x0f00;
    uint64_t pa, desc;
    (void)state;

    reset_tables();
    vm_colour_pool_init(&p, ident_pa(pool_mem), POOL_SIZE, WAY);
    cur_pool = &p;
    cur_mask = mask;
    vm_colour_seq_init(&s, &p, mask);
    assert_int_equal(vm_colour_map(&s, &s2, RAM_IPA, size, S2_RAM, alias_map, NULL), 0);
    assert_int_equal(vm_colour_check(&p, &s2, RAM_IPA, size, mask, alias_pa, NULL, &rep), 0);

    /* Colour 8 is not in 0xe00. */
    assert_int_equal(vm_colour_check(&p, &s2, RAM_IPA, size, 0x0e00, alias_pa, NULL, &rep),
                     -BH_EINVAL);
    assert_int_equal(rep.bad_ipa, RAM_IPA);
    assert_string_equal(rep.why, "not one of its colours");

    /* A leaf rewritten to a page of colour 3. */
    const uint64_t victim = RAM_IPA + 5 * PT_PAGE_SIZE;
    assert_true(pt_walk(&s2, victim, &pa, &desc));
    uint64_t *l1 = root_s2;
    uint64_t *l2 = ident_va(l1[(victim >> 30) & 511] & PTE_ADDR_MASK);
    uint64_t *l3 = ident_va(l2[(victim >> 21) & 511] & PTE_ADDR_MASK);
    uint64_t saved = l3[(victim >> 12) & 511];
    uint64_t wrong = ident_pa(pool_mem) + 40 * WAY + 3 * PT_PAGE_SIZE;
    l3[(victim >> 12) & 511] = (saved & ~PTE_ADDR_MASK) | wrong;
    assert_int_equal(vm_colour_check(&p, &s2, RAM_IPA, size, mask, alias_pa, NULL, &rep),
                     -BH_EINVAL);
    assert_int_equal(rep.bad_ipa, victim);
    assert_int_equal(rep.bad_pa, wrong);
    assert_string_equal(rep.why, "not one of its colours");

    /* ... to a page of its colours that the alias does not map there. */
    l3[(victim >> 12) & 511] = (saved & ~PTE_ADDR_MASK) | (pa + PT_PAGE_SIZE);
    assert_int_equal(vm_colour_check(&p, &s2, RAM_IPA, size, mask, alias_pa, NULL, &rep),
                     -BH_EINVAL);
    assert_string_equal(rep.why, "the hypervisor's alias maps another page");

    /* ... outside the pool. */
    l3[(victim >> 12) & 511] = (saved & ~PTE_ADDR_MASK) | (ident_pa(pool_mem) + POOL_SIZE +
                                                            8 * PT_PAGE_SIZE);
    assert_int_equal(vm_colour_check(&p, &s2, RAM_IPA, size, mask, alias_pa, NULL, &rep),
                     -BH_EINVAL);
    assert_string_equal(rep.why, "outside the colour pool");

    /* ... or gone. */
    l3[(victim >> 12) & 511] = 0;
    assert_int_equal(vm_colour_check(&p, &s2, RAM_IPA, size, mask, alias_pa, NULL, &rep),
                     -BH_EINVAL);
    assert_string_equal(rep.why, "not mapped at stage 2");
    l3[(victim >> 12) & 511] = saved;
    assert_int_equal(vm_colour_check(&p, &s2, RAM_IPA, size, mask, alias_pa, NULL, &rep), 0);
}

/* A pool too small for the VM: -BH_ENOMEM, and the stage-2 allocator is restored. */
static void test_map_out_of_pages(void **state)
{
    struct vm_colour_pool p;
    struct vm_colour_seq s;
    (void)state;

    reset_tables();
    vm_colour_pool_init(&p, ident_pa(pool_mem), 2 * 1024 * 1024, WAY); /* 32 per colour */
    cur_pool = &p;
    cur_mask = 0x3;
    vm_colour_seq_init(&s, &p, 0x3);
    assert_int_equal(vm_colour_map(&s, &s2, RAM_IPA, 2 * 1024 * 1024, S2_RAM, alias_map, NULL),
                     -BH_ENOMEM);
    assert_ptr_equal(s2.alloc, no_alloc);
    assert_true(s.taken <= 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_by_colour_round_robin),
        cmocka_unit_test(test_colour_runs_out),
        cmocka_unit_test(test_share_matches_sequence),
        cmocka_unit_test(test_map_and_check),
        cmocka_unit_test(test_check_finds_bad_pages),
        cmocka_unit_test(test_map_out_of_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
