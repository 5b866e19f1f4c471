/* SPDX-License-Identifier: MIT */
/* uint64_t dabt_load_test(uint64_t raw, uint32_t esr): vectors.S guest_dabt's load-value code
 * (arch/aarch64/dabt_load.inc) alone, for tests/arch/test_dabt_load.c. */
#include "../../arch/aarch64/dabt_load.inc"

    .text
    .global dabt_load_test
    .balign 4
dabt_load_test:
    dabt_load_value t_zx, t_sse, t_sf, t_done
t_done:
    ret
    dabt_load_value_rare t_zx, t_sse, t_sf, t_done
