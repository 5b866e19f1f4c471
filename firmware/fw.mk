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
FW_SRCS := $(wildcard firmware/*.c firmware/*.S) arch/aarch64/sha256_ce.S lib/string.c \
    lib/compat.c
FW_OBJS := $(patsubst %,$(O)/fw/obj/%.o,$(FW_SRCS))

all: $(O)/fw/bulkhead-fw.bin $(O)/fw/fwsign

$(O)/fw/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC(EL3) $<"
	@$(CROSS)gcc $(FW_CFLAGS) -c $< -o $@

$(O)/fw/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS(EL3) $<"
	@$(CROSS)gcc $(FW_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(O)/fw/obj/firmware/main.c.o: $(O)/fw/devkey_pub.h
$(O)/fw/obj/firmware/secsvc.c.o: $(O)/fw/devroot.h

# The device root key (secsvc.c): 32 random bytes once per build tree, never committed; every
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

$(O)/fw/bulkhead-fw.elf: $(FW_OBJS) firmware/link.ld $(EL2_LIBS)
	$(CROSS)gcc $(FW_CFLAGS) -no-pie -static -T firmware/link.ld -Wl,--gc-sections \
	    -Wl,--no-warn-rwx-segments -Wl,--build-id=none -o $@ $(FW_OBJS) $(EL2_LIBS) -lgcc

$(O)/fw/bulkhead-fw.bin: $(O)/fw/bulkhead-fw.elf
	$(CROSS)objcopy -O binary $< $@

-include $(FW_OBJS:.o=.d)
