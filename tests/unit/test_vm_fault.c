// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/vm/vm_fault.c, from ARM DDI 0487: an injected abort goes to VBAR_EL1 +
 * offset (D1.10.2), so a stage-2 fault at that PC means the vector itself faults; a physical
 * SError is asynchronous and is reflected as a virtual SError (HCR_EL2.VSE, D1.14.6).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <core/vm/vm_fault.h>

#define VBAR_OUTSIDE_RAM   UINT64_C(0x80000000)
#define VEC_CUR_SPX_SYNC   UINT64_C(0x200)
#define GUEST_PC           UINT64_C(0x40001234)

static void test_policy_is_followed(void **state)
{
    (void)state;
    assert_int_equal(vm_fault_decide(CFG_FAULT_STOP, VM_FAULT_DABT, GUEST_PC, VM_FAULT_NO_PC),
                     VM_FAULT_STOP);
    assert_int_equal(vm_fault_decide(CFG_FAULT_RESTART, VM_FAULT_IABT, GUEST_PC,
                                     VM_FAULT_NO_PC),
                     VM_FAULT_RESTART);
    assert_int_equal(vm_fault_decide(CFG_FAULT_ABORT, VM_FAULT_DABT, GUEST_PC, VM_FAULT_NO_PC),
                     VM_FAULT_INJECT_DABT);
    assert_int_equal(vm_fault_decide(CFG_FAULT_ABORT, VM_FAULT_IABT, GUEST_PC, VM_FAULT_NO_PC),
                     VM_FAULT_INJECT_IABT);
    /* an earlier injection elsewhere changes nothing */
    assert_int_equal(vm_fault_decide(CFG_FAULT_ABORT, VM_FAULT_DABT, GUEST_PC,
                                     VBAR_OUTSIDE_RAM + VEC_CUR_SPX_SYNC),
                     VM_FAULT_INJECT_DABT);
}

/* The abort policy's injection faulted at the vector it went to: stop, do not inject again. */
static void test_fault_at_injected_vector_stops(void **state)
{
    uint64_t vec = VBAR_OUTSIDE_RAM + VEC_CUR_SPX_SYNC;
    (void)state;
    assert_int_equal(vm_fault_decide(CFG_FAULT_ABORT, VM_FAULT_IABT, vec, vec),
                     VM_FAULT_STOP_LOOP);
    /* a data abort by the vector's first instruction would repeat just the same */
    assert_int_equal(vm_fault_decide(CFG_FAULT_ABORT, VM_FAULT_DABT, vec, vec),
                     VM_FAULT_STOP_LOOP);
    /* the other policies never inject, so they do what they say anyway */
    assert_int_equal(vm_fault_decide(CFG_FAULT_RESTART, VM_FAULT_IABT, vec, vec),
                     VM_FAULT_RESTART);
}

/* An SError under the abort policy becomes a virtual SError, never a synchronous abort, also
 * when the interrupted PC is the last vector (it belongs to no instruction). */
static void test_serror_becomes_virtual_serror(void **state)
{
    (void)state;
    assert_int_equal(vm_fault_decide(CFG_FAULT_ABORT, VM_FAULT_SERROR, GUEST_PC,
                                     VM_FAULT_NO_PC),
                     VM_FAULT_INJECT_VSERROR);
    assert_int_equal(vm_fault_decide(CFG_FAULT_ABORT, VM_FAULT_SERROR, GUEST_PC, GUEST_PC),
                     VM_FAULT_INJECT_VSERROR);
    assert_int_equal(vm_fault_decide(CFG_FAULT_STOP, VM_FAULT_SERROR, GUEST_PC, VM_FAULT_NO_PC),
                     VM_FAULT_STOP);
    assert_int_equal(vm_fault_decide(CFG_FAULT_RESTART, VM_FAULT_SERROR, GUEST_PC,
                                     VM_FAULT_NO_PC),
                     VM_FAULT_RESTART);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_is_followed),
        cmocka_unit_test(test_fault_at_injected_vector_stops),
        cmocka_unit_test(test_serror_becomes_virtual_serror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
