// SPDX-License-Identifier: MIT
/*
 * EL2 instructions per guest-visible operation (docs/PERFORMANCE.md, measurements 1-4). Each
 * measurement reads the pCPU's EL2 instruction counter, repeats the operation n times, reads
 * it again and prints the difference less one calibrated counter read. Nothing else may
 * enter EL2 on that pCPU inside a window: no console output, no other interrupt.
 *
 * IPIs are measured on both sides: CPU0 sends SGI_BENCH to CPU1 and waits (WFE, untrapped)
 * for CPU1's handler to count it, so the sender's window holds only the trapped
 * ICC_SGI1R_EL1 writes and the receiver's only the injected interrupts.
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

#define BENCH_N_DEFAULT   1000
#define TICK_HZ           1000
#define SGI_BENCH         3
#define RECV_CPU          1
#define ONLINE_TIMEOUT_MS 5000

/* Receiver side of the IPI benchmark, written by RECV_CPU only and read by CPU0. */
struct ipi_recv {
    uint32_t ready;     /* counter read, waiting for SGIs */
    uint32_t done;      /* result below is valid */
    uint64_t total;     /* EL2 instructions for n SGIs, calibration subtracted */
    uint64_t calib;
};

static struct ipi_recv recv;
static uint32_t n_ops = BENCH_N_DEFAULT; /* set by CPU0 before CPU1 starts */

static void bench_hvc(uint64_t cal)
{
    int64_t bad = 0;
    uint64_t a = bench_el2_insns();

    for (uint32_t i = 0; i < n_ops; i++) {
        bad |= smccc_hvc(BH_HC_NULL, 0, 0, 0);
    }
    uint64_t b = bench_el2_insns();
    report(bad == 0, "hvc: BH_HC_NULL returned 0");
    bench_print_result("hvc", b - a - cal, n_ops, cal);
}

static void bench_mmio(const char *name, uintptr_t reg, uint64_t cal)
{
    uint32_t acc = 0;
    uint64_t a = bench_el2_insns();

    for (uint32_t i = 0; i < n_ops; i++) {
        acc |= mmio_read32(reg);
    }
    uint64_t b = bench_el2_insns();
    tg_print("%s: read 0x%lx -> 0x%x", name, reg, acc);
    bench_print_result(name, b - a - cal, n_ops, cal);
}

/*
 * Each window starts and ends just after a tick's handler ran, so it holds exactly n ticks'
 * EL2 work (the physical timer PPI exit, the list-register injection and anything it
 * causes later, such as maintenance interrupts). Ticks are 1 ms apart, far longer than the
 * few instructions between the handler and the counter read.
 */
static void bench_irq(uint64_t cal)
{
    uint32_t *ticks = &this_cpu()->timer_ticks;

    timer_start_periodic(TICK_HZ);
    bool ok = bench_wait_word(ticks, 2, true); /* warm up, then start just after a tick */
    uint32_t t0 = READ_ONCE(*ticks);
    uint64_t a = bench_el2_insns();
    ok = ok && bench_wait_word(ticks, t0 + n_ops, true);
    uint64_t b = bench_el2_insns();
    uint32_t t1 = READ_ONCE(*ticks);
    timer_stop();
    report(ok && t1 == t0 + n_ops, "irq: %u virtual timer ticks in the window", t1 - t0);
    bench_print_result("irq", b - a - cal, t1 - t0, cal);
}

static void sgi_count_irq(uint32_t intid)
{
    this_cpu()->sgi_count[intid]++;
    dsb_sy();
    sev(); /* wakes the sender's WFE */
}

static void bench_ipi(uint64_t cal)
{
    struct percpu *rc = &percpu[RECV_CPU];

    if (plat.cpu_count <= RECV_CPU) {
        report(false, "ipi: needs %u vCPUs, the VM has %u", RECV_CPU + 1, plat.cpu_count);
        return;
    }
    gic_set_handler(SGI_BENCH, sgi_count_irq);
    int64_t ret = psci_cpu_on(plat.cpu_mpidr[RECV_CPU], (uintptr_t)secondary_entry, RECV_CPU);
    if (!report(ret == PSCI_RET_SUCCESS, "ipi: CPU_ON(cpu %u) = %ld", RECV_CPU, ret) ||
        !report(bench_wait_word(&recv.ready, 1, false), "ipi: cpu %u ready", RECV_CPU)) {
        return;
    }
    uint64_t a = bench_el2_insns();
    uint32_t i = 0;
    for (; i < n_ops; i++) {
        gic_send_sgi(SGI_BENCH, plat.cpu_mpidr[RECV_CPU]);
        if (!bench_wait_word(&rc->sgi_count[SGI_BENCH], i + 1, false)) {
            break;
        }
    }
    uint64_t b = bench_el2_insns();
    bool done = bench_wait_word(&recv.done, 1, false);
    report(i == n_ops && done, "ipi: %u SGIs delivered one at a time", i);
    bench_print_result("ipi_send", b - a - cal, i, cal);
    if (done) {
        bench_print_result("ipi_recv", READ_ONCE(recv.total), READ_ONCE(rc->sgi_count[SGI_BENCH]),
                     READ_ONCE(recv.calib));
    }
}

void bench_micro_secondary(void)
{
    gic_enable_private(SGI_BENCH);
    uint64_t cal = bench_calibrate();
    uint64_t a = bench_el2_insns();

    WRITE_ONCE(percpu[RECV_CPU].online, 1);
    WRITE_ONCE(recv.ready, 1);
    dsb_sy();
    sev();
    bench_wait_word(&this_cpu()->sgi_count[SGI_BENCH], n_ops, true);
    uint64_t b = bench_el2_insns();
    recv.total = b - a - cal;
    recv.calib = cal;
    dsb_sy();
    WRITE_ONCE(recv.done, 1);
    dsb_sy();
    sev();
}

void bench_micro(void)
{
    n_ops = (uint32_t)bootarg_get_u64("bench.n", BENCH_N_DEFAULT);
    if ((int64_t)bench_el2_insns() < 0) {
        tg_fatal("no EL2 instruction counter: not a CONFIG_BENCH build of Bulkhead");
    }
    uint64_t cal = bench_calibrate();
    tg_print("BENCH calib el2_insns_per_counter_read=%lu", cal);

    bench_hvc(cal);
    bench_mmio("mmio_uart", plat.uart_base + UART_FR, cal);
    bench_mmio("mmio_gicd", plat.gicd_base + GICD_TYPER, cal);
    bench_irq(cal);
    bench_ipi(cal);
    tg_finish();
}
