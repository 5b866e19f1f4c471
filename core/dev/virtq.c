// SPDX-License-Identifier: MIT
/*
 * Split virtqueue access for emulated virtio devices (virtio v1.2 section 2.7), hostile-guest
 * safe: every address, index and length the guest wrote is checked before use, every guest
 * field is read once into a local, and no loop is bounded by a guest value. The ring index
 * fields are read with acquire and written with release ordering, which is what 2.7.13 asks
 * of a device (and is the barrier pairing Linux's virtio_ring uses on its side).
 */
#include <core/dev/virtq.h>

#include <lib/range.h>
#include <lib/string.h>

static const char *const err_names[VIRTQ_ERR_COUNT] = {
    [VIRTQ_OK] = "ok",
    [VIRTQ_BAD_SIZE] = "queue_size",
    [VIRTQ_BAD_ADDR] = "address",
    [VIRTQ_BAD_INDEX] = "index",
    [VIRTQ_LOOP] = "loop",
    [VIRTQ_BAD_LEN] = "length",
    [VIRTQ_INDIRECT] = "indirect",
    [VIRTQ_BAD_DIR] = "direction",
    [VIRTQ_AVAIL_JUMP] = "avail_jump",
};

const char *virtq_err_name(int err)
{
    return err >= 0 && err < VIRTQ_ERR_COUNT ? err_names[err] : "?";
}

void *virtq_mem_ptr(const struct virtq_mem *mem, uint64_t ipa, uint64_t len)
{
    if (ipa < mem->ipa || !range_fits(ipa - mem->ipa, len, mem->size)) {
        return NULL;
    }
    return mem->host + (ipa - mem->ipa);
}

void virtq_reset(struct virtq *q)
{
    memset(q, 0, sizeof(*q));
}

/* An area of len bytes at ipa, aligned to align: its host pointer or NULL. */
static uint8_t *area(const struct virtq_mem *mem, uint64_t ipa, uint64_t len, uint64_t align)
{
    return ipa % align == 0 ? virtq_mem_ptr(mem, ipa, len) : NULL;
}

int virtq_setup(struct virtq *q, const struct virtq_mem *mem)
{
    uint32_t num = q->num;

    q->ready = false;
    if (num == 0 || num > VIRTQ_NUM_MAX || (num & (num - 1)) != 0) {
        return VIRTQ_BAD_SIZE;
    }
    /* num <= 256: none of these sizes can overflow. The event fields (VIRTIO_F_EVENT_IDX)
     * are not negotiated, so the device never touches them and does not ask for them. */
    uint8_t *desc = area(mem, q->desc_ipa, (uint64_t)num * VIRTQ_DESC_SIZE, VIRTQ_DESC_ALIGN);
    uint8_t *avail = area(mem, q->avail_ipa, VIRTQ_RING_HDR + 2ull * num, VIRTQ_AVAIL_ALIGN);
    uint8_t *used = area(mem, q->used_ipa, VIRTQ_RING_HDR + (uint64_t)num * VIRTQ_USED_ELEM,
                         VIRTQ_USED_ALIGN);
    if (desc == NULL || avail == NULL || used == NULL) {
        return VIRTQ_BAD_ADDR;
    }
    q->desc = desc;
    q->avail = avail;
    q->used = used;
    q->last_avail = 0;
    q->used_idx = 0;
    q->ready = true;
    return VIRTQ_OK;
}

static uint16_t ld16(const uint8_t *p)
{
    return __atomic_load_n((const uint16_t *)(const void *)p, __ATOMIC_RELAXED);
}

int virtq_pop(struct virtq *q, uint16_t *head)
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
    uint16_t h = ld16(q->avail + VIRTQ_RING_HDR + 2u * (q->last_avail & (q->num - 1)));
    if (h >= q->num) {
        return VIRTQ_BAD_INDEX;
    }
    q->last_avail++;
    *head = h;
    return VIRTQ_OK;
}

int virtq_chain_next(struct virtq_chain *c, bool writable, uint8_t **buf, uint32_t *len)
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
        return -VIRTQ_BAD_LEN;
    }
    uint8_t *p = virtq_mem_ptr(c->mem, addr, dlen);
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
