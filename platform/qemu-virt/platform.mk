PLAT_LOAD_ADDR := 0x40200000
PLAT_RAM_BASE := 0x40000000
# Platform quirk: QEMU runs every CPU on one host thread under -icount (its round robin), so
# the hypervisor keeps a 100 us time slice on the pCPUs of non-real-time VMs whenever a
# scenario has a real-time VM (arch/aarch64/rr_slice.c, docs/VIRTUAL-CPU.md "QEMU's round
# robin and the time slice"). A board's platform.mk leaves it out; rt-slice-us overrides it.
PLAT_RT_SLICE_US := 100
# The console when the device tree names none we drive (early failure lines, docs/PORTING.md)
# and the QEMU machine the wrong-exception-level line names.
PLAT_UART_KIND := PLATINFO_UART_PL011
PLAT_UART_BASE := 0x09000000
PLAT_QEMU_MACHINE := virt
# The GIC the image drives (drivers/gic.h), chosen at build time: virt's GICv3 here;
# platform/qemu-virt-gicv2 is this machine with gic-version=2 and a GICv2 build.
PLAT_GIC_VERSION ?= 3
EL2_PLAT_DEFS := -DPLAT_RAM_BASE=$(PLAT_RAM_BASE) -DPLAT_RT_SLICE_US=$(PLAT_RT_SLICE_US) \
    -DPLAT_UART_KIND=$(PLAT_UART_KIND) -DPLAT_UART_BASE=$(PLAT_UART_BASE) \
    -DPLAT_QEMU_MACHINE='"$(PLAT_QEMU_MACHINE)"' -DPLAT_GIC_VERSION=$(PLAT_GIC_VERSION)
