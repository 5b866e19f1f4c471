# Cache colouring in the scenario (core/config/config_colour.c): llc-way-size, colours,
# shared-colours, and the RAM the colour pool takes.
UNIT_TESTS += test_config_colour
test_config_colour_SRCS := tests/unit/test_config_colour.c $(CFG_SRCS)
test_config_colour_LDLIBS := -lfdt
test_config_colour_CFLAGS := -Wno-missing-field-initializers
