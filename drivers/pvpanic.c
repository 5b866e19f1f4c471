// SPDX-License-Identifier: MIT
/*
 * pvpanic-pci, the one way a guest of QEMU 7.2's virt machine can make QEMU exit with a
 * failure status: PSCI SYSTEM_OFF and SYSTEM_RESET (with -no-reboot) both exit 0, and
 * semihosting would also let every EL1 guest stop QEMU or open host files. No firmware
 * enumerates PCI here, so the BAR is assigned by hand (PCI Local Bus 3.0, 6.2.5).
 */
#include <drivers/pvpanic.h>

#define ECAM_DEV_SHIFT     15 /* bus 0: device << 15 | function << 12 | register */
#define PCI_DEVICES        32
#define PCI_ID             0x00 /* vendor (15:0), device (31:16) */
#define PCI_COMMAND        0x04
#define PCI_BAR0           0x10
#define PCI_COMMAND_MEMORY 0x2
#define PVPANIC_PCI_ID     ((UINT32_C(0x0011) << 16) | UINT32_C(0x1b36))
#define PVPANIC_PANICKED   0x1

static inline uint32_t rd32(uint64_t pa)
{
    return *(volatile uint32_t *)(uintptr_t)pa;
}

static inline void wr32(uint64_t pa, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)pa = v;
}

bool pvpanic_signal(uint64_t ecam, uint64_t bar_pa)
{
    for (uint64_t dev = 0; dev < PCI_DEVICES; dev++) {
        uint64_t cfg = ecam + (dev << ECAM_DEV_SHIFT);
        if (rd32(cfg + PCI_ID) != PVPANIC_PCI_ID) {
            continue;
        }
        wr32(cfg + PCI_BAR0, (uint32_t)bar_pa);
        wr32(cfg + PCI_COMMAND, rd32(cfg + PCI_COMMAND) | PCI_COMMAND_MEMORY);
        __asm__ volatile("dsb sy" ::: "memory");
        *(volatile uint8_t *)(uintptr_t)bar_pa = PVPANIC_PANICKED;
        __asm__ volatile("dsb sy" ::: "memory");
        return true;
    }
    return false;
}
