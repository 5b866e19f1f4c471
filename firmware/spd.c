// SPDX-License-Identifier: MIT
/*
 * The secure partition dispatcher (docs/TRUST.md "The secure partition"), EL3's half of the
 * world switch, like TF-A's OP-TEE dispatcher in the shape of an FF-A direct message: the
 * firmware loads the partition (firmware/sp/) into secure SRAM at boot, hands it the verified
 * images' hashes and the DRBG seed once (SPD_INIT), wipes its own copies, and from then on
 * routes every secure-service SMC of the normal world's EL2 (TRNG, Bulkhead's SiP calls, the
 * OP-TEE ABI) into it: one call at a time under one lock, x0..x7 passed through, the answer
 * bounded before it goes back.
 *
 * The switch (spd_switch.S): the normal world's EL1 system registers (the guest's, still live
 * when the hypervisor forwards its call), its FP/SIMD registers and ELR/SPSR_EL3 are saved, the
 * partition's EL1 state set (EL1 registers are not banked), SCR_EL3.NS cleared, the partition
 * entered afresh at its entry point; its answering SMC (or its vectors' SPD_FAULT,
 * or any other trap from the secure side) comes back through fw_trap to spd_from_sp, which
 * returns to the caller of sp_run. Nothing the partition answers is trusted: x0 is bounded
 * per call (lengths by what the caller allowed), only x0..x3 (x4 for LOG_READ) go back, a
 * fault answers an error and the next call enters the partition afresh.
 */
#include "fw.h"
#include "spd.h"

#include <bulkhead/abi.h>
#include <bulkhead/secsvc.h>
#include <lib/string.h>
#include <libfdt.h>
#include <stddef.h>

#define SYSREG_W(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define SYSREG_R(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })

#define ESR_EC(esr)    (((esr) >> 26) & 0x3f)
#define EC_SMC64       0x17
#define ESR_IMM16(esr) ((esr) & 0xffff)
#define SPSR_M_EL2     0x8u          /* M[3:2] = 2: EL2t or EL2h, M[4] = 0: AArch64 */
#define SPSR_M_EL_MASK 0x1cu
#define SP_SCTLR_EL1   0x30d00800u   /* RES1 bits; M, C, I, A = 0: MMU and caches off */
#define SP_CPACR_EL1   (3u << 20)    /* FPEN: the partition's BearSSL uses FP/SIMD */
#define FAULTS_TOLD    4u            /* console lines for partition faults, then quiet */

/* The normal world's EL1 state the partition could change (all of it that EL1 can write). */
#define EL1_REGS(X) X(sctlr_el1) X(cpacr_el1) X(ttbr0_el1) X(ttbr1_el1) X(tcr_el1) \
    X(mair_el1) X(amair_el1) X(vbar_el1) X(contextidr_el1) X(tpidr_el1) X(tpidr_el0) \
    X(tpidrro_el0) X(sp_el1) X(sp_el0) X(elr_el1) X(spsr_el1) X(esr_el1) X(far_el1) \
    X(par_el1) X(afsr0_el1) X(afsr1_el1) X(cntkctl_el1) X(csselr_el1) X(mdscr_el1)
#define COUNT1(r) + 1
#define EL1_NREGS (0 EL1_REGS(COUNT1))

/* spd_switch.S's context: offsets fixed there. */
struct spd_ctx {
    uint64_t el3[12];   /* x19..x30 of EL3 at fw_sp_enter */
    uint64_t sp;
    uint64_t x[8];      /* in: the call; out: the answer (x0..x4) */
    uint64_t entry;
    uint64_t fp[66] __attribute__((aligned(16))); /* the normal world's q0..q31, FPCR, FPSR */
};
_Static_assert(offsetof(struct spd_ctx, sp) == 96 && offsetof(struct spd_ctx, x) == 104 &&
               offsetof(struct spd_ctx, entry) == 168 && offsetof(struct spd_ctx, fp) == 176,
               "spd_switch.S offsets");

void fw_sp_enter(struct spd_ctx *c);
FW_NORETURN void fw_sp_exit(struct spd_ctx *c);
extern uint8_t sp_blob_start[], sp_blob_end[];

static struct {
    uint32_t lock;
    bool up, active, faulted;
    unsigned faults;
    uint64_t fault_esr, fault_elr;
    struct spd_ctx ctx;
    struct spd_handoff ho;
} spd;

static void lock(void)
{
    while (__atomic_exchange_n(&spd.lock, 1, __ATOMIC_ACQUIRE)) {
        el3_wfe();
    }
}

static void unlock(void)
{
    __atomic_store_n(&spd.lock, 0, __ATOMIC_RELEASE);
    el3_sev();
}

static void wipe(void *p, uint64_t n)
{
    volatile uint8_t *b = p;
    for (uint64_t i = 0; i < n; i++) {
        b[i] = 0;
    }
}

static void el1_save(uint64_t r[EL1_NREGS])
{
    unsigned i = 0;
#define SAVE1(reg) r[i++] = SYSREG_R(reg);
    EL1_REGS(SAVE1)
#undef SAVE1
}

static void el1_restore(const uint64_t r[EL1_NREGS])
{
    unsigned i = 0;
#define RESTORE1(reg) SYSREG_W(reg, r[i++]);
    EL1_REGS(RESTORE1)
#undef RESTORE1
}

/* One call into the partition, under the lock: x in, the answer (x0..x4) out; false if it
 * faulted (x untouched then). Always returns: the partition answers with an SMC, and every
 * exception it takes ends in one (its vectors) or traps here directly. */
static bool sp_run(uint64_t x[8])
{
    uint64_t el1[EL1_NREGS];
    uint64_t elr = SYSREG_R(elr_el3), spsr = SYSREG_R(spsr_el3);

    el1_save(el1);
    SYSREG_W(sctlr_el1, SP_SCTLR_EL1);   /* the partition's EL1 state (not banked) */
    SYSREG_W(vbar_el1, FW_SP_VECTORS_PA);
    SYSREG_W(cpacr_el1, SP_CPACR_EL1);
    SYSREG_W(mdscr_el1, 0);
    memcpy(spd.ctx.x, x, sizeof(spd.ctx.x));
    spd.ctx.entry = FW_SP_PA;
    spd.faulted = false;
    spd.active = true;
    el3_world(true);
    fw_sp_enter(&spd.ctx);
    el3_world(false);
    spd.active = false;
    el1_restore(el1);
    SYSREG_W(elr_el3, elr);
    SYSREG_W(spsr_el3, spsr);
    __asm__ volatile("isb");
    if (!spd.faulted) {
        memcpy(x, spd.ctx.x, 5 * sizeof(x[0]));
    }
    wipe(spd.ctx.x, sizeof(spd.ctx.x));
    return !spd.faulted;
}

void spd_from_sp(struct fw_frame *f, uint64_t esr)
{
    uint32_t what = (uint32_t)f->x[0];

    if (!spd.active) {
        fw_unexpected(16, esr, SYSREG_R(elr_el3)); /* the secure side runs only in sp_run */
    }
    if (ESR_EC(esr) == EC_SMC64 && ESR_IMM16(esr) == 0 && what == SPD_DONE) {
        for (unsigned i = 0; i < 5; i++) {
            spd.ctx.x[i] = f->x[1 + i];
        }
    } else {
        spd.faulted = true;
        spd.fault_esr = what == SPD_FAULT && ESR_EC(esr) == EC_SMC64 ? f->x[1] : esr;
        spd.fault_elr = what == SPD_FAULT && ESR_EC(esr) == EC_SMC64 ? f->x[2]
                                                                     : SYSREG_R(elr_el3);
    }
    wipe(f, sizeof(*f)); /* the partition's registers stay out of EL3's memory */
    fw_sp_exit(&spd.ctx);
}

static void putfault(void)
{
    if (spd.faults++ < FAULTS_TOLD) {
        fw_print("bulkhead-fw: secure partition fault, call answered an error: esr=");
        fw_print_hex(spd.fault_esr);
        fw_print(" elr=");
        fw_print_hex(spd.fault_elr);
        fw_puts("");
    }
}

/* One call of the normal world (or the firmware's own test) answered by the partition. */
static void answer(struct fw_frame *f, uint32_t fid)
{
    uint64_t x[8], cap = f->x[4];
    bool ok;

    memcpy(x, f->x, sizeof(x));
    lock();
    ok = spd.up && sp_run(x);
    if (!ok && spd.up) {
        putfault();
    }
    unlock();
    if (!ok) {
        f->x[0] = spd_error_answer(fid);
        f->x[1] = f->x[2] = f->x[3] = 0;
        return;
    }
    f->x[0] = spd_bound(fid, x[0], cap);
    f->x[1] = x[1];
    f->x[2] = x[2];
    f->x[3] = x[3];
    if (fid == BH_SEC_LOG_READ) {
        f->x[4] = x[4];
    }
    if (spd_is_trng(fid) && (int64_t)f->x[0] < 0) {
        f->x[1] = f->x[2] = f->x[3] = 0;
    }
}

bool spd_call(struct fw_frame *f, uint32_t fid, uint64_t spsr)
{
    if (!spd_routes(fid)) {
        return false;
    }
    if ((spsr & SPSR_M_EL_MASK) != SPSR_M_EL2) {
        f->x[0] = (uint64_t)(int64_t)BH_E_NOT_SUPPORTED; /* only the hypervisor calls here */
        return true;
    }
    answer(f, fid);
    return true;
}

void spd_load(const uint8_t hyp_sha256[32], const uint8_t bundle_sha256[32], const void *fdt)
{
    uint64_t n = (uint64_t)(sp_blob_end - sp_blob_start), x[8] = { SPD_INIT };
    int node = fdt_path_offset(fdt, "/secure-chosen"), len = 0;
    const void *seed = node >= 0 ? fdt_getprop(fdt, node, "rng-seed", &len) : NULL;

    if (n == 0 || n > FW_SP_SIZE) {
        fw_puts("bulkhead-fw: secure partition image unusable, secure services off");
        return;
    }
    memcpy((void *)(uintptr_t)FW_SP_PA, sp_blob_start, (size_t)n);
    wipe(sp_blob_start, n); /* the device root key is in it: the partition's copy only */
    __asm__ volatile("dsb sy; ic iallu; dsb sy; isb" ::: "memory");
    spd.ho.magic = SPD_HANDOFF_MAGIC;
    memcpy(spd.ho.hyp_sha256, hyp_sha256, 32);
    memcpy(spd.ho.bundle_sha256, bundle_sha256, 32);
    spd.ho.now = SYSREG_R(cntpct_el0);
    if (seed != NULL && len > 0) {
        spd.ho.seed_len = (uint32_t)len < SPD_SEED_MAX ? (uint32_t)len : SPD_SEED_MAX;
        memcpy(spd.ho.seed, seed, spd.ho.seed_len);
    }
    x[1] = (uint64_t)(uintptr_t)&spd.ho;
    lock();
    spd.up = sp_run(x) && x[0] == BH_OK;
    unlock();
    wipe(&spd.ho, sizeof(spd.ho));
    if (!spd.up) {
        fw_puts("bulkhead-fw: secure partition did not start, secure services off");
    }
}

#if CONFIG_FW_TEST
extern uint8_t __fw_start[], __fw_end[];

static void test_line(const char *what, int64_t v)
{
    fw_print("bulkhead-fw: test: ");
    fw_print(what);
    fw_print_dec(v);
    fw_puts("");
}

/* The test firmware's checks (build/fw/test, v-fw-sp-*.test): a partition fault answers an
 * error and the partition serves the next call; the device root key is in the partition's
 * memory and nowhere in EL3's (image, data, stacks), counted by the partition itself. */
void spd_selftest(void)
{
    struct fw_frame f = { .x = { SPD_TEST_FAULT } };
    uint64_t x[8] = { SPD_TEST_SCAN };

    answer(&f, SPD_TEST_FAULT);
    test_line("partition fault answered x0=", (int64_t)f.x[0]);
    f = (struct fw_frame){ .x = { BH_SEC_NULL } };
    answer(&f, BH_SEC_NULL);
    test_line("after the fault BH_SEC_NULL answered x0=", (int64_t)f.x[0]);
    x[1] = (uint64_t)(uintptr_t)__fw_start;
    x[2] = (uint64_t)(__fw_end - __fw_start);
    lock();
    bool ok = spd.up && sp_run(x);
    unlock();
    test_line("device root key copies in EL3 memory: ", ok ? (int64_t)x[0] : -1);
    memset(x, 0, sizeof(x));
    x[0] = SPD_TEST_SCAN;
    x[1] = FW_SP_PA;
    x[2] = FW_SP_SIZE;
    lock();
    ok = spd.up && sp_run(x);
    unlock();
    test_line("device root key copies in the partition's memory: ", ok ? (int64_t)x[0] : -1);
}
#endif
