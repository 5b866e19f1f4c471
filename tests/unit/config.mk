UNIT_TESTS += test_config
test_config_SRCS := tests/unit/test_config.c $(CFG_SRCS)
test_config_LDLIBS := -lfdt
