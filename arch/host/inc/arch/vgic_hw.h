/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for <arch/vgic_hw.h>: a fake GICv3 virtual CPU interface with 4 list registers
 * and 5 priority/preemption bits. Unit tests play the guest by editing LR state bits
 * (vgic_fake_guest_ack/eoi) and read back what the vGIC programmed. ELRSR, EISR and MISR are
 * derived from the LRs and ICH_HCR as the GIC spec (IHI 0069H 12.5) defines them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VGIC_FAKE_NR_LRS     4
#define VGIC_FAKE_MAX_LRS    16
#define VGIC_FAKE_LR_PENDING (UINT64_C(1) << 62)
#define VGIC_FAKE_LR_ACTIVE  (UINT64_C(1) << 63)
#define VGIC_FAKE_LR_HW      (UINT64_C(1) << 61)
#define VGIC_FAKE_LR_EOI     (UINT64_C(1) << 41)

struct vgic_fake_hw {
    unsigned nr_lrs;
    uint64_t vtr;
    uint64_t lr[VGIC_FAKE_MAX_LRS];
    uint64_t hcr;
    uint64_t vmcr;
    uint32_t ap0r[4];
    uint32_t ap1r[4];
    unsigned lr_writes;       /* number of ICH_LR<n>_EL2 writes */
    unsigned vtr_reads;       /* ICH_VTR_EL2 reads (arch_vgic_nr_lrs is one too) */
    unsigned elrsr_reads;     /* ICH_ELRSR_EL2 reads */
    unsigned hcr_writes;      /* ICH_HCR_EL2 writes */
    unsigned hw_deactivations; /* physical deactivations done through an LR HW bit */
    uint32_t last_hw_deactivated;
};

/* One instance shared by every translation unit of a test program. */
__attribute__((weak)) struct vgic_fake_hw vgic_fake;

static inline void vgic_fake_reset(void)
{
    vgic_fake = (struct vgic_fake_hw){
        .nr_lrs = VGIC_FAKE_NR_LRS,
        /* PRIbits = 4 (5 bits), PREbits = 4 (5 bits), ListRegs = nr_lrs - 1 */
        .vtr = (UINT64_C(4) << 29) | (UINT64_C(4) << 26) | (VGIC_FAKE_NR_LRS - 1),
    };
}

static inline uint64_t arch_vgic_read_vtr(void)
{
    vgic_fake.vtr_reads++;
    return vgic_fake.vtr;
}

static inline unsigned arch_vgic_nr_lrs(void)
{
    vgic_fake.vtr_reads++;
    return (unsigned)(vgic_fake.vtr & 0x1f) + 1;
}

static inline uint64_t arch_vgic_read_lr(unsigned i)
{
    return i < vgic_fake.nr_lrs ? vgic_fake.lr[i] : 0;
}

static inline void arch_vgic_write_lr(unsigned i, uint64_t v)
{
    if (i < vgic_fake.nr_lrs) {
        vgic_fake.lr[i] = v;
        vgic_fake.lr_writes++;
    }
}

static inline bool vgic_fake_lr_invalid(uint64_t lr)
{
    return (lr & (VGIC_FAKE_LR_PENDING | VGIC_FAKE_LR_ACTIVE)) == 0;
}

static inline uint32_t arch_vgic_read_elrsr(void)
{
    uint32_t m = 0;

    vgic_fake.elrsr_reads++;
    for (unsigned i = 0; i < vgic_fake.nr_lrs; i++) {
        uint64_t lr = vgic_fake.lr[i];
        if (vgic_fake_lr_invalid(lr) && ((lr & VGIC_FAKE_LR_HW) || !(lr & VGIC_FAKE_LR_EOI))) {
            m |= UINT32_C(1) << i;
        }
    }
    return m;
}

static inline uint32_t arch_vgic_read_eisr(void)
{
    uint32_t m = 0;

    for (unsigned i = 0; i < vgic_fake.nr_lrs; i++) {
        uint64_t lr = vgic_fake.lr[i];
        if (vgic_fake_lr_invalid(lr) && !(lr & VGIC_FAKE_LR_HW) && (lr & VGIC_FAKE_LR_EOI)) {
            m |= UINT32_C(1) << i;
        }
    }
    return m;
}

static inline uint32_t arch_vgic_read_misr(void)
{
    unsigned valid = 0, pending = 0;
    uint32_t misr = 0;

    for (unsigned i = 0; i < vgic_fake.nr_lrs; i++) {
        valid += !vgic_fake_lr_invalid(vgic_fake.lr[i]);
        pending += (vgic_fake.lr[i] & VGIC_FAKE_LR_PENDING) != 0;
    }
    if (!(vgic_fake.hcr & 1)) {
        return 0;
    }
    misr |= arch_vgic_read_eisr() ? 1u : 0u;                   /* EOI */
    misr |= ((vgic_fake.hcr & 2) && valid <= 1) ? 2u : 0u;     /* U */
    misr |= ((vgic_fake.hcr & 8) && pending == 0) ? 8u : 0u;   /* NP */
    return misr;
}

static inline uint64_t arch_vgic_read_hcr(void)
{
    return vgic_fake.hcr;
}

static inline void arch_vgic_write_hcr(uint64_t v)
{
    vgic_fake.hcr = v;
    vgic_fake.hcr_writes++;
}

static inline uint64_t arch_vgic_read_vmcr(void)
{
    return vgic_fake.vmcr;
}

static inline void arch_vgic_write_vmcr(uint64_t v)
{
    vgic_fake.vmcr = v;
}

static inline void arch_vgic_write_ap0r(unsigned n, uint32_t v)
{
    if (n < 4) {
        vgic_fake.ap0r[n] = v;
    }
}

static inline uint32_t arch_vgic_read_ap0r(unsigned n)
{
    return n < 4 ? vgic_fake.ap0r[n] : 0;
}

static inline uint32_t arch_vgic_read_ap1r(unsigned n)
{
    return n < 4 ? vgic_fake.ap1r[n] : 0;
}

static inline void arch_vgic_write_ap1r(unsigned n, uint32_t v)
{
    if (n < 4) {
        vgic_fake.ap1r[n] = v;
    }
}

/* ---- the guest side, for tests ---- */

/* LR index holding vINTID intid, or -1. */
static inline int vgic_fake_find(uint32_t intid)
{
    for (unsigned i = 0; i < vgic_fake.nr_lrs; i++) {
        if (!vgic_fake_lr_invalid(vgic_fake.lr[i]) && (uint32_t)vgic_fake.lr[i] == intid) {
            return (int)i;
        }
    }
    return -1;
}

/* The guest acknowledged LR i (pending -> active). Returns false if it was not pending-only. */
static inline bool vgic_fake_guest_ack(unsigned i)
{
    uint64_t st = vgic_fake.lr[i] & (VGIC_FAKE_LR_PENDING | VGIC_FAKE_LR_ACTIVE);

    if (st != VGIC_FAKE_LR_PENDING) {
        return false;
    }
    vgic_fake.lr[i] = (vgic_fake.lr[i] & ~VGIC_FAKE_LR_PENDING) | VGIC_FAKE_LR_ACTIVE;
    return true;
}

/* The guest deactivated LR i (EOImode 0 EOI or DIR): active cleared, HW link followed. */
static inline bool vgic_fake_guest_eoi(unsigned i)
{
    if (!(vgic_fake.lr[i] & VGIC_FAKE_LR_ACTIVE)) {
        return false;
    }
    vgic_fake.lr[i] &= ~VGIC_FAKE_LR_ACTIVE;
    if (vgic_fake.lr[i] & VGIC_FAKE_LR_HW) {
        vgic_fake.hw_deactivations++;
        vgic_fake.last_hw_deactivated = (uint32_t)((vgic_fake.lr[i] >> 32) & 0x1fff);
    }
    return true;
}
