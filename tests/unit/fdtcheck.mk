# The device-tree structure guard in front of libfdt (core/fdtcheck.c).
UNIT_TESTS += test_fdtcheck
test_fdtcheck_SRCS := tests/unit/test_fdtcheck.c core/fdtcheck.c
test_fdtcheck_LDLIBS := -lfdt
