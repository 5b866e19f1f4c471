# SPDX-License-Identifier: MIT
# The EL3 firmware (docs/TRUST.md): build/fw/bulkhead-fw.bin for QEMU's -bios, with the
# development public key built in. The key pair is made once per build tree by tools/fwsign
# (build/fw/devkey.bin, mode 0600, never committed); a product builds with FW_KEY=its key.
# Included by the top Makefile (CROSS, O, ARM64_USR, BSSL_USR, HOST_CC).

FW_KEY ?= $(O)/fw/devkey.bin
FW_CFLAGS := -std=gnu11 -ffreestanding -nostdlib -mgeneral-regs-only -fno-pic -fno-pie \
    -mstrict-align -mno-outline-atomics -O2 -g -Wall -Wextra -Werror -Wshadow \
    -Wmissing-prototypes -Wstrict-prototypes -Wvla -Wimplicit-fallthrough -fno-common \
    -ffunction-sections -fdata-sections -fstack-protector-strong -I. -Iinclude -Ifirmware \
    -I$(O)/fw -isystem $(ARM64_USR)/include -isystem $(BSSL_USR)/include/bearssl -MMD -MP \
    $(FW_EXTRA)
# EL3 (firmware/*.c, *.S but the key store) and the secure partition at S-EL1 (firmware/sp/,
# its own link script; its image is built into the firmware's, spd_switch.S).
FW_SRCS := $(filter-out firmware/keystore.c,$(wildcard firmware/*.c firmware/*.S)) \
    arch/aarch64/sha256_ce.S lib/string.c lib/compat.c
SP_SRCS := $(wildcard firmware/sp/*.c firmware/sp/*.S) firmware/keystore.c lib/string.c \
    lib/compat.c

# fw_variant(DIR, FLAGS): DIR/bulkhead-fw.bin and its partition DIR/sp.bin, built with FLAGS.
# $(O)/fw: the firmware; $(O)/fw/test: the test firmware (CONFIG_FW_TEST: spd_selftest at
# boot, the partition's SPD_TEST_* calls), same keys, for v-fw-sp-*.test.
define fw_variant
$(1)/obj/%.c.o: %.c
	@mkdir -p $$(dir $$@)
	@echo "  CC(EL3) $$<"
	@$$(CROSS)gcc $$(FW_CFLAGS) $(2) -c $$< -o $$@

$(1)/obj/%.S.o: %.S
	@mkdir -p $$(dir $$@)
	@echo "  AS(EL3) $$<"
	@$$(CROSS)gcc $$(FW_CFLAGS) $(2) -DFW_SP_BIN='"$(1)/sp.bin"' -D__ASSEMBLY__ -c $$< -o $$@

$(1)/obj/firmware/main.c.o: $$(O)/fw/devkey_pub.h
$(1)/obj/firmware/sp/secsvc.c.o: $$(O)/fw/devroot.h
$(1)/obj/firmware/spd_switch.S.o: $(1)/sp.bin

$(1)/sp.elf: $(patsubst %,$(1)/obj/%.o,$(SP_SRCS)) firmware/sp/link.ld $$(EL2_LIBS)
	$$(CROSS)gcc $$(FW_CFLAGS) $(2) -no-pie -static -T firmware/sp/link.ld -Wl,--gc-sections \
	    -Wl,--no-warn-rwx-segments -Wl,--build-id=none -o $$@ \
	    $(patsubst %,$(1)/obj/%.o,$(SP_SRCS)) $$(EL2_LIBS) -lgcc

$(1)/sp.bin: $(1)/sp.elf
	$$(CROSS)objcopy -O binary $$< $$@

$(1)/bulkhead-fw.elf: $(patsubst %,$(1)/obj/%.o,$(FW_SRCS)) firmware/link.ld $$(EL2_LIBS)
	$$(CROSS)gcc $$(FW_CFLAGS) $(2) -no-pie -static -T firmware/link.ld -Wl,--gc-sections \
	    -Wl,--no-warn-rwx-segments -Wl,--build-id=none -o $$@ \
	    $(patsubst %,$(1)/obj/%.o,$(FW_SRCS)) $$(EL2_LIBS) -lgcc

$(1)/bulkhead-fw.bin: $(1)/bulkhead-fw.elf
	$$(CROSS)objcopy -O binary $$< $$@

-include $(patsubst %,$(1)/obj/%.d,$(FW_SRCS) $(SP_SRCS))
endef

$(eval $(call fw_variant,$(O)/fw,))
$(eval $(call fw_variant,$(O)/fw/test,-DCONFIG_FW_TEST=1))

all: $(O)/fw/bulkhead-fw.bin $(O)/fw/test/bulkhead-fw.bin $(O)/fw/fwsign

# The device root key (firmware/sp/secsvc.c, in the partition only): 32 random bytes once per build tree, never committed; every
# key of the key store and the attestation key derive from it. Its attestation public key is
# written beside it for the verifiers (tools/fwsign verify-report).
FW_ROOT ?= $(O)/fw/devroot.bin
$(O)/fw/devroot.bin: | $(O)/fw/fwsign
	$(O)/fw/fwsign keygen $@

$(O)/fw/devroot.h: $(FW_ROOT) $(O)/fw/fwsign
	$(O)/fw/fwsign secret-header $(FW_ROOT) $@

$(O)/fw/attest_pub.bin: $(FW_ROOT) $(O)/fw/fwsign
	$(O)/fw/fwsign attest-pub $(FW_ROOT) $@

all: $(O)/fw/attest_pub.bin

$(O)/fw/devkey.bin: | $(O)/fw/fwsign
	$(O)/fw/fwsign keygen $@

$(O)/fw/devkey_pub.h: $(FW_KEY) $(O)/fw/fwsign
	$(O)/fw/fwsign pubkey $(FW_KEY) $@

