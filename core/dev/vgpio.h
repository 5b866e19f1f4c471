/* SPDX-License-Identifier: MIT */
/*
 * IPC notifications as GPIO lines, for VMs whose scenario says ipc-notify = "gpio": Linux
 * user space can wait for them through the GPIO character device (gpio-pl061 and GPIO_CDEV
 * are built into Debian's arm64 kernel), no kernel module of ours needed. Each notification
 * SPI of the VM gets one emulated ARM PrimeCell GPIO (PL061, ARM DDI 0190B) whose line 0
 * pulses when the hypervisor raises the notification; the controller's own interrupt output
 * is that SPI, level-sensitive, high while (GPIORIS & GPIOIE) != 0. Lines 1-7 are
 * unconnected inputs that read 0. The power button (core/vm/vm_power.c) is one more such
 * controller whose line 0 is driven as a level (vgpio_set_input) rather than pulsed. Portable (host unit tests): the vGIC is reached through
 * the set_level hook, called with the bank's lock held so that level changes stay ordered.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/spinlock.h>
#include <bulkhead/errno.h>

#define VGPIO_MAX        64     /* controllers per VM (notification SPIs) */
#define VGPIO_FRAME_SIZE 0x1000u
#define VGPIO_LINES      8

/* Register offsets (DDI 0190B table 3-1). GPIODATA spans 0x000-0x3FC: address bits [9:2]
 * mask the lines an access affects. */
#define VGPIO_DATA      0x000u
#define VGPIO_DIR       0x400u
#define VGPIO_IS        0x404u /* 1 = level-sensitive */
#define VGPIO_IBE       0x408u /* 1 = both edges */
#define VGPIO_IEV       0x40Cu /* 1 = rising edge / high level */
#define VGPIO_IE        0x410u /* 1 = interrupt enabled (not masked) */
#define VGPIO_RIS       0x414u /* raw interrupt status, read-only */
#define VGPIO_MIS       0x418u /* masked interrupt status, read-only */
#define VGPIO_IC        0x41Cu /* interrupt clear, write-only (1 clears) */
#define VGPIO_AFSEL     0x420u
#define VGPIO_PERIPHID0 0xFE0u /* PeriphID0..3 then PCellID0..3, one byte per word */

struct vgpio {
    uint32_t intid;   /* the SPI this controller drives (0: unused slot) */
    uint8_t dir, data, is, ibe, iev, ie, ris, afsel;
    uint8_t in;       /* levels driven into the lines from outside (vgpio_set_input) */
};

typedef void vgpio_level_fn(void *ctx, uint32_t intid, bool level);

struct vgpio_bank {
    struct spinlock lock;
    unsigned count;
    struct vgpio g[VGPIO_MAX];
    vgpio_level_fn *set_level;
    void *ctx;
};

/* count controllers driving intids[0..count) (count <= VGPIO_MAX), all registers at reset. */
void vgpio_init(struct vgpio_bank *b, const uint32_t *intids, unsigned count,
                vgpio_level_fn *set_level, void *ctx);

/* Registers back to their reset values (VM restart); the outputs go low. */
void vgpio_reset(struct vgpio_bank *b);

/* Controller idx's frame: 0, or -BH_ERANGE for a size or offset the PL061 does not have. */
int vgpio_mmio(struct vgpio_bank *b, unsigned idx, uint32_t off, unsigned size, bool write,
               uint64_t *val);

/* Pulse line 0 of the controller driving intid. false if the bank has no such controller. */
bool vgpio_raise(struct vgpio_bank *b, uint32_t intid);

/*
 * Drive input line `line` (< VGPIO_LINES) of controller idx to level (a button: high while
 * pressed). GPIODATA reads it back on an input line; an edge-sensitive line latches the edge
 * its GPIOIBE/GPIOIEV select into GPIORIS, a level-sensitive one (GPIOIS) asserts while the
 * level matches GPIOIEV (DDI 0190B 3.3.3-3.3.6). Ignored for an output line's interrupt, and
 * for no such controller or line.
 */
void vgpio_set_input(struct vgpio_bank *b, unsigned idx, unsigned line, bool level);
