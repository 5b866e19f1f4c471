/* SPDX-License-Identifier: MIT */
/*
 * Measured boot from the hypervisor's side (docs/TRUST.md "Measured boot"): each VM's kernel
 * image hash goes into the secure world's measurement log as the VM is built; once every VM
 * is, the log is closed and printed. Nothing happens without Bulkhead's EL3 firmware.
 */
#pragma once

#include <core/vm/vm.h>

/* Extend the log with vm's kernel image hash (the bundle's verified sha256 value). Boot only:
 * called by vm_build for a VM it built. A refusal is printed, the VM still runs (its
 * key-store and attestation calls then answer BH_E_NOENT). */
void vm_measure(struct vm *vm, const void *fit);

/* After the last vm_build at boot: close the log (the firmware refuses further measurements)
 * and print it, "bulkhead: measurement N kind=... sha256=<hex>" lines and
 * "bulkhead: measured boot pcr=<hex>". */
void vm_measure_done(void);
