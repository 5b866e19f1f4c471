/* SPDX-License-Identifier: MIT */
/* EL2 instruction counting for benchmarks (CONFIG_BENCH builds only; no-ops otherwise). */
#pragma once

#include <stdint.h>

#ifndef CONFIG_BENCH
#define CONFIG_BENCH 0
#endif
#define IS_ENABLED(x) (x)

/* MDCR_EL2 HPMN/HPME bits: reserve the last counter for EL2 in bench builds. */
uint64_t pmu_mdcr_bits(void);
/* Program this CPU's EL2 instruction counter and the cycle counter. */
void pmu_init_cpu(void);
/* EL2 instructions retired on this CPU since pmu_init_cpu. */
uint64_t pmu_el2_insns(void);
/* Cycle counter (all ELs; equals instructions under QEMU -icount). */
uint64_t pmu_cycles(void);
