/* SPDX-License-Identifier: MIT */
/* Sizes shared by C and assembly for the EL2 image. */
#pragma once

#define MAX_CPUS          8
#define PCPU_STACK_BYTES  16384
