/* SPDX-License-Identifier: MIT */
/*
 * QEMU's pvpanic-pci device (QEMU docs/specs/pvpanic.rst, PCI 1b36:0011): how the hypervisor
 * tells QEMU that the boot failed, so that QEMU, run with `-action panic=exit-failure`,
 * exits with status 1 instead of the 0 of a PSCI SYSTEM_OFF (docs/CONFIG.md "Exit status").
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Bytes of ECAM configuration space pvpanic_signal reads: bus 0 (32 devices, 8 functions). */
#define PVPANIC_ECAM_BUS0 (UINT64_C(1) << 20)

/*
 * Look for the device on bus 0 of the ECAM at ecam (PVPANIC_ECAM_BUS0 bytes mapped), place
 * its BAR 0 at bar_pa (a free, mapped, 32-bit address in the host bridge's memory window)
 * and write PANICKED. Returns false when there is no such device; under QEMU with
 * panic=exit-failure it does not return otherwise.
 */
bool pvpanic_signal(uint64_t ecam, uint64_t bar_pa);
