// SPDX-License-Identifier: MIT
/*
 * tg.mode=uplink: the board's own virtio-net (QEMU's virtio-net-device on a virtio-mmio
 * transport, -netdev user) passed through to an identity-mapped VM (docs/NETWORK.md
 * "Uplink"). The device does DMA with the addresses the guest gives it, so it only works if
 * guest-physical = host-physical: this mode proves both directions. It sends an ARP request
 * for slirp's gateway (RFC 826; QEMU's user network answers for 10.0.2.2) -- the device reads
 * the frame from guest RAM -- and waits for the reply, which the device writes into guest RAM.
 * With a VM that is not identity-mapped the device would read and write someone else's memory.
 */
#include <string.h>

#include "platform.h"
#include "report.h"
#include "tests.h"
#include "tests_vnet.h"

#define ETH_TYPE_ARP   0x0806
#define ARP_REQUEST    1
#define ARP_REPLY      2
#define ARP_FRAME_LEN  42 /* Ethernet header 14 + ARP for IPv4 over Ethernet 28 */
#define ARP_TRIES      5
#define ARP_WAIT_MS    1000

static struct vnet_ctx ctx;

/* 10.0.2.15 (the address slirp's DHCP would give) asks who has 10.0.2.2 (slirp's gateway). */
static const uint8_t my_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gw_ip[4] = { 10, 0, 2, 2 };

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint32_t build_arp_request(uint8_t *f)
{
    memset(f, 0, VNET_FRAME_MIN);
    memset(f, 0xff, VNET_MAC_LEN);                  /* broadcast */
    memcpy(f + 6, ctx.dev.mac, VNET_MAC_LEN);
    put16(f + 12, ETH_TYPE_ARP);
    put16(f + 14, 1);                               /* hardware: Ethernet */
    put16(f + 16, 0x0800);                          /* protocol: IPv4 */
    f[18] = VNET_MAC_LEN;
    f[19] = 4;
    put16(f + 20, ARP_REQUEST);
    memcpy(f + 22, ctx.dev.mac, VNET_MAC_LEN);      /* sender */
    memcpy(f + 28, my_ip, 4);
    memcpy(f + 38, gw_ip, 4);                       /* target: hardware address unknown */
    return VNET_FRAME_MIN;                          /* padded to the Ethernet minimum */
}

static bool is_gw_reply(const struct vnet_frame *fr)
{
    const uint8_t *f = fr->data;

    return fr->len >= ARP_FRAME_LEN && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 &&
           f[21] == ARP_REPLY && !memcmp(f + 28, gw_ip, 4) && !memcmp(f + 32, ctx.dev.mac, 6) &&
           !memcmp(f + 38, my_ip, 4);
}

static void arp_gateway(void)
{
    uint8_t req[VNET_FRAME_MIN];
    uint32_t len = build_arp_request(req);

    for (int i = 0; i < ARP_TRIES; i++) {
        if (!report(vnet_send(&ctx.dev, req, len, VNET_TX_MS),
                    "uplink: ARP request %d taken by the device (read from guest RAM)", i + 1)) {
            return;
        }
        uint64_t waited = 0;
        while (waited < ARP_WAIT_MS && vnet_recv(&ctx.dev, &ctx.rx, ARP_WAIT_MS - waited)) {
            if (is_gw_reply(&ctx.rx)) {
                report(true, "uplink: ARP reply: 10.0.2.2 is at %s (written to guest RAM)",
                       vnet_mac_str(ctx.rx.data + 22));
                return;
            }
            waited += 100; /* other traffic: keep waiting, bounded */
        }
    }
    report(false, "uplink: no ARP reply from 10.0.2.2 after %d requests", ARP_TRIES);
}

void tests_uplink(void)
{
    report_info("uplink: RAM at 0x%lx", (unsigned long)platform_mem_lowest());
    if (vnet_ctx_start(&ctx, "uplink")) {
        report_info("uplink: transport at 0x%lx, SPI INTID %u", ctx.dev.base, ctx.dev.intid);
        arp_gateway();
    }
    report(vnet_irq_unexpected() == 0 && ctx.dev.rx_bad_id == 0 && ctx.dev.irq_stuck == 0,
           "uplink: %u device interrupts, %u unexpected, %u stuck, %u bad used ids",
           ctx.dev.irqs, vnet_irq_unexpected(), ctx.dev.irq_stuck, ctx.dev.rx_bad_id);
    tg_finish();
}
