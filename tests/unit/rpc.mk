# Guest RPC library (guests/lib/rpc) over an in-memory two-queue transport and a fake clock.
UNIT_TESTS += test_rpc
test_rpc_SRCS := tests/unit/test_rpc.c guests/lib/rpc/rpc.c
