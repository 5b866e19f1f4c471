// SPDX-License-Identifier: MIT
/*
 * The Trusted OS side of the OP-TEE SMC and message ABI (include/bulkhead/optee.h,
 * docs/TRUST.md "OP-TEE"): the subset Linux's stock `optee` driver and `optee-rng` need, and
 * three Trusted Applications built in: OP-TEE's device-enumeration pseudo TA (so the tee bus
 * finds the RNG TA), the RNG TA of optee-rng, and Bulkhead's sealing TA (the key store's
 * seal/unseal, bound to the calling VM).
 *
 * Only the hypervisor reaches this code (the firmware's dispatcher checks SPSR_EL3.M): it mediates each
 * VM's calls, passes the VM's client id in w7 and gives CALL_WITH_ARG the physical address of
 * its own bounce copy of the guest's message, whose memory references it has translated to
 * bounce buffers too. Still, nothing the normal world wrote is trusted here: the message and
 * every memory reference are bounded to the hypervisor's window, copied into secure SRAM
 * before they are read, and written back only where the protocol says (ret, ret_origin,
 * session, output values, memref sizes and output data up to the size the caller gave).
 *
 * Calls are synchronous: a call completes in one SMC, no RPC is ever returned (so
 * RETURN_FROM_RPC is not needed), and there is no shared-memory cache to disable. Sessions:
 * OPTEE_SESSIONS slots, at most OPTEE_SESSIONS_PER_CLIENT per VM, so no VM can use up
 * another's. Runs in the secure partition (S-EL1), one call at a time (the firmware's lock).
 */
#include "sp.h"

#include <bulkhead/abi.h>
#include <bulkhead/optee.h>
#include <bulkhead/secsvc.h>
#include <lib/string.h>

#define OPTEE_SESSIONS            32u
#define OPTEE_SESSIONS_PER_CLIENT 4u
#define OPTEE_TA_PARAMS           4u   /* GlobalPlatform: four parameters per call */
#define ATTR_KNOWN (OPTEE_MSG_ATTR_TYPE_MASK | OPTEE_MSG_ATTR_META)

enum ta_id { TA_NONE, TA_DEVICES, TA_RNG, TA_SEAL };

static const struct {
    uint8_t uuid[16];
    uint8_t id;
} tas[] = {
    { BH_TA_DEVICES_UUID, TA_DEVICES },
    { BH_TA_RNG_UUID, TA_RNG },
    { BH_TA_SEAL_UUID, TA_SEAL },
};

static const uint8_t rng_uuid[16] = BH_TA_RNG_UUID;

/* A parameter as a TA sees it: its type, the value, or the SRAM copy of its memory. */
struct ta_param {
    uint32_t type;
    struct optee_msg_param *p;  /* in ot.arg: value fields and the memref size */
    uint8_t *mem;               /* ot.mem[i], cap bytes */
    uint64_t cap;               /* the size the caller gave (0 for a null memref) */
};

static struct {
    struct { uint8_t ta, client; uint16_t gen; } sess[OPTEE_SESSIONS];
    union {
        struct optee_msg_arg a;
        uint8_t bytes[BH_TEE_ARG_MAX];
    } arg;
    uint8_t mem[BH_TEE_PARAMS_MAX][BH_TEE_MEMREF_MAX];
} ot;

static bool is_tmem(uint32_t t)
{
    return t == OPTEE_MSG_ATTR_TYPE_TMEM_INPUT || t == OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT ||
           t == OPTEE_MSG_ATTR_TYPE_TMEM_INOUT;
}

static bool is_value(uint32_t t)
{
    return t >= OPTEE_MSG_ATTR_TYPE_VALUE_INPUT && t <= OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
}

/* The TA's parameters are exactly these types (missing ones are NONE). */
static bool types_are(const struct ta_param *tp, unsigned n, uint32_t t0, uint32_t t1)
{
    const uint32_t want[OPTEE_TA_PARAMS] = { t0, t1, OPTEE_MSG_ATTR_TYPE_NONE,
                                             OPTEE_MSG_ATTR_TYPE_NONE };
    for (unsigned i = 0; i < OPTEE_TA_PARAMS; i++) {
        if ((i < n ? tp[i].type : OPTEE_MSG_ATTR_TYPE_NONE) != want[i]) {
            return false;
        }
    }
    return n <= OPTEE_TA_PARAMS;
}

static uint32_t ta_devices(uint32_t cmd, struct ta_param *tp, unsigned n)
{
    if (!types_are(tp, n, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, OPTEE_MSG_ATTR_TYPE_NONE)) {
        return TEEC_ERROR_BAD_PARAMETERS;
    }
    if (cmd == BH_TA_DEVICES_CMD_GET_DEVICES_SUPP) {
        tp[0].p->u.tmem.size = 0; /* no TA here needs tee-supplicant */
        return TEEC_SUCCESS;
    }
    if (cmd != BH_TA_DEVICES_CMD_GET_DEVICES) {
        return TEEC_ERROR_NOT_SUPPORTED;
    }
    tp[0].p->u.tmem.size = sizeof(rng_uuid); /* the sealing TA has no kernel driver */
    if (tp[0].cap < sizeof(rng_uuid)) {
        return TEEC_ERROR_SHORT_BUFFER;
    }
    memcpy(tp[0].mem, rng_uuid, sizeof(rng_uuid));
    return TEEC_SUCCESS;
}

static uint32_t ta_rng(uint32_t cmd, struct ta_param *tp, unsigned n)
{
    if (cmd == BH_TA_RNG_CMD_GET_RNG_INFO) {
        if (!types_are(tp, n, OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT, OPTEE_MSG_ATTR_TYPE_NONE)) {
            return TEEC_ERROR_BAD_PARAMETERS;
        }
        tp[0].p->u.value.a = 0; /* rate: not limited, every request is filled */
        tp[0].p->u.value.b = 0; /* quality: the kernel's default (QEMU: no real entropy) */
        tp[0].p->u.value.c = 0;
        return TEEC_SUCCESS;
    }
    if (cmd != BH_TA_RNG_CMD_GET_ENTROPY) {
        return TEEC_ERROR_NOT_SUPPORTED;
    }
    if (!types_are(tp, n, OPTEE_MSG_ATTR_TYPE_TMEM_INOUT, OPTEE_MSG_ATTR_TYPE_NONE) ||
        tp[0].cap == 0) {
        return TEEC_ERROR_BAD_PARAMETERS;
    }
    if (!secsvc_random_bytes(tp[0].mem, tp[0].cap)) {
        tp[0].p->u.tmem.size = 0;
        return TEEC_ERROR_BUSY;
    }
    tp[0].p->u.tmem.size = tp[0].cap;
    return TEEC_SUCCESS;
}

static uint32_t ta_seal(uint32_t cmd, struct ta_param *tp, unsigned n, int vm)
{
    uint64_t len, need;
    int64_t r;

    if (cmd != BH_TA_SEAL_CMD_SEAL && cmd != BH_TA_SEAL_CMD_UNSEAL) {
        return TEEC_ERROR_NOT_SUPPORTED;
    }
    if (!types_are(tp, n, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT)) {
        return TEEC_ERROR_BAD_PARAMETERS;
    }
    len = tp[0].cap;
    if (cmd == BH_TA_SEAL_CMD_SEAL) {
        if (len == 0 || len > BH_SEC_DATA_MAX) {
            return TEEC_ERROR_BAD_PARAMETERS;
        }
        need = len + BH_SEAL_OVERHEAD;
    } else {
        if (len <= BH_SEAL_OVERHEAD || len > BH_SEC_DATA_MAX + BH_SEAL_OVERHEAD) {
            return TEEC_ERROR_BAD_FORMAT;
        }
        need = len - BH_SEAL_OVERHEAD;
    }
    if (tp[1].cap < need) {
        tp[1].p->u.tmem.size = need;
        return TEEC_ERROR_SHORT_BUFFER;
    }
    r = secsvc_seal_vm(vm, cmd == BH_TA_SEAL_CMD_UNSEAL, tp[0].mem, len, tp[1].mem, tp[1].cap);
    if (r < 0) {
        tp[1].p->u.tmem.size = 0;
        return r == BH_E_DENIED ? TEEC_ERROR_ACCESS_DENIED :
               r == BH_E_NOENT ? TEEC_ERROR_ITEM_NOT_FOUND : TEEC_ERROR_BAD_PARAMETERS;
    }
    tp[1].p->u.tmem.size = (uint64_t)r;
    return TEEC_SUCCESS;
}

/* The session slot of id for client, or -1. Ids are (generation << 8) | (slot + 1). */
static int session_find(uint32_t id, unsigned client)
{
    uint32_t slot = (id & 0xff) - 1;

    if (slot >= OPTEE_SESSIONS || ot.sess[slot].ta == TA_NONE ||
        ot.sess[slot].client != client || (id >> 8) != ot.sess[slot].gen) {
        return -1;
    }
    return (int)slot;
}

static void open_session(struct optee_msg_arg *a, unsigned client)
{
    const struct optee_msg_param *p = a->params;
    const uint32_t meta_in = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
    unsigned used = 0, free_slot = OPTEE_SESSIONS;
    uint8_t ta = TA_NONE;

    a->ret_origin = TEEC_ORIGIN_TEE;
    if (a->num_params < 2 || p[0].attr != meta_in || p[1].attr != meta_in) {
        a->ret = TEEC_ERROR_BAD_PARAMETERS;
        return;
    }
    for (unsigned i = 0; i < sizeof(tas) / sizeof(tas[0]); i++) {
        if (memcmp(p[0].u.octets, tas[i].uuid, 16) == 0) {
            ta = tas[i].id;
        }
    }
    if (ta == TA_NONE) {
        a->ret = TEEC_ERROR_ITEM_NOT_FOUND;
        return;
    }
    for (unsigned i = 0; i < OPTEE_SESSIONS; i++) {
        if (ot.sess[i].ta != TA_NONE && ot.sess[i].client == client) {
            used++;
        } else if (ot.sess[i].ta == TA_NONE && free_slot == OPTEE_SESSIONS) {
            free_slot = i;
        }
    }
    if (used >= OPTEE_SESSIONS_PER_CLIENT || free_slot == OPTEE_SESSIONS) {
        a->ret = TEEC_ERROR_OUT_OF_MEMORY;
        return;
    }
    ot.sess[free_slot].ta = ta;
    ot.sess[free_slot].client = (uint8_t)client;
    a->session = (uint32_t)ot.sess[free_slot].gen << 8 | (free_slot + 1);
    a->ret = TEEC_SUCCESS;
    a->ret_origin = TEEC_ORIGIN_TRUSTED_APP;
}

static void invoke(struct optee_msg_arg *a, struct ta_param *tp, unsigned client)
{
    int s = session_find(a->session, client);
    unsigned n = a->num_params;

    if (s < 0) {
        a->ret = TEEC_ERROR_ITEM_NOT_FOUND;
        a->ret_origin = TEEC_ORIGIN_TEE;
        return;
    }
    a->ret_origin = TEEC_ORIGIN_TRUSTED_APP;
    switch (ot.sess[s].ta) {
    case TA_DEVICES:
        a->ret = ta_devices(a->func, tp, n);
        break;
    case TA_RNG:
        a->ret = ta_rng(a->func, tp, n);
        break;
    default:
        a->ret = ta_seal(a->func, tp, n, (int)client - 1);
        break;
    }
}

/* Copies the message and its memrefs in (checked); EBADADDR when any is out of bounds. */
static uint32_t fetch(uint64_t pa, struct ta_param *tp)
{
    struct optee_msg_arg *a = &ot.arg.a;

    if ((pa & 7) != 0 || !secsvc_hyp_buffer_ok(pa, sizeof(*a))) {
        return OPTEE_SMC_RETURN_EBADADDR;
    }
    memcpy(a, (const void *)(uintptr_t)pa, sizeof(*a));
    if (a->num_params > BH_TEE_PARAMS_MAX ||
        !secsvc_hyp_buffer_ok(pa, sizeof(*a) + 32u * a->num_params)) {
        return OPTEE_SMC_RETURN_EBADADDR;
    }
    memcpy(a->params, (const void *)(uintptr_t)(pa + sizeof(*a)), 32u * a->num_params);
    for (unsigned i = 0; i < a->num_params; i++) {
        struct optee_msg_param *p = &a->params[i];
        uint32_t t = (uint32_t)(p->attr & OPTEE_MSG_ATTR_TYPE_MASK);
        tp[i] = (struct ta_param){ .type = t, .p = p, .mem = ot.mem[i], .cap = 0 };
        if ((p->attr & ~(uint64_t)ATTR_KNOWN) != 0 || (t != OPTEE_MSG_ATTR_TYPE_NONE &&
                                                       !is_value(t) && !is_tmem(t))) {
            return OPTEE_SMC_RETURN_EBADADDR;
        }
        if (!is_tmem(t) || p->u.tmem.buf_ptr == 0) {
            continue; /* a null memref has no room: outputs report the size they need */
        }
        if (p->u.tmem.size > BH_TEE_MEMREF_MAX ||
            !secsvc_hyp_buffer_ok(p->u.tmem.buf_ptr, p->u.tmem.size)) {
            return OPTEE_SMC_RETURN_EBADADDR;
        }
        tp[i].cap = p->u.tmem.size;
        memset(ot.mem[i], 0, BH_TEE_MEMREF_MAX);
        if (t != OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT) {
            memcpy(ot.mem[i], (const void *)(uintptr_t)p->u.tmem.buf_ptr, (size_t)tp[i].cap);
        }
    }
    return OPTEE_SMC_RETURN_OK;
}

/* Writes the results back: the message as it now is (its addresses are the caller's own,
 * unchanged) and each output memref up to the smaller of its new and its given size. */
static void store(uint64_t pa, const struct ta_param *tp)
{
    const struct optee_msg_arg *a = &ot.arg.a;

    for (unsigned i = 0; i < a->num_params; i++) {
        uint64_t n = a->params[i].u.tmem.size < tp[i].cap ? a->params[i].u.tmem.size : tp[i].cap;
        if (tp[i].cap != 0 && tp[i].type != OPTEE_MSG_ATTR_TYPE_TMEM_INPUT && n != 0) {
            memcpy((void *)(uintptr_t)a->params[i].u.tmem.buf_ptr, tp[i].mem, (size_t)n);
        }
    }
    memcpy((void *)(uintptr_t)pa, a, sizeof(*a) + 32u * a->num_params);
    memset(ot.mem, 0, sizeof(ot.mem));
}

static uint64_t call_with_arg(uint64_t pa, unsigned client)
{
    struct ta_param tp[BH_TEE_PARAMS_MAX];
    struct optee_msg_arg *a = &ot.arg.a;
    uint32_t r = fetch(pa, tp);
    int s;

    if (r != OPTEE_SMC_RETURN_OK) {
        memset(ot.mem, 0, sizeof(ot.mem));
        return r;
    }
    switch (a->cmd) {
    case OPTEE_MSG_CMD_OPEN_SESSION:
        open_session(a, client);
        break;
    case OPTEE_MSG_CMD_INVOKE_COMMAND:
        invoke(a, tp, client);
        break;
    case OPTEE_MSG_CMD_CLOSE_SESSION:
        s = session_find(a->session, client);
        if (s >= 0) {
            ot.sess[s].ta = TA_NONE;
            ot.sess[s].gen++; /* a stale id no longer matches */
        }
        a->ret = s >= 0 ? TEEC_SUCCESS : TEEC_ERROR_ITEM_NOT_FOUND;
        a->ret_origin = TEEC_ORIGIN_TEE;
        break;
    default:
        memset(ot.mem, 0, sizeof(ot.mem));
        return OPTEE_SMC_RETURN_EBADCMD;
    }
    store(pa, tp);
    return OPTEE_SMC_RETURN_OK;
}

bool optee_is_call(uint32_t fid)
{
    unsigned oen = (fid >> 24) & 0x3f;

    return oen >= OPTEE_SMC_OEN_TOS && oen <= OPTEE_SMC_OEN_TOS_END;
}

void optee_call(struct sp_frame *f, uint32_t fid)
{
    uint32_t client = (uint32_t)f->x[7];
    uint64_t arg_pa = (uint64_t)(uint32_t)f->x[1] << 32 | (uint32_t)f->x[2];

    f->x[1] = f->x[2] = f->x[3] = 0;
    switch (fid) {
    case OPTEE_SMC_CALLS_UID:
        f->x[0] = OPTEE_MSG_UID_0;
        f->x[1] = OPTEE_MSG_UID_1;
        f->x[2] = OPTEE_MSG_UID_2;
        f->x[3] = OPTEE_MSG_UID_3;
        return;
    case OPTEE_SMC_CALLS_REVISION:
        f->x[0] = OPTEE_MSG_REVISION_MAJOR;
        f->x[1] = OPTEE_MSG_REVISION_MINOR;
        return;
    case OPTEE_SMC_GET_OS_UUID:
        f->x[0] = BH_TOS_UUID_0;
        f->x[1] = BH_TOS_UUID_1;
        f->x[2] = BH_TOS_UUID_2;
        f->x[3] = BH_TOS_UUID_3;
        return;
    case OPTEE_SMC_GET_OS_REVISION:
        f->x[0] = 1; /* 1.0 */
        return;
    case OPTEE_SMC_EXCHANGE_CAPABILITIES:
        f->x[0] = OPTEE_SMC_RETURN_OK;
        f->x[1] = OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM;
        return;
    case OPTEE_SMC_ENABLE_SHM_CACHE:
        f->x[0] = OPTEE_SMC_RETURN_OK; /* nothing is cached: nothing to do */
        return;
    case OPTEE_SMC_DISABLE_SHM_CACHE:
    case OPTEE_SMC_GET_SHM_CONFIG: /* the hypervisor's, per VM */
        f->x[0] = OPTEE_SMC_RETURN_ENOTAVAIL;
        return;
    case OPTEE_SMC_CALL_WITH_ARG:
        if (client < 1 || client > FW_MAX_CLIENTS) {
            f->x[0] = OPTEE_SMC_RETURN_EBADCMD; /* a VM's call, never the hypervisor's */
            return;
        }
        f->x[0] = call_with_arg(arg_pa, client);
        return;
    default:
        f->x[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
        return;
    }
}
