UNIT_TESTS += test_vgpio
test_vgpio_SRCS := tests/unit/test_vgpio.c core/dev/vgpio.c
