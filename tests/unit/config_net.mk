# bulkhead,net-segment channels (core/config/config_net.c): defaults, policy, every error.
UNIT_TESTS += test_config_net
test_config_net_SRCS := tests/unit/test_config_net.c $(CFG_SRCS)
test_config_net_LDLIBS := -lfdt
test_config_net_CFLAGS := -Wno-missing-field-initializers
