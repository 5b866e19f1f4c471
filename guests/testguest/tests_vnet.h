/* SPDX-License-Identifier: MIT */
/*
 * Test frames of the vnet modes (tests_vnet.c, tests_vnet_hostile.c): Ethernet II with the
 * local experimental ethertype 0x88b5 (IEEE 802), then a small header and a pattern payload:
 *
 *   0 dst MAC | 6 src MAC | 12 ethertype 0x88b5 | 14 "BHVN" | 18 kind | 19 0
 *   20 seq (LE32) | 24 frame length (LE16) | 26 0 0 | 28 checksum (LE32) of bytes 32..len
 *   32.. payload: bytes derived from seq and offset
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "virtio_net.h"

enum vnet_kind {
    VNET_K_HELLO = 1,   /* handshake until the peer answers; echoed, then ignored */
    VNET_K_DATA = 2,    /* numbered frame, echoed */
    VNET_K_BCAST = 3,   /* to ff:ff:ff:ff:ff:ff, echoed to its source */
    VNET_K_PROBE = 4,   /* to a MAC that must not receive it; echoed if it does */
    VNET_K_STOP = 5,    /* seq = DATA + BCAST frames the sender had echoed; the peer ends */
    VNET_K_HOSTILE = 6, /* carried by malformed rings: must never arrive */
};

#define VNET_ECHO_MS  2000 /* a frame's echo, under load and -icount */
#define VNET_TX_MS    1000 /* the device returning a transmit buffer */

struct vnet_ctx {
    struct vnet_dev dev;
    uint8_t peer[VNET_MAC_LEN];
    uint8_t frame[VNET_FRAME_MAX];
    struct vnet_frame rx;
};

/* Length of data frame seq: 60..1514, both ends included among the first 25. */
uint32_t vnet_frame_len(uint32_t seq);

/* Build a test frame of len bytes from src to dst into out. */
void vnet_build(uint8_t *out, uint32_t len, const uint8_t *dst, const uint8_t *src,
                enum vnet_kind kind, uint32_t seq);

/* Kind of a received test frame, or 0 if it is not one (wrong ethertype, magic, length or
 * checksum). */
enum vnet_kind vnet_kind_of(const uint8_t *f, uint32_t len);
uint32_t vnet_seq_of(const uint8_t *f);

/* Probe and initialise the first virtio-net device, with PASS/FAIL lines; false: none works. */
bool vnet_ctx_start(struct vnet_ctx *c, const char *who);

/* HELLO every 100 ms until the peer echoes one (at most timeout_ms); PASS/FAIL line. */
bool vnet_handshake(struct vnet_ctx *c, uint64_t timeout_ms);

/* Send a frame of kind/seq/len to dst and wait for its echo (HELLO echoes skipped); true if
 * the echo came, in order and byte-exact. *why says what went wrong otherwise. */
bool vnet_roundtrip(struct vnet_ctx *c, const uint8_t *dst, enum vnet_kind kind, uint32_t seq,
                    uint32_t len, const char **why);

/* "aa:bb:cc:dd:ee:ff" of mac in a static buffer (two at a time: alternating). */
const char *vnet_mac_str(const uint8_t *mac);
