# The EL3 firmware's portable logic (firmware/, docs/TRUST.md) on the host: the signed-bundle
# check against the signer, and the PSCI state machine with stand-in platform hooks.
UNIT_TESTS += test_sigcheck
test_sigcheck_SRCS := tests/unit/test_sigcheck.c firmware/sigcheck.c tools/fwsign/sign.c
test_sigcheck_CFLAGS := -I/usr/include/bearssl
test_sigcheck_LDLIBS := -lbearssl
UNIT_TESTS += test_fw_psci
test_fw_psci_SRCS := tests/unit/test_fw_psci.c firmware/psci.c
test_fw_psci_CFLAGS := -Ifirmware/qemu-virt
# The same with the ZCU102's firmware platform (firmware/zcu102/plat.h: 4 CPUs, each released
# by CPU_ON's power-up hook).
UNIT_TESTS += test_fw_psci_zcu102
test_fw_psci_zcu102_SRCS := tests/unit/test_fw_psci.c firmware/psci.c
test_fw_psci_zcu102_CFLAGS := -Ifirmware/zcu102
# The key store's cryptography (firmware/keystore.c): derivation, seal format, signatures,
# attestation reports, the PCR chain.
UNIT_TESTS += test_keystore
test_keystore_SRCS := tests/unit/test_keystore.c firmware/keystore.c
test_keystore_CFLAGS := -I/usr/include/bearssl -D_GNU_SOURCE
test_keystore_LDLIBS := -lbearssl
# What EL3 routes into the secure partition and how far its answers reach (firmware/spdcheck.c).
UNIT_TESTS += test_fw_spd
test_fw_spd_SRCS := tests/unit/test_fw_spd.c firmware/spdcheck.c
test_fw_spd_CFLAGS := -Ifirmware -Ifirmware/qemu-virt
