// SPDX-License-Identifier: MIT
/*
 * The OP-TEE mediator's message translation (core/dev/teemed.h, docs/TRUST.md "OP-TEE"):
 * OP-TEE's optee_msg.h message, static shared memory only (temporary memory references,
 * OPTEE_MSG_ATTR_TYPE_TMEM_*), as Linux's driver uses it without dynamic shared memory.
 * Checks first (on our copy), then copies; the guest's memory is read once.
 */
#include <core/dev/teemed.h>

#include <lib/string.h>

#define ATTR_KNOWN (OPTEE_MSG_ATTR_TYPE_MASK | OPTEE_MSG_ATTR_META)

static bool is_tmem(uint32_t t)
{
    return t == OPTEE_MSG_ATTR_TYPE_TMEM_INPUT || t == OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT ||
           t == OPTEE_MSG_ATTR_TYPE_TMEM_INOUT;
}

static bool is_value(uint32_t t)
{
    return t >= OPTEE_MSG_ATTR_TYPE_VALUE_INPUT && t <= OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
}

/* [ipa, ipa + len) inside the window (overflow-safe for any guest values). */
static bool in_shm(const struct teemed_shm *shm, uint64_t ipa, uint64_t len)
{
    return ipa >= shm->ipa && ipa - shm->ipa <= shm->size && len <= shm->size - (ipa - shm->ipa);
}

uint32_t teemed_prepare(const struct teemed_shm *shm, uint64_t arg_ipa,
                        const struct teemed_bounce *b, struct teemed_call *c)
{
    struct optee_msg_arg *a = (struct optee_msg_arg *)(void *)b->host;
    uint64_t data = BH_TEE_ARG_MAX;

    if ((arg_ipa & 7) != 0 || !in_shm(shm, arg_ipa, sizeof(*a))) {
        return OPTEE_SMC_RETURN_EBADADDR;
    }
    memcpy(a, shm->host + (arg_ipa - shm->ipa), sizeof(*a));
    if (a->num_params > BH_TEE_PARAMS_MAX ||
        !in_shm(shm, arg_ipa, sizeof(*a) + 32u * a->num_params)) {
        return OPTEE_SMC_RETURN_EBADADDR;
    }
    memcpy(a->params, shm->host + (arg_ipa - shm->ipa) + sizeof(*a), 32u * a->num_params);
    c->arg_ipa = arg_ipa;
    c->num_params = a->num_params;
    for (uint32_t i = 0; i < c->num_params; i++) {
        struct optee_msg_param *p = &a->params[i];
        uint32_t t = (uint32_t)(p->attr & OPTEE_MSG_ATTR_TYPE_MASK);
        c->type[i] = t;
        c->buf_ipa[i] = c->cap[i] = c->data_off[i] = 0;
        if ((p->attr & ~(uint64_t)ATTR_KNOWN) != 0 ||
            (t != OPTEE_MSG_ATTR_TYPE_NONE && !is_value(t) && !is_tmem(t))) {
            return OPTEE_SMC_RETURN_EBADADDR; /* registered/dynamic memory: not offered */
        }
        if (!is_tmem(t)) {
            continue;
        }
        if (p->u.tmem.buf_ptr == 0) {
            p->u.tmem.size = 0; /* a null memref: no room, outputs report what they need */
            continue;
        }
        if (p->u.tmem.size > BH_TEE_MEMREF_MAX || !in_shm(shm, p->u.tmem.buf_ptr,
                                                          p->u.tmem.size) ||
            p->u.tmem.size > TEEMED_BOUNCE_BYTES - data) {
            return OPTEE_SMC_RETURN_EBADADDR;
        }
        c->buf_ipa[i] = p->u.tmem.buf_ptr;
        c->cap[i] = p->u.tmem.size;
        c->data_off[i] = data;
        if (t == OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT) {
            memset(b->host + data, 0, (size_t)c->cap[i]);
        } else {
            memcpy(b->host + data, shm->host + (c->buf_ipa[i] - shm->ipa), (size_t)c->cap[i]);
        }
        p->u.tmem.buf_ptr = b->pa + data;
        data += (c->cap[i] + 7) & ~UINT64_C(7);
    }
    c->used = data > TEEMED_BOUNCE_BYTES ? TEEMED_BOUNCE_BYTES : data;
    return OPTEE_SMC_RETURN_OK;
}

void teemed_finish(const struct teemed_shm *shm, const struct teemed_bounce *b,
                   const struct teemed_call *c)
{
    const struct optee_msg_arg *a = (const struct optee_msg_arg *)(const void *)b->host;
    uint8_t *g = shm->host + (c->arg_ipa - shm->ipa);
    struct optee_msg_arg *ga = (struct optee_msg_arg *)(void *)g;

    /* the guest's message is in its window (checked by prepare): write fields, read nothing */
    ga->session = a->session;
    ga->ret = a->ret;
    ga->ret_origin = a->ret_origin;
    for (uint32_t i = 0; i < c->num_params; i++) {
        struct optee_msg_param *gp = &ga->params[i];
        const struct optee_msg_param *p = &a->params[i];
        uint32_t t = c->type[i];
        if (t == OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT || t == OPTEE_MSG_ATTR_TYPE_VALUE_INOUT) {
            gp->u.value.a = p->u.value.a;
            gp->u.value.b = p->u.value.b;
            gp->u.value.c = p->u.value.c;
        } else if (is_tmem(t)) {
            uint64_t n = p->u.tmem.size < c->cap[i] ? p->u.tmem.size : c->cap[i];
            gp->u.tmem.size = p->u.tmem.size;
            if (t != OPTEE_MSG_ATTR_TYPE_TMEM_INPUT && n != 0) {
                memcpy(shm->host + (c->buf_ipa[i] - shm->ipa), b->host + c->data_off[i],
                       (size_t)n);
            }
        }
    }
}
