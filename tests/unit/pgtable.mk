UNIT_TESTS += test_pgtable
test_pgtable_SRCS := tests/unit/test_pgtable.c arch/aarch64/pgtable.c
# pgtable.c is pure memory manipulation: built unchanged for the host from the arch tree.
test_pgtable_CFLAGS := -Iarch/aarch64/inc
