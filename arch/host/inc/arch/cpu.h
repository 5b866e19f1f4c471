/* SPDX-License-Identifier: MIT */
/* Host stand-in for the parts of <arch/cpu.h> that portable core code uses in unit tests:
 * time advances 1 ms per reading, so bounded waits end; events are no-ops. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t arch_now_ns(void)
{
    static uint64_t t;
    return t += 1000000;
}

static inline void arch_wake_all(void)
{
}

static inline void arch_wait_event(void)
{
}

/* Host: any memory is Normal, so memcpy does what arch/aarch64/copy.S does. */
static inline void arch_copy_normal(void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n);
}

/* Host: unaligned accesses through memcpy (arch/aarch64's are single instructions). */
static inline uint16_t arch_read_normal16(const void *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}
static inline uint32_t arch_read_normal32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}
static inline void arch_write_normal16(void *p, uint16_t v)
{
    memcpy(p, &v, sizeof(v));
}
static inline void arch_write_normal64(void *p, uint64_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* No CPU hashing instructions on the host: callers hash with portable code (bundle.c). */
static inline bool arch_sha256(const void *data, uint64_t len, uint8_t out[32])
{
    (void)data;
    (void)len;
    (void)out;
    return false;
}
