# The IPC engine behind the hypercalls (core/ipc/ipc*.c): every call with arbitrary arguments.
FUZZ_TARGETS += ipc
fuzz_ipc_SRCS := core/ipc/ipc.c core/ipc/ipc_sync.c core/ipc/ipc_msgq.c core/ipc/ipc_info.c
