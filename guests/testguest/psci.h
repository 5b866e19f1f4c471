/* SPDX-License-Identifier: MIT */
/* PSCI 1.x calls (Arm DEN 0022) and raw SMCCC calls (Arm DEN 0028) for the test guest. */
#pragma once

#include <stdint.h>

#define PSCI_0_2_FN_PSCI_VERSION    0x84000000U
#define PSCI_0_2_FN_CPU_OFF         0x84000002U
#define PSCI_0_2_FN64_CPU_ON        0xC4000003U
#define PSCI_0_2_FN64_AFFINITY_INFO 0xC4000004U
#define PSCI_0_2_FN_SYSTEM_OFF      0x84000008U
#define PSCI_1_0_FN_PSCI_FEATURES   0x8400000AU

#define PSCI_VERSION_1_0 0x10000U
#define PSCI_VERSION_MAJOR_SHIFT 16
#define PSCI_VERSION_MINOR_MASK  0xffffU

#define PSCI_RET_SUCCESS       0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_ALREADY_ON    (-4)

#define PSCI_AFFINITY_ON         0
#define PSCI_AFFINITY_OFF        1
#define PSCI_AFFINITY_ON_PENDING 2
#define PSCI_AFFINITY_LEVEL0     0

#define SMCCC_RET_NOT_SUPPORTED (-1)

enum psci_conduit {
    PSCI_CONDUIT_NONE,
    PSCI_CONDUIT_HVC,
    PSCI_CONDUIT_SMC,
};

/* Select HVC or SMC for PSCI calls (from the DT /psci "method"). */
void psci_set_conduit(enum psci_conduit conduit);
enum psci_conduit psci_get_conduit(void);

/* Raw SMCCC calls with up to three arguments; return x0 as a signed value. */
int64_t smccc_hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t smccc_smc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
/* An HVC with one argument whose results x1..x3 go to res[0..2]; returns x0. */
int64_t smccc_hvc_res(uint32_t fid, uint64_t a1, uint64_t res[3]);

/* PSCI call through the configured conduit; PSCI_RET_NOT_SUPPORTED if there is none. */
int64_t psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* PSCI_VERSION: major in [31:16], minor in [15:0]. */
uint32_t psci_version(void);

/* PSCI_FEATURES for function fid: 0 or feature flags if implemented, else negative. */
int64_t psci_features(uint32_t fid);

/* CPU_ON: start the CPU with affinity mpidr at entry_pa (MMU off) with x0 = context_id. */
int64_t psci_cpu_on(uint64_t mpidr, uintptr_t entry_pa, uint64_t context_id);

/* AFFINITY_INFO at level 0: PSCI_AFFINITY_ON / _OFF / _ON_PENDING, or negative error. */
int64_t psci_affinity_info(uint64_t mpidr);

/* CPU_OFF; returns only on failure, with the error. */
int64_t psci_cpu_off(void);

/* SYSTEM_OFF; returns only if the call failed. */
void psci_system_off(void);
