// SPDX-License-Identifier: MIT
/*
 * Trapped MSR/MRS from guests (EC 0x18, ARM DDI 0487 D17.2.37 "ISS encoding for an exception
 * from MSR, MRS, or System instruction"). A sorted const table names every register we handle
 * or refuse on purpose; anything else is refused the same way and named by its encoding.
 * Refused accesses get UNDEF and a sysreg_deny event, as the architecture allows for
 * registers of features a VM does not have (the physical timer, IMPLEMENTATION DEFINED
 * registers trapped by HCR_EL2.TIDCP, ...). Emulated: the PMU (vpmu.c), debug, ID and
 * auxiliary control registers (vdebug.c).
 */
#include "trap.h"
#include "vdebug.h"
#include "vpmu.h"
#include "vtimer.h"

#include <arch/sysreg.h>
#include <core/vm/vm.h>
#include <lib/fmt.h>

/* Emulated registers (SR_EMUL) name an access function in their row: it returns 0 with *val
 * read or written, or a negative error for an access the vCPU may not make (UNDEF + event).
 * The functions live with the feature they emulate (timers, PMU, debug: see trap.h). */
enum sysreg_action {
    SR_DENY,     /* UNDEF + event */
    SR_RAZ_WI,   /* read as zero, write ignored */
    SR_SGI1R,    /* Group 1 SGI generation: emulated by the vGIC */
    SR_SGI0,     /* Group 0 SGI generation (ICC_SGI0R_EL1, ICC_ASGI1R_EL1 with DS=1) */
    SR_EMUL,     /* the row's access function */
};

struct sysreg_row {
    uint32_t enc;
    const char *name;
    enum sysreg_action action;
    sysreg_access_fn access;
};

/* One row per register (no duplicates), sorted by the numeric value of SYSREG_ENC (which puts
 * op2 above op1 and CRn, so this is not the architecture's register order) for the binary
 * search; sysreg_table_check verifies it at boot. */
const struct sysreg_row sysreg_rows[] = {
    { MDCCINT_EL1_ENC, "MDCCINT_EL1", SR_RAZ_WI, NULL },
    { MDRAR_EL1_ENC, "MDRAR_EL1", SR_RAZ_WI, NULL },
    { MDCCSR_EL0_ENC, "MDCCSR_EL0", SR_RAZ_WI, NULL },
    { DBGDTR_EL0_ENC, "DBGDTR_EL0", SR_RAZ_WI, NULL },
    { DBGDTRRX_EL0_ENC, "DBGDTRRX_EL0", SR_RAZ_WI, NULL },
    { OSDTRRX_EL1_ENC, "OSDTRRX_EL1", SR_RAZ_WI, NULL },
    { MDSCR_EL1_ENC, "MDSCR_EL1", SR_EMUL, vdebug_access },
    { OSDTRTX_EL1_ENC, "OSDTRTX_EL1", SR_RAZ_WI, NULL },
    { OSECCR_EL1_ENC, "OSECCR_EL1", SR_RAZ_WI, NULL },
    { OSLAR_EL1_ENC, "OSLAR_EL1", SR_EMUL, vdebug_access },
    { OSLSR_EL1_ENC, "OSLSR_EL1", SR_EMUL, vdebug_access },
    { OSDLR_EL1_ENC, "OSDLR_EL1", SR_RAZ_WI, NULL },
    { DBGPRCR_EL1_ENC, "DBGPRCR_EL1", SR_EMUL, vdebug_access },
    { DBGCLAIMSET_EL1_ENC, "DBGCLAIMSET_EL1", SR_RAZ_WI, NULL },
    { DBGCLAIMCLR_EL1_ENC, "DBGCLAIMCLR_EL1", SR_RAZ_WI, NULL },
    { DBGAUTHSTATUS_EL1_ENC, "DBGAUTHSTATUS_EL1", SR_EMUL, vdebug_access },
    { PMCR_EL0_ENC, "PMCR_EL0", SR_EMUL, vpmu_access },
    { PMCCNTR_EL0_ENC, "PMCCNTR_EL0", SR_EMUL, vpmu_access },
    { PMUSERENR_EL0_ENC, "PMUSERENR_EL0", SR_EMUL, vpmu_access },
    { SYSREG_ENC(3, 3, 14, 2, 0), "CNTP_TVAL_EL0", SR_EMUL, vtimer_ptimer_access },
    { ACTLR_EL1_ENC, "ACTLR_EL1", SR_EMUL, vdebug_actlr_access },
    { PMINTENSET_EL1_ENC, "PMINTENSET_EL1", SR_EMUL, vpmu_access },
    { PMCNTENSET_EL0_ENC, "PMCNTENSET_EL0", SR_EMUL, vpmu_access },
    { PMXEVTYPER_EL0_ENC, "PMXEVTYPER_EL0", SR_EMUL, vpmu_access },
    { SYSREG_ENC(3, 3, 14, 2, 1), "CNTP_CTL_EL0", SR_EMUL, vtimer_ptimer_access },
    { PMINTENCLR_EL1_ENC, "PMINTENCLR_EL1", SR_EMUL, vpmu_access },
    { PMCNTENCLR_EL0_ENC, "PMCNTENCLR_EL0", SR_EMUL, vpmu_access },
    { PMXEVCNTR_EL0_ENC, "PMXEVCNTR_EL0", SR_EMUL, vpmu_access },
    { SYSREG_ENC(3, 3, 14, 2, 2), "CNTP_CVAL_EL0", SR_EMUL, vtimer_ptimer_access },
    { PMOVSCLR_EL0_ENC, "PMOVSCLR_EL0", SR_EMUL, vpmu_access },
    { PMOVSSET_EL0_ENC, "PMOVSSET_EL0", SR_EMUL, vpmu_access },
    { PMSWINC_EL0_ENC, "PMSWINC_EL0", SR_EMUL, vpmu_access },
    { PMSELR_EL0_ENC, "PMSELR_EL0", SR_EMUL, vpmu_access },
    { SYSREG_ENC(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1", SR_SGI0, NULL },
    { PMCEID0_EL0_ENC, "PMCEID0_EL0", SR_EMUL, vpmu_access },
    { SYSREG_ENC(3, 0, 12, 11, 7), "ICC_SGI0R_EL1", SR_SGI0, NULL },
    { PMCEID1_EL0_ENC, "PMCEID1_EL0", SR_EMUL, vpmu_access },
    { PMCCFILTR_EL0_ENC, "PMCCFILTR_EL0", SR_EMUL, vpmu_access },
};
const unsigned sysreg_row_count = sizeof(sysreg_rows) / sizeof(sysreg_rows[0]);

/* ICC_SGI1R_EL1 (every IPI) is the one trapped register on a hot path: its row is outside the
 * table and looked at before the search (budget ipi_send_el2_insns, docs/PERFORMANCE.md). */
static const struct sysreg_row sysreg_row_sgi1r = {
    SYSREG_ENC(3, 0, 12, 11, 5), "ICC_SGI1R_EL1", SR_SGI1R, NULL,
};

/* Registers that come in numbered groups: a row covers every encoding enc | m for m within
 * mask (the access function decodes the number and refuses the ones that do not exist). An
 * exact row above takes precedence (PMCCFILTR_EL0 is PMEVTYPER31's encoding). Disjoint. */
struct sysreg_range {
    uint32_t enc;
    uint32_t mask;
    sysreg_access_fn access;
};

static const struct sysreg_range sysreg_ranges[] = {
    { DBGBVR_EL1_ENC, DBG_N_ENC_MASK, vdebug_access },
    { DBGBCR_EL1_ENC, DBG_N_ENC_MASK, vdebug_access },
    { DBGWVR_EL1_ENC, DBG_N_ENC_MASK, vdebug_access },
    { DBGWCR_EL1_ENC, DBG_N_ENC_MASK, vdebug_access },
    /* ID registers (HCR_EL2.TID3), allocated or not: CRm 1..7 (CRm 0 never traps here) */
    { ID_SPACE_ENC, ID_SPACE_ENC_MASK, vdebug_id_access },
    { PMEVCNTR_EL0_ENC, PMEV_N_ENC_MASK, vpmu_access },
    { PMEVTYPER_EL0_ENC, PMEV_N_ENC_MASK, vpmu_access },
};
#define SYSREG_RANGE_COUNT (sizeof(sysreg_ranges) / sizeof(sysreg_ranges[0]))

static const struct sysreg_range *sysreg_find_range(uint32_t enc)
{
    for (unsigned i = 0; i < SYSREG_RANGE_COUNT; i++) {
        if ((enc & ~sysreg_ranges[i].mask) == sysreg_ranges[i].enc) {
            return &sysreg_ranges[i];
        }
    }
    return NULL;
}

void sysreg_table_check(void)
{
    for (unsigned i = 1; i < sysreg_row_count; i++) {
        BH_CHECK(sysreg_rows[i - 1].enc < sysreg_rows[i].enc);
    }
    for (unsigned i = 0; i < sysreg_row_count; i++) {
        BH_CHECK(sysreg_rows[i].enc != sysreg_row_sgi1r.enc);
    }
    for (unsigned i = 0; i < SYSREG_RANGE_COUNT; i++) {
        BH_CHECK((sysreg_ranges[i].enc & sysreg_ranges[i].mask) == 0);
        for (unsigned j = i + 1; j < SYSREG_RANGE_COUNT; j++) {
            uint32_t common = ~(sysreg_ranges[i].mask | sysreg_ranges[j].mask);
            BH_CHECK((sysreg_ranges[i].enc & common) != (sysreg_ranges[j].enc & common));
        }
    }
}

/* Other trapped accesses are rare (none on a hot path): a binary search of the sorted table. */
static const struct sysreg_row *sysreg_find(uint32_t enc)
{
    unsigned lo = 0, hi = sysreg_row_count;

    if (enc == sysreg_row_sgi1r.enc) {
        return &sysreg_row_sgi1r;
    }
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;

        if (sysreg_rows[mid].enc == enc) {
            return &sysreg_rows[mid];
        }
        if (sysreg_rows[mid].enc < enc) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

void sysreg_guest(struct vcpu *v, struct trap_frame *f, uint64_t esr);

void sysreg_guest(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    uint32_t iss = (uint32_t)ESR_ISS(esr);
    uint32_t enc = iss & (uint32_t)SYSREG_ISS_ENC_MASK;
    unsigned rt = (unsigned)FIELD_GET(SYSREG_ISS_RT, iss);
    bool is_read = iss & SYSREG_ISS_DIR_READ;
    const struct sysreg_row *row = sysreg_find(enc);
    const struct sysreg_range *range = row ? NULL : sysreg_find_range(enc);
    enum sysreg_action action = row ? row->action : range ? SR_EMUL : SR_DENY;
    sysreg_access_fn access = row ? row->access : range ? range->access : NULL;
    /* a denied access within a range is named by its encoding, which says which n */
    const char *reg_name = row ? row->name : NULL;
    uint64_t val = rt == 31 ? 0 : f->x[rt];

    switch (action) {
    case SR_SGI0:
    case SR_SGI1R:
        if (!is_read) {
            uint32_t mask = action == SR_SGI1R ? vgic_sgi(&v->vm->vgic, v->idx, val) :
                                                      vgic_sgi0(&v->vm->vgic, v->idx, val);
            vm_kick_mask(v->vm, mask);
            break;
        }
        /* SGI registers are write-only */
        __attribute__((fallthrough));
    case SR_DENY:
    deny: {
        char name[32];
        if (reg_name) {
            bh_snprintf(name, sizeof(name), "%s", reg_name);
        } else {
            bh_snprintf(name, sizeof(name), "S%u_%u_C%u_C%u_%u", (iss >> 20) & 3,
                        (iss >> 14) & 7, (iss >> 10) & 15, (iss >> 1) & 15, (iss >> 17) & 7);
        }
        v->stats.denials++;
        vm_event(v->vm, "sysreg_deny", "reg=%s dir=%s pc=0x%llx action=undef", name,
                 is_read ? "read" : "write", (unsigned long long)f->elr);
        inject_undef(f);
        return;
    }
    case SR_RAZ_WI:
        if (is_read && rt != 31) {
            f->x[rt] = 0;
        }
        break;
    case SR_EMUL:
        if (access(v, enc, is_read, &val) != 0) {
            goto deny;
        }
        if (is_read && rt != 31) {
            f->x[rt] = val;
        }
        break;
    }
    arch_skip_insn(f, esr);
}
