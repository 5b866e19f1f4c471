// SPDX-License-Identifier: MIT
/*
 * SHA-256 (FIPS 180-4) on the CPU's own instructions where it has them (FEAT_SHA256,
 * ID_AA64ISAR0_EL1.SHA2): sha256_ce.S compresses whole blocks, this file pads and checks.
 * Before the first use the instructions must reproduce three known answers (0, 1 and 2 padded
 * blocks); if they do not, or the CPU lacks them, arch_sha256 declines and the caller hashes
 * with BearSSL's portable code (core/vm/bundle.c). The verification itself is unchanged: the
 * same digest is compared either way.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <core/hyp.h>
#include <lib/string.h>

void sha256_ce_blocks(uint32_t state[8], const uint8_t *data, uint64_t blocks);

#define SHA256_BLOCK 64u
#define ID_ISAR0_SHA2 GENMASK(15, 12) /* ID_AA64ISAR0_EL1.SHA2 (D17.2.61): 1 SHA-256, 2 +512 */

static const uint32_t sha256_iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

static void digest(const void *data, uint64_t len, uint8_t out[32])
{
    uint32_t st[8];
    uint8_t tail[2 * SHA256_BLOCK];
    uint64_t full = len / SHA256_BLOCK, rest = len % SHA256_BLOCK;
    uint64_t bits = len * 8; /* len < 2^61: images are far smaller */

    memcpy(st, sha256_iv, sizeof(st));
    if (full) {
        sha256_ce_blocks(st, data, full);
    }
    /* the rest, 0x80, zeros, and the length in bits (big-endian) in the last 8 bytes */
    uint64_t n = rest + 1 + 8 <= SHA256_BLOCK ? SHA256_BLOCK : 2 * SHA256_BLOCK;
    memset(tail, 0, sizeof(tail));
    memcpy(tail, (const uint8_t *)data + full * SHA256_BLOCK, (size_t)rest);
    tail[rest] = 0x80;
    for (unsigned i = 0; i < 8; i++) {
        tail[n - 1 - i] = (uint8_t)(bits >> (8 * i));
    }
    sha256_ce_blocks(st, tail, n / SHA256_BLOCK);
    for (unsigned i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(st[i] >> 24);
        out[4 * i + 1] = (uint8_t)(st[i] >> 16);
        out[4 * i + 2] = (uint8_t)(st[i] >> 8);
        out[4 * i + 3] = (uint8_t)st[i];
    }
}

/* FIPS 180-2 appendix B examples, and the empty message. */
static const struct {
    const char *msg;
    uint8_t md[32];
} kat[] = {
    { "", { 0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f,
            0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b,
            0x78, 0x52, 0xb8, 0x55 } },
    { "abc", { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d,
               0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10,
               0xff, 0x61, 0xf2, 0x00, 0x15, 0xad } },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      { 0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e,
        0x60, 0x39, 0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4,
        0x19, 0xdb, 0x06, 0xc1 } },
};

enum { CE_UNKNOWN, CE_OK, CE_NO };
static int ce_state = CE_UNKNOWN;

static bool ce_usable(void)
{
    if (ce_state != CE_UNKNOWN) {
        return ce_state == CE_OK;
    }
    ce_state = CE_NO;
    if (FIELD_GET(ID_ISAR0_SHA2, sysreg_read(id_aa64isar0_el1)) == 0) {
        return false;
    }
    for (size_t i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
        uint8_t md[32];
        digest(kat[i].msg, strlen(kat[i].msg), md);
        if (memcmp(md, kat[i].md, sizeof(md)) != 0) {
            hyp_printf("bulkhead: sha256: the CPU's SHA-256 instructions failed known answer "
                       "%u; hashing with the portable code", (unsigned)i);
            return false;
        }
    }
    ce_state = CE_OK;
    return true;
}

bool arch_sha256(const void *data, uint64_t len, uint8_t out[32])
{
    /* a vCPU of a shared pCPU may have FP/SIMD trapped (lazy switch, vcpu_switch.c): the
     * trap applies to EL2 too. sha256_ce_blocks keeps the registers it uses. */
    uint64_t cptr = sysreg_read(cptr_el2);
    bool ok = len < (UINT64_C(1) << 61);

    if (ok && (cptr & CPTR_EL2_TFP)) {
        sysreg_write(cptr_el2, cptr & ~(uint64_t)CPTR_EL2_TFP);
        isb();
    }
    ok = ok && ce_usable();
    if (ok) {
        digest(data, len, out);
    }
    if (cptr & CPTR_EL2_TFP) {
        sysreg_write(cptr_el2, cptr);
        isb();
    }
    return ok;
}
