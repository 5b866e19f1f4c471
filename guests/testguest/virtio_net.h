/* SPDX-License-Identifier: MIT */
/*
 * A small virtio-net driver over virtio-mmio for the test guest (virtio v1.2: 2.7 split
 * virtqueues, 3.1.1 driver initialisation, 4.2.2 MMIO registers, 5.1 network device). Modern
 * interface only (Version 2), features VIRTIO_F_VERSION_1 and VIRTIO_NET_F_MAC, one receive
 * and one transmit queue. Used by tg.mode=vnet and vnet-hostile (tests_vnet*.c), which also
 * poke the registers and rings directly, hence the register map and ring layout here.
 *
 * Interrupts are taken by hand: the vnet modes run with PSTATE.I set, WFI wakes on the
 * pending SPI and vnet_irq_poll() acknowledges it at the device (InterruptACK) and the GIC.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* virtio-mmio registers (virtio v1.2 4.2.2). */
#define VIRTIO_MMIO_MAGIC          0x000
#define VIRTIO_MMIO_VERSION        0x004
#define VIRTIO_MMIO_DEVICE_ID      0x008
#define VIRTIO_MMIO_VENDOR_ID      0x00c
#define VIRTIO_MMIO_DEV_FEATURES   0x010
#define VIRTIO_MMIO_DEV_FEAT_SEL   0x014
#define VIRTIO_MMIO_DRV_FEATURES   0x020
#define VIRTIO_MMIO_DRV_FEAT_SEL   0x024
#define VIRTIO_MMIO_QUEUE_SEL      0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX  0x034
#define VIRTIO_MMIO_QUEUE_NUM      0x038
#define VIRTIO_MMIO_QUEUE_READY    0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY   0x050
#define VIRTIO_MMIO_INT_STATUS     0x060
#define VIRTIO_MMIO_INT_ACK        0x064
#define VIRTIO_MMIO_STATUS         0x070
#define VIRTIO_MMIO_QUEUE_DESC_LO  0x080
#define VIRTIO_MMIO_QUEUE_DESC_HI  0x084
#define VIRTIO_MMIO_QUEUE_DRV_LO   0x090
#define VIRTIO_MMIO_QUEUE_DRV_HI   0x094
#define VIRTIO_MMIO_QUEUE_DEV_LO   0x0a0
#define VIRTIO_MMIO_QUEUE_DEV_HI   0x0a4
#define VIRTIO_MMIO_QUEUE_RESET    0x0c0 /* v1.2 */
#define VIRTIO_MMIO_CONFIG_GEN     0x0fc
#define VIRTIO_MMIO_CONFIG         0x100

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976U /* "virt" */
#define VIRTIO_MMIO_VERSION_2   2U
#define VIRTIO_ID_NET           1U

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1U
#define VIRTIO_STATUS_DRIVER      2U
#define VIRTIO_STATUS_DRIVER_OK   4U
#define VIRTIO_STATUS_FEATURES_OK 8U
#define VIRTIO_STATUS_NEEDS_RESET 64U
#define VIRTIO_STATUS_FAILED      128U

/* Feature bits (5.1.3, 6). */
#define VIRTIO_NET_F_MAC    5
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_F_VERSION_1  32
#define VIRTIO_INT_USED     1U /* InterruptStatus: used buffer notification */

/* Split virtqueue (2.7.5, 2.7.6, 2.7.8); all fields little-endian, as the CPU. */
#define VIRTQ_DESC_F_NEXT     1U
#define VIRTQ_DESC_F_WRITE    2U
#define VIRTQ_DESC_F_INDIRECT 4U

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

/* Entries per queue: a power of two <= QueueNumMax (256). The benchmark guest builds this
 * driver with 256, to post a whole run's receive buffers at once (guests/bench/net.c). */
#ifndef VNET_QSIZE
#define VNET_QSIZE     64
#endif
#define VNET_RXQ       0
#define VNET_TXQ       1
#define VNET_MAX_DEVS  8
#define VNET_MAC_LEN   6
#define VNET_HDR_LEN   12   /* struct virtio_net_hdr, VERSION_1 layout (5.1.6) */
#define VNET_FRAME_MAX 1514 /* Ethernet frame without FCS */
#define VNET_FRAME_MIN 60
#define VNET_BUF_SIZE  1536 /* header + largest frame, rounded up */

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[VNET_QSIZE];
    uint16_t used_event;
};

struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[VNET_QSIZE];
    uint16_t avail_event;
};

/* struct virtio_net_hdr (5.1.6) with VIRTIO_F_VERSION_1: num_buffers always present. */
struct virtio_net_hdr {
    uint8_t flags;
    uint8_t gso_type;
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
    uint16_t num_buffers;
};

/* One queue's rings, each in its own page (descriptor table 16-byte, rings 2/4-aligned). */
struct vnet_queue {
    struct virtq_desc desc[VNET_QSIZE] __attribute__((aligned(4096)));
    struct virtq_avail avail __attribute__((aligned(4096)));
    struct virtq_used used __attribute__((aligned(4096)));
};

struct vnet_dev {
    uintptr_t base;
    uint32_t intid;
    uint32_t vendor;
    uint8_t mac[VNET_MAC_LEN];
    uint64_t dev_features;  /* what the device offered */
    uint16_t rx_avail;      /* next avail index the driver publishes, per queue */
    uint16_t rx_used;       /* next used index the driver consumes */
    uint16_t tx_avail;
    uint16_t tx_used;
    uint32_t irqs;          /* SPIs taken for this device */
    uint32_t int_status;    /* InterruptStatus bits seen, ORed */
    uint32_t irq_stuck;     /* SPI masked: asserted with InterruptStatus 0 (vnet_irq_poll) */
    uint32_t rx_bad_id;     /* used entries naming no receive descriptor */
    struct vnet_queue *rxq, *txq;
    uint8_t (*rx_buf)[VNET_BUF_SIZE];
    uint8_t (*tx_buf)[VNET_BUF_SIZE];
};

/* A received frame, copied out of its buffer (the buffer is posted again at once). */
struct vnet_frame {
    struct virtio_net_hdr hdr;
    uint32_t len;           /* frame bytes after the header */
    uint8_t data[VNET_FRAME_MAX];
};

/*
 * Find every "virtio,mmio" node whose transport is a modern network device (MagicValue,
 * Version 2, DeviceID 1) and fill devs[] (at most max) with its base and SPI; transports
 * without a device (DeviceID 0, as QEMU's spare slots) are skipped, others get an INFO line.
 * Returns the number found.
 */
unsigned int vnet_probe(struct vnet_dev *devs, unsigned int max);

/*
 * Reset the device (Status 0, waiting for it to read 0) and run the initialisation of 3.1.1:
 * ACKNOWLEDGE, DRIVER, features (VERSION_1 and MAC only), FEATURES_OK re-read, queues 0 and 1
 * (VNET_QSIZE entries, the static rings of slot idx), every receive buffer posted, DRIVER_OK.
 * Reads the MAC, sets up the SPI (level, routed to this CPU). Returns false (with an INFO line
 * saying why, unless quiet) if a step failed; the device is then left as it is.
 */
bool vnet_init(struct vnet_dev *dev, unsigned int idx, bool quiet);

/* The steps of vnet_init(), for the hostile mode's variations. vnet_attach: static rings of
 * slot idx, SPI set up (false: no such slot). vnet_negotiate: reset, ACKNOWLEDGE, DRIVER,
 * accept want & offered, FEATURES_OK and re-read (false: not kept). vnet_queue_setup: queue q
 * with num entries (4.2.3.2; false: QueueReady did not read 1). vnet_post_rx: receive
 * descriptor id into the avail ring (not yet published). vnet_driver_ok: DRIVER_OK, publish
 * the receive buffers (false: Status does not read DRIVER_OK without NEEDS_RESET). */
bool vnet_attach(struct vnet_dev *dev, unsigned int idx);
bool vnet_negotiate(struct vnet_dev *dev, uint64_t want, bool quiet);
bool vnet_queue_setup(struct vnet_dev *dev, uint32_t q, uint32_t num, bool quiet);
void vnet_post_rx(struct vnet_dev *dev, uint16_t id);
bool vnet_driver_ok(struct vnet_dev *dev, bool quiet);

/* Write Status 0 and wait (bounded) until it reads 0. False if it never does. */
bool vnet_reset(struct vnet_dev *dev);

/* Device register access. */
uint32_t vnet_read(const struct vnet_dev *dev, uint32_t off);
void vnet_write(const struct vnet_dev *dev, uint32_t off, uint32_t val);

/*
 * Send one frame (len bytes, VNET_FRAME_MIN..VNET_FRAME_MAX, destination MAC first) with a
 * "no offload" header, as one descriptor or as a header + data chain (alternating), notify,
 * and wait up to timeout_ms for the device to return the buffer. False if it did not.
 */
bool vnet_send(struct vnet_dev *dev, const uint8_t *frame, uint32_t len, uint64_t timeout_ms);

/*
 * Wait up to timeout_ms (WFI on the device's SPI) for a received frame and copy it to *out;
 * its buffer is posted again. False on timeout.
 */
bool vnet_recv(struct vnet_dev *dev, struct vnet_frame *out, uint64_t timeout_ms);

/* Publish avail entries up to the driver's index (barrier first) and notify queue q. */
void vnet_kick(struct vnet_dev *dev, uint32_t q, struct vnet_queue *vq, uint16_t avail_idx);

/* Acknowledge every pending interrupt (device SPIs: InterruptACK; the deadline timer: masked;
 * a periodic tick of timer_start_periodic(): re-armed and counted, as timer.c's handler). */
void vnet_irq_poll(void);

/* Interrupts that were neither a vnet device's SPI nor the deadline timer. */
uint32_t vnet_irq_unexpected(void);

/*
 * WFI until cond(arg) holds or timeout_ms passed, polling interrupts (IRQs stay masked at
 * PSTATE, the virtual timer bounds the wait, or the periodic tick if one runs: then the wait
 * leaves the timer alone). Returns cond(arg).
 */
bool vnet_wait(bool (*cond)(const void *arg), const void *arg, uint64_t timeout_ms);

/* "02:42:ac:01:00:02" -> mac; false if malformed. */
bool vnet_parse_mac(const char *s, uint8_t mac[VNET_MAC_LEN]);
