# Guest output through the console (core/console.c, core/console_text.c): every line prefixed
# and free of terminal controls, whatever the bytes.
FUZZ_TARGETS += console
fuzz_console_SRCS := core/console.c core/console_in.c core/console_cmd.c core/console_text.c lib/fmt.c
