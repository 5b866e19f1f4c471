// SPDX-License-Identifier: MIT
/*
 * Cache colouring (docs/COLOURING.md): the root property llc-way-size states the platform's
 * last-level-cache way size; a VM's `colours` list gives it the 4 KiB pages whose address
 * bits [log2(way) - 1 : 12] are one of those colours, so its lines can only evict lines of the
 * same colours (Bao, Xen and Jailhouse forks do the same). No two VMs share a colour unless
 * both list it in `shared-colours`. The memory sums here (per-colour demand, the pool the boot
 * carves) are the ones the hypervisor allocates with (core/vm/vm_colour.c), so a scenario the
 * checker passes has the RAM it needs at boot.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/fmt.h>

typedef unsigned long long ull; /* what %llx takes, whatever uint64_t is */

#define SZ_2M (2 * CFG_SZ_MIB)
#define SZ_1G (UINT64_C(1) << 30)

void cfg_parse_colour_root(struct cfg_ctx *c)
{
    int len = 0;
    const void *val = fdt_getprop(c->fdt, 0, "llc-way-size", &len);

    if (!val) {
        return;
    }
    c->out->llc_way_bad = true;
    if (!cfg_check_cells(c, NULL, "/", "llc-way-size", val, len, "one cell (bytes)")) {
        return;
    }
    if (len != (int)sizeof(fdt32_t)) {
        cfg_error(c, NULL, "/", "llc-way-size", "must be one cell, not %d bytes", len);
        return;
    }
    uint32_t way = fdt32_ld((const fdt32_t *)val);
    if (way < CFG_LLC_WAY_MIN || way > CFG_LLC_WAY_MAX || (way & (way - 1)) != 0) {
        cfg_error(c, NULL, "/", "llc-way-size",
                  "0x%x must be a power of two from 0x%llx to 0x%llx (2 to %u colours of "
                  "4 KiB)", way, (ull)CFG_LLC_WAY_MIN, (ull)CFG_LLC_WAY_MAX, CFG_COLOUR_MAX);
        return;
    }
    c->out->llc_way_size = way;
    c->out->llc_way_bad = false;
}

uint32_t cfg_colour_count(const struct cfg_scenario *s)
{
    return s->llc_way_size / (uint32_t)CFG_PAGE_SIZE;
}

/* A list of distinct colours of the scenario, into *mask; false after reporting. */
static bool read_colours(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                         const void *val, int len, uint64_t *mask)
{
    uint32_t list[CFG_COLOUR_MAX];
    uint32_t n = cfg_read_cells(c, vm, vm->path, prop, val, len, list, CFG_COLOUR_MAX,
                                "colours");
    uint32_t count = cfg_colour_count(c->out);

    if (n == 0) {
        return false;
    }
    if (count == 0) {
        cfg_error(c, &vm->valid, vm->path, prop, "%s", c->out->llc_way_bad
                  ? "the root property llc-way-size is invalid (reported above)"
                  : "needs the root property llc-way-size (the last-level cache's way size)");
        return false;
    }
    *mask = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (list[i] >= count) {
            cfg_error(c, &vm->valid, vm->path, prop,
                      "colour %u is out of range (0..%u for a 0x%x-byte way)", list[i],
                      count - 1, c->out->llc_way_size);
            return false;
        }
        if (*mask & (UINT64_C(1) << list[i])) {
            cfg_error(c, &vm->valid, vm->path, prop, "colour %u is listed twice", list[i]);
            return false;
        }
        *mask |= UINT64_C(1) << list[i];
    }
    return true;
}

void cfg_parse_colours(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                       int len)
{
    (void)read_colours(c, vm, prop, val, len, &vm->colours);
}

void cfg_parse_shared_colours(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                              const void *val, int len)
{
    (void)read_colours(c, vm, prop, val, len, &vm->shared_colours);
}

/* Colours of mask as "0-3,8", into buf (at most 64 colours: 160 bytes always suffice). */
const char *cfg_colour_list(uint64_t mask, char *buf, size_t cap)
{
    size_t at = 0;

    buf[0] = '\0';
    for (uint32_t c = 0; c < CFG_COLOUR_MAX && at < cap; c++) {
        if (!(mask & (UINT64_C(1) << c))) {
            continue;
        }
        uint32_t e = c;
        while (e + 1 < CFG_COLOUR_MAX && (mask & (UINT64_C(1) << (e + 1)))) {
            e++;
        }
        int w = e == c ? bh_snprintf(buf + at, cap - at, "%s%u", at ? "," : "", c)
                       : bh_snprintf(buf + at, cap - at, "%s%u-%u", at ? "," : "", c, e);
        at += w > 0 ? (size_t)w : 0;
        c = e;
    }
    return buf;
}

/* The lowest colour of mask (set) in bits; the first of them to report. */
static uint32_t first_colour(uint64_t mask)
{
    return (uint32_t)__builtin_ctzll(mask);
}

void cfg_check_colours(struct cfg_ctx *c, struct cfg_vm *vm)
{
    uint64_t extra = vm->shared_colours & ~vm->colours;

    if (vm->shared_colours && !vm->colours) {
        cfg_error(c, &vm->valid, vm->path, "shared-colours", "needs colours");
        return;
    }
    if (extra) {
        cfg_error(c, &vm->valid, vm->path, "shared-colours",
                  "colour %u is not one of the VM's colours", first_colour(extra));
        return;
    }
    if (vm->colours && vm->identity_map) {
        cfg_error(c, &vm->valid, vm->path, "colours",
                  "cannot be combined with identity-map (a coloured VM's RAM is scattered "
                  "4 KiB pages; an identity map is one contiguous host range)");
        return;
    }
    if (!vm->colours || vm->mem_size == 0) {
        return;
    }
    /* Its first colour gives the most pages: the pool holds that many of every colour. */
    uint64_t need = cfg_colour_share(vm, first_colour(vm->colours)) * c->out->llc_way_size;
    if (need > c->plat->vm_ram_avail) {
        char list[160];
        cfg_error(c, &vm->valid, vm->path, "colours",
                  "%s: 0x%llx bytes of RAM in %u of %u colours take 0x%llx bytes of the "
                  "VMs' RAM (every colour alike), over the 0x%llx available",
                  cfg_colour_list(vm->colours, list, sizeof(list)), (ull)vm->mem_size,
                  (unsigned)__builtin_popcountll(vm->colours), cfg_colour_count(c->out),
                  (ull)need, (ull)c->plat->vm_ram_avail);
    }
}

/* o is an earlier valid VM: a colour both use must be in both their shared-colours. */
void cfg_check_colour_pair(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_vm *o)
{
    uint64_t bad = vm->colours & o->colours & ~(vm->shared_colours & o->shared_colours);

    if (bad) {
        cfg_error(c, &vm->valid, vm->path, "colours",
                  "colour %u is also VM '%s''s (a colour two VMs use must be in the "
                  "shared-colours of both)", first_colour(bad), o->name);
    }
}

/* 2 MiB regions and 1 GiB regions [base, base + size) touches: its tables with 4 KiB pages. */
static uint64_t table_pages(uint64_t base, uint64_t size)
{
    uint64_t last = base + size - 1;

    return (last / SZ_2M - base / SZ_2M + 1) + (last / SZ_1G - base / SZ_1G + 1);
}

uint64_t cfg_colour_pages(const struct cfg_vm *vm)
{
    if (!vm->colours || vm->mem_size == 0) {
        return 0;
    }
    /* mem_ipa + mem_size fits the IPA space (config_check.c): no sum wraps. */
    return vm->mem_size / CFG_PAGE_SIZE + table_pages(vm->mem_ipa, vm->mem_size) +
           table_pages(0, vm->mem_size);
}

uint64_t cfg_colour_share(const struct cfg_vm *vm, uint32_t colour)
{
    if (colour >= CFG_COLOUR_MAX || !(vm->colours & (UINT64_C(1) << colour))) {
        return 0;
    }
    uint64_t pages = cfg_colour_pages(vm);
    uint32_t k = (uint32_t)__builtin_popcountll(vm->colours);
    uint32_t j = (uint32_t)__builtin_popcountll(vm->colours & ((UINT64_C(1) << colour) - 1));

    return pages / k + (j < pages % k ? 1 : 0);
}

uint64_t cfg_colour_pool_size(const struct cfg_scenario *s, uint32_t upto)
{
    uint64_t demand[CFG_COLOUR_MAX] = { 0 }, most = 0;

    for (uint32_t v = 0; v < upto && v < s->vm_count; v++) {
        const struct cfg_vm *vm = &s->vms[v];
        for (uint32_t col = 0; vm->valid && col < CFG_COLOUR_MAX; col++) {
            demand[col] += cfg_colour_share(vm, col);
            most = demand[col] > most ? demand[col] : most;
        }
    }
    return cfg_align_up(most * s->llc_way_size, CFG_MEM_ALIGN);
}

uint64_t cfg_vm_ram(const struct cfg_scenario *s, uint32_t upto)
{
    uint64_t total = 0;

    for (uint32_t v = 0; v < upto && v < s->vm_count; v++) {
        const struct cfg_vm *vm = &s->vms[v];
        total += vm->valid && !vm->colours ? vm->mem_size : 0;
    }
    return total + cfg_colour_pool_size(s, upto);
}
