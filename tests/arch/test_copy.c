// SPDX-License-Identifier: MIT
/*
 * The EL2 copy routine itself (arch/aarch64/copy.S), run as an AArch64 Linux program under
 * qemu-aarch64 (user mode: Normal memory, unaligned accesses allowed, as at EL2 with the MMU
 * on). Every length 0..200 and a few large ones, every source and destination misalignment
 * 0..15: the bytes arrive exactly, and not one byte before or after the destination changes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void arch_copy_normal(void *dst, const void *src, size_t n);

#define GUARD 32
static uint8_t src_buf[2048 + 64], dst_buf[2048 + 64 + 2 * GUARD];

static int check(size_t n, unsigned so, unsigned dof)
{
    uint8_t *s = src_buf + so, *d = dst_buf + GUARD + dof;

    for (size_t i = 0; i < sizeof(src_buf); i++) {
        src_buf[i] = (uint8_t)(i * 7 + n + so);
    }
    memset(dst_buf, 0xa5, sizeof(dst_buf));
    arch_copy_normal(d, s, n);
    if (memcmp(d, s, n) != 0) {
        printf("FAIL copy n=%zu src+%u dst+%u: bytes differ\n", n, so, dof);
        return 1;
    }
    for (uint8_t *p = dst_buf; p < d; p++) {
        if (*p != 0xa5) {
            printf("FAIL copy n=%zu src+%u dst+%u: wrote before the destination\n", n, so, dof);
            return 1;
        }
    }
    for (uint8_t *p = d + n; p < dst_buf + sizeof(dst_buf); p++) {
        if (*p != 0xa5) {
            printf("FAIL copy n=%zu src+%u dst+%u: wrote past the end\n", n, so, dof);
            return 1;
        }
    }
    return 0;
}

int main(void)
{
    static const size_t big[] = { 255, 256, 257, 1500, 1514, 1526, 2048 };
    unsigned cases = 0, fails = 0;

    for (size_t n = 0; n <= 200; n++) {
        for (unsigned so = 0; so < 16; so++) {
            for (unsigned dof = 0; dof < 16; dof++, cases++) {
                fails += check(n, so, dof);
            }
        }
    }
    for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
        for (unsigned so = 0; so < 16; so += 5) {
            for (unsigned dof = 0; dof < 16; dof += 3, cases++) {
                fails += check(big[i], so, dof);
            }
        }
    }
    printf("arch copy: %u cases, %u failed\n", cases, fails);
    return fails != 0;
}
