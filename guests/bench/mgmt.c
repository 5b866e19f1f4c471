// SPDX-License-Identifier: MIT
/*
 * What managing a VM costs (docs/PERFORMANCE.md, measurement 10): configs/bench-mgmt.dts runs
 * this guest as the manager "mgr" (pCPU 0, observe + control on "worker") and the tiny
 * spinning guest spin.S as "worker" (pCPU 1, autostart off). The manager, with the EL2
 * instruction counter of its own pCPU and the virtual counter (one time base for all VMs):
 *
 *   start      START of the defined worker: EL2 instructions of the operation on the manager's
 *              pCPU, and virtual time from just before the request to the worker's first
 *              instruction (spin.S reads CNTVCT_EL0 there and publishes it)
 *   snapshot   n SNAPSHOT reads (per-op windows), then n EVENTS reads (per-op windows)
 *   exits      the worker's exit counters (all classes) from a snapshot before and after the
 *              n snapshots and n event reads: must not move (the worker never exits by
 *              itself, so any exit would be the manager's doing: a kick, an IPI)
 *   pause      bench.pauses (10) PAUSE / RESUME pairs, the worker seen running in between:
 *              EL2 instructions of each PAUSE and RESUME, and virtual time from the PAUSE request to its
 *              answer (the operation returns once the worker's vCPU is out: "paused")
 *
 * The TARGET register is written once, outside the windows, so a window holds exactly one
 * trapped register read. Virtual time under -icount is instructions of all CPUs (1 ns each).
 */
#include <string.h>

#include <bulkhead/abi.h>
#include <bulkhead/mgmt.h>

#include "bench.h"
#include "bootargs.h"
#include "mmio.h"
#include "report.h"
#include "timer.h"

#define REG(off)  ((uintptr_t)BH_MGMT_MMIO_BASE + (off))
#define DATA      ((uintptr_t)BH_MGMT_MMIO_BASE + BH_MGMT_DATA_OFF)
#define SNAP      ((const volatile struct bh_mgmt_snap *)(DATA + BH_MGMT_SNAP_OFF))
#define EVTS      ((const volatile struct bh_mgmt_evt_hdr *)(DATA + BH_MGMT_EVT_OFF))
#define NONE      0xffffffffu
#define N_DEFAULT 100
/* Pause/resume pairs: each writes 2 `kind=mgmt` records, and the rate limit's burst per VM and
 * kind (core/event.c) holds 32, so 10 pairs (plus the start) all take the same full path. */
#define PAUSES_DEFAULT 10
#define MBOX      0x50000000ul /* spin.S: +0 CNTVCT at its first instruction, +8 loops */

static volatile uint64_t *const first_cnt = (volatile uint64_t *)MBOX;
static volatile uint64_t *const loops = (volatile uint64_t *)(MBOX + 8);

static inline uint64_t cntvct(void)
{
    uint64_t v;

    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
}

static uint32_t find_vm(const char *name)
{
    int32_t n = (int32_t)mmio_read32(REG(BH_MGMT_REG_SNAPSHOT));
    const volatile struct bh_mgmt_vm *v = (const volatile void *)(SNAP + 1);

    for (int32_t i = 0; i < n; i++) {
        if (strcmp((const char *)v[i].name, name) == 0) {
            return v[i].id;
        }
    }
    return NONE;
}

/* The sum of the worker's exit counters in a fresh, complete snapshot (false: torn/absent). */
static bool worker_exits(uint32_t id, uint64_t *sum)
{
    for (int tries = 0; tries < 4; tries++) {
        int32_t n = (int32_t)mmio_read32(REG(BH_MGMT_REG_SNAPSHOT));
        uint64_t seq = SNAP->seq;
        const volatile struct bh_mgmt_vm *v = (const volatile void *)(SNAP + 1);
        bool found = false;

        *sum = 0;
        for (int32_t i = 0; i < n; i++) {
            if (v[i].id == id) {
                for (unsigned c = 0; c < BH_MGMT_EXIT_CLASSES; c++) {
                    *sum += v[i].exits[c];
                }
                found = true;
            }
        }
        if ((seq & 1) == 0 && SNAP->seq == seq) {
            return found;
        }
    }
    return false;
}

static bool started(const void *arg)
{
    (void)arg;
    return *first_cnt != 0;
}

static bool looped(const void *arg)
{
    return *loops >= *(const uint64_t *)arg;
}

/* Wait (at EL1, WFE bounded by the counter's event stream) until the worker loops on. */
static bool worker_runs(void)
{
    uint64_t target = *loops + 16;

    return wait_event_cond(looped, &target, BENCH_OP_TIMEOUT_MS);
}

static int32_t op_stop(void)
{
    return (int32_t)mmio_read32(REG(BH_MGMT_REG_STOP));
}

void bench_mgmt(void)
{
    uint32_t n = (uint32_t)bootarg_get_u64("bench.n", N_DEFAULT);
    uint32_t np = (uint32_t)bootarg_get_u64("bench.pauses", PAUSES_DEFAULT);
    uint64_t cal = bench_calibrate();
    uint64_t freq = timer_freq();
    uint32_t w = find_vm("worker");

    report(w != NONE, "mgmt: the worker is in the snapshot (id %u)", w);
    if (w == NONE) {
        tg_finish();
    }
    mmio_write32(REG(BH_MGMT_REG_TARGET), w);
    *first_cnt = 0;
    dsb_sy();

    /* start: the worker is defined (autostart = <0>) */
    uint64_t t0 = cntvct();
    uint64_t e0 = bench_el2_insns();
    int32_t r = (int32_t)mmio_read32(REG(BH_MGMT_REG_START));
    uint64_t e1 = bench_el2_insns();
    report(r == BH_OK, "mgmt: START the defined worker (%d)", (int)r);
    (void)wait_event_cond(started, NULL, BENCH_OP_TIMEOUT_MS);
    uint64_t first = *first_cnt;
    report(first > t0, "mgmt: the worker's first instruction came after the request");
    bench_print_result("mgmt_start", e1 - e0 - cal, 1, cal);
    tg_print("BENCH mgmt_start_time cnt=%lu n=1 freq=%lu", (unsigned long)(first - t0),
             (unsigned long)freq);
    report(worker_runs(), "mgmt: the worker runs");

    /* snapshots and event reads: the worker's exits before and after */
    uint64_t x0 = 0, x1 = 0, snap_total = 0, evt_total = 0, evt_records = 0;
    bool ok0 = worker_exits(w, &x0);
    uint64_t l0 = *loops;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t a = bench_el2_insns();
        int32_t c = (int32_t)mmio_read32(REG(BH_MGMT_REG_SNAPSHOT));
        uint64_t b = bench_el2_insns();
        snap_total += b - a - cal;
        if (c < 2) {
            report(false, "mgmt: snapshot %u described %d VMs", i, (int)c);
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        mmio_write32(REG(BH_MGMT_REG_CURSOR_LO), 0);
        mmio_write32(REG(BH_MGMT_REG_CURSOR_HI), 0);
        uint64_t a = bench_el2_insns();
        int32_t c = (int32_t)mmio_read32(REG(BH_MGMT_REG_EVENTS));
        uint64_t b = bench_el2_insns();
        evt_total += b - a - cal;
        evt_records += c > 0 ? (uint64_t)c : 0;
    }
    /* Under QEMU's round-robin the worker may not have run since: let it, so that anything
     * sent to its pCPU meanwhile (a kick, an IPI) is taken and counted before we look. */
    bool ran = worker_runs();
    bool ok1 = worker_exits(w, &x1);
    report(ok0 && ok1 && ran && *loops > l0, "mgmt: the worker ran on after %u snapshots and "
           "%u event reads", n, n);
    report(x1 == x0, "mgmt: they cost the worker no exit (%lu before, %lu after)",
           (unsigned long)x0, (unsigned long)x1);
    report(evt_records > 0 && EVTS->magic == BH_MGMT_EVT_MAGIC,
           "mgmt: the event reads returned records (%lu)", (unsigned long)evt_records);
    bench_print_result("mgmt_snapshot", snap_total, n, cal);
    bench_print_result("mgmt_events", evt_total, n, cal);
    tg_print("BENCH mgmt_managed_exits exits=%lu ops=%u records=%lu", (unsigned long)(x1 - x0),
             2 * n, (unsigned long)(evt_records / (n ? n : 1)));

    /* pause / resume */
    uint64_t p_total = 0, p_cnt = 0, r_total = 0;
    uint32_t bad = 0;
    for (uint32_t i = 0; i < np; i++) {
        bad += !worker_runs();
        uint64_t c0 = cntvct();
        uint64_t a = bench_el2_insns();
        int32_t rp = (int32_t)mmio_read32(REG(BH_MGMT_REG_PAUSE));
        uint64_t b = bench_el2_insns();
        uint64_t c1 = cntvct();
        p_total += b - a - cal;
        p_cnt += c1 - c0;
        bad += rp != BH_OK;
        a = bench_el2_insns();
        int32_t rr = (int32_t)mmio_read32(REG(BH_MGMT_REG_RESUME));
        b = bench_el2_insns();
        r_total += b - a - cal;
        bad += rr != BH_OK;
    }
    report(bad == 0, "mgmt: %u pause/resume pairs (%u wrong)", np, bad);
    bench_print_result("mgmt_pause", p_total, np, cal);
    bench_print_result("mgmt_resume", r_total, np, cal);
    tg_print("BENCH mgmt_pause_time cnt=%lu n=%u freq=%lu", (unsigned long)p_cnt, np,
             (unsigned long)freq);
    /* The worker would spin for ever: stop it, so the platform powers off after us. */
    report(op_stop() == BH_OK, "mgmt: STOP the worker");
    tg_finish();
}
