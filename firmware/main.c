// SPDX-License-Identifier: MIT
/*
 * The EL3 firmware's boot flow (docs/TRUST.md): set up the secure side (el3.c), verify the
 * signed boot header and both images it names (sigcheck.c) with the public key built in at
 * compile time, fix up QEMU's device tree (fdtfix.c), and enter Bulkhead at EL2 with the
 * arm64 boot contract (x0 = device tree, MMU off). A refused bundle gets one console line,
 * `bulkhead-fw: bundle refused: <reason>`, and the machine powers off: nothing unverified
 * runs. Afterwards the firmware only answers SMCs (psci.c).
 *
 * The verified hashes are the measurement log's first entries, handed to the secure partition
 * with it (spd.c); SMCs go to the partition's services first (spd.c), then PSCI.
 */
#include "fw.h"
#include "sigcheck.h"

#include <bearssl_hash.h>
#include <lib/string.h>
#include <libfdt.h>

#include "devkey_pub.h" /* build/fw/, from tools/fwsign pubkey */

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define EC_SMC64  0x17
#define ESR_IMM16(esr) ((esr) & 0xffff)

extern uint8_t fw_stacks[];
void sha256_ce_blocks(uint32_t state[8], const uint8_t *data, uint64_t blocks);
void bh_panic(const char *file, int line, const char *msg) FW_NORETURN;

uint64_t fw_stack_top(unsigned cpu)
{
    return (uint64_t)(uintptr_t)fw_stacks + (uint64_t)(cpu + 1) * FW_STACK_BYTES;
}

static void putc_raw(char c)
{
    plat_putc(c);
}

static void puts_raw(const char *s)
{
    while (*s) {
        putc_raw(*s++);
    }
}

void fw_puts(const char *s)
{
    puts_raw(s);
    puts_raw("\r\n");
}

static void puthex(uint64_t v)
{
    puts_raw("0x");
    for (int i = 60; i >= 0; i -= 4) {
        putc_raw("0123456789abcdef"[(v >> i) & 0xf]);
    }
}

static void putdec(uint64_t v)
{
    char b[21];
    unsigned i = sizeof(b);

    b[--i] = '\0';
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0 && i > 0);
    puts_raw(&b[i]);
}

/* SHA-256 with the CPU's instructions (arch/aarch64/sha256_ce.S compresses whole blocks,
 * this pads, FIPS 180-4 5.1.1), else BearSSL's portable code (~40 instructions a byte). */
static void sha256(const void *data, uint64_t len, uint8_t out[32])
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    if (!el3_has_sha256_insns()) {
        br_sha256_context ctx;
        br_sha256_init(&ctx);
        br_sha256_update(&ctx, data, (size_t)len);
        br_sha256_out(&ctx, out);
        return;
    }
    uint32_t st[8];
    uint8_t tail[128] = { 0 };
    uint64_t full = len / 64, rest = len % 64, n = rest + 9 <= 64 ? 64 : 128;

    memcpy(st, iv, sizeof(st));
    if (full) {
        sha256_ce_blocks(st, data, full);
    }
    memcpy(tail, (const uint8_t *)data + full * 64, (size_t)rest);
    tail[rest] = 0x80;
    for (unsigned i = 0; i < 8; i++) {
        tail[n - 1 - i] = (uint8_t)((len * 8) >> (8 * i)); /* len < 2^61: windows are MiB */
    }
    sha256_ce_blocks(st, tail, n / 64);
    for (unsigned i = 0; i < 32; i++) {
        out[i] = (uint8_t)(st[i / 4] >> (24 - 8 * (i % 4)));
    }
}

void fw_main(unsigned cpu)
{
    struct fw_platform plat;
    uint64_t bundle_size = 0;
    const struct sig_images img = {
        .hyp = (const uint8_t *)FW_HYP_PA, .hyp_window = FW_BUNDLE_PA - FW_HYP_PA,
        .signed_file = (const uint8_t *)FW_BUNDLE_PA, .file_window = FW_BUNDLE_END - FW_BUNDLE_PA,
    };

    plat_init();
    el3_cpu_init(cpu);
    fw_puts("bulkhead-fw: EL3 firmware, checking the signed boot bundle");
    enum sig_verdict v = sigcheck_verify(&img, fw_pubkey, sha256, &bundle_size);
    if (v != SIG_OK) {
        puts_raw("bulkhead-fw: bundle refused: ");
        fw_puts(sigcheck_reason(v));
        el3_power(false);
    }
    struct bh_sig_header hdr;
    memcpy(&hdr, (const void *)FW_BUNDLE_PA, sizeof(hdr)); /* verified, hashes included */
    spd_load(hdr.hyp_sha256, hdr.bundle_sha256, (const void *)FW_DTB_PA);
    if (CONFIG_FW_TEST) {
        spd_selftest();
    }
    int r = fdtfix_apply((const void *)FW_DTB_PA, (void *)FW_DTB_OUT_PA, FW_DTB_MAX,
                         FW_BUNDLE_PA + BH_SIG_HEADER_SIZE, bundle_size, &plat);
    if (r != 0) {
        puts_raw("bulkhead-fw: device tree unusable: ");
        fw_puts(fdt_strerror(r));
        el3_power(false);
    }
    psci_init(&plat, cpu);
    fw_puts("bulkhead-fw: bundle verified, entering Bulkhead at EL2");
    if (CONFIG_BENCH) { /* reset to here, signature and hashes included (head.S) */
        uint64_t n;
        __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(n));
        puts_raw("bulkhead-fw: bench insns_to_el2=");
        putdec(n);
        fw_puts("");
    }
    fw_el2_enter(FW_HYP_PA, FW_DTB_OUT_PA, fw_stack_top(cpu));
}

void fw_secondary_main(unsigned cpu)
{
    psci_cpu_wait(cpu);
}

void fw_trap(struct fw_frame *f, uint64_t esr)
{
    uint64_t cpu, spsr, scr;
    __asm__ volatile("mrs %0, tpidr_el3" : "=r"(cpu));
    __asm__ volatile("mrs %0, spsr_el3" : "=r"(spsr));
    __asm__ volatile("mrs %0, scr_el3" : "=r"(scr));

    if ((scr & 1) == 0) { /* SCR_EL3.NS clear: the secure partition answers (spd.c) */
        spd_from_sp(f, esr);
    }
    if (ESR_EC(esr) != EC_SMC64) {
        fw_unexpected(8, esr, 0);
    }
    if (ESR_IMM16(esr) != 0) { /* SMCCC: only SMC #0 carries calls */
        f->x[0] = (uint64_t)(int64_t)-1;
        return;
    }
    if (spd_call(f, (uint32_t)f->x[0], spsr)) {
        return;
    }
    f->x[0] = psci_call((unsigned)cpu, (uint32_t)f->x[0], f->x[1], f->x[2], f->x[3]);
}

/* A fault in the firmware or a trap it does not handle: say so, stop this CPU. */
void fw_unexpected(uint64_t kind, uint64_t esr, uint64_t elr)
{
    puts_raw("bulkhead-fw: unexpected exception kind=");
    puthex(kind);
    puts_raw(" esr=");
    puthex(esr);
    puts_raw(" elr=");
    puthex(elr);
    fw_puts("");
    fw_park();
}

/* lib/compat.c's stack-protector and checked-copy failures. */
void bh_panic(const char *file, int line, const char *msg)
{
    (void)file;
    (void)line;
    puts_raw("bulkhead-fw: panic: ");
    fw_puts(msg);
    fw_park();
}

/* Pieces of one console line, for spd.c. */
void fw_print(const char *s)
{
    puts_raw(s);
}

void fw_print_hex(uint64_t v)
{
    puthex(v);
}

void fw_print_dec(int64_t v)
{
    if (v < 0) {
        putc_raw('-');
        putdec((uint64_t)0 - (uint64_t)v);
    } else {
        putdec((uint64_t)v);
    }
}
