// SPDX-License-Identifier: MIT
/*
 * The register value of an emulated load as the hypervisor's exception vector computes it
 * (arch/aarch64/dabt_load.inc, used by vectors.S guest_dabt), run as an AArch64 Linux program
 * under qemu-aarch64, against the C rule (core/dev/mmio.h mmio_load_value, used by dabt.c)
 * and against C's own conversions: for every access size, SSE and SF, device answers with
 * random bits above the access (which must not reach the register) and the access's top bit
 * set or clear.
 */
#include <stdio.h>

#include <core/dev/mmio.h>

#include "../load_reference.h"

uint64_t dabt_load_test(uint64_t raw, uint32_t esr);

#define ISS_SAS_SHIFT 22
#define ISS_SSE (1u << 21)
#define ISS_SF  (1u << 15)

int main(void)
{
    uint64_t seed = UINT64_C(0x2545f4914f6cdd1d);
    unsigned cases = 0, failed = 0;

    for (unsigned i = 0; i < 20000; i++) {
        seed ^= seed << 13; /* xorshift64 */
        seed ^= seed >> 7;
        seed ^= seed << 17;
        uint64_t raw = seed;
        if (i < 4) {
            raw = (i & 1 ? ~UINT64_C(0) : UINT64_C(0xdeadbeef00000000)) ^
                  (i & 2 ? UINT64_C(0x8080808080808080) : 0);
        }
        for (unsigned sas = 0; sas < 4; sas++) {
            for (unsigned k = 0; k < 4; k++) {
                int sse = k & 1, sf = (k >> 1) & 1;
                /* other ESR bits set too (ISV, WnR clear aside): the code looks at its own */
                uint32_t esr = (uint32_t)(sas << ISS_SAS_SHIFT) | (sse ? ISS_SSE : 0) |
                               (sf ? ISS_SF : 0) | 0x1f0000u | (1u << 24);
                uint64_t got = dabt_load_test(raw, esr);
                uint64_t c = mmio_load_value(raw, 1u << sas, sse, sf);
                uint64_t want = load_reference(raw, 1u << sas, sse, sf);
                cases++;
                if (got != want || c != want) {
                    if (failed++ < 10) {
                        printf("FAIL raw=0x%llx size=%u sse=%d sf=%d: vector 0x%llx, C 0x%llx, "
                               "want 0x%llx\n", (unsigned long long)raw, 1u << sas, sse, sf,
                               (unsigned long long)got, (unsigned long long)c,
                               (unsigned long long)want);
                    }
                }
            }
        }
    }
    printf("arch dabt_load: %u cases, %u failed\n", cases, failed);
    return failed != 0;
}
