/* SPDX-License-Identifier: MIT */
/*
 * A VM's emulated MMIO windows. Each virtual device registers the guest-physical window it
 * answers (the vGIC's distributor and redistributors, the UART, the IPC register pages, the
 * notification GPIOs, ...); the stage-2 abort path decodes the access once, looks the faulting
 * IPA up here and calls the device. A device never touches arch/, and arch/ knows no device
 * (the model of Linux KVM's kvm_io_bus and Xen's register_mmio_handler).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

struct vcpu;

/*
 * One access of size bytes (1, 2, 4 or 8) at offset off inside the window: *val is the value
 * written (zero-extended) or receives the value read. Returns 0, or nonzero for an access the
 * device does not have at that offset and width (the caller records mmio_deny and injects an
 * external abort, as hardware would). Called on the accessing vCPU's pCPU; may sleep (IPC).
 * Usually called from the data-abort vector itself (arch/aarch64/vectors.S guest_dabt, which
 * reads this file's structures through asm-offsets.c) as an ordinary AAPCS64 function.
 */
typedef int (*mmio_access_fn)(struct vcpu *v, void *dev, uint64_t off, unsigned size,
                              bool write, uint64_t *val);

struct mmio_region {
    uint64_t ipa;
    uint64_t size;
    mmio_access_fn access;
    void *dev;
    const char *name;
};

#define MMIO_MAX_REGIONS 12

/*
 * The virtual platform's device area (core/config/config.h VPLAT_*: GIC, UART, IPC pages,
 * GPIOs, management, virtio) in 64 KiB granules: a granule that one window alone touches
 * names it, so the abort path finds any device there in a few steps, wherever it sits in the
 * sorted array. Granules several windows share, and addresses outside the area, are searched.
 */
#define MMIO_FAST_BASE   UINT64_C(0x08000000)
#define MMIO_FAST_SHIFT  16
#define MMIO_FAST_SLOTS  1024u /* 64 MiB */
#define MMIO_SLOT_SEARCH 0xffu

/* The windows of one VM, sorted by address, never overlapping. */
struct mmio_bus {
    unsigned count;
    struct mmio_region regions[MMIO_MAX_REGIONS];
    /* per granule: 0 no window, i + 1 regions[i] alone, MMIO_SLOT_SEARCH several */
    uint8_t slot[MMIO_FAST_SLOTS];
};
_Static_assert(MMIO_MAX_REGIONS < MMIO_SLOT_SEARCH, "slot values");

void mmio_bus_init(struct mmio_bus *bus);

/*
 * Add the window [ipa, ipa + size) served by access(dev). Boot and VM build only (not
 * concurrent with lookups of the same bus). Returns -BH_EINVAL for an empty or wrapping
 * window, -BH_EEXIST when it overlaps one already registered, -BH_ENOMEM when the bus is full.
 */
int mmio_register(struct mmio_bus *bus, const char *name, uint64_t ipa, uint64_t size,
                  mmio_access_fn access, void *dev) BH_MUST_CHECK;

/* The window holding ipa, or NULL. */
const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t ipa);

/*
 * What a load of size bytes (1, 2, 4 or 8) puts into its register from the value the device
 * returned: only the access's bytes, whatever else the device left above them, zero- or
 * (sse: LDRSB, LDRSH, LDRSW) sign-extended from there, then the low 32 bits of a W register
 * (!sf) (ESR_EL2 ISS SAS, SSE, SF: ARM DDI 0487 D17.2.37). arch/aarch64/dabt.c uses it;
 * vectors.S guest_dabt does the same in assembly.
 */
static inline uint64_t mmio_load_value(uint64_t raw, unsigned size, bool sse, bool sf)
{
    uint64_t x = raw;

    if (size < 8) {
        uint64_t mask = (UINT64_C(1) << (size * 8)) - 1;
        x &= mask;
        if (sse && (x & (UINT64_C(1) << (size * 8 - 1)))) {
            x |= ~mask;
        }
    }
    return sf ? x : (x & 0xffffffffu);
}
