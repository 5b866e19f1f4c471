/* SPDX-License-Identifier: MIT */
/* arch/aarch64/secfw.c's interface to the SMCCC services of vsmccc.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/frame.h>

struct vcpu;

/* Boot, once: probe for Bulkhead's EL3 firmware (arch_secfw_present afterwards). */
bool secfw_probe(void);

/* Forward an allowed TRNG call of v's VM to the firmware: results in f->x[0..3]. */
void secfw_trng(struct vcpu *v, struct trap_frame *f, uint32_t fid);

/* A BH_HC_SEC_* call the VM's policy allowed: true with x0 set, false for an unknown one. */
bool secfw_vm_call(struct vcpu *v, struct trap_frame *f, uint32_t fid);
