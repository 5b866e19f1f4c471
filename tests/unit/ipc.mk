# Inter-VM communication engine (core/ipc*.c) against the host spinlock stand-in.
UNIT_TESTS += test_ipc
test_ipc_SRCS := tests/unit/test_ipc.c core/ipc.c core/ipc_sync.c core/ipc_msgq.c core/ipc_info.c
