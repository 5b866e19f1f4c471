UNIT_TESTS += test_config
test_config_SRCS := tests/unit/test_config.c core/config/config.c core/config/config_dev.c \
    core/config/config_check.c core/config/config_chan.c core/config/config_chan_check.c core/config/config_mgmt.c core/platinfo.c lib/fmt.c
test_config_LDLIBS := -lfdt
