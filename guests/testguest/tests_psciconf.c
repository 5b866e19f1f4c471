// SPDX-License-Identifier: MIT
/*
 * tg.mode=psciconf: PSCI 1.1 (ARM DEN0022D) and the SMC Calling Convention 1.1 (ARM DEN0028)
 * as a conformance suite or a hostile guest probes them, in a VM of two vCPUs (k-psciconf):
 *  - SMC32/HVC32 IDs take W registers: garbage in the upper halves of x1-x3 changes nothing;
 *  - x1-x17 of a one-result call come back as they went (nothing leaks, v1.1 preserves x4-x17);
 *  - AFFINITY_INFO at levels 0-3 (lower affinity fields ignored), and its invalid arguments;
 *  - CPU_SUSPEND's power_state checks, a powerdown resume's entry state and context id;
 *  - PSCI_FEATURES for every function, and the optional ones we lack answer NOT_SUPPORTED;
 *  - CPU_ON's entry state (EL1h, DAIF masked, MMU and caches off, x0 = context id, other
 *    registers 0, the caller's endianness), and vCPU 0 turned on again gets its context id;
 *  - HVC and SMC with an immediate other than 0 are not calls (NOT_SUPPORTED, nothing done).
 * Raw pieces are in psciconf.S.
 */
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "sysreg.h"
#include "tests.h"
#include "timer.h"

#define FN32(n)       (0x84000000U + (n))
#define FN64(n)       (0xC4000000U + (n))
#define CPU_SUSPEND   1
#define CPU_OFF       2
#define CPU_ON        3
#define AFFINITY_INFO 4
#define PSCI_FEATURES 10
#define SMCCC_VERSION 0x80000000U
#define BH_HC_NULL    0xC6000000U
#define BH_HC_VM_ID   0xC6000002U
#define BH_HC_IPC     0xC6000020U
#define INVALID_PARAMS  (-2)
#define DENIED          (-3)
#define INVALID_ADDRESS (-9)
#define GARBAGE       0xdeadbeef00000000UL
#define PC_RESUMED    0x5e5e
#define POWERDOWN     (1U << 16)
#define SCTLR_M       (1UL << 0)
#define SCTLR_C       (1UL << 2)
#define SCTLR_I       (1UL << 12)
#define SCTLR_EE      (1UL << 25)
#define DAIF_ALL      0x3c0UL
#define CURRENTEL_EL1 (1UL << 2)
#define MMFR0_BIGEND(v) (((v) >> 8) & 0xf)

struct pc_entry {
    uint64_t x0, others, sctlr, el, daif, spsel, done, pad;
};
struct pc_ctx {
    uint64_t gpr[12], sp, sctlr, vbar, cpacr, tpidr, daif;
    uint64_t entry_x0, entry_sctlr, entry_daif, entry_el, entry_spsel, resumed;
};

void pc_hvc0_regs(const uint64_t in[18], uint64_t out[18]);
void pc_hvc1_regs(const uint64_t in[18], uint64_t out[18]);
void pc_hvcffff_regs(const uint64_t in[18], uint64_t out[18]);
void pc_smc0_regs(const uint64_t in[18], uint64_t out[18]);
void pc_smc1_regs(const uint64_t in[18], uint64_t out[18]);
int64_t pc_cpu_on_be(uint64_t mpidr, uint64_t entry, uint64_t ctx);
int64_t pc_save_call(struct pc_ctx *ctx, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
extern char pc_entry_stub[], pc_resume_entry[], pc_revive_stub[];
extern volatile struct pc_entry pc_entry_rec;
extern volatile int64_t pc_revive_ret;

static struct pc_ctx ctx;

typedef void (*regs_fn)(const uint64_t in[18], uint64_t out[18]);

/* Call fn with x0 = fid, x1 = a1, x2..x17 = a pattern whose low halves are 0 (arguments 0
 * for an SMC32 ID, garbage above); true when x1-x17 came back as they went. *x0 = the answer. */
static bool call_keeps(regs_fn fn, uint32_t fid, uint64_t a1, int64_t *x0)
{
    uint64_t in[18], out[18];

    in[0] = fid;
    for (unsigned i = 1; i < 18; i++) {
        in[i] = 0x5a5a000000000000UL | ((uint64_t)i << 32); /* W view: 0 */
    }
    in[1] = a1;
    fn(in, out);
    *x0 = (int64_t)out[0];
    for (unsigned i = 1; i < 18; i++) {
        if (out[i] != in[i]) {
            tg_print("x%u: 0x%lx, was 0x%lx", i, out[i], in[i]);
            return false;
        }
    }
    return true;
}

static bool cpu_is_off(const void *arg)
{
    return psci_call(FN64(AFFINITY_INFO), *(const uint64_t *)arg, 0, 0) == PSCI_AFFINITY_OFF;
}

static void test_registers(void)
{
    int64_t r;
    bool kept = call_keeps(pc_hvc0_regs, FN32(0), 0, &r);

    report(kept && r == 0x10001, "psciconf: PSCI_VERSION = 0x%lx, x1-x17 preserved", r);
    kept = call_keeps(pc_hvc0_regs, FN32(PSCI_FEATURES), GARBAGE | FN32(CPU_SUSPEND), &r);
    report(kept && r == 0, "psciconf: PSCI_FEATURES(CPU_SUSPEND, upper half set) = %ld, flags 0 "
           "(original power_state format, platform-coordinated), x1-x17 preserved", r);
    kept = call_keeps(pc_hvc0_regs, FN32(AFFINITY_INFO), GARBAGE | 0, &r);
    report(kept && r == PSCI_AFFINITY_ON,
           "psciconf: AFFINITY_INFO_32(self, upper halves set) = %ld (ON), x1-x17 preserved", r);
    kept = call_keeps(pc_hvc0_regs, BH_HC_NULL, 0, &r);
    report(kept && r == 0, "psciconf: BH_HC_NULL = %ld, x1-x17 preserved", r);
    kept = call_keeps(pc_smc0_regs, FN32(0), 0, &r);
    report(kept && r == 0x10001, "psciconf: PSCI_VERSION through SMC #0 = 0x%lx, x1-x17 "
           "preserved", r);
}

static void test_immediates(void)
{
    int64_t r;
    bool kept = call_keeps(pc_hvc1_regs, FN32(0), 0, &r);

    report(kept && r == -1, "psciconf: HVC #1 PSCI_VERSION = %ld (not a call), x1-x17 kept", r);
    kept = call_keeps(pc_hvc1_regs, BH_HC_NULL, 0, &r);
    report(kept && r == -1, "psciconf: HVC #1 BH_HC_NULL = %ld (fast path: not a call)", r);
    kept = call_keeps(pc_hvcffff_regs, BH_HC_VM_ID, 0, &r);
    report(kept && r == -1, "psciconf: HVC #0xffff BH_HC_VM_ID = %ld", r);
    kept = call_keeps(pc_hvc1_regs, BH_HC_IPC, 0, &r);
    report(kept && r == -1, "psciconf: HVC #1 IPC call = %ld", r);
    kept = call_keeps(pc_hvc1_regs, FN32(CPU_OFF), 0, &r);
    report(kept && r == -1, "psciconf: HVC #1 CPU_OFF = %ld (still running)", r);
    kept = call_keeps(pc_smc1_regs, FN32(0), 0, &r);
    report(kept && r == -1, "psciconf: SMC #1 PSCI_VERSION = %ld", r);
}

static void test_features(void)
{
    static const uint32_t have[] = {
        FN32(0), FN32(1), FN64(1), FN32(2), FN32(3), FN64(3), FN32(4), FN64(4), FN32(6),
        FN32(8), FN32(9), FN32(10), SMCCC_VERSION,
    };
    /* MIGRATE, MIGRATE_INFO_UP_CPU, CPU_FREEZE, CPU_DEFAULT_SUSPEND, NODE_HW_STATE,
     * SYSTEM_SUSPEND, SET_SUSPEND_MODE, STAT_RESIDENCY, STAT_COUNT, SYSTEM_RESET2, MEM_PROTECT,
     * MEM_PROTECT_CHECK_RANGE; and the SMC64 forms of 32-bit-only functions. */
    static const uint32_t lack[] = {
        FN32(5), FN64(5), FN32(7), FN64(7), FN32(11), FN32(12), FN64(12), FN32(13), FN64(13),
        FN32(14), FN64(14), FN32(15), FN32(16), FN64(16), FN32(17), FN64(17), FN32(18),
        FN64(18), FN32(19), FN32(20), FN64(20), FN64(0), FN64(2), FN64(6), FN64(8), FN64(9),
        FN64(10), 0x80000001U,
    };
    unsigned bad = 0;

    for (unsigned i = 0; i < sizeof(have) / sizeof(have[0]); i++) {
        int64_t r = psci_call(FN32(PSCI_FEATURES), have[i], 0, 0);
        if (r != 0) {
            tg_print("PSCI_FEATURES(0x%x) = %ld", have[i], r);
            bad++;
        }
    }
    report(bad == 0, "psciconf: PSCI_FEATURES = 0 for each of the %u functions answered",
           (unsigned)(sizeof(have) / sizeof(have[0])));
    bad = 0;
    for (unsigned i = 0; i < sizeof(lack) / sizeof(lack[0]); i++) {
        int64_t f = psci_call(FN32(PSCI_FEATURES), lack[i], 0, 0);
        /* the call itself: x1 = 0 (for SYSTEM_RESET2: a warm reset, for MEM_PROTECT: off) */
        int64_t c = lack[i] == 0x80000001U ? -1 : psci_call(lack[i], 0, 0, 0);
        if (f != -1 || c != -1) {
            tg_print("0x%x: PSCI_FEATURES %ld, call %ld", lack[i], f, c);
            bad++;
        }
    }
    report(bad == 0, "psciconf: %u optional or 64-bit forms lacking: PSCI_FEATURES and the "
           "call both NOT_SUPPORTED", (unsigned)(sizeof(lack) / sizeof(lack[0])));
}

static void test_affinity(void)
{
    uint64_t one = plat.cpu_mpidr[1] & 0xff;
    int64_t r;

    r = psci_call(FN32(AFFINITY_INFO), GARBAGE | one, GARBAGE, 0);
    report(r == PSCI_AFFINITY_OFF, "psciconf: AFFINITY_INFO_32(cpu 1, upper halves set) = %ld "
           "(OFF)", r);
    r = psci_call(FN64(AFFINITY_INFO), one, GARBAGE, 0);
    report(r == PSCI_AFFINITY_OFF, "psciconf: AFFINITY_INFO_64(cpu 1, level uint32 with upper "
           "half set) = %ld", r);
    r = psci_call(FN64(AFFINITY_INFO), 0x7f, 1, 0);
    report(r == PSCI_AFFINITY_ON, "psciconf: AFFINITY_INFO(Aff0 0x7f ignored, level 1) = %ld "
           "(ON: cpu 0 is)", r);
    r = psci_call(FN64(AFFINITY_INFO), 0xff7f, 2, 0);
    report(r == PSCI_AFFINITY_ON, "psciconf: AFFINITY_INFO(level 2) = %ld (ON)", r);
    r = psci_call(FN64(AFFINITY_INFO), 0xffffffUL, 3, 0);
    report(r == PSCI_AFFINITY_ON, "psciconf: AFFINITY_INFO(level 3) = %ld (ON)", r);
    r = psci_call(FN64(AFFINITY_INFO), 0, 4, 0);
    report(r == INVALID_PARAMS, "psciconf: AFFINITY_INFO(level 4) = %ld (INVALID_PARAMETERS)",
           r);
    r = psci_call(FN64(AFFINITY_INFO), 0x100, 1, 0);
    report(r == INVALID_PARAMS, "psciconf: AFFINITY_INFO(Aff1 = 1: no such cluster, level 1) = "
           "%ld", r);
    r = psci_call(FN64(AFFINITY_INFO), 0x1000000, 0, 0);
    report(r == INVALID_PARAMS, "psciconf: AFFINITY_INFO(MPIDR bit 24, outside the affinity "
           "fields) = %ld", r);
    r = psci_call(FN64(AFFINITY_INFO), 0x7, 0, 0);
    report(r == INVALID_PARAMS, "psciconf: AFFINITY_INFO(no such vCPU, level 0) = %ld", r);
}

static void test_suspend(void)
{
    int64_t r;

    timer_start_periodic(200); /* the wake-up of every suspend below */
    r = psci_call(FN32(CPU_SUSPEND), GARBAGE | 0, 0, 0);
    report(r == 0, "psciconf: CPU_SUSPEND_32(standby, upper half set) = %ld", r);
    r = psci_call(FN32(CPU_SUSPEND), 1U << 17, 0, 0);
    report(r == INVALID_PARAMS, "psciconf: CPU_SUSPEND(reserved bit 17) = %ld", r);
    r = psci_call(FN64(CPU_SUSPEND), 1U << 31, 0, 0);
    report(r == INVALID_PARAMS, "psciconf: CPU_SUSPEND_64(reserved bit 31) = %ld", r);
    r = psci_call(FN32(CPU_SUSPEND), 1U << 24, 0, 0);
    report(r == INVALID_PARAMS, "psciconf: CPU_SUSPEND(PowerLevel 1: one level only) = %ld", r);
    r = psci_call(FN64(CPU_SUSPEND), POWERDOWN, GARBAGE | (uintptr_t)pc_resume_entry, 0);
    report(r == INVALID_ADDRESS, "psciconf: CPU_SUSPEND_64(powerdown, entry with upper half set) "
           "= %ld (INVALID_ADDRESS)", r);

    /* powerdown through the 32-bit form, every argument with its upper half set */
    r = pc_save_call(&ctx, FN32(CPU_SUSPEND), GARBAGE | POWERDOWN,
                     GARBAGE | (uintptr_t)pc_resume_entry, GARBAGE | (uintptr_t)&ctx);
    timer_stop();
    report(r == PC_RESUMED, "psciconf: CPU_SUSPEND_32(powerdown, upper halves set) resumed at "
           "the entry point (%ld)", r);
    if (r == PC_RESUMED) {
        report(ctx.entry_x0 == (uintptr_t)&ctx, "psciconf: powerdown resume: x0 = 0x%lx (the "
               "context id's low half)", ctx.entry_x0);
        report((ctx.entry_sctlr & (SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_EE)) == 0 &&
               ctx.entry_daif == DAIF_ALL && ctx.entry_el == CURRENTEL_EL1 &&
               ctx.entry_spsel == 1, "psciconf: powerdown resume: EL1h, DAIF masked, MMU and "
               "caches off, little endian (SCTLR 0x%lx DAIF 0x%lx)", ctx.entry_sctlr,
               ctx.entry_daif);
    }
}

/* CPU_ON of vCPU 1 at pc_entry_stub (with on(), through the 32- or the 64-bit form): its
 * answer, and the stub's record once it turned itself off again. */
static int64_t start_stub(int64_t (*on)(uint64_t, uint64_t, uint64_t), uint64_t ctx_id,
                          struct pc_entry *rec)
{
    uint64_t mpidr = plat.cpu_mpidr[1];
    int64_t r;

    pc_entry_rec.done = 0;
    dsb_sy();
    r = on(mpidr, (uintptr_t)pc_entry_stub, ctx_id);
    if (r == 0 && (!wait_event_cond(cpu_is_off, &mpidr, 1000) || !pc_entry_rec.done)) {
        r = 1; /* started but never reached the stub */
    }
    rec->x0 = pc_entry_rec.x0;
    rec->others = pc_entry_rec.others;
    rec->sctlr = pc_entry_rec.sctlr;
    rec->el = pc_entry_rec.el;
    rec->daif = pc_entry_rec.daif;
    rec->spsel = pc_entry_rec.spsel;
    return r;
}

static int64_t on32_garbage(uint64_t mpidr, uint64_t entry, uint64_t ctx_id)
{
    return psci_call(FN32(CPU_ON), GARBAGE | mpidr, GARBAGE | entry, GARBAGE | ctx_id);
}

static int64_t on64(uint64_t mpidr, uint64_t entry, uint64_t ctx_id)
{
    return psci_call(FN64(CPU_ON), mpidr, entry, ctx_id);
}

static void test_cpu_on(void)
{
    struct pc_entry e;
    int64_t r = start_stub(on32_garbage, 0x600dc0deUL, &e);

    report(r == 0, "psciconf: CPU_ON_32(upper halves of x1-x3 set) = %ld, the vCPU ran", r);
    if (r == 0) {
        report(e.x0 == 0x600dc0deUL, "psciconf: CPU_ON_32 entry: x0 = 0x%lx (context id's low "
               "half)", e.x0);
    }
    r = start_stub(on64, 0x123456789abcdef0UL, &e);
    report(r == 0 && e.x0 == 0x123456789abcdef0UL, "psciconf: CPU_ON_64 entry: x0 = 0x%lx (the "
           "whole context id)", e.x0);
    report(r == 0 && e.others == 0, "psciconf: CPU_ON entry: x1-x30 zero (OR 0x%lx)", e.others);
    report(r == 0 && e.el == CURRENTEL_EL1 && e.spsel == 1 && e.daif == DAIF_ALL,
           "psciconf: CPU_ON entry: EL1h with D, A, I, F masked (CurrentEL 0x%lx SPSel %lu DAIF "
           "0x%lx)", e.el, e.spsel, e.daif);
    report(r == 0 && (e.sctlr & (SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_EE)) == 0,
           "psciconf: CPU_ON entry: MMU and caches off, little endian like its caller (SCTLR "
           "0x%lx)", e.sctlr);
    r = psci_call(FN64(CPU_ON), plat.cpu_mpidr[1], (uintptr_t)pc_entry_stub | 2, 0);
    report(r == INVALID_ADDRESS, "psciconf: CPU_ON(misaligned entry) = %ld", r);
    if (MMFR0_BIGEND(read_sysreg(id_aa64mmfr0_el1)) == 1) {
        r = start_stub(pc_cpu_on_be, 0xbe, &e);
        report(r == 0 && (e.sctlr & SCTLR_EE) != 0 && e.x0 == 0xbe,
               "psciconf: CPU_ON from a big-endian caller: the target starts big endian (SCTLR "
               "0x%lx)", e.sctlr);
    } else {
        report_info("psciconf: no mixed-endian support: big-endian CPU_ON not checked");
    }
}

/* vCPU 0 turns itself off; vCPU 1 (pc_revive_stub) turns it on again with a context id. */
static void test_revive(void)
{
    int64_t r;

    pc_revive_ret = 1;
    r = psci_call(FN64(CPU_ON), plat.cpu_mpidr[1], (uintptr_t)pc_revive_stub, (uintptr_t)&ctx);
    report(r == 0, "psciconf: CPU_ON(cpu 1, the revive stub) = %ld", r);
    if (r != 0) {
        return;
    }
    r = pc_save_call(&ctx, FN32(CPU_OFF), 0, 0, 0);
    tg_cpu_init(); /* CPU_ON reset the GIC CPU interface and the timer */
    uint64_t mpidr = plat.cpu_mpidr[1];
    report(wait_event_cond(cpu_is_off, &mpidr, 1000), "psciconf: vCPU 1 off after the revive");
    report(r == PC_RESUMED && pc_revive_ret == 0, "psciconf: vCPU 0 off, turned on again by "
           "vCPU 1 (CPU_OFF %ld, CPU_ON %ld)", r, (int64_t)pc_revive_ret);
    if (r == PC_RESUMED) {
        report(ctx.entry_x0 == (uintptr_t)&ctx, "psciconf: vCPU 0 turned on again: x0 = 0x%lx, "
               "its context id (not the device tree)", ctx.entry_x0);
    }
}

void tests_psciconf(void)
{
    if (plat.cpu_count < 2) {
        tg_fatal("psciconf needs two vCPUs");
    }
    test_registers();
    test_immediates();
    test_features();
    test_affinity();
    test_suspend();
    test_cpu_on();
    test_revive();
    tg_finish();
}
