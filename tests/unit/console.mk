UNIT_TESTS += test_console
test_console_SRCS := tests/unit/test_console.c core/console.c core/console_in.c \
	core/console_cmd.c core/console_text.c core/dev/vuart.c lib/fmt.c
