# Tests of AArch64 assembly routines of the hypervisor, built as static AArch64 Linux programs
# and run under qemu-aarch64 (Debian's qemu-user): `make unit` runs them after the host tests.
ARCH_TESTS := test_copy
test_copy_SRCS := tests/arch/test_copy.c arch/aarch64/copy.S
ARCH_TESTS += test_spinlock
test_spinlock_SRCS := tests/arch/test_spinlock.c
ARCH_TESTS += test_clear
test_clear_SRCS := tests/arch/test_clear.c arch/aarch64/clear.S
ARCH_TESTS += test_dabt_load
test_dabt_load_SRCS := tests/arch/test_dabt_load.c tests/arch/dabt_load_test.S
test_dabt_load_CFLAGS := -I. -Iinclude
test_dabt_load_DEPS := arch/aarch64/dabt_load.inc core/dev/mmio.h tests/load_reference.h

define arch_test_rule
$(O)/arch-tests/$(1): $$($(1)_SRCS) $$($(1)_DEPS)
	@mkdir -p $$(dir $$@)
	@echo "  A64CC   $$@"
	@$(CROSS)gcc -static -O1 -Wall -Wextra -Werror $$($(1)_CFLAGS) -o $$@ $$($(1)_SRCS)
endef
$(foreach t,$(ARCH_TESTS),$(eval $(call arch_test_rule,$(t))))

.PHONY: arch-unit
arch-unit: $(addprefix $(O)/arch-tests/,$(ARCH_TESTS))
	@set -e; for t in $(ARCH_TESTS); do echo "== arch: $$t"; qemu-aarch64 $(O)/arch-tests/$$t; done
