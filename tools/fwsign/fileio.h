/* SPDX-License-Identifier: MIT */
/* fwsign's file handling, shared by its commands (fwsign.c, attest.c). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* "fwsign: what: why" on stderr, exit status 1. */
_Noreturn void fwsign_fail(const char *what, const char *why);

/* The whole of path ("-": standard input), malloc'ed; fails on an error or an empty file. */
uint8_t *fwsign_slurp(const char *path, size_t *len);

/* A file of exactly 32 bytes (a key) into out; otherwise fails with "not <what>". */
void fwsign_read32(const char *path, uint8_t out[32], const char *what);
