// SPDX-License-Identifier: MIT
/*
 * Split virtqueue access for emulated virtio devices (virtio v1.2 section 2.7), hostile-guest
 * safe: every address, index and length the guest wrote is checked before use, every guest
 * field is read once into a local, and no loop is bounded by a guest value. The ring index
 * fields are read with acquire and written with release ordering, which is what 2.7.13 asks
 * of a device (and is the barrier pairing Linux's virtio_ring uses on its side). The per-frame
 * steps (virtq_pop, the chain walk, virtq_push) are inline in virtq.h; queue set-up is here.
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
    return virtq_mem_ptr_inline(mem, ipa, len);
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
