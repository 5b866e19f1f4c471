// SPDX-License-Identifier: MIT
/*
 * Cache-coloured guest RAM (docs/COLOURING.md): the page pool by colour, the mapping of a
 * coloured VM's RAM at stage 2 and in the hypervisor's alias, and the walk that checks both.
 * Page n of colour c is at base + n * way + c * 4 KiB: the pool is way aligned, so its pages'
 * address bits [log2(way) - 1 : 12] are their colour, which is what the cache indexes sets by.
 */
#include <core/vm/vm_colour.h>

#include <stddef.h>

#include <lib/string.h>

void vm_colour_pool_init(struct vm_colour_pool *p, uint64_t base, uint64_t size, uint32_t way)
{
    memset(p, 0, sizeof(*p));
    p->base = base;
    p->way = way;
    p->colours = way / (uint32_t)PT_PAGE_SIZE;
    p->rows = size / way;
}

void vm_colour_seq_init(struct vm_colour_seq *s, struct vm_colour_pool *p, uint64_t mask)
{
    s->pool = p;
    s->mask = mask;
    s->next = mask ? (uint32_t)__builtin_ctzll(mask) : 0;
    s->taken = 0;
}

uint64_t vm_colour_take(struct vm_colour_seq *s)
{
    struct vm_colour_pool *p = s->pool;
    uint32_t c = s->next;

    if (s->mask == 0 || c >= p->colours || c >= CFG_COLOUR_MAX || p->used[c] >= p->rows) {
        return 0;
    }
    uint64_t pa = p->base + p->used[c]++ * p->way + (uint64_t)c * PT_PAGE_SIZE;
    /* the next colour of the mask above c, else its lowest */
    uint64_t above = c + 1 < CFG_COLOUR_MAX ? s->mask & ~((UINT64_C(1) << (c + 1)) - 1) : 0;
    s->next = (uint32_t)__builtin_ctzll(above ? above : s->mask);
    s->taken++;
    return pa;
}

uint64_t *vm_colour_table_alloc(void *ctx)
{
    uint64_t pa = vm_colour_take(ctx);
    uint64_t *t = (uint64_t *)(uintptr_t)pa; /* RAM is identity-mapped for the hypervisor */

    if (t) {
        memset(t, 0, PT_PAGE_SIZE);
    }
    return t;
}

/* Map one run of adjacent pages: stage 2 first, then the alias. */
static int map_run(struct vm_colour_seq *s, struct pgtable *s2, uint64_t ipa, uint64_t off,
                   uint64_t pa, uint64_t len, uint64_t attr, vm_colour_alias_fn *alias,
                   void *alias_ctx)
{
    int r = pt_map(s2, ipa + off, pa, len, attr);

    return r ? r : alias(alias_ctx, off, pa, len, vm_colour_table_alloc, s);
}

int vm_colour_map(struct vm_colour_seq *s, struct pgtable *s2, uint64_t ipa, uint64_t size,
                  uint64_t attr, vm_colour_alias_fn *alias, void *alias_ctx)
{
    pt_alloc_fn old_alloc = s2->alloc;
    void *old_ctx = s2->ctx;
    uint64_t run_off = 0, run_pa = 0, run_len = 0;
    int r = 0;

    s2->alloc = vm_colour_table_alloc;
    s2->ctx = s;
    for (uint64_t off = 0; r == 0 && off < size; off += PT_PAGE_SIZE) {
        uint64_t pa = vm_colour_take(s);
        if (pa == 0) {
            r = -BH_ENOMEM;
            break;
        }
        if (run_len != 0 && pa == run_pa + run_len) {
            run_len += PT_PAGE_SIZE;
            continue;
        }
        if (run_len != 0) {
            r = map_run(s, s2, ipa, run_off, run_pa, run_len, attr, alias, alias_ctx);
        }
        run_off = off;
        run_pa = pa;
        run_len = PT_PAGE_SIZE;
    }
    if (r == 0 && run_len != 0) {
        r = map_run(s, s2, ipa, run_off, run_pa, run_len, attr, alias, alias_ctx);
    }
    s2->alloc = old_alloc;
    s2->ctx = old_ctx;
    return r;
}

static int bad(struct vm_colour_report *out, uint64_t ipa, uint64_t pa, const char *why)
{
    out->bad_ipa = ipa;
    out->bad_pa = pa;
    out->why = why;
    return -BH_EINVAL;
}

int vm_colour_check(const struct vm_colour_pool *p, const struct pgtable *s2, uint64_t ipa,
                    uint64_t size, uint64_t mask, vm_colour_alias_pa_fn *alias_pa,
                    void *alias_ctx, struct vm_colour_report *out)
{
    uint64_t pool_size = p->rows * p->way;

    out->pages = 0;
    out->why = NULL;
    for (uint64_t off = 0; off < size; off += PT_PAGE_SIZE) {
        uint64_t pa, desc, apa;
        if (!pt_walk(s2, ipa + off, &pa, &desc)) {
            return bad(out, ipa + off, 0, "not mapped at stage 2");
        }
        if (pa < p->base || pa - p->base >= pool_size) {
            return bad(out, ipa + off, pa, "outside the colour pool");
        }
        if (!(mask & (UINT64_C(1) << vm_colour_of(p, pa)))) {
            return bad(out, ipa + off, pa, "not one of its colours");
        }
        if (!alias_pa(alias_ctx, off, &apa) || apa != pa) {
            return bad(out, ipa + off, pa, "the hypervisor's alias maps another page");
        }
        out->pages++;
    }
    return 0;
}
