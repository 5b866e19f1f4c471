# SPDX-License-Identifier: MIT
# bhcfg, the host scenario checker: the hypervisor's own config validation built for the host.
# Included by the top Makefile (HOST_CC, HOST_CFLAGS, HOST_LDLIBS, O).

BHCFG_SRCS := tools/bhcfg/main.c tools/bhcfg/virtplat.c $(CFG_SRCS)
BHCFG_HDRS := $(wildcard tools/bhcfg/*.h core/config/config*.h core/platinfo.h lib/fmt.h lib/string.h)

$(O)/bhcfg: $(BHCFG_SRCS) $(BHCFG_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(BHCFG_SRCS) $(HOST_LDLIBS)

# QEMU's own device tree of the reference machine, for `bhcfg check --platform` and for
# test_platinfo (which compares it with bhcfg's built-in copy). Left absent, not failed, when
# QEMU is missing: the test then skips that comparison and says so.
QEMU_VIRT_MACHINE := -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 -smp 4 -m 2G
$(O)/virt.dtb:
	@mkdir -p $(dir $@)
	-qemu-system-aarch64 $(QEMU_VIRT_MACHINE) -machine dumpdtb=$@ -display none >/dev/null 2>&1

cfgtest: $(O)/bhcfg
	tests/configs/run.sh
