# A VM's statistics summed over its vCPUs' own counters (core/vm/vm_stats.c).
UNIT_TESTS += test_vm_stats
test_vm_stats_SRCS := tests/unit/test_vm_stats.c core/vm/vm_stats.c
