# Identity-mapped VMs and DMA-capable pass-through (core/config/config_ident.c).
UNIT_TESTS += test_config_ident
test_config_ident_SRCS := tests/unit/test_config_ident.c $(CFG_SRCS)
test_config_ident_LDLIBS := -lfdt
test_config_ident_CFLAGS := -Wno-missing-field-initializers
