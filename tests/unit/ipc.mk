# Inter-VM communication engine (core/ipc/ipc*.c) against the host spinlock stand-in.
UNIT_TESTS += test_ipc
test_ipc_SRCS := tests/unit/test_ipc.c core/ipc/ipc.c core/ipc/ipc_sync.c core/ipc/ipc_msgq.c core/ipc/ipc_info.c
