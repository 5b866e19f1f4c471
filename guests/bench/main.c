// SPDX-License-Identifier: MIT
/*
 * Entry of the benchmark guest: the test guest's platform, console, GIC and timer set-up
 * (same order as guests/testguest/main.c), then the mode named by bench.mode=. Secondaries
 * started with PSCI CPU_ON run the micro benchmark's receiver side.
 */
#include <string.h>

#include <bulkhead/abi.h>

#include "bench.h"
#include "bootargs.h"
#include "gic.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "timer.h"
#include "uart.h"

#define MODE_MAX 16
#define CALIB_ROUNDS 8

struct percpu percpu[TG_MAX_CPUS];

/* Per-CPU stacks, indexed by logical CPU; start.S points SP at the top of its slot. */
uint8_t tg_stacks[TG_MAX_CPUS][TG_STACK_SIZE] __aligned(TG_STACK_ALIGN);

uint64_t bench_el2_insns(void)
{
    return (uint64_t)smccc_hvc(BH_HC_BENCH_EL2_INSNS, 0, 0, 0);
}

void bench_print_result(const char *name, uint64_t total, uint64_t n, uint64_t calib)
{
    tg_print("BENCH %s total=%lu n=%lu calib=%lu", name, total, n, calib);
}

static bool u32_reached(const void *arg)
{
    const uint32_t *const *w = arg;

    return READ_ONCE(*w[0]) >= *w[1];
}

bool bench_wait_word(const uint32_t *word, uint32_t target, bool irq)
{
    const uint32_t *w[2] = { word, &target };

    return irq ? wait_irq_cond(u32_reached, w, BENCH_OP_TIMEOUT_MS)
               : wait_event_cond(u32_reached, w, BENCH_OP_TIMEOUT_MS);
}

uint64_t bench_calibrate(void)
{
    uint64_t best = UINT64_MAX;

    for (int i = 0; i < CALIB_ROUNDS; i++) {
        uint64_t a = bench_el2_insns();
        uint64_t b = bench_el2_insns();

        if (b - a < best) {
            best = b - a;
        }
    }
    return best;
}

void tg_main(uintptr_t dtb_pa)
{
    char mode[MODE_MAX] = "";

    platform_init(dtb_pa);
    uart_init(plat.uart_base);
    psci_set_conduit(plat.psci);
    report_set_tag("bench");
    bootarg_get("bench.mode", mode, sizeof(mode));
    tg_print("bench guest mode=%s cpus=%u", mode, plat.cpu_count);

    gic_dist_init();
    timer_init(plat.timer_intid);
    tg_cpu_init();

    if (!strncmp(mode, "micro", sizeof(mode))) {
        bench_micro();
    }
    if (!strncmp(mode, "overhead", sizeof(mode))) {
        bench_overhead();
    }
    if (!strncmp(mode, "ipc-tx", sizeof(mode))) {
        bench_ipc_tx();
    }
    if (!strncmp(mode, "ipc-rx", sizeof(mode))) {
        bench_ipc_rx();
    }
    if (!strncmp(mode, "mgmt", sizeof(mode))) {
        bench_mgmt();
    }
    if (!strncmp(mode, "net-tx", sizeof(mode))) {
        bench_net_tx();
    }
    if (!strncmp(mode, "net-rx", sizeof(mode))) {
        bench_net_rx();
    }
    if (!strncmp(mode, "wall", sizeof(mode))) {
        bench_wall();
    }
    if (!strncmp(mode, "hammer", sizeof(mode))) {
        bench_hammer();
    }
    if (!strncmp(mode, "secure", sizeof(mode))) {
        bench_secure();
    }
    tg_fatal("unknown bench.mode=%s (micro, overhead, ipc-tx, ipc-rx, mgmt, net-tx, net-rx, "
             "wall, hammer or secure)", mode);
}

void tg_secondary_main(void)
{
    tg_cpu_init();
    if (READ_ONCE(bench_hammer_mode)) {
        bench_hammer_secondary();
    }
    if (READ_ONCE(bench_wall_mode)) {
        bench_wall_secondary();
    } else {
        bench_micro_secondary();
    }

    int64_t ret = psci_cpu_off();
    tg_fatal("cpu %u: PSCI CPU_OFF returned %ld", cpu_idx(), ret);
}
