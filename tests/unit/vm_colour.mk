# Cache colouring at boot (core/vm/vm_colour.c): the colour pool, the mapping of a coloured
# VM's RAM at stage 2 and in an alias, and the walk that checks both, on host page tables.
UNIT_TESTS += test_vm_colour
test_vm_colour_SRCS := tests/unit/test_vm_colour.c core/vm/vm_colour.c arch/aarch64/pgtable.c \
    $(CFG_SRCS)
test_vm_colour_CFLAGS := -Iarch/aarch64/inc
test_vm_colour_LDLIBS := -lfdt
