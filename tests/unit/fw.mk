# The EL3 firmware's portable logic (firmware/, docs/TRUST.md) on the host: the signed-bundle
# check against the signer, and the PSCI state machine with stand-in platform hooks.
UNIT_TESTS += test_sigcheck
test_sigcheck_SRCS := tests/unit/test_sigcheck.c firmware/sigcheck.c tools/fwsign/sign.c
test_sigcheck_CFLAGS := -I/usr/include/bearssl
test_sigcheck_LDLIBS := -lbearssl
UNIT_TESTS += test_fw_psci
test_fw_psci_SRCS := tests/unit/test_fw_psci.c firmware/psci.c
