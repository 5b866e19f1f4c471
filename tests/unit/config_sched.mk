# /schedule and the VM properties budget-us / period-us (core/config/config_sched.c).
UNIT_TESTS += test_config_sched
test_config_sched_SRCS := tests/unit/test_config_sched.c $(CFG_SRCS)
test_config_sched_LDLIBS := -lfdt
test_config_sched_CFLAGS := -Wno-missing-field-initializers
