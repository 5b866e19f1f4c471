/* SPDX-License-Identifier: MIT */
/*
 * A VM's virtio console (virtio-console = <1>, core/dev/vcons.c) wired to the VM: its window
 * at VPLAT_VCONS_IPA, a level SPI in its vGIC, output to the VM's console lines, the console's
 * input for the VM once the guest's driver takes it (else the PL011 does), a reset on every
 * stop and restart. docs/CONSOLE.md "virtio console".
 */
#pragma once

#include <stdbool.h>

#include <bulkhead/errno.h>

struct vm;
struct vgic_spi_cfg;

/* Append the device's SPI to spis (*n < max) if the VM has one. 0 or -BH_ENOMEM. */
int vm_vcons_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
    BH_MUST_CHECK;

/* Set up the VM's device (reset state) and register its window (after the vGIC). 0, or the
 * bus's error. Nothing for a VM without one. */
int vm_vcons_setup(struct vm *vm) BH_MUST_CHECK;

/* The device back to reset (VM stop, restart). */
void vm_vcons_reset(struct vm *vm);

/* Console input for the VM is queued: true if the virtio console took the notice (its driver
 * is up), false if the PL011 should. */
bool vm_vcons_input_ready(struct vm *vm);

/* One `STATS vcons vm=<vm> ...` line per VM with a virtio console. */
void vm_vcons_print_stats(void);
