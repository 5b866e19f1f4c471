/* SPDX-License-Identifier: MIT */
/*
 * The virtual watchdog: an emulated ARM Watchdog Module SP805 (ARM DDI 0270B), one per VM
 * that asks for it (VM property watchdog = "sp805"). Debian's kernel drives it with its
 * sp805_wdt module (the AMBA bus binds it by its PrimeCell IDs), our guests directly.
 *
 * The counter decrements at WDOGCLK from WDOGLOAD; when it reaches zero with INTEN set it
 * raises the interrupt (WDOGRIS) and reloads; when it reaches zero again while the interrupt
 * is still set and RESEN is set, the reset output fires. The model never ticks: it keeps the
 * physical count (CNTPCT) at which counting started and computes WDOGVALUE, WDOGRIS and the
 * outputs from the count of the moment; the next moment an output changes (interrupt rising,
 * reset) is handed to the set_deadline hook. The reset output is reported to the caller once,
 * who applies the VM's fault policy (core/vm/vm_wdog.c); the device stays quiet from then on
 * until sp805_reset. Portable (host unit tests); every entry point takes the count "now".
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/spinlock.h>
#include <bulkhead/errno.h>

#define SP805_FRAME_SIZE 0x1000u
#define SP805_NEVER      UINT64_MAX

/* Register offsets (DDI 0270B table 3-1). */
#define SP805_LOAD      0x000u /* RW, reset 0xFFFFFFFF: the value counting starts from */
#define SP805_VALUE     0x004u /* RO: the counter */
#define SP805_CONTROL   0x008u /* RW: INTEN (enables counter and interrupt), RESEN */
#define SP805_INTCLR    0x00Cu /* WO: any write clears the interrupt and reloads */
#define SP805_RIS       0x010u /* RO: raw interrupt status */
#define SP805_MIS       0x014u /* RO: RIS & INTEN */
#define SP805_LOCK      0xC00u /* RW: SP805_UNLOCK_KEY enables writes, anything else disables */
#define SP805_ITCR      0xF00u /* RW: integration test mode */
#define SP805_ITOP      0xF04u /* WO: in test mode, WDOGRES (bit 0) and WDOGINT (bit 1) */
#define SP805_PERIPHID0 0xFE0u /* PeriphID0..3 then PCellID0..3, one byte per word */

#define SP805_CTRL_INTEN 0x1u
#define SP805_CTRL_RESEN 0x2u
#define SP805_UNLOCK_KEY 0x1ACCE551u
#define SP805_ITOP_RES   0x1u
#define SP805_ITOP_INT   0x2u

struct sp805_hooks {
    /* The interrupt output (WDOGINT, level) changed; called with the device's lock held. */
    void (*set_level)(void *ctx, bool level);
    /* The next count at which an output changes (SP805_NEVER: none); lock held. */
    void (*set_deadline)(void *ctx, uint64_t at);
    void *ctx;
};

struct sp805 {
    struct spinlock lock;
    uint64_t cnt_hz;   /* the physical count's rate */
    uint64_t wdog_hz;  /* WDOGCLK */
    struct sp805_hooks hooks;
    /* registers */
    uint32_t load, ctrl, itcr, itop;
    bool locked;
    /* counting (while INTEN): the count at which the counter held `load`, the zero-events
     * since then already accounted for, and RIS as of the last of those */
    uint64_t epoch;
    uint64_t ev_base;
    bool ris_base;
    uint32_t frozen;   /* WDOGVALUE while stopped */
    bool fired;        /* the reset output fired (reported once) */
    bool level;        /* WDOGINT as last given to set_level */
    uint64_t deadline; /* as last given to set_deadline */
    bool paused;       /* the VM is paused: the counter stands still (sp805_pause) */
    uint64_t paused_at;
};

/* A device at reset, counting at wdog_hz (WDOGCLK) against a physical count of cnt_hz (both
 * below 2^32; 0 is taken as 1). */
void sp805_init(struct sp805 *w, uint64_t cnt_hz, uint64_t wdog_hz, const struct sp805_hooks *h);

/* Every register to its reset value (VM start or restart): output low, no deadline. */
void sp805_reset(struct sp805 *w);

/*
 * A 32-bit access at off (the only width the SP805 has) at count now. Returns 0, or
 * -BH_ERANGE for another width or an unaligned offset. *reset is set when the reset output
 * fired at or before now (once per sp805_reset); the access itself is then still done.
 */
int sp805_mmio(struct sp805 *w, uint64_t now, uint32_t off, unsigned size, bool write,
               uint64_t *val, bool *reset);

/* The deadline passed (or any time): outputs brought up to date at count now and the next
 * deadline handed to set_deadline again, changed or not. Returns true when the reset output
 * fired (once per sp805_reset). */
bool sp805_expire(struct sp805 *w, uint64_t now);

/*
 * The VM is paused at count now: the counter stands still and no deadline is pending until
 * sp805_resume, so a manager's pause never lets the watchdog bite a guest that cannot run.
 * Resuming moves the counting on by the time paused. Both are idempotent.
 */
void sp805_pause(struct sp805 *w, uint64_t now);
void sp805_resume(struct sp805 *w, uint64_t now);
