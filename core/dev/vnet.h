/* SPDX-License-Identifier: MIT */
/*
 * Virtual network devices (virtio-net over virtio-mmio, virtio v1.2 section 5.1) and the L2
 * segment that switches frames between them under the scenario's policy (bulkhead,net-segment,
 * docs/NETWORK.md). Every frame is copied by the hypervisor from the sender's transmit buffers
 * straight into each receiver's posted receive buffer (through a frame buffer of the sender's
 * device only for a chain of many small buffers): a VM never sees another's memory.
 * Portable: guest RAM, interrupts, events and time reach the device through struct virtq_mem
 * and struct vnet_hooks (host unit tests).
 *
 * Locks. Each device has two: tx_lock serialises transmitting (its frame buffer and its
 * transmit queue's consumer side, so a VM's vCPUs may notify at once), lock guards everything
 * else (registers, queues, rate buckets, statistics). Order: a device's own tx_lock, then at
 * most one device's lock at a time (its own or one receiver's), then what the hooks take (the
 * vGIC's lock, the event log's). Two senders never wait for each other's tx_lock, and no
 * thread waits for a device lock while it holds another: a sender holding its own lock takes
 * a receiver's only if it is free at once (spin_trylock), else it lets go of its own first.
 * So transmitting both ways at once cannot deadlock. Nothing under these locks blocks: every
 * loop is bounded by the queue size. A device whose VM has one vCPU (one_sender) has one
 * transmitter at a time by construction and does without tx_lock.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/spinlock.h>
#include <bulkhead/errno.h>
#include <core/dev/virtio_mmio.h>
#include <core/dev/virtq.h>

#define VNET_DEVICE_ID     1u   /* network device (5.1.1) */
#define VNET_F_MAC         5u   /* VIRTIO_NET_F_MAC */
#define VNET_F_STATUS      16u  /* VIRTIO_NET_F_STATUS */
#define VNET_S_LINK_UP     1u
#define VNET_HDR_LEN       12u  /* struct virtio_net_hdr with num_buffers (VERSION_1, 5.1.6) */
#define VNET_FRAME_MIN     14u  /* an Ethernet header */
#define VNET_FRAME_MAX     1514u /* no FCS, no VLAN tag room beyond it */
#define VNET_MAC_LEN       6u
#define VNET_MAX_MEMBERS   8u
#define VNET_RXQ           0u
#define VNET_TXQ           1u
#define VNET_CONFIG_LEN    8u   /* mac[6], le16 status */
/* A transmit chain of at most this many buffers, the first holding at least the header and
 * the destination MAC, is copied straight into the receivers' buffers; another is gathered
 * into the device's frame buffer first (vnet.c gather_locked). */
#define VNET_SRC_MAX       4u

/* Per-device counters (STATS net=... lines, docs/NETWORK.md). */
struct vnet_stats {
    uint64_t tx_frames;    /* frames this member sent that the policy let through */
    uint64_t tx_bytes;
    uint64_t rx_frames;    /* frames put into its receive buffers */
    uint64_t rx_bytes;
    uint64_t drop_deny;    /* sent to a member its reach does not allow */
    uint64_t drop_unknown; /* sent to a unicast MAC no member has */
    uint64_t drop_rate;    /* over its rate-limit-pps or -bps */
    uint64_t drop_bad;     /* a bad header (offload asked), or too short / too long */
    uint64_t rx_no_buffer; /* for it while it had no receive buffer posted */
    uint64_t rx_small;     /* for it while its next receive buffer was too small */
    uint64_t drop_down;    /* sent to a member whose VM or driver was not running */
    uint64_t malformed;    /* times its rings were found malformed (device stopped) */
};

struct vnet_hooks {
    void *ctx;
    /* Drive the device's interrupt line (level); called with the device's lock held. */
    void (*set_irq)(void *ctx, uint32_t intid, bool level);
    /* A guest-caused event (kind, fields): the caller rate-limits it. Lock held. */
    void (*event)(void *ctx, const char *kind, const char *text);
    /* Whether the VM runs (a frame for a stopped VM is dropped). Lock held. */
    bool (*alive)(void *ctx);
    /* Now, in nanoseconds (rate limits). */
    uint64_t (*now_ns)(void *ctx);
};

/* A token bucket in nano-tokens: rate tokens per second, at most one second's worth. */
struct vnet_bucket {
    uint64_t rate;   /* tokens per second; 0 = no limit */
    uint64_t cap;    /* nano-tokens */
    uint64_t level;  /* nano-tokens */
    uint64_t last_ns;
};

struct vnet_seg;

struct vnet {
    struct spinlock tx_lock;
    struct spinlock lock;
    /* Fixed at init. */
    struct vnet_seg *seg;
    unsigned member;             /* its index in seg->dev[] */
    uint8_t reach;               /* member-index mask it may send to */
    bool one_sender;             /* its VM has one vCPU: transmit() needs no tx_lock */
    uint32_t intid;
    struct virtq_mem mem;
    struct vnet_hooks hooks;
    /* Under lock. */
    struct virtio_mmio t;
    uint32_t generation;         /* +1 on each reset and each queue stopped (QueueReady 0,
                                  * QueueReset, malformed): a chain taken before it is
                                  * forgotten */
    bool irq_level;
    struct vnet_bucket pps;
    struct vnet_bucket bps;
    struct vnet_stats stats;
    /* Under tx_lock: the frame being switched when its chain is gathered (vnet.c
     * gather_locked), the sender's header first; aligned for word copies. */
    uint8_t frame[VNET_HDR_LEN + VNET_FRAME_MAX] __attribute__((aligned(16)));
};

/*
 * A segment: its members by index. Every member has a name and a MAC from the scenario; dev is
 * NULL for a member without a device (its VM was refused): frames to it count as drop_down.
 */
struct vnet_seg {
    const char *name;
    uint8_t members;                           /* member-index mask */
    const char *member_name[VNET_MAX_MEMBERS];
    uint8_t mac[VNET_MAX_MEMBERS][VNET_MAC_LEN];
    uint64_t mac_key[VNET_MAX_MEMBERS];        /* mac[] as numbers (vnet_init fills it) */
    struct vnet *dev[VNET_MAX_MEMBERS];
};

/* One member's configuration (from cfg_net_member; member indices, not VM indices). Its
 * name and MAC are seg->member_name[member] and seg->mac[member], set by the caller. */
struct vnet_cfg {
    uint8_t reach;
    bool one_sender;   /* the VM has one vCPU: no two QueueNotify exits at once */
    uint32_t intid;
    uint32_t rate_pps; /* 0: no limit */
    uint32_t rate_bps;
};

/*
 * Set up d as member `member` of seg (seg->dev[member] = d) in the reset state. mem is the
 * VM's RAM. Boot only (before any access). Returns -BH_EINVAL for a member out of range, not
 * in seg->members, or with a device already.
 */
int vnet_init(struct vnet *d, struct vnet_seg *seg, unsigned member, const struct vnet_cfg *cfg,
              const struct virtq_mem *mem, const struct vnet_hooks *hooks) BH_MUST_CHECK;

/* vnet_mmio's two halves: a notification of the transmit queue, everything else. */
void vnet_transmit(struct vnet *d);
int vnet_mmio_regs(struct vnet *d, uint32_t off, unsigned size, bool write, uint64_t *val)
    BH_MUST_CHECK;

/*
 * A guest access to the device's window (off < VIRTIO_MMIO_SIZE, size 1, 2, 4 or 8), on the
 * accessing vCPU's pCPU. A QueueNotify of the transmit queue switches every frame the driver
 * has made available (at most the queue size), so it runs here, on the sender's pCPU. Returns
 * 0, or -BH_EINVAL for an access the device does not have (inject an abort). Takes the
 * device's locks itself. Inline: the frame path's test, in the window's handler.
 */
BH_MUST_CHECK static inline int vnet_mmio(struct vnet *d, uint32_t off, unsigned size,
                                          bool write, uint64_t *val)
{
    if (write && off == VIRTIO_MMIO_QUEUE_NOTIFY && size == 4 && *val == VNET_TXQ) {
        /* The frame path: vnet_transmit checks under the lock what the register would
         * (device live, queue ready), and a notification changes no register. */
        vnet_transmit(d);
        return 0;
    }
    return vnet_mmio_regs(d, off, size, write, val);
}

/* The device back to its power-on state (VM stop or restart): rings forgotten, line low,
 * rate buckets full. Statistics are kept. */
void vnet_reset(struct vnet *d);

/* A copy of its statistics, taken under its lock. */
void vnet_get_stats(struct vnet *d, struct vnet_stats *out);
