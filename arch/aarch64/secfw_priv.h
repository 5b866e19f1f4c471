/* SPDX-License-Identifier: MIT */
/* arch/aarch64/secfw.c's interface to the SMCCC services of vsmccc.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/frame.h>
#include <bulkhead/errno.h>

struct vcpu;

/* x0..x7 of an SMC to the secure world (secfw_smc.S): arguments in, x0..x4 out. */
struct secfw_regs {
    uint64_t x[8];
};
void secfw_smc(struct secfw_regs *r);

/* Clean (before a call) or invalidate (after) a buffer the firmware reads or writes: it runs
 * with its caches off. */
void secfw_cache_range(const void *p, uint64_t len, bool invalidate);

/* Boot, once: register the OP-TEE mediator's SMCCC services (secfw_optee.c). */
int secfw_optee_init(void) BH_MUST_CHECK;

/* Boot, once: probe for Bulkhead's EL3 firmware (arch_secfw_present afterwards). */
bool secfw_probe(void);

/* Forward an allowed TRNG call of v's VM to the firmware: results in f->x[0..3]. */
void secfw_trng(struct vcpu *v, struct trap_frame *f, uint32_t fid);

/* A BH_HC_SEC_* call the VM's policy allowed: true with x0 set, false for an unknown one. */
bool secfw_vm_call(struct vcpu *v, struct trap_frame *f, uint32_t fid);
