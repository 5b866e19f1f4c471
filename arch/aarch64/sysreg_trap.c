// SPDX-License-Identifier: MIT
/*
 * Trapped MSR/MRS from guests (EC 0x18, ARM DDI 0487 D17.2.37 "ISS encoding for an exception
 * from MSR, MRS, or System instruction"). A sorted const table names every register we handle
 * or refuse on purpose; anything else is refused the same way and named by its encoding.
 * Refused accesses get UNDEF and a sysreg_deny event, as the architecture allows for
 * registers of features a VM does not have (the physical timer, the PMU, ...).
 */
#include "trap.h"
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

/* One row per register (no duplicates), grouped by function. */
const struct sysreg_row sysreg_rows[] = {
    { SYSREG_ENC(3, 0, 12, 11, 5), "ICC_SGI1R_EL1", SR_SGI1R, NULL },
    { SYSREG_ENC(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1", SR_SGI0, NULL },
    { SYSREG_ENC(3, 0, 12, 11, 7), "ICC_SGI0R_EL1", SR_SGI0, NULL },
    { SYSREG_ENC(3, 3, 9, 12, 0), "PMCR_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 12, 1), "PMCNTENSET_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 12, 2), "PMCNTENCLR_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 12, 3), "PMOVSCLR_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 12, 4), "PMSWINC_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 12, 5), "PMSELR_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 12, 6), "PMCEID0_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 12, 7), "PMCEID1_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 13, 0), "PMCCNTR_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 13, 1), "PMXEVTYPER_EL0", SR_DENY, NULL },
    { SYSREG_ENC(3, 3, 9, 13, 2), "PMXEVCNTR_EL0", SR_DENY, NULL },
    /* Linux clears PMUSERENR_EL0 at CPU set-up whenever ID_AA64DFR0_EL1 shows a PMU. */
    { SYSREG_ENC(3, 3, 9, 14, 0), "PMUSERENR_EL0", SR_RAZ_WI, NULL },
    { SYSREG_ENC(3, 3, 9, 14, 3), "PMOVSSET_EL0", SR_DENY, NULL },
    /* EL1 physical timer, emulated (CNTHCTL_EL2.EL1PCEN = 0 traps it): vtimer.c */
    { SYSREG_ENC(3, 3, 14, 2, 0), "CNTP_TVAL_EL0", SR_EMUL, vtimer_ptimer_access },
    { SYSREG_ENC(3, 3, 14, 2, 1), "CNTP_CTL_EL0", SR_EMUL, vtimer_ptimer_access },
    { SYSREG_ENC(3, 3, 14, 2, 2), "CNTP_CVAL_EL0", SR_EMUL, vtimer_ptimer_access },
};
const unsigned sysreg_row_count = sizeof(sysreg_rows) / sizeof(sysreg_rows[0]);

/* Trapped accesses are rare (none on a hot path), so a linear scan is enough. (ISS
 * encodings do not sort in register order: no binary search.) */
static const struct sysreg_row *sysreg_find(uint32_t enc)
{
    for (unsigned i = 0; i < sysreg_row_count; i++) {
        if (sysreg_rows[i].enc == enc) {
            return &sysreg_rows[i];
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
    uint64_t val = rt == 31 ? 0 : f->x[rt];

    switch (row ? row->action : SR_DENY) {
    case SR_SGI0:
    case SR_SGI1R:
        if (!is_read) {
            uint32_t mask = row->action == SR_SGI1R ? vgic_sgi(&v->vm->vgic, v->idx, val) :
                                                      vgic_sgi0(&v->vm->vgic, v->idx, val);
            vm_kick_mask(v->vm, mask);
            break;
        }
        /* SGI registers are write-only */
        __attribute__((fallthrough));
    case SR_DENY:
    deny: {
        char name[32];
        if (row) {
            bh_snprintf(name, sizeof(name), "%s", row->name);
        } else {
            bh_snprintf(name, sizeof(name), "S%u_%u_C%u_C%u_%u", (iss >> 20) & 3,
                        (iss >> 14) & 7, (iss >> 10) & 15, (iss >> 1) & 15, (iss >> 17) & 7);
        }
        v->vm->stats.denials++;
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
        if (row->access(v, enc, is_read, &val) != 0) {
            goto deny;
        }
        if (is_read && rt != 31) {
            f->x[rt] = val;
        }
        break;
    }
    arch_skip_insn(f, esr);
}
