// SPDX-License-Identifier: MIT
/*
 * Fuzz target: two virtio-net devices a and b on one segment (core/dev/vnet.c over
 * core/dev/virtio_mmio.c and core/dev/virtq.c), driven by a hostile guest that both writes
 * their registers and scribbles on its own RAM (rings, descriptors, buffers) in any order.
 * The input is a sequence of 7-byte records:
 *
 *   byte 0     op: bits 1:0 kind (0 register read, 1 register write, 2 RAM write of the
 *                  32-bit value at the offset, 3 time passes by value microseconds)
 *                  bit 2: device b (else a); bits 4:3 access size 1 << n
 *   bytes 1-2  register offset in the 0x200 window (beyond it: must be refused), or RAM offset
 *   bytes 3-6  value
 *
 * Guest RAM is 64 KiB at 0x40000000 per device. Checked: no memory error (ASan) whatever
 * the rings hold; the interrupt line the hooks saw is always InterruptStatus != 0; a device
 * stopped by DEVICE_NEEDS_RESET moves no frame until it is reset; counters only grow, and
 * the malformed counter grows exactly when NEEDS_RESET gets set; b never receives more
 * frames than a sent, and the other way round.
 */
#include <string.h>

#include <core/dev/vnet.h>

#include "fuzz_input.h"
#include "virtio_fuzz.h"

#define RAM_IPA  UINT64_C(0x40000000)
#define RAM_SIZE 0x10000u

struct member {
    struct vnet dev;
    uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
    bool line;
};

static struct member m[2];
static struct vnet_seg seg;
static uint64_t now;

static void h_irq(void *ctx, uint32_t intid, bool level)
{
    struct member *x = ctx;
    FUZZ_CHECK(intid == 48);
    FUZZ_CHECK(level != x->line); /* changes only */
    x->line = level;
}

static void h_event(void *ctx, const char *kind, const char *text)
{
    (void)ctx;
    FUZZ_CHECK(strcmp(kind, "net_malformed") == 0 || strcmp(kind, "net_deny") == 0);
    FUZZ_CHECK(strlen(text) > 0);
}

static bool h_alive(void *ctx)
{
    (void)ctx;
    return true;
}

static uint64_t h_now(void *ctx)
{
    (void)ctx;
    return now;
}

static void setup(void)
{
    memset(&seg, 0, sizeof(seg));
    seg.name = "lan";
    seg.members = 0x3;
    for (unsigned i = 0; i < 2; i++) {
        const uint8_t mac[6] = { 0x02, 0x42, 0xac, 0, 0, (uint8_t)i };
        memcpy(seg.mac[i], mac, 6);
        seg.member_name[i] = i ? "b" : "a";
    }
    for (unsigned i = 0; i < 2; i++) {
        struct member *x = &m[i];
        const struct vnet_cfg cfg = { .reach = (uint8_t)(1u << (1 - i)), .intid = 48,
                                      .rate_pps = i ? 0 : 100, .rate_bps = 0 };
        const struct vnet_hooks h = { .ctx = x, .set_irq = h_irq, .event = h_event,
                                      .alive = h_alive, .now_ns = h_now };
        const struct virtq_mem mem = { .host = x->ram, .ipa = RAM_IPA, .size = RAM_SIZE };
        memset(x->ram, 0, sizeof(x->ram));
        x->line = false;
        FUZZ_CHECK(vnet_init(&x->dev, &seg, i, &cfg, &mem, &h) == 0);
    }
}

static bool stopped(const struct member *x)
{
    return (x->dev.t.status & VIRTIO_STATUS_NEEDS_RESET) != 0;
}

static void check_grew(const struct vnet_stats *b, const struct vnet_stats *a)
{
    const uint64_t *pb = (const uint64_t *)(const void *)b, *pa = (const uint64_t *)(const void *)a;
    for (size_t i = 0; i < sizeof(*b) / sizeof(uint64_t); i++) {
        FUZZ_CHECK(pa[i] >= pb[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };

    now = 1000;
    setup();
    while (!fuzz_in_done(&in)) {
        uint8_t op = fuzz_in_u8(&in);
        uint32_t off = (uint32_t)fuzz_in_bytes(&in, 2);
        uint64_t val = fuzz_in_u32(&in);
        unsigned who = (op >> 2) & 1u, access = 1u << ((op >> 3) & 3u);
        struct vnet_stats before[2], after[2];
        bool was_stopped[2];

        for (unsigned i = 0; i < 2; i++) {
            vnet_get_stats(&m[i].dev, &before[i]);
            was_stopped[i] = stopped(&m[i]);
        }
        switch (op & 3u) {
        case 0:
        case 1: {
            int r = vnet_mmio(&m[who].dev, off, access, (op & 1u) != 0, &val);
            virtio_fuzz_check_access(r, off, access, (op & 1u) != 0, val);
            break;
        }
        case 2:
            if (off <= RAM_SIZE - 4) {
                uint32_t v32 = (uint32_t)val;
                memcpy(&m[who].ram[off], &v32, 4);
            }
            break;
        default:
            now += val * 1000u;
            break;
        }
        for (unsigned i = 0; i < 2; i++) {
            struct member *x = &m[i];
            vnet_get_stats(&x->dev, &after[i]);
            check_grew(&before[i], &after[i]);
            FUZZ_CHECK(x->line == (x->dev.t.isr != 0));
            FUZZ_CHECK(after[i].malformed - before[i].malformed ==
                       (uint64_t)(!was_stopped[i] && stopped(x)));
            if (was_stopped[i] && stopped(x)) {
                FUZZ_CHECK(after[i].tx_frames == before[i].tx_frames);
                FUZZ_CHECK(after[i].rx_frames == before[i].rx_frames);
            }
        }
        FUZZ_CHECK(after[1].rx_frames <= after[0].tx_frames);
        FUZZ_CHECK(after[0].rx_frames <= after[1].tx_frames);
    }
    return 0;
}
