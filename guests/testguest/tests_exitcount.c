// SPDX-License-Identifier: MIT
/*
 * tg.mode=exitcount: every vCPU of the VM makes exactly tg.ec_n emulated MMIO reads (the
 * PL011's UARTFR: the vector's MMIO path, vectors.S guest_dabt), tg.ec_n register-only
 * hypercalls (BH_HC_NULL: guest_hvc_other) and, on GICv3, tg.ec_n writes of ICC_SGI1R_EL1
 * naming no vCPU (a system-register exit), all vCPUs at once (tg.ec_serial=0, the default)
 * or one after the other (tg.ec_serial=1). The hypervisor's per-VM counts must come out
 * exactly the same both ways (docs/MANAGEMENT.md "Statistics"): tests/scenarios/
 * k-exit-stats.test runs both in one scenario and compares their STATS lines. Both ways make
 * the same calls and print the same text, so their exits differ only in their timing.
 */
#include <bulkhead/abi.h>

#include "bootargs.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "sysreg.h"
#include "tests.h"
#include "tg.h"
#include "timer.h"

#define EC_N_DEFAULT  20000u
#define EC_UART_FR    0x018
#define EC_WAIT_MS    120000u

static uint32_t ec_n;
static uint32_t ec_serial;
static uint32_t ec_go;            /* set by CPU 0 once every CPU is online */
static uint32_t ec_turn;          /* serial: the CPU whose turn it is */
static uint32_t ec_online[TG_MAX_CPUS];
static uint32_t ec_done[TG_MAX_CPUS];

static void ec_work(void)
{
    const volatile uint32_t *fr = (const volatile uint32_t *)(plat.uart_base + EC_UART_FR);

    for (uint32_t i = 0; i < ec_n; i++) {
        (void)*fr;
    }
    for (uint32_t i = 0; i < ec_n; i++) {
        register uint64_t x0 __asm__("x0") = BH_HC_NULL;
        __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    }
    if (!plat.gic_v2) {
        for (uint32_t i = 0; i < ec_n; i++) {
            /* TargetList 0, Aff 0, RS 0: names no vCPU, raises nothing */
            __asm__ volatile("msr S3_0_C12_C11_5, xzr" : : : "memory");
        }
    }
}

/* CPU idx's part: wait for the start (and, serial, for its turn), work, say so. Spins with
 * plain loads: the waiting makes no exit the scenario counts. */
static void ec_run(uint32_t idx)
{
    while (!READ_ONCE(ec_go) || (READ_ONCE(ec_serial) && READ_ONCE(ec_turn) != idx)) {
    }
    ec_work();
    dsb_sy();
    WRITE_ONCE(ec_done[idx], 1);
    WRITE_ONCE(ec_turn, idx + 1);
    dsb_sy();
}

void tests_exitcount_secondary(void)
{
    uint32_t idx = cpu_idx();

    WRITE_ONCE(ec_online[idx], 1);
    dsb_sy();
    ec_run(idx);
    for (;;) {
        wfi(); /* parked until the VM powers off */
    }
}

static bool ec_all(const uint32_t *flags, uint32_t cpus, uint64_t timeout_ms)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(timeout_ms);

    for (uint32_t i = 1; i < cpus; i++) {
        while (!READ_ONCE(flags[i])) {
            if (timer_now() >= deadline) {
                return false;
            }
        }
    }
    return true;
}

void tests_exitcount(void)
{
    uint32_t cpus = plat.cpu_count;
    uint32_t started = 1;

    ec_n = (uint32_t)bootarg_get_u64("tg.ec_n", EC_N_DEFAULT);
    ec_serial = bootarg_get_u64("tg.ec_serial", 0) != 0;
    for (uint32_t i = 1; i < cpus; i++) {
        started += psci_cpu_on(plat.cpu_mpidr[i], (uintptr_t)secondary_entry, i) ==
                   PSCI_RET_SUCCESS;
    }
    bool online = started == cpus && ec_all(ec_online, cpus, EC_WAIT_MS);
    dsb_sy();
    WRITE_ONCE(ec_go, 1);
    dsb_sy();
    ec_run(0);
    bool done = online && ec_all(ec_done, cpus, EC_WAIT_MS);
    report(cpus >= 2 && done,
           "exitcount: %u vCPUs each made %u MMIO reads, %u BH_HC_NULL calls, %u SGI1R writes",
           cpus, ec_n, ec_n, plat.gic_v2 ? 0 : ec_n);
    tg_finish();
}
