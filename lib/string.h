/* SPDX-License-Identifier: MIT */
/* Freestanding string helpers for EL2; on the host (unit tests, tools) the C library's. */
#pragma once

#include <stddef.h>

#ifdef __STDC_HOSTED__
#if __STDC_HOSTED__
#include <stdlib.h>
#include <string.h>
#define BH_HOSTED 1
#endif
#endif

#ifndef BH_HOSTED
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);
#endif
