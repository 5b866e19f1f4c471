// SPDX-License-Identifier: MIT
/*
 * Positive cases: what any correct platform (QEMU virt or a Bulkhead VM) must provide.
 * CPU0 drives the sequence; secondaries join through PSCI CPU_ON, answer SGIs, run their
 * own timer test and power off. Cross-CPU state is single-writer (see tg.h).
 */
#include "exc.h"
#include "gic.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "tests.h"
#include "timer.h"
#include "uart.h"

#define SGI_PING 1 /* CPU0 -> secondary */
#define SGI_PONG 2 /* secondary -> CPU0 */

#define TICK_HZ           1000
#define TICK_TARGET       50
#define TICK_TIMEOUT_MS   8000
#define ONLINE_TIMEOUT_MS 5000
#define SGI_TIMEOUT_MS    2000
#define OFF_TIMEOUT_MS    5000
#define US_PER_S          1000000U
/*
 * A late tick is caught up, so elapsed time may exceed the ideal by scheduling delays only.
 * Without -icount QEMU follows the host clock, and a loaded host (tests run QEMUs in
 * parallel on 2 cores) can leave a vCPU thread unscheduled for a second or more (seen: 1.17 s
 * for 50 ticks); the check is that ticks come at all and never early, not how fast.
 */
#define TICK_SLACK_MS     4000

#define PAGE_SIZE         0x1000UL
#define MEM_SPOTS         5 /* first page, quarter points, last page */
#define MEM_PATTERN_A     0x5a5a5a5aa5a5a5a5UL

/* ---------------------------------------------------------------- memory */

static bool range_overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

/* Write/read back patterns at one word, then restore it, so the test is non-destructive. */
static bool mem_check_word(volatile uint64_t *p)
{
    const uint64_t patterns[] = { MEM_PATTERN_A, ~MEM_PATTERN_A, (uint64_t)(uintptr_t)p };
    uint64_t saved = *p;
    bool ok = true;

    for (size_t i = 0; i < ARRAY_SIZE(patterns); i++) {
        *p = patterns[i];
        dsb_sy();
        ok = ok && *p == patterns[i];
    }
    *p = saved;
    return ok;
}

static void test_memory_region(const struct mem_region *r)
{
    uint64_t image = (uintptr_t)_head, image_size = (uintptr_t)_end - (uintptr_t)_head;
    uint64_t last_page = (r->base + r->size - PAGE_SIZE) & ~(PAGE_SIZE - 1);
    uint64_t spots[MEM_SPOTS] = {
        r->base, r->base + r->size / 4, r->base + r->size / 2, r->base + 3 * (r->size / 4),
        last_page,
    };
    uint32_t tested = 0;

    for (size_t i = 0; i < ARRAY_SIZE(spots); i++) {
        uint64_t page = spots[i] & ~(PAGE_SIZE - 1);

        /* our own image (code, stacks) and the loader's DTB are not scratch space */
        if (page < r->base || range_overlaps(page, PAGE_SIZE, image, image_size) ||
            range_overlaps(page, PAGE_SIZE, plat.dtb_pa, plat.dtb_size)) {
            continue;
        }
        volatile uint64_t *first = (volatile uint64_t *)(uintptr_t)page;
        volatile uint64_t *last = first + PAGE_SIZE / sizeof(uint64_t) - 1;
        if (!mem_check_word(first) || !mem_check_word(last)) {
            report(false, "memory: write/read back failed in page 0x%lx", page);
            return;
        }
        tested++;
    }
    report(tested > 0, "memory: 0x%lx-0x%lx read/write at %u places incl. last page 0x%lx",
           r->base, r->base + r->size, tested, last_page);
}

/* ---------------------------------------------------------------- UART */

static void test_uart(void)
{
    static const uint32_t periph_id[UART_ID_REG_COUNT] = { 0x11, 0x10, 0x14, 0x00 };
    static const uint32_t cell_id[UART_ID_REG_COUNT] = { 0x0d, 0xf0, 0x05, 0xb1 };
    /* PeriphID2 carries the revision in [7:4]: r1p3 (0x14, QEMU) and r1p5 (0x34) are fine */
    const uint32_t periph_id2_alt = 0x34, periph_id2_idx = 2;
    uint32_t pid[UART_ID_REG_COUNT], cid[UART_ID_REG_COUNT];
    bool pid_ok = true, cid_ok = true;

    uint32_t fr = uart_read_reg(UART_FR);
    report(!(fr & UART_FR_RESERVED), "uart: UARTFR=0x%x, reserved bits clear", fr);
    uint32_t cr = uart_read_reg(UART_CR);
    report(cr & UART_CR_TXE, "uart: UARTCR=0x%x, transmit enabled", cr);

    for (uint32_t i = 0; i < UART_ID_REG_COUNT; i++) {
        pid[i] = uart_read_reg(UART_PERIPHID0 + i * UART_ID_REG_STRIDE) & UART_ID_BYTE;
        cid[i] = uart_read_reg(UART_PCELLID0 + i * UART_ID_REG_STRIDE) & UART_ID_BYTE;
        pid_ok = pid_ok && (pid[i] == periph_id[i] ||
                            (i == periph_id2_idx && pid[i] == periph_id2_alt));
        cid_ok = cid_ok && cid[i] == cell_id[i];
    }
    report(pid_ok, "uart: PL011 PeriphID = 0x%02x 0x%02x 0x%02x 0x%02x", pid[0], pid[1], pid[2],
           pid[3]);
    report(cid_ok, "uart: PrimeCell ID = 0x%02x 0x%02x 0x%02x 0x%02x", cid[0], cid[1], cid[2],
           cid[3]);
}

/* ---------------------------------------------------------------- PSCI and SMP */

static bool cpu_flag_set(const void *arg)
{
    return READ_ONCE(*(const uint32_t *)arg) != 0;
}

static bool cpu_is_off(const void *arg)
{
    return psci_affinity_info(*(const uint64_t *)arg) == PSCI_AFFINITY_OFF;
}

static void test_psci(void)
{
    uint32_t ver = psci_version();

    report(ver >= PSCI_VERSION_1_0, "psci: PSCI_VERSION %u.%u >= 1.0",
           ver >> PSCI_VERSION_MAJOR_SHIFT, ver & PSCI_VERSION_MINOR_MASK);
    int64_t feat = psci_features(PSCI_0_2_FN64_CPU_ON);
    report(feat == 0, "psci: PSCI_FEATURES(CPU_ON) = %ld", feat);
    for (uint32_t i = 1; i < plat.cpu_count; i++) {
        int64_t aff = psci_affinity_info(plat.cpu_mpidr[i]);
        report(aff == PSCI_AFFINITY_OFF, "psci: AFFINITY_INFO(cpu %u mpidr=0x%lx) = %ld (OFF)",
               i, plat.cpu_mpidr[i], aff);
    }
}

static void start_secondaries(void)
{
    if (plat.cpu_count_dt > plat.cpu_count) {
        report_info("smp: DT lists %u CPUs, testing the first %u", plat.cpu_count_dt,
                    plat.cpu_count);
    }
    for (uint32_t i = 1; i < plat.cpu_count; i++) {
        int64_t ret = psci_cpu_on(plat.cpu_mpidr[i], (uintptr_t)secondary_entry, i);
        report(ret == PSCI_RET_SUCCESS, "psci: CPU_ON(cpu %u mpidr=0x%lx) = %ld", i,
               plat.cpu_mpidr[i], ret);
        if (ret == PSCI_RET_SUCCESS) {
            bool up = wait_event_cond(cpu_flag_set, &percpu[i].online, ONLINE_TIMEOUT_MS);
            if (!up) {
                report(false, "smp: cpu %u did not come online", i);
            }
        }
    }
    for (uint32_t i = 1; i < plat.cpu_count; i++) {
        int64_t aff = psci_affinity_info(plat.cpu_mpidr[i]);
        report(aff == PSCI_AFFINITY_ON, "psci: AFFINITY_INFO(cpu %u) = %ld (ON)", i, aff);
    }
}

/* ---------------------------------------------------------------- SGIs */

static void sgi_count_irq(uint32_t intid)
{
    this_cpu()->sgi_count[intid]++;
}

struct count_wait {
    const uint32_t *count;
    uint32_t target;
};

static bool count_reached(const void *arg)
{
    const struct count_wait *w = arg;

    return READ_ONCE(*w->count) >= w->target;
}

/*
 * One secondary at a time: with affinity routing an SGI has no per-source pending state
 * (GIC spec 3.7), so two PONGs in flight at once could merge into one delivery.
 */
static void test_sgi_round(void)
{
    uint32_t *pong = &percpu[0].sgi_count[SGI_PONG];

    for (uint32_t i = 1; i < plat.cpu_count; i++) {
        if (!READ_ONCE(percpu[i].online)) {
            continue;
        }
        struct count_wait w = { pong, READ_ONCE(*pong) + 1 };
        gic_send_sgi(SGI_PING, plat.cpu_mpidr[i]);
        report(wait_irq_cond(count_reached, &w, SGI_TIMEOUT_MS),
               "sgi: cpu 0 got SGI %u back from cpu %u", SGI_PONG, i);
    }
}

/* ---------------------------------------------------------------- timer */

static void test_timer(void)
{
    struct percpu *pc = this_cpu();
    uint64_t freq = timer_freq();
    uint64_t start = timer_now();

    timer_start_periodic(TICK_HZ);
    struct count_wait w = { &pc->timer_ticks, TICK_TARGET };
    bool reached = wait_irq_cond(count_reached, &w, TICK_TIMEOUT_MS);
    uint64_t elapsed = timer_now() - start;
    uint32_t ticks = READ_ONCE(pc->timer_ticks);
    timer_stop();

    uint64_t ideal = TICK_TARGET * (freq / TICK_HZ);
    uint64_t limit = 2 * ideal + timer_ms_to_ticks(TICK_SLACK_MS);
    report(reached && elapsed >= ideal && elapsed <= limit,
           "timer: cpu %u %u ticks at %u Hz (intid %u) in %lu us, ideal %lu us", pc->idx, ticks,
           TICK_HZ, plat.timer_intid, elapsed * US_PER_S / freq, ideal * US_PER_S / freq);
}

/* ---------------------------------------------------------------- sequences */

void tests_basic_secondary(void)
{
    struct percpu *pc = this_cpu();

    report(pc->mpidr == plat.cpu_mpidr[pc->idx], "cpu %u online mpidr=0x%lx", pc->idx,
           pc->mpidr);
    gic_enable_private(SGI_PING);
    WRITE_ONCE(pc->online, 1);
    dsb_sy();
    sev();

    /* CPU0 pings the secondaries in order, so a later CPU may wait a while */
    struct count_wait w = { &pc->sgi_count[SGI_PING], 1 };
    if (wait_irq_cond(count_reached, &w, SGI_TIMEOUT_MS * TG_MAX_CPUS)) {
        gic_send_sgi(SGI_PONG, plat.cpu_mpidr[0]);
    }
    test_timer();

    /* checked after the timer test, so a duplicate delivery has had time to show up */
    report(READ_ONCE(pc->sgi_count[SGI_PING]) == 1, "sgi: cpu %u got SGI %u exactly once (%u)",
           pc->idx, SGI_PING, READ_ONCE(pc->sgi_count[SGI_PING]));
    report(!pc->unexpected_irqs, "irq: cpu %u no unexpected interrupts (%u)", pc->idx,
           pc->unexpected_irqs);
    WRITE_ONCE(pc->done, 1);
    dsb_sy();
    sev();
}

static void finish_secondaries(void)
{
    for (uint32_t i = 1; i < plat.cpu_count; i++) {
        if (!READ_ONCE(percpu[i].online)) {
            continue;
        }
        if (!wait_event_cond(cpu_flag_set, &percpu[i].done, TICK_TIMEOUT_MS)) {
            report(false, "smp: cpu %u did not finish its tests", i);
            continue;
        }
        bool off = wait_event_cond(cpu_is_off, &plat.cpu_mpidr[i], OFF_TIMEOUT_MS);
        report(off, "psci: cpu %u powered off (AFFINITY_INFO = %ld)", i,
               psci_affinity_info(plat.cpu_mpidr[i]));
    }
}

void tests_basic(void)
{
    struct percpu *pc = this_cpu();
    uint32_t online = 1;

    gic_set_handler(SGI_PING, sgi_count_irq);
    gic_set_handler(SGI_PONG, sgi_count_irq);
    gic_enable_private(SGI_PONG);

    for (uint32_t i = 0; i < plat.mem_count; i++) {
        test_memory_region(&plat.mem[i]);
    }
    test_uart();
    test_psci();
    start_secondaries();
    for (uint32_t i = 1; i < plat.cpu_count; i++) {
        online += READ_ONCE(percpu[i].online) ? 1 : 0;
    }
    report(online == plat.cpu_count, "smp: %u of %u cpus online", online, plat.cpu_count);

    test_sgi_round();
    test_timer();
    finish_secondaries();

    uint32_t pongs = READ_ONCE(pc->sgi_count[SGI_PONG]);
    report(pongs == online - 1, "sgi: cpu 0 got SGI %u exactly once per secondary (%u)", SGI_PONG,
           pongs);
    report(!pc->unexpected_irqs, "irq: cpu 0 no unexpected interrupts (%u)", pc->unexpected_irqs);
    tg_finish();
}
