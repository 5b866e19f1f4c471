// SPDX-License-Identifier: MIT
/*
 * The SMCCC services the EL2 layer provides to guests, registered in core's table
 * (core/dev/smccc.h) at boot:
 *  - Bulkhead's vendor hypervisor calls (OEN 6, include/bulkhead/abi.h; the IPC calls also
 *    take the hypercall fast path, trap.c);
 *  - the Arm architecture workarounds (DEN0028 7.4-7.6: WORKAROUND_1 Spectre v2, _2 Spectre
 *    v4, _3 Spectre-BHB), offered as this PE and the firmware beneath us allow;
 *  - the TRNG interface (ARM DEN0098): forwarded to the secure world when Bulkhead's EL3
 *    firmware booted us (secfw.c), else answered here when the PE has FEAT_RNG (RNDRRS);
 *  - the key-store and attestation hypercalls (BH_HC_SEC_*, secfw.c);
 *  - PSCI (vpsci.c).
 * A vCPU owns its pCPU (docs), so a workaround the guest calls can run on its own PE: the
 * firmware's, forwarded, or our own for the branch-history loop.
 */
#include "pmu.h"
#include "secfw_priv.h"
#include "trap.h"

#include <arch/cpu.h>
#include <arch/rndr.h>
#include <arch/sysreg.h>
#include <bulkhead/abi.h>
#include <core/dev/smccc.h>
#include <core/hyp.h>
#include <core/ipc/vm_ipc.h>
#include <core/vm/vm.h>

/* SMCCC general queries of our vendor hypervisor service (OEN 6, DEN0028 6.2). */
#define BH_HC_CALL_UID  0x8600ff01u
#define BH_HC_REVISION  0x8600ff03u

/* ------------------------------------------------------------------ Bulkhead calls */

bool vbh_call(struct vcpu *v, struct trap_frame *f, uint32_t fid)
{
    int64_t ret;

    /* The IPC calls are the hot ones: no detour through the switch. */
    if (vm_ipc_is_call(fid)) {
        f->x[0] = (uint64_t)vm_ipc_call(v, fid, &f->x[1]);
        return true;
    }
    switch (fid) {
    case BH_HC_NULL:
        ret = BH_OK;
        break;
    case BH_HC_VERSION:
    case BH_HC_REVISION:
        ret = BH_ABI_VERSION;
        break;
    case BH_HC_BENCH_EL2_INSNS:
        if (!IS_ENABLED(CONFIG_BENCH)) {
            return false;
        }
        ret = (int64_t)pmu_el2_insns();
        break;
    case BH_HC_VM_ID:
        ret = v->vm->id;
        break;
    case BH_HC_CALL_UID:
        /* UUID 6b1d7c5e-0b0e-4a1f-9c3d-42756c6b6864 ("Bulkhead") in SMCCC UID layout. */
        ret = 0x6b1d7c5e;
        f->x[1] = 0x4a1f0b0e;
        f->x[2] = 0x6c42d3c9;
        f->x[3] = 0x64686b75;
        break;
    default:
        if (fid >= BH_HC_SEC_SEAL && fid <= BH_HC_SEC_SEAL + 0xf) {
            /* the secure services: the VM's policy first (this path skips smccc_dispatch),
             * off the way of the calls above (BH_HC_NULL is a budgeted figure) */
            return smccc_policy_denies(v, f, fid) || secfw_vm_call(v, f, fid);
        }
        return false;
    }
    f->x[0] = (uint64_t)ret;
    return true;
}

static const struct smccc_service bh_service = {
    .name = "bulkhead",
    .oen = SMCCC_OEN_VENDOR_HYP,
    .fn_first = 0,
    .fn_last = 0xffff,
    .call = vbh_call,
};

/* ------------------------------------------------------------------ architecture workarounds */

#define MIDR_IMPL(m)    (((m) >> 24) & 0xff)
#define MIDR_PART(m)    (((m) >> 4) & 0xfff)
#define IMPL_ARM        0x41
#define IMPL_BROADCOM   0x42
#define ID_PFR0_CSV2    GENMASK(59, 56)
#define ID_PFR1_SSBS    GENMASK(7, 4)
#define ID_MMFR1_ECBHB  GENMASK(63, 60)

/* What ARCH_FEATURES answers for each workaround, decided once at boot (the PEs of a
 * platform are alike). A value >= 0 means the call is offered. */
static int32_t wa1_state = SMCCC_RET_NOT_SUPPORTED;
static int32_t wa2_state = SMCCC_RET_NOT_SUPPORTED;
static int32_t wa3_state = SMCCC_RET_NOT_SUPPORTED;
static bool wa1_forward, wa3_forward; /* the firmware's call does the work */
static unsigned bhb_loops;            /* else our loop, this many branches (0: none) */

/* In-order cores that speculate too little for Spectre v2, v4 or BHB (Linux's safe lists). */
static bool midr_speculation_safe(uint64_t midr)
{
    unsigned part = MIDR_PART(midr);

    if (MIDR_IMPL(midr) == IMPL_ARM) {
        return part == 0xd03 /* A53 */ || part == 0xd04 /* A35 */ || part == 0xd05 /* A55 */;
    }
    return MIDR_IMPL(midr) == IMPL_BROADCOM && part == 0x100; /* Brahma-B53 */
}

/* Branches that flush the branch history (Arm's Spectre-BHB whitepaper), 0 if unknown. */
static unsigned midr_bhb_loops(uint64_t midr)
{
    if (MIDR_IMPL(midr) != IMPL_ARM) {
        return 0;
    }
    switch (MIDR_PART(midr)) {
    case 0xd07: /* A57 */
    case 0xd08: /* A72 */
        return 8;
    case 0xd0b: /* A76 */
    case 0xd0d: /* A77 */
    case 0xd0c: /* Neoverse N1 */
        return 24;
    case 0xd41: /* A78 */
    case 0xd42: /* A78AE */
    case 0xd4b: /* A78C */
    case 0xd44: /* X1 */
    case 0xd47: /* A710 */
    case 0xd48: /* X2 */
    case 0xd49: /* Neoverse N2 */
    case 0xd40: /* Neoverse V1 */
        return 32;
    default:
        return 0;
    }
}

/* The firmware's ARCH_FEATURES(fid), found the way DEN0028 7.1 says: PSCI_FEATURES first
 * (a PSCI call every PSCI 1.0 firmware answers), SMCCC_VERSION, then the query. */
static int32_t fw_features(uint32_t fid)
{
    static int fw_smccc = -1; /* unknown, 0 no, 1 yes */

    if (hyp_plat.psci != PLATINFO_PSCI_SMC) {
        return SMCCC_RET_NOT_SUPPORTED;
    }
    if (fw_smccc < 0) {
        fw_smccc = (int32_t)smccc_smc(PSCI_FEATURES, SMCCC_VERSION, 0, 0) == 0 &&
                   (int32_t)smccc_smc(SMCCC_VERSION, 0, 0, 0) >= SMCCC_VERSION_1_1;
    }
    return fw_smccc ? (int32_t)smccc_smc(SMCCC_ARCH_FEATURES, fid, 0, 0) :
                      SMCCC_RET_NOT_SUPPORTED;
}

static void workarounds_init(void)
{
    uint64_t midr = sysreg_read(midr_el1);
    uint64_t pfr0 = sysreg_read(id_aa64pfr0_el1);
    uint64_t pfr1 = sysreg_read(id_aa64pfr1_el1);
    uint64_t mmfr1 = sysreg_read(id_aa64mmfr1_el1);
    bool safe = midr_speculation_safe(midr);
    int32_t fw;

    /* Spectre v2: nothing to do on a CSV2 or in-order PE; else only the firmware can. */
    if (safe || FIELD_GET(ID_PFR0_CSV2, pfr0) >= 1) {
        wa1_state = SMCCC_RET_WORKAROUND_UNAFFECTED;
    } else if ((fw = fw_features(SMCCC_ARCH_WORKAROUND_1)) == SMCCC_RET_SUCCESS) {
        wa1_state = SMCCC_RET_SUCCESS;
        wa1_forward = true;
    }
    /* Spectre v4: a PE with SSBS lets the guest use PSTATE.SSBS itself (NOT_SUPPORTED, as
     * KVM answers); a safe PE needs nothing. Dynamic firmware mitigation is not offered. */
    if (safe) {
        wa2_state = SMCCC_RET_NOT_REQUIRED;
    } else if (FIELD_GET(ID_PFR1_SSBS, pfr1) == 0 &&
               fw_features(SMCCC_ARCH_WORKAROUND_2) == SMCCC_RET_NOT_REQUIRED) {
        wa2_state = SMCCC_RET_NOT_REQUIRED; /* the firmware keeps it on */
    }
    /* Spectre-BHB: unaffected PEs say so (ECBHB, CSV2 >= 3); loop-mitigated ones get our
     * loop; others the firmware's call if it has one. */
    if (safe || FIELD_GET(ID_MMFR1_ECBHB, mmfr1) != 0 || FIELD_GET(ID_PFR0_CSV2, pfr0) >= 3) {
        wa3_state = SMCCC_RET_WORKAROUND_UNAFFECTED;
    } else if ((bhb_loops = midr_bhb_loops(midr)) != 0) {
        wa3_state = SMCCC_RET_SUCCESS;
    } else if (fw_features(SMCCC_ARCH_WORKAROUND_3) == SMCCC_RET_SUCCESS) {
        wa3_state = SMCCC_RET_SUCCESS;
        wa3_forward = true;
    }
}

/* Flush the branch history with taken branches, then make it so before the guest runs. */
static void bhb_loop(unsigned n)
{
    __asm__ volatile("1: b 2f\n"
                     "2: subs %w0, %w0, #1\n"
                     "   b.ne 1b\n"
                     "   dsb nsh\n"
                     "   isb\n"
                     : "+r"(n)
                     :
                     : "cc", "memory");
}

static int32_t arch_wa_features(uint32_t fid)
{
    switch (fid) {
    case SMCCC_ARCH_WORKAROUND_1:
        return wa1_state;
    case SMCCC_ARCH_WORKAROUND_2:
        return wa2_state;
    case SMCCC_ARCH_WORKAROUND_3:
        return wa3_state;
    default:
        return SMCCC_RET_NOT_SUPPORTED;
    }
}

/* The workaround calls themselves: no result (DEN0028 7.4-7.6); x0 is left 0. An offered
 * one that this PE does not need (UNAFFECTED, NOT_REQUIRED) is a harmless no-op. */
static bool arch_wa_call(struct vcpu *v, struct trap_frame *f, uint32_t fid)
{
    int32_t state = arch_wa_features(fid);

    (void)v;
    if (state == SMCCC_RET_NOT_SUPPORTED) {
        return false;
    }
    if (fid == SMCCC_ARCH_WORKAROUND_1 && wa1_forward) {
        smccc_smc(fid, 0, 0, 0);
    } else if (fid == SMCCC_ARCH_WORKAROUND_3 && state == SMCCC_RET_SUCCESS) {
        if (wa3_forward) {
            smccc_smc(fid, 0, 0, 0);
        } else {
            bhb_loop(bhb_loops);
        }
    }
    f->x[0] = 0;
    return true;
}

/* Every Arm architecture call past VERSION and FEATURES (which core answers itself). */
static const struct smccc_service arch_service = {
    .name = "arch",
    .oen = SMCCC_OEN_ARCH,
    .fn_first = 0x0002,
    .fn_last = 0xffff,
    .call = arch_wa_call,
    .features = arch_wa_features,
};

/* ------------------------------------------------------------------ TRNG (DEN0098) */

#define TRNG_VERSION        0x84000050u
#define TRNG_FEATURES       0x84000051u
#define TRNG_GET_UUID       0x84000052u
#define TRNG_RND32          0x84000053u
#define TRNG_RND64          0xc4000053u
#define TRNG_FN_FIRST       0x50u
#define TRNG_FN_LAST        0x5fu
#define TRNG_VERSION_1_0    0x10000
#define TRNG_INVALID_PARAMS (-2)
#define TRNG_NO_ENTROPY     (-3)
#define ID_ISAR0_RNDR       GENMASK(63, 60)

static bool trng_present;
static bool trng_firmware; /* the secure world's TRNG (secfw.c), not our own RNDRRS */

/* TRNG_RND: n bits of entropy, least significant in the last register (DEN0098 2.5). */
static int64_t trng_rnd(struct trap_frame *f, uint64_t n, bool is64)
{
    unsigned width = is64 ? 64 : 32;
    uint64_t max = 3u * width;

    if (n == 0 || n > max) {
        return TRNG_INVALID_PARAMS;
    }
    for (unsigned r = 3; r >= 1; r--) {
        uint64_t bits = n > width ? width : n;
        uint64_t val = 0;
        if (bits > 0 && !arch_rndrrs(&val)) {
            f->x[1] = f->x[2] = f->x[3] = 0;
            return TRNG_NO_ENTROPY;
        }
        f->x[r] = bits == 64 ? val : (val & ((UINT64_C(1) << bits) - 1));
        n -= bits;
    }
    return SMCCC_RET_SUCCESS;
}

/* Without FEAT_RNG the interface is absent: every TRNG call answers NOT_SUPPORTED, without a
 * record, as TRNG_VERSION must (a guest asking whether it exists). */
static bool trng_call(struct vcpu *v, struct trap_frame *f, uint32_t fid)
{
    int64_t ret;

    if (!trng_present) {
        f->x[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
        return true;
    }
    if (trng_firmware) {
        secfw_trng(v, f, fid);
        return true;
    }
    switch (fid) {
    case TRNG_VERSION:
        ret = TRNG_VERSION_1_0;
        break;
    case TRNG_FEATURES: {
        uint32_t q = (uint32_t)f->x[1];
        ret = (q == TRNG_VERSION || q == TRNG_FEATURES || q == TRNG_GET_UUID ||
               q == TRNG_RND32 || q == TRNG_RND64) ? SMCCC_RET_SUCCESS
                                                  : SMCCC_RET_NOT_SUPPORTED;
        break;
    }
    case TRNG_GET_UUID:
        /* 2f4a1d37-6a3b-4f2c-8e5d-42756c6b5452 ("BulkTR"): the EL2 RNDRRS source. */
        ret = 0x2f4a1d37;
        f->x[1] = 0x4f2c6a3b;
        f->x[2] = 0x6c425d8e;
        f->x[3] = 0x52546b75;
        break;
    case TRNG_RND32:
    case TRNG_RND64:
        ret = trng_rnd(f, fid == TRNG_RND64 ? f->x[1] : (uint32_t)f->x[1], fid == TRNG_RND64);
        break;
    default:
        return false;
    }
    f->x[0] = (uint64_t)ret;
    return true;
}

static const struct smccc_service trng_service = {
    .name = "trng",
    .oen = SMCCC_OEN_STD,
    .fn_first = TRNG_FN_FIRST,
    .fn_last = TRNG_FN_LAST,
    .call = trng_call,
};

int arch_smccc_init(void)
{
    /* TRNG: the secure world's when Bulkhead's firmware booted us, else the PE's RNDRRS. */
    trng_firmware = secfw_probe() &&
                    (int32_t)smccc_smc(TRNG_VERSION, 0, 0, 0) >= TRNG_VERSION_1_0;
    trng_present = trng_firmware ||
                   FIELD_GET(ID_ISAR0_RNDR, sysreg_read(id_aa64isar0_el1)) != 0;
    workarounds_init();
    if (smccc_register(&vpsci_service) || smccc_register(&trng_service) ||
        smccc_register(&arch_service) || smccc_register(&bh_service) || secfw_optee_init()) {
        return -BH_EEXIST;
    }
    return 0;
}
