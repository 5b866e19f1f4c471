// SPDX-License-Identifier: MIT
/*
 * Boot: the boot CPU discovers the platform from the device tree QEMU (or a boot loader)
 * passed in x0, turns on the EL2 MMU and the GIC, opens the boot bundle, validates the
 * scenario with the same code as the host checker, builds every VM whose configuration is
 * good, brings the other CPUs up with PSCI CPU_ON and starts the VMs.
 */
#include <libfdt.h>

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <core/bundle.h>
#include <core/config.h>
#include <core/console.h>
#include <core/hyp.h>
#include <core/platinfo.h>
#include <core/vm.h>
#include <core/vm_build.h>
#include <drivers/gicv3.h>
#include <drivers/uart_pl011.h>
#include <lib/fmt.h>
#include <lib/string.h>

#include "../arch/aarch64/mmu.h"
#include "../arch/aarch64/trap.h"

struct platinfo hyp_plat;
static struct cfg_scenario scenario;
/* The scenario blob, copied out of the FIT (whose data is only 4-byte aligned; libfdt wants 8). */
static uint8_t scenario_copy[64 * 1024] __attribute__((aligned(8)));
static const void *boot_fit;
extern char __image_start[], __image_end[];
void secondary_entry(void);
void boot_primary(const void *fdt);

void hyp_printf(const char *fmt, ...)
{
    char line[256];
    va_list ap;

    va_start(ap, fmt);
    int n = bh_vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(line) - 2) {
        n = (int)sizeof(line) - 2;
    }
    line[n] = '\n';
    line[n + 1] = '\0';
    console_puts(line);
}

void bh_panic(const char *file, int line, const char *msg)
{
    hyp_printf("bulkhead: PANIC %s:%d: %s (cpu %u)", file, line, msg, arch_cpu_id());
    for (;;) {
        wfe();
    }
}

static void con_putc(char c)
{
    pl011_putc(c);
}

static void con_input(unsigned vm, uint8_t c)
{
    if (vm < vm_count && vms[vm].state == VM_RUNNING) {
        vuart_rx_push(&vms[vm].vuart, c);
    }
}

static void con_command(char cmd)
{
    if (cmd == CONSOLE_CMD_STATS) {
        vm_print_stats();
    }
}

static void cfg_error(void *ctx, const char *msg)
{
    (void)ctx;
    hyp_printf("bulkhead: config error: %s", msg);
}

static int cfg_image_size(void *ctx, const char *path, uint64_t *size)
{
    struct bundle_image img;

    (void)ctx;
    if (bundle_find(boot_fit, path, &img) != 0) {
        return -BH_ENOENT;
    }
    *size = img.size;
    return 0;
}

static void start_secondaries(void)
{
    for (unsigned cpu = 1; cpu < pcpu_count; cpu++) {
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

static int platform_setup(const void *fdt)
{
    if (mmu_init(hyp_plat.ram.pa, hyp_plat.ram.size) ||
        mmu_map_device(hyp_plat.gicd.pa, hyp_plat.gicd.size) ||
        mmu_map_device(hyp_plat.gicr.pa, hyp_plat.gicr.size) ||
        (hyp_plat.has_uart && mmu_map_device(hyp_plat.uart.pa, hyp_plat.uart.size))) {
        hyp_printf("bulkhead: cannot build the EL2 page tables");
        return -BH_ENOMEM;
    }
    mmu_enable();
    pcpu_count = hyp_plat.cpu_count;
    for (unsigned i = 0; i < pcpu_count; i++) {
        pcpus[i].id = i;
        pcpus[i].mpidr = hyp_plat.mpidr[i];
    }
    pcpus[0].online = true;
    gicv3_init(hyp_plat.gicd.pa, hyp_plat.gicr.pa, hyp_plat.gicr.size);
    pcpu_local_init();
    if (hyp_plat.has_uart && hyp_plat.uart_intid != PLATINFO_NO_INTID) {
        gicv3_route_spi(hyp_plat.uart_intid, pcpus[0].mpidr);
        gicv3_enable(hyp_plat.uart_intid, true);
        pl011_enable_rx_irq();
    }
    vm_ram_init(hyp_plat.ram.pa, hyp_plat.ram.size);
    vm_ram_reserve((uint64_t)(uintptr_t)__image_start,
                   (uint64_t)(__image_end - __image_start));
    vm_ram_reserve((uint64_t)(uintptr_t)fdt, fdt_totalsize(fdt));
    return 0;
}

static int open_bundle(const char **file, const void **scen)
{
    if (!hyp_plat.has_initrd) {
        hyp_printf("bulkhead: no boot bundle (pass it as the initrd)");
        return -BH_ENOENT;
    }
    boot_fit = (const void *)(uintptr_t)hyp_plat.initrd_start;
    uint64_t size = hyp_plat.initrd_end - hyp_plat.initrd_start;
    vm_ram_reserve(hyp_plat.initrd_start, size);
    if (bundle_open(boot_fit, size) || bundle_scenario(boot_fit, scen, file)) {
        hyp_printf("bulkhead: the boot bundle is not a valid FIT image with a scenario");
        return -BH_EINVAL;
    }
    const uint8_t *p = *scen;
    uint32_t total = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
    if (total > sizeof(scenario_copy)) {
        hyp_printf("bulkhead: %s: the scenario in the bundle is too large", *file);
        return -BH_EINVAL;
    }
    memcpy(scenario_copy, *scen, total);
    *scen = scenario_copy;
    platinfo_reserve(&hyp_plat, (uint64_t)(__image_end - __image_start) + size +
                                    UINT64_C(0x400000));
    return 0;
}

static unsigned build_vms(const char *file, const void *scen)
{
    const struct cfg_hooks hooks = { .ctx = NULL, .error = cfg_error,
                                     .image_size = cfg_image_size };
    unsigned good = 0;

    if (cfg_parse(scen, file, &hyp_plat, &hooks, &scenario) != 0) {
        return 0;
    }
    vm_count = scenario.vm_count;
    for (unsigned i = 0; i < scenario.vm_count; i++) {
        const struct cfg_vm *cfg = &scenario.vms[i];
        vms[i].name = cfg->name;
        vms[i].id = i;
        vms[i].state = VM_REFUSED;
        if (!cfg->valid) {
            const char *name = cfg->name[0] ? cfg->name : cfg->path;
            vms[i].name = name;
            evt_bucket_init(&vms[i].evt_bucket, arch_now_ns());
            hyp_printf("bulkhead: vm %s not started: configuration error", name);
            vm_event(&vms[i], "config_error", "node=%s action=refuse", cfg->path);
            continue;
        }
        if (vm_build(&vms[i], i, cfg, boot_fit) == 0) {
            good++;
        } else {
            vms[i].state = VM_REFUSED;
        }
    }
    return good;
}

void boot_primary(const void *fdt)
{
    static const struct console_hooks ch = { .putc = con_putc, .input_to_vm = con_input,
                                             .command = con_command };
    const char *file = NULL;
    const void *scen = NULL;

    if (platinfo_parse(fdt, &hyp_plat) != 0) {
        return; /* no console to complain on: park */
    }
    pl011_init(hyp_plat.has_uart ? hyp_plat.uart.pa : 0);
    console_init(&ch);
    hyp_printf("bulkhead: booting on %u cpus, %llu MiB RAM", hyp_plat.cpu_count,
               (unsigned long long)(hyp_plat.ram.size >> 20));
    if (platform_setup(fdt) || open_bundle(&file, &scen)) {
        arch_power_off();
    }
    unsigned good = build_vms(file, scen);
    start_secondaries();
    if (!good) {
        hyp_printf("bulkhead: no vm to run");
        hyp_printf("bulkhead: powering off");
        arch_power_off();
    }
    for (unsigned i = 0; i < vm_count; i++) {
        if (vms[i].state == VM_STOPPED) {
            vm_start(&vms[i]);
        }
    }
    hyp_printf("bulkhead: all vms started");
    if (arch_bench_cycles()) {
        hyp_printf("bulkhead: bench boot_insns_all_started=%llu hash_insns=%llu hash_bytes=%llu",
                   (unsigned long long)arch_bench_cycles(), (unsigned long long)bench_hash_insns,
                   (unsigned long long)bench_hash_bytes);
    }
    pcpu_idle();
}
