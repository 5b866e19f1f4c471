// SPDX-License-Identifier: MIT
/*
 * PL061 emulation for IPC notifications (see vgpio.h). Register semantics follow the PL061
 * TRM (ARM DDI 0190B): byte registers on word-aligned offsets (Linux's gpio-pl061 uses readb
 * / writeb), GPIODATA masked by address bits [9:2] and writable only on output lines, GPIOIC
 * clears raw status bits, reserved offsets read as zero and ignore writes, the PrimeCell ID
 * registers identify a PL061 (PeriphID 0x00041061) so that the AMBA bus binds the driver.
 */
#include <core/dev/vgpio.h>

#include <lib/string.h>

static const uint8_t vgpio_ids[8] = { 0x61, 0x10, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };

#define LINE0 0x01u /* the notification line */

static void regs_reset(struct vgpio *g)
{
    uint32_t intid = g->intid;

    memset(g, 0, sizeof(*g));
    g->intid = intid;
}

/* Level-sensitive input lines (GPIOIS) whose level matches GPIOIEV: asserted while it does
 * (GPIOIC does not clear them). */
static uint8_t level_status(const struct vgpio *g)
{
    uint8_t in = (uint8_t)(g->in & ~g->dir);

    return (uint8_t)(g->is & ~g->dir & ((in & g->iev) | (~in & ~g->iev)));
}

/* GPIORIS: latched edges and asserting levels. */
static uint8_t raw_status(const struct vgpio *g)
{
    return (uint8_t)(g->ris | level_status(g));
}

/* Lock held: drive the controller's interrupt output. */
static void update_output(struct vgpio_bank *b, const struct vgpio *g)
{
    if (b->set_level) {
        b->set_level(b->ctx, g->intid, (raw_status(g) & g->ie) != 0);
    }
}

void vgpio_init(struct vgpio_bank *b, const uint32_t *intids, unsigned count,
                vgpio_level_fn *set_level, void *ctx)
{
    memset(b, 0, sizeof(*b));
    spin_lock_init(&b->lock);
    b->count = count > VGPIO_MAX ? VGPIO_MAX : count;
    for (unsigned i = 0; i < b->count; i++) {
        b->g[i].intid = intids[i];
    }
    b->set_level = set_level;
    b->ctx = ctx;
}

void vgpio_reset(struct vgpio_bank *b)
{
    spin_lock(&b->lock);
    for (unsigned i = 0; i < b->count; i++) {
        regs_reset(&b->g[i]);
        update_output(b, &b->g[i]);
    }
    spin_unlock(&b->lock);
}

static uint8_t *reg_of(struct vgpio *g, uint32_t off)
{
    switch (off) {
    case VGPIO_DIR: return &g->dir;
    case VGPIO_IS: return &g->is;
    case VGPIO_IBE: return &g->ibe;
    case VGPIO_IEV: return &g->iev;
    case VGPIO_IE: return &g->ie;
    case VGPIO_AFSEL: return &g->afsel;
    default: return NULL;
    }
}

static uint32_t read_reg(const struct vgpio *g, uint32_t off)
{
    if (off < VGPIO_DIR) {
        /* Output lines read back what was written; inputs their driven level (a notification
         * line only pulses: it reads low). */
        return ((g->data & g->dir) | (g->in & ~g->dir)) & (uint8_t)(off >> 2);
    }
    switch (off) {
    case VGPIO_DIR: return g->dir;
    case VGPIO_IS: return g->is;
    case VGPIO_IBE: return g->ibe;
    case VGPIO_IEV: return g->iev;
    case VGPIO_IE: return g->ie;
    case VGPIO_RIS: return raw_status(g);
    case VGPIO_MIS: return raw_status(g) & g->ie;
    case VGPIO_AFSEL: return g->afsel;
    default:
        if (off >= VGPIO_PERIPHID0) {
            return vgpio_ids[(off - VGPIO_PERIPHID0) / 4];
        }
        return 0; /* reserved / test registers: RAZ */
    }
}

static void write_reg(struct vgpio *g, uint32_t off, uint8_t v)
{
    uint8_t *r;

    if (off < VGPIO_DIR) {
        uint8_t mask = (uint8_t)(off >> 2) & g->dir;
        g->data = (uint8_t)((g->data & ~mask) | (v & mask));
    } else if (off == VGPIO_IC) {
        g->ris &= (uint8_t)~v;
    } else if ((r = reg_of(g, off)) != NULL) {
        *r = v;
    }
    /* RIS, MIS, the ID registers and reserved offsets ignore writes */
}

int vgpio_mmio(struct vgpio_bank *b, unsigned idx, uint32_t off, unsigned size, bool write,
               uint64_t *val)
{
    if (idx >= b->count || off >= VGPIO_FRAME_SIZE || (size != 1 && size != 4) ||
        off % size != 0 || (size == 1 && off % 4 != 0)) {
        return -BH_ERANGE; /* bytes sit at the bottom of each word: other bytes do not exist */
    }
    struct vgpio *g = &b->g[idx];

    spin_lock(&b->lock);
    if (write) {
        write_reg(g, off, (uint8_t)*val);
        if (off == VGPIO_IE || off == VGPIO_IC || off == VGPIO_IS || off == VGPIO_IEV ||
            off == VGPIO_DIR) {
            update_output(b, g);
        }
    } else {
        *val = read_reg(g, off);
    }
    spin_unlock(&b->lock);
    return 0;
}

bool vgpio_raise(struct vgpio_bank *b, uint32_t intid)
{
    bool found = false;

    spin_lock(&b->lock);
    for (unsigned i = 0; i < b->count; i++) {
        struct vgpio *g = &b->g[i];
        if (g->intid != intid) {
            continue;
        }
        found = true;
        /* A pulse is a rising and a falling edge and a moment at high level: whatever line
         * 0 is set to sense, it is detected, unless line 0 is an output. */
        if (!(g->dir & LINE0)) {
            g->ris |= LINE0;
            update_output(b, g);
        }
        break;
    }
    spin_unlock(&b->lock);
    return found;
}

void vgpio_set_input(struct vgpio_bank *b, unsigned idx, unsigned line, bool level)
{
    if (idx >= b->count || line >= VGPIO_LINES) {
        return;
    }
    struct vgpio *g = &b->g[idx];
    uint8_t bit = (uint8_t)(1u << line);

    spin_lock(&b->lock);
    bool was = (g->in & bit) != 0;
    g->in = level ? (uint8_t)(g->in | bit) : (uint8_t)(g->in & ~bit);
    /* An edge on an edge-sensitive input: both edges, or the one GPIOIEV names. */
    bool edge_wanted = (g->ibe & bit) || ((g->iev & bit) ? level : !level);
    if (was != level && !(g->dir & bit) && !(g->is & bit) && edge_wanted) {
        g->ris |= bit;
    }
    update_output(b, g);
    spin_unlock(&b->lock);
}
