/* SPDX-License-Identifier: MIT */
/* Sizes shared by C and assembly for the EL2 image. */
#pragma once

#define MAX_CPUS          8
#define PCPU_STACK_BYTES  16384

/* Place a large buffer in memory that boot does not clear (see the link script). */
#define __noclear __attribute__((section(".noclear")))
