/* SPDX-License-Identifier: MIT */
/*
 * A VM's network devices (bulkhead,net-segment channels, core/dev/vnet.c) wired to the VM:
 * one virtio-mmio window at VPLAT_NET_IPA holding its k-th segment's device at k * 0x200, a
 * level SPI per device in its vGIC, events tagged with the VM, and a reset on every stop and
 * restart. docs/NETWORK.md.
 */
#pragma once

#include <stdint.h>

#include <bulkhead/errno.h>

struct vm;
struct vgic_spi_cfg;

/* Append the SPIs of the VM's network devices to spis (*n < max). 0, or -BH_ENOMEM when the
 * table is full. */
int vm_net_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
    BH_MUST_CHECK;

/* Set up the VM's devices (in reset state) and register their window on vm->mmio (after
 * vm_mmio_register and the vGIC). Nothing for a VM in no segment. 0 or the bus's error. */
int vm_net_setup(struct vm *vm) BH_MUST_CHECK;

/* Every device of the VM back to reset (before its RAM is cleared for a start): the guest's
 * rings are forgotten, and a sender on another pCPU is out of them when this returns. */
void vm_net_reset(struct vm *vm);

/* One `STATS net=<segment> vm=<vm> ...` line per member device. */
void vm_net_print_stats(void);
