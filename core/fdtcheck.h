/* SPDX-License-Identifier: MIT */
/*
 * A structure check of a flattened device tree that runs before libfdt sees a blob from the
 * boot bundle. libfdt 1.6.1 (Debian 12, linked at EL2) trusts some fields it should not:
 * a property length of 0xfffffff4 makes fdt_next_tag return the same offset forever (every
 * walk hangs), and fdt_check_full dereferences NULL on a pre-v16 root. Both were found by the
 * fuzz targets (tests/fuzz/fuzz_config.c, fuzz_loader.c).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <bulkhead/errno.h>

/*
 * Check the blob at fdt (size bytes readable): v17 header whose blocks lie inside totalsize
 * and size; a structure block of well-formed tags (node names NUL-terminated, property
 * values and name offsets inside their blocks, nodes balanced, one root, FDT_END last).
 * Reads bytes only (any alignment). Returns 0 or -BH_EINVAL.
 */
int fdtcheck_blob(const void *fdt, size_t size) BH_MUST_CHECK;
