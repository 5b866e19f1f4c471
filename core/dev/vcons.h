/* SPDX-License-Identifier: MIT */
/*
 * A virtio console (virtio v1.2 section 5.3) over virtio-mmio: one port, no multiport, no
 * size, no emergency write (the device offers VIRTIO_F_VERSION_1 only), so queue 0 is the
 * port's receiveq and queue 1 its transmitq. What the guest transmits goes to the VM's
 * console output (the same safe-text path as its PL011's); the console's input for the VM
 * fills the receive buffers the driver posts. Ring values are validated by core/dev/virtq.c
 * like every guest input: a malformed ring stops this device (DEVICE_NEEDS_RESET, an event),
 * never the hypervisor. Portable: guest RAM, interrupts, output, input and events reach the
 * device through struct virtq_mem and struct vcons_hooks (host unit tests).
 *
 * Locking: one lock per device guards everything; the hooks are called with it held, so
 * they must not call back into the device (the console's own lock is taken inside them).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/spinlock.h>
#include <bulkhead/errno.h>
#include <core/dev/virtio_mmio.h>
#include <core/dev/virtq.h>

#define VCONS_DEVICE_ID  3u  /* console device (5.3.1) */
#define VCONS_RXQ        0u  /* receiveq0: console input to the guest */
#define VCONS_TXQ        1u  /* transmitq0: guest output */
#define VCONS_CONFIG_LEN 12u /* le16 cols, le16 rows, le32 max_nr_ports, le32 emerg_wr */

struct vcons_stats {
    uint64_t tx_bytes;  /* guest output passed to the console */
    uint64_t tx_dropped; /* output beyond a notification's budget (returned unread) */
    uint64_t rx_bytes;  /* console input put into receive buffers */
    uint64_t malformed; /* times its rings were found malformed (device stopped) */
};

struct vcons_hooks {
    void *ctx;
    /* Drive the device's interrupt line (level). */
    void (*set_irq)(void *ctx, uint32_t intid, bool level);
    /* One byte of guest output for the console. */
    void (*put)(void *ctx, char c);
    /* Move up to max bytes of queued console input to buf; returns how many. */
    size_t (*pull)(void *ctx, uint8_t *buf, size_t max);
    /* A guest-caused event (kind, text): the caller rate-limits it. */
    void (*event)(void *ctx, const char *kind, const char *text);
};

struct vcons {
    struct spinlock lock;
    /* Fixed at init. */
    uint32_t intid;
    struct virtq_mem mem;
    struct vcons_hooks hooks;
    /* Under lock. */
    struct virtio_mmio t;
    bool irq_level;
    struct vcons_stats stats;
};

/* Set up d in the reset state; mem is the VM's RAM. Boot only. */
void vcons_init(struct vcons *d, uint32_t intid, const struct virtq_mem *mem,
                const struct vcons_hooks *hooks);

/*
 * A guest access to the device's window (off < VIRTIO_MMIO_SIZE). A transmit notification
 * passes the guest's output on (at most a queue's worth of chains); a receive notification
 * fills the new buffers with queued input. Returns 0, or -BH_EINVAL for an access the device
 * does not have (inject an abort). Takes the lock.
 */
int vcons_mmio(struct vcons *d, uint32_t off, unsigned size, bool write, uint64_t *val)
    BH_MUST_CHECK;

/* True when the guest's driver has the device running with its receive queue ready: console
 * input for the VM then goes here, not to its PL011. Takes the lock. */
bool vcons_takes_input(struct vcons *d);

/* New console input is queued for the VM: fill the posted receive buffers. Takes the lock. */
void vcons_input_ready(struct vcons *d);

/* Back to the power-on state (VM stop or restart). Statistics are kept. Takes the lock. */
void vcons_reset(struct vcons *d);

/* A copy of its statistics, taken under its lock. */
void vcons_get_stats(struct vcons *d, struct vcons_stats *out);
