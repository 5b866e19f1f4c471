// SPDX-License-Identifier: MIT
/*
 * Boot: testguest's start.S (Image header, self-relocation, BSS, boot stack) calls
 * tg_main() with the DTB address. We read the platform from the device tree, turn on the
 * MMU, bring up the GIC and the timer, create the idle task and the application's main
 * task, and start scheduling. Secondary CPUs are not started: the control VM has one vCPU.
 */
#include <rt/console.h>
#include <rt/ipc.h>
#include <rt/time.h>

#include "../apps/apps.h"
#include "bootargs.h"
#include "gic.h"
#include "kernel.h"
#include "platform.h"
#include "psci.h"
#include "uart.h"

#define APP_NAME_MAX    16 /* matches apps.c */
#define MAIN_STACK_SIZE 0x4000

/* What the reused testguest code expects the program to define. */
struct percpu percpu[TG_MAX_CPUS];
uint8_t tg_stacks[TG_MAX_CPUS][TG_STACK_SIZE] __aligned(TG_STACK_ALIGN);

/* Save areas for the vectors (arch.h): the running task's, and for kernel-context traps. */
struct rt_ctx *rt_cpu_ctx[RT_MAX_CPUS];
struct rt_ctx *rt_cpu_kctx[RT_MAX_CPUS];
static struct rt_ctx kernel_ctx[RT_MAX_CPUS];

static struct rt_task main_task;
RT_STACK_DEFINE(main_stack, MAIN_STACK_SIZE);

static void print_banner(const char *app, bool mmu)
{
    rt_printf("RT bulkhead-rtos app=%s cpus=%u mmu=%s timer_intid=%u freq_hz=%lu", app,
              plat.cpu_count, mmu ? "on" : "off", plat.timer_intid, rt_clock_hz());
    for (uint32_t i = 0; i < plat.mem_count; i++) {
        rt_printf("RT memory 0x%lx-0x%lx image 0x%lx-0x%lx", plat.mem[i].base,
                  plat.mem[i].base + plat.mem[i].size, (uintptr_t)_head, (uintptr_t)_end);
    }
    if (plat.gic_v2) {
        rt_printf("RT uart=0x%lx gicd=0x%lx gicc=0x%lx (GICv2) psci=%s", plat.uart_base,
                  plat.gicd_base, plat.gicc_base, plat.psci == PSCI_CONDUIT_SMC ? "smc" : "hvc");
    } else {
        rt_printf("RT uart=0x%lx gicd=0x%lx gicr=0x%lx psci=%s", plat.uart_base, plat.gicd_base,
                  plat.gicr_base, plat.psci == PSCI_CONDUIT_SMC ? "smc" : "hvc");
    }
    if (plat.defaulted[0]) {
        rt_printf("RT INFO DT gave no usable value for: %s (defaults used)", plat.defaulted);
    }
}

/* DT, console, MMU, GIC: everything the kernel needs from the platform. */
static bool boot_platform(uintptr_t dtb_pa)
{
    struct percpu *pc = &percpu[0];

    for (uint32_t i = 0; i < RT_MAX_CPUS; i++) {
        rt_cpu_kctx[i] = &kernel_ctx[i];
        rt_cpu_ctx[i] = &kernel_ctx[i];
        rt_cpus[i].idx = i;
    }
    pc->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
    platform_init(dtb_pa);
    /* hypervisor IPC objects: read now, while libfdt may still use FP/SIMD */
    ipc_boot_scan(plat.dtb_ok ? (const void *)plat.dtb_pa : NULL);
    /*
     * libfdt was the only FP/SIMD user and task contexts do not hold FP registers: trap
     * FP from now on, so a stray FP instruction faults its task instead of corrupting another.
     */
    write_sysreg(0, cpacr_el1);
    isb();
    uart_init(plat.uart_base);
    psci_set_conduit(plat.psci);
    bool mmu = arch_mmu_enable();

    gic_dist_init();
    if (!gic_cpu_init()) {
        rt_panic("no redistributor for mpidr 0x%lx", pc->mpidr);
    }
    return mmu;
}

void tg_main(uintptr_t dtb_pa)
{
    char app_name[APP_NAME_MAX] = "demo";
    struct rt_cpu *cpu = &rt_cpus[0];
    bool mmu = boot_platform(dtb_pa);

    /* the boot stack becomes CPU 0's kernel stack once the first task starts */
    sched_init(cpu, (uintptr_t)tg_stacks[0] + TG_STACK_SIZE);
    clock_init(plat.timer_intid);
    rt_console_init();
    bootarg_get("rt.app", app_name, sizeof(app_name));
    print_banner(app_name, mmu);

    const struct rt_app *app = app_find(app_name);
    if (!app) {
        rt_panic("unknown rt.app=%s", app_name);
    }
    task_create_idle(cpu);
    struct rt_task_attr attr = {
        .name = "main",
        .prio = APP_MAIN_PRIO,
        .stack = main_stack,
        .stack_size = sizeof(main_stack),
    };
    if (rt_task_create(&main_task, &attr, app->main, NULL) != RT_OK) {
        rt_panic("cannot create the main task");
    }
    sched_start(cpu);
}

void tg_secondary_main(void)
{
    /* not started (no CPU_ON); park if a loader starts one anyway */
    for (;;) {
        wfi();
    }
}
