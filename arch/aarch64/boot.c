// SPDX-License-Identifier: MIT
/*
 * Boot-CPU and secondary bring-up at EL2: platform discovery from the device tree in x0, the
 * console, the EL2 MMU (arch/aarch64/mmu.c), the physical GIC, and PSCI CPU_ON of the other
 * CPUs through the firmware (DEN0022). Then the portable hypervisor (core/main.c) takes over.
 */
#include <arch/cpu.h>
#include <arch/vgic_hw.h>
#include <arch/sysreg.h>
#include <core/hyp.h>
#include <core/platinfo.h>
#include <drivers/gic.h>
#include <drivers/pvpanic.h>
#include <drivers/uart_pl011.h>

#include "mmu.h"
#include "trap.h"

extern char __image_start[], __image_end[];
void secondary_entry(void);
void boot_primary(const void *fdt);

void arch_image_bounds(uint64_t *start, uint64_t *size)
{
    *start = (uint64_t)(uintptr_t)__image_start;
    *size = (uint64_t)(__image_end - __image_start);
}

int arch_platform_init(const struct platinfo *plat)
{
    bool v2 = plat->gic_version == 2;

    if (v2) {
        arch_gic_select_v2(); /* before mmu_enable: the text is still writable */
    }
    if (mmu_init(plat->ram.pa, plat->ram.size) ||
        mmu_map_device(plat->gicd.pa, plat->gicd.size) ||
        (!v2 && mmu_map_device(plat->gicr.pa, plat->gicr.size)) ||
        (v2 && (mmu_map_device(plat->gicc.pa, plat->gicc.size) ||
                mmu_map_device(plat->gich.pa, plat->gich.size))) ||
        (plat->has_uart && mmu_map_device(plat->uart.pa, plat->uart.size))) {
        return -BH_ENOMEM;
    }
    /* pvpanic-pci, for a failure exit status (arch_power_off_failure): bus 0 and one page */
    if (plat->has_pci && plat->pci_mem32.size != 0 &&
        (mmu_map_device(plat->pci_ecam.pa, PVPANIC_ECAM_BUS0) ||
         mmu_map_device(plat->pci_mem32.pa, PT_PAGE_SIZE))) {
        return -BH_ENOMEM;
    }
    mmu_enable();
    sysreg_table_check();
    pcpu_count = plat->cpu_count;
    for (unsigned i = 0; i < pcpu_count; i++) {
        pcpus[i].id = i;
        pcpus[i].mpidr = plat->mpidr[i];
        pcpus[i].kick_sgi1r = gic_sgi_value(GIC_SGI_KICK, plat->mpidr[i]);
    }
    pcpus[0].online = true;
    if (arch_smccc_init() != 0) {
        return -BH_EEXIST;
    }
    if (v2) {
        gicv2_init(plat->gicd.pa, plat->gicc.pa);
        vgic_hw_select_v2(plat->gich.pa);
    } else {
        gicv3_init(plat->gicd.pa, plat->gicr.pa, plat->gicr.size);
    }
    pcpu_local_init();
    if (plat->has_uart && plat->uart_intid != PLATINFO_NO_INTID) {
        gic_route_spi(plat->uart_intid, pcpus[0].mpidr);
        gic_enable(plat->uart_intid, true);
        arch_console_rx_init();
    }
    return 0;
}

void arch_start_secondaries(void)
{
    for (unsigned cpu = 1; cpu < pcpu_count; cpu++) {
        /* QEMU's PSCI looks CPUs up by their exact affinity: bit 31 (RES1) must be clear. */
        uint64_t r = smccc_smc(PSCI_CPU_ON_64, pcpus[cpu].mpidr & ~BIT(31),
                               (uint64_t)(uintptr_t)secondary_entry, cpu);
        if (r != 0) {
            hyp_printf("bulkhead: cpu %u did not start (psci %lld)", cpu, (long long)r);
            continue;
        }
        while (!pcpus[cpu].online) {
            wfe();
        }
    }
}

void boot_primary(const void *fdt)
{
    if (platinfo_parse(fdt, &hyp_plat) != 0) {
        return; /* no console to complain on: head.S parks the CPU */
    }
    pl011_init(hyp_plat.has_uart ? hyp_plat.uart.pa : 0);
    hyp_main(fdt, pl011_putc);
}
