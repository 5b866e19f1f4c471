# Management properties and grants (core/config/config_mgmt.c).
UNIT_TESTS += test_config_mgmt
test_config_mgmt_SRCS := tests/unit/test_config_mgmt.c $(CFG_SRCS)
test_config_mgmt_LDLIBS := -lfdt
test_config_mgmt_CFLAGS := -Wno-missing-field-initializers
