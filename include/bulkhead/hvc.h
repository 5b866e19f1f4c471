/* SPDX-License-Identifier: MIT */
/*
 * A Bulkhead hypercall from an AArch64 guest (EL1): HVC #0 with the function ID in x0 and up
 * to four arguments in x1-x4, result in x0 (SMC Calling Convention DEN0028). x1-x4 are treated
 * as outputs and x5-x17 as clobbered, as an SMCCC v1.0 implementation may do. For guests only
 * (bare metal, RTOS); the hypervisor never includes it.
 */
#pragma once

#include <stdint.h>

static inline int64_t bh_hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x4 __asm__("x4") = a4;

    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
                     :
                     : "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                       "x16", "x17", "memory");
    return (int64_t)x0;
}
