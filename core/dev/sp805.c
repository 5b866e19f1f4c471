// SPDX-License-Identifier: MIT
/*
 * SP805 emulation (see sp805.h). Semantics from the TRM (ARM DDI 0270B, chapter 3): writing
 * WDOGLOAD restarts the count from the new value; setting INTEN after it was clear reloads
 * from WDOGLOAD and starts counting, clearing it stops the counter; any write to WDOGINTCLR
 * clears the interrupt and reloads; WDOGLOCK holds 1 (writes to every other register
 * ignored) until 0x1ACCE551 is written; in integration test mode (WDOGITCR bit 0) the outputs
 * follow WDOGITOP instead of the counter. Reserved offsets read as zero and ignore writes.
 *
 * Time: after a (re)load at count E the counter reads LOAD - t at t WDOGCLK ticks, reaching
 * zero at t = LOAD, then LOAD again one tick later: zero-events at ticks LOAD + k(LOAD + 1),
 * k = 0, 1, ... (so LOAD = 0 interrupts at once, as the TRM says, and a reset comes 2 LOAD + 1
 * ticks after a reload, as Linux's sp805_wdt counts its time left). Ticks and counts convert exactly
 * (q * rate + r splits, both rates below 2^32); whatever overflows saturates to "never".
 */
#include <core/dev/sp805.h>

#include <lib/string.h>

static const uint8_t sp805_ids[8] = { 0x05, 0x18, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };

#define U32_MAX_HZ UINT64_C(0xffffffff)

static uint64_t clamp_hz(uint64_t hz)
{
    return hz == 0 ? 1 : (hz > U32_MAX_HZ ? U32_MAX_HZ : hz);
}

static bool is_running(const struct sp805 *w)
{
    return (w->ctrl & SP805_CTRL_INTEN) != 0;
}

static bool is_test_mode(const struct sp805 *w)
{
    return (w->itcr & 1u) != 0;
}

/* WDOGCLK ticks from the epoch to count now (floor), saturating. */
static uint64_t ticks_at(const struct sp805 *w, uint64_t now)
{
    uint64_t d = now > w->epoch ? now - w->epoch : 0;
    uint64_t q = d / w->cnt_hz, r = d % w->cnt_hz, t;

    if (__builtin_mul_overflow(q, w->wdog_hz, &t) ||
        __builtin_add_overflow(t, r * w->wdog_hz / w->cnt_hz, &t)) {
        return UINT64_MAX;
    }
    return t;
}

/* The first count at which ticks_at() reaches ticks (ceiling), or SP805_NEVER. */
static uint64_t count_of(const struct sp805 *w, uint64_t ticks)
{
    uint64_t q = ticks / w->wdog_hz, r = ticks % w->wdog_hz, c;

    if (ticks == UINT64_MAX || __builtin_mul_overflow(q, w->cnt_hz, &c) ||
        __builtin_add_overflow(c, (r * w->cnt_hz + w->wdog_hz - 1) / w->wdog_hz, &c) ||
        __builtin_add_overflow(c, w->epoch, &c) || c == SP805_NEVER) {
        return SP805_NEVER;
    }
    return c;
}

/* Zero-events in ticks [0, t]. */
static uint64_t events_at(const struct sp805 *w, uint64_t t)
{
    uint64_t period = (uint64_t)w->load + 1;

    return t < w->load ? 0 : (t - w->load) / period + 1;
}

/* The tick of zero-event k (k >= 1), saturating. */
static uint64_t event_tick(const struct sp805 *w, uint64_t k)
{
    uint64_t t;

    if (__builtin_mul_overflow(k - 1, (uint64_t)w->load + 1, &t) ||
        __builtin_add_overflow(t, w->load, &t)) {
        return UINT64_MAX;
    }
    return t;
}

/* The event at which the reset output fires (if RESEN stays set). */
static uint64_t reset_event(const struct sp805 *w)
{
    return w->ev_base + (w->ris_base ? 1 : 2);
}

static bool ris_at(const struct sp805 *w, uint64_t now)
{
    if (!is_running(w)) {
        return w->ris_base;
    }
    return w->ris_base || events_at(w, ticks_at(w, now)) > w->ev_base;
}

static uint32_t value_at(const struct sp805 *w, uint64_t now)
{
    if (!is_running(w)) {
        return w->frozen;
    }
    uint64_t t = ticks_at(w, now);
    if (t <= w->load) {
        return (uint32_t)(w->load - t);
    }
    return (uint32_t)(w->load - (t - w->load - 1) % ((uint64_t)w->load + 1));
}

/* Restart counting from LOAD at count now, with RIS as given. */
static void reload(struct sp805 *w, uint64_t now, bool ris)
{
    w->epoch = now;
    w->ev_base = 0;
    w->ris_base = ris;
    w->frozen = w->load;
}

/* Account the events up to now (RESEN is about to change): same epoch, new base. */
static void rebase(struct sp805 *w, uint64_t now)
{
    w->ris_base = ris_at(w, now);
    w->ev_base = events_at(w, ticks_at(w, now));
}

/* Lock held: did the counter's reset output fire by now? (latched, reported once) */
static bool check_reset(struct sp805 *w, uint64_t now)
{
    if (w->fired || !is_running(w) || !(w->ctrl & SP805_CTRL_RESEN) || is_test_mode(w) ||
        events_at(w, ticks_at(w, now)) < reset_event(w)) {
        return false;
    }
    w->fired = true;
    return true;
}

static uint64_t next_deadline(const struct sp805 *w, uint64_t now)
{
    if (w->fired || w->paused || !is_running(w) || is_test_mode(w)) {
        return SP805_NEVER;
    }
    if (!ris_at(w, now)) {
        return count_of(w, event_tick(w, w->ev_base + 1));
    }
    if (w->ctrl & SP805_CTRL_RESEN) {
        return count_of(w, event_tick(w, reset_event(w)));
    }
    return SP805_NEVER;
}

/* Lock held: drive the interrupt output and hand over the next deadline (when it changed,
 * or always with force: the owner's copy was used up). */
static void update_outputs(struct sp805 *w, uint64_t now, bool force)
{
    bool level = is_test_mode(w) ? (w->itop & SP805_ITOP_INT) != 0
                                 : is_running(w) && ris_at(w, now);
    uint64_t at = next_deadline(w, now);

    if (level != w->level) {
        w->level = level;
        if (w->hooks.set_level) {
            w->hooks.set_level(w->hooks.ctx, level);
        }
    }
    if (at != w->deadline || force) {
        w->deadline = at;
        if (w->hooks.set_deadline) {
            w->hooks.set_deadline(w->hooks.ctx, at);
        }
    }
}

/* While paused the device lives at the moment of the pause. */
static uint64_t frozen_now(const struct sp805 *w, uint64_t now)
{
    return w->paused ? w->paused_at : now;
}

static void regs_reset(struct sp805 *w)
{
    w->load = 0xFFFFFFFFu;
    w->ctrl = 0;
    w->itcr = 0;
    w->itop = 0;
    w->locked = false;
    w->epoch = 0;
    w->ev_base = 0;
    w->ris_base = false;
    w->frozen = 0xFFFFFFFFu;
    w->fired = false;
    w->paused = false;
}

void sp805_init(struct sp805 *w, uint64_t cnt_hz, uint64_t wdog_hz, const struct sp805_hooks *h)
{
    memset(w, 0, sizeof(*w));
    spin_lock_init(&w->lock);
    w->cnt_hz = clamp_hz(cnt_hz);
    w->wdog_hz = clamp_hz(wdog_hz);
    w->hooks = *h;
    w->deadline = SP805_NEVER;
    regs_reset(w);
}

void sp805_reset(struct sp805 *w)
{
    spin_lock(&w->lock);
    regs_reset(w);
    update_outputs(w, 0, false);
    spin_unlock(&w->lock);
}

static void write_control(struct sp805 *w, uint64_t now, uint32_t v)
{
    bool was = is_running(w);

    v &= SP805_CTRL_INTEN | SP805_CTRL_RESEN;
    if (was && !(v & SP805_CTRL_INTEN)) {
        w->frozen = value_at(w, now); /* the counter stops where it is */
        w->ris_base = ris_at(w, now);
        w->ctrl = v;
    } else if (!was && (v & SP805_CTRL_INTEN)) {
        w->ctrl = v;
        reload(w, now, w->ris_base);
    } else {
        if (was) {
            rebase(w, now);
        }
        w->ctrl = v;
    }
}

static void do_write(struct sp805 *w, uint64_t now, uint32_t off, uint32_t v, bool *reset)
{
    if (off == SP805_LOCK) {
        w->locked = v != SP805_UNLOCK_KEY;
        return;
    }
    if (w->locked) {
        return;
    }
    switch (off) {
    case SP805_LOAD: {
        bool ris = ris_at(w, now); /* with the old LOAD: the interrupt stays as it is */
        w->load = v;
        reload(w, now, ris);
        break;
    }
    case SP805_CONTROL:
        write_control(w, now, v);
        break;
    case SP805_INTCLR:
        reload(w, now, false);
        break;
    case SP805_ITCR:
        w->itcr = v & 1u;
        break;
    case SP805_ITOP:
        if (is_test_mode(w) && (v & SP805_ITOP_RES) && !(w->itop & SP805_ITOP_RES) &&
            !w->fired) {
            w->fired = true; /* the test drives WDOGRES: a reset like any other */
            *reset = true;
        }
        w->itop = v & (SP805_ITOP_RES | SP805_ITOP_INT);
        break;
    default:
        break; /* read-only and reserved registers ignore writes */
    }
}

static uint32_t do_read(const struct sp805 *w, uint64_t now, uint32_t off)
{
    switch (off) {
    case SP805_LOAD:
        return w->load;
    case SP805_VALUE:
        return value_at(w, now);
    case SP805_CONTROL:
        return w->ctrl;
    case SP805_RIS:
        return ris_at(w, now) ? 1u : 0u;
    case SP805_MIS:
        return is_running(w) && ris_at(w, now) ? 1u : 0u;
    case SP805_LOCK:
        return w->locked ? 1u : 0u;
    case SP805_ITCR:
        return w->itcr;
    default:
        if (off >= SP805_PERIPHID0) {
            return sp805_ids[(off - SP805_PERIPHID0) / 4];
        }
        return 0; /* write-only (WDOGINTCLR, WDOGITOP) and reserved */
    }
}

int sp805_mmio(struct sp805 *w, uint64_t now, uint32_t off, unsigned size, bool write,
               uint64_t *val, bool *reset)
{
    *reset = false;
    if (size != 4 || off % 4 != 0 || off >= SP805_FRAME_SIZE) {
        return -BH_ERANGE;
    }
    spin_lock(&w->lock);
    now = frozen_now(w, now); /* (a paused VM makes no access; a manager's view might) */
    *reset = !w->paused && check_reset(w, now); /* the reset came first, whatever this does */
    if (write) {
        do_write(w, now, off, (uint32_t)*val, reset);
    } else {
        *val = do_read(w, now, off);
    }
    update_outputs(w, now, false);
    spin_unlock(&w->lock);
    return 0;
}

bool sp805_expire(struct sp805 *w, uint64_t now)
{
    spin_lock(&w->lock);
    now = frozen_now(w, now);
    bool reset = !w->paused && check_reset(w, now);
    update_outputs(w, now, true);
    spin_unlock(&w->lock);
    return reset;
}

void sp805_pause(struct sp805 *w, uint64_t now)
{
    spin_lock(&w->lock);
    if (!w->paused) {
        w->paused = true;
        w->paused_at = now;
        update_outputs(w, now, false); /* no deadline while paused */
    }
    spin_unlock(&w->lock);
}

void sp805_resume(struct sp805 *w, uint64_t now)
{
    spin_lock(&w->lock);
    if (w->paused) {
        w->paused = false;
        /* the epoch follows the pause: the counter goes on from where it stood (the epoch
         * never passes now, so this cannot wrap) */
        if (now > w->paused_at) {
            w->epoch += now - w->paused_at;
        }
        update_outputs(w, now, true);
    }
    spin_unlock(&w->lock);
}
