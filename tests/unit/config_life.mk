# Graceful shutdown and failover properties (core/config/config_life.c).
UNIT_TESTS += test_config_life
test_config_life_SRCS := tests/unit/test_config_life.c $(CFG_SRCS)
test_config_life_LDLIBS := -lfdt
test_config_life_CFLAGS := -Wno-missing-field-initializers
