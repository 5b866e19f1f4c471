// SPDX-License-Identifier: MIT
/*
 * The guest's PMUv3 (ARM DDI 0487 D13 "The Performance Monitors Extension", registers in
 * D13.4). The physical PMU holds the running guest's state (on a shared pCPU, vpmu_save and
 * vpmu_load switch it, only for guests that touched it); but every access traps (MDCR_EL2.TPM, TPMCR) and is carried out here,
 * because a PMUv3 (v8.0, Cortex-A72) guest could otherwise
 *   - set PMEVTYPER<n>_EL0.NSH / PMCCFILTR_EL0.NSH and count EL2's own work (MDCR_EL2.HPMD,
 *     which prohibits that, needs FEAT_PMUv3p1);
 *   - reset every counter with PMCR_EL0.P, the EL2 ones included (QEMU 7.2 ignores HPMN
 *     there).
 * The guest sees N = MDCR_EL2.HPMN counters (pmu.c keeps the last one for EL2 in CONFIG_BENCH
 * builds) plus the cycle counter; counters >= HPMN read as zero in the bitmask registers and
 * their direct accesses UNDEF, as at EL1 on hardware. EL2 and EL3 filter bits read as zero
 * and are never set: from the guest's view there is no EL2 (and EL3 counting is the
 * firmware's to allow, MDCR_EL3.SPME). PMSELR_EL0 is kept per pCPU here, so the hardware's
 * is free for EL2 (pmu_el2_insns) and for reaching counter n.
 */
#include "sched_cpu.h"
#include "vpmu.h"

#include <arch/cpu.h>
#include <bulkhead/errno.h>
#include <core/vm/vm.h>
#include <drivers/gic.h>

/* HW-linked: the guest's INTID is the physical one (the vGIC links them one to one). */
_Static_assert(VPMU_INTID == VGIC_PMU_INTID && VPMU_INTID == VPLAT_PMU_INTID, "PMU PPI");

/* PMCR_EL0 (D13.4.7) */
#define PMCR_E        BIT(0)
#define PMCR_P        BIT(1)
#define PMCR_C        BIT(2)
#define PMCR_D        BIT(3)
#define PMCR_X        BIT(4)
#define PMCR_DP       BIT(5)
#define PMCR_LC       BIT(6)
#define PMCR_N        GENMASK(15, 11)
#define PMCR_GUEST_RW (PMCR_E | PMCR_D | PMCR_X | PMCR_DP | PMCR_LC)
/* PMEVTYPER<n>_EL0 / PMCCFILTR_EL0 filter bits and event number (D13.4.3, D13.4.9) */
#define PMEVTYPER_P   BIT(31)
#define PMEVTYPER_U   BIT(30)
#define PMEVTYPER_NSK BIT(29)
#define PMEVTYPER_NSU BIT(28)
#define PMEVTYPER_EVT GENMASK(15, 0)
#define PMU_FILTER_GUEST (PMEVTYPER_P | PMEVTYPER_U | PMEVTYPER_NSK | PMEVTYPER_NSU)
#define PMUSERENR_GUEST GENMASK(3, 0) /* EN, SW, CR, ER */
#define PMSELR_SEL      GENMASK(4, 0)
#define PMSELR_CYCLE    31             /* SEL value that names PMCCFILTR_EL0 */
#define PMU_CYCLE_BIT   BIT(31)        /* the cycle counter in the bitmask registers */
/* ID_AA64DFR0_EL1.PMUVer: 0 none, 0xf IMPLEMENTATION DEFINED (not PMUv3) */
#define ID_AA64DFR0_PMUVER GENMASK(11, 8)
#define PMUVER_IMPDEF      0xf

/* The guest's PMSELR_EL0.SEL of each pCPU's vCPU (the one running, on a shared pCPU). */
static uint8_t vpmu_sel[MAX_CPUS];
/* The pCPU's PMU may differ from its reset state (a guest accessed it since vpmu_reset_cpu):
 * a shared pCPU's switch saves it only then (vpmu_save). */
static bool vpmu_dirty[MAX_CPUS];

static bool vpmu_present(void)
{
    uint64_t ver = FIELD_GET(ID_AA64DFR0_PMUVER, sysreg_read(id_aa64dfr0_el1));

    return ver != 0 && ver != PMUVER_IMPDEF;
}

/* Event counters the guest has: MDCR_EL2.HPMN (set by cpu.c from pmu_mdcr_bits). */
static unsigned vpmu_counters(void)
{
    return (unsigned)FIELD_GET(MDCR_HPMN_MASK, sysreg_read(mdcr_el2));
}

/* The guest's bits in PMCNTEN*, PMINTEN*, PMOVS*, PMSWINC: counters 0..HPMN-1, cycles. */
static uint64_t vpmu_mask(unsigned n)
{
    return (BIT(n) - 1) | PMU_CYCLE_BIT;
}

/* n of PMEVCNTR<n>_EL0 / PMEVTYPER<n>_EL0: CRm[1:0]:op2 (see vpmu.h). */
static unsigned vpmu_enc_index(uint32_t enc)
{
    return (unsigned)(FIELD_GET(SYSREG_ENC(0, 0, 0, 3, 0), enc) << 3 |
                      FIELD_GET(SYSREG_ENC(0, 0, 0, 0, 7), enc));
}

/* Event counter n (< HPMN) through the hardware PMSELR_EL0, which EL2 owns. */
static void vpmu_select(unsigned n)
{
    sysreg_write(pmselr_el0, n);
    isb();
}

static int vpmu_evtyper(unsigned n, bool is_read, uint64_t *val)
{
    if (n == PMSELR_CYCLE) {
        if (is_read) {
            *val = sysreg_read(pmccfiltr_el0) & PMU_FILTER_GUEST;
        } else {
            sysreg_write(pmccfiltr_el0, *val & PMU_FILTER_GUEST);
        }
        return 0;
    }
    if (n >= vpmu_counters()) {
        return -BH_ERANGE;
    }
    vpmu_select(n);
    if (is_read) {
        *val = sysreg_read(pmxevtyper_el0) & (PMU_FILTER_GUEST | PMEVTYPER_EVT);
    } else {
        /* NSH (EL2), M (EL3), SH, MT, T: never set, so the counter counts the guest only */
        sysreg_write(pmxevtyper_el0, *val & (PMU_FILTER_GUEST | PMEVTYPER_EVT));
    }
    return 0;
}

static int vpmu_evcntr(unsigned n, bool is_read, uint64_t *val)
{
    /* PMXEVCNTR_EL0 with SEL = 31 is CONSTRAINED UNPREDICTABLE: UNDEF is one option */
    if (n >= vpmu_counters()) {
        return -BH_ERANGE;
    }
    vpmu_select(n);
    if (is_read) {
        *val = sysreg_read(pmxevcntr_el0);
    } else {
        sysreg_write(pmxevcntr_el0, *val);
    }
    return 0;
}

static int vpmu_pmcr(bool is_read, uint64_t *val)
{
    unsigned n = vpmu_counters();
    uint64_t hw = sysreg_read(pmcr_el0);

    if (is_read) {
        /* P and C are write-only (read as zero); N reads as HPMN at EL1 */
        *val = (hw & ~(PMCR_N | PMCR_P | PMCR_C)) | FIELD_PREP(PMCR_N, n);
        return 0;
    }
    if (*val & PMCR_P) {
        /* At EL1, P resets the event counters below HPMN only (D13.4.7) */
        for (unsigned i = 0; i < n; i++) {
            vpmu_select(i);
            sysreg_write(pmxevcntr_el0, 0);
        }
    }
    sysreg_write(pmcr_el0, (hw & ~PMCR_GUEST_RW) | (*val & (PMCR_GUEST_RW | PMCR_C)));
    isb();
    return 0;
}

/* The registers that are one bit per counter (set/clear pairs): the guest's bits only. */
#define VPMU_BITMASK_REG(reg)                  \
    do {                                       \
        if (is_read) {                         \
            *val = sysreg_read(reg) & mask;    \
        } else {                               \
            sysreg_write(reg, *val & mask);    \
        }                                      \
    } while (0)

int vpmu_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val)
{
    unsigned cpu = v->pcpu;
    uint64_t mask = vpmu_mask(vpmu_counters());

    if (!vpmu_present() || cpu >= MAX_CPUS) {
        return -BH_ENOTSUP;
    }
    vpmu_dirty[cpu] = true; /* switched on a shared pCPU from now on (vpmu_save) */
    if ((enc & ~PMEV_N_ENC_MASK) == PMEVTYPER_EL0_ENC) {
        return vpmu_evtyper(vpmu_enc_index(enc), is_read, val);
    }
    if ((enc & ~PMEV_N_ENC_MASK) == PMEVCNTR_EL0_ENC) {
        /* n = 31 is not a PMEVCNTR<n>_EL0 encoding: UNDEF */
        return vpmu_evcntr(vpmu_enc_index(enc), is_read, val);
    }
    switch (enc) {
    case PMCR_EL0_ENC:
        return vpmu_pmcr(is_read, val);
    case PMCNTENSET_EL0_ENC:
        VPMU_BITMASK_REG(pmcntenset_el0);
        break;
    case PMCNTENCLR_EL0_ENC:
        VPMU_BITMASK_REG(pmcntenclr_el0);
        break;
    case PMOVSSET_EL0_ENC:
        VPMU_BITMASK_REG(pmovsset_el0);
        break;
    case PMOVSCLR_EL0_ENC:
        VPMU_BITMASK_REG(pmovsclr_el0);
        break;
    case PMINTENSET_EL1_ENC:
        VPMU_BITMASK_REG(pmintenset_el1);
        break;
    case PMINTENCLR_EL1_ENC:
        VPMU_BITMASK_REG(pmintenclr_el1);
        break;
    case PMSWINC_EL0_ENC:
        if (is_read) {
            return -BH_EPERM; /* write-only */
        }
        sysreg_write(pmswinc_el0, *val & mask & ~PMU_CYCLE_BIT);
        break;
    case PMSELR_EL0_ENC:
        if (is_read) {
            *val = vpmu_sel[cpu];
        } else {
            vpmu_sel[cpu] = (uint8_t)FIELD_GET(PMSELR_SEL, *val);
        }
        break;
    case PMCEID0_EL0_ENC:
    case PMCEID1_EL0_ENC:
        if (!is_read) {
            return -BH_EPERM; /* read-only */
        }
        *val = enc == PMCEID0_EL0_ENC ? sysreg_read(pmceid0_el0) : sysreg_read(pmceid1_el0);
        break;
    case PMCCNTR_EL0_ENC:
        if (is_read) {
            *val = sysreg_read(pmccntr_el0);
        } else {
            sysreg_write(pmccntr_el0, *val);
        }
        break;
    case PMXEVTYPER_EL0_ENC:
        return vpmu_evtyper(vpmu_sel[cpu], is_read, val);
    case PMXEVCNTR_EL0_ENC:
        return vpmu_evcntr(vpmu_sel[cpu], is_read, val);
    case PMUSERENR_EL0_ENC:
        if (is_read) {
            *val = sysreg_read(pmuserenr_el0) & PMUSERENR_GUEST;
        } else {
            sysreg_write(pmuserenr_el0, *val & PMUSERENR_GUEST);
        }
        break;
    default:
        return -BH_ENOTSUP;
    }
    return 0;
}

void vpmu_reset_cpu(void)
{
    unsigned n = vpmu_counters();
    uint64_t mask = vpmu_mask(n);
    unsigned cpu = arch_cpu_id();

    if (!vpmu_present()) {
        return;
    }
    /* Disable first, so nothing counts or overflows while the rest is cleared. */
    sysreg_write(pmcr_el0, sysreg_read(pmcr_el0) & ~PMCR_GUEST_RW);
    sysreg_write(pmcntenclr_el0, mask);
    sysreg_write(pmintenclr_el1, mask);
    sysreg_write(pmovsclr_el0, mask);
    for (unsigned i = 0; i < n; i++) {
        vpmu_select(i);
        sysreg_write(pmxevtyper_el0, 0);
        sysreg_write(pmxevcntr_el0, 0);
    }
    sysreg_write(pmccfiltr_el0, 0);
    sysreg_write(pmccntr_el0, 0);
    sysreg_write(pmuserenr_el0, 0);
    if (cpu < MAX_CPUS) {
        vpmu_sel[cpu] = 0;
        vpmu_dirty[cpu] = false;
    }
    isb();
}

void vpmu_save(struct vpmu_state *s)
{
    unsigned n = vpmu_counters(), cpu = arch_cpu_id();
    uint64_t mask = vpmu_mask(n);

    s->valid = vpmu_present() && cpu < MAX_CPUS && vpmu_dirty[cpu];
    if (!s->valid) {
        return;
    }
    /* EL2 is not counted (NSH is never set): the counts stand still while this runs */
    s->pmcr = (uint32_t)(sysreg_read(pmcr_el0) & PMCR_GUEST_RW);
    s->cnten = (uint32_t)(sysreg_read(pmcntenset_el0) & mask);
    s->inten = (uint32_t)(sysreg_read(pmintenset_el1) & mask);
    s->ovs = (uint32_t)(sysreg_read(pmovsset_el0) & mask);
    s->userenr = (uint32_t)(sysreg_read(pmuserenr_el0) & PMUSERENR_GUEST);
    s->ccfiltr = (uint32_t)(sysreg_read(pmccfiltr_el0) & PMU_FILTER_GUEST);
    s->ccntr = sysreg_read(pmccntr_el0);
    for (unsigned i = 0; i < n && i < VPMU_MAX_COUNTERS; i++) {
        vpmu_select(i);
        s->evtyper[i] = (uint32_t)(sysreg_read(pmxevtyper_el0) & (PMU_FILTER_GUEST | PMEVTYPER_EVT));
        s->evcntr[i] = sysreg_read(pmxevcntr_el0);
    }
    s->sel = vpmu_sel[cpu];
    s->irq_line = vpmu_irq_line();
    vpmu_reset_cpu();
}

void vpmu_load(const struct vpmu_state *s)
{
    unsigned n = vpmu_counters(), cpu = arch_cpu_id();

    if (!s->valid || !vpmu_present() || cpu >= MAX_CPUS) {
        return; /* the reset state it is in */
    }
    for (unsigned i = 0; i < n && i < VPMU_MAX_COUNTERS; i++) {
        vpmu_select(i);
        sysreg_write(pmxevtyper_el0, s->evtyper[i]);
        sysreg_write(pmxevcntr_el0, s->evcntr[i]);
    }
    sysreg_write(pmccfiltr_el0, s->ccfiltr);
    sysreg_write(pmccntr_el0, s->ccntr);
    sysreg_write(pmuserenr_el0, s->userenr);
    /* PMCR (E) before the overflow and interrupt enables: QEMU 7.2 evaluates the overflow
     * interrupt's line only when PMOVSSET, PMINTENSET or an overflow change, not when PMCR.E
     * does, so an overflow pending as the vCPU went out came back with its line low and was
     * lost (its WFI never ended). Nothing counts yet: PMCNTENSET comes last. */
    sysreg_write(pmcr_el0, (sysreg_read(pmcr_el0) & ~PMCR_GUEST_RW) | s->pmcr);
    sysreg_write(pmovsset_el0, s->ovs);
    sysreg_write(pmintenset_el1, s->inten);
    sysreg_write(pmcntenset_el0, s->cnten);
    vpmu_sel[cpu] = s->sel;
    vpmu_dirty[cpu] = true;
    isb();
}

bool vpmu_irq_line(void)
{
    uint64_t mask = vpmu_mask(vpmu_counters());

    if (!vpmu_present() || !(sysreg_read(pmcr_el0) & PMCR_E)) {
        return false;
    }
    return (sysreg_read(pmovsset_el0) & sysreg_read(pmintenset_el1) & mask) != 0;
}

void vpmu_silence(void)
{
    if (vpmu_present()) {
        sysreg_write(pmintenclr_el1, vpmu_mask(vpmu_counters()));
        isb();
    }
}

bool vpmu_irq(struct vcpu *v, uint32_t intid)
{
    if (!v || v->state != VCPU_RUNNING) {
        /* No guest owns this PMU now: drop the line and complete the interrupt. */
        vpmu_silence();
        gic_deactivate(intid);
        return false;
    }
    v->stats.irqs_injected++;
    if (vgic_rearm_hw(&v->vm->vgic, v->idx, intid)) {
        return true;
    }
    vgic_inject_hw(&v->vm->vgic, v->idx, intid, intid);
    return false;
}
