UNIT_TESTS += test_config
test_config_SRCS := tests/unit/test_config.c core/config.c core/config_dev.c \
    core/config_check.c core/config_chan.c core/config_chan_check.c core/platinfo.c lib/fmt.c
test_config_LDLIBS := -lfdt
