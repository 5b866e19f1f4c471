# The MMIO registration table (core/dev/mmio.c).
UNIT_TESTS += test_mmio
test_mmio_SRCS := tests/unit/test_mmio.c core/dev/mmio.c
