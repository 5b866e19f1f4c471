# The VMs' physical RAM: carving, reservations and identity-map claims (core/vm/vm_ram.c).
UNIT_TESTS += test_vm_ram
test_vm_ram_SRCS := tests/unit/test_vm_ram.c core/vm/vm_ram.c
