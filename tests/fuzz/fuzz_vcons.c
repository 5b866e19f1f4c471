// SPDX-License-Identifier: MIT
/*
 * Fuzz target: a virtio console (core/dev/vcons.c over core/dev/virtio_mmio.c and
 * core/dev/virtq.c) driven by a hostile guest that both writes its registers and scribbles on
 * its own RAM (rings, descriptors, buffers) in any order, while console input arrives. The
 * input is a sequence of 7-byte records:
 *
 *   byte 0     op: bits 1:0 kind (0 register read, 1 register write, 2 RAM write of the
 *                  32-bit value at the offset, 3 console input: value & 0xff bytes queued)
 *                  bits 4:3 access size 1 << n
 *   bytes 1-2  register offset in the 0x200 window (beyond it: must be refused), or RAM offset
 *   bytes 3-6  value
 *
 * Guest RAM is 64 KiB at 0x40000000. Checked: no memory error (ASan) whatever the rings
 * hold; the interrupt line the hooks saw is always InterruptStatus != 0; a device stopped by
 * DEVICE_NEEDS_RESET passes nothing on until it is reset; counters only grow, and the
 * malformed counter grows exactly when NEEDS_RESET gets set; one operation outputs at most
 * the 16 KiB budget; rx_bytes is exactly what the device pulled from the console.
 */
#include <string.h>

#include <core/dev/vcons.h>

#include "fuzz_input.h"
#include "virtio_fuzz.h"

#define RAM_IPA  UINT64_C(0x40000000)
#define RAM_SIZE 0x10000u
#define TX_BUDGET 0x4000u

static struct vcons dev;
static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static bool line;
static uint64_t put_count, pulled, queued;

static void h_irq(void *ctx, uint32_t intid, bool level)
{
    (void)ctx;
    FUZZ_CHECK(intid == 45);
    FUZZ_CHECK(level != line); /* changes only */
    line = level;
}

static void h_put(void *ctx, char c)
{
    (void)ctx;
    (void)c;
    put_count++;
}

static size_t h_pull(void *ctx, uint8_t *buf, size_t max)
{
    (void)ctx;
    size_t n = queued < max ? (size_t)queued : max;
    memset(buf, 'i', n);
    queued -= n;
    pulled += n;
    return n;
}

static void h_event(void *ctx, const char *kind, const char *text)
{
    (void)ctx;
    FUZZ_CHECK(strcmp(kind, "vcons_malformed") == 0);
    FUZZ_CHECK(strlen(text) > 0);
}

static bool stopped(void)
{
    return (dev.t.status & VIRTIO_STATUS_NEEDS_RESET) != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    const struct vcons_hooks h = { .ctx = NULL, .set_irq = h_irq, .put = h_put, .pull = h_pull,
                                   .event = h_event };
    const struct virtq_mem mem = { .host = ram, .ipa = RAM_IPA, .size = RAM_SIZE };

    memset(ram, 0, sizeof(ram));
    line = false;
    put_count = pulled = queued = 0;
    vcons_init(&dev, 45, &mem, &h);
    while (!fuzz_in_done(&in)) {
        uint8_t op = fuzz_in_u8(&in);
        uint32_t off = (uint32_t)fuzz_in_bytes(&in, 2);
        uint64_t val = fuzz_in_u32(&in);
        unsigned access = 1u << ((op >> 3) & 3u);
        struct vcons_stats before, after;
        bool was_stopped = stopped();
        uint64_t put_before = put_count;

        vcons_get_stats(&dev, &before);
        switch (op & 3u) {
        case 0:
        case 1: {
            int r = vcons_mmio(&dev, off, access, (op & 1u) != 0, &val);
            virtio_fuzz_check_access(r, off, access, (op & 1u) != 0, val);
            break;
        }
        case 2:
            if (off <= RAM_SIZE - 4) {
                uint32_t v32 = (uint32_t)val;
                memcpy(&ram[off], &v32, 4);
            }
            break;
        default:
            queued += val & 0xffu;
            if (vcons_takes_input(&dev)) {
                vcons_input_ready(&dev);
            }
            break;
        }
        vcons_get_stats(&dev, &after);
        FUZZ_CHECK(after.tx_bytes >= before.tx_bytes && after.tx_dropped >= before.tx_dropped &&
                   after.rx_bytes >= before.rx_bytes && after.malformed >= before.malformed);
        FUZZ_CHECK(line == (dev.t.isr != 0));
        FUZZ_CHECK(after.malformed - before.malformed == (uint64_t)(!was_stopped && stopped()));
        FUZZ_CHECK(put_count - put_before <= TX_BUDGET);
        FUZZ_CHECK(after.tx_bytes == put_count);
        FUZZ_CHECK(after.rx_bytes == pulled);
        if (was_stopped && stopped()) {
            FUZZ_CHECK(put_count == put_before);
            FUZZ_CHECK(after.rx_bytes == before.rx_bytes);
        }
    }
    return 0;
}
