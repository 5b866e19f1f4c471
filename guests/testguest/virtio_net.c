// SPDX-License-Identifier: MIT
/*
 * virtio-net over virtio-mmio for the test guest (virtio v1.2 3.1.1, 4.2.2/4.2.3, 5.1). The
 * rings and buffers are static (one slot per device, VNET_SLOTS of them). The guest runs with
 * its MMU off, so they are Device memory: QEMU's TCG has no cache to keep coherent and a
 * hypervisor's emulated device reads guest RAM directly, so this works on both; on hardware
 * with a cacheable device side the guest would need the MMU on (Normal memory).
 *
 * Ordering (2.7.13): descriptors and avail ring entries are written before the avail index
 * (DMB), the avail index before the QueueNotify write (DSB: the notify is a device access);
 * the used index is read before the used entries it covers (DMB).
 */
#include <string.h>

#include "dt_dev.h"
#include "gicx.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "tg.h"
#include "timer.h"
#include "virtio_net.h"

#define VNET_SLOTS       2    /* devices with static rings; a VM has one per segment */
#define VNET_IRQ_PRIO    0x80
#define VNET_RESET_MS    100
#define VNET_STUCK_READS 16   /* InterruptStatus 0 this often in a row: the SPI is stuck */
#define VNET_TX_CHAINS   (VNET_QSIZE / 2) /* a transmit may take two descriptors */
#define DT_MAX_VIRTIO    40   /* QEMU virt has 32 transports */
#define GIC_SPI_FIRST    32
#define GIC_SPI_END      1020
#define MAC_TEXT_LEN     17   /* "xx:xx:xx:xx:xx:xx" */
#define NIBBLE_BITS      4

static struct vnet_queue rings[VNET_SLOTS][2];
static uint8_t rx_bufs[VNET_SLOTS][VNET_QSIZE][VNET_BUF_SIZE] __aligned(64);
static uint8_t tx_bufs[VNET_SLOTS][VNET_QSIZE][VNET_BUF_SIZE] __aligned(64);

/* Devices vnet_init() set up, for vnet_irq_poll() to acknowledge by INTID. */
static struct vnet_dev *irq_devs[VNET_SLOTS];
static uint32_t irq_unexpected;

uint32_t vnet_read(const struct vnet_dev *dev, uint32_t off)
{
    return mmio_read32(dev->base + off);
}

void vnet_write(const struct vnet_dev *dev, uint32_t off, uint32_t val)
{
    mmio_write32(dev->base + off, val);
}

unsigned int vnet_probe(struct vnet_dev *devs, unsigned int max)
{
    static struct dt_dev dt[DT_MAX_VIRTIO];
    unsigned int n = dt_find_devices("virtio,mmio", dt, DT_MAX_VIRTIO), found = 0;

    for (unsigned int i = 0; i < n && found < max; i++) {
        uintptr_t b = dt[i].base;
        uint32_t magic = mmio_read32(b + VIRTIO_MMIO_MAGIC);
        uint32_t ver = mmio_read32(b + VIRTIO_MMIO_VERSION);
        uint32_t id = mmio_read32(b + VIRTIO_MMIO_DEVICE_ID);

        if (magic != VIRTIO_MMIO_MAGIC_VALUE || id == 0) {
            continue; /* not virtio, or a transport without a device */
        }
        if (ver != VIRTIO_MMIO_VERSION_2 || id != VIRTIO_ID_NET || !dt[i].intid_count) {
            report_info("vnet: virtio-mmio at 0x%lx: version %u device %u irqs %u: not used", b,
                        ver, id, dt[i].intid_count);
            continue;
        }
        devs[found] = (struct vnet_dev){ .base = b, .intid = dt[i].intid[0] };
        devs[found].vendor = mmio_read32(b + VIRTIO_MMIO_VENDOR_ID);
        found++;
    }
    return found;
}

bool vnet_reset(struct vnet_dev *dev)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(VNET_RESET_MS);

    vnet_write(dev, VIRTIO_MMIO_STATUS, 0);
    /* 4.2.3.1: wait for Status to read 0 before initialising again */
    while (vnet_read(dev, VIRTIO_MMIO_STATUS) != 0) {
        if (timer_now() >= deadline) {
            return false;
        }
        wfe();
    }
    dev->rx_avail = dev->rx_used = dev->tx_avail = dev->tx_used = 0;
    return true;
}

static bool fail_info(bool quiet, const char *what, uint32_t val)
{
    if (!quiet) {
        report_info("vnet: init: %s (0x%x)", what, val);
    }
    return false;
}

#define VNET_STATUS_FEATURES \
    (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK)

static void write64(struct vnet_dev *dev, uint32_t lo, uint64_t val)
{
    vnet_write(dev, lo, (uint32_t)val);
    vnet_write(dev, lo + sizeof(uint32_t), (uint32_t)(val >> 32));
}

bool vnet_attach(struct vnet_dev *dev, unsigned int idx)
{
    if (idx >= VNET_SLOTS) {
        return false;
    }
    dev->rxq = &rings[idx][VNET_RXQ];
    dev->txq = &rings[idx][VNET_TXQ];
    dev->rx_buf = rx_bufs[idx];
    dev->tx_buf = tx_bufs[idx];
    irq_devs[idx] = dev;
    if (dev->intid >= GIC_SPI_FIRST && dev->intid < GIC_SPI_END) {
        gic_spi_setup(dev->intid, VNET_IRQ_PRIO, false, true);
    }
    return true;
}

bool vnet_negotiate(struct vnet_dev *dev, uint64_t want, bool quiet)
{
    if (!vnet_reset(dev)) {
        return fail_info(quiet, "Status does not read 0 after reset", 0);
    }
    vnet_write(dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    vnet_write(dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);

    vnet_write(dev, VIRTIO_MMIO_DEV_FEAT_SEL, 0);
    uint64_t feat = vnet_read(dev, VIRTIO_MMIO_DEV_FEATURES);
    vnet_write(dev, VIRTIO_MMIO_DEV_FEAT_SEL, 1);
    feat |= (uint64_t)vnet_read(dev, VIRTIO_MMIO_DEV_FEATURES) << 32;
    dev->dev_features = feat;
    want &= feat; /* never accept what was not offered (3.1.1 step 4) */
    vnet_write(dev, VIRTIO_MMIO_DRV_FEAT_SEL, 0);
    vnet_write(dev, VIRTIO_MMIO_DRV_FEATURES, (uint32_t)want);
    vnet_write(dev, VIRTIO_MMIO_DRV_FEAT_SEL, 1);
    vnet_write(dev, VIRTIO_MMIO_DRV_FEATURES, (uint32_t)(want >> 32));

    vnet_write(dev, VIRTIO_MMIO_STATUS, VNET_STATUS_FEATURES);
    /* 3.1.1 step 6: FEATURES_OK must still be set when read back */
    uint32_t got = vnet_read(dev, VIRTIO_MMIO_STATUS);
    if (!(got & VIRTIO_STATUS_FEATURES_OK)) {
        return fail_info(quiet, "FEATURES_OK not kept", got);
    }
    return true;
}

/* 4.2.3.2: select, check it is not in use, size, ring addresses, ready. */
bool vnet_queue_setup(struct vnet_dev *dev, uint32_t q, uint32_t num, bool quiet)
{
    struct vnet_queue *vq = q == VNET_RXQ ? dev->rxq : dev->txq;

    vnet_write(dev, VIRTIO_MMIO_QUEUE_SEL, q);
    if (vnet_read(dev, VIRTIO_MMIO_QUEUE_READY) != 0) {
        return fail_info(quiet, "queue already ready after reset", q);
    }
    uint32_t max = vnet_read(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (max < num) {
        return fail_info(quiet, "QueueNumMax too small", max);
    }
    memset(vq, 0, sizeof(*vq));
    vnet_write(dev, VIRTIO_MMIO_QUEUE_NUM, num);
    write64(dev, VIRTIO_MMIO_QUEUE_DESC_LO, (uintptr_t)vq->desc);
    write64(dev, VIRTIO_MMIO_QUEUE_DRV_LO, (uintptr_t)&vq->avail);
    write64(dev, VIRTIO_MMIO_QUEUE_DEV_LO, (uintptr_t)&vq->used);
    dsb_sy(); /* the zeroed rings before the device may look at them */
    vnet_write(dev, VIRTIO_MMIO_QUEUE_READY, 1);
    if (vnet_read(dev, VIRTIO_MMIO_QUEUE_READY) != 1) {
        return fail_info(quiet, "QueueReady does not read 1", q);
    }
    return true;
}

static void read_mac(struct vnet_dev *dev)
{
    uint32_t gen;

    /* 2.5.1 / 4.2.3.1: re-read until ConfigGeneration is the same before and after */
    do {
        gen = vnet_read(dev, VIRTIO_MMIO_CONFIG_GEN);
        for (uint32_t i = 0; i < VNET_MAC_LEN; i++) {
            dev->mac[i] = mmio_read8(dev->base + VIRTIO_MMIO_CONFIG + i);
        }
    } while (vnet_read(dev, VIRTIO_MMIO_CONFIG_GEN) != gen);
}

void vnet_post_rx(struct vnet_dev *dev, uint16_t id)
{
    struct vnet_queue *vq = dev->rxq;

    vq->desc[id] = (struct virtq_desc){ .addr = (uintptr_t)dev->rx_buf[id],
                                        .len = VNET_BUF_SIZE,
                                        .flags = VIRTQ_DESC_F_WRITE };
    vq->avail.ring[dev->rx_avail % VNET_QSIZE] = id;
    dev->rx_avail++;
}

void vnet_kick(struct vnet_dev *dev, uint32_t q, struct vnet_queue *vq, uint16_t avail_idx)
{
    dmb_sy(); /* descriptors and ring entries before the index (2.7.13.2) */
    WRITE_ONCE(vq->avail.idx, avail_idx);
    dsb_sy(); /* the index before the notification (2.7.13.3) */
    vnet_write(dev, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

bool vnet_driver_ok(struct vnet_dev *dev, bool quiet)
{
    vnet_write(dev, VIRTIO_MMIO_STATUS, VNET_STATUS_FEATURES | VIRTIO_STATUS_DRIVER_OK);
    vnet_kick(dev, VNET_RXQ, dev->rxq, dev->rx_avail);
    uint32_t got = vnet_read(dev, VIRTIO_MMIO_STATUS);
    if ((got & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_NEEDS_RESET)) != VIRTIO_STATUS_DRIVER_OK) {
        return fail_info(quiet, "Status after DRIVER_OK", got);
    }
    return true;
}

bool vnet_init(struct vnet_dev *dev, unsigned int idx, bool quiet)
{
    if (!vnet_attach(dev, idx)) {
        return fail_info(quiet, "no ring slot for device", idx);
    }
    if (!vnet_negotiate(dev, BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_NET_F_MAC), quiet)) {
        return false;
    }
    if (!(dev->dev_features & BIT(VIRTIO_F_VERSION_1))) {
        return fail_info(quiet, "device does not offer VIRTIO_F_VERSION_1", 0);
    }
    if (!vnet_queue_setup(dev, VNET_RXQ, VNET_QSIZE, quiet) ||
        !vnet_queue_setup(dev, VNET_TXQ, VNET_QSIZE, quiet)) {
        return false;
    }
    if (dev->dev_features & BIT(VIRTIO_NET_F_MAC)) {
        read_mac(dev);
    }
    for (uint16_t i = 0; i < VNET_QSIZE; i++) {
        vnet_post_rx(dev, i);
    }
    return vnet_driver_ok(dev, quiet);
}

/* ------------------------------------------------------------------ interrupts */

void vnet_irq_poll(void)
{
    uint32_t zero_reads = 0;

    for (;;) {
        uint32_t iar = gic_ack();
        uint32_t intid = gic_iar_intid(iar);
        bool ours = false;

        if (intid >= GIC_INTID_SPURIOUS && intid < GIC_INTID_SPECIAL_END) {
            return;
        }
        for (unsigned int i = 0; i < VNET_SLOTS; i++) {
            struct vnet_dev *d = irq_devs[i];
            if (d && d->intid == intid) {
                /* a level interrupt: the device drops it once acknowledged (4.2.2) */
                uint32_t s = vnet_read(d, VIRTIO_MMIO_INT_STATUS);
                vnet_write(d, VIRTIO_MMIO_INT_ACK, s);
                /* asserted again and again with nothing to acknowledge (QEMU 7.2 keeps the
                 * line of a device it marked broken high): mask it until the next vnet_attach,
                 * rather than loop here; one such read may be a race and is left alone */
                zero_reads = s ? 0 : zero_reads + 1;
                if (zero_reads > VNET_STUCK_READS) {
                    d->irq_stuck++;
                    mmio_write32(plat.gicd_base + GICD_ICENABLER + gic_bit_reg(intid),
                                 gic_bit(intid));
                }
                d->int_status |= s;
                d->irqs++;
                ours = true;
            }
        }
        if (!ours && intid == plat.timer_intid && this_cpu()->timer_period) {
            /* the periodic tick (timer_start_periodic) goes on, as timer.c's handler does */
            write_sysreg(read_sysreg(cntv_cval_el0) + this_cpu()->timer_period, cntv_cval_el0);
            this_cpu()->timer_ticks++;
        } else if (!ours && intid == plat.timer_intid) {
            /* a deadline: mask the output so the level interrupt drops */
            write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntv_ctl_el0);
        } else if (!ours) {
            irq_unexpected++;
        }
        gic_eoi(iar);
    }
}

uint32_t vnet_irq_unexpected(void)
{
    return irq_unexpected;
}

bool vnet_wait(bool (*cond)(const void *arg), const void *arg, uint64_t timeout_ms)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(timeout_ms);
    /* a periodic tick already wakes every WFI: the timer stays its own, not the deadline's */
    bool oneshot = !this_cpu()->timer_period;

    irq_mask();
    vnet_irq_poll();
    if (cond(arg)) {
        return true;
    }
    if (oneshot) {
        write_sysreg(deadline, cntv_cval_el0);
        write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
        isb();
    }
    while (!cond(arg) && timer_now() < deadline) {
        wfi();
        vnet_irq_poll();
    }
    if (oneshot) {
        write_sysreg(0, cntv_ctl_el0);
        isb();
    }
    vnet_irq_poll(); /* a deadline raised just before the timer stopped */
    return cond(arg);
}

/* ------------------------------------------------------------------ transmit and receive */

static bool tx_done(const void *arg)
{
    const struct vnet_dev *dev = arg;

    return READ_ONCE(dev->txq->used.idx) == dev->tx_avail;
}

static bool rx_ready(const void *arg)
{
    const struct vnet_dev *dev = arg;

    return READ_ONCE(dev->rxq->used.idx) != dev->rx_used;
}

bool vnet_send(struct vnet_dev *dev, const uint8_t *frame, uint32_t len, uint64_t timeout_ms)
{
    struct vnet_queue *vq = dev->txq;
    uint16_t slot = dev->tx_avail % VNET_TX_CHAINS, head = (uint16_t)(2 * slot);
    uint8_t *buf = dev->tx_buf[slot];
    struct virtio_net_hdr hdr = { 0 }; /* no checksum offload, no GSO */
    bool chain = dev->tx_avail & 1;

    if (len < VNET_FRAME_MIN || len > VNET_FRAME_MAX) {
        return false;
    }
    memcpy(buf, &hdr, VNET_HDR_LEN);
    memcpy(buf + VNET_HDR_LEN, frame, len);
    if (chain) {
        /* header and frame in two descriptors: the device must follow the chain */
        vq->desc[head] = (struct virtq_desc){ .addr = (uintptr_t)buf, .len = VNET_HDR_LEN,
                                              .flags = VIRTQ_DESC_F_NEXT,
                                              .next = (uint16_t)(head + 1) };
        vq->desc[head + 1] = (struct virtq_desc){ .addr = (uintptr_t)buf + VNET_HDR_LEN,
                                                  .len = len };
    } else {
        vq->desc[head] = (struct virtq_desc){ .addr = (uintptr_t)buf, .len = VNET_HDR_LEN + len };
    }
    vq->avail.ring[dev->tx_avail % VNET_QSIZE] = head;
    dev->tx_avail++;
    vnet_kick(dev, VNET_TXQ, vq, dev->tx_avail);
    if (!vnet_wait(tx_done, dev, timeout_ms)) {
        return false;
    }
    dmb_sy(); /* used index before its entries */
    dev->tx_used = dev->tx_avail;
    return vq->used.ring[(uint16_t)(dev->tx_avail - 1) % VNET_QSIZE].id == head;
}

bool vnet_recv(struct vnet_dev *dev, struct vnet_frame *out, uint64_t timeout_ms)
{
    struct vnet_queue *vq = dev->rxq;

    if (!vnet_wait(rx_ready, dev, timeout_ms)) {
        return false;
    }
    dmb_sy(); /* used index before its entries */
    struct virtq_used_elem e = vq->used.ring[dev->rx_used % VNET_QSIZE];
    dev->rx_used++;
    uint32_t id = e.id;

    if (id >= VNET_QSIZE) {
        dev->rx_bad_id++; /* nothing to copy or post again: the caller sees a 0-length frame */
        out->len = 0;
        return true;
    }
    uint32_t len = e.len;

    /* a length outside header .. header + max frame is reported as such (len = 0 or clipped) */
    len = len < VNET_HDR_LEN ? 0 : len - VNET_HDR_LEN;
    out->len = len > VNET_FRAME_MAX ? VNET_FRAME_MAX + 1 : len;
    memcpy(&out->hdr, dev->rx_buf[id], VNET_HDR_LEN);
    memcpy(out->data, dev->rx_buf[id] + VNET_HDR_LEN, len > VNET_FRAME_MAX ? VNET_FRAME_MAX : len);
    vnet_post_rx(dev, (uint16_t)id);
    vnet_kick(dev, VNET_RXQ, vq, dev->rx_avail);
    return true;
}

/* ------------------------------------------------------------------ MAC text */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool vnet_parse_mac(const char *s, uint8_t mac[VNET_MAC_LEN])
{
    if (strlen(s) != MAC_TEXT_LEN) {
        return false;
    }
    for (uint32_t i = 0; i < VNET_MAC_LEN; i++) {
        const char *p = s + 3 * i;
        int hi = hex_digit(p[0]), lo = hex_digit(p[1]);
        if (hi < 0 || lo < 0 || (i + 1 < VNET_MAC_LEN && p[2] != ':')) {
            return false;
        }
        mac[i] = (uint8_t)(hi << NIBBLE_BITS | lo);
    }
    return true;
}
