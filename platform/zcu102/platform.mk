# Xilinx ZynqMP ZCU102 (4x Cortex-A53, GIC-400, Cadence UART), as QEMU 7.2's xlnx-zcu102
# machine models it: docs/PORTING.md. Everything else comes from the board's device tree.
# RAM starts at 0 (DDR low, 2 GiB; the high bank at 0x800000000 is recorded, not used); the
# image is loaded as an arm64 Image at RAM + 2 MiB, the boot bundle at RAM + 128 MiB (QEMU's
# initrd), both inside the hypervisor's 256 MiB reserve (core/platinfo.h).
PLAT_LOAD_ADDR := 0x00200000
PLAT_RAM_BASE := 0x0
# The round-robin time slice stays on: QEMU runs this machine's CPUs exactly as it runs
# virt's (one host thread, round robin, under -icount), and this platform is QEMU's model.
# A build for the real board turns it off: make PLATFORM=zcu102 PLAT_RT_SLICE_US=0.
PLAT_RT_SLICE_US ?= 100
# UART0 (serial0 in the tree, QEMU's first -serial) when the tree names no console.
PLAT_UART_KIND := PLATINFO_UART_CADENCE
PLAT_UART_BASE := 0xff000000
PLAT_QEMU_MACHINE := xlnx-zcu102
# The GIC-400: a GICv2 build (drivers/gic.h); guests see a virtual GICv2 (docs/VGIC.md).
PLAT_GIC_VERSION := 2
EL2_PLAT_DEFS := -DPLAT_RAM_BASE=$(PLAT_RAM_BASE) -DPLAT_RT_SLICE_US=$(PLAT_RT_SLICE_US) \
    -DPLAT_UART_KIND=$(PLAT_UART_KIND) -DPLAT_UART_BASE=$(PLAT_UART_BASE) \
    -DPLAT_QEMU_MACHINE='"$(PLAT_QEMU_MACHINE)"' -DPLAT_GIC_VERSION=$(PLAT_GIC_VERSION)
# Our EL3 firmware for this board (firmware/zcu102/, docs/TRUST.md "The ZCU102"):
# build/zcu102/fw/bulkhead-fw.elf, booted with BH_FW=1 PLATFORM=zcu102 scripts/qemu.sh.
FW_PLAT := zcu102
