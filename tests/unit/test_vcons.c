// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/dev/vcons.c: a virtio console driven through its registers as a driver
 * would (virtio v1.2 4.2.2 and 5.3): identity and configuration, output passed on byte-exact
 * (one chain, a chain of several buffers, a queue of chains), the per-notification output
 * budget, input filling posted buffers only while there is input (the rest stays queued and
 * the buffer posted), the interrupt line, and malformed rings stopping the device with an
 * event until the driver resets it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include <core/dev/vcons.h>

#include "vnet_guest.h"

#define INTID    45u
#define RXQ_BASE (G_RAM_IPA + 0x1000)
#define TXQ_BASE (G_RAM_IPA + 0x8000)
#define RX_BUF   (G_RAM_IPA + 0x10000) /* + 256 bytes per buffer */
#define TX_BUF   (G_RAM_IPA + 0x20000)

static struct vcons dev;
static struct g_ram ram;
static struct g_queue rxq, txq;
static bool level;
static char out[0x10000];
static size_t out_len;
static uint8_t in[0x1000];
static size_t in_len, in_pos;
static int events;
static char last_kind[32], last_text[128];

static void h_irq(void *ctx, uint32_t intid, bool l)
{
    (void)ctx;
    assert_int_equal(intid, INTID);
    assert_true(l != level); /* only changes are reported */
    level = l;
}

static void h_put(void *ctx, char c)
{
    (void)ctx;
    assert_true(out_len < sizeof(out));
    out[out_len++] = c;
}

static size_t h_pull(void *ctx, uint8_t *buf, size_t max)
{
    (void)ctx;
    size_t n = in_len - in_pos < max ? in_len - in_pos : max;
    memcpy(buf, &in[in_pos], n);
    in_pos += n;
    return n;
}

static void h_event(void *ctx, const char *kind, const char *text)
{
    (void)ctx;
    events++;
    snprintf(last_kind, sizeof(last_kind), "%s", kind);
    snprintf(last_text, sizeof(last_text), "%s", text);
}

static uint32_t rd(uint32_t off)
{
    uint64_t v = 0xdead;
    assert_int_equal(vcons_mmio(&dev, off, 4, false, &v), 0);
    return (uint32_t)v;
}

static void wr(uint32_t off, uint32_t val)
{
    uint64_t v = val;
    assert_int_equal(vcons_mmio(&dev, off, 4, true, &v), 0);
}

static void setup_queue(unsigned q, struct g_queue *g, uint64_t base, uint16_t num)
{
    g_queue_layout(g, &ram, base, num);
    wr(VIRTIO_MMIO_QUEUE_SEL, q);
    wr(VIRTIO_MMIO_QUEUE_NUM, num);
    wr(VIRTIO_MMIO_QUEUE_DESC_LO, (uint32_t)g->desc);
    wr(VIRTIO_MMIO_QUEUE_DESC_HI, 0);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_LO, (uint32_t)g->avail);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_HI, 0);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_LO, (uint32_t)g->used);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_HI, 0);
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
}

static void driver_up(uint16_t num)
{
    wr(VIRTIO_MMIO_STATUS, 0);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(VIRTIO_MMIO_DRV_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_DRV_FEATURES, 1); /* VIRTIO_F_VERSION_1 */
    wr(VIRTIO_MMIO_STATUS, 0xb);
    assert_int_equal(rd(VIRTIO_MMIO_STATUS), 0xb);
    setup_queue(VCONS_RXQ, &rxq, RXQ_BASE, num);
    setup_queue(VCONS_TXQ, &txq, TXQ_BASE, num);
    wr(VIRTIO_MMIO_STATUS, 0xf);
    assert_int_equal(rd(VIRTIO_MMIO_STATUS), 0xf);
}

static int setup(void **state)
{
    (void)state;
    const struct virtq_mem mem = g_mem(&ram);
    const struct vcons_hooks hooks = { .ctx = NULL, .set_irq = h_irq, .put = h_put,
                                       .pull = h_pull, .event = h_event };
    memset(&ram, 0, sizeof(ram));
    level = false;
    out_len = in_len = in_pos = 0;
    events = 0;
    last_kind[0] = last_text[0] = 0;
    vcons_init(&dev, INTID, &mem, &hooks);
    return 0;
}

/* Send text as one chain at descriptor d (split into bufs buffers). */
static void send(uint16_t d, const char *text, unsigned bufs)
{
    size_t len = strlen(text), per = (len + bufs - 1) / bufs, done = 0;
    memcpy(g_ptr(&ram, TX_BUF + 0x1000u * d), text, len);
    for (unsigned b = 0; b < bufs; b++) {
        size_t n = len - done < per ? len - done : per;
        g_desc(&txq, (uint16_t)(d + b), TX_BUF + 0x1000u * d + done, (uint32_t)n,
               b + 1 < bufs ? VIRTQ_DESC_F_NEXT : 0, (uint16_t)(d + b + 1));
        done += n;
    }
    g_offer(&txq, d);
}

static void ack(void)
{
    wr(VIRTIO_MMIO_INT_ACK, rd(VIRTIO_MMIO_INT_STATUS));
}

static void test_identity_and_config(void **state)
{
    (void)state;
    uint64_t v = 1;
    assert_int_equal(rd(VIRTIO_MMIO_MAGIC), VIRTIO_MMIO_MAGIC_VALUE);
    assert_int_equal(rd(VIRTIO_MMIO_VERSION), 2);
    assert_int_equal(rd(VIRTIO_MMIO_DEVICE_ID), VCONS_DEVICE_ID);
    wr(VIRTIO_MMIO_DEV_FEATURES_SEL, 0);
    assert_int_equal(rd(VIRTIO_MMIO_DEV_FEATURES), 0); /* no SIZE, MULTIPORT, EMERG_WRITE */
    wr(VIRTIO_MMIO_DEV_FEATURES_SEL, 1);
    assert_int_equal(rd(VIRTIO_MMIO_DEV_FEATURES), 1); /* VERSION_1 */
    /* configuration: reads 0, writes ignored, odd sizes and misalignment refused */
    assert_int_equal(vcons_mmio(&dev, VIRTIO_MMIO_CONFIG + 4, 4, false, &v), 0);
    assert_int_equal(v, 0);
    v = 0x1234;
    assert_int_equal(vcons_mmio(&dev, VIRTIO_MMIO_CONFIG + 8, 4, true, &v), 0);
    assert_int_equal(vcons_mmio(&dev, VIRTIO_MMIO_CONFIG + 1, 2, false, &v), -BH_EINVAL);
    assert_int_equal(vcons_mmio(&dev, VIRTIO_MMIO_CONFIG, 8, false, &v), -BH_EINVAL);
    assert_int_equal(vcons_mmio(&dev, VIRTIO_MMIO_SIZE, 4, false, &v), -BH_EINVAL);
}

static void test_output_byte_exact(void **state)
{
    (void)state;
    driver_up(16);
    assert_true(vcons_takes_input(&dev)); /* rx queue ready, driver up */
    send(0, "hello, console\n", 1);
    send(4, "a chain of three buffers\n", 3);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VCONS_TXQ);
    assert_int_equal(out_len, 15 + 25);
    assert_memory_equal(out, "hello, console\na chain of three buffers\n", out_len);
    assert_int_equal(g_used_idx(&txq), 2);
    uint32_t id, len;
    g_used_elem(&txq, 1, &id, &len);
    assert_int_equal(id, 4);
    assert_int_equal(len, 0);
    assert_true(level);
    assert_int_equal(rd(VIRTIO_MMIO_INT_STATUS), VIRTIO_INT_USED);
    ack();
    assert_false(level);
    struct vcons_stats s;
    vcons_get_stats(&dev, &s);
    assert_int_equal(s.tx_bytes, 40);
    assert_int_equal(events, 0);
}

static void test_output_budget_per_notify(void **state)
{
    (void)state;
    static char big[0x1001];
    driver_up(16);
    memset(big, 'x', sizeof(big) - 1);
    /* 6 chains of 4 KiB: 16 KiB passed on, the rest returned unread and counted */
    for (uint16_t d = 0; d < 6; d++) {
        g_desc(&txq, d, TX_BUF, 0x1000, 0, 0);
        g_offer(&txq, d);
    }
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VCONS_TXQ);
    assert_int_equal(g_used_idx(&txq), 6);
    struct vcons_stats s;
    vcons_get_stats(&dev, &s);
    assert_int_equal(s.tx_bytes, 0x4000);
    assert_int_equal(s.tx_dropped, 0x2000);
    assert_int_equal(out_len, 0x4000);
    /* the next notification has its own budget */
    g_desc(&txq, 6, TX_BUF, 8, 0, 0);
    g_offer(&txq, 6);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VCONS_TXQ);
    assert_int_equal(out_len, 0x4008);
}

static void post_rx(uint16_t d, uint32_t len)
{
    g_desc(&rxq, d, RX_BUF + 256u * d, len, VIRTQ_DESC_F_WRITE, 0);
    g_offer(&rxq, d);
}

static void test_input_fills_posted_buffers(void **state)
{
    (void)state;
    driver_up(16);
    post_rx(0, 8);
    post_rx(1, 8);
    post_rx(2, 8);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VCONS_RXQ); /* no input yet: nothing used */
    assert_int_equal(g_used_idx(&rxq), 0);
    assert_false(level);
    memcpy(in, "0123456789ab", 12);
    in_len = 12;
    vcons_input_ready(&dev);
    assert_int_equal(g_used_idx(&rxq), 2); /* 8 + 4 bytes; the third buffer stays posted */
    uint32_t id, len;
    g_used_elem(&rxq, 0, &id, &len);
    assert_int_equal(id, 0);
    assert_int_equal(len, 8);
    g_used_elem(&rxq, 1, &id, &len);
    assert_int_equal(id, 1);
    assert_int_equal(len, 4);
    assert_memory_equal(g_ptr(&ram, RX_BUF), "01234567", 8);
    assert_memory_equal(g_ptr(&ram, RX_BUF + 256), "89ab", 4);
    assert_true(level);
    ack();
    /* more input later lands in the buffer that stayed posted */
    memcpy(in, "XY", 2);
    in_len = 2;
    in_pos = 0;
    vcons_input_ready(&dev);
    assert_int_equal(g_used_idx(&rxq), 3);
    g_used_elem(&rxq, 2, &id, &len);
    assert_int_equal(id, 2);
    assert_int_equal(len, 2);
    /* no buffer posted: the input stays queued (back-pressure) */
    memcpy(in, "Z", 1);
    in_len = 1;
    in_pos = 0;
    vcons_input_ready(&dev);
    assert_int_equal(in_pos, 0);
    post_rx(3, 8);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VCONS_RXQ);
    assert_int_equal(in_pos, 1);
    assert_int_equal(g_used_idx(&rxq), 4);
    struct vcons_stats s;
    vcons_get_stats(&dev, &s);
    assert_int_equal(s.rx_bytes, 15);
}

static void test_no_input_before_driver(void **state)
{
    (void)state;
    assert_false(vcons_takes_input(&dev));
    memcpy(in, "a", 1);
    in_len = 1;
    vcons_input_ready(&dev);
    assert_int_equal(in_pos, 0);
}

static void test_malformed_tx_stops_device(void **state)
{
    (void)state;
    driver_up(16);
    /* a device-writable buffer in a transmit chain */
    g_desc(&txq, 0, TX_BUF, 8, VIRTQ_DESC_F_WRITE, 0);
    g_offer(&txq, 0);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VCONS_TXQ);
    assert_true(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    assert_int_equal(events, 1);
    assert_string_equal(last_kind, "vcons_malformed");
    assert_non_null(strstr(last_text, "q=tx why="));
    assert_true(level); /* configuration change interrupt */
    assert_int_equal(out_len, 0);
    assert_false(vcons_takes_input(&dev));
    /* a loop in a chain after the reset */
    driver_up(16);
    ack();
    g_desc(&txq, 0, TX_BUF, 8, VIRTQ_DESC_F_NEXT, 1);
    g_desc(&txq, 1, TX_BUF, 8, VIRTQ_DESC_F_NEXT, 0);
    g_offer(&txq, 0);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VCONS_TXQ);
    assert_true(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    assert_int_equal(events, 2);
    /* (what the walk read before it found the loop went out: the guest's own bytes, at most
     * the queue size's descriptors) */
    assert_true(out_len <= 16 * 8);
    /* after a reset it works again */
    driver_up(16);
    out_len = 0;
    send(0, "ok\n", 1);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VCONS_TXQ);
    assert_int_equal(out_len, 3);
    struct vcons_stats s;
    vcons_get_stats(&dev, &s);
    assert_int_equal(s.malformed, 2);
}

static void test_malformed_rx_stops_device(void **state)
{
    (void)state;
    driver_up(16);
    /* a receive buffer outside RAM, and one the device may not write */
    g_desc(&rxq, 0, G_RAM_IPA + G_RAM_SIZE - 4, 8, VIRTQ_DESC_F_WRITE, 0);
    g_offer(&rxq, 0);
    memcpy(in, "abc", 3);
    in_len = 3;
    vcons_input_ready(&dev);
    assert_true(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    assert_non_null(strstr(last_text, "q=rx why="));
    assert_int_equal(in_pos, 0); /* nothing taken from the console */
    driver_up(16);
    g_desc(&rxq, 0, RX_BUF, 8, 0, 0);
    g_offer(&rxq, 0);
    vcons_input_ready(&dev);
    assert_true(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    /* the avail index jumping past the queue size */
    driver_up(16);
    g_w16(&ram, rxq.avail + 2, 40);
    vcons_input_ready(&dev);
    assert_true(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    assert_int_equal(events, 3);
}

/* A receive chain whose first buffer is good and whose second is bad: what the first took
 * from the console is counted in rx_bytes (every byte taken is accounted for), and the device
 * stops (found by fuzz_vcons: tests/fuzz/corpus/vcons/rx-bytes-before-bad-desc.hex). */
static void test_malformed_rx_counts_input_taken(void **state)
{
    struct vcons_stats st;
    (void)state;

    driver_up(16);
    g_desc(&rxq, 0, RX_BUF, 2, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    g_desc(&rxq, 1, G_RAM_IPA + G_RAM_SIZE - 4, 8, VIRTQ_DESC_F_WRITE, 0);
    g_offer(&rxq, 0);
    memcpy(in, "abcd", 4);
    in_len = 4;
    vcons_input_ready(&dev);
    assert_true(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    assert_int_equal(in_pos, 2);
    vcons_get_stats(&dev, &st);
    assert_int_equal(st.rx_bytes, 2);
    assert_int_equal(st.malformed, 1);
    assert_int_equal(g_used_idx(&rxq), 0); /* not returned: the device is stopped */
}

static void test_reset_forgets_rings(void **state)
{
    (void)state;
    driver_up(16);
    post_rx(0, 8);
    vcons_reset(&dev);
    assert_int_equal(rd(VIRTIO_MMIO_STATUS), 0);
    assert_false(vcons_takes_input(&dev));
    memcpy(in, "a", 1);
    in_len = 1;
    vcons_input_ready(&dev);
    assert_int_equal(in_pos, 0);
    assert_int_equal(g_used_idx(&rxq), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_identity_and_config, setup),
        cmocka_unit_test_setup(test_output_byte_exact, setup),
        cmocka_unit_test_setup(test_output_budget_per_notify, setup),
        cmocka_unit_test_setup(test_input_fills_posted_buffers, setup),
        cmocka_unit_test_setup(test_no_input_before_driver, setup),
        cmocka_unit_test_setup(test_malformed_tx_stops_device, setup),
        cmocka_unit_test_setup(test_malformed_rx_stops_device, setup),
        cmocka_unit_test_setup(test_malformed_rx_counts_input_taken, setup),
        cmocka_unit_test_setup(test_reset_forgets_rings, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
