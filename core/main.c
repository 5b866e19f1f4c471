// SPDX-License-Identifier: MIT
/*
 * Boot: the boot CPU discovers the platform from the device tree QEMU (or a boot loader)
 * passed in x0, turns on the EL2 MMU and the GIC, opens the boot bundle, validates the
 * scenario with the same code as the host checker, builds every VM whose configuration is
 * good, brings the other CPUs up with PSCI CPU_ON and starts the VMs.
 */
#include <stdarg.h>

#include <libfdt.h>

#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <core/vm/bundle.h>
#include <core/config/config.h>
#include <core/console.h>
#include <core/event.h>
#include <core/hyp.h>
#include <core/platinfo.h>
#include <core/vm/vm.h>
#include <core/vm/vm_build.h>
#include <core/vm/vm_measure.h>
#include <core/vm/vm_console.h>
#include <core/ipc/vm_ipc.h>
#include <lib/fmt.h>
#include <lib/range.h>
#include <lib/string.h>


struct platinfo hyp_plat;
static struct cfg_scenario scenario;
/* The scenario blob, copied out of the FIT (whose data is only 4-byte aligned; libfdt wants 8). */
static uint8_t scenario_copy[64 * 1024] __attribute__((aligned(8), section(".noclear")));
static const void *boot_fit;

void bh_panic(const char *file, int line, const char *msg)
{
    hyp_printf("bulkhead: PANIC %s:%d: %s (cpu %u)", file, line, msg, arch_cpu_id());
    for (;;) {
        wfe();
    }
}

void hyp_fatal(void (*putc)(char), const char *fmt, ...)
{
    static const char prefix[] = "bulkhead: fatal: ";
    char line[PLATINFO_ERROR_MAX + 96];
    va_list ap;

    va_start(ap, fmt);
    bh_vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    for (size_t i = 0; prefix[i] != '\0'; i++) {
        putc(prefix[i]);
    }
    for (size_t i = 0; line[i] != '\0'; i++) {
        putc(line[i]);
    }
    putc('\n');
    for (;;) {
        wfi();
    }
}

int hyp_console_drain_cpu = -1;

/* A real-time VM appended console output: its pCPU never writes the UART, the drain pCPU does
 * (on the kick, arch irq code), or this one when there is no other (docs/CONSOLE.md). */
static void con_kick_drainer(void)
{
    int cpu = hyp_console_drain_cpu;

    if (cpu < 0 || (unsigned)cpu == arch_cpu_id()) {
        console_drain();
        return;
    }
    arch_kick((unsigned)cpu);
}

/* The drain pCPU: the first pCPU of the first VM without a priority (not real-time); none
 * when no VM is real-time (then nobody needs one and kicks skip the check). It also takes the
 * UART's interrupt, so typing at the console never interrupts a real-time VM's pCPU. */
static void pick_console_drainer(void)
{
    bool any_rt = false;

    for (unsigned i = 0; i < vm_count; i++) {
        any_rt = any_rt || (vms[i].cfg && vms[i].cfg->valid && vms[i].cfg->priority > 0);
    }
    for (unsigned i = 0; any_rt && i < vm_count; i++) {
        const struct cfg_vm *cfg = vms[i].cfg;
        if (cfg && cfg->valid && vms[i].state != VM_REFUSED && cfg->priority == 0) {
            hyp_console_drain_cpu = (int)cfg->cpus[0];
            /* keys and console commands (a start clears a VM's RAM) go there too */
            arch_console_rx_route(cfg->cpus[0]);
            return;
        }
    }
}

/*
 * The round-robin time slice (a platform quirk, docs/VIRTUAL-CPU.md): when the scenario has a
 * real-time VM, every pCPU of a VM without a priority gets it, so that no busy neighbour holds
 * an emulator's single host thread past it; real-time pCPUs never do. slice_us 0: off.
 */
static void pick_rt_slice(uint32_t slice_us)
{
    bool any_rt = false;
    char list[3 * PLATINFO_MAX_CPUS + 1] = "";
    size_t n = 0;

    for (unsigned i = 0; i < vm_count; i++) {
        any_rt = any_rt || (vms[i].cfg && vms[i].cfg->valid && vms[i].state != VM_REFUSED &&
                            vms[i].cfg->priority > 0);
    }
    for (unsigned i = 0; any_rt && slice_us && i < vm_count; i++) {
        const struct cfg_vm *cfg = vms[i].cfg;
        if (!cfg || !cfg->valid || vms[i].state == VM_REFUSED || cfg->priority > 0) {
            continue;
        }
        for (unsigned k = 0; k < cfg->vcpu_count && n + 4 < sizeof(list); k++) {
            if (cfg_sched_is_shared(&scenario, cfg->cpus[k])) {
                continue; /* its scheduler's own events end QEMU's turns there */
            }
            arch_rt_slice_enable(cfg->cpus[k], slice_us);
            n += (size_t)bh_snprintf(list + n, sizeof(list) - n, "%s%u", n ? "," : "",
                                     cfg->cpus[k]);
        }
    }
    if (n) {
        hyp_printf("bulkhead: rt slice %u us on cpus %s", slice_us, list);
    } else if (any_rt && slice_us == 0) {
        hyp_printf("bulkhead: rt slice off"); /* rt-slice-us = <0>, or a board without it */
    }
}

static void cfg_error(void *ctx, const char *msg)
{
    (void)ctx;
    hyp_printf("bulkhead: config error: %s", msg);
}

static int cfg_image(void *ctx, const char *path, struct cfg_image *out)
{
    struct bundle_image img;

    (void)ctx;
    if (bundle_find(boot_fit, path, &img) != 0) {
        return -BH_ENOENT;
    }
    out->size = img.size;
    out->head_len = img.size < CFG_IMAGE_HEAD ? (uint32_t)img.size : CFG_IMAGE_HEAD;
    memcpy(out->head, img.data, out->head_len);
    return 0;
}

/* [pa, pa + size) lies in the hypervisor's reserve, below the VMs' RAM (PLATINFO_HYP_RESERVE). */
static bool in_hyp_reserve(const char *what, uint64_t pa, uint64_t size)
{
    if (pa >= hyp_plat.ram.pa && range_fits(pa - hyp_plat.ram.pa, size, PLATINFO_HYP_RESERVE)) {
        return true;
    }
    hyp_printf("bulkhead: the %s at 0x%llx+0x%llx is outside the hypervisor's %llu MiB at "
               "0x%llx: VM RAM would overlap it", what, (unsigned long long)pa,
               (unsigned long long)size, (unsigned long long)(PLATINFO_HYP_RESERVE >> 20),
               (unsigned long long)hyp_plat.ram.pa);
    return false;
}

/*
 * VMs get the RAM above the hypervisor's reserve, as the checker counts it (platinfo.h); the
 * image and the host device tree must lie inside the reserve (the bundle: open_bundle).
 */
static int reserve_boot_memory(const void *fdt)
{
    uint64_t img, img_size;

    arch_image_bounds(&img, &img_size);
    vm_ram_init(hyp_plat.vm_ram.pa, hyp_plat.vm_ram.size);
    vm_ram_reserve(img, img_size, "the hypervisor image");
    vm_ram_reserve((uint64_t)(uintptr_t)fdt, fdt_totalsize(fdt), "the host device tree");
    if (!in_hyp_reserve("hypervisor image", img, img_size) ||
        !in_hyp_reserve("host device tree", (uint64_t)(uintptr_t)fdt, fdt_totalsize(fdt))) {
        return -BH_EINVAL;
    }
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
    vm_ram_reserve(hyp_plat.initrd_start, size, "the boot bundle");
    if (!in_hyp_reserve("boot bundle", hyp_plat.initrd_start, size)) {
        return -BH_EINVAL;
    }
    uint64_t scen_size = 0;
    if (bundle_open(boot_fit, size) || bundle_scenario(boot_fit, scen, &scen_size, file)) {
        hyp_printf("bulkhead: the boot bundle is not a valid FIT image with a scenario");
        return -BH_EINVAL;
    }
    /* The copy is what cfg_parse reads: fdt_totalsize() bytes of it must be the blob's. */
    if (scen_size > sizeof(scenario_copy) || scen_size < sizeof(struct fdt_header) ||
        fdt_totalsize(*scen) > scen_size) {
        hyp_printf("bulkhead: %s: the scenario in the bundle is too large or truncated", *file);
        return -BH_EINVAL;
    }
    memcpy(scenario_copy, *scen, scen_size);
    *scen = scenario_copy;
    return 0;
}

/*
 * A refusal that belongs to no VM (a channel, the whole scenario) still gets its record, with
 * vm=- (docs/CONFIG.md "Refusals at boot"). At most CFG_MAX_CHANS + 1 lines, once, at boot:
 * no guest can trigger more, so no rate limit is needed.
 */
static void config_event(const char *fmt, ...)
{
    char line[EVT_LINE_MAX], fields[EVT_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    bh_vsnprintf(fields, sizeof(fields), fmt, ap);
    va_end(ap);
    evt_format(line, sizeof(line), "-", "config_error", "%s", fields);
    hyp_printf("%s", line);
}

static void report_bad_channels(void)
{
    for (unsigned id = 0; id < scenario.chan_count; id++) {
        const struct cfg_chan *ch = &scenario.chans[id];
        if (!ch->valid) {
            config_event("chan=%u node=/channels/%s action=refuse", id,
                         ch->name[0] ? ch->name : "?");
        }
    }
}

static unsigned build_vms(const char *file, const void *scen)
{
    const struct cfg_hooks hooks = { .ctx = NULL, .error = cfg_error,
                                     .image = cfg_image };
    unsigned good = 0;
    bool claimed[CFG_MAX_VMS];

    if (cfg_parse(scen, file, &hyp_plat, &hooks, &scenario) != 0) {
        config_event("node=/ action=refuse");
        return 0;
    }
    report_bad_channels();
    vm_count = scenario.vm_count;
    /* Identity maps first: channel memory and other VMs' RAM are carved around them. */
    for (unsigned i = 0; i < scenario.vm_count; i++) {
        claimed[i] = !scenario.vms[i].valid ||
                     vm_claim_identity(&vms[i], i, &scenario.vms[i]) == 0;
    }
    if (vm_ipc_init(&scenario) != 0) {
        hyp_printf("bulkhead: cannot set up the channels");
    }
    for (unsigned i = 0; i < scenario.vm_count; i++) {
        const struct cfg_vm *cfg = &scenario.vms[i];
        vms[i].name = cfg->name;
        vms[i].id = i;
        vms[i].state = VM_REFUSED;
        if (!cfg->valid) {
            const char *name = cfg->name[0] ? cfg->name : cfg->path;
            vms[i].name = name;
            evt_limiter_init(&vms[i].evt_limit, arch_now_ns());
            hyp_printf("bulkhead: vm %s not started: configuration error", name);
            vm_event(&vms[i], "config_error", "node=%s action=refuse", cfg->path);
            continue;
        }
        if (claimed[i] && vm_build(&vms[i], i, cfg, boot_fit) == 0) {
            good++;
        } else {
            vms[i].state = VM_REFUSED;
        }
    }
    return good;
}

void hyp_main(const void *fdt, void (*putc)(char))
{
    static struct console_hooks ch = { .input_ready = vm_console_input_ready,
                                       .vm_state = vm_console_state,
                                       .command = vm_console_command,
                                       .kick_drainer = con_kick_drainer,
                                       .now_ns = arch_now_ns,
                                       .rx_hold = arch_console_rx_hold,
                                       .arm_timer = arch_console_arm_timer };
    const char *file = NULL;
    const void *scen = NULL;

    ch.putc = putc;
    console_init(&ch);
    hyp_printf("bulkhead: booting on %u cpus, %llu MiB RAM", hyp_plat.cpu_count,
               (unsigned long long)(hyp_plat.ram.size >> 20));
    if (arch_platform_init(&hyp_plat) != 0) {
        hyp_printf("bulkhead: platform set-up failed");
        arch_power_off_failure();
    }
    if (reserve_boot_memory(fdt) != 0 || open_bundle(&file, &scen) != 0) {
        hyp_printf("bulkhead: powering off (failure)");
        arch_power_off_failure();
    }
    unsigned good = build_vms(file, scen);
    vm_measure_done();
    arch_sched_init(&scenario);
    pick_console_drainer();
    pick_rt_slice(cfg_rt_slice_us(&scenario, arch_rt_slice_default_us()));
    arch_start_secondaries();
    if (!good) {
        /* Every VM was refused: a failed boot, and the exit status says so (QEMU: 1). */
        hyp_printf("bulkhead: no vm to run");
        hyp_printf("bulkhead: powering off (failure)");
        arch_power_off_failure();
    }
    for (unsigned i = 0; i < vm_count; i++) {
        if (vms[i].state == VM_STOPPED && scenario.vms[i].autostart) {
            vm_start(&vms[i]);
        } else if (vms[i].state == VM_STOPPED) {
            vms[i].state = VM_DEFINED; /* a manager starts it (docs/MANAGEMENT.md) */
            hyp_printf("bulkhead: vm %s defined (autostart off)", vms[i].name);
        }
    }
    hyp_printf("bulkhead: all vms started");
    if (arch_bench_cycles()) {
        hyp_printf("bulkhead: bench boot_insns_all_started=%llu hash_insns=%llu hash_bytes=%llu",
                   (unsigned long long)arch_bench_cycles(), (unsigned long long)bench_hash_insns,
                   (unsigned long long)bench_hash_bytes);
    }
    arch_idle();
}
