// SPDX-License-Identifier: MIT
/*
 * tg.mode=pmu: the virtual PMUv3 (ARM DDI 0487 D13 "The Performance Monitors Extension").
 * PMCR_EL0.N says how many event counters the VM has (tg.pmu_n=, if given, is the number the
 * scenario expects); those count, the others do not exist; the cycle counter counts and
 * stops; an event counter counts this guest's instructions (event 0x08 INST_RETIRED, exact
 * under QEMU -icount) and nothing the hypervisor runs on its behalf; an overflow raises PPI 23
 * (INTID 23, level) through the GIC. Each run first checks that the PMU is in its reset state
 * (nothing left from boot or a previous VM instance); with tg.pmu_restart=1 the run then
 * dirties every PMU register and resets the VM (PSCI SYSTEM_RESET), so the next instance
 * checks what a restart leaves behind.
 */
#include "bootargs.h"
#include "exc.h"
#include "gic.h"
#include "psci.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

/* PMU registers by encoding (no assembler extension needed). */
#define PMCR_EL0          S3_3_C9_C12_0
#define PMCNTENSET_EL0    S3_3_C9_C12_1
#define PMCNTENCLR_EL0    S3_3_C9_C12_2
#define PMOVSCLR_EL0      S3_3_C9_C12_3
#define PMSELR_EL0        S3_3_C9_C12_5
#define PMCCNTR_EL0       S3_3_C9_C13_0
#define PMXEVTYPER_EL0    S3_3_C9_C13_1
#define PMXEVCNTR_EL0     S3_3_C9_C13_2
#define PMUSERENR_EL0     S3_3_C9_C14_0
#define PMINTENSET_EL1    S3_0_C9_C14_1
#define PMINTENCLR_EL1    S3_0_C9_C14_2
#define PMOVSSET_EL0      S3_3_C9_C14_3
#define PMEVCNTR0_EL0     S3_3_C14_C8_0
#define PMEVTYPER0_EL0    S3_3_C14_C12_0
#define PMEVCNTR30_EL0    S3_3_C14_C11_6
#define PMCCFILTR_EL0     S3_3_C14_C15_7
#define ID_AA64DFR0_EL1   S3_0_C0_C5_0

#define PMCR_E            BIT(0)
#define PMCR_P            BIT(1)
#define PMCR_C            BIT(2)
#define PMCR_LC           BIT(6)
#define PMCR_N            GENMASK(15, 11)
#define PMCR_WRITABLE     GENMASK(6, 0)
#define PMU_CYCLES        BIT(31)
#define PMEVTYPER_NSH     BIT(27)
#define PMCCFILTR_P_U     (BIT(31) | BIT(30)) /* count neither EL1 nor EL0 */
#define PMU_INST_RETIRED  0x08
#define PMUSERENR_ALL     GENMASK(3, 0)
#define DFR0_PMUVER       GENMASK(11, 8)
#define PMUVER_V3         1
#define PMU_INTID         23
#define PSCI_SYSTEM_RESET 0x84000009u

#define LOOP_ITERS        1000
#define LOOP_INSNS        (2 * LOOP_ITERS)  /* subs + b.ne per iteration */
#define LOOP_SLACK        32                /* the counter's own enable/disable and reads */
#define TRAP_READS        100               /* guest instructions that each trap to EL2 */
#define TRAP_READ_SLACK   8                 /* counted guest instructions per trapping read */
#define OVF_HEADROOM      200               /* counts before the 32-bit counter wraps */
#define OVF_WAIT_MS       1000

static volatile uint32_t pmu_irqs;
static volatile uint64_t pmu_irq_ovs;

/* The event counters PMCR_EL0.N says this VM has. */
static unsigned pmu_n(void)
{
    return (unsigned)FIELD_GET(PMCR_N, read_sysreg(PMCR_EL0));
}

static uint64_t pmu_guest_mask(unsigned n)
{
    return (BIT(n) - 1) | PMU_CYCLES;
}

/* A fixed number of guest instructions: LOOP_ITERS x (subs, b.ne). */
static void run_loop(void)
{
    uint64_t i = LOOP_ITERS;

    __asm__ volatile("1: subs %0, %0, #1\n b.ne 1b" : "+r"(i) : : "cc");
}

/* Every register a guest can set is zero (or reads as its reset state). */
static void test_reset_state(void)
{
    unsigned n = pmu_n();
    uint64_t mask = pmu_guest_mask(n);
    uint64_t pmcr = read_sysreg(PMCR_EL0) & PMCR_WRITABLE;
    uint64_t en = read_sysreg(PMCNTENSET_EL0), inten = read_sysreg(PMINTENSET_EL1);
    uint64_t ovs = read_sysreg(PMOVSSET_EL0), user = read_sysreg(PMUSERENR_EL0);
    uint64_t ccnt = read_sysreg(PMCCNTR_EL0), cfilt = read_sysreg(PMCCFILTR_EL0);
    uint64_t sel = read_sysreg(PMSELR_EL0);
    bool counters_zero = true;

    for (unsigned i = 0; i < n; i++) {
        write_sysreg(i, PMSELR_EL0);
        isb();
        if (read_sysreg(PMXEVCNTR_EL0) || read_sysreg(PMXEVTYPER_EL0)) {
            counters_zero = false;
        }
    }
    write_sysreg(0, PMSELR_EL0);
    report(!pmcr && !(en & mask) && !(inten & mask) && !(ovs & mask) && !user && !ccnt &&
               !cfilt && !sel && counters_zero,
           "pmu: state at start is the reset state (PMCR=0x%lx CNTEN=0x%lx INTEN=0x%lx "
           "OVS=0x%lx USERENR=0x%lx CCNTR=0x%lx CCFILTR=0x%lx SEL=%lu counters %s)",
           pmcr, en, inten, ovs, user, ccnt, cfilt, sel, counters_zero ? "zero" : "NOT zero");
}

static void test_pmcr_n(void)
{
    unsigned n = pmu_n();
    uint64_t want = bootarg_get_u64("tg.pmu_n", n);
    uint64_t dfr0 = read_sysreg(ID_AA64DFR0_EL1);

    report(FIELD_GET(DFR0_PMUVER, dfr0) == PMUVER_V3, "pmu: ID_AA64DFR0_EL1.PMUVer = %lu (PMUv3)",
           FIELD_GET(DFR0_PMUVER, dfr0));
    report(n == want, "pmu: PMCR_EL0.N = %u event counters (expected %lu)", n, want);
    /* the enable bits of counters that do not exist read as zero (D13.4.3) */
    write_sysreg(~UINT64_C(0), PMCNTENSET_EL0);
    uint64_t en = read_sysreg(PMCNTENSET_EL0);
    write_sysreg(~UINT64_C(0), PMCNTENCLR_EL0);
    report(en == pmu_guest_mask(n), "pmu: PMCNTENSET_EL0 all-ones reads 0x%lx (N=%u + cycles)",
           en, n);
}

static void test_cycle_counter(void)
{
    write_sysreg(0, PMCCFILTR_EL0);
    write_sysreg(PMCR_E | PMCR_C | PMCR_LC, PMCR_EL0);
    write_sysreg(PMU_CYCLES, PMCNTENSET_EL0);
    isb();
    uint64_t c0 = read_sysreg(PMCCNTR_EL0);
    run_loop();
    uint64_t c1 = read_sysreg(PMCCNTR_EL0);
    report(c1 > c0, "pmu: cycle counter counts (%lu -> %lu)", c0, c1);

    write_sysreg(PMU_CYCLES, PMCNTENCLR_EL0);
    isb();
    uint64_t s0 = read_sysreg(PMCCNTR_EL0);
    run_loop();
    uint64_t s1 = read_sysreg(PMCCNTR_EL0);
    report(s0 == s1, "pmu: cycle counter stops when disabled (%lu -> %lu)", s0, s1);
    write_sysreg(PMCR_C, PMCR_EL0);
}

/* Counter 0 counts INST_RETIRED at EL1/EL0 around fn; returns the count. */
static uint64_t count_insns(void (*fn)(void))
{
    write_sysreg(PMCR_E | PMCR_P | PMCR_LC, PMCR_EL0);
    write_sysreg(PMU_INST_RETIRED, PMEVTYPER0_EL0);
    write_sysreg(0, PMEVCNTR0_EL0);
    write_sysreg(BIT(0), PMCNTENSET_EL0);
    fn();
    write_sysreg(BIT(0), PMCNTENCLR_EL0);
    return read_sysreg(PMEVCNTR0_EL0);
}

static void trapping_reads(void)
{
    for (unsigned i = 0; i < TRAP_READS; i++) {
        (void)read_sysreg(PMCCFILTR_EL0); /* traps: the hypervisor runs hundreds of its own */
    }
}

static void test_event_counter(void)
{
    if (pmu_n() == 0) {
        report_info("pmu: no event counter offered, instruction counting not tested");
        return;
    }
    uint64_t n = count_insns(run_loop);
    report(n >= LOOP_INSNS && n <= LOOP_INSNS + LOOP_SLACK,
           "pmu: event 0x08 counted %lu instructions for a %u-instruction loop", n, LOOP_INSNS);

    /* The hypervisor's filter bit cannot be set, and what EL2 runs is never counted. */
    write_sysreg(PMEVTYPER_NSH | PMU_INST_RETIRED, PMEVTYPER0_EL0);
    uint64_t t = read_sysreg(PMEVTYPER0_EL0);
    report(t == PMU_INST_RETIRED, "pmu: PMEVTYPER0_EL0 with NSH (count EL2) reads 0x%lx", t);
    n = count_insns(trapping_reads);
    report(n <= (uint64_t)TRAP_READS * TRAP_READ_SLACK,
           "pmu: %u trapped accesses counted as %lu instructions (the guest's only)", TRAP_READS,
           n);
}

static void pmu_irq(uint32_t intid)
{
    (void)intid;
    pmu_irq_ovs = read_sysreg(PMOVSSET_EL0);
    /* level-sensitive: the overflow flag is the interrupt line (D13.1.x), clear it first */
    write_sysreg(BIT(0), PMCNTENCLR_EL0);
    write_sysreg(BIT(0), PMOVSCLR_EL0);
    isb();
    pmu_irqs = pmu_irqs + 1;
}

static bool irq_seen(const void *arg)
{
    (void)arg;
    return pmu_irqs != 0;
}

static void test_overflow_irq(void)
{
    if (pmu_n() == 0) {
        return;
    }
    gic_set_handler(PMU_INTID, pmu_irq);
    gic_enable_private(PMU_INTID);
    write_sysreg(PMCR_E | PMCR_LC, PMCR_EL0);
    write_sysreg(PMU_INST_RETIRED, PMEVTYPER0_EL0);
    write_sysreg(UINT32_MAX - OVF_HEADROOM, PMEVCNTR0_EL0);
    write_sysreg(BIT(0), PMINTENSET_EL1);
    write_sysreg(BIT(0), PMCNTENSET_EL0);
    /* Our own instructions overflow it: a core asleep in WFI retires none. (QEMU counts its
     * global instruction count while a vCPU halts at EL1, so an untrapped WFI used to do it;
     * on a shared pCPU WFI traps and the count stands still at EL2, so the wait ran into its
     * time limit and passed or failed by the order of what came after.) */
    uint64_t t0 = timer_now();
    run_loop();
    bool seen = wait_irq_cond(irq_seen, NULL, OVF_WAIT_MS);
    uint64_t waited_ms = (timer_now() - t0) * 1000 / timer_freq();
    uint64_t ovs = read_sysreg(PMOVSSET_EL0);
    timer_delay_ms(10);
    report(seen && waited_ms < OVF_WAIT_MS / 10 && (pmu_irq_ovs & BIT(0)) && !(ovs & BIT(0)) &&
               pmu_irqs == 1,
           "pmu: counter 0 overflow raised PPI %u once (%u taken after %lu ms, PMOVSSET in "
           "handler 0x%lx, after 0x%lx)", PMU_INTID, pmu_irqs, (unsigned long)waited_ms,
           pmu_irq_ovs, ovs);
    write_sysreg(BIT(0), PMINTENCLR_EL1);
    gic_disable_private(PMU_INTID);
}

static void test_beyond_n(void)
{
    unsigned n = pmu_n();
    uint64_t esr = 0, v = 0;

    write_sysreg(n, PMSELR_EL0);
    isb();
    fault_expect();
    __asm__ volatile("mrs %0, " __stringify(PMXEVCNTR_EL0) : "+r"(v) : : "memory");
    bool undef = fault_taken(&esr) && esr_ec(esr) == ESR_EC_UNKNOWN;
    report(undef, "pmu: PMXEVCNTR_EL0 with PMSELR_EL0.SEL = N (%u) -> %s (ESR=0x%lx)", n,
           undef ? "UNDEF" : "no UNDEF", esr);
    write_sysreg(0, PMSELR_EL0);

    esr = 0;
    fault_expect();
    __asm__ volatile("mrs %0, " __stringify(PMEVCNTR30_EL0) : "+r"(v) : : "memory");
    undef = fault_taken(&esr) && esr_ec(esr) == ESR_EC_UNKNOWN;
    report(undef, "pmu: PMEVCNTR30_EL0 (beyond N) -> %s (ESR=0x%lx)",
           undef ? "UNDEF" : "no UNDEF", esr);
}

/* Leave something in every register a guest can set, then reset the VM. */
static void dirty_and_restart(void)
{
    unsigned n = pmu_n();

    write_sysreg(PMUSERENR_ALL, PMUSERENR_EL0);
    write_sysreg(PMCCFILTR_P_U, PMCCFILTR_EL0);
    for (unsigned i = 0; i < n; i++) {
        write_sysreg(i, PMSELR_EL0);
        isb();
        write_sysreg(PMU_INST_RETIRED, PMXEVTYPER_EL0);
        write_sysreg(UINT32_MAX - i, PMXEVCNTR_EL0);
    }
    write_sysreg(pmu_guest_mask(n), PMOVSSET_EL0);
    write_sysreg(pmu_guest_mask(n), PMCNTENSET_EL0);
    write_sysreg(PMCR_E | PMCR_LC, PMCR_EL0);
    tg_print("pmu: PMU state dirtied, calling SYSTEM_RESET");
    psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    tg_fatal("pmu: SYSTEM_RESET returned");
}

void tests_pmu(void)
{
    test_reset_state();
    if (bootarg_get_u64("tg.pmu_restart", 0)) {
        dirty_and_restart();
    }
    test_pmcr_n();
    test_cycle_counter();
    test_event_counter();
    test_overflow_irq();
    test_beyond_n();
    tg_finish();
}
