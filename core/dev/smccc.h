/* SPDX-License-Identifier: MIT */
/*
 * Guest calls through the SMC Calling Convention (ARM DEN0028, v1.1 as offered): one table of
 * services, each owning a range of function numbers of one owning entity (OEN): PSCI and TRNG
 * in the standard service, the Arm architecture workarounds, Bulkhead's vendor hypervisor
 * calls, later a TEE mediator. Services register themselves; the standard discovery calls
 * (SMCCC_VERSION, SMCCC_ARCH_FEATURES, the general queries of every owner) are answered here,
 * in one place, and a call of a function nobody implements answers NOT_SUPPORTED with an
 * `hvc_unknown`/`smc_unknown` event — unless it is a discovery probe, which is answered as the
 * specification says without any record.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/frame.h>
#include <bulkhead/errno.h>

struct vcpu;

/* Function identifier fields (DEN0028 2.5). */
#define SMCCC_FID_FAST      (UINT32_C(1) << 31)
#define SMCCC_FID_64        (UINT32_C(1) << 30)
#define SMCCC_FID_OEN(fid)  (((fid) >> 24) & 0x3fu)
#define SMCCC_FID_FN(fid)   ((fid) & 0xffffu)
/* Bits 23:16 must be zero in a fast call (except SVE hints in v1.3, not offered). */
#define SMCCC_FID_MBZ       UINT32_C(0x00ff0000)

/* Owning entities (DEN0028 table 6-4). */
#define SMCCC_OEN_ARCH      0
#define SMCCC_OEN_STD       4
#define SMCCC_OEN_STD_HYP   5
#define SMCCC_OEN_VENDOR_HYP 6

/* Arm architecture calls (DEN0028 section 7). */
#define SMCCC_VERSION           UINT32_C(0x80000000)
#define SMCCC_ARCH_FEATURES     UINT32_C(0x80000001)
#define SMCCC_ARCH_SOC_ID       UINT32_C(0x80000002)
#define SMCCC_ARCH_WORKAROUND_1 UINT32_C(0x80008000)
#define SMCCC_ARCH_WORKAROUND_2 UINT32_C(0x80007fff)
#define SMCCC_ARCH_WORKAROUND_3 UINT32_C(0x80003fff)
#define SMCCC_VERSION_1_1       0x10001

/* General service queries, present in every owner's range (DEN0028 6.2). */
#define SMCCC_FN_CALL_COUNT     0xff00u
#define SMCCC_FN_CALL_UID       0xff01u
#define SMCCC_FN_REVISION       0xff03u

#define SMCCC_RET_SUCCESS           0
#define SMCCC_RET_NOT_SUPPORTED     (-1)
#define SMCCC_RET_NOT_REQUIRED      (-2)
#define SMCCC_RET_INVALID_PARAMETER (-3)
/* ARCH_FEATURES of a workaround: this PE does not need it (Linux's "unaffected"). */
#define SMCCC_RET_WORKAROUND_UNAFFECTED 1

struct smccc_service {
    const char *name;
    uint8_t oen;
    uint16_t fn_first, fn_last; /* function numbers, for both the SMC32 and SMC64 forms */
    bool yielding;              /* also owns the yielding calls of the range (Trusted OS) */
    /*
     * Perform fid (arguments in f->x[1..]), leaving its results in f->x[0..3]. Returns false
     * for a function the service does not implement (NOT_SUPPORTED and an unknown-call event).
     * Called on the vCPU's pCPU; may stop the VM (vm_stop) or park the vCPU.
     */
    bool (*call)(struct vcpu *v, struct trap_frame *f, uint32_t fid);
    /*
     * Arm architecture services only: SMCCC_ARCH_FEATURES for fid (a value of
     * DEN0028 7.2: 0 or a positive capability, or a negative SMCCC_RET_*).
     */
    int32_t (*features)(uint32_t fid);
};

/*
 * Add a service (a static const object). Boot only, before any guest runs. -BH_EEXIST when its
 * range overlaps another's in the same owner, -BH_EINVAL for an empty range, -BH_ENOMEM when
 * the table is full.
 */
int smccc_register(const struct smccc_service *s) BH_MUST_CHECK;

/* The service owning fid, or NULL. */
const struct smccc_service *smccc_find(uint32_t fid);

/*
 * The VM's secure-services policy (core/dev/secpolicy.c) on fid, before any service sees it:
 * false when the call may go on; true when it is denied and already answered (NOT_SUPPORTED
 * in x0, and a rate-limited smc_deny event unless it was a discovery probe).
 */
bool smccc_policy_denies(struct vcpu *v, struct trap_frame *f, uint32_t fid);

/* A guest's SMCCC call over HVC or SMC (the PC already points past an SMC): results in f. */
void smccc_dispatch(struct vcpu *v, struct trap_frame *f, bool is_smc);
