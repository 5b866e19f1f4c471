# SPDX-License-Identifier: MIT
# Linking an EL1 guest image, shared by guests/testguest, guests/rtos and guests/bench.
# Include it after OBJS, CFLAGS, LDFLAGS, LIBFDT_LIB, CC, OBJCOPY, READELF, Q and O are set,
# with IMAGE (output name) and IMAGE_LDS (linker script). The test guest's start.S applies
# R_AARCH64_RELATIVE relocations only, so the link refuses any other kind.

$(O)/$(IMAGE).elf: $(OBJS) $(IMAGE_LDS) $(LIBFDT_LIB)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIBFDT_LIB) -lgcc
	@if $(READELF) -rW $@ | grep -E '^[0-9a-f]{16} ' | grep -qv R_AARCH64_RELATIVE; then \
	    echo "$@: relocations other than R_AARCH64_RELATIVE" >&2; rm -f $@; exit 1; fi

$(O)/$(IMAGE).bin: $(O)/$(IMAGE).elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

$(LIBFDT_LIB):
	@echo "missing $@: run ./scripts/deps.sh from the repo root or set LIBFDT_DIR" >&2; exit 1

clean:
	rm -rf $(O)

-include $(OBJS:.o=.d)
