/* SPDX-License-Identifier: MIT */
/*
 * The secure world beneath the hypervisor (arch/aarch64/secfw.c, docs/TRUST.md "Secure
 * services"): Bulkhead's EL3 firmware, when it booted us, offers a measurement log, a key
 * store, attestation and TRNG. These hooks let core measure each VM image and print the log;
 * without our firmware (QEMU's -kernel boot) they do nothing and say so.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Whether our EL3 firmware is there (probed once at boot by arch_smccc_init). */
bool arch_secfw_present(void);

/* Extend the measurement log with VM vm's image hash (boot only, before _done). 0, or a
 * negative BH_E_* from the firmware (refused), or BH_E_NOT_SUPPORTED without firmware. */
int64_t arch_secfw_measure_vm(unsigned vm, const uint8_t digest[32]);

/* Boot is over: the firmware refuses further measurements from now on. */
void arch_secfw_measure_done(void);

/* Event idx of the log (kind | id << 8 in *what), or the PCR for idx UINT64_MAX: 0, or
 * negative when there is no such event. */
int64_t arch_secfw_log_read(uint64_t idx, uint32_t *what, uint8_t digest[32]);
