// SPDX-License-Identifier: MIT
/*
 * The OP-TEE mediator (docs/TRUST.md "OP-TEE"), as Xen's TEE mediator does it: the Trusted OS
 * ranges (SMCCC OEN 50 and 63) of a VM allowed "tee" (core/dev/secpolicy.c decided before
 * this runs) reach the secure world (firmware/optee.c) only as calls we understand, with the
 * VM's client id in w7:
 *  - the discovery calls (CALLS_UID/REVISION, GET_OS_UUID/REVISION) and the shared-memory
 *    cache calls are forwarded with their arguments cleared;
 *  - EXCHANGE_CAPABILITIES is forwarded and its answer masked to what we mediate (a static
 *    shared window: HAVE_RESERVED_SHM; no dynamic memory, no RPC argument, no notifications);
 *  - GET_SHM_CONFIG is answered here: the VM's own window at the top of its RAM
 *    (core/dev/teemed.h), reserved in its device tree;
 *  - CALL_WITH_ARG: the message and its memory references are bounded to that window and
 *    copied into this pCPU's bounce buffer (teemed_prepare), the secure world gets the bounce
 *    buffer's physical address, the outputs are copied back (teemed_finish). The firmware runs
 *    with caches off: the bounce buffer is cleaned before the call and invalidated after.
 * Calls complete in one SMC: no RPC is ever returned, so RETURN_FROM_RPC and everything else
 * answer as unknown functions (NOT_SUPPORTED and an smc_unknown record).
 */
#include "secfw_priv.h"

#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/secfw.h>
#include <bulkhead/optee.h>
#include <core/dev/smccc.h>
#include <core/dev/teemed.h>
#include <core/hyp.h>
#include <core/vm/vm.h>
#include <lib/string.h>

/* Not cleared at boot (__noclear): every byte the secure world reads is written first, and
 * each call wipes it after. */
static uint8_t optee_bounce[PLATINFO_MAX_CPUS][TEEMED_BOUNCE_BYTES] __attribute__((aligned(64)))
    __noclear;

static void forward(struct vcpu *v, struct trap_frame *f, uint32_t fid, uint64_t a1)
{
    struct secfw_regs r = { .x = { fid, a1, 0, 0, 0, 0, 0, v->vm->id + 1 } };

    secfw_smc(&r);
    for (unsigned i = 0; i < 4; i++) {
        f->x[i] = (uint32_t)r.x[i]; /* SMC32: results in w0..w3 */
    }
}

static uint32_t call_with_arg(struct vcpu *v, uint64_t arg_ipa)
{
    struct vm *vm = v->vm;
    struct teemed_shm shm;
    struct teemed_bounce b = { .host = optee_bounce[v->pcpu] };
    struct teemed_call c;
    uint32_t r;

    if (!teemed_shm_window(vm->mem_ipa, vm->mem_size, &shm.ipa, &shm.size)) {
        return OPTEE_SMC_RETURN_EBADADDR;
    }
    shm.host = vm_ipa_to_host(vm, shm.ipa);
    b.pa = (uintptr_t)b.host;
    r = teemed_prepare(&shm, arg_ipa, &b, &c);
    if (r == OPTEE_SMC_RETURN_OK) {
        struct secfw_regs regs = { .x = { OPTEE_SMC_CALL_WITH_ARG, b.pa >> 32,
                                          (uint32_t)b.pa, 0, 0, 0, 0, vm->id + 1 } };
        secfw_cache_range(b.host, c.used, false);
        secfw_smc(&regs);
        secfw_cache_range(b.host, c.used, true);
        r = (uint32_t)regs.x[0];
        if (r == OPTEE_SMC_RETURN_OK) {
            teemed_finish(&shm, &b, &c);
        }
    }
    memset(b.host, 0, TEEMED_BOUNCE_BYTES);
    return r;
}

static bool optee_call(struct vcpu *v, struct trap_frame *f, uint32_t fid)
{
    uint64_t ipa, size;

    if (!arch_secfw_present()) {
        return false;
    }
    switch (fid) {
    case OPTEE_SMC_CALLS_UID:
    case OPTEE_SMC_CALLS_REVISION:
    case OPTEE_SMC_GET_OS_UUID:
    case OPTEE_SMC_GET_OS_REVISION:
    case OPTEE_SMC_ENABLE_SHM_CACHE:
    case OPTEE_SMC_DISABLE_SHM_CACHE:
        forward(v, f, fid, 0);
        return true;
    case OPTEE_SMC_EXCHANGE_CAPABILITIES:
        forward(v, f, fid, (uint32_t)f->x[1]);
        f->x[1] &= OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM;
        f->x[2] = f->x[3] = 0;
        return true;
    case OPTEE_SMC_GET_SHM_CONFIG:
        if (!teemed_shm_window(v->vm->mem_ipa, v->vm->mem_size, &ipa, &size)) {
            f->x[0] = OPTEE_SMC_RETURN_ENOTAVAIL;
            return true;
        }
        f->x[0] = OPTEE_SMC_RETURN_OK;
        f->x[1] = ipa;
        f->x[2] = size;
        f->x[3] = OPTEE_SMC_SHM_CACHED;
        return true;
    case OPTEE_SMC_CALL_WITH_ARG:
        f->x[0] = call_with_arg(v, (uint64_t)(uint32_t)f->x[1] << 32 | (uint32_t)f->x[2]);
        f->x[1] = f->x[2] = f->x[3] = 0;
        return true;
    default:
        return false;
    }
}

/* OEN 50 (Trusted OS: fast and yielding) and the general queries of OEN 63. */
static const struct smccc_service optee_tos_service = {
    .name = "optee",
    .oen = OPTEE_SMC_OEN_TOS,
    .fn_first = 0x0000,
    .fn_last = 0xffff,
    .yielding = true,
    .call = optee_call,
};

static const struct smccc_service optee_uid_service = {
    .name = "optee-uid",
    .oen = OPTEE_SMC_OEN_TOS_END,
    .fn_first = 0xff00,
    .fn_last = 0xffff,
    .call = optee_call,
};

int secfw_optee_init(void)
{
    if (smccc_register(&optee_tos_service) || smccc_register(&optee_uid_service)) {
        return -BH_EEXIST;
    }
    return 0;
}
