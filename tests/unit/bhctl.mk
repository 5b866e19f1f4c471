# bhctl, the management CLI (guests/linux/tools), on the host with a fake transport.
BHCTL_UNIT_SRCS := tests/unit/bhctl_fake.c guests/linux/tools/bhctl_cli.c \
    guests/linux/tools/bhctl_data.c guests/linux/tools/bhctl_fmt.c \
    guests/linux/tools/bhctl_log.c guests/linux/tools/bhctl_run.c
UNIT_TESTS += test_bhctl
test_bhctl_SRCS := tests/unit/test_bhctl.c $(BHCTL_UNIT_SRCS)
UNIT_TESTS += test_bhctl_log
test_bhctl_log_SRCS := tests/unit/test_bhctl_log.c $(BHCTL_UNIT_SRCS)
# bhmgmtd (the remote API) and bhctl --remote: over loopback sockets, the daemon in a child
# process on the fake transport (bhmgmtd_fixture.c), in clear and over TLS (BearSSL, the
# host's libbearssl-dev; test-only keys in tests/unit/tls); bhhttp/bhjson: hostile input.
BHREMOTE_UNIT_SRCS := $(BHCTL_UNIT_SRCS) guests/linux/tools/bhhttp.c \
    guests/linux/tools/bhjson.c guests/linux/tools/bhctl_remote.c guests/linux/tools/bhtls.c \
    guests/linux/tools/bhctl_unjson.c guests/linux/tools/bhmgmtd_api.c \
    guests/linux/tools/bhmgmtd_srv.c tests/unit/bhmgmtd_fixture.c
UNIT_TESTS += test_bhmgmtd
test_bhmgmtd_SRCS := tests/unit/test_bhmgmtd.c $(BHREMOTE_UNIT_SRCS)
test_bhmgmtd_LDLIBS := -lbearssl
UNIT_TESTS += test_bhctl_remote
test_bhctl_remote_SRCS := tests/unit/test_bhctl_remote.c $(BHREMOTE_UNIT_SRCS)
test_bhctl_remote_LDLIBS := -lbearssl
UNIT_TESTS += test_bhhttp
test_bhhttp_SRCS := tests/unit/test_bhhttp.c guests/linux/tools/bhhttp.c guests/linux/tools/bhjson.c
