# Root property rt-slice-us, the round-robin time slice (core/config/config_rt.c).
UNIT_TESTS += test_config_rt
test_config_rt_SRCS := tests/unit/test_config_rt.c $(CFG_SRCS)
test_config_rt_LDLIBS := -lfdt
test_config_rt_CFLAGS := -Wno-missing-field-initializers
