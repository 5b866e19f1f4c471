// SPDX-License-Identifier: MIT
/*
 * The EL2 guest-RAM clear (arch/aarch64/clear.S, arch_clear_nonzero), run as an AArch64 Linux
 * program under qemu-aarch64 (user mode: DC CIVAC/CVAC are allowed at EL0 there). Whatever
 * the range held before -- all zeros, all ones, random bytes, one non-zero byte at any of a
 * group's 256 offsets, sparse non-zero groups -- afterwards every byte of it is zero, not one
 * byte before or after it changed, and the count returned is exactly the number of 256-byte
 * groups that were not zero (the groups already zero were not written). Line sizes 16 to 512
 * bytes, lengths 0 to 256 groups, starts at every 256-byte offset of a 1 KiB stretch.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

uint64_t arch_clear_nonzero(uint8_t *p, uint64_t n, uint64_t line);
/* arch_clear_nonzero with v16-v31 loaded from in[] before and stored to out[] after: at EL2
 * they may hold a guest's registers, so it must give them back. */
uint64_t clear_keeping(uint8_t *p, uint64_t n, uint64_t line, const uint8_t *in, uint8_t *out);
__asm__(".text\n.global clear_keeping\n.type clear_keeping, %function\nclear_keeping:\n"
        "stp x29, x30, [sp, #-32]!\nmov x29, sp\nstr x19, [sp, #16]\nmov x19, x4\n"
        "ld1 {v16.16b-v19.16b}, [x3], #64\nld1 {v20.16b-v23.16b}, [x3], #64\n"
        "ld1 {v24.16b-v27.16b}, [x3], #64\nld1 {v28.16b-v31.16b}, [x3]\n"
        "bl arch_clear_nonzero\n"
        "st1 {v16.16b-v19.16b}, [x19], #64\nst1 {v20.16b-v23.16b}, [x19], #64\n"
        "st1 {v24.16b-v27.16b}, [x19], #64\nst1 {v28.16b-v31.16b}, [x19]\n"
        "ldr x19, [sp, #16]\nldp x29, x30, [sp], #32\nret\n");

#define GUARD 1024
#define MAXLEN (64 * 1024)
static uint8_t buf[GUARD + MAXLEN + GUARD] __attribute__((aligned(4096)));
static uint8_t ref[sizeof(buf)], outside[sizeof(buf)];
static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint8_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint8_t)(rng >> 24);
}

enum { ZERO, ONES, RANDOM, ONE_BYTE, SPARSE, NPATTERNS };
static const char *const names[] = { "zero", "ones", "random", "one-byte", "sparse" };

static void fill(int pat, size_t start, size_t n, unsigned k)
{
    memcpy(buf, outside, sizeof(buf));
    uint8_t *p = buf + start;
    for (size_t i = 0; i < n; i++) {
        switch (pat) {
        case ZERO: p[i] = 0; break;
        case ONES: p[i] = 0xff; break;
        case RANDOM: p[i] = rnd(); break;
        case ONE_BYTE: /* in every third group one bit, at offset k + group index */
            p[i] = i % 256 == (k + i / 256) % 256 && (i / 256) % 3 == 0 ? (uint8_t)(1u << k % 8)
                                                                         : 0;
            break;
        default: p[i] = (rnd() % 7 == 0 && i % 256 == (k * 13) % 256) ? rnd() | 0x80 : 0; break;
        }
    }
    memcpy(ref, buf, sizeof(buf));
}

static uint64_t nonzero_groups(const uint8_t *p, size_t n)
{
    uint64_t units = 0;

    for (size_t u = 0; u < n; u += 256) {
        for (size_t i = 0; i < 256; i++) {
            if (p[u + i]) {
                units++;
                break;
            }
        }
    }
    return units;
}

static int check(int pat, size_t start, size_t n, uint64_t line, unsigned k)
{
    fill(pat, start, n, k);
    uint64_t want = nonzero_groups(buf + start, n);
    uint8_t vin[256], vout[256];
    for (size_t i = 0; i < sizeof(vin); i++) {
        vin[i] = rnd();
    }
    uint64_t got = clear_keeping(buf + start, n, line, vin, vout);

    if (memcmp(vin, vout, sizeof(vin)) != 0) {
        printf("FAIL clear %s start=%zu n=%zu line=%llu: v16-v31 not restored\n", names[pat],
               start, n, (unsigned long long)line);
        return 1;
    }

    for (size_t i = 0; i < n; i++) {
        if (buf[start + i]) {
            printf("FAIL clear %s start=%zu n=%zu line=%llu: byte %zu is 0x%02x\n", names[pat],
                   start, n, (unsigned long long)line, i, buf[start + i]);
            return 1;
        }
    }
    if (memcmp(buf, ref, start) != 0 ||
        memcmp(buf + start + n, ref + start + n, sizeof(buf) - start - n) != 0) {
        printf("FAIL clear %s start=%zu n=%zu line=%llu: bytes outside the range changed\n",
               names[pat], start, n, (unsigned long long)line);
        return 1;
    }
    if (got != want) {
        printf("FAIL clear %s start=%zu n=%zu line=%llu: wrote %llu groups, %llu were not zero\n",
               names[pat], start, n, (unsigned long long)line, (unsigned long long)got,
               (unsigned long long)want);
        return 1;
    }
    return 0;
}

int main(void)
{
    static const size_t lens[] = { 0, 256, 512, 768, 4096, 4352, 16384, MAXLEN };
    uint64_t ctr;
    unsigned cases = 0, fails = 0;

    for (size_t i = 0; i < sizeof(outside); i++) {
        outside[i] = rnd() | 1; /* outside the range: non-zero, so a stray write shows */
    }
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    const uint64_t lines[] = { 16, 32, 64, 128, 256, 512, 4u << (ctr >> 16 & 0xf) };
    for (unsigned l = 0; l < sizeof(lines) / sizeof(lines[0]); l++) {
        for (int pat = 0; pat < NPATTERNS; pat++) {
            for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
                for (size_t off = 0; off < 1024; off += 256) {
                    unsigned reps = pat == ONE_BYTE && lens[i] <= 4352 ? 256 : 1;
                    for (unsigned k = 0; k < reps; k += 5, cases++) {
                        fails += check(pat, GUARD + off, lens[i] - (lens[i] == MAXLEN ? off : 0),
                                       lines[l], k);
                    }
                }
            }
        }
    }
    printf("arch clear: %u cases, %u failed\n", cases, fails);
    return fails != 0;
}
