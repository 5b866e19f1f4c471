// SPDX-License-Identifier: MIT
/*
 * The table of SMCCC services (core/dev/smccc.h) and the calls every conforming
 * implementation answers itself (ARM DEN0028 v1.1 sections 6 and 7): SMCCC_VERSION,
 * SMCCC_ARCH_FEATURES, and the general queries (call count, UID, revision) of owners we do not
 * implement. Discovery never leaves a denial record: a guest asking what exists is not
 * misbehaving.
 */
#include <core/dev/smccc.h>

#include <core/config/config.h>
#include <core/dev/secpolicy.h>
#include <core/vm/vm.h>

#define SMCCC_MAX_SERVICES 8

static const struct smccc_service *services[SMCCC_MAX_SERVICES];
static unsigned service_count;

int smccc_register(const struct smccc_service *s)
{
    if (s->fn_first > s->fn_last || s->call == NULL) {
        return -BH_EINVAL;
    }
    for (unsigned i = 0; i < service_count; i++) {
        const struct smccc_service *o = services[i];
        if (o->oen == s->oen && s->fn_first <= o->fn_last && o->fn_first <= s->fn_last) {
            return -BH_EEXIST;
        }
    }
    if (service_count == SMCCC_MAX_SERVICES) {
        return -BH_ENOMEM;
    }
    services[service_count++] = s;
    return 0;
}

/* A yielding call: only a service that says it takes them (a Trusted OS mediator). Out of
 * the fast calls' way (the hypercalls' cost is budgeted). */
static const struct smccc_service *__attribute__((noinline)) find_yielding(uint32_t fid)
{
    unsigned oen = SMCCC_FID_OEN(fid), fn = SMCCC_FID_FN(fid);

    if (fid & SMCCC_FID_MBZ) {
        return NULL;
    }
    for (unsigned i = 0; i < service_count; i++) {
        const struct smccc_service *s = services[i];
        if (s->yielding && s->oen == oen && fn >= s->fn_first && fn <= s->fn_last) {
            return s;
        }
    }
    return NULL;
}

const struct smccc_service *smccc_find(uint32_t fid)
{
    unsigned oen = SMCCC_FID_OEN(fid), fn = SMCCC_FID_FN(fid);

    if (!(fid & SMCCC_FID_FAST)) {
        return find_yielding(fid);
    }
    if (fid & SMCCC_FID_MBZ) {
        return NULL; /* malformed IDs: nobody here */
    }
    for (unsigned i = 0; i < service_count; i++) {
        const struct smccc_service *s = services[i];
        if (s->oen == oen && fn >= s->fn_first && fn <= s->fn_last) {
            return s;
        }
    }
    return NULL;
}

/* SMCCC_ARCH_FEATURES(fid): the discovery calls themselves, then the architecture service
 * that owns fid. Only Arm architecture calls can be queried this way (DEN0028 7.2). */
static int32_t arch_features(uint32_t fid)
{
    const struct smccc_service *s;

    if (fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES) {
        return SMCCC_RET_SUCCESS;
    }
    s = smccc_find(fid);
    if (s == NULL || s->oen != SMCCC_OEN_ARCH || s->features == NULL) {
        return SMCCC_RET_NOT_SUPPORTED;
    }
    return s->features(fid);
}

/* Calls answered here: true with x0 set. */
static bool discovery(struct trap_frame *f, uint32_t fid)
{
    unsigned fn = SMCCC_FID_FN(fid);

    if (fid == SMCCC_VERSION) {
        f->x[0] = SMCCC_VERSION_1_1;
        return true;
    }
    if (fid == SMCCC_ARCH_FEATURES) {
        f->x[0] = (uint64_t)(int64_t)arch_features((uint32_t)f->x[1]);
        return true;
    }
    /* The general queries of an owner nobody implements: NOT_SUPPORTED, quietly. */
    if ((fid & SMCCC_FID_FAST) && !(fid & (SMCCC_FID_64 | SMCCC_FID_MBZ)) &&
        (fn == SMCCC_FN_CALL_COUNT || fn == SMCCC_FN_CALL_UID || fn == SMCCC_FN_REVISION) &&
        smccc_find(fid) == NULL) {
        f->x[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
        return true;
    }
    return false;
}

bool smccc_policy_denies(struct vcpu *v, struct trap_frame *f, uint32_t fid)
{
    struct secpolicy_verdict pv = secpolicy_decide(v->vm->cfg->secure_services, fid);

    if (pv.allowed) {
        return false;
    }
    if (!pv.quiet) {
        v->stats.denials++;
        vm_event(v->vm, "smc_deny", "fid=0x%x service=%s pc=0x%llx action=not_supported", fid,
                 pv.service, (unsigned long long)f->elr);
    }
    f->x[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
    return true;
}

void smccc_dispatch(struct vcpu *v, struct trap_frame *f, bool is_smc)
{
    uint32_t fid = (uint32_t)f->x[0];
    const struct smccc_service *s;

    if (discovery(f, fid)) {
        return;
    }
    if (smccc_policy_denies(v, f, fid)) {
        return;
    }
    s = smccc_find(fid);
    if (s != NULL && s->call(v, f, fid)) {
        return;
    }
    v->stats.denials++;
    vm_event(v->vm, is_smc ? "smc_unknown" : "hvc_unknown",
             "func=0x%x pc=0x%llx action=not_supported", fid, (unsigned long long)f->elr);
    f->x[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
}
