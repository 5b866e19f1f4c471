# QEMU virt with gic-version=2 (a GIC-400-like GICv2 with the virtualization extensions): the
# qemu-virt platform built for a GICv2 (drivers/gicv2.c, the vGIC's GICv2 back end), into
# build/qemu-virt-gicv2/. It tests the GICv2 code on the machine the rest of the suite uses
# (scripts/qemu.sh runs it with gic-version=2). Same link script and board data as qemu-virt.
PLAT_GIC_VERSION := 2
include platform/qemu-virt/platform.mk
PLAT_DIR := platform/qemu-virt
