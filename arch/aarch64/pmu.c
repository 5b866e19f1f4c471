// SPDX-License-Identifier: MIT
/*
 * The EL2 instruction counter used by `make bench` (docs/PERFORMANCE.md). The last PMU event
 * counter is reserved for EL2 through MDCR_EL2.HPMN and counts INST_RETIRED (event 0x08) at
 * EL2 only (PMEVTYPER P, U set: not EL1/EL0; NSH set: EL2), per ARM DDI 0487 D11, and EL3
 * (M = P) where the EL3 firmware allows secure counting: only Bulkhead's bench firmware does
 * (MDCR_EL3.SPME, docs/TRUST.md), so a window around an SMC holds its EL3 part too. Under QEMU
 * `-icount` this count is exact and repeatable (shared/notes/measuring.md). Guests never see
 * the PMU (MDCR_EL2.TPM); benchmark guests read the counter through a hypercall that exists
 * only in CONFIG_BENCH builds.
 */
#include "pmu.h"

#include <arch/sysreg.h>

#define PMCR_N_SHIFT     11
#define PMCR_N_MASK      0x1f
#define PMEVTYPER_P      BIT(31)
#define PMEVTYPER_U      BIT(30)
#define PMEVTYPER_NSH    BIT(27)
#define PMEVTYPER_M      BIT(26)  /* equal to P: EL3 counted too, where EL3 allows (SPME) */
#define PMU_INST_RETIRED 0x08
#define PMCCFILTR_NSH    BIT(27)
#define PMCR_E           BIT(0)
#define PMCR_C           BIT(2)

static unsigned pmu_counters(void)
{
    return (unsigned)((sysreg_read(pmcr_el0) >> PMCR_N_SHIFT) & PMCR_N_MASK);
}

uint64_t pmu_mdcr_bits(void)
{
    unsigned n = pmu_counters();

    if (!IS_ENABLED(CONFIG_BENCH) || n == 0) {
        return FIELD_PREP(MDCR_HPMN_MASK, n);
    }
    return FIELD_PREP(MDCR_HPMN_MASK, n - 1) | MDCR_HPME;
}

void pmu_init_cpu(void)
{
    unsigned n = pmu_counters();

    if (!IS_ENABLED(CONFIG_BENCH) || n == 0) {
        return;
    }
    sysreg_write(pmselr_el0, n - 1);
    isb();
    sysreg_write(pmxevtyper_el0, PMEVTYPER_P | PMEVTYPER_U | PMEVTYPER_NSH | PMEVTYPER_M |
                                     PMU_INST_RETIRED);
    sysreg_write(pmxevcntr_el0, 0);
    sysreg_write(pmcntenset_el0, BIT(n - 1) | BIT(31));
    /* The cycle counter, filtered to count at all ELs, measures boot (== instructions under
     * icount). */
    sysreg_write(pmccfiltr_el0, PMCCFILTR_NSH);
    sysreg_write(pmcr_el0, sysreg_read(pmcr_el0) | PMCR_E);
    isb();
}

uint64_t pmu_el2_insns(void)
{
    unsigned n = pmu_counters();

    if (!IS_ENABLED(CONFIG_BENCH) || n == 0) {
        return 0;
    }
    sysreg_write(pmselr_el0, n - 1);
    isb();
    return sysreg_read(pmxevcntr_el0);
}

uint64_t pmu_cycles(void)
{
    return IS_ENABLED(CONFIG_BENCH) ? sysreg_read(pmccntr_el0) : 0;
}
