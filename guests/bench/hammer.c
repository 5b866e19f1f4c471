// SPDX-License-Identifier: MIT
/*
 * bench.mode=hammer (configs/bench-rtlat.dts): bare-metal interference for the real-time
 * latency measurement, beside the pinned RTOS, forever. vCPU 0 loops over null hypercalls
 * (BH_HC_NULL: Linux's user space makes none), emulated MMIO reads (the PL011's UARTFR, the
 * distributor's GICD_TYPER) and, with a second vCPU, IPIs to it (each waited for with WFE
 * until vCPU 1's handler counted it, so SGIs never pile up; vCPU 1 sleeps in WFI): one round
 * (16 hypercalls, 32 reads, one IPI) per tick of a virtual timer at bench.hammer_hz (default
 * 10000; 0: no tick, rounds back to back), sleeping in WFI until the next tick. So it keeps
 * entering EL2 at 10 kHz bursts without taking whole round-robin turns under QEMU -icount, and
 * its tick is also the `tick` VM's time slice (configs/train.dts), which this VM replaces; its
 * exec trace stays small enough for bench/rtlat_trace.py. Every bench.hammer_every rounds
 * (default 1000) a line "hammer round=<n> hvc=<n> mmio=<n> ipi=<n> ticks=<n>" (console MMIO
 * too). It never ends on its own: the scenario's other VMs end the run.
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

#define SGI_HAMMER     5
#define HAMMER_CPU     1
#define OPS_PER_ROUND  16
#define EVERY_DEFAULT  1000
#define HZ_DEFAULT     10000
#define HZ_MAX         100000

bool bench_hammer_mode;

static void sgi_count_irq(uint32_t intid)
{
    this_cpu()->sgi_count[intid]++;
    dsb_sy();
    sev(); /* wakes the sender's WFE */
}

void bench_hammer_secondary(void)
{
    gic_enable_private(SGI_HAMMER);
    WRITE_ONCE(percpu[HAMMER_CPU].online, 1);
    dsb_sy();
    sev();
    for (;;) {
        __asm__ volatile("wfi" : : : "memory"); /* the handler counts */
    }
}

void bench_hammer(void)
{
    uint64_t every = bootarg_get_u64("bench.hammer_every", EVERY_DEFAULT);
    uint64_t hz = bootarg_get_u64("bench.hammer_hz", HZ_DEFAULT);
    uint64_t hvc = 0, mmio = 0, ipi = 0;
    uint32_t *count = &percpu[HAMMER_CPU].sgi_count[SGI_HAMMER];
    bool two = plat.cpu_count > HAMMER_CPU;

    bench_hammer_mode = true;
    every = every ? every : EVERY_DEFAULT;
    gic_set_handler(SGI_HAMMER, sgi_count_irq);
    if (two) {
        int64_t ret = psci_cpu_on(plat.cpu_mpidr[HAMMER_CPU], (uintptr_t)secondary_entry,
                                  HAMMER_CPU);
        two = report(ret == PSCI_RET_SUCCESS, "hammer: CPU_ON(cpu %u) = %ld", HAMMER_CPU, ret) &&
              report(bench_wait_word(&percpu[HAMMER_CPU].online, 1, false),
                     "hammer: cpu %u online", HAMMER_CPU);
    }
    tg_print("hammer running cpus=%u ipi=%s hz=%lu", plat.cpu_count, two ? "yes" : "no", hz);
    if (hz) {
        timer_start_periodic((uint32_t)(hz > HZ_MAX ? HZ_MAX : hz));
    }
    for (uint64_t round = 1;; round++) {
        if (hz) {
            uint32_t next = READ_ONCE(this_cpu()->timer_ticks) + 1;
            (void)bench_wait_word(&this_cpu()->timer_ticks, next, true);
        }
        for (int i = 0; i < OPS_PER_ROUND; i++) {
            hvc += smccc_hvc(BH_HC_NULL, 0, 0, 0) == 0;
            (void)mmio_read32(plat.uart_base + UART_FR);
            (void)mmio_read32(plat.gicd_base + GICD_TYPER);
            mmio += 2;
        }
        if (two) {
            uint32_t want = READ_ONCE(*count) + 1;
            gic_send_sgi(SGI_HAMMER, plat.cpu_mpidr[HAMMER_CPU]);
            ipi += bench_wait_word(count, want, false);
        }
        if (round % every == 0) {
            tg_print("hammer round=%lu hvc=%lu mmio=%lu ipi=%lu ticks=%u", round, hvc, mmio, ipi,
                     READ_ONCE(this_cpu()->timer_ticks));
        }
    }
}
