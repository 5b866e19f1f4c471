# Platform discovery beyond QEMU virt (core/platinfo.c): RAM banks, the console UART by
# stdout-path (PL011, Cadence), the failure line; the ZCU102 package tree when unpacked.
# Built once per GIC a build can drive (PLAT_GIC_VERSION, as platform.mk sets it for EL2).
UNIT_TESTS += test_platinfo_board
test_platinfo_board_SRCS := tests/unit/test_platinfo_board.c core/platinfo.c
test_platinfo_board_CFLAGS := -DPLAT_GIC_VERSION=3
test_platinfo_board_LDLIBS := -lfdt
UNIT_TESTS += test_platinfo_board_v2
test_platinfo_board_v2_SRCS := tests/unit/test_platinfo_board.c core/platinfo.c
test_platinfo_board_v2_CFLAGS := -DPLAT_GIC_VERSION=2
test_platinfo_board_v2_LDLIBS := -lfdt
# The Cadence UART console driver (drivers/uart_cadence.c) on a register block in memory; the
# driver is EL2 code built unchanged for the host (its BIT() from the arch tree).
UNIT_TESTS += test_uart_cadence
test_uart_cadence_SRCS := tests/unit/test_uart_cadence.c drivers/uart_cadence.c
test_uart_cadence_CFLAGS := -Iarch/aarch64/inc
