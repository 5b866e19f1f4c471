# SPDX-License-Identifier: MIT
# Bulkhead top-level build. `make` builds the EL2 image, host tools and guests; `make run`
# boots a scenario in QEMU; `make test` runs every test. Both install what they need first.

PLATFORM ?= qemu-virt
SCENARIO ?= train
CROSS    ?= aarch64-linux-gnu-
O        := build
CACHE    := .cache
ARM64_USR := $(CACHE)/arm64/libfdt-dev/usr
BSSL_USR  := $(CACHE)/arm64/libbearssl-dev/usr

ifeq ($(wildcard platform/$(PLATFORM)/platform.mk),)
$(error PLATFORM=$(PLATFORM): no platform/$(PLATFORM)/platform.mk (platforms: $(notdir $(wildcard platform/*))))
endif
include platform/$(PLATFORM)/platform.mk
# A platform.mk may reuse another platform's folder (link script, board sources): PLAT_DIR.
PLAT_DIR ?= platform/$(PLATFORM)
# Each platform's EL2 image in its own folder: build/ for the reference machine (as always),
# build/<platform>/ for the others (docs/PORTING.md); host tools and guests are shared.
ifeq ($(PLATFORM),qemu-virt)
EL2_O := $(O)
else
EL2_O := $(O)/$(PLATFORM)
endif

# ---------------------------------------------------------------- EL2 image
EL2_CC := $(CROSS)gcc
EL2_CFLAGS := -std=gnu11 -ffreestanding -nostdlib -mgeneral-regs-only -fno-pic -fno-pie \
    -mstrict-align -mno-outline-atomics -O2 -g -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
    -Wstrict-prototypes -Wvla -Wimplicit-fallthrough -fno-common -ffunction-sections \
    -fdata-sections -fstack-protector-strong -I. -Iinclude -Iarch/aarch64/inc \
    -I$(PLAT_DIR) -isystem $(ARM64_USR)/include -isystem $(BSSL_USR)/include/bearssl \
    -DPLAT_LOAD_ADDR=$(PLAT_LOAD_ADDR) $(EL2_PLAT_DEFS) $(EL2_EXTRA) -MMD -MP
EL2_SRCS := $(wildcard lib/*.c core/*.c core/*/*.c arch/aarch64/*.c arch/aarch64/*.S drivers/*.c \
    $(PLAT_DIR)/*.c)
EL2_OBJS := $(patsubst %,$(EL2_O)/el2/%.o,$(EL2_SRCS))
EL2_LIBS := $(ARM64_USR)/lib/aarch64-linux-gnu/libfdt.a $(BSSL_USR)/lib/aarch64-linux-gnu/libbearssl.a

.PHONY: all deps linux-deps run test unit cfgtest scenarios bench clean lint

all: $(EL2_O)/bulkhead.bin $(O)/bhcfg guests

lint:
	@./scripts/lint.sh

deps:
	@./scripts/deps.sh

linux-deps:
	@./scripts/deps.sh --linux

$(EL2_O)/el2/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(EL2_CC) $(EL2_CFLAGS) -c $< -o $@

$(EL2_O)/el2/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(EL2_CC) $(EL2_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# -MT: the dependency file (asm-offsets.h.d, included below) names the header itself, so a
# change to a structure it measures (core/vgic/vgic.h...) regenerates it
$(EL2_O)/el2/asm-offsets.h: arch/aarch64/asm-offsets.c
	@mkdir -p $(dir $@)
	$(EL2_CC) $(EL2_CFLAGS) -MT $@ -S $< -o $@.s
	sed -n 's/.*@@ASMOFF \([A-Z0-9_]*\) #*\([0-9-]*\).*/#define \1 \2/p' $@.s > $@

$(patsubst %,$(EL2_O)/el2/%.o,$(filter %.S,$(EL2_SRCS))): $(EL2_O)/el2/asm-offsets.h
EL2_CFLAGS += -I$(EL2_O)/el2

$(EL2_O)/bulkhead.elf: $(filter-out $(EL2_O)/el2/arch/aarch64/asm-offsets.c.o,$(EL2_OBJS)) \
        $(PLAT_DIR)/link.ld $(EL2_LIBS)
	$(EL2_CC) $(EL2_CFLAGS) -no-pie -static -T $(PLAT_DIR)/link.ld -Wl,--gc-sections \
	    -Wl,--no-warn-rwx-segments -Wl,--build-id=none -o $@ $(filter %.o,$^) $(EL2_LIBS) -lgcc

$(EL2_O)/bulkhead.bin: $(EL2_O)/bulkhead.elf
	$(CROSS)objcopy -O binary $< $@

$(EL2_LIBS):
	./scripts/deps.sh

# ---------------------------------------------------------------- host tools
HOST_CC := gcc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow -I. -Iinclude -Iarch/host/inc \
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_LDLIBS := -lfdt

# The configuration checker, as the host tools, unit tests and fuzz targets build it: the
# same portable code the hypervisor runs at boot (one list, used by every fragment below).
CFG_SRCS := $(sort $(wildcard core/config/*.c)) core/fdtcheck.c core/platinfo.c lib/fmt.c

-include tools/*/tool.mk

# ---------------------------------------------------------------- guests
.PHONY: guests
guests:
	$(MAKE) -C guests/testguest O=$(CURDIR)/$(O)/testguest
	$(MAKE) -C guests/rtos O=$(CURDIR)/$(O)/rtos

$(O)/linux/Image $(O)/linux/initramfs.cpio.gz: linux-deps
	guests/linux/mkguest.sh $(O)/linux

# ---------------------------------------------------------------- unit tests
UNIT_TESTS :=
-include tests/unit/*.mk
# Fuzz targets (make fuzz, fuzz-short); each also replays its seed corpus as a unit test.
include tests/fuzz/fuzz.mk

define unit_rule
$(O)/unit/$(1): $$($(1)_SRCS) $$(wildcard tests/unit/*.h guests/linux/tools/*.h)
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	@$$(HOST_CC) $$(HOST_CFLAGS) $$($(1)_CFLAGS) -o $$@ $$($(1)_SRCS) -lcmocka $$($(1)_LDLIBS)
	@$$(HOST_CC) $$(HOST_CFLAGS) $$($(1)_CFLAGS) -MM -MP -MT $$@ $$(filter %.c,$$($(1)_SRCS)) > $$@.d
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))
# every header a unit test's sources include rebuilds it (gcc -MM over all its sources)
-include $(wildcard $(O)/unit/*.d)

# AArch64 routines tested under qemu-aarch64 (tests/arch/arch.mk)
include tests/arch/arch.mk

unit: $(addprefix $(O)/unit/,$(UNIT_TESTS)) arch-unit
	@set -e; for t in $(UNIT_TESTS); do echo "== unit: $$t"; $(O)/unit/$$t; done

# ---------------------------------------------------------------- run / test
# QEMU_ARGS="..." are appended to QEMU's command line (e.g. -d guest_errors, -s for gdb).
# PLATFORM=zcu102 boots QEMU's xlnx-zcu102 with the board tree of Debian's kernel package.
run: deps all $(if $(filter zcu102,$(PLATFORM)),linux-deps)
	PLATFORM=$(PLATFORM) QEMU_ARGS="$(QEMU_ARGS)" ./scripts/run.sh $(SCENARIO)

test: deps
	./scripts/test.sh

clean:
	rm -rf $(O)

-include $(EL2_OBJS:.o=.d)
-include $(EL2_O)/el2/asm-offsets.h.d

.PHONY: linux-guest
linux-guest: linux-deps
	@$(MAKE) --no-print-directory -C guests/linux/tools O=$(CURDIR)/$(O)/linux/tools
	guests/linux/mkguest.sh $(O)/linux

# Benchmarks: make bench, make bench-check (bench/bench.mk)
-include bench/*.mk

# The soak (not in make test, minutes): 100 stop/start cycles of one VM beside an RTOS peer
# that must keep every deadline (tests/soak/s-soak.test).
.PHONY: soak
soak: deps all
	tests/harness/bhrun.py tests/soak/*.test

# The EL3 firmware and its signer (docs/TRUST.md).
include firmware/fw.mk
