// SPDX-License-Identifier: MIT
/*
 * bench.mode=wall (docs/PERFORMANCE.md, "Wall clock beside native QEMU"; bench/run.py step
 * wall): the same loops of guest operations timed with the guest's own counter, which without
 * -icount follows the host's clock, on plain QEMU (the guest at EL1, QEMU's devices and PSCI
 * emulation answer) and under Bulkhead (the guest's exits answer). Each loop runs bench.n
 * operations after bench.n / 10 untimed ones:
 *
 *   psci    PSCI_VERSION through the DT's conduit: QEMU's PSCI emulation natively, Bulkhead's
 *           vPSCI at EL2 (the null firmware call both have)
 *   hvc     BH_HC_NULL, Bulkhead only (natively an HVC QEMU does not answer is UNDEFINED):
 *           bench.native=1 skips it
 *   mmio    a PL011 UARTFR read: QEMU's PL011 model natively, our emulated UART under Bulkhead
 *   ipi     CPU0 sends an SGI to CPU1 and waits (WFE) until CPU1's handler counted it: one
 *           round trip per operation, both vCPUs of the VM (2 needed)
 *
 * Lines "BENCH wall_<op> cnt=<counter ticks> n=<ops> freq=<Hz>"; bench/run.py divides. The
 * IPI loop also times each round trip on its own into a histogram of 1/16 us buckets and
 * prints its 10th, 50th and 90th percentiles as "BENCH wall_ipi_p<k> cnt=<ticks> n=1": on a
 * loaded host the mean is ruled by the rounds the host's scheduler delayed, the median much
 * less (docs/PERFORMANCE.md "Wall clock beside native QEMU").
 */
#include <bulkhead/abi.h>

#include "bench.h"
#include "bootargs.h"
#include "gic.h"
#include "mmio.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "timer.h"
#include "uart.h"

#define WALL_N_DEFAULT 20000
#define WALL_N_MAX     10000000
#define SGI_WALL       4
#define WALL_CPU       1
#define WALL_HIST      4096     /* buckets of 1/16 us: up to 256 us, the last one open */
#define WALL_BUCKET_HZ 16000000 /* 1 / (1/16 us) */

bool bench_wall_mode;
static uint32_t wall_total;     /* SGIs CPU1 waits for: warm-up + timed */
static uint32_t wall_ready;
static uint32_t wall_hist[WALL_HIST];

static void print_wall(const char *name, uint64_t cnt, uint32_t n)
{
    tg_print("BENCH wall_%s cnt=%lu n=%u freq=%lu", name, cnt, n, timer_freq());
}

static void wall_psci(uint32_t warm, uint32_t n)
{
    uint32_t v = 0;

    for (uint32_t i = 0; i < warm; i++) {
        v |= psci_version();
    }
    uint64_t a = timer_now();
    for (uint32_t i = 0; i < n; i++) {
        v |= psci_version();
    }
    uint64_t b = timer_now();
    report(v >= PSCI_VERSION_1_0 || v == 0x2, "wall: PSCI_VERSION = 0x%x", v);
    print_wall("psci", b - a, n);
}

static void wall_hvc(uint32_t warm, uint32_t n)
{
    int64_t bad = 0;

    for (uint32_t i = 0; i < warm; i++) {
        bad |= smccc_hvc(BH_HC_NULL, 0, 0, 0);
    }
    uint64_t a = timer_now();
    for (uint32_t i = 0; i < n; i++) {
        bad |= smccc_hvc(BH_HC_NULL, 0, 0, 0);
    }
    uint64_t b = timer_now();
    report(bad == 0, "wall: BH_HC_NULL returned 0");
    print_wall("hvc", b - a, n);
}

static void wall_mmio(uint32_t warm, uint32_t n)
{
    uintptr_t reg = plat.uart_base + UART_FR;
    uint32_t acc = 0;

    for (uint32_t i = 0; i < warm; i++) {
        acc |= mmio_read32(reg);
    }
    uint64_t a = timer_now();
    for (uint32_t i = 0; i < n; i++) {
        acc |= mmio_read32(reg);
    }
    uint64_t b = timer_now();
    tg_print("wall: UARTFR reads 0x%x", acc);
    print_wall("mmio", b - a, n);
}

static void wall_percentiles(uint32_t n, uint64_t per);

static void sgi_count_irq(uint32_t intid)
{
    this_cpu()->sgi_count[intid]++;
    dsb_sy();
    sev(); /* wakes the sender's WFE */
}

static bool ipi_round(uint32_t i)
{
    gic_send_sgi(SGI_WALL, plat.cpu_mpidr[WALL_CPU]);
    return bench_wait_word(&percpu[WALL_CPU].sgi_count[SGI_WALL], i + 1, false);
}

static void wall_ipi(uint32_t warm, uint32_t n)
{
    if (plat.cpu_count <= WALL_CPU) {
        report(false, "wall: ipi needs %u vCPUs, the VM has %u", WALL_CPU + 1, plat.cpu_count);
        return;
    }
    wall_total = warm + n;
    gic_set_handler(SGI_WALL, sgi_count_irq);
    int64_t ret = psci_cpu_on(plat.cpu_mpidr[WALL_CPU], (uintptr_t)secondary_entry, WALL_CPU);
    if (!report(ret == PSCI_RET_SUCCESS, "wall: CPU_ON(cpu %u) = %ld", WALL_CPU, ret) ||
        !report(bench_wait_word(&wall_ready, 1, false), "wall: cpu %u ready", WALL_CPU)) {
        return;
    }
    uint32_t i = 0;
    while (i < warm && ipi_round(i)) {
        i++;
    }
    uint64_t per = timer_freq() / WALL_BUCKET_HZ; /* counter ticks per bucket */
    per = per ? per : 1;
    uint64_t a = timer_now(), t = a;
    while (i < warm + n && ipi_round(i)) {
        uint64_t u = timer_now(), k = (u - t) / per;
        wall_hist[k < WALL_HIST ? k : WALL_HIST - 1]++;
        t = u;
        i++;
    }
    uint64_t b = timer_now();
    report(i == warm + n, "wall: %u SGIs delivered one at a time", i);
    print_wall("ipi", b - a, i - warm);
    wall_percentiles(i - warm, per);
}

/* The 10th, 50th and 90th percentile of wall_hist's n round trips, each as the middle of
 * its bucket in counter ticks (per ticks a bucket). */
static void wall_percentiles(uint32_t n, uint64_t per)
{
    static const uint32_t pct[] = { 10, 50, 90 };
    static const char *const name[] = { "ipi_p10", "ipi_p50", "ipi_p90" };
    uint64_t seen = 0;
    unsigned k = 0;

    for (uint32_t j = 0; j < WALL_HIST && k < 3 && n; j++) {
        seen += wall_hist[j];
        while (k < 3 && seen * 100 >= (uint64_t)n * pct[k]) {
            print_wall(name[k], j * per + per / 2, 1);
            k++;
        }
    }
}

void bench_wall_secondary(void)
{
    gic_enable_private(SGI_WALL);
    WRITE_ONCE(percpu[WALL_CPU].online, 1);
    WRITE_ONCE(wall_ready, 1);
    dsb_sy();
    sev();
    while (READ_ONCE(this_cpu()->sgi_count[SGI_WALL]) < READ_ONCE(wall_total) &&
           bench_wait_word(&this_cpu()->sgi_count[SGI_WALL], READ_ONCE(wall_total), true)) {
    }
}

void bench_wall(void)
{
    uint32_t n = (uint32_t)bootarg_get_u64("bench.n", WALL_N_DEFAULT);
    bool native = bootarg_get_u64("bench.native", 0) != 0;

    n = n < 1 ? 1 : n > WALL_N_MAX ? WALL_N_MAX : n;
    bench_wall_mode = true;
    wall_psci(n / 10, n);
    if (!native) {
        wall_hvc(n / 10, n);
    }
    wall_mmio(n / 10, n);
    wall_ipi(n / 10, n);
    tg_finish();
}
