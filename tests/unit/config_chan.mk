# /channels parsing and checks (core/config/config_chan*.c), and the IPC engine built from the result.
UNIT_TESTS += test_config_chan
test_config_chan_SRCS := tests/unit/test_config_chan.c $(CFG_SRCS) \
    core/ipc/ipc.c core/ipc/ipc_sync.c core/ipc/ipc_msgq.c core/ipc/ipc_info.c
test_config_chan_LDLIBS := -lfdt
# Table rows leave their trailing expectation fields at 0 (= the defaults run_case applies).
test_config_chan_CFLAGS := -Wno-missing-field-initializers
