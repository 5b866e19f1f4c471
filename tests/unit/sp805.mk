# The virtual watchdog's device model (core/dev/sp805.c): registers, counting, reset output.
UNIT_TESTS += test_sp805
test_sp805_SRCS := tests/unit/test_sp805.c core/dev/sp805.c
