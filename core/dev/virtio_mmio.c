// SPDX-License-Identifier: MIT
/*
 * The virtio-mmio register block, Version 2 (virtio v1.2 section 4.2.2), for devices Bulkhead
 * emulates. Status and feature negotiation follow 3.1.1: the device refuses FEATURES_OK (it
 * stays clear) unless the driver accepted VIRTIO_F_VERSION_1 and nothing that was not offered,
 * and ignores DRIVER_OK before FEATURES_OK. Queue registers take effect only while the queue
 * is not ready; QueueReady = 1 checks what the driver wrote (virtq_setup) and a bad queue
 * stops the device (DEVICE_NEEDS_RESET), never the hypervisor. QueueReset = 1 forgets the
 * selected queue at once.
 */
#include <core/dev/virtio_mmio.h>

#include <lib/string.h>

#define WORD 4u
#define LO32(v) ((uint32_t)(v))
#define HI32(v) ((uint32_t)((v) >> 32))
#define SET_LO(dst, v) ((dst) = ((dst) & ~(uint64_t)UINT32_MAX) | (uint32_t)(v))
#define SET_HI(dst, v) ((dst) = ((dst) & UINT32_MAX) | ((uint64_t)(uint32_t)(v) << 32))

void virtio_mmio_init(struct virtio_mmio *t, uint32_t device_id, uint64_t features)
{
    memset(t, 0, sizeof(*t));
    t->device_id = device_id;
    t->features = features;
}

void virtio_mmio_reset(struct virtio_mmio *t)
{
    uint32_t id = t->device_id;
    uint64_t f = t->features;

    virtio_mmio_init(t, id, f);
}

void virtio_mmio_fail(struct virtio_mmio *t)
{
    t->status |= VIRTIO_STATUS_NEEDS_RESET;
    t->isr |= VIRTIO_INT_CONFIG;
    for (unsigned i = 0; i < VIRTIO_MMIO_QUEUES; i++) {
        t->q[i].ready = false;
    }
}

/* The selected queue, or NULL past the device's queues (they read as absent: NumMax 0). */
static struct virtq *selected(struct virtio_mmio *t)
{
    return t->queue_sel < VIRTIO_MMIO_QUEUES ? &t->q[t->queue_sel] : NULL;
}

static void write_status(struct virtio_mmio *t, uint32_t v, struct virtio_mmio_effect *eff)
{
    uint32_t want = v & 0xffu & ~VIRTIO_STATUS_NEEDS_RESET; /* NEEDS_RESET is the device's */

    if ((v & 0xffu) == 0) {
        eff->reset = true;
        return;
    }
    if ((want & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
        bool v1 = (t->drv_features >> VIRTIO_F_VERSION_1) & 1u;
        if (!v1 || (t->drv_features & ~t->features) != 0 || t->drv_features_high != 0) {
            want &= ~VIRTIO_STATUS_FEATURES_OK; /* refused: the driver reads it back clear */
        }
    }
    if (!(want & VIRTIO_STATUS_FEATURES_OK)) {
        want &= ~VIRTIO_STATUS_DRIVER_OK;
    }
    t->status = want | (t->status & VIRTIO_STATUS_NEEDS_RESET);
}

static int read_reg(struct virtio_mmio *t, uint32_t off, uint64_t *val)
{
    struct virtq *q = selected(t);

    switch (off) {
    case VIRTIO_MMIO_MAGIC:
        *val = VIRTIO_MMIO_MAGIC_VALUE;
        return 0;
    case VIRTIO_MMIO_VERSION:
        *val = VIRTIO_MMIO_VERSION_MODERN;
        return 0;
    case VIRTIO_MMIO_DEVICE_ID:
        *val = t->device_id;
        return 0;
    case VIRTIO_MMIO_VENDOR_ID:
        *val = VIRTIO_MMIO_VENDOR;
        return 0;
    case VIRTIO_MMIO_DEV_FEATURES:
        *val = t->dev_features_sel == 0 ? LO32(t->features)
               : t->dev_features_sel == 1 ? HI32(t->features) : 0;
        return 0;
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        *val = q != NULL ? VIRTQ_NUM_MAX : 0;
        return 0;
    case VIRTIO_MMIO_QUEUE_READY:
        *val = q != NULL && q->ready;
        return 0;
    case VIRTIO_MMIO_INT_STATUS:
        *val = t->isr;
        return 0;
    case VIRTIO_MMIO_STATUS:
        *val = t->status;
        return 0;
    case VIRTIO_MMIO_SHM_LEN_LO:
    case VIRTIO_MMIO_SHM_LEN_HI:
    case VIRTIO_MMIO_SHM_BASE_LO:
    case VIRTIO_MMIO_SHM_BASE_HI:
        *val = UINT32_MAX; /* no shared memory region (4.2.2: all ones) */
        return 0;
    case VIRTIO_MMIO_CONFIG_GEN:
        *val = 0; /* the configuration never changes */
        return 0;
    case VIRTIO_MMIO_QUEUE_RESET:
        *val = 0; /* a queue reset is complete when its write returns */
        return 0;
    default:
        return -BH_EINVAL;
    }
}

/* Queue registers: only while the queue is not ready (2.7: the driver sets up, then enables). */
static int write_queue(struct virtq *q, uint32_t off, uint32_t v)
{
    bool ignored = q == NULL || q->ready; /* as a queue that does not exist */
    struct virtq scratch = { 0 };

    if (ignored) {
        q = &scratch; /* still refuse offsets that are no queue register */
    }
    switch (off) {
    case VIRTIO_MMIO_QUEUE_NUM:
        q->num = v;
        return 0;
    case VIRTIO_MMIO_QUEUE_DESC_LO:
        SET_LO(q->desc_ipa, v);
        return 0;
    case VIRTIO_MMIO_QUEUE_DESC_HI:
        SET_HI(q->desc_ipa, v);
        return 0;
    case VIRTIO_MMIO_QUEUE_DRIVER_LO:
        SET_LO(q->avail_ipa, v);
        return 0;
    case VIRTIO_MMIO_QUEUE_DRIVER_HI:
        SET_HI(q->avail_ipa, v);
        return 0;
    case VIRTIO_MMIO_QUEUE_DEVICE_LO:
        SET_LO(q->used_ipa, v);
        return 0;
    case VIRTIO_MMIO_QUEUE_DEVICE_HI:
        SET_HI(q->used_ipa, v);
        return 0;
    default:
        return -BH_EINVAL;
    }
}

static void write_ready(struct virtio_mmio *t, const struct virtq_mem *mem, uint32_t v,
                        struct virtio_mmio_effect *eff)
{
    struct virtq *q = selected(t);

    if (q == NULL || (t->status & VIRTIO_STATUS_NEEDS_RESET)) {
        return;
    }
    if (v == 0) {
        eff->stopped = q->ready;
        q->ready = false;
    } else if (!q->ready) {
        int err = virtq_setup(q, mem);
        if (err != VIRTQ_OK) {
            eff->malformed = err;
            eff->queue = t->queue_sel;
        }
    }
}

static int write_reg(struct virtio_mmio *t, const struct virtq_mem *mem, uint32_t off,
                     uint32_t v, struct virtio_mmio_effect *eff)
{
    switch (off) {
    case VIRTIO_MMIO_DEV_FEATURES_SEL:
        t->dev_features_sel = v;
        return 0;
    case VIRTIO_MMIO_DRV_FEATURES:
        if (!(t->status & VIRTIO_STATUS_FEATURES_OK)) { /* fixed once accepted (3.1.1) */
            if (t->drv_features_sel == 0) {
                SET_LO(t->drv_features, v);
            } else if (t->drv_features_sel == 1) {
                SET_HI(t->drv_features, v);
            } else {
                /* a word past the offered ones: the driver accepts a bit never offered when
                 * it writes anything but 0 (2.2.1: not a valid subset, FEATURES_OK refused) */
                uint32_t bit = t->drv_features_sel - 2u < 31u ? t->drv_features_sel - 2u : 31u;
                if (v != 0) {
                    t->drv_features_high |= 1u << bit;
                } else if (bit < 31u) {
                    t->drv_features_high &= ~(1u << bit);
                }
            }
        }
        return 0;
    case VIRTIO_MMIO_DRV_FEATURES_SEL:
        t->drv_features_sel = v;
        return 0;
    case VIRTIO_MMIO_QUEUE_SEL:
        t->queue_sel = v;
        return 0;
    case VIRTIO_MMIO_QUEUE_READY:
        write_ready(t, mem, v, eff);
        return 0;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        if (virtio_mmio_is_live(t) && v < VIRTIO_MMIO_QUEUES && t->q[v].ready) {
            eff->notify = (int)v;
        }
        return 0;
    case VIRTIO_MMIO_INT_ACK:
        t->isr &= ~v;
        return 0;
    case VIRTIO_MMIO_STATUS:
        write_status(t, v, eff);
        return 0;
    case VIRTIO_MMIO_SHM_SEL:
        return 0; /* no region to select */
    case VIRTIO_MMIO_QUEUE_RESET:
        /* 4.2.2.1: "The device MUST reset the queue when 1 is written to QueueReset" (and
         * present 0 in QueueReset and QueueReady once done). VIRTIO_F_RING_RESET is not
         * offered, so Linux never writes it; a driver that does gets the queue back to its
         * state after a device reset, like QEMU's. */
        if (v == 1 && selected(t) != NULL) {
            eff->stopped = selected(t)->ready;
            virtq_reset(selected(t));
        }
        return 0;
    default:
        return write_queue(selected(t), off, v);
    }
}

int virtio_mmio_access(struct virtio_mmio *t, const struct virtq_mem *mem, uint32_t off,
                       unsigned size, bool write, uint64_t *val, struct virtio_mmio_effect *eff)
{
    *eff = (struct virtio_mmio_effect){ .notify = -1, .malformed = VIRTQ_OK };
    /* 4.2.2.2: the driver MUST use 32-bit wide and aligned accesses for the registers. */
    if (size != WORD || off % WORD != 0 || off >= VIRTIO_MMIO_CONFIG) {
        return -BH_EINVAL;
    }
    if (write) {
        return write_reg(t, mem, off, (uint32_t)*val, eff);
    }
    return read_reg(t, off, val);
}
