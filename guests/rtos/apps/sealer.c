// SPDX-License-Identifier: MIT
/*
 * rt.app=sealer: the RTOS side of the sealing scenario (docs/TRUST.md "OP-TEE",
 * tests/scenarios/v-fw-seal.test), through the key-store client (rt/secsvc.h):
 *  1. seals a secret of its own, prints the blob (RT sealer blob=HEX) and unseals it;
 *  2. with rt.blob=HEX (a blob of an earlier boot): tries to unseal it and says whether it
 *     was given back (same VM, same image) or refused (the image changed);
 *  3. with rt.q=QUEUE: receives another VM's blob (hex text, e.g. Linux's, sealed through the
 *     OP-TEE sealing TA) and must be refused unsealing it;
 *  4. stays up rt.linger_s seconds (the host may need it), then powers off.
 */
#include <string.h>

#include <rt/console.h>
#include <rt/ipc.h>
#include <rt/rt.h>
#include <rt/secsvc.h>
#include <rt/time.h>

#include "apps.h"
#include "bootargs.h"

#define SECRET       "rtos-secret"
#define BLOB_MAX     1100
#define HEX_MAX      (2 * BLOB_MAX + 1)
#define RECV_TIMEOUT_US (120ull * 1000 * 1000)
#define US_PER_S     1000000ull
#define LINGER_MAX_S 600

static uint8_t blob[BLOB_MAX] __attribute__((aligned(8))), out[BLOB_MAX] __attribute__((aligned(8)));
static char hex[HEX_MAX] __attribute__((aligned(8)));

static void to_hex(const uint8_t *p, size_t n, char *s)
{
    static const char hx[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        s[2 * i] = hx[p[i] >> 4];
        s[2 * i + 1] = hx[p[i] & 15];
    }
    s[2 * n] = '\0';
}

static int nibble(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Bytes of hex text s (at most max), or -1 when it is not hex. */
static int from_hex(const char *s, size_t slen, uint8_t *p, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i + 1 < slen + 1 && s[i] && s[i + 1] && n < max; i += 2) {
        int hi = nibble(s[i]), lo = nibble(s[i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        p[n++] = (uint8_t)(hi << 4 | lo);
    }
    return (int)n;
}

static void unseal_report(const char *what, size_t len)
{
    int r = rt_sec_unseal(blob, len, out, sizeof(out) - 1);

    if (r >= 0) {
        out[r] = '\0';
        rt_printf("RT sealer %s unsealed=%s", what, (const char *)out);
    } else {
        rt_printf("RT sealer %s refused (%d)", what, r);
    }
}

static void own_secret(void)
{
    int n = rt_sec_seal(SECRET, sizeof(SECRET) - 1, blob, sizeof(blob));

    if (n < 0) {
        rt_printf("RT sealer FAIL seal (%d)", n);
        return;
    }
    to_hex(blob, (size_t)n, hex);
    rt_printf("RT sealer blob=%s", hex);
    unseal_report("own blob", (size_t)n);
}

static void earlier_blob(void)
{
    int n;

    if (!bootarg_get("rt.blob", hex, sizeof(hex))) {
        return;
    }
    n = from_hex(hex, strlen(hex), blob, sizeof(blob));
    if (n <= 0) {
        rt_printf("RT sealer FAIL rt.blob is not hex");
        return;
    }
    unseal_report("earlier blob", (size_t)n);
}

static void other_vm_blob(void)
{
    char q[32];
    struct ipc_obj_info info;
    int n;

    if (!bootarg_get("rt.q", q, sizeof(q))) {
        return;
    }
    if (ipc_find(q, &info) != 0) {
        rt_printf("RT sealer FAIL no queue %s", q);
        return;
    }
    n = ipc_msgq_recv(info.id, hex, sizeof(hex) - 1, RECV_TIMEOUT_US);
    if (n <= 0) {
        rt_printf("RT sealer FAIL receive on %s (%d)", q, n);
        return;
    }
    hex[n] = '\0';
    n = from_hex(hex, (size_t)n, blob, sizeof(blob));
    rt_printf("RT sealer received another VM's blob (%d bytes)", n);
    if (n > 0) {
        unseal_report("other VM's blob", (size_t)n);
    }
}

void app_sealer_main(void *arg)
{
    uint64_t linger = bootarg_get_u64("rt.linger_s", 0);

    (void)arg;
    rt_printf("RT sealer null call to the secure world: %d", rt_sec_null());
    own_secret();
    earlier_blob();
    other_vm_blob();
    rt_printf("RT sealer done");
    rt_sleep_us((linger > LINGER_MAX_S ? LINGER_MAX_S : linger) * US_PER_S);
    app_finish();
}
