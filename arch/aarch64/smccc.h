/* SPDX-License-Identifier: MIT */
/* Calls from EL2 into the firmware (PSCI through SMC or HVC, DEN0022 / DEN0028). */
#pragma once

#include <stdint.h>

uint64_t smccc_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
