/* SPDX-License-Identifier: MIT */
/* The part of <stdlib.h> libfdt needs; implemented in libc.c. */
#pragma once

unsigned long strtoul(const char *s, char **end, int base);
