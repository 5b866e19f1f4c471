// SPDX-License-Identifier: MIT
/*
 * The firmware's signed-bundle check (firmware/sigcheck.c) against the signer
 * (tools/fwsign/sign.c): one signed file per case, built exactly as fwsign builds it, then
 * damaged the way the case says. Every buffer is exactly its window, so ASan catches a read
 * past it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bearssl_hash.h>

#include "firmware/sigcheck.h"
#include "tools/fwsign/sign.h"

#define HYP_LEN 1000u
#define FIT_LEN 5000u

static const uint8_t key_a[32] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x10,
                                   0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0x09, 0x1a,
                                   0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa3, 0xb4,
                                   0xc5, 0xd6 };
static const uint8_t key_b[32] = { 0x7e, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                   0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13,
                                   0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
                                   0x1e, 0x1f };

static void host_sha256(const void *data, uint64_t len, uint8_t out[32])
{
    br_sha256_context ctx;
    br_sha256_init(&ctx);
    br_sha256_update(&ctx, data, (size_t)len);
    br_sha256_out(&ctx, out);
}

enum damage {
    NONE, UNSIGNED, TINY_WINDOW, VERSION, ALG, HEADER_SIZE, BUNDLE_TOO_BIG, BUNDLE_HUGE,
    HYP_TOO_BIG, HYP_ZERO, OTHER_KEY, OTHER_KEY_OUR_ID, SIG_BIT, HEADER_HASH, BUNDLE_SHORTER,
    HYP_BYTE, FIT_FIRST, FIT_LAST, SPARE_WINDOW, PADDING,
};

struct fixture {
    uint8_t *hyp, *file;
    struct sig_images img;
};

static void build(struct fixture *fx, enum damage d)
{
    uint8_t fit[FIT_LEN], pub[BH_SIG_PUBKEY_BYTES];
    struct bh_sig_header h;
    size_t spare = d == SPARE_WINDOW ? 777 : 0;

    fx->hyp = malloc(HYP_LEN);
    for (unsigned i = 0; i < HYP_LEN; i++) {
        fx->hyp[i] = (uint8_t)(i * 7);
    }
    for (unsigned i = 0; i < FIT_LEN; i++) {
        fit[i] = (uint8_t)(i * 13 + 5);
    }
    assert_int_equal(fwsign_header(&h, d == OTHER_KEY || d == OTHER_KEY_OUR_ID ? key_b : key_a,
                                   fx->hyp, HYP_LEN, fit, FIT_LEN), 0);
    if (d == OTHER_KEY_OUR_ID) {
        assert_int_equal(fwsign_public(key_a, pub), 0);
        host_sha256(pub, sizeof(pub), h.key_id);
    }
    h.version += d == VERSION;
    h.sig_alg += d == ALG;
    h.header_size -= d == HEADER_SIZE ? 16 : 0;
    h.bundle_size += d == BUNDLE_TOO_BIG;
    h.bundle_size = d == BUNDLE_HUGE ? UINT64_MAX - 100 : h.bundle_size;
    h.hyp_size = d == HYP_TOO_BIG ? HYP_LEN + 1 : d == HYP_ZERO ? 0 : h.hyp_size;
    h.sig[5] ^= d == SIG_BIT ? 0x10 : 0;
    h.bundle_sha256[0] ^= d == HEADER_HASH ? 1 : 0;
    h.bundle_size -= d == BUNDLE_SHORTER;
    fx->hyp[HYP_LEN / 2] ^= d == HYP_BYTE;
    fit[0] ^= d == FIT_FIRST;
    fit[FIT_LEN - 1] ^= d == FIT_LAST ? 0x80 : 0;

    if (d == UNSIGNED) {
        fx->file = malloc(FIT_LEN);
        memcpy(fx->file, fit, FIT_LEN);
        fx->img.file_window = FIT_LEN;
    } else {
        size_t n = d == TINY_WINDOW ? sizeof(h) : BH_SIG_HEADER_SIZE + FIT_LEN + spare;
        fx->file = calloc(1, n);
        memcpy(fx->file, &h, sizeof(h));
        if (d == PADDING) {
            fx->file[BH_SIG_HEADER_SIZE - 1] = 0x5a; /* unsigned padding: never read */
        }
        if (n >= BH_SIG_HEADER_SIZE + FIT_LEN) {
            memcpy(fx->file + BH_SIG_HEADER_SIZE, fit, FIT_LEN);
        }
        fx->img.file_window = n;
    }
    fx->img.hyp = fx->hyp;
    fx->img.hyp_window = HYP_LEN;
    fx->img.signed_file = fx->file;
}

static const struct {
    enum damage damage;
    enum sig_verdict want;
    const char *what;
} cases[] = {
    { NONE, SIG_OK, "a signed bundle verifies" },
    { SPARE_WINDOW, SIG_OK, "bytes after the FIT in the window do not matter" },
    { PADDING, SIG_OK, "the header's unsigned padding is not read" },
    { UNSIGNED, SIG_MISSING, "the FIT alone has no signature" },
    { TINY_WINDOW, SIG_MISSING, "a window smaller than the header holds no signature" },
    { VERSION, SIG_MALFORMED, "another header version is refused" },
    { ALG, SIG_MALFORMED, "another signature algorithm is refused" },
    { HEADER_SIZE, SIG_MALFORMED, "another header size is refused" },
    { BUNDLE_TOO_BIG, SIG_BOUNDS, "a FIT one byte larger than its window" },
    { BUNDLE_HUGE, SIG_BOUNDS, "a FIT size that would overflow" },
    { HYP_TOO_BIG, SIG_BOUNDS, "a hypervisor larger than its window" },
    { HYP_ZERO, SIG_BOUNDS, "an empty hypervisor" },
    { OTHER_KEY, SIG_OTHER_KEY, "signed with another key, which says so" },
    { OTHER_KEY_OUR_ID, SIG_BAD_SIGNATURE, "another key claiming ours does not verify" },
    { SIG_BIT, SIG_BAD_SIGNATURE, "one flipped signature bit" },
    { HEADER_HASH, SIG_BAD_SIGNATURE, "a changed hash in the header" },
    { BUNDLE_SHORTER, SIG_BAD_SIGNATURE, "a changed size in the header" },
    { HYP_BYTE, SIG_HYP_TAMPERED, "one changed byte of the hypervisor" },
    { FIT_FIRST, SIG_BUNDLE_TAMPERED, "the first byte of the FIT changed" },
    { FIT_LAST, SIG_BUNDLE_TAMPERED, "the last byte of the FIT changed" },
};

static void test_sigcheck_verdicts(void **state)
{
    uint8_t pub[BH_SIG_PUBKEY_BYTES];
    (void)state;

    assert_int_equal(fwsign_public(key_a, pub), 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fixture fx = { 0 };
        uint64_t size = 0;
        build(&fx, cases[i].damage);
        enum sig_verdict v = sigcheck_verify(&fx.img, pub, host_sha256, &size);
        if (v != cases[i].want) {
            fail_msg("%s: got '%s', want '%s'", cases[i].what, sigcheck_reason(v),
                     sigcheck_reason(cases[i].want));
        }
        if (v == SIG_OK) {
            assert_int_equal(size, FIT_LEN);
        }
        free(fx.hyp);
        free(fx.file);
    }
}

/* The refusal lines are the console interface tests match (docs/TRUST.md). */
static void test_sigcheck_reasons_are_the_documented_lines(void **state)
{
    (void)state;
    assert_string_equal(sigcheck_reason(SIG_MISSING), "no signature (unsigned bundle)");
    assert_string_equal(sigcheck_reason(SIG_BAD_SIGNATURE), "signature does not verify");
    assert_string_equal(sigcheck_reason(SIG_OTHER_KEY), "signed with another key");
    assert_string_equal(sigcheck_reason(SIG_BUNDLE_TAMPERED),
                        "bundle does not match its signed hash");
    for (int a = SIG_OK; a <= SIG_BUNDLE_TAMPERED; a++) {
        for (int b = a + 1; b <= SIG_BUNDLE_TAMPERED; b++) {
            assert_string_not_equal(sigcheck_reason(a), sigcheck_reason(b));
        }
    }
    assert_string_equal(sigcheck_reason((enum sig_verdict)99), "unknown verdict");
}

/* A key the signer refuses (the zero scalar) signs nothing. */
static void test_sigcheck_signer_refuses_an_invalid_key(void **state)
{
    static const uint8_t zero[32];
    struct bh_sig_header h;
    (void)state;
    assert_int_not_equal(fwsign_header(&h, zero, "x", 1, "y", 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigcheck_verdicts),
        cmocka_unit_test(test_sigcheck_reasons_are_the_documented_lines),
        cmocka_unit_test(test_sigcheck_signer_refuses_an_invalid_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
