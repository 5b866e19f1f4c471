/* SPDX-License-Identifier: MIT */
/*
 * A cache-coloured VM's RAM at boot (docs/COLOURING.md): the colour pool carved for every
 * coloured VM of the scenario at the first one, the VM's pages mapped at stage 2 and in the
 * hypervisor's alias (core/vm/vm_colour.c), then both walked and the result printed.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <bulkhead/errno.h>

struct vm;
struct cfg_vm;

/*
 * Map the RAM of coloured vm (cfg->colours != 0; vm->s2 initialised, empty) with stage-2
 * attributes attr, set vm->mem_host to its alias, check every page (a walk of the stage-2
 * tables and the MMU's translation of the alias) and print
 * "bulkhead: vm <name> colours <list>: <n> pages, all in colour". Boot CPU, before the other
 * CPUs start. 0, or -BH_E* with the reason in why (why_len bytes).
 */
BH_MUST_CHECK int vm_colour_ram_map(struct vm *vm, const struct cfg_vm *cfg, uint64_t attr,
                                    char *why, size_t why_len);
