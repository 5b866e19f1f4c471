// SPDX-License-Identifier: MIT
/*
 * PSCI 1.1 (ARM DEN0022D) and the SMCCC 1.1 architecture calls (DEN0028) for the normal
 * world, over SMC. CPUs that are off wait in psci_cpu_wait (WFE) on their mailbox: CPU_ON
 * claims the target (OFF -> ON_PENDING, one atomic step, so two callers cannot both win),
 * fills in the entry and context id, then arms the mailbox and sends an event; the target
 * takes them and enters EL2 with x0 = context id; on a platform that keeps CPUs off until
 * asked (the ZCU102), plat_cpu_power_on then releases the target, which finds its mailbox
 * armed. Entry points must lie in normal-world RAM. SYSTEM_OFF and SYSTEM_RESET are the
 * platform's (el3_power, firmware/<platform>/board.c). Unknown calls answer NOT_SUPPORTED.
 * Portable C: the platform is fw.h's el3_*, plat_* and fw_* hooks (tests/unit replaces them).
 */
#include "fw.h"

#include <stddef.h>

#define PSCI_VERSION          0x84000000u
#define PSCI_CPU_SUSPEND_32   0x84000001u
#define PSCI_CPU_SUSPEND_64   0xc4000001u
#define PSCI_CPU_OFF          0x84000002u
#define PSCI_CPU_ON_32        0x84000003u
#define PSCI_CPU_ON_64        0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF       0x84000008u
#define PSCI_SYSTEM_RESET     0x84000009u
#define PSCI_FEATURES         0x8400000au
#define SMCCC_VERSION         0x80000000u
#define SMCCC_ARCH_FEATURES   0x80000001u

#define PSCI_VERSION_1_1      0x00010001u
#define SMCCC_VERSION_1_1     0x00010001u
#define SMCCC_64BIT           (1u << 30)
#define PSCI_SUCCESS          0
#define PSCI_NOT_SUPPORTED    (-1)
#define PSCI_INVALID_PARAMS   (-2)
#define PSCI_ALREADY_ON       (-4)
#define PSCI_ON_PENDING       (-5)
#define PSCI_INVALID_ADDRESS  (-9)
#define PSCI_TOS_NOT_PRESENT  2           /* MIGRATE_INFO_TYPE: no Trusted OS to migrate */
#define PSCI_POWER_STATE_TYPE (1u << 16)  /* CPU_SUSPEND: 1 = power down (not offered) */
#define MPIDR_AFF_MASK        UINT64_C(0xff00ffffff)

/* Affinity states as AFFINITY_INFO reports them (DEN0022D 5.7). */
enum { AFF_ON = 0, AFF_OFF = 1, AFF_ON_PENDING = 2 };

struct mailbox {
    uint64_t mpidr;
    uint64_t entry, context;
    uint32_t state;    /* AFF_*; 0 only for present CPUs after psci_init */
    uint32_t armed;    /* entry and context are valid (release/acquire) */
    bool present;
};

static struct mailbox boxes[FW_MAX_CPUS];
static uint64_t ram_pa, ram_end;

void psci_init(const struct fw_platform *plat, unsigned boot_cpu)
{
    for (unsigned i = 0; i < plat->cpu_count && i < FW_MAX_CPUS; i++) {
        unsigned aff0 = (unsigned)(plat->mpidr[i] & 0xff);
        if (aff0 < FW_MAX_CPUS && (plat->mpidr[i] & MPIDR_AFF_MASK & ~UINT64_C(0xff)) == 0) {
            boxes[aff0].mpidr = plat->mpidr[i] & MPIDR_AFF_MASK;
            boxes[aff0].armed = 0;
            __atomic_store_n(&boxes[aff0].state, AFF_OFF, __ATOMIC_RELEASE);
            boxes[aff0].present = true;
        }
    }
    __atomic_store_n(&boxes[boot_cpu].state, AFF_ON, __ATOMIC_RELEASE);
    ram_pa = plat->ram_pa;
    ram_end = plat->ram_pa + plat->ram_size < plat->ram_pa ? UINT64_MAX
                                                             : plat->ram_pa + plat->ram_size;
    el3_sev();
}

static struct mailbox *lookup(uint64_t mpidr)
{
    if ((mpidr & ~MPIDR_AFF_MASK) != 0) {
        return NULL;
    }
    unsigned aff0 = (unsigned)(mpidr & 0xff);
    if (aff0 >= FW_MAX_CPUS || !boxes[aff0].present || boxes[aff0].mpidr != mpidr) {
        return NULL;
    }
    return &boxes[aff0];
}

static int64_t cpu_on(uint64_t target, uint64_t entry, uint64_t context)
{
    struct mailbox *m = lookup(target);
    if (m == NULL) {
        return PSCI_INVALID_PARAMS;
    }
    if (entry < ram_pa || entry >= ram_end || (entry & 3) != 0) {
        return PSCI_INVALID_ADDRESS;
    }
    uint32_t expect = AFF_OFF;
    if (!__atomic_compare_exchange_n(&m->state, &expect, AFF_ON_PENDING, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        return expect == AFF_ON ? PSCI_ALREADY_ON : PSCI_ON_PENDING;
    }
    m->entry = entry;
    m->context = context;
    __atomic_store_n(&m->armed, 1, __ATOMIC_RELEASE);
    el3_sev();
    plat_cpu_power_on((unsigned)(m - boxes));
    return PSCI_SUCCESS;
}

static int64_t affinity_info(uint64_t target, uint64_t lowest_level)
{
    struct mailbox *m = lowest_level == 0 ? lookup(target) : NULL;
    return m ? (int64_t)__atomic_load_n(&m->state, __ATOMIC_ACQUIRE) : PSCI_INVALID_PARAMS;
}

static int64_t features(uint32_t fid)
{
    switch (fid) {
    case PSCI_VERSION: case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64: case PSCI_CPU_OFF:
    case PSCI_CPU_ON_32: case PSCI_CPU_ON_64: case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET: case PSCI_FEATURES: case SMCCC_VERSION:
        return PSCI_SUCCESS; /* CPU_SUSPEND: original power_state format, no OS-initiated */
    default:
        return PSCI_NOT_SUPPORTED;
    }
}

/* SMCCC_ARCH_FEATURES: the firmware has no Spectre workaround calls (QEMU needs none). */
static int64_t arch_features(uint32_t fid)
{
    return fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES ? PSCI_SUCCESS
                                                              : PSCI_NOT_SUPPORTED;
}

uint64_t psci_call(unsigned cpu, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    if (!(fid & SMCCC_64BIT)) { /* SMC32: only the low halves are arguments */
        a1 = (uint32_t)a1;
        a2 = (uint32_t)a2;
        a3 = (uint32_t)a3;
    }
    switch (fid) {
    case PSCI_VERSION:
        return PSCI_VERSION_1_1;
    case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64:
        if (a1 & PSCI_POWER_STATE_TYPE) {
            return (uint64_t)(int64_t)PSCI_INVALID_PARAMS;
        }
        el3_wfi(); /* standby: back on any interrupt, state kept */
        return PSCI_SUCCESS;
    case PSCI_CPU_OFF:
        __atomic_store_n(&boxes[cpu].state, AFF_OFF, __ATOMIC_RELEASE);
        fw_cpu_idle(fw_stack_top(cpu), cpu);
    case PSCI_CPU_ON_32: case PSCI_CPU_ON_64:
        return (uint64_t)cpu_on(a1, a2, a3);
    case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64:
        return (uint64_t)affinity_info(a1, a2);
    case PSCI_MIGRATE_INFO_TYPE:
        return PSCI_TOS_NOT_PRESENT;
    case PSCI_SYSTEM_OFF:
        el3_power(false);
    case PSCI_SYSTEM_RESET:
        el3_power(true);
    case PSCI_FEATURES:
        return (uint64_t)features((uint32_t)a1);
    case SMCCC_VERSION:
        return SMCCC_VERSION_1_1;
    case SMCCC_ARCH_FEATURES:
        return (uint64_t)arch_features((uint32_t)a1);
    default:
        return (uint64_t)(int64_t)PSCI_NOT_SUPPORTED;
    }
}

void psci_cpu_wait(unsigned cpu)
{
    struct mailbox *m = &boxes[cpu];

    while (!__atomic_load_n(&m->armed, __ATOMIC_ACQUIRE)) {
        el3_wfe();
    }
    uint64_t entry = m->entry, context = m->context;
    m->armed = 0;
    el3_cpu_init(cpu);
    __atomic_store_n(&m->state, AFF_ON, __ATOMIC_RELEASE);
    fw_el2_enter(entry, context, fw_stack_top(cpu));
}
