# The guest device-tree generator (core/vm/guest_fdt.c) with fuzzed VM configuration fields.
FUZZ_TARGETS += guest_fdt
fuzz_guest_fdt_SRCS := core/vm/guest_fdt.c core/ipc/ipc_info.c lib/fmt.c
fuzz_guest_fdt_LDLIBS := -lfdt
