// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/dev/secpolicy.c: which SMCCC function IDs need which secure-services
 * name, and the decision for a VM's mask (docs/TRUST.md "Mediation"). One table row per range
 * edge: a VM with the right name passes, a VM without it is denied (quietly only for the TRNG
 * discovery probes), ranges no name grants are denied to every VM, and unmediated calls pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <core/config/config.h>
#include <core/dev/secpolicy.h>

#define ALL (CFG_SEC_PSCI | CFG_SEC_TRNG | CFG_SEC_KEYS | CFG_SEC_ATTEST | CFG_SEC_TEE)

struct row {
    uint32_t fid;
    uint32_t need;        /* secpolicy_need */
    const char *service;  /* NULL when need == 0 */
    bool quiet_denial;    /* denied to a PSCI-only VM without a record */
};

static const struct row rows[] = {
    { 0x80000000u, 0, NULL, false },           /* SMCCC_VERSION */
    { 0x80008000u, 0, NULL, false },           /* WORKAROUND_1 */
    { 0x84000000u, 0, NULL, false },           /* PSCI_VERSION */
    { 0xc4000003u, 0, NULL, false },           /* CPU_ON64 */
    { 0x8400001fu, 0, NULL, false },           /* last PSCI number */
    { 0x84000020u, SECPOLICY_NEVER, "std", false }, /* SDEI: no name grants it */
    { 0x8400004fu, SECPOLICY_NEVER, "std", false },
    { 0x84000050u, CFG_SEC_TRNG, "trng", true }, /* TRNG_VERSION: a probe */
    { 0x84000051u, CFG_SEC_TRNG, "trng", true }, /* TRNG_FEATURES: a probe */
    { 0x84000052u, CFG_SEC_TRNG, "trng", false }, /* GET_UUID */
    { 0x84000053u, CFG_SEC_TRNG, "trng", false }, /* RND32 */
    { 0xc4000053u, CFG_SEC_TRNG, "trng", false }, /* RND64 */
    { 0xc4000050u, CFG_SEC_TRNG, "trng", false }, /* 64-bit form of VERSION: not a probe */
    { 0x8400005fu, CFG_SEC_TRNG, "trng", false },
    { 0x84000060u, SECPOLICY_NEVER, "std", false },
    { 0x81000000u, SECPOLICY_NEVER, "cpu", false },
    { 0x82001234u, SECPOLICY_NEVER, "sip", false },
    { 0xc2000000u, SECPOLICY_NEVER, "sip", false }, /* the firmware's own calls */
    { 0x83000000u, SECPOLICY_NEVER, "oem", false },
    { 0x85000000u, 0, NULL, false },           /* standard hypervisor service */
    { 0xc6000000u, 0, NULL, false },           /* BH_HC_NULL */
    { 0xc600002fu, 0, NULL, false },
    { 0xc6000030u, CFG_SEC_KEYS, "keys", false },
    { 0xc6000037u, CFG_SEC_KEYS, "keys", false },
    { 0xc6000038u, CFG_SEC_ATTEST, "attest", false },
    { 0xc600003fu, CFG_SEC_ATTEST, "attest", false },
    { 0xc6000040u, 0, NULL, false },
    { 0xb0000000u, CFG_SEC_TEE, "tee", false }, /* Trusted Application, fast */
    { 0xbf00ff01u, CFG_SEC_TEE, "tee", false }, /* Trusted OS UID */
    { 0x32000004u, CFG_SEC_TEE, "tee", false }, /* yielding OP-TEE std call (OEN 50) */
    { 0x3f000000u, CFG_SEC_TEE, "tee", false }, /* yielding, OEN 63 */
    { 0x2f000000u, 0, NULL, false },           /* yielding, reserved OEN 47 */
    { 0x04000000u, 0, NULL, false },           /* yielding, OEN 4: nobody */
    { 0x84010000u, 0, NULL, false },           /* fast with MBZ bits: malformed */
    { 0x870000ffu, 0, NULL, false },           /* reserved OEN 7 */
};

static void test_need_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *service = NULL;
        uint32_t need = secpolicy_need(rows[i].fid, &service);
        if (need != rows[i].need) {
            print_message("fid 0x%08x: need 0x%x, want 0x%x\n", rows[i].fid, need, rows[i].need);
        }
        assert_int_equal(need, rows[i].need);
        if (rows[i].service != NULL) {
            assert_non_null(service);
            assert_string_equal(service, rows[i].service);
        }
    }
}

static void test_decisions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        struct secpolicy_verdict psci_only = secpolicy_decide(CFG_SEC_DEFAULT, r->fid);
        struct secpolicy_verdict all = secpolicy_decide(ALL, r->fid);
        bool grantable = r->need != SECPOLICY_NEVER;

        assert_int_equal(psci_only.allowed, r->need == 0);
        assert_int_equal(all.allowed, grantable);
        if (!psci_only.allowed) {
            assert_int_equal(psci_only.quiet, r->quiet_denial);
            assert_string_equal(psci_only.service, r->service);
        }
        if (r->need != 0 && grantable) {
            /* every other name alone does not grant it */
            struct secpolicy_verdict other = secpolicy_decide(ALL & ~r->need, r->fid);
            assert_false(other.allowed);
            assert_true(secpolicy_decide(CFG_SEC_DEFAULT | r->need, r->fid).allowed);
        }
    }
}

/* Guest buffer arguments: inside the VM's RAM only, no wrap, bounded lengths. */
static void test_buffers(void **state)
{
    const uint64_t base = 0x40000000, size = 0x2000000, max = 1024;
    static const struct {
        uint64_t ipa, len;
        bool ok;
    } cases[] = {
        { 0x40000000, 1, true },
        { 0x40000000, 1024, true },
        { 0x41fffc00, 1024, true },           /* ends exactly at the end of RAM */
        { 0x41fffc01, 1024, false },          /* one byte past */
        { 0x42000000, 1, false },             /* starts at the end */
        { 0x3fffffff, 2, false },             /* starts below */
        { 0, 16, false },                     /* NULL */
        { 0x40000000, 0, false },             /* empty */
        { 0x40000000, 1025, false },          /* over the limit */
        { 0x40000000, UINT64_MAX, false },    /* huge */
        { UINT64_MAX - 7, 16, false },        /* wraps */
        { UINT64_MAX, 1, false },
        { 0x09000000, 16, false },            /* a device window */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (secpolicy_buffer_ok(base, size, cases[i].ipa, cases[i].len, max) != cases[i].ok) {
            print_message("ipa 0x%llx len 0x%llx\n", (unsigned long long)cases[i].ipa,
                          (unsigned long long)cases[i].len);
        }
        assert_int_equal(secpolicy_buffer_ok(base, size, cases[i].ipa, cases[i].len, max),
                         cases[i].ok);
    }
    /* RAM at the very top of the address space: no sum wraps either. */
    assert_true(secpolicy_buffer_ok(UINT64_MAX - 0xfff, 0x1000, UINT64_MAX - 0xf, 16, max));
    assert_false(secpolicy_buffer_ok(UINT64_MAX - 0xfff, 0x1000, UINT64_MAX - 0xf, 17, max));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_need_table),
        cmocka_unit_test(test_decisions),
        cmocka_unit_test(test_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
