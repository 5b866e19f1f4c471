/* SPDX-License-Identifier: MIT */
/*
 * Cache-coloured guest RAM (docs/COLOURING.md): one pool of host RAM, carved once for every
 * coloured VM, hands out 4 KiB pages by colour; a coloured VM's RAM is a sequence of pages of
 * its colours, mapped contiguously at its IPA (stage 2) and at a hypervisor alias (so that
 * vm_ipa_to_host stays one addition), both with 4 KiB pages whose tables come from the same
 * sequence. vm_colour_check walks what was built. Pure logic on struct pgtable: unit-tested on
 * the host; pages and tables are reached at their physical address (identity, as at EL2).
 * Boot CPU only, no lock.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/pgtable.h>
#include <bulkhead/errno.h>
#include <core/config/config.h>

struct vm_colour_pool {
    uint64_t base;                     /* way-size aligned */
    uint64_t rows;                     /* pages of each colour: size / way */
    uint32_t way;                      /* llc-way-size; colours = way / 4 KiB */
    uint32_t colours;
    uint64_t used[CFG_COLOUR_MAX];     /* pages of each colour handed out */
};

/* Pages of one VM's colours, taken round-robin from its lowest colour (cfg_colour_share). */
struct vm_colour_seq {
    struct vm_colour_pool *pool;
    uint64_t mask;                     /* its colours, all < pool->colours */
    uint32_t next;                     /* the colour to try first */
    uint64_t taken;                    /* pages handed out */
};

/* Maps [off, off + len) of a VM's RAM to [pa, pa + len) in the hypervisor's alias, drawing
 * table pages from alloc(alloc_ctx). 0 or -BH_E*. */
typedef int vm_colour_alias_fn(void *ctx, uint64_t off, uint64_t pa, uint64_t len,
                               pt_alloc_fn alloc, void *alloc_ctx);
/* The physical address the hypervisor's alias translates offset off of the VM's RAM to, by
 * a walk of the tables the hardware uses; false when it is not mapped. */
typedef bool vm_colour_alias_pa_fn(void *ctx, uint64_t off, uint64_t *pa);

/* A pool of size bytes at base (both multiples of way, a power of two >= 8 KiB). */
void vm_colour_pool_init(struct vm_colour_pool *p, uint64_t base, uint64_t size, uint32_t way);

/* The colour of host page pa. */
static inline uint32_t vm_colour_of(const struct vm_colour_pool *p, uint64_t pa)
{
    return (uint32_t)((pa / PT_PAGE_SIZE) & (p->colours - 1));
}

/* A sequence over mask (non-zero, colours of p only). */
void vm_colour_seq_init(struct vm_colour_seq *s, struct vm_colour_pool *p, uint64_t mask);

/* The next page of s (its host physical address), or 0 when its next colour is used up. */
uint64_t vm_colour_take(struct vm_colour_seq *s);

/* pt_alloc_fn over a sequence (ctx: struct vm_colour_seq): the next page, zeroed. */
uint64_t *vm_colour_table_alloc(void *ctx);

/*
 * Give [ipa, ipa + size) (4 KiB multiples) pages of s: mapped in s2 with attr (its tables from
 * s as well; s2->alloc is restored), and through alias at the same offsets. Runs of adjacent
 * pages are mapped as one range. 0, -BH_ENOMEM (s ran out of pages) or pt_map's error.
 */
BH_MUST_CHECK int vm_colour_map(struct vm_colour_seq *s, struct pgtable *s2, uint64_t ipa,
                                uint64_t size, uint64_t attr, vm_colour_alias_fn *alias,
                                void *alias_ctx);

/* What vm_colour_check found. */
struct vm_colour_report {
    uint64_t pages;      /* 4 KiB pages of the RAM found mapped and in colour */
    uint64_t bad_ipa;    /* on failure: the first page that is not */
    uint64_t bad_pa;     /* ... the host page stage 2 gives it (0: none) */
    const char *why;     /* ... and why (a static string) */
};

/*
 * Walk s2 over every 4 KiB page of [ipa, ipa + size): each must be mapped, to a page of the
 * pool p with a colour in mask, and the alias (alias_pa) must give the same page at the same
 * offset. Returns 0 with out->pages = size / 4 KiB, or -BH_EINVAL with the first bad page.
 */
BH_MUST_CHECK int vm_colour_check(const struct vm_colour_pool *p, const struct pgtable *s2,
                                  uint64_t ipa, uint64_t size, uint64_t mask,
                                  vm_colour_alias_pa_fn *alias_pa, void *alias_ctx,
                                  struct vm_colour_report *out);
