// SPDX-License-Identifier: MIT
/*
 * Boot and mode dispatch. The boot CPU parses the DT, brings up console, GIC and timer, and
 * runs the mode named by tg.mode=; secondaries (basic and gicconf modes) enter at
 * tg_secondary_main() after PSCI CPU_ON and run the mode's secondary part.
 */
#include <string.h>

#include "bootargs.h"
#include "gic.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "tests.h"
#include "timer.h"
#include "uart.h"

#define MODE_MAX 16

struct percpu percpu[TG_MAX_CPUS];

/* Per-CPU stacks, indexed by logical CPU; start.S points SP at the top of its slot. */
uint8_t tg_stacks[TG_MAX_CPUS][TG_STACK_SIZE] __aligned(TG_STACK_ALIGN);

struct mode {
    const char *name;
    void (*run)(void);
    void (*secondary)(void); /* what a CPU started with CPU_ON runs; NULL: basic's */
};

static const struct mode modes[] = {
    { "basic", tests_basic, NULL },
    { "hostile", tests_hostile, NULL },
    { "spin", mode_spin, NULL },
    { "crash", mode_crash, NULL },
    { "reset", mode_reset, NULL },
    { "ramclear", mode_ramclear, NULL },
    { "passthrough", tests_passthrough, NULL },
    { "gicconf", tests_gicconf, tests_gicconf_secondary },
    { "pmu", tests_pmu, NULL },
    { "debug", tests_debug, NULL },
    { "timer", tests_timer, NULL },
    { "ipc", tests_ipc, NULL },
    { "rpc", tests_rpc, NULL },
    { "smccc", tests_smccc, NULL },
    { "cpuoff", tests_cpuoff, tests_cpuoff_secondary },
    { "a32", tests_a32, NULL },
    { "forge", tests_forge, NULL },
    { "evtflood", mode_evtflood, NULL },
    { "offat", mode_offat, NULL },
    { "vbarbad", mode_vbarbad, NULL },
    { "dbstorm", mode_dbstorm, NULL },
    { "mgmt", tests_mgmt, NULL },
    { "watchdog", tests_watchdog, NULL },
    { "power", mode_power, NULL },
    { "mgmtshut", tests_mgmt_shutdown, NULL },
    { "mgmtoff", tests_mgmt_poweroff, NULL },
    { "mgmttick", mode_mgmttick, NULL },
    { "mgmtsched", tests_mgmt_sched, NULL },
    { "vnet", tests_vnet, NULL },
    { "vnet-hostile", tests_vnet_hostile, NULL },
    { "uplink", tests_uplink, NULL },
    { "hog", mode_hog, NULL },
    { "fpshare", mode_fpshare, NULL },
    { "secsvc", tests_secsvc, NULL },
    { "secdeny", tests_secdeny, NULL },
    { "sechostile", tests_sechostile, NULL },
    { "tee", tests_tee, NULL },
    { "teedeny", tests_teedeny, NULL },
    { "teehostile", tests_teehostile, NULL },
    { "ticks", tests_ticks, NULL },
    { "sgis", tests_sgis, tests_sgis_secondary },
    { "hvcinfo", tests_hvcinfo, NULL },
    { "mmiow", tests_mmiow, NULL },
    { "step", tests_step, tests_step_secondary },
    { "psciconf", tests_psciconf, NULL },
    { "gicrestart", tests_gicrestart, NULL },
    { "exitcount", tests_exitcount, tests_exitcount_secondary },
};

/* The running mode, set by the boot CPU before it starts any secondary. */
static const struct mode *current_mode;

static const char *conduit_name(enum psci_conduit c)
{
    switch (c) {
    case PSCI_CONDUIT_HVC:
        return "hvc";
    case PSCI_CONDUIT_SMC:
        return "smc";
    case PSCI_CONDUIT_NONE:
    default:
        return "none";
    }
}

static void print_banner(const char *mode)
{
    tg_print("testguest mode=%s cpus=%u (dt %u) image=0x%lx-0x%lx dtb=0x%lx", mode,
             plat.cpu_count, plat.cpu_count_dt, (uintptr_t)_head, (uintptr_t)_end, plat.dtb_pa);
    for (uint32_t i = 0; i < plat.mem_count; i++) {
        tg_print("memory 0x%lx-0x%lx", plat.mem[i].base, plat.mem[i].base + plat.mem[i].size);
    }
    if (plat.gic_v2) {
        tg_print("uart=0x%lx intid=%u gicd=0x%lx gicc=0x%lx (GICv2) timer intid=%u psci=%s",
                 plat.uart_base, plat.uart_intid, plat.gicd_base, plat.gicc_base,
                 plat.timer_intid, conduit_name(plat.psci));
    } else {
        tg_print("uart=0x%lx intid=%u gicd=0x%lx gicr=0x%lx+0x%lx timer intid=%u psci=%s",
                 plat.uart_base, plat.uart_intid, plat.gicd_base, plat.gicr_base,
                 plat.gicr_size, plat.timer_intid, conduit_name(plat.psci));
    }
    if (plat.defaulted[0]) {
        report_info("DT gave no usable value for: %s (defaults used)", plat.defaulted);
    }
}

void tg_main(uintptr_t dtb_pa)
{
    char name[MODE_MAX] = "basic";
    char tag[REPORT_TAG_MAX];

    platform_init(dtb_pa);
    uart_init(plat.uart_base);
    psci_set_conduit(plat.psci);
    if (bootarg_get("tg.name", tag, sizeof(tag)) && tag[0]) {
        report_set_tag(tag);
    }
    bootarg_get("tg.mode", name, sizeof(name));
    print_banner(name);
    if (!plat.dtb_ok) {
        report(false, "device tree at 0x%lx is not a valid DTB", dtb_pa);
    }

    gic_dist_init();
    timer_init(plat.timer_intid);
    tg_cpu_init();

    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        if (!strncmp(name, modes[i].name, sizeof(name))) {
            current_mode = &modes[i];
            modes[i].run();
        }
    }
    tg_fatal("unknown tg.mode=%s", name);
}

void tg_secondary_main(void)
{
    tg_cpu_init();
    if (current_mode && current_mode->secondary) {
        current_mode->secondary();
    } else {
        tests_basic_secondary();
    }

    int64_t ret = psci_cpu_off();
    tg_fatal("cpu %u: PSCI CPU_OFF returned %ld", cpu_idx(), ret);
}
