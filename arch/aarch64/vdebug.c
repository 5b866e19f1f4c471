// SPDX-License-Identifier: MIT
/*
 * Self-hosted debug for guests (ARM DDI 0487 D2 "AArch64 Self-hosted Debug", registers D13.3),
 * with the debug registers trapped (MDCR_EL2.TDA, TDOSA, TDRA). Breakpoints, watchpoints and
 * MDSCR_EL1 are written through to the hardware (on a shared pCPU vdebug_save and
 * vdebug_load switch them, only for guests that touched them), after
 * removing what a guest (which has no EL2) may not ask for: HMC (match at EL2), the EL2-only
 * breakpoint types (VMID, CONTEXTIDR_EL2), halting debug. MDCR_EL2.TDE stays clear, so the
 * debug target is EL1 and no debug exception can be taken from EL2 (D2.4 "Enabling debug
 * exceptions"). The OS lock is emulated: while the guest holds it, the hardware MDSCR_EL1 has
 * MDE, KDE and SS clear, so no breakpoint, watchpoint or step exception is generated
 * (AArch64.GenerateDebugExceptionsFrom returns FALSE with OSLK set; QEMU 7.2 does not gate
 * on its own OS lock), and the hardware's own OS lock stays unlocked; OSDLR_EL1 is RAZ/WI and ID_AA64DFR0_EL1.DoubleLock says "not implemented"; DBGPRCR_EL1 is a
 * per-vCPU value with no effect (a vCPU never powers its core down); MDRAR_EL1 (no ROM table),
 * the DCC and claim tags are RAZ/WI (rows in sysreg_trap.c).
 * Also the ID registers (HCR_EL2.TID3) and ACTLR_EL1 (HCR_EL2.TACR), the other CPU identity
 * and control registers a VM must see sanitised.
 */
#include "sched_cpu.h"
#include "vdebug.h"

#include <arch/cpu.h>
#include <bulkhead/errno.h>
#include <core/vm/vm.h>

/* ID_AA64DFR0_EL1 (D17.2.59) */
#define DFR0_DEBUGVER   GENMASK(3, 0)
#define DFR0_PMUVER     GENMASK(11, 8)
#define DFR0_BRPS       GENMASK(15, 12)
#define DFR0_WRPS       GENMASK(23, 20)
#define DFR0_CTX_CMPS   GENMASK(31, 28)
#define DFR0_DOUBLELOCK GENMASK(39, 36)
#define DEBUGVER_V8     0x6 /* the Armv8.0 debug architecture we emulate */
#define PMUVER_V3       0x1 /* PMUv3 as vpmu.c emulates it (no v3p1 fields) */
#define ID_FIELD_IMPDEF 0xf
#define DOUBLELOCK_NI   0xf
/* ID_AA64PFR0_EL1.AMU: activity monitors are not offered */
#define PFR0_AMU        GENMASK(47, 44)
/* ID_DFR0_EL1 (AArch32 view): trace fields and PerfMon (3 = PMUv3) */
#define AA32_DFR0_COPTRC   GENMASK(7, 4)
#define AA32_DFR0_MMAPTRC  GENMASK(19, 16)
#define AA32_DFR0_PERFMON  GENMASK(27, 24)
#define AA32_DFR0_TRACEFILT GENMASK(31, 28)
#define PERFMON_V3         0x3
/* CRm:op2 of the ID registers sanitised below */
#define ID_DFR0_EL1_IDX      (1 << 3 | 2)
#define ID_AA64PFR0_EL1_IDX  (4 << 3 | 0)
#define ID_AA64DFR0_EL1_IDX  (5 << 3 | 0)
#define ID_AA64DFR1_EL1_IDX  (5 << 3 | 1)

/* DBGBCR<n>_EL1 / DBGWCR<n>_EL1 (D13.3.2, D13.3.11) */
#define DBGXCR_E        BIT(0)
#define DBGXCR_PRIV     GENMASK(2, 1)  /* PMC / PAC */
#define DBGXCR_HMC      BIT(13)
#define DBGXCR_SSC      GENMASK(15, 14)
#define DBGXCR_LBN      GENMASK(19, 16)
#define SSC_RESERVED    0x3            /* with HMC = 0 */
#define SSC_NONSECURE   0x1
#define DBGBCR_BAS      GENMASK(8, 5)
#define DBGBCR_BT       GENMASK(23, 20)
#define DBGBCR_BT_EL2   BIT(23)        /* BT 0b1xxx: VMID / CONTEXTIDR_EL2 matching */
#define DBGWCR_LSC      GENMASK(4, 3)
#define DBGWCR_BAS      GENMASK(12, 5)
#define DBGWCR_WT       BIT(20)
#define DBGWCR_MASK     GENMASK(28, 24)
#define DBGBCR_GUEST    (DBGXCR_E | DBGXCR_PRIV | DBGBCR_BAS | DBGXCR_SSC | DBGXCR_LBN | \
                         (DBGBCR_BT & ~DBGBCR_BT_EL2))
#define DBGWCR_GUEST    (DBGXCR_E | DBGXCR_PRIV | DBGWCR_LSC | DBGWCR_BAS | DBGXCR_SSC | \
                         DBGXCR_LBN | DBGWCR_WT | DBGWCR_MASK)
/* MDSCR_EL1 (D13.3.19): single-step, kernel debug, monitor debug, EL0 DCC trap. Not HDE
 * (halting: no external debugger here), not the DCC status and external-debug bits. */
#define MDSCR_SS        BIT(0)
#define MDSCR_TDCC      BIT(12)
#define MDSCR_KDE       BIT(13)
#define MDSCR_MDE       BIT(15)
#define MDSCR_GUEST     (MDSCR_SS | MDSCR_TDCC | MDSCR_KDE | MDSCR_MDE)
#define MDSCR_OSLOCKED  (MDSCR_SS | MDSCR_KDE | MDSCR_MDE) /* what the OS lock turns off */
#define OSLAR_OSLK      BIT(0)
#define OSLSR_OSLM_V8   BIT(3)  /* OSLM = 0b10: the OS lock is implemented (D13.3.26) */
#define OSLSR_OSLK      BIT(1)
#define DBGPRCR_CORENPDRQ BIT(0)

/* The guest's debug state of each pCPU's vCPU (the one running, on a shared pCPU). */
struct vdebug_cpu {
    uint64_t mdscr; /* MDSCR_EL1 as the guest wrote it (guest bits) */
    bool oslk;      /* OS lock locked */
    bool corenpdrq; /* DBGPRCR_EL1.CORENPDRQ */
    bool dirty;     /* accessed since vdebug_reset_cpu: a shared pCPU's switch saves it */
};

static struct vdebug_cpu vdebug_cpus[MAX_CPUS];

/* The hardware MDSCR_EL1: the guest's, without debug exceptions while the OS lock is held. */
static void vdebug_load_mdscr(const struct vdebug_cpu *c)
{
    sysreg_write(mdscr_el1, c->oslk ? c->mdscr & ~MDSCR_OSLOCKED : c->mdscr);
    isb();
}

static unsigned dbg_brps(void)
{
    return (unsigned)FIELD_GET(DFR0_BRPS, sysreg_read(id_aa64dfr0_el1)) + 1;
}

static unsigned dbg_wrps(void)
{
    return (unsigned)FIELD_GET(DFR0_WRPS, sysreg_read(id_aa64dfr0_el1)) + 1;
}

/* Register n (0..15) of a DBG{B,W}{V,C}R group by op2: the encodings are fixed, so a switch. */
#define DBG_CASE(n, op2)                                         \
    case n:                                                      \
        if (is_read) {                                           \
            *val = sysreg_read(S2_0_C0_C##n##_##op2);            \
        } else {                                                 \
            sysreg_write(S2_0_C0_C##n##_##op2, *val);            \
        }                                                        \
        break;
#define DBG_CASES(op2)                                                                     \
    DBG_CASE(0, op2) DBG_CASE(1, op2) DBG_CASE(2, op2) DBG_CASE(3, op2) DBG_CASE(4, op2)  \
    DBG_CASE(5, op2) DBG_CASE(6, op2) DBG_CASE(7, op2) DBG_CASE(8, op2) DBG_CASE(9, op2)  \
    DBG_CASE(10, op2) DBG_CASE(11, op2) DBG_CASE(12, op2) DBG_CASE(13, op2)               \
    DBG_CASE(14, op2) DBG_CASE(15, op2)

static void dbg_bvr(unsigned n, bool is_read, uint64_t *val)
{
    switch (n) { DBG_CASES(4) }
}

static void dbg_bcr(unsigned n, bool is_read, uint64_t *val)
{
    switch (n) { DBG_CASES(5) }
}

static void dbg_wvr(unsigned n, bool is_read, uint64_t *val)
{
    switch (n) { DBG_CASES(6) }
}

static void dbg_wcr(unsigned n, bool is_read, uint64_t *val)
{
    switch (n) { DBG_CASES(7) }
}

/* The guest has no EL2: HMC never set, and SSC 0b11 (reserved with HMC 0) made Non-secure. */
static uint64_t dbg_ctl_sanitise(uint64_t v, uint64_t guest_bits)
{
    v &= guest_bits & ~DBGXCR_HMC;
    if (FIELD_GET(DBGXCR_SSC, v) == SSC_RESERVED) {
        v = (v & ~DBGXCR_SSC) | FIELD_PREP(DBGXCR_SSC, SSC_NONSECURE);
    }
    return v;
}

/* DBGBVR/BCR/WVR/WCR<n>_EL1; n beyond the hardware's breakpoints/watchpoints UNDEFs. */
static int vdebug_bkpt(uint32_t enc, bool is_read, uint64_t *val)
{
    unsigned n = (unsigned)FIELD_GET(DBG_N_ENC_MASK, enc);
    uint64_t v = *val;

    switch (enc & ~DBG_N_ENC_MASK) {
    case DBGBVR_EL1_ENC:
    case DBGBCR_EL1_ENC:
        if (n >= dbg_brps()) {
            return -BH_ERANGE;
        }
        if ((enc & ~DBG_N_ENC_MASK) == DBGBVR_EL1_ENC) {
            dbg_bvr(n, is_read, val);
            return 0;
        }
        v = dbg_ctl_sanitise(v, DBGBCR_GUEST);
        dbg_bcr(n, is_read, is_read ? val : &v);
        return 0;
    case DBGWVR_EL1_ENC:
    case DBGWCR_EL1_ENC:
        if (n >= dbg_wrps()) {
            return -BH_ERANGE;
        }
        if ((enc & ~DBG_N_ENC_MASK) == DBGWVR_EL1_ENC) {
            dbg_wvr(n, is_read, val);
            return 0;
        }
        v = dbg_ctl_sanitise(v, DBGWCR_GUEST);
        dbg_wcr(n, is_read, is_read ? val : &v);
        return 0;
    default:
        return -BH_ENOTSUP;
    }
}

int vdebug_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val)
{
    struct vdebug_cpu *c;

    if (v->pcpu >= MAX_CPUS) {
        return -BH_EINVAL;
    }
    c = &vdebug_cpus[v->pcpu];
    c->dirty = true; /* switched on a shared pCPU from now on (vdebug_save) */
    switch (enc) {
    case MDSCR_EL1_ENC:
        if (is_read) {
            *val = c->mdscr;
        } else {
            c->mdscr = *val & MDSCR_GUEST;
            vdebug_load_mdscr(c);
        }
        return 0;
    case OSLAR_EL1_ENC:
        if (is_read) {
            return -BH_EPERM; /* write-only */
        }
        c->oslk = *val & OSLAR_OSLK;
        vdebug_load_mdscr(c);
        return 0;
    case OSLSR_EL1_ENC:
        if (!is_read) {
            return -BH_EPERM; /* read-only */
        }
        *val = OSLSR_OSLM_V8 | (c->oslk ? OSLSR_OSLK : 0);
        return 0;
    case DBGPRCR_EL1_ENC:
        if (is_read) {
            *val = c->corenpdrq ? DBGPRCR_CORENPDRQ : 0;
        } else {
            c->corenpdrq = *val & DBGPRCR_CORENPDRQ;
        }
        return 0;
    case DBGAUTHSTATUS_EL1_ENC:
        if (!is_read) {
            return -BH_EPERM; /* read-only */
        }
        *val = sysreg_read(dbgauthstatus_el1);
        return 0;
    default:
        return vdebug_bkpt(enc, is_read, val);
    }
}

/* The ID register at CRm:op2 (CRm 1..7) read at EL2, where TID3 does not apply. Unallocated
 * encodings of this space read as zero on hardware, so every case is a plain MRS. */
#define ID_CASE(crm, op2) \
    case (crm) << 3 | (op2): \
        return sysreg_read(S3_0_C0_C##crm##_##op2);
#define ID_CASES(crm) \
    ID_CASE(crm, 0) ID_CASE(crm, 1) ID_CASE(crm, 2) ID_CASE(crm, 3) \
    ID_CASE(crm, 4) ID_CASE(crm, 5) ID_CASE(crm, 6) ID_CASE(crm, 7)

static uint64_t id_read_hw(unsigned idx)
{
    switch (idx) {
        ID_CASES(1) ID_CASES(2) ID_CASES(3) ID_CASES(4) ID_CASES(5) ID_CASES(6) ID_CASES(7)
    default:
        return 0;
    }
}

/* An unsigned ID field capped at max (IMPLEMENTATION DEFINED 0xf counts as absent). */
static uint64_t id_field_cap(uint64_t reg, uint64_t mask, uint64_t max)
{
    uint64_t f = FIELD_GET(mask, reg);

    if (f == ID_FIELD_IMPDEF) {
        f = 0;
    }
    return (reg & ~mask) | FIELD_PREP(mask, f < max ? f : max);
}

static uint64_t id_sanitise(unsigned idx, uint64_t v)
{
    switch (idx) {
    case ID_AA64DFR0_EL1_IDX:
        /* Breakpoints, watchpoints, context comparators as the hardware has them; debug and
         * PMU at the versions emulated; no trace, SPE, BRBE, double lock (OSDLR is RAZ/WI). */
        v &= DFR0_DEBUGVER | DFR0_PMUVER | DFR0_BRPS | DFR0_WRPS | DFR0_CTX_CMPS;
        v = id_field_cap(v, DFR0_DEBUGVER, DEBUGVER_V8);
        v = id_field_cap(v, DFR0_PMUVER, PMUVER_V3);
        return v | FIELD_PREP(DFR0_DOUBLELOCK, DOUBLELOCK_NI);
    case ID_AA64DFR1_EL1_IDX:
        return 0;
    case ID_AA64PFR0_EL1_IDX:
        return v & ~PFR0_AMU;
    case ID_DFR0_EL1_IDX:
        v &= ~(AA32_DFR0_COPTRC | AA32_DFR0_MMAPTRC | AA32_DFR0_TRACEFILT);
        return id_field_cap(v, AA32_DFR0_PERFMON, PERFMON_V3);
    default:
        return v;
    }
}

int vdebug_id_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val)
{
    unsigned idx = (unsigned)(FIELD_GET(SYSREG_ENC(0, 0, 0, 15, 0), enc) << 3 |
                              FIELD_GET(SYSREG_ENC(0, 0, 0, 0, 7), enc));

    (void)v;
    if (!is_read || idx < (1u << 3)) {
        return -BH_EPERM; /* ID registers are read-only; CRm 0 (MIDR...) never traps here */
    }
    *val = id_sanitise(idx, id_read_hw(idx));
    return 0;
}

int vdebug_actlr_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val)
{
    (void)v;
    (void)enc;
    /* IMPLEMENTATION DEFINED controls that may reach beyond this core (Cortex-A72: cluster
     * settings): the guest sees the hardware's value and cannot change it (as KVM). */
    if (is_read) {
        *val = sysreg_read(actlr_el1);
    }
    return 0;
}

void vdebug_reset_cpu(void)
{
    unsigned brps = dbg_brps(), wrps = dbg_wrps(), cpu = arch_cpu_id();
    uint64_t zero = 0;

    sysreg_write(mdscr_el1, 0);
    if (cpu < MAX_CPUS) {
        /* the OS lock is locked after a cold reset (D13.3.26 OSLSR_EL1.OSLK) */
        vdebug_cpus[cpu] = (struct vdebug_cpu){ .mdscr = 0, .oslk = true, .corenpdrq = false,
                                                .dirty = false };
    }
    for (unsigned n = 0; n < brps; n++) {
        dbg_bcr(n, false, &zero);
        dbg_bvr(n, false, &zero);
    }
    for (unsigned n = 0; n < wrps; n++) {
        dbg_wcr(n, false, &zero);
        dbg_wvr(n, false, &zero);
    }
    /* the hardware's locks stay open: the guest's OS lock is vdebug_cpu.oslk */
    sysreg_write(osdlr_el1, 0);
    sysreg_write(oslar_el1, 0);
    isb();
}

void vdebug_save(struct vdebug_state *s)
{
    unsigned cpu = arch_cpu_id(), brps = dbg_brps(), wrps = dbg_wrps();

    s->valid = cpu < MAX_CPUS && vdebug_cpus[cpu].dirty;
    if (!s->valid) {
        return;
    }
    s->mdscr = vdebug_cpus[cpu].mdscr;
    s->oslk = vdebug_cpus[cpu].oslk;
    s->corenpdrq = vdebug_cpus[cpu].corenpdrq;
    for (unsigned n = 0; n < brps && n < VDEBUG_MAX_BKPTS; n++) {
        dbg_bvr(n, true, &s->bvr[n]);
        dbg_bcr(n, true, &s->bcr[n]);
    }
    for (unsigned n = 0; n < wrps && n < VDEBUG_MAX_BKPTS; n++) {
        dbg_wvr(n, true, &s->wvr[n]);
        dbg_wcr(n, true, &s->wcr[n]);
    }
    vdebug_reset_cpu();
}

void vdebug_load(const struct vdebug_state *s)
{
    unsigned cpu = arch_cpu_id(), brps = dbg_brps(), wrps = dbg_wrps();

    if (!s->valid || cpu >= MAX_CPUS) {
        return; /* the reset state it is in */
    }
    struct vdebug_cpu *c = &vdebug_cpus[cpu];
    c->mdscr = s->mdscr;
    c->oslk = s->oslk;
    c->corenpdrq = s->corenpdrq;
    c->dirty = true;
    /* the values were sanitised when the guest wrote them (vdebug_bkpt) */
    for (unsigned n = 0; n < brps && n < VDEBUG_MAX_BKPTS; n++) {
        uint64_t bvr = s->bvr[n];
        dbg_bvr(n, false, &bvr);
        uint64_t bcr = s->bcr[n];
        dbg_bcr(n, false, &bcr);
    }
    for (unsigned n = 0; n < wrps && n < VDEBUG_MAX_BKPTS; n++) {
        uint64_t wvr = s->wvr[n];
        dbg_wvr(n, false, &wvr);
        uint64_t wcr = s->wcr[n];
        dbg_wcr(n, false, &wcr);
    }
    vdebug_load_mdscr(c);
}
