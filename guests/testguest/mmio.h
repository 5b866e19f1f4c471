/* SPDX-License-Identifier: MIT */
/*
 * Device register accessors. Every access is one 32-bit LDR/STR with a plain base register:
 * a hypervisor emulating the device by trapping gets a valid ISV syndrome (ARM ARM D13.2.39)
 * for exactly these forms, never for LDP/STP or writeback addressing.
 */
#pragma once

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
    uint32_t val;

    __asm__ volatile("ldr %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
    return val;
}

static inline void mmio_write32(uintptr_t addr, uint32_t val)
{
    __asm__ volatile("str %w0, [%1]" : : "rZ"(val), "r"(addr) : "memory");
}
