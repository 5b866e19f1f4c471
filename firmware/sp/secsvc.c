// SPDX-License-Identifier: MIT
/*
 * The secure services of the EL3 firmware (docs/TRUST.md "Secure services",
 * include/bulkhead/secsvc.h): the SMCCC TRNG interface (ARM DEN0098 1.0) and Bulkhead's SiP
 * calls (measurement log, key store, attestation). They run in the secure partition at S-EL1
 * (main.c), one call at a time (the firmware's dispatcher holds its lock), on the caller's CPU.
 *
 * Only the normal world's EL2 reaches them (the firmware checks SPSR_EL3.M): guests'
 * SMCs trap to the hypervisor, which applies the VM's policy and passes the VM in w7
 * (client id, VM index + 1). Every buffer is a physical address that must lie in the
 * hypervisor's own window (its bounce buffers), never a guest's RAM; inputs are copied into
 * secure SRAM before they are read and results copied out at the end, so the normal world
 * cannot change what is being checked. The device root key is built into this partition's
 * image (build/fw/devroot.h, never committed; the firmware wipes its copy of the image); every
 * key is derived from it (keystore.c) and none leaves this file.
 *
 * Entropy: RNDRRS when the PE has FEAT_RNG; otherwise an HMAC-DRBG (SP 800-90A, BearSSL)
 * seeded at boot from what QEMU offers: /secure-chosen rng-seed (the host's getrandom, handed
 * to the secure world in the device tree, which the normal world never sees) and the counter.
 * On a real product that seed would come from a hardware TRNG: see docs/TRUST.md.
 */
#include "arch/aarch64/inc/arch/rndr.h" /* arch_rndrrs, as the hypervisor's TRNG */
#include "sp.h"
#include "keystore.h"

#include <bearssl_rand.h>
#include <bulkhead/abi.h>
#include <lib/string.h>

#include "devroot.h" /* build/fw/, tools/fwsign secret-header: fw_root_key[32] */

#define SYSREG_R(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })

#define TRNG_VERSION        0x84000050u
#define TRNG_FEATURES       0x84000051u
#define TRNG_GET_UUID       0x84000052u
#define TRNG_RND32          0x84000053u
#define TRNG_RND64          0xc4000053u
#define TRNG_VERSION_1_0    0x10000
#define TRNG_NOT_SUPPORTED  (-1)
#define TRNG_INVALID_PARAMS (-2)
#define TRNG_NO_ENTROPY     (-3)
#define MAX_CLIENTS         FW_MAX_CLIENTS /* VM indexes 0..7 (the hypervisor's VM_MAX) */

static struct {
    bool has_rndr, done;
    br_hmac_drbg_context drbg;
    uint8_t attest_key[32];
    uint8_t pcr[32];
    unsigned log_count;
    struct { uint32_t kind, id; uint8_t digest[32]; } log[BH_MLOG_MAX];
    bool measured[MAX_CLIENTS];
    uint8_t vm_meas[MAX_CLIENTS][32];
    uint8_t in[BH_SEC_DATA_MAX + BH_SEAL_OVERHEAD];   /* copies of the caller's inputs */
    uint8_t out[BH_SEC_DATA_MAX + BH_SEAL_OVERHEAD];  /* results before they are copied out */
} sv;


/* 64 random bits: the PE's reseeded generator, or the DRBG. */
static bool random64(uint64_t *out)
{
    if (sv.has_rndr) {
        return arch_rndrrs(out);
    }
    br_hmac_drbg_generate(&sv.drbg, out, sizeof(*out));
    return true;
}

static void log_extend(uint32_t kind, uint32_t id, const uint8_t digest[32])
{
    if (sv.log_count < BH_MLOG_MAX) {
        sv.log[sv.log_count].kind = kind;
        sv.log[sv.log_count].id = id;
        memcpy(sv.log[sv.log_count].digest, digest, 32);
        sv.log_count++;
    }
    ks_pcr_extend(sv.pcr, digest); /* the chain covers every event, logged or not */
}

void secsvc_init(const struct spd_handoff *h)
{
    uint32_t len = h->seed_len <= SPD_SEED_MAX ? h->seed_len : SPD_SEED_MAX;
    uint64_t now = h->now, hw = 0;

    sv.has_rndr = ((SYSREG_R(id_aa64isar0_el1) >> 60) & 0xf) != 0;
    br_hmac_drbg_init(&sv.drbg, &br_sha256_vtable, fw_root_key, 0);
    if (len > 0) {
        br_hmac_drbg_update(&sv.drbg, h->seed, len);
    }
    br_hmac_drbg_update(&sv.drbg, &now, sizeof(now));
    if (sv.has_rndr && arch_rndrrs(&hw)) {
        br_hmac_drbg_update(&sv.drbg, &hw, sizeof(hw));
    }
    ks_p256_key(fw_root_key, KS_LABEL_ATTEST, KS_ATTEST_VM, sv.attest_key);
    log_extend(BH_MLOG_HYP, 0, h->hyp_sha256);
    log_extend(BH_MLOG_BUNDLE, 0, h->bundle_sha256);
}

unsigned secsvc_count_root_key(const uint8_t *p, uint64_t len)
{
    unsigned n = 0;

    for (uint64_t i = 0; i + sizeof(fw_root_key) <= len; i++) {
        if (p[i] == fw_root_key[0] && memcmp(p + i, fw_root_key, sizeof(fw_root_key)) == 0) {
            n++;
        }
    }
    return n;
}

/* [pa, pa + len) inside the hypervisor's window (its image, data and bounce buffers). */
static bool hyp_buffer_ok(uint64_t pa, uint64_t len)
{
    return pa >= FW_HYP_PA && pa < FW_BUNDLE_PA && len <= FW_BUNDLE_PA - pa;
}

bool secsvc_hyp_buffer_ok(uint64_t pa, uint64_t len)
{
    return hyp_buffer_ok(pa, len);
}

bool secsvc_random_bytes(uint8_t *out, uint64_t len)
{
    for (uint64_t i = 0; i < len; i += 8) {
        uint64_t w;
        if (!random64(&w)) {
            return false;
        }
        memcpy(out + i, &w, len - i < 8 ? (size_t)(len - i) : 8);
    }
    return true;
}

static int64_t seal_vm(int vm, bool unseal, const uint8_t *in, uint64_t len, uint8_t *out,
                       uint64_t cap)
{
    uint8_t nonce[12];

    if (unseal) {
        return ks_unseal(fw_root_key, (uint32_t)vm, sv.vm_meas[vm], in, len, out, cap);
    }
    if (!secsvc_random_bytes(nonce, sizeof(nonce))) {
        return BH_E_BUSY;
    }
    return ks_seal(fw_root_key, (uint32_t)vm, sv.vm_meas[vm], nonce, in, len, out, cap);
}

int64_t secsvc_seal_vm(int vm, bool unseal, const uint8_t *in, uint64_t len, uint8_t *out,
                       uint64_t cap)
{
    if (vm < 0 || vm >= MAX_CLIENTS) {
        return BH_E_INVAL;
    }
    if (!sv.measured[vm]) {
        return BH_E_NOENT; /* no measurement to bind to */
    }
    return seal_vm(vm, unseal, in, len, out, cap);
}

/* The client's VM index, or -1 (the hypervisor itself, or no such VM). */
static int client_vm(const struct sp_frame *f)
{
    uint32_t c = (uint32_t)f->x[7];
    return c >= 1 && c <= MAX_CLIENTS ? (int)c - 1 : -1;
}

static int64_t trng_call(struct sp_frame *f, uint32_t fid)
{
    uint64_t n = fid == TRNG_RND64 ? f->x[1] : (uint32_t)f->x[1];
    unsigned width = fid == TRNG_RND64 ? 64 : 32;

    switch (fid) {
    case TRNG_VERSION:
        return TRNG_VERSION_1_0;
    case TRNG_FEATURES: {
        uint32_t q = (uint32_t)f->x[1];
        return q == TRNG_VERSION || q == TRNG_FEATURES || q == TRNG_GET_UUID ||
               q == TRNG_RND32 || q == TRNG_RND64 ? 0 : TRNG_NOT_SUPPORTED;
    }
    case TRNG_GET_UUID:
        /* 7c1b5e2a-3d4f-4b6a-9e21-42484657524e ("BHFWRN"): the firmware's source. */
        f->x[1] = 0x4b6a3d4f;
        f->x[2] = 0x4642219e;
        f->x[3] = 0x4e525746;
        return 0x7c1b5e2a;
    case TRNG_RND32:
    case TRNG_RND64:
        if (n == 0 || n > 3u * width) {
            return TRNG_INVALID_PARAMS;
        }
        for (unsigned r = 3; r >= 1; r--) {
            uint64_t bits = n > width ? width : n, val = 0;
            if (bits > 0 && !random64(&val)) {
                f->x[1] = f->x[2] = f->x[3] = 0;
                return TRNG_NO_ENTROPY;
            }
            f->x[r] = bits == 64 ? val : (val & ((UINT64_C(1) << bits) - 1));
            n -= bits;
        }
        return 0;
    default:
        return TRNG_NOT_SUPPORTED;
    }
}

/* Copy a result of len bytes to out/cap (checked by the caller's form). */
static int64_t copy_out(uint64_t out_pa, uint64_t cap, const void *res, int64_t len)
{
    if (len < 0) {
        return len;
    }
    if ((uint64_t)len > cap || !hyp_buffer_ok(out_pa, (uint64_t)len)) {
        return BH_E_RANGE;
    }
    memcpy((void *)(uintptr_t)out_pa, res, (size_t)len);
    return len;
}

static int64_t measure_vm(const struct sp_frame *f, int vm)
{
    if (sv.done || vm < 0 || sv.measured[vm]) {
        return BH_E_DENIED;
    }
    if (!hyp_buffer_ok(f->x[1], 32)) {
        return BH_E_RANGE;
    }
    memcpy(sv.vm_meas[vm], (const void *)(uintptr_t)f->x[1], 32);
    sv.measured[vm] = true;
    log_extend(BH_MLOG_VM, (uint32_t)vm, sv.vm_meas[vm]);
    return BH_OK;
}

static int64_t log_read(struct sp_frame *f)
{
    const uint8_t *d;
    int64_t ret;

    if (f->x[1] == UINT64_MAX) {
        d = sv.pcr;
        ret = BH_OK;
    } else if (f->x[1] < sv.log_count) {
        d = sv.log[f->x[1]].digest;
        ret = (int64_t)(sv.log[f->x[1]].kind | sv.log[f->x[1]].id << 8);
    } else {
        return BH_E_NOENT;
    }
    for (unsigned r = 0; r < 4; r++) {
        uint64_t w = 0;
        for (unsigned i = 0; i < 8; i++) {
            w |= (uint64_t)d[r * 8 + i] << (8 * i);
        }
        f->x[1 + r] = w;
    }
    return ret;
}

/* The key store and attestation: a VM's call, inputs copied in first. */
static int64_t vm_call(struct sp_frame *f, uint32_t fid, int vm)
{
    uint64_t in_pa = f->x[1], len = f->x[2], out_pa = f->x[3], cap = f->x[4];
    uint8_t key[32];
    int64_t r;

    if (vm < 0) {
        return BH_E_INVAL;
    }
    if (!sv.measured[vm]) {
        return BH_E_NOENT; /* no measurement to bind to */
    }
    if (fid == BH_SEC_ATTEST) {
        len = BH_SEC_NONCE_BYTES;
    }
    if (len == 0 || len > sizeof(sv.in) || !hyp_buffer_ok(in_pa, len)) {
        return BH_E_INVAL;
    }
    memcpy(sv.in, (const void *)(uintptr_t)in_pa, (size_t)len);
    switch (fid) {
    case BH_SEC_SEAL:
    case BH_SEC_UNSEAL:
        r = seal_vm(vm, fid == BH_SEC_UNSEAL, sv.in, len, sv.out,
                    cap < sizeof(sv.out) ? cap : sizeof(sv.out));
        break;
    case BH_SEC_SIGN:
        ks_p256_key(fw_root_key, KS_LABEL_SIGN, (uint32_t)vm, key);
        r = ks_sign(key, sv.in, (size_t)len, sv.out) == 0 ? (int64_t)BH_SEC_SIG_BYTES : BH_E_INVAL;
        cap = BH_SEC_SIG_BYTES;
        break;
    case BH_SEC_DERIVE:
        ks_kdf(fw_root_key, KS_LABEL_DERIVE, (uint32_t)vm, sv.in, (size_t)len, sv.out);
        r = BH_SEC_KEY_BYTES;
        cap = BH_SEC_KEY_BYTES;
        break;
    case BH_SEC_ATTEST:
        _Static_assert(sizeof(struct bh_attest_report) <= sizeof(sv.out), "report fits");
        ks_report(sv.attest_key, (uint32_t)vm, sv.pcr, sv.vm_meas[vm], sv.in,
                  (struct bh_attest_report *)(void *)sv.out);
        r = sizeof(struct bh_attest_report);
        break;
    default:
        return BH_E_NOT_SUPPORTED;
    }
    memset(key, 0, sizeof(key));
    r = copy_out(out_pa, cap, sv.out, r);
    memset(sv.in, 0, sizeof(sv.in));
    memset(sv.out, 0, sizeof(sv.out));
    return r;
}

bool secsvc_call(struct sp_frame *f, uint32_t fid)
{
    int64_t r;
    bool is_trng = (fid & ~UINT32_C(0x4000000f)) == 0x84000050u;

    if (!is_trng && (fid & 0xffffff00u) != BH_SEC_FID(0)) {
        return false;
    }
    if (is_trng) {
        r = trng_call(f, fid);
    } else if (fid == BH_SEC_NULL) {
        r = BH_OK;
    } else if (fid == BH_SEC_MEASURE_VM) {
        r = measure_vm(f, client_vm(f));
    } else if (fid == BH_SEC_MEASURE_DONE) {
        sv.done = true;
        r = BH_OK;
    } else if (fid == BH_SEC_LOG_READ) {
        r = log_read(f);
    } else {
        r = vm_call(f, fid, client_vm(f));
    }
    f->x[0] = (uint64_t)r;
    return true;
}
