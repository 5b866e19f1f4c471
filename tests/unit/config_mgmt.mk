# Management properties and grants (core/config/config_mgmt.c).
UNIT_TESTS += test_config_mgmt
test_config_mgmt_SRCS := tests/unit/test_config_mgmt.c core/config/config.c core/config/config_dev.c \
    core/config/config_check.c core/config/config_chan.c core/config/config_chan_check.c \
    core/config/config_mgmt.c core/platinfo.c lib/fmt.c
test_config_mgmt_LDLIBS := -lfdt
test_config_mgmt_CFLAGS := -Wno-missing-field-initializers
