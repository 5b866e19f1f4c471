/* SPDX-License-Identifier: MIT */
/* The device tree a VM boots with, generated from its configuration (never from the host's). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/errno.h>
#include <core/config/config.h>

/* Where the images sit in guest-physical memory (filled by the VM builder). */
struct guest_fdt_layout {
    uint64_t initrd_ipa;
    uint64_t initrd_size; /* 0: no initrd */
    const struct cfg_scenario *sc; /* for the channels the VM may use (NULL: none) */
    unsigned vm_index;
    bool gic_v2; /* a GICv2 node (GICD + GICC) instead of the GICv3 one */
};

/*
 * Write the VM's device tree into buf (size bytes): memory, cpus (enable-method psci), psci
 * (method hvc), the GICv3 (distributor, one redistributor frame per vCPU, maintenance PPI),
 * the architected timer, the PMU (overflow PPI), the PL011 with its clock, chosen (bootargs, stdout-path, initrd) and
 * one node per pass-through device. Uses libfdt's sequential-write API, so it must run where
 * FP/SIMD use is allowed (boot). Returns the blob size, or -BH_ENOMEM if buf is too small.
 */
int guest_fdt_build(const struct cfg_vm *vm, const struct guest_fdt_layout *lay, void *buf,
                    size_t size);
