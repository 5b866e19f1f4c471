// SPDX-License-Identifier: MIT
/*
 * EL3's view of the secure partition's answers (firmware/spdcheck.c, docs/TRUST.md "The
 * secure partition"): which calls go to the partition, how far a (hostile) partition's x0
 * may reach the hypervisor, and what a call answers when the partition faulted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <bulkhead/abi.h>
#include <bulkhead/optee.h>
#include <bulkhead/secsvc.h>

#include "firmware/spd.h"

#define E(x) ((uint64_t)(int64_t)(x))
#define TRNG_VERSION 0x84000050u
#define TRNG_RND32   0x84000053u
#define TRNG_RND64   0xc4000053u

static void test_routes_services_only(void **state)
{
    (void)state;
    assert_true(spd_routes(BH_SEC_NULL));
    assert_true(spd_routes(BH_SEC_ATTEST));
    assert_true(spd_routes(TRNG_VERSION));
    assert_true(spd_routes(TRNG_RND64));
    assert_true(spd_routes(OPTEE_SMC_CALL_WITH_ARG));
    assert_true(spd_routes(OPTEE_SMC_CALLS_UID));
    assert_false(spd_routes(0x84000000u));           /* PSCI_VERSION: EL3's own */
    assert_false(spd_routes(0xc4000003u));           /* CPU_ON */
    assert_false(spd_routes(0x80000000u));           /* SMCCC_VERSION */
    assert_false(spd_routes(SPD_INIT));              /* the firmware's own, never routed */
    assert_false(spd_routes(SPD_DONE));
    assert_false(spd_routes(SPD_TEST_FAULT));
    assert_false(spd_routes(SPD_TEST_SCAN));
    assert_false(spd_routes(0xc2000100u));           /* another SiP range */
}

static void test_bound_lengths_by_call_and_capacity(void **state)
{
    (void)state;
    assert_int_equal(spd_bound(BH_SEC_SEAL, 100, 200), 100);
    assert_int_equal(spd_bound(BH_SEC_SEAL, 200, 200), 200);
    assert_int_equal(spd_bound(BH_SEC_SEAL, 201, 200), E(BH_E_RANGE));
    assert_int_equal(spd_bound(BH_SEC_UNSEAL, BH_SEC_DATA_MAX + BH_SEAL_OVERHEAD + 1, UINT64_MAX),
                     E(BH_E_RANGE));
    assert_int_equal(spd_bound(BH_SEC_UNSEAL, INT64_MAX, UINT64_MAX), E(BH_E_RANGE));
    assert_int_equal(spd_bound(BH_SEC_SIGN, 64, 0), 64);
    assert_int_equal(spd_bound(BH_SEC_SIGN, 65, 4096), E(BH_E_RANGE));
    assert_int_equal(spd_bound(BH_SEC_DERIVE, 32, 0), 32);
    assert_int_equal(spd_bound(BH_SEC_DERIVE, 31, 4096), E(BH_E_RANGE));
    assert_int_equal(spd_bound(BH_SEC_ATTEST, sizeof(struct bh_attest_report), 4096),
                     sizeof(struct bh_attest_report));
    assert_int_equal(spd_bound(BH_SEC_ATTEST, sizeof(struct bh_attest_report), 100),
                     E(BH_E_RANGE));
    assert_int_equal(spd_bound(BH_SEC_ATTEST, 100, 4096), E(BH_E_RANGE));
}

static void test_bound_errors_to_the_known_set(void **state)
{
    (void)state;
    assert_int_equal(spd_bound(BH_SEC_SEAL, E(BH_E_DENIED), 10), E(BH_E_DENIED));
    assert_int_equal(spd_bound(BH_SEC_NULL, E(BH_E_TIMEOUT), 0), E(BH_E_TIMEOUT));
    assert_int_equal(spd_bound(BH_SEC_NULL, E(-8), 0), E(BH_E_INVAL));
    assert_int_equal(spd_bound(BH_SEC_UNSEAL, E(INT64_MIN), 10), E(BH_E_INVAL));
    assert_int_equal(spd_bound(TRNG_RND64, 0, 0), 0);
    assert_int_equal(spd_bound(TRNG_RND32, E(-2), 0), E(-2));
    assert_int_equal(spd_bound(TRNG_RND32, 5, 0), E(-3));
    assert_int_equal(spd_bound(TRNG_RND64, E(-1), 0), E(-3));
    assert_int_equal(spd_bound(TRNG_VERSION, 0x10000, 0), 0x10000);
}

static void test_fault_answers_the_calls_own_error(void **state)
{
    (void)state;
    assert_int_equal(spd_error_answer(BH_SEC_NULL), E(BH_E_BUSY));
    assert_int_equal(spd_error_answer(BH_SEC_SEAL), E(BH_E_BUSY));
    assert_int_equal(spd_error_answer(TRNG_RND64), E(-3));    /* NO_ENTROPY */
    assert_int_equal(spd_error_answer(TRNG_VERSION), E(-1));  /* NOT_SUPPORTED */
    assert_int_equal(spd_error_answer(OPTEE_SMC_CALL_WITH_ARG),
                     OPTEE_SMC_RETURN_UNKNOWN_FUNCTION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_services_only),
        cmocka_unit_test(test_bound_lengths_by_call_and_capacity),
        cmocka_unit_test(test_bound_errors_to_the_known_set),
        cmocka_unit_test(test_fault_answers_the_calls_own_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
