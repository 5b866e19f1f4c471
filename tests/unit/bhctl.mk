# bhctl, the management CLI (guests/linux/tools), on the host with a fake transport.
BHCTL_UNIT_SRCS := tests/unit/bhctl_fake.c guests/linux/tools/bhctl_cli.c \
    guests/linux/tools/bhctl_data.c guests/linux/tools/bhctl_fmt.c \
    guests/linux/tools/bhctl_log.c guests/linux/tools/bhctl_run.c
UNIT_TESTS += test_bhctl
test_bhctl_SRCS := tests/unit/test_bhctl.c $(BHCTL_UNIT_SRCS)
UNIT_TESTS += test_bhctl_log
test_bhctl_log_SRCS := tests/unit/test_bhctl_log.c $(BHCTL_UNIT_SRCS)
