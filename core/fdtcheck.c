// SPDX-License-Identifier: MIT
/*
 * The structure-block walk libfdt does not do safely (core/fdtcheck.h). Layout per the
 * Devicetree Specification v0.4, chapter 5: a 40-byte header of big-endian words, then the
 * memory reservation, structure and strings blocks; tokens are 4-byte aligned.
 */
#include <core/fdtcheck.h>

#include <stdbool.h>

#include <lib/range.h>
#include <lib/string.h>

#define FDT_MAGIC        UINT32_C(0xd00dfeed)
#define FDT_HEADER_SIZE  40
#define FDT_VERSION_MIN  17 /* size_dt_struct exists (spec 5.2); what dtc and mkimage write */
#define FDT_BEGIN_NODE   1
#define FDT_END_NODE     2
#define FDT_PROP         3
#define FDT_NOP          4
#define FDT_END          9
#define TOKEN            4
#define PROP_HEAD        8 /* len, nameoff */

enum { H_MAGIC, H_TOTALSIZE, H_OFF_STRUCT, H_OFF_STRINGS, H_OFF_RSVMAP, H_VERSION,
       H_LAST_COMP, H_BOOT_CPU, H_SIZE_STRINGS, H_SIZE_STRUCT };

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t align4(uint64_t v)
{
    return (v + TOKEN - 1) & ~(uint64_t)(TOKEN - 1);
}

/* The structure block [0, n) of s, with strings_size bytes of strings. */
static int walk(const uint8_t *s, uint64_t n, uint64_t strings_size)
{
    uint64_t off = 0;
    int depth = 0;
    bool had_root = false;

    while (range_fits(off, TOKEN, n)) {
        uint32_t tag = be32(s + off);
        uint64_t next;
        switch (tag) {
        case FDT_BEGIN_NODE: {
            const uint8_t *name = s + off + TOKEN;
            const uint8_t *nul = memchr(name, '\0', n - off - TOKEN);
            if (nul == NULL || (depth == 0 && had_root)) {
                return -BH_EINVAL; /* unterminated name, or a second root */
            }
            had_root = true;
            depth++;
            next = align4((uint64_t)(nul - s) + 1);
            break;
        }
        case FDT_END_NODE:
            if (depth-- == 0) {
                return -BH_EINVAL;
            }
            next = off + TOKEN;
            break;
        case FDT_PROP: {
            if (depth == 0 || !range_fits(off + TOKEN, PROP_HEAD, n)) {
                return -BH_EINVAL;
            }
            uint64_t len = be32(s + off + TOKEN), nameoff = be32(s + off + TOKEN + 4);
            uint64_t val = off + TOKEN + PROP_HEAD;
            if (!range_fits(val, len, n) || nameoff >= strings_size) {
                return -BH_EINVAL;
            }
            next = align4(val + len);
            break;
        }
        case FDT_NOP:
            next = off + TOKEN;
            break;
        case FDT_END:
            return depth == 0 && had_root && off + TOKEN <= n ? 0 : -BH_EINVAL;
        default:
            return -BH_EINVAL;
        }
        off = next; /* strictly increasing: every case advances by at least one token */
    }
    return -BH_EINVAL; /* no FDT_END */
}

int fdtcheck_blob(const void *fdt, size_t size)
{
    const uint8_t *b = fdt;
    uint32_t h[10];

    if (size < FDT_HEADER_SIZE) {
        return -BH_EINVAL;
    }
    for (int i = 0; i < 10; i++) {
        h[i] = be32(b + 4 * i);
    }
    uint64_t total = h[H_TOTALSIZE];
    if (h[H_MAGIC] != FDT_MAGIC || h[H_VERSION] < FDT_VERSION_MIN || total > size ||
        total < FDT_HEADER_SIZE || !range_fits(h[H_OFF_STRUCT], h[H_SIZE_STRUCT], total) ||
        !range_fits(h[H_OFF_STRINGS], h[H_SIZE_STRINGS], total) ||
        h[H_OFF_RSVMAP] < FDT_HEADER_SIZE || h[H_OFF_RSVMAP] > total) {
        return -BH_EINVAL;
    }
    return walk(b + h[H_OFF_STRUCT], h[H_SIZE_STRUCT], h[H_SIZE_STRINGS]);
}
