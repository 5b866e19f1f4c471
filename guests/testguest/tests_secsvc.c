// SPDX-License-Identifier: MIT
/*
 * The secure services through the hypervisor (docs/TRUST.md "Secure services"), booted
 * through Bulkhead's EL3 firmware (tests/scenarios/v-fw-secsvc.test):
 *   tg.mode=secsvc     a VM allowed trng, keys and attest: TRNG draws, the key store (derive,
 *                      sign, seal and unseal, altered and short blobs refused), an attestation
 *                      report over the nonce tg.nonce (printed in hex for the host's verifier);
 *                      tg.blob=send seals a secret and sends the blob on queue tg.q,
 *                      tg.blob=recv receives it there and must be refused unsealing it
 *   tg.mode=secdeny    a VM allowed nothing: TRNG_VERSION answers NOT_SUPPORTED (a quiet
 *                      probe), RND64 and every BH_HC_SEC_* call NOT_SUPPORTED (recorded)
 *   tg.mode=sechostile every SMCCC owner and function class over HVC and SMC with junk
 *                      arguments (PSCI aside), then the secure-service hypercalls with bad
 *                      buffers (NULL, outside RAM, wrapping, huge, device windows,
 *                      overlapping, short capacities): all refused, the secure world answers
 *                      well-formed calls afterwards
 */
#include <string.h>

#include <bulkhead/abi.h>
#include <bulkhead/secsvc.h>

#include "bootargs.h"
#include "ipc.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define TRNG_VERSION  0x84000050U
#define TRNG_FEATURES 0x84000051U
#define TRNG_RND64    0xc4000053U
#define TRNG_INVALID  (-2)
#define RECV_TIMEOUT_NS (20ULL * 1000 * 1000 * 1000)

static uint8_t in[2048] __aligned(16), out[2048] __aligned(16), blob[2048] __aligned(16);

static int64_t hvc4(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return ipc_hvc(fid, a1, a2, a3, a4);
}

static bool contains(const uint8_t *p, size_t n, const char *s, size_t sl)
{
    for (size_t i = 0; i + sl <= n; i++) {
        if (memcmp(p + i, s, sl) == 0) {
            return true;
        }
    }
    return false;
}

static void trng_allowed(void)
{
    uint64_t a[3], b[3];
    int32_t v = (int32_t)psci_call(TRNG_VERSION, 0, 0, 0);

    report(v >= 0x10000, "sec: TRNG_VERSION = 0x%x from the secure world", (unsigned)v);
    report((int32_t)psci_call(TRNG_FEATURES, TRNG_RND64, 0, 0) == 0, "sec: TRNG_FEATURES(RND64)");
    int64_t ra = smccc_hvc_res(TRNG_RND64, 192, a), rb = smccc_hvc_res(TRNG_RND64, 192, b);
    report(ra == 0 && rb == 0 && (a[0] != b[0] || a[1] != b[1] || a[2] != b[2]),
           "sec: two RND64(192 bits) draws succeed and differ");
    report(smccc_hvc_res(TRNG_RND64, 193, a) == TRNG_INVALID, "sec: RND64(193 bits) invalid");
    report(smccc_hvc_res(TRNG_RND64, 8, a) == 0 && a[0] == 0 && a[1] == 0 && a[2] <= 0xff,
           "sec: RND64(8 bits) fills only the low 8 bits of x3");
}

static void keys_allowed(void)
{
    static const char label[] = "disk key", label2[] = "net key";
    uint8_t k1[32], k2[32], s1[64], s2[64];

    report(hvc4(BH_HC_SEC_NULL, 0, 0, 0, 0) == BH_OK, "sec: null call to the secure world");
    memcpy(in, label, sizeof(label));
    int64_t r1 = hvc4(BH_HC_SEC_DERIVE, (uintptr_t)in, sizeof(label), (uintptr_t)k1, 0);
    int64_t r2 = hvc4(BH_HC_SEC_DERIVE, (uintptr_t)in, sizeof(label), (uintptr_t)k2, 0);
    report(r1 == 32 && r2 == 32 && memcmp(k1, k2, 32) == 0, "sec: derive is stable per label");
    memcpy(in, label2, sizeof(label2));
    r2 = hvc4(BH_HC_SEC_DERIVE, (uintptr_t)in, sizeof(label2), (uintptr_t)k2, 0);
    report(r2 == 32 && memcmp(k1, k2, 32) != 0, "sec: another label, another key");

    memcpy(in, "message one", 12);
    r1 = hvc4(BH_HC_SEC_SIGN, (uintptr_t)in, 12, (uintptr_t)s1, 0);
    r2 = hvc4(BH_HC_SEC_SIGN, (uintptr_t)in, 12, (uintptr_t)s2, 0);
    report(r1 == 64 && r2 == 64 && memcmp(s1, s2, 64) == 0,
           "sec: sign gives 64 bytes, deterministic (RFC 6979)");
    in[8] = 'X';
    r2 = hvc4(BH_HC_SEC_SIGN, (uintptr_t)in, 12, (uintptr_t)s2, 0);
    report(r2 == 64 && memcmp(s1, s2, 64) != 0, "sec: another message, another signature");

    static const char secret[] = "the launch code is 0000";
    memcpy(in, secret, sizeof(secret));
    int64_t bl = hvc4(BH_HC_SEC_SEAL, (uintptr_t)in, sizeof(secret), (uintptr_t)blob,
                      sizeof(blob));
    report(bl == (int64_t)(sizeof(secret) + BH_SEAL_OVERHEAD), "sec: seal gives a %lld-byte blob",
           (long long)bl);
    report(bl > 0 && !contains(blob, (size_t)bl, "launch", 6),
           "sec: the blob does not hold the plaintext");
    memset(out, 0, sizeof(out));
    r1 = hvc4(BH_HC_SEC_UNSEAL, (uintptr_t)blob, (uint64_t)bl, (uintptr_t)out, sizeof(out));
    report(r1 == (int64_t)sizeof(secret) && memcmp(out, secret, sizeof(secret)) == 0,
           "sec: unseal gives the secret back");
    r1 = hvc4(BH_HC_SEC_UNSEAL, (uintptr_t)blob, (uint64_t)bl, (uintptr_t)out, 4);
    report(r1 == BH_E_RANGE, "sec: unseal into a short buffer: RANGE (%lld)", (long long)r1);
    blob[BH_SEAL_OVERHEAD + 3] ^= 1;
    r1 = hvc4(BH_HC_SEC_UNSEAL, (uintptr_t)blob, (uint64_t)bl, (uintptr_t)out, sizeof(out));
    report(r1 == BH_E_DENIED, "sec: an altered blob is refused (%lld)", (long long)r1);
    blob[BH_SEAL_OVERHEAD + 3] ^= 1;
    r1 = hvc4(BH_HC_SEC_UNSEAL, (uintptr_t)blob, (uint64_t)bl - 1, (uintptr_t)out, sizeof(out));
    report(r1 == BH_E_INVAL, "sec: a truncated blob is refused (%lld)", (long long)r1);
}

/* The report in 32-byte hex lines the host joins: "INFO report <i> <hex>". */
static void attest(void)
{
    char nonce[64] = { 0 };
    struct bh_attest_report rep;

    if (!bootarg_get("tg.nonce", nonce, sizeof(nonce)) || strlen(nonce) < 32) {
        report(false, "sec: tg.nonce of 32 characters");
        return;
    }
    memcpy(in, nonce, 32);
    int64_t r = hvc4(BH_HC_SEC_ATTEST, (uintptr_t)in, (uintptr_t)out, sizeof(out), 0);
    report(r == (int64_t)sizeof(rep), "sec: attestation report of %lld bytes", (long long)r);
    r = hvc4(BH_HC_SEC_ATTEST, (uintptr_t)in, (uintptr_t)blob, 100, 0);
    report(r == BH_E_RANGE, "sec: attestation into 100 bytes: RANGE (%lld)", (long long)r);
    memcpy(&rep, out, sizeof(rep));
    report(memcmp(rep.magic, BH_REPORT_MAGIC, 8) == 0 && memcmp(rep.nonce, nonce, 32) == 0,
           "sec: the report carries our nonce");
    for (unsigned i = 0; i * 32 < sizeof(rep); i++) {
        char line[80];
        unsigned n = sizeof(rep) - i * 32 < 32 ? (unsigned)sizeof(rep) - i * 32 : 32;
        for (unsigned j = 0; j < n; j++) {
            static const char hx[] = "0123456789abcdef";
            line[2 * j] = hx[out[i * 32 + j] >> 4];
            line[2 * j + 1] = hx[out[i * 32 + j] & 15];
        }
        line[2 * n] = '\0';
        report_info("report %u %s", i, line);
    }
    report_info("report end");
    /* Stay up while the host verifies it (the test's host command reads the log). */
    timer_delay_ms(bootarg_get_u64("tg.linger_ms", 0));
}

static void blob_exchange(void)
{
    char role[8] = "", qname[16] = "";
    struct ipc_obj q;

    if (!bootarg_get("tg.blob", role, sizeof(role)) || !bootarg_get("tg.q", qname, sizeof(qname))) {
        return;
    }
    ipc_dt_need(qname, &q);
    if (strcmp(role, "send") == 0) {
        static const char secret[] = "sealed for a only";
        memcpy(in, secret, sizeof(secret));
        int64_t bl = hvc4(BH_HC_SEC_SEAL, (uintptr_t)in, sizeof(secret), (uintptr_t)blob,
                          sizeof(blob));
        report(bl > 0, "sec: sealed a secret for the other VM to try");
        report(ipc_send(q.id, (uintptr_t)blob, (uint64_t)bl, RECV_TIMEOUT_NS) == BH_OK,
               "sec: blob sent on %s", qname);
        return;
    }
    int64_t n = ipc_recv(q.id, (uintptr_t)blob, sizeof(blob), RECV_TIMEOUT_NS);
    report(n > (int64_t)BH_SEAL_OVERHEAD, "sec: received another VM's blob (%lld bytes)",
           (long long)n);
    int64_t r = hvc4(BH_HC_SEC_UNSEAL, (uintptr_t)blob, (uint64_t)n, (uintptr_t)out, sizeof(out));
    report(r == BH_E_DENIED, "sec: another VM's blob is refused (%lld)", (long long)r);
}

void tests_secsvc(void)
{
    trng_allowed();
    keys_allowed();
    if (bootarg_get("tg.nonce", (char *)out, 8)) {
        attest();
    }
    blob_exchange();
    tg_finish();
}

void tests_secdeny(void)
{
    uint64_t r3[3];

    report((int32_t)psci_call(TRNG_VERSION, 0, 0, 0) == -1, "deny: TRNG_VERSION = -1");
    report(smccc_hvc_res(TRNG_RND64, 64, r3) == -1, "deny: RND64 = -1 (not allowed)");
    report(hvc4(BH_HC_SEC_NULL, 0, 0, 0, 0) == -1, "deny: BH_HC_SEC_NULL = -1");
    report(hvc4(BH_HC_SEC_SEAL, (uintptr_t)in, 8, (uintptr_t)out, 64) == -1,
           "deny: BH_HC_SEC_SEAL = -1");
    report(hvc4(BH_HC_SEC_ATTEST, (uintptr_t)in, (uintptr_t)out, 512, 0) == -1,
           "deny: BH_HC_SEC_ATTEST = -1");
    report(smccc_smc(BH_SEC_MEASURE_VM, (uintptr_t)in, 0, 0) == -1,
           "deny: the firmware's own MEASURE_VM over SMC = -1");
    tg_finish();
}

/* A cheap generator for junk arguments (xorshift64). */
static uint64_t junk(void)
{
    static uint64_t s = 0x9e3779b97f4a7c15ULL;
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

static void hammer_smccc(void)
{
    static const uint16_t fns[] = { 0x0000, 0x0001, 0x0003, 0x0020, 0x0050, 0x0053, 0x0100,
                                    0xff00, 0xff01, 0xff03, 0xfffe, 0xffff };
    unsigned calls = 0;

    for (uint32_t oen = 0; oen < 64; oen++) {
        for (unsigned i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
            for (unsigned form = 0; form < 3; form++) {
                uint32_t fid = oen << 24 | fns[i];
                fid |= form == 0 ? 0x80000000U : form == 1 ? 0xc0000000U : 0;
                if ((oen == 4 && fns[i] < 0x20) || (oen == 6 && fns[i] < 0x30)) {
                    continue; /* PSCI powers us off; our IPC calls are tested elsewhere */
                }
                (void)smccc_hvc(fid, junk(), junk(), junk());
                (void)smccc_smc(fid, junk(), junk(), junk());
                calls += 2;
            }
        }
    }
    report(calls > 1000, "hostile: %u SMCCC calls with junk arguments, every owner", calls);
}

static void hammer_buffers(void)
{
    uint64_t lo = platform_mem_lowest(), hi = platform_mem_highest_end();
    static const uint32_t fids[] = { BH_HC_SEC_SEAL, BH_HC_SEC_UNSEAL, BH_HC_SEC_SIGN,
                                     BH_HC_SEC_DERIVE, BH_HC_SEC_ATTEST };
    const uint64_t bad[][4] = {
        { 0, 16, (uintptr_t)out, 512 },                        /* NULL input */
        { (uintptr_t)in, 16, 0, 512 },                         /* NULL output */
        { hi - 8, 16, (uintptr_t)out, 512 },                   /* input runs past RAM */
        { (uintptr_t)in, 16, hi - 8, 512 },                    /* output runs past RAM */
        { lo - 4096, 16, (uintptr_t)out, 512 },                /* below RAM */
        { UINT64_MAX - 7, 16, (uintptr_t)out, 512 },           /* wraps */
        { (uintptr_t)in, UINT64_MAX, (uintptr_t)out, 512 },    /* huge length */
        { (uintptr_t)in, BH_SEC_DATA_MAX + BH_SEAL_OVERHEAD + 1, (uintptr_t)out, 512 },
        { (uintptr_t)in, 16, (uintptr_t)out, UINT64_MAX },     /* huge capacity */
        { 0x09000000, 16, (uintptr_t)out, 512 },               /* the UART's window */
        { (uintptr_t)in, 16, 0x08000000, 512 },                /* into the GIC */
        { (uintptr_t)in, 0, (uintptr_t)out, 512 },             /* empty input */
    };
    unsigned refused = 0, total = 0;

    for (unsigned f = 0; f < sizeof(fids) / sizeof(fids[0]); f++) {
        for (unsigned b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
            int64_t r;
            /* Rows that are not bad for this call: SIGN and DERIVE ignore x4 (their output
             * is fixed-size), ATTEST has no length (its nonce is 32 bytes). */
            bool fixed_out = fids[f] == BH_HC_SEC_SIGN || fids[f] == BH_HC_SEC_DERIVE;
            bool no_len = fids[f] == BH_HC_SEC_ATTEST;
            if ((fixed_out && b == 8) || (no_len && (b == 6 || b == 7 || b == 11))) {
                continue;
            }
            if (no_len) { /* x1 nonce, x2 out, x3 cap */
                r = hvc4(fids[f], bad[b][0], bad[b][2], bad[b][3], 0);
            } else {
                r = hvc4(fids[f], bad[b][0], bad[b][1], bad[b][2], bad[b][3]);
            }
            total++;
            refused += r < 0;
            if (r >= 0) {
                report_info("hostile: call 0x%x row %u answered %lld", fids[f], b, (long long)r);
            }
        }
    }
    report(refused == total, "hostile: %u of %u bad buffer calls refused", refused, total);
    memset(in, 'x', 64);
    int64_t r = hvc4(BH_HC_SEC_SEAL, (uintptr_t)in, 64, (uintptr_t)in, sizeof(in));
    report(r == 64 + BH_SEAL_OVERHEAD, "hostile: seal in place (overlapping buffers) = %lld",
           (long long)r);
    r = hvc4(BH_HC_SEC_UNSEAL, (uintptr_t)in, (uint64_t)r, (uintptr_t)in + 8, sizeof(in) - 8);
    report(r == 64 && in[8] == 'x' && in[71] == 'x', "hostile: unseal overlapping = %lld",
           (long long)r);
    for (unsigned i = 0; i < 200; i++) { /* junk blobs */
        for (unsigned j = 0; j < 96; j++) {
            blob[j] = (uint8_t)junk();
        }
        if (i & 1) {
            memcpy(blob, BH_SEAL_MAGIC, 4);
        }
        (void)hvc4(BH_HC_SEC_UNSEAL, (uintptr_t)blob, junk() % 200, (uintptr_t)out, junk() % 2048);
    }
    report(true, "hostile: 200 junk blobs unsealed without harm");
}

void tests_sechostile(void)
{
    hammer_smccc();
    hammer_buffers();
    /* The secure world still answers. */
    keys_allowed();
    trng_allowed();
    tg_finish();
}
