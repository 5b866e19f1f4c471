/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueues (virtio v1.2 section 2.7) as a device sees them in guest memory, with every
 * guest value treated as hostile: the queue size is any power of two up to VIRTQ_NUM_MAX, the
 * three areas lie inside the VM's RAM with the alignment of 2.7 ("Virtqueue alignment"),
 * descriptor chains are bounded by the queue size (longer means a loop), lengths are summed
 * without overflow and capped (a device-readable chain over the cap is malformed, a
 * device-writable one is used up to it), indirect descriptors are not offered (a descriptor with
 * VIRTQ_DESC_F_INDIRECT is malformed), and the avail index may run at most the queue size
 * ahead of what the device has taken. Indices are free-running modulo 2^16 (2.7.6, 2.7.8).
 * Portable: guest RAM is reached through a struct virtq_mem, a plain buffer in unit tests.
 * No locking here: the device serialises access to its queues.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/errno.h>
#include <lib/range.h>

#define VIRTQ_NUM_MAX         256u    /* QueueNumMax */
#define VIRTQ_CHAIN_BYTES_MAX 0x10000u /* a device-readable chain over 64 KiB is malformed; a
                                        * device-writable one is used up to 64 KiB */

/* Descriptor flags (2.7.5). */
#define VIRTQ_DESC_F_NEXT     0x1u
#define VIRTQ_DESC_F_WRITE    0x2u
#define VIRTQ_DESC_F_INDIRECT 0x4u

/* Alignment and size of the three areas (2.7, table "Virtqueue Part Alignment"). */
#define VIRTQ_DESC_ALIGN  16u
#define VIRTQ_AVAIL_ALIGN 2u
#define VIRTQ_USED_ALIGN  4u
#define VIRTQ_DESC_SIZE   16u /* le64 addr, le32 len, le16 flags, le16 next */
#define VIRTQ_USED_ELEM   8u  /* le32 id, le32 len */
#define VIRTQ_RING_HDR    4u  /* le16 flags, le16 idx */

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "virtio 1.x rings are little-endian; so are AArch64 EL2 and the host tests");

/* Why a queue is malformed (virtq_err_name gives the event's why= word). */
enum virtq_err {
    VIRTQ_OK = 0,
    VIRTQ_BAD_SIZE,   /* queue size 0, not a power of two, or over VIRTQ_NUM_MAX */
    VIRTQ_BAD_ADDR,   /* an area or a buffer outside RAM, or misaligned */
    VIRTQ_BAD_INDEX,  /* a head or next index >= queue size */
    VIRTQ_LOOP,       /* a chain longer than the queue size */
    VIRTQ_BAD_LEN,    /* a device-readable chain over VIRTQ_CHAIN_BYTES_MAX */
    VIRTQ_INDIRECT,   /* VIRTQ_DESC_F_INDIRECT, not offered */
    VIRTQ_BAD_DIR,    /* a device-writable buffer where a readable one belongs, or back */
    VIRTQ_AVAIL_JUMP, /* avail idx more than the queue size ahead */
    VIRTQ_ERR_COUNT,
};

const char *virtq_err_name(int err);

/* The guest's RAM as the device reaches it: [ipa, ipa + size) at host. */
struct virtq_mem {
    uint8_t *host;
    uint64_t ipa;
    uint64_t size;
};

/*
 * Host pointer to [ipa, ipa + len) when all of it is inside mem, else NULL. No sum can wrap.
 * len 0 at the very end of RAM is inside.
 */
void *virtq_mem_ptr(const struct virtq_mem *mem, uint64_t ipa, uint64_t len);

struct virtq {
    /* Set by the driver through the transport while the queue is not ready. */
    uint32_t num;        /* QueueNum as written (checked by virtq_setup) */
    uint64_t desc_ipa;
    uint64_t avail_ipa;
    uint64_t used_ipa;
    /* Device state, valid while ready. */
    bool ready;
    uint16_t last_avail; /* next avail ring entry to take */
    uint16_t used_idx;   /* next used ring entry to fill */
    uint8_t *desc;       /* host pointers into guest RAM */
    uint8_t *avail;
    uint8_t *used;
};

/* A descriptor chain being walked (virtq_chain_*). */
struct virtq_chain {
    const struct virtq *q;
    const struct virtq_mem *mem;
    uint16_t head;
    uint16_t next;      /* the descriptor virtq_chain_next reads */
    bool more;          /* a descriptor is left */
    uint32_t count;     /* descriptors read */
    uint32_t total;     /* their bytes, at most VIRTQ_CHAIN_BYTES_MAX */
};

/* The queue back to "not set up": size 0, no addresses, not ready. */
void virtq_reset(struct virtq *q);

/*
 * Make q ready from what the driver wrote (num, the three IPAs): checks the size and the
 * areas against mem, then clears the indices. Returns VIRTQ_OK, or the virtq_err and q is
 * left not ready.
 */
int virtq_setup(struct virtq *q, const struct virtq_mem *mem) BH_MUST_CHECK;

/* A ring field read once (the compiler may not read it twice). */
static inline uint16_t virtq_ld16(const uint8_t *p)
{
    return __atomic_load_n((const uint16_t *)(const void *)p, __ATOMIC_RELAXED);
}

/*
 * Take the next available chain head into *head. Returns VIRTQ_OK, -BH_ENOENT when the driver
 * has made nothing new available, or a virtq_err (avail index jump, head out of range).
 * Inline, like virtq_chain_next: a device's frame path calls both for the sender's and the
 * receiver's chain, and inlined the walk's state stays in registers (virtio-net: 1,052 ->
 * 952 EL2 instructions per 64-byte frame).
 */
BH_MUST_CHECK static inline int virtq_pop(struct virtq *q, uint16_t *head)
{
    /* acquire: the ring entries the driver wrote before the index are visible after it */
    uint16_t idx = __atomic_load_n((uint16_t *)(void *)(q->avail + 2), __ATOMIC_ACQUIRE);
    uint16_t pending = (uint16_t)(idx - q->last_avail);

    if (pending == 0) {
        return -BH_ENOENT;
    }
    if (pending > q->num) {
        return VIRTQ_AVAIL_JUMP;
    }
    uint16_t h = virtq_ld16(q->avail + VIRTQ_RING_HDR + 2u * (q->last_avail & (q->num - 1)));
    if (h >= q->num) {
        return VIRTQ_BAD_INDEX;
    }
    q->last_avail++;
    *head = h;
    return VIRTQ_OK;
}

/* Whether the driver has made nothing available since the last virtq_pop took its last: a
 * look at the index only (virtq_pop reads it again, and orders the ring after it), so a
 * device can skip the call on a queue it has emptied. Ready queues only. */
static inline bool virtq_is_empty(const struct virtq *q)
{
    return __atomic_load_n((const uint16_t *)(const void *)(q->avail + 2), __ATOMIC_RELAXED) ==
           q->last_avail;
}

/* Give back the chain head the last virtq_pop took, unused and not pushed: the device will
 * take it again later (a receive buffer with nothing to put into it yet). */
static inline void virtq_unpop(struct virtq *q)
{
    q->last_avail--;
}

/* Begin walking the chain at head (from virtq_pop). Inline: once per frame and receiver. */
static inline void virtq_chain_begin(struct virtq_chain *c, const struct virtq *q,
                                     const struct virtq_mem *mem, uint16_t head)
{
    /* field by field: a compound literal would also clear the padding, a byte at a time */
    c->q = q;
    c->mem = mem;
    c->head = head;
    c->next = head;
    c->more = true;
    c->count = 0;
    c->total = 0;
}

/* virtq_mem_ptr, inline for the descriptor walk. */
static inline void *virtq_mem_ptr_inline(const struct virtq_mem *mem, uint64_t ipa, uint64_t len)
{
    if (ipa < mem->ipa || !range_fits(ipa - mem->ipa, len, mem->size)) {
        return NULL;
    }
    return mem->host + (ipa - mem->ipa);
}

/*
 * The next buffer of the chain: 1 and its host pointer and length (writable: the descriptor
 * must be device-writable, else device-readable), 0 at the end, or -virtq_err. Every
 * descriptor is read once, so a guest changing it meanwhile changes nothing checked.
 */
BH_MUST_CHECK static inline __attribute__((always_inline)) int
virtq_chain_next(struct virtq_chain *c, bool writable, uint8_t **buf, uint32_t *len)
{
    if (!c->more) {
        return 0;
    }
    if (++c->count > c->q->num) {
        return -VIRTQ_LOOP; /* num descriptors in all: one more is a revisit */
    }
    /* The table is 16-byte aligned (virtq_setup): two naturally aligned 8-byte loads, addr
     * then le32 len, le16 flags, le16 next, into locals (atomic loads: the compiler may not
     * read a field twice). */
    _Static_assert(VIRTQ_DESC_SIZE == 16, "descriptor layout");
    const uint8_t *raw = c->q->desc + (uint32_t)c->next * VIRTQ_DESC_SIZE;
    uint64_t addr = __atomic_load_n((const uint64_t *)(const void *)raw, __ATOMIC_RELAXED);
    uint64_t rest = __atomic_load_n((const uint64_t *)(const void *)(raw + 8), __ATOMIC_RELAXED);
    uint32_t dlen = (uint32_t)rest;
    uint16_t flags = (uint16_t)(rest >> 32);
    uint16_t next = (uint16_t)(rest >> 48);

    if (flags & VIRTQ_DESC_F_INDIRECT) {
        return -VIRTQ_INDIRECT;
    }
    if (((flags & VIRTQ_DESC_F_WRITE) != 0) != writable) {
        return -VIRTQ_BAD_DIR;
    }
    if (dlen > VIRTQ_CHAIN_BYTES_MAX - c->total) {
        if (!writable) {
            return -VIRTQ_BAD_LEN;
        }
        /* A device-writable buffer may be as large as the driver likes (2.7.4: the device
         * makes no assumption about the arrangement): the device uses its first bytes only,
         * up to the chain's limit, and only those must lie in RAM. */
        dlen = VIRTQ_CHAIN_BYTES_MAX - c->total;
    }
    uint8_t *p = virtq_mem_ptr_inline(c->mem, addr, dlen);
    if (p == NULL) {
        return -VIRTQ_BAD_ADDR;
    }
    if (flags & VIRTQ_DESC_F_NEXT) {
        if (next >= c->q->num) {
            return -VIRTQ_BAD_INDEX;
        }
        c->next = next;
    } else {
        c->more = false;
    }
    c->total += dlen;
    *buf = p;
    *len = dlen;
    return 1;
}

/* Return chain head to the driver with len bytes written into it (used ring, 2.7.8).
 * Inline: a few stores on every frame's path. */
static inline void virtq_push(struct virtq *q, uint16_t head, uint32_t len)
{
    /* used is 4-byte aligned (virtq_setup), and so is every element: two 32-bit stores */
    uint32_t *e = (uint32_t *)(void *)(q->used + VIRTQ_RING_HDR +
                                       (uint32_t)(q->used_idx & (q->num - 1)) * VIRTQ_USED_ELEM);

    e[0] = head;
    e[1] = len;
    q->used_idx++;
    /* release: the element (and the buffer's bytes) before the index that publishes it */
    __atomic_store_n((uint16_t *)(void *)(q->used + 2), q->used_idx, __ATOMIC_RELEASE);
}

/*
 * After virtq_push: whether the driver wants a used-buffer notification. Without
 * VIRTIO_F_EVENT_IDX (not offered) that is avail->flags bit 0, VIRTQ_AVAIL_F_NO_INTERRUPT,
 * which the device SHOULD honour (virtio 1.2 2.7.7.2), read after the used index is written
 * (a full barrier: the driver re-checks the used ring after clearing the flag, 2.7.7.1), so a
 * driver that turns callbacks back on never misses a buffer.
 */
static inline bool virtq_wants_interrupt(const struct virtq *q)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return (__atomic_load_n((const uint16_t *)(const void *)q->avail, __ATOMIC_RELAXED) & 1) == 0;
}
