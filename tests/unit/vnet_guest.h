/* SPDX-License-Identifier: MIT */
/*
 * A tiny virtio driver for the host tests of core/dev/virtq.c and core/dev/vnet.c: guest RAM
 * is a buffer, and the helpers lay out split virtqueues in it as a driver would (virtio v1.2
 * section 2.7), written from the specification rather than from the device code.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <core/dev/virtq.h>

#define G_RAM_IPA  UINT64_C(0x40000000)
#define G_RAM_SIZE (256u * 1024u)

struct g_ram {
    uint8_t bytes[G_RAM_SIZE] __attribute__((aligned(4096)));
};

static inline struct virtq_mem g_mem(struct g_ram *r)
{
    return (struct virtq_mem){ .host = r->bytes, .ipa = G_RAM_IPA, .size = G_RAM_SIZE };
}

static inline uint8_t *g_ptr(struct g_ram *r, uint64_t ipa)
{
    return &r->bytes[ipa - G_RAM_IPA];
}

static inline void g_w16(struct g_ram *r, uint64_t ipa, uint16_t v)
{
    memcpy(g_ptr(r, ipa), &v, 2);
}

static inline uint16_t g_r16(struct g_ram *r, uint64_t ipa)
{
    uint16_t v;
    memcpy(&v, g_ptr(r, ipa), 2);
    return v;
}

static inline uint32_t g_r32(struct g_ram *r, uint64_t ipa)
{
    uint32_t v;
    memcpy(&v, g_ptr(r, ipa), 4);
    return v;
}

/* A driver's view of one queue it laid out at base: desc, then avail, then used (4 KiB on). */
struct g_queue {
    struct g_ram *ram;
    uint16_t num;
    uint64_t desc, avail, used;
    uint16_t avail_idx; /* driver's next avail index */
    uint16_t used_seen; /* driver's last used index consumed */
};

static inline void g_queue_layout(struct g_queue *q, struct g_ram *ram, uint64_t base,
                                  uint16_t num)
{
    q->ram = ram;
    q->num = num;
    q->desc = base;
    q->avail = base + (uint64_t)num * 16;
    q->used = (q->avail + 6 + 2u * num + 4095) & ~UINT64_C(4095);
    q->avail_idx = 0;
    q->used_seen = 0;
}

static inline void g_desc(struct g_queue *q, uint16_t i, uint64_t addr, uint32_t len,
                          uint16_t flags, uint16_t next)
{
    uint8_t *d = g_ptr(q->ram, q->desc + 16u * i);
    memcpy(d, &addr, 8);
    memcpy(d + 8, &len, 4);
    memcpy(d + 12, &flags, 2);
    memcpy(d + 14, &next, 2);
}

/* Make chain head available and publish the new avail index. */
static inline void g_offer(struct g_queue *q, uint16_t head)
{
    g_w16(q->ram, q->avail + 4 + 2u * (q->avail_idx % q->num), head);
    q->avail_idx++;
    g_w16(q->ram, q->avail + 2, q->avail_idx);
}

static inline uint16_t g_used_idx(struct g_queue *q)
{
    return g_r16(q->ram, q->used + 2);
}

/* Used element i (free-running): id and len. */
static inline void g_used_elem(struct g_queue *q, uint16_t i, uint32_t *id, uint32_t *len)
{
    uint64_t e = q->used + 4 + 8u * (i % q->num);
    *id = g_r32(q->ram, e);
    *len = g_r32(q->ram, e + 4);
}
