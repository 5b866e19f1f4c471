// SPDX-License-Identifier: MIT
/*
 * tg.mode=debug: self-hosted debug (ARM DDI 0487 D2 "AArch64 Self-hosted Debug") and the
 * other CPU control registers a VM sees through the hypervisor: a hardware breakpoint, a
 * watchpoint and software step still work; the OS lock gates them (D2.5); a breakpoint
 * cannot ask to match at EL2 (DBGBCR.HMC reads back clear); breakpoints beyond
 * ID_AA64DFR0_EL1.BRPs do not exist; the OS double lock is not offered (OSDLR_EL1 RAZ/WI,
 * ID_AA64DFR0_EL1.DoubleLock = 0xf); ACTLR_EL1 ignores writes; an IMPLEMENTATION DEFINED
 * register access UNDEFs (the hypervisor records a sysreg_deny event).
 */
#include "bootargs.h"
#include "exc.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

/* Debug registers by encoding (no assembler extension needed). */
#define MDSCR_EL1        S2_0_C0_C2_2
#define OSLAR_EL1        S2_0_C1_C0_4
#define OSLSR_EL1        S2_0_C1_C1_4
#define OSDLR_EL1        S2_0_C1_C3_4
#define DBGPRCR_EL1      S2_0_C1_C4_4
#define MDRAR_EL1        S2_0_C1_C0_0
#define DBGBVR0_EL1      S2_0_C0_C0_4
#define DBGBCR0_EL1      S2_0_C0_C0_5
#define DBGWVR0_EL1      S2_0_C0_C0_6
#define DBGWCR0_EL1      S2_0_C0_C0_7
#define DBGBCR15_EL1     S2_0_C0_C15_5
#define ID_AA64DFR0_EL1  S3_0_C0_C5_0
#define ACTLR_EL1        S3_0_C1_C0_1
#define IMPDEF_REG       S3_1_C15_C2_0 /* Cortex-A72 CPUACTLR_EL1 */

#define MDSCR_SS         BIT(0)
#define MDSCR_TDCC       BIT(12)
#define MDSCR_KDE        BIT(13)
#define MDSCR_MDE        BIT(15)
#define OSLSR_OSLK       BIT(1)
#define OSLSR_OSLM       (BIT(3) | BIT(0))
#define OSLSR_OSLM_V8    BIT(3)  /* OSLM = 0b10: OS lock implemented */
#define DBGBCR_E         BIT(0)
#define DBGBCR_PMC_EL1   FIELD_PREP(GENMASK(2, 1), 1)
#define DBGBCR_BAS_A64   FIELD_PREP(GENMASK(8, 5), 0xf)
#define DBGXCR_HMC       BIT(13)
#define DBGWCR_PAC_EL1   FIELD_PREP(GENMASK(2, 1), 1)
#define DBGWCR_LSC_STORE FIELD_PREP(GENMASK(4, 3), 2)
#define DBGWCR_BAS_8     FIELD_PREP(GENMASK(12, 5), 0xff)
#define DFR0_BRPS        GENMASK(15, 12)
#define DFR0_WRPS        GENMASK(23, 20)
#define DFR0_DOUBLELOCK  GENMASK(39, 36)
#define DFR0_PMSVER      GENMASK(35, 32)
#define DFR0_TRACEVER    GENMASK(7, 4)
#define DOUBLELOCK_NI    0xf
#define ESR_EC_BKPT_CUR  0x31
#define ESR_EC_STEP_CUR  0x33
#define ESR_EC_WATCH_CUR 0x35
#define SPSR_SS          BIT(21)
#define SPSR_EL1H        0x5
#define DAIF_MASK        GENMASK(9, 6)
#define DAIF_D           BIT(9)
#define DAIF_D_IMM       8       /* "msr daifclr/daifset, #8": the D bit */

static volatile uint64_t watched __aligned(8);

/* Debug exceptions from EL1 to EL1 need MDSCR_EL1.KDE/MDE, PSTATE.D clear, OS lock clear. */
static void debug_enable(void)
{
    write_sysreg(0, OSLAR_EL1);
    write_sysreg(MDSCR_KDE | MDSCR_MDE, MDSCR_EL1);
    isb();
    __asm__ volatile("msr daifclr, #" __stringify(DAIF_D_IMM) ::: "memory");
}

static void debug_disable(void)
{
    __asm__ volatile("msr daifset, #" __stringify(DAIF_D_IMM) ::: "memory");
    write_sysreg(0, MDSCR_EL1);
    isb();
}

/* Breakpoint 0 on the NOP at label 1; returns whether it fired there (EC, ELR). */
static bool breakpoint_fires(uint64_t *esr)
{
    uint64_t addr;

    __asm__ volatile("adr %0, 1f" : "=r"(addr));
    write_sysreg(addr, DBGBVR0_EL1);
    write_sysreg(DBGBCR_E | DBGBCR_PMC_EL1 | DBGBCR_BAS_A64, DBGBCR0_EL1);
    isb();
    fault_expect();
    __asm__ volatile("1: nop" ::: "memory");
    bool taken = fault_taken(esr);
    write_sysreg(0, DBGBCR0_EL1);
    isb();
    return taken && this_cpu()->fault.elr == addr;
}

static void test_breakpoint(void)
{
    uint64_t esr = 0;

    debug_enable();
    bool fired = breakpoint_fires(&esr);
    report(fired && esr_ec(esr) == ESR_EC_BKPT_CUR,
           "debug: hardware breakpoint 0 fires at its address (ESR=0x%lx)", esr);

    /* OS lock locked: no debug exceptions (D2.5, "The effect of the OS Lock") */
    write_sysreg(1, OSLAR_EL1);
    isb();
    uint64_t oslsr = read_sysreg(OSLSR_EL1);
    esr = 0;
    fired = breakpoint_fires(&esr);
    write_sysreg(0, OSLAR_EL1);
    isb();
    uint64_t oslsr_unlocked = read_sysreg(OSLSR_EL1);
    report((oslsr & OSLSR_OSLK) && (oslsr & OSLSR_OSLM) == OSLSR_OSLM_V8 &&
               !(oslsr_unlocked & OSLSR_OSLK) && !fired,
           "debug: OS lock: OSLSR_EL1 0x%lx locked, 0x%lx unlocked; breakpoint while "
           "locked %s", oslsr, oslsr_unlocked, fired ? "FIRED" : "did not fire");
    debug_disable();
}

static void test_watchpoint(void)
{
    uint64_t esr = 0;
    uintptr_t addr = (uintptr_t)&watched;

    debug_enable();
    write_sysreg(addr, DBGWVR0_EL1);
    write_sysreg(DBGBCR_E | DBGWCR_PAC_EL1 | DBGWCR_LSC_STORE | DBGWCR_BAS_8, DBGWCR0_EL1);
    isb();
    fault_expect();
    (void)watched; /* a load: the watchpoint is for stores only */
    bool on_load = fault_taken(&esr);
    fault_expect();
    watched = 1;
    bool on_store = fault_taken(&esr);
    uint64_t far = this_cpu()->fault.far;
    write_sysreg(0, DBGWCR0_EL1);
    isb();
    debug_disable();
    report(!on_load && on_store && esr_ec(esr) == ESR_EC_WATCH_CUR && far == addr,
           "debug: store watchpoint on 0x%lx: load %s, store %s (ESR=0x%lx FAR=0x%lx)", addr,
           on_load ? "TRAPPED" : "passes", on_store ? "traps" : "DID NOT TRAP", esr, far);
}

/* ERET into label 1 with SPSR.SS set: one instruction runs, then a software step exception
 * (D2.12) with ELR at the next one; the handler (exc.c) ends stepping. */
static void test_single_step(void)
{
    uint64_t esr = 0, stepped = 0, target, spsr;

    /* PSTATE.D stays set until the ERET: MDSCR_EL1.SS with debug exceptions enabled and
     * PSTATE.SS clear would be "active-pending", a step exception at once (D2.12.4) */
    write_sysreg(0, OSLAR_EL1);
    write_sysreg(MDSCR_KDE | MDSCR_MDE | MDSCR_SS, MDSCR_EL1);
    isb();
    spsr = (read_sysreg(daif) & DAIF_MASK & ~DAIF_D) | BIT(7) | SPSR_SS | SPSR_EL1H;
    fault_expect();
    __asm__ volatile("adr %1, 1f\n"
                     "msr elr_el1, %1\n"
                     "msr spsr_el1, %2\n"
                     "eret\n"
                     "1: add %0, %0, #1\n"
                     "2: add %0, %0, #1\n"
                     "adr %1, 2b\n"
                     : "+r"(stepped), "=&r"(target)
                     : "r"(spsr)
                     : "memory");
    bool taken = fault_taken(&esr);
    uint64_t elr = this_cpu()->fault.elr;
    debug_disable();
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    report(taken && esr_ec(esr) == ESR_EC_STEP_CUR && elr == target && stepped == 2,
           "debug: software step: exception after one instruction (ESR=0x%lx ELR=0x%lx, "
           "expected 0x%lx), execution went on", esr, elr, target);
}

/* DBG{B,W}{V,C}R<n>_EL1 by number (the encodings are fixed: a switch), write or read. */
#define DBG_RW_CASE(n, op2)                                  \
    case n:                                                  \
        if (wr) {                                            \
            write_sysreg(*v, S2_0_C0_C##n##_##op2);          \
        } else {                                             \
            *v = read_sysreg(S2_0_C0_C##n##_##op2);          \
        }                                                    \
        break;
#define DBG_RW_SWITCH(n, op2)                                                            \
    switch (n) {                                                                         \
        DBG_RW_CASE(0, op2) DBG_RW_CASE(1, op2) DBG_RW_CASE(2, op2) DBG_RW_CASE(3, op2)  \
        DBG_RW_CASE(4, op2) DBG_RW_CASE(5, op2) DBG_RW_CASE(6, op2) DBG_RW_CASE(7, op2)  \
        DBG_RW_CASE(8, op2) DBG_RW_CASE(9, op2) DBG_RW_CASE(10, op2)                     \
        DBG_RW_CASE(11, op2) DBG_RW_CASE(12, op2) DBG_RW_CASE(13, op2)                   \
        DBG_RW_CASE(14, op2) DBG_RW_CASE(15, op2) default: break;                       \
    }

/* kind 0..3: BVR, BCR, WVR, WCR (op2 4..7) */
static void dbg_reg(unsigned kind, unsigned n, bool wr, uint64_t *v)
{
    switch (kind) {
    case 0: DBG_RW_SWITCH(n, 4) break;
    case 1: DBG_RW_SWITCH(n, 5) break;
    case 2: DBG_RW_SWITCH(n, 6) break;
    default: DBG_RW_SWITCH(n, 7) break;
    }
}

#define DBG_KINDS       4
#define DBG_MAX         16
#define SWITCH_WAITS    8
#define SWITCH_WAIT_MS  5

/* This guest's own value for register kind/n, from its name (two guests of one scenario get
 * different ones): addresses 4- or 8-aligned below 2^48, controls disabled (E clear). */
static uint64_t dbg_pattern(uint32_t seed, unsigned kind, unsigned n)
{
    uint64_t a = ((uint64_t)seed << 16 | (uint64_t)n << 8) & GENMASK(47, 3);

    switch (kind) {
    case 0:
        return a | 0x10000000000ull;
    case 1: /* PMC EL1 (seed even) or EL1 and EL0 (odd), BAS for A64 */
        return DBGBCR_BAS_A64 | FIELD_PREP(GENMASK(2, 1), (seed & 1) ? 3 : 1);
    case 2:
        return a | 0x20000000000ull;
    default: /* stores (even) or loads and stores (odd), BAS one half or the other */
        return FIELD_PREP(GENMASK(12, 5), (seed & 1) ? 0xf0 : 0x0f) |
               FIELD_PREP(GENMASK(4, 3), (seed & 1) ? 3 : 2) | DBGWCR_PAC_EL1;
    }
}

/*
 * The debug state is the vCPU's, also on a pCPU shared with other VMs (vdebug_save/load):
 * at start this guest sees the reset state (all comparators zero, MDSCR_EL1 guest bits clear,
 * OS lock locked) whatever another guest on the pCPU did before, and the values it writes
 * survive waits during which the others run and write theirs. s-pmu-debug-share runs two
 * guests of this mode (different names, so different values) on one pCPU: without the switch
 * the second to start sees the first's state, and each sees the other's values after a wait.
 */
static void test_state_switched(void)
{
    uint64_t dfr0 = read_sysreg(ID_AA64DFR0_EL1);
    unsigned cnt[DBG_KINDS];
    char name[32] = "";
    uint32_t seed = 2166136261u;
    uint64_t want[DBG_KINDS][DBG_MAX], v = 0, mdscr_want;
    bool reset = true, kept = true;
    unsigned bad_kind = 0, bad_n = 0;

    cnt[0] = cnt[1] = (unsigned)FIELD_GET(DFR0_BRPS, dfr0) + 1;
    cnt[2] = cnt[3] = (unsigned)FIELD_GET(DFR0_WRPS, dfr0) + 1;
    (void)bootarg_get("tg.name", name, sizeof(name));
    for (const char *c = name; *c; c++) {
        seed = (seed ^ (uint8_t)*c) * 16777619u;
    }
    for (unsigned k = 0; k < DBG_KINDS; k++) {
        for (unsigned n = 0; n < cnt[k] && n < DBG_MAX; n++) {
            dbg_reg(k, n, false, &v);
            reset = reset && v == 0;
        }
    }
    uint64_t mdscr0 = read_sysreg(MDSCR_EL1), oslsr0 = read_sysreg(OSLSR_EL1);
    reset = reset && !(mdscr0 & (MDSCR_SS | MDSCR_TDCC | MDSCR_KDE | MDSCR_MDE)) &&
            (oslsr0 & OSLSR_OSLK);
    report(reset, "debug: state at start is the reset state (comparators 0, MDSCR_EL1 0x%lx, "
           "OSLSR_EL1 0x%lx)", mdscr0, oslsr0);

    /* this guest's values, as the hardware keeps them */
    write_sysreg(0, OSLAR_EL1);
    mdscr_want = (seed & 1) ? MDSCR_MDE : MDSCR_TDCC;
    write_sysreg(mdscr_want, MDSCR_EL1);
    for (unsigned k = 0; k < DBG_KINDS; k++) {
        for (unsigned n = 0; n < cnt[k] && n < DBG_MAX; n++) {
            v = dbg_pattern(seed + n, k, n);
            dbg_reg(k, n, true, &v);
            dbg_reg(k, n, false, &want[k][n]);
        }
    }
    isb();
    for (unsigned w = 0; w < SWITCH_WAITS && kept; w++) {
        timer_delay_ms(SWITCH_WAIT_MS); /* the pCPU's other guests run and write theirs */
        for (unsigned k = 0; k < DBG_KINDS && kept; k++) {
            for (unsigned n = 0; n < cnt[k] && n < DBG_MAX && kept; n++) {
                dbg_reg(k, n, false, &v);
                if (v != want[k][n]) {
                    kept = false;
                    bad_kind = k;
                    bad_n = n;
                }
            }
        }
        kept = kept && read_sysreg(MDSCR_EL1) == mdscr_want &&
               !(read_sysreg(OSLSR_EL1) & OSLSR_OSLK);
    }
    report(kept, "debug: %u breakpoints, %u watchpoints, MDSCR_EL1 and the OS lock kept over "
           "%u waits%s%s #%u", cnt[0], cnt[2], SWITCH_WAITS, kept ? "" : ": first changed ",
           kept ? "" : (const char *[]){ "DBGBVR", "DBGBCR", "DBGWVR", "DBGWCR" }[bad_kind],
           bad_n);
    for (unsigned k = 0; k < DBG_KINDS; k++) {
        for (unsigned n = 0; n < cnt[k] && n < DBG_MAX; n++) {
            v = 0;
            dbg_reg(k, n, true, &v);
        }
    }
    write_sysreg(0, MDSCR_EL1);
    isb();
}

static void test_el2_match_refused(void)
{
    write_sysreg(DBGXCR_HMC | DBGBCR_PMC_EL1 | DBGBCR_BAS_A64, DBGBCR0_EL1);
    isb();
    uint64_t bcr = read_sysreg(DBGBCR0_EL1);
    write_sysreg(0, DBGBCR0_EL1);
    report(!(bcr & DBGXCR_HMC) && (bcr & DBGBCR_BAS_A64) == DBGBCR_BAS_A64,
           "debug: DBGBCR0_EL1 with HMC (match at EL2) reads back 0x%lx: HMC clear", bcr);
}

static void test_debug_id(void)
{
    uint64_t dfr0 = read_sysreg(ID_AA64DFR0_EL1);
    unsigned brps = (unsigned)FIELD_GET(DFR0_BRPS, dfr0) + 1;
    uint64_t esr = 0, v = 0;

    report(FIELD_GET(DFR0_DOUBLELOCK, dfr0) == DOUBLELOCK_NI && !FIELD_GET(DFR0_PMSVER, dfr0) &&
               !FIELD_GET(DFR0_TRACEVER, dfr0),
           "debug: ID_AA64DFR0_EL1 0x%lx: no double lock, SPE or trace", dfr0);
    write_sysreg(1, OSDLR_EL1);
    isb();
    report(read_sysreg(OSDLR_EL1) == 0, "debug: OSDLR_EL1 is RAZ/WI");
    report(read_sysreg(MDRAR_EL1) == 0, "debug: MDRAR_EL1 reads as zero (no ROM table)");
    /* QEMU 7.2's CPU models lack DBGPRCR_EL1: UNDEF at EL1 before any trap to EL2 */
    fault_expect();
    __asm__ volatile("mrs %0, " __stringify(DBGPRCR_EL1) : "+r"(v) : : "memory");
    if (fault_taken(&esr)) {
        report_info("debug: DBGPRCR_EL1 not implemented by this CPU (ESR=0x%lx)", esr);
    } else {
        write_sysreg(1, DBGPRCR_EL1);
        uint64_t prcr = read_sysreg(DBGPRCR_EL1);
        write_sysreg(0, DBGPRCR_EL1);
        report(prcr == 1 && read_sysreg(DBGPRCR_EL1) == 0,
               "debug: DBGPRCR_EL1.CORENPDRQ read/write");
    }
    esr = 0;
    if (brps < 16) {
        fault_expect();
        __asm__ volatile("mrs %0, " __stringify(DBGBCR15_EL1) : "+r"(v) : : "memory");
        bool undef = fault_taken(&esr) && esr_ec(esr) == ESR_EC_UNKNOWN;
        report(undef, "debug: DBGBCR15_EL1 with %u breakpoints -> %s (ESR=0x%lx)", brps,
               undef ? "UNDEF" : "no UNDEF", esr);
    }
}

/* QEMU 7.2 does not implement HCR_EL2.TIDCP (8.0 does): its Cortex-A72 IMPDEF registers are
 * constants there, reached without a trap. tg.tidcp=1 (hardware, newer QEMU) demands UNDEF. */
static void impdef_result(bool undef, const char *dir, uint64_t esr)
{
    if (undef || bootarg_get_u64("tg.tidcp", 0)) {
        report(undef, "debug: IMPLEMENTATION DEFINED S3_1_C15_C2_0 %s -> %s (ESR=0x%lx)", dir,
               undef ? "UNDEF" : "no UNDEF", esr);
    } else {
        report_info("debug: IMPLEMENTATION DEFINED S3_1_C15_C2_0 %s not trapped: this CPU "
                    "ignores HCR_EL2.TIDCP (QEMU before 8.0)", dir);
    }
}

static void test_actlr_impdef(void)
{
    uint64_t esr = 0, v = 0;
    uint64_t before = read_sysreg(ACTLR_EL1);

    write_sysreg(~before, ACTLR_EL1);
    isb();
    uint64_t after = read_sysreg(ACTLR_EL1);
    report(after == before, "debug: ACTLR_EL1 write ignored (0x%lx, after writing 0x%lx: 0x%lx)",
           before, ~before, after);

    fault_expect();
    __asm__ volatile("mrs %0, " __stringify(IMPDEF_REG) : "+r"(v) : : "memory");
    bool undef = fault_taken(&esr) && esr_ec(esr) == ESR_EC_UNKNOWN;
    impdef_result(undef, "read", esr);
    esr = 0;
    fault_expect();
    __asm__ volatile("msr " __stringify(IMPDEF_REG) ", %0" : : "r"(v) : "memory");
    undef = fault_taken(&esr) && esr_ec(esr) == ESR_EC_UNKNOWN;
    impdef_result(undef, "write", esr);
}

void tests_debug(void)
{
    test_state_switched();
    test_breakpoint();
    test_watchpoint();
    test_single_step();
    test_el2_match_refused();
    test_debug_id();
    test_actlr_impdef();
    tg_finish();
}
