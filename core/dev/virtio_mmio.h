/* SPDX-License-Identifier: MIT */
/*
 * The virtio-mmio transport, modern interface only (virtio v1.2 section 4.2.2, Version 2):
 * its register block, device status and feature negotiation (2.1, 2.2, 3.1.1), and the queue
 * registers that feed struct virtq. The device behind it (core/dev/vnet.c) owns the lock, the
 * device-specific configuration space and what a queue notification does; this file decides
 * what every register access means. Portable (host unit tests).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>
#include <core/dev/virtq.h>

/* Register offsets (4.2.2, table "MMIO Device Register Layout"). */
#define VIRTIO_MMIO_MAGIC            0x000u
#define VIRTIO_MMIO_VERSION          0x004u
#define VIRTIO_MMIO_DEVICE_ID        0x008u
#define VIRTIO_MMIO_VENDOR_ID        0x00cu
#define VIRTIO_MMIO_DEV_FEATURES     0x010u
#define VIRTIO_MMIO_DEV_FEATURES_SEL 0x014u
#define VIRTIO_MMIO_DRV_FEATURES     0x020u
#define VIRTIO_MMIO_DRV_FEATURES_SEL 0x024u
#define VIRTIO_MMIO_QUEUE_SEL        0x030u
#define VIRTIO_MMIO_QUEUE_NUM_MAX    0x034u
#define VIRTIO_MMIO_QUEUE_NUM        0x038u
#define VIRTIO_MMIO_QUEUE_READY      0x044u
#define VIRTIO_MMIO_QUEUE_NOTIFY     0x050u
#define VIRTIO_MMIO_INT_STATUS       0x060u
#define VIRTIO_MMIO_INT_ACK          0x064u
#define VIRTIO_MMIO_STATUS           0x070u
#define VIRTIO_MMIO_QUEUE_DESC_LO    0x080u
#define VIRTIO_MMIO_QUEUE_DESC_HI    0x084u
#define VIRTIO_MMIO_QUEUE_DRIVER_LO  0x090u
#define VIRTIO_MMIO_QUEUE_DRIVER_HI  0x094u
#define VIRTIO_MMIO_QUEUE_DEVICE_LO  0x0a0u
#define VIRTIO_MMIO_QUEUE_DEVICE_HI  0x0a4u
#define VIRTIO_MMIO_SHM_SEL          0x0acu
#define VIRTIO_MMIO_SHM_LEN_LO       0x0b0u
#define VIRTIO_MMIO_SHM_LEN_HI       0x0b4u
#define VIRTIO_MMIO_SHM_BASE_LO      0x0b8u
#define VIRTIO_MMIO_SHM_BASE_HI      0x0bcu
#define VIRTIO_MMIO_QUEUE_RESET      0x0c0u /* v1.2; VIRTIO_F_RING_RESET is not offered */
#define VIRTIO_MMIO_CONFIG_GEN       0x0fcu
#define VIRTIO_MMIO_CONFIG           0x100u
#define VIRTIO_MMIO_SIZE             0x200u /* the window: config space up to 0x100 bytes */

#define VIRTIO_MMIO_MAGIC_VALUE      0x74726976u /* "virt" */
#define VIRTIO_MMIO_VERSION_MODERN   2u
#define VIRTIO_MMIO_VENDOR           0x4b484c42u /* "BLHK" */

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE    0x01u
#define VIRTIO_STATUS_DRIVER         0x02u
#define VIRTIO_STATUS_DRIVER_OK      0x04u
#define VIRTIO_STATUS_FEATURES_OK    0x08u
#define VIRTIO_STATUS_NEEDS_RESET    0x40u
#define VIRTIO_STATUS_FAILED         0x80u

/* InterruptStatus bits (4.2.2). */
#define VIRTIO_INT_USED              0x1u
#define VIRTIO_INT_CONFIG            0x2u

#define VIRTIO_F_VERSION_1           32u

#define VIRTIO_MMIO_QUEUES           2u

struct virtio_mmio {
    /* What the device is (set once by virtio_mmio_init). */
    uint32_t device_id;
    uint64_t features;     /* offered */
    /* Guest-visible state. */
    uint32_t status;
    uint32_t dev_features_sel;
    uint32_t drv_features_sel;
    uint64_t drv_features; /* accepted by the driver */
    uint32_t drv_features_high; /* DriverFeatures words >= 2 written non-zero (bit sel - 2;
                                 * bit 31 for any word past 32): bits never offered, so
                                 * FEATURES_OK is refused while one is set */
    uint32_t queue_sel;
    uint32_t isr;          /* InterruptStatus */
    struct virtq q[VIRTIO_MMIO_QUEUES];
};

/* What one register access asks the device to do next (virtio_mmio_access). */
struct virtio_mmio_effect {
    int notify;    /* queue index written to QueueNotify (when live), or -1 */
    int malformed; /* a virtq_err from a QueueReady write, or VIRTQ_OK */
    unsigned queue;
    bool reset;    /* Status was written 0: the device must forget its state */
    bool stopped;  /* a ready queue was turned off (QueueReady 0, QueueReset 1): a chain the
                    * device took from it before must not be pushed (the driver may set it up
                    * anew) */
};

/* Set up t for device_id offering features (VIRTIO_F_VERSION_1 must be among them). */
void virtio_mmio_init(struct virtio_mmio *t, uint32_t device_id, uint64_t features);

/* Back to the state after power-on (a 0 written to Status, a VM restart): every queue
 * forgotten, no features, status 0, no interrupt. */
void virtio_mmio_reset(struct virtio_mmio *t);

/*
 * A guest access to register off (< VIRTIO_MMIO_CONFIG) of size bytes; mem is the guest's RAM
 * (queue areas are checked against it when a queue is made ready). Returns 0 and fills *eff,
 * or -BH_EINVAL for an access the transport does not have (not 32-bit, misaligned, an offset
 * with no register, the wrong direction): the caller injects an abort, as hardware would.
 * The caller holds the device's lock.
 */
int virtio_mmio_access(struct virtio_mmio *t, const struct virtq_mem *mem, uint32_t off,
                       unsigned size, bool write, uint64_t *val, struct virtio_mmio_effect *eff)
    BH_MUST_CHECK;

/* The device may use its queues: DRIVER_OK set and not stopped by DEVICE_NEEDS_RESET. */
static inline bool virtio_mmio_is_live(const struct virtio_mmio *t)
{
    return (t->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_NEEDS_RESET |
                         VIRTIO_STATUS_FAILED)) == VIRTIO_STATUS_DRIVER_OK;
}

/* A queue was found malformed: DEVICE_NEEDS_RESET set, every queue stopped, a configuration
 * change interrupt pending (4.2.2: the device "SHOULD" notify the driver). */
void virtio_mmio_fail(struct virtio_mmio *t);
