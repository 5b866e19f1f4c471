/* SPDX-License-Identifier: MIT */
/* Host stand-in for <arch/secfw.h>: no secure world on the host. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/abi.h>

static inline bool arch_secfw_present(void)
{
    return false;
}

static inline int64_t arch_secfw_measure_vm(unsigned vm, const uint8_t digest[32])
{
    (void)vm;
    (void)digest;
    return BH_E_NOT_SUPPORTED;
}

static inline void arch_secfw_measure_done(void)
{
}

static inline int64_t arch_secfw_log_read(uint64_t idx, uint32_t *what, uint8_t digest[32])
{
    (void)idx;
    (void)what;
    (void)digest;
    return BH_E_NOT_SUPPORTED;
}
