/* SPDX-License-Identifier: MIT */
/*
 * A VM's virtual watchdog (core/dev/sp805.c) wired to the VM: its MMIO window, its SPI in the
 * vGIC, its deadline on the pCPU of the VM's vCPU 0 (<arch/deadline.h>: noticed even when the
 * guest never exits), and its reset output, which applies the VM's fault policy (restart, or
 * stop for stop and abort) with an `EVT vm=<name> kind=watchdog action=...` record.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

struct vm;
struct vgic_spi_cfg;

/* Append the watchdog's virtual SPI to spis (*n < max), if the VM has a watchdog. 0, or
 * -BH_ENOMEM when the table is full. */
int vm_wdog_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
    BH_MUST_CHECK;

/* Set up the device, bind its deadline slot and register its window on vm->mmio (after
 * vm_mmio_register and the vGIC). Nothing without a watchdog. 0 or the bus's error. */
int vm_wdog_setup(struct vm *vm) BH_MUST_CHECK;

/* The device back to reset (VM start after a stop or restart): counter stopped, output low,
 * no deadline. */
void vm_wdog_reset(struct vm *vm);

/* The VM was paused (paused) or resumed: the watchdog's counter stands still while it is, so
 * it never bites a guest a manager holds. Nothing without a watchdog. */
void vm_wdog_pause(struct vm *vm, bool paused);
