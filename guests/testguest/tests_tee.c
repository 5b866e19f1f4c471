// SPDX-License-Identifier: MIT
/*
 * The OP-TEE mediation from a bare-metal guest (docs/TRUST.md "OP-TEE",
 * tests/scenarios/v-fw-optee.test), booted through Bulkhead's EL3 firmware:
 *   tg.mode=tee        a VM allowed "tee" as a well-behaved client: the discovery calls, its
 *                      shared window (GET_SHM_CONFIG), sessions to the RNG and sealing TAs,
 *                      entropy, a secret sealed and unsealed, a foreign session refused
 *   tg.mode=teedeny    a VM without "tee": the OP-TEE calls answer NOT_SUPPORTED (recorded)
 *   tg.mode=teehostile a VM allowed "tee" hammering the mediator and the Trusted OS: messages
 *                      and memrefs outside its window, unaligned, wrapping, too many
 *                      parameters, unknown types, oversized memrefs, junk sessions, session
 *                      exhaustion, junk fast calls; then the well-formed calls above still
 *                      work
 */
#include <string.h>

#include <bulkhead/optee.h>
#include <bulkhead/secsvc.h>

#include "bootargs.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "tests.h"

static uint64_t shm_ipa, shm_size;
static const uint8_t rng_uuid[16] = BH_TA_RNG_UUID, seal_uuid[16] = BH_TA_SEAL_UUID;
static const uint8_t dev_uuid[16] = BH_TA_DEVICES_UUID;

/* x0 and x1..x3 of an SMC (w7 left 0: the hypervisor puts the client id there). */
static int64_t smc_regs(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t r[3])
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = 0;
    register uint64_t x7 __asm__("x7") = 0x5a5a; /* junk: must be replaced by the client id */

    __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x7) : : "memory");
    r[0] = x1;
    r[1] = x2;
    r[2] = x3;
    return (int64_t)x0;
}

static struct optee_msg_arg *arg_at(uint64_t off)
{
    return (struct optee_msg_arg *)(uintptr_t)(shm_ipa + off);
}

/* CALL_WITH_ARG on the message at ipa: a0. */
static uint32_t call_arg(uint64_t ipa)
{
    uint64_t r[3];
    return (uint32_t)smc_regs(OPTEE_SMC_CALL_WITH_ARG, ipa >> 32, (uint32_t)ipa, r);
}

/* A session to uuid: the id, or 0 with *ret the TEE's answer. */
static uint32_t open_session(const uint8_t uuid[16], uint32_t *ret)
{
    struct optee_msg_arg *a = arg_at(0);

    memset(a, 0, sizeof(*a) + 2 * sizeof(a->params[0]));
    a->cmd = OPTEE_MSG_CMD_OPEN_SESSION;
    a->num_params = 2;
    a->params[0].attr = a->params[1].attr = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
    memcpy(a->params[0].u.octets, uuid, 16);
    uint32_t a0 = call_arg(shm_ipa);
    if (a0 != OPTEE_SMC_RETURN_OK) {
        *ret = 0xdead0000u | a0; /* the SMC itself failed: its a0 */
        return 0;
    }
    *ret = a->ret;
    return a->ret == TEEC_SUCCESS ? a->session : 0;
}

static uint32_t close_session(uint32_t s)
{
    struct optee_msg_arg *a = arg_at(0);

    memset(a, 0, sizeof(*a));
    a->cmd = OPTEE_MSG_CMD_CLOSE_SESSION;
    a->session = s;
    return call_arg(shm_ipa) == OPTEE_SMC_RETURN_OK ? a->ret : 0xdead;
}

/* Invoke with p0/p1 as memrefs into the window at offsets 0x1000/0x2000 (types t0, t1). */
static uint32_t invoke2(uint32_t s, uint32_t func, uint32_t t0, uint64_t n0, uint32_t t1,
                        uint64_t n1, uint64_t *size0, uint64_t *size1)
{
    struct optee_msg_arg *a = arg_at(0);

    memset(a, 0, sizeof(*a) + 4 * sizeof(a->params[0]));
    a->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
    a->func = func;
    a->session = s;
    a->num_params = 4;
    a->params[0].attr = t0;
    a->params[0].u.tmem.buf_ptr = shm_ipa + 0x1000;
    a->params[0].u.tmem.size = n0;
    a->params[1].attr = t1;
    a->params[1].u.tmem.buf_ptr = t1 == OPTEE_MSG_ATTR_TYPE_NONE ? 0 : shm_ipa + 0x2000;
    a->params[1].u.tmem.size = n1;
    if (call_arg(shm_ipa) != OPTEE_SMC_RETURN_OK) {
        return 0xdead;
    }
    *size0 = a->params[0].u.tmem.size;
    *size1 = a->params[1].u.tmem.size;
    return a->ret;
}

static bool discover(void)
{
    uint64_t r[3];
    int64_t x0 = smc_regs(OPTEE_SMC_CALLS_UID, 0, 0, r);

    report((uint32_t)x0 == OPTEE_MSG_UID_0 && r[0] == OPTEE_MSG_UID_1 && r[1] == OPTEE_MSG_UID_2 &&
           r[2] == OPTEE_MSG_UID_3, "tee: CALLS_UID is OP-TEE's message API");
    x0 = smc_regs(OPTEE_SMC_CALLS_REVISION, 0, 0, r);
    report(x0 == OPTEE_MSG_REVISION_MAJOR, "tee: message API revision %lld.%llu", (long long)x0,
           (unsigned long long)r[0]);
    x0 = smc_regs(OPTEE_SMC_EXCHANGE_CAPABILITIES, 0, 0, r);
    report(x0 == 0 && r[0] == OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM,
           "tee: capabilities = static shared memory only (0x%llx)", (unsigned long long)r[0]);
    x0 = smc_regs(OPTEE_SMC_GET_SHM_CONFIG, 0, 0, r);
    shm_ipa = r[0];
    shm_size = r[1];
    report(x0 == 0 && shm_size >= 0x10000 && shm_ipa + shm_size == platform_mem_highest_end() &&
           r[2] == OPTEE_SMC_SHM_CACHED, "tee: shared window 0x%llx+0x%llx at the top of RAM",
           (unsigned long long)shm_ipa, (unsigned long long)shm_size);
    return x0 == 0 && shm_size >= 0x10000;
}

/* The well-formed client: both TAs work, a closed session is gone. */
static void client(void)
{
    uint32_t ret, s = open_session(rng_uuid, &ret);
    uint64_t n0 = 0, n1 = 0;
    uint8_t *m0 = (uint8_t *)(uintptr_t)(shm_ipa + 0x1000);
    uint8_t *m1 = (uint8_t *)(uintptr_t)(shm_ipa + 0x2000);
    static const char secret[] = "bare-metal secret";

    report(s != 0, "tee: session to the RNG TA (ret 0x%x)", ret);
    memset(m0, 0, 64);
    ret = invoke2(s, BH_TA_RNG_CMD_GET_ENTROPY, OPTEE_MSG_ATTR_TYPE_TMEM_INOUT, 64,
                  OPTEE_MSG_ATTR_TYPE_NONE, 0, &n0, &n1);
    uint8_t first[64];
    memcpy(first, m0, 64);
    ret |= invoke2(s, BH_TA_RNG_CMD_GET_ENTROPY, OPTEE_MSG_ATTR_TYPE_TMEM_INOUT, 64,
                   OPTEE_MSG_ATTR_TYPE_NONE, 0, &n0, &n1);
    report(ret == 0 && n0 == 64 && memcmp(first, m0, 64) != 0,
           "tee: GET_ENTROPY twice: 64 bytes that differ");
    report(close_session(s) == 0, "tee: session closed");
    ret = invoke2(s, BH_TA_RNG_CMD_GET_ENTROPY, OPTEE_MSG_ATTR_TYPE_TMEM_INOUT, 64,
                  OPTEE_MSG_ATTR_TYPE_NONE, 0, &n0, &n1);
    report(ret == TEEC_ERROR_ITEM_NOT_FOUND, "tee: a closed session is gone (0x%x)", ret);

    s = open_session(seal_uuid, &ret);
    report(s != 0, "tee: session to the sealing TA");
    memcpy(m0, secret, sizeof(secret));
    ret = invoke2(s, BH_TA_SEAL_CMD_SEAL, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, sizeof(secret),
                  OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, 16, &n0, &n1);
    report(ret == TEEC_ERROR_SHORT_BUFFER && n1 == sizeof(secret) + BH_SEAL_OVERHEAD,
           "tee: seal into 16 bytes: SHORT_BUFFER, %llu needed", (unsigned long long)n1);
    ret = invoke2(s, BH_TA_SEAL_CMD_SEAL, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, sizeof(secret),
                  OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, 512, &n0, &n1);
    report(ret == 0 && n1 == sizeof(secret) + BH_SEAL_OVERHEAD, "tee: sealed (%llu bytes)",
           (unsigned long long)n1);
    memcpy(m0, m1, (size_t)n1);
    memset(m1, 0, 512);
    uint64_t bl = n1;
    ret = invoke2(s, BH_TA_SEAL_CMD_UNSEAL, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, bl,
                  OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, 512, &n0, &n1);
    report(ret == 0 && n1 == sizeof(secret) && memcmp(m1, secret, sizeof(secret)) == 0,
           "tee: unsealed: the secret back");
    m0[40] ^= 1;
    ret = invoke2(s, BH_TA_SEAL_CMD_UNSEAL, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, bl,
                  OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, 512, &n0, &n1);
    report(ret == TEEC_ERROR_ACCESS_DENIED, "tee: an altered blob is refused (0x%x)", ret);
    report(close_session(s) == 0, "tee: sealing session closed");
}

void tests_tee(void)
{
    if (discover()) {
        uint32_t ret, s = open_session(dev_uuid, &ret);
        uint64_t n0 = 0, n1 = 0;
        ret = invoke2(s, BH_TA_DEVICES_CMD_GET_DEVICES, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, 64,
                      OPTEE_MSG_ATTR_TYPE_NONE, 0, &n0, &n1);
        report(ret == 0 && n0 == 16 && memcmp((void *)(uintptr_t)(shm_ipa + 0x1000), rng_uuid,
                                              16) == 0, "tee: the device TA lists the RNG TA");
        (void)close_session(s);
        client();
    }
    tg_finish();
}

void tests_teedeny(void)
{
    uint64_t r[3];

    report(smc_regs(OPTEE_SMC_CALLS_UID, 0, 0, r) == -1, "teedeny: CALLS_UID = -1");
    report(smc_regs(OPTEE_SMC_GET_SHM_CONFIG, 0, 0, r) == -1, "teedeny: GET_SHM_CONFIG = -1");
    report(smc_regs(OPTEE_SMC_CALL_WITH_ARG, 0, 0x40000000, r) == -1,
           "teedeny: CALL_WITH_ARG = -1");
    tg_finish();
}

static uint64_t junk(void)
{
    static uint64_t s = 0x2545f4914f6cdd1dULL;
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

/* Messages the mediator must refuse before the secure world sees them: EBADADDR. */
static void bad_messages(void)
{
    uint64_t lo = platform_mem_lowest(), end = shm_ipa + shm_size;
    const uint64_t where[] = { 0, lo, shm_ipa - 32, shm_ipa + 4, end - 16, end, UINT64_MAX - 7,
                               0x09000000, 0x08000000 };
    unsigned refused = 0, total = 0;
    struct optee_msg_arg *a = arg_at(0x100);

    for (unsigned i = 0; i < sizeof(where) / sizeof(where[0]); i++, total++) {
        refused += call_arg(where[i]) == OPTEE_SMC_RETURN_EBADADDR;
    }
    /* well placed, bad contents */
    for (unsigned k = 0; k < 8; k++, total++) {
        memset(a, 0, sizeof(*a) + 6 * sizeof(a->params[0]));
        a->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
        a->num_params = 1;
        a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INOUT;
        a->params[0].u.tmem.buf_ptr = shm_ipa + 0x1000;
        a->params[0].u.tmem.size = 64;
        switch (k) {
        case 0: a->num_params = 7; break;                            /* too many */
        case 1: a->num_params = 0xffffffff; break;                   /* huge */
        case 2: a->params[0].u.tmem.buf_ptr = lo; break;            /* memref outside */
        case 3: a->params[0].u.tmem.size = BH_TEE_MEMREF_MAX + 1; break;
        case 4: a->params[0].u.tmem.buf_ptr = end - 8; break;       /* runs past */
        case 5: a->params[0].u.tmem.buf_ptr = UINT64_MAX - 8; break; /* wraps */
        case 6: a->params[0].attr = 0x5; break;                      /* RMEM: not offered */
        default: a->params[0].attr = 0x1000 | OPTEE_MSG_ATTR_TYPE_TMEM_INOUT; break;
        }
        refused += call_arg(shm_ipa + 0x100) == OPTEE_SMC_RETURN_EBADADDR;
    }
    report(refused == total, "hostile: %u of %u bad messages refused with EBADADDR", refused,
           total);
    /* memrefs of 4 KiB each: three overflow the mediator's 8 KiB */
    memset(a, 0, sizeof(*a) + 3 * sizeof(a->params[0]));
    a->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
    a->num_params = 3;
    for (unsigned i = 0; i < 3; i++) {
        a->params[i].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INPUT;
        a->params[i].u.tmem.buf_ptr = shm_ipa + 0x1000;
        a->params[i].u.tmem.size = BH_TEE_MEMREF_MAX;
    }
    report(call_arg(shm_ipa + 0x100) == OPTEE_SMC_RETURN_EBADADDR,
           "hostile: 12 KiB of memrefs in one call refused");
}

/* Well-formed messages with junk meaning: the Trusted OS answers each, nothing breaks. */
static void bad_sessions(void)
{
    uint32_t ret, ids[8], opened = 0, sane = 0;
    uint64_t n0, n1;

    for (unsigned i = 0; i < 200; i++) {
        ret = invoke2((uint32_t)junk(), (uint32_t)junk(), OPTEE_MSG_ATTR_TYPE_TMEM_INOUT, 64,
                      OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, junk() % 4097, &n0, &n1);
        sane += ret != 0 && ret != 0xdead;
        sane += close_session((uint32_t)junk()) == TEEC_ERROR_ITEM_NOT_FOUND;
    }
    report(sane == 400, "hostile: 200 junk invokes and closes refused (%u)", sane);
    for (unsigned i = 0; i < 8; i++) {
        ids[i] = open_session(seal_uuid, &ret);
        opened += ids[i] != 0;
    }
    report(opened == 4 && ret == TEEC_ERROR_OUT_OF_MEMORY,
           "hostile: 4 sessions per VM, the 5th refused (0x%x)", ret);
    for (unsigned i = 0; i < 8; i++) {
        if (ids[i]) {
            (void)close_session(ids[i]);
        }
    }
    uint8_t junk_uuid[16];
    for (unsigned i = 0; i < 16; i++) {
        junk_uuid[i] = (uint8_t)junk();
    }
    report(open_session(junk_uuid, &ret) == 0 && ret == TEEC_ERROR_ITEM_NOT_FOUND,
           "hostile: an unknown TA: ITEM_NOT_FOUND");
    /* the sealing TA with wrong parameter types and sizes */
    uint32_t s = open_session(seal_uuid, &ret);
    ret = invoke2(s, BH_TA_SEAL_CMD_SEAL, OPTEE_MSG_ATTR_TYPE_VALUE_INPUT, 0,
                  OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, 512, &n0, &n1);
    sane = ret == TEEC_ERROR_BAD_PARAMETERS;
    ret = invoke2(s, BH_TA_SEAL_CMD_UNSEAL, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, 20,
                  OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, 512, &n0, &n1);
    sane += ret == TEEC_ERROR_BAD_FORMAT;
    ret = invoke2(s, BH_TA_SEAL_CMD_SEAL, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, 2000,
                  OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, 4096, &n0, &n1);
    sane += ret == TEEC_ERROR_BAD_PARAMETERS;
    (void)close_session(s);
    report(sane == 3, "hostile: the sealing TA refuses wrong types and sizes");
}

static void junk_calls(void)
{
    uint64_t r[3];
    unsigned calls = 0;

    for (unsigned i = 0; i < 64; i++) {
        uint32_t fid = (i & 1 ? 0xb2000000u : 0x32000000u) | (uint32_t)(junk() % 32);
        if (fid == OPTEE_SMC_CALL_WITH_ARG) {
            continue;
        }
        (void)smc_regs(fid, junk(), junk(), r);
        (void)smc_regs(0xbf00ff00u | (uint32_t)(junk() & 0xff), junk(), junk(), r);
        calls += 2;
    }
    report(calls > 100, "hostile: %u junk Trusted OS calls", calls);
}

void tests_teehostile(void)
{
    if (discover()) {
        bad_messages();
        bad_sessions();
        junk_calls();
        client(); /* the secure world still works */
    }
    tg_finish();
}
