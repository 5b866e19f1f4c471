# Fault policy decision: policy, fault while delivering a fault, asynchronous SError.
UNIT_TESTS += test_vm_fault
test_vm_fault_SRCS := tests/unit/test_vm_fault.c core/vm/vm_fault.c
