# SPDX-License-Identifier: MIT
# Code generation and linking of an EL1 guest image, shared by guests/testguest, guests/rtos
# and guests/bench. Include it after CC, LIBFDT_DIR and LINK_BASE are set; then
#   CFLAGS  := $(GUEST_CFLAGS) <the guest's -I options>
#   LDFLAGS := $(GUEST_LDFLAGS) -Wl,-T,<the test guest's linker.ld>
# Why each flag (see guests/testguest/Makefile): -fpie + -static-pie, a static PIE whose
# start.S relocates itself (R_AARCH64_RELATIVE only); -mgeneral-regs-only, IRQ handlers save
# only x0-x30, so only libfdt may use FP/SIMD; -mstrict-align, with the MMU off all data is
# Device memory and unaligned accesses fault; -nostdinc + the test guest's libc/ headers.
GUEST_CFLAGS := -std=gnu11 -ffreestanding -nostdlib -nostdinc \
    -isystem $(shell $(CC) -print-file-name=include) \
    -O2 -g -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wvla \
    -Wimplicit-fallthrough -mgeneral-regs-only -mstrict-align -fpie -fno-stack-protector \
    -fno-common -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
    -isystem $(LIBFDT_DIR)/include -DTG_LINK_BASE=$(LINK_BASE) -MMD -MP
GUEST_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,text -Wl,--gc-sections \
    -Wl,--defsym=TG_LINK_BASE=$(LINK_BASE) -Wl,--no-warn-rwx-segments -Wl,--build-id=none
