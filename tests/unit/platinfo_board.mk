# Platform discovery beyond QEMU virt (core/platinfo.c): RAM banks, the console UART by
# stdout-path (PL011, Cadence), the failure line; the ZCU102 package tree when unpacked.
UNIT_TESTS += test_platinfo_board
test_platinfo_board_SRCS := tests/unit/test_platinfo_board.c core/platinfo.c
test_platinfo_board_LDLIBS := -lfdt
