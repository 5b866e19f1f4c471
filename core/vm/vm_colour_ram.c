// SPDX-License-Identifier: MIT
/*
 * Boot-time glue of cache colouring (docs/COLOURING.md): one pool for every coloured VM,
 * sized by the checker's own sum (cfg_colour_pool_size) and carved at the first coloured VM;
 * each VM's pages mapped at stage 2 and in its alias window (arch_hyp_alias_map), then checked
 * by a walk of what was built, page by page, the alias through the MMU itself (AT S1E2R).
 */
#include <core/vm/vm_colour_ram.h>

#include <arch/cpu.h>
#include <core/hyp.h>
#include <core/ipc/vm_ipc.h>
#include <core/vm/vm.h>
#include <core/vm/vm_colour.h>
#include <core/vm/vm_ram.h>
#include <lib/fmt.h>

typedef unsigned long long ull;

static struct vm_colour_pool pool;
static bool pool_ready;

static int alias_map(void *ctx, uint64_t off, uint64_t pa, uint64_t len, pt_alloc_fn alloc,
                     void *alloc_ctx)
{
    const struct vm *vm = ctx;

    return arch_hyp_alias_map(vm->mem_host + off, pa, len, alloc, alloc_ctx);
}

static bool alias_pa(void *ctx, uint64_t off, uint64_t *pa)
{
    const struct vm *vm = ctx;

    return arch_hyp_va_to_pa(vm->mem_host + off, pa);
}

static int pool_get(char *why, size_t why_len)
{
    const struct cfg_scenario *sc = vm_ipc_scenario();

    if (pool_ready) {
        return 0;
    }
    uint64_t size = cfg_colour_pool_size(sc, sc->vm_count);
    uint64_t base = size ? vm_ram_alloc(size) : 0;
    if (!base) {
        bh_snprintf(why, why_len, "not enough free RAM for the colour pool (0x%llx bytes)",
                    (ull)size);
        return -BH_ENOMEM;
    }
    vm_colour_pool_init(&pool, base, size, sc->llc_way_size);
    pool_ready = true;
    return 0;
}

int vm_colour_ram_map(struct vm *vm, const struct cfg_vm *cfg, uint64_t attr, char *why,
                      size_t why_len)
{
    struct vm_colour_seq seq;
    struct vm_colour_report rep;
    char list[160];

    cfg_colour_list(cfg->colours, list, sizeof(list));
    if (pool_get(why, why_len) != 0) {
        return -BH_ENOMEM;
    }
    vm->mem_pa = 0;
    vm->mem_host = arch_hyp_alias_va(vm->id);
    vm_colour_seq_init(&seq, &pool, cfg->colours);
    int r = vm_colour_map(&seq, &vm->s2, vm->mem_ipa, vm->mem_size, attr, alias_map, vm);
    if (r == 0 && seq.taken > cfg_colour_pages(cfg)) {
        r = -BH_ENOMEM; /* more than the pool was sized for: the checker's count is wrong */
    }
    if (r != 0) {
        bh_snprintf(why, why_len, "colours %s: cannot map its RAM (%s)", list,
                    r == -BH_ENOMEM ? "out of pages of its colours" : "translation tables");
        return r;
    }
    if (vm_colour_check(&pool, &vm->s2, vm->mem_ipa, vm->mem_size, cfg->colours, alias_pa, vm,
                        &rep) != 0) {
        bh_snprintf(why, why_len, "colours %s: page at 0x%llx (host 0x%llx): %s", list,
                    (ull)rep.bad_ipa, (ull)rep.bad_pa, rep.why);
        return -BH_EINVAL;
    }
    hyp_printf("bulkhead: vm %s colours %s: %llu pages, all in colour", vm->name, list,
               (ull)rep.pages);
    return 0;
}
