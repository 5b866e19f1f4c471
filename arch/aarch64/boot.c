// SPDX-License-Identifier: MIT
/*
 * Boot-CPU and secondary bring-up at EL2: platform discovery from the device tree in x0, the
 * console, the EL2 MMU (arch/aarch64/mmu.c), the physical GIC, and PSCI CPU_ON of the other
 * CPUs through the firmware (DEN0022). Then the portable hypervisor (core/main.c) takes over.
 */
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <arch/vgic_gich.h>
#include <core/hyp.h>
#include <core/platinfo.h>
#include <drivers/gic.h>
#include <drivers/pvpanic.h>
#include <drivers/uart.h>

#include "mmu.h"
#include "trap.h"

extern char __image_start[], __image_end[];
void secondary_entry(void);
void boot_primary(const void *fdt);
void boot_wrong_el(const void *fdt, unsigned el);

void arch_image_bounds(uint64_t *start, uint64_t *size)
{
    *start = (uint64_t)(uintptr_t)__image_start;
    *size = (uint64_t)(__image_end - __image_start);
}

#if PLAT_GIC_VERSION == 2
uint64_t arch_gich_base;

/* GICv2: the CPU interface (GICC) and the virtual interface control (GICH) frames. */
static int map_gic(const struct platinfo *plat)
{
    return mmu_map_device(plat->gicc.pa, plat->gicc.size) ||
           mmu_map_device(plat->gich.pa, plat->gich.size) ? -BH_ENOMEM : 0;
}

static void init_gic(const struct platinfo *plat)
{
    arch_gich_base = plat->gich.pa;
    gicv2_init(plat->gicd.pa, plat->gicc.pa);
}
#else
static int map_gic(const struct platinfo *plat)
{
    return mmu_map_device(plat->gicr.pa, plat->gicr.size) ? -BH_ENOMEM : 0;
}

static void init_gic(const struct platinfo *plat)
{
    gicv3_init(plat->gicd.pa, plat->gicr.pa, plat->gicr.size);
}
#endif

int arch_platform_init(const struct platinfo *plat)
{
    /* platinfo accepted only the GIC this build drives (PLAT_GIC_VERSION, drivers/gic.h) */
    if (mmu_init(plat->ram.pa, plat->ram.size) ||
        mmu_map_device(plat->gicd.pa, plat->gicd.size) || map_gic(plat) != 0 ||
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
    init_gic(plat);
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

/* The console's driver: the tree's UART, or the board's default when it names none. */
static void (*boot_console(void))(char)
{
    return uart_select(hyp_plat.uart_kind, hyp_plat.has_uart ? hyp_plat.uart.pa : 0)->putc;
}

void boot_primary(const void *fdt)
{
    int ret = platinfo_parse(fdt, &hyp_plat);
    void (*putc)(char) = boot_console();

    if (ret != 0) {
        hyp_fatal(putc, "host device tree: %s", hyp_plat.error);
    }
    if (!hyp_plat.has_uart) {
        hyp_fatal(putc, "host device tree: no console UART this build drives (arm,pl011, "
                  "cdns,uart-r1p12): /chosen stdout-path names none");
    }
    hyp_main(fdt, putc);
}

/*
 * head.S found the CPU at another exception level than EL2 (a boot loader or QEMU without
 * virtualization=on): say so on the tree's console, or the board's default UART, and park.
 * Runs with the MMU off, at EL1 (FP enabled by head.S) or EL3: plain C and MMIO only.
 */
void boot_wrong_el(const void *fdt, unsigned el)
{
    if (platinfo_parse(fdt, &hyp_plat) != 0) {
        /* the console fields are valid whatever failed after them (platinfo.h) */
    }
    hyp_fatal(boot_console(), "entered at EL%u, need EL2 (QEMU: -M %s,virtualization=on)", el,
              PLAT_QEMU_MACHINE);
}
