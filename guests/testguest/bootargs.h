/* SPDX-License-Identifier: MIT */
/* "tg.key=value" options from /chosen bootargs (space-separated, as on a Linux command line). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copy the value of key (e.g. "tg.mode") into out; false if the key is absent. */
bool bootarg_get(const char *key, char *out, size_t size);

/* Numeric value of key (decimal or 0x-hex), def if absent or not a number. */
uint64_t bootarg_get_u64(const char *key, uint64_t def);
