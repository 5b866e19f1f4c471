# SPDX-License-Identifier: MIT
# The EL3 firmware (docs/TRUST.md): build/fw/bulkhead-fw.bin for QEMU's -bios, with the
# development public key built in. The key pair is made once per build tree by tools/fwsign
# (build/fw/devkey.bin, mode 0600, never committed); a product builds with FW_KEY=its key.
# Included by the top Makefile (CROSS, O, EL2_O, ARM64_USR, BSSL_USR, HOST_CC).
#
# The platform is chosen at build time like the hypervisor's: FW_PLAT (a platform.mk sets it;
# qemu-virt by default) names firmware/<FW_PLAT>/, its plat.h (addresses, also for the link
# scripts) and board.c (console, GIC secure set-up, CPU power-up, power off). qemu-virt's
# firmware goes to build/fw/ as always, another platform's to build/<platform>/fw/ (zcu102:
# build/zcu102/fw/bulkhead-fw.elf, loaded by QEMU's loader); keys and fwsign stay in
# build/fw/, one per build tree for every platform.
FW_PLAT ?= qemu-virt
ifeq ($(FW_PLAT),qemu-virt)
FW_O := $(O)/fw
else
FW_O := $(EL2_O)/fw
endif
# zcu102: QEMU's device tree is at physical 0, which the firmware reads through a pointer.
FW_PLAT_CFLAGS_zcu102 := -fno-delete-null-pointer-checks

FW_KEY ?= $(O)/fw/devkey.bin
FW_CFLAGS := -std=gnu11 -ffreestanding -nostdlib -mgeneral-regs-only -fno-pic -fno-pie \
    -mstrict-align -mno-outline-atomics -O2 -g -Wall -Wextra -Werror -Wshadow \
    -Wmissing-prototypes -Wstrict-prototypes -Wvla -Wimplicit-fallthrough -fno-common \
    -ffunction-sections -fdata-sections -fstack-protector-strong -I. -Iinclude -Ifirmware \
    -Ifirmware/$(FW_PLAT) -I$(O)/fw -isystem $(ARM64_USR)/include \
    -isystem $(BSSL_USR)/include/bearssl -MMD -MP $(FW_PLAT_CFLAGS_$(FW_PLAT)) $(FW_EXTRA)
# EL3 (firmware/*.c, *.S but the key store) and the secure partition at S-EL1 (firmware/sp/,
# its own link script; its image is built into the firmware's, spd_switch.S).
FW_SRCS := $(filter-out firmware/keystore.c,$(wildcard firmware/*.c firmware/*.S)) \
    firmware/$(FW_PLAT)/board.c arch/aarch64/sha256_ce.S lib/string.c lib/compat.c
SP_SRCS := $(wildcard firmware/sp/*.c firmware/sp/*.S) firmware/keystore.c lib/string.c \
    lib/compat.c

# fw_variant(DIR, FLAGS): DIR/bulkhead-fw.bin and its partition DIR/sp.bin, built with FLAGS.
# $(FW_O): the firmware; $(FW_O)/test: the test firmware (CONFIG_FW_TEST: spd_selftest at
# boot, the partition's SPD_TEST_* calls), same keys, for v-fw-sp-*.test.
define fw_variant
# The link scripts, with the platform's addresses (plat.h) put in by the preprocessor.
$(1)/%.ld: firmware/%.ld.in firmware/$(FW_PLAT)/plat.h
	@mkdir -p $$(dir $$@)
	@$$(CROSS)gcc -E -P -x c -Ifirmware/$(FW_PLAT) $$< -o $$@

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

$(1)/sp.elf: $(patsubst %,$(1)/obj/%.o,$(SP_SRCS)) $(1)/sp/link.ld $$(EL2_LIBS)
	$$(CROSS)gcc $$(FW_CFLAGS) $(2) -no-pie -static -T $(1)/sp/link.ld -Wl,--gc-sections \
	    -Wl,--no-warn-rwx-segments -Wl,--build-id=none -o $$@ \
	    $(patsubst %,$(1)/obj/%.o,$(SP_SRCS)) $$(EL2_LIBS) -lgcc

$(1)/sp.bin: $(1)/sp.elf
	$$(CROSS)objcopy -O binary $$< $$@

$(1)/bulkhead-fw.elf: $(patsubst %,$(1)/obj/%.o,$(FW_SRCS)) $(1)/link.ld $$(EL2_LIBS)
	$$(CROSS)gcc $$(FW_CFLAGS) $(2) -no-pie -static -T $(1)/link.ld -Wl,--gc-sections \
	    -Wl,--no-warn-rwx-segments -Wl,--build-id=none -o $$@ \
	    $(patsubst %,$(1)/obj/%.o,$(FW_SRCS)) $$(EL2_LIBS) -lgcc

$(1)/bulkhead-fw.bin: $(1)/bulkhead-fw.elf
	$$(CROSS)objcopy -O binary $$< $$@

-include $(patsubst %,$(1)/obj/%.d,$(FW_SRCS) $(SP_SRCS))
endef

$(eval $(call fw_variant,$(FW_O),))
$(eval $(call fw_variant,$(FW_O)/test,-DCONFIG_FW_TEST=1))

all: $(FW_O)/bulkhead-fw.bin $(FW_O)/test/bulkhead-fw.bin $(O)/fw/fwsign

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

