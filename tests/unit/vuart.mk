UNIT_TESTS += test_vuart
test_vuart_SRCS := tests/unit/test_vuart.c core/dev/vuart.c
