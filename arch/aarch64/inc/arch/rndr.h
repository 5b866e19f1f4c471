/* SPDX-License-Identifier: MIT */
/*
 * FEAT_RNG's reseeded random number generator (RNDRRS, ARM DDI 0487 D23), shared by the
 * hypervisor's own TRNG service (arch/aarch64/vsmccc.c) and the secure partition's
 * (firmware/sp/secsvc.c). The caller checks ID_AA64ISAR0_EL1.RNDR first: on a PE without
 * FEAT_RNG the register is UNDEFINED.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define ARCH_RNDR_RETRIES 16 /* RNDRRS may fail now and then (NZCV.Z set): a few more tries */

/* One 64-bit value from RNDRRS, or false when it had none to give in ARCH_RNDR_RETRIES. */
static inline bool arch_rndrrs(uint64_t *out)
{
    for (unsigned i = 0; i < ARCH_RNDR_RETRIES; i++) {
        uint64_t v, fail;
        __asm__ volatile("mrs %0, s3_3_c2_c4_1\n" /* RNDRRS */
                         "cset %1, eq\n"
                         : "=r"(v), "=r"(fail)
                         :
                         : "cc");
        if (!fail) {
            *out = v;
            return true;
        }
    }
    return false;
}
