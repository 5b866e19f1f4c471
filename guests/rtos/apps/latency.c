// SPDX-License-Identifier: MIT
/*
 * rt.app=latency: virtual-timer interrupt latency of this (pinned) VM, for `make bench`'s
 * rtlat step (docs/PERFORMANCE.md, "Real-time latency"). A periodic task (rt.lat_us, default
 * 1000 us) is the only timer user, so each of its releases is one timer interrupt. The
 * kernel's clock probe (rt_clock_set_probe) runs first in the timer handler and records:
 *
 *   - the latency: CNTVCT_EL0 at the handler's entry minus the CNTV_CVAL_EL0 that fired, in
 *     counter ticks (the counter's resolution: 1e9 / CNTFRQ ns, 16 ns at QEMU's 62.5 MHz);
 *     it includes the vector's context save and the GIC acknowledge, a fixed number of guest
 *     instructions;
 *   - the EL2 instructions the pCPU retired since the previous tick's handler entry (the
 *     hypercall BH_HC_BENCH_EL2_INSNS, CONFIG_BENCH builds of Bulkhead only; elsewhere the
 *     call is refused and the EL2 figures are "unavailable"), less one calibrated counter
 *     read: the hypervisor's whole work for that tick on this pCPU, i.e. the timer exit and
 *     the injection plus anything else that ran there. Nothing else of this VM enters EL2
 *     between two ticks: no output while measuring, WFI untrapped (a real-time VM's default).
 *
 * Recording starts once the neighbours' load runs: after rt.lat_delay_ms, and with
 * rt.lat_go=SHM once another VM wrote "go" into that shared memory (polled, no exit); the
 * first RT_WARMUP ticks are dropped, then rt.lat_n ticks are recorded; the summary lines (README "Output") give
 * p50/p99/max and histograms that bench/run.py parses.
 */
#include <string.h>

#include <bulkhead/abi.h>
#include <bulkhead/hvc.h>

#include <rt/console.h>
#include <rt/ipc.h>
#include <rt/time.h>

#include "apps.h"
#include "bootargs.h"
#include "printf.h"

#define STACK_SIZE      0x2000
#define LAT_PRIO        30
#define PERIOD_US_DEF   1000
#define PERIOD_US_MIN   100
#define PERIOD_US_MAX   100000
#define N_DEF           2000
#define N_MAX           8192
#define DELAY_MS_MAX    600000
#define GO_NAME_MAX     32
#define GO_POLL_US      10000    /* rt.lat_go: how often the flag is looked at */
#define GO_WAIT_MS_DEF  120000   /* ... and for how long at most (virtual time) */
#define GO_MAGIC        0x6f67u  /* "go" little-endian, as `bhipc shm-write SHM 0 go` */
#define RT_WARMUP       8        /* ticks dropped before recording (and the EL2 base read) */
#define CALIB_ROUNDS    8
#define WAIT_SLACK_US   1000000  /* beyond n periods before the run counts as stuck */
#define LINE_MAX_CHARS  120      /* histogram lines stay under the console's 160 */
#define NS_PER_S        1000000000ULL
#define LAT_BUCKETS     24       /* latency histogram: [0,32) ns, then powers of two */
#define LAT_BUCKET0_NS  32
#define OUTLIERS_MAX    16       /* ticks whose EL2 work differs from the median, printed */

static struct {
    uint32_t n, warm;
    bool el2;               /* the EL2 counter hypercall answers */
    uint64_t calib;
    uint64_t el2_prev;
    uint32_t recorded;
    uint32_t lat_ticks[N_MAX];
    uint32_t el2_insns[N_MAX];
    uint32_t at_us[N_MAX];  /* handler entry, us since the first recorded tick's */
    uint32_t sorted[N_MAX];
    rt_time_t t0;
    struct rt_sem done;
} lt;

static struct rt_task lat_task;
RT_STACK_DEFINE(lat_stack, STACK_SIZE);

static uint64_t el2_insns(void)
{
    return (uint64_t)bh_hvc(BH_HC_BENCH_EL2_INSNS, 0, 0, 0, 0);
}

/* Kernel context, first thing in the timer handler: one sample per tick. */
static void lat_probe(rt_time_t now, rt_time_t cval)
{
    uint64_t c = lt.el2 ? el2_insns() : 0;

    if (lt.warm < RT_WARMUP) {
        lt.warm++;
        lt.el2_prev = c;
        return;
    }
    if (lt.recorded >= lt.n) {
        return;
    }
    uint64_t late = now >= cval ? now - cval : 0;
    uint64_t d = c - lt.el2_prev - lt.calib;

    if (lt.recorded == 0) {
        lt.t0 = now;
    }
    lt.at_us[lt.recorded] = (uint32_t)RT_MIN(rt_ticks_to_us(now - lt.t0), UINT32_MAX);
    lt.lat_ticks[lt.recorded] = (uint32_t)RT_MIN(late, UINT32_MAX);
    lt.el2_insns[lt.recorded] = (uint32_t)RT_MIN(d, UINT32_MAX);
    lt.el2_prev = c;
    if (++lt.recorded == lt.n) {
        rt_clock_set_probe(NULL);
        rt_sem_post(&lt.done);
    }
}

static void lat_main(void *arg)
{
    (void)arg;
    while (rt_task_wait_period() == RT_OK) {
    }
}

/* Heapsort: n log n, no recursion, no allocation. */
static void sift(uint32_t *a, uint32_t root, uint32_t n)
{
    for (;;) {
        uint32_t c = 2 * root + 1;
        if (c >= n) {
            return;
        }
        if (c + 1 < n && a[c + 1] > a[c]) {
            c++;
        }
        if (a[root] >= a[c]) {
            return;
        }
        uint32_t t = a[root];
        a[root] = a[c];
        a[c] = t;
        root = c;
    }
}

static void sort_u32(uint32_t *a, uint32_t n)
{
    for (uint32_t i = n / 2; i-- > 0;) {
        sift(a, i, n);
    }
    for (uint32_t end = n; end-- > 1;) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift(a, 0, end);
    }
}

static uint32_t pct(const uint32_t *sorted, uint32_t n, uint32_t p)
{
    return sorted[(uint64_t)(n - 1) * p / 100];
}

static uint64_t ticks_ns(uint64_t ticks)
{
    uint64_t hz = rt_clock_hz();

    return ticks / hz * NS_PER_S + (ticks % hz) * NS_PER_S / hz;
}

/* "RT latency <tag> v:c v:c ..." lines, run-length of a sorted array (every distinct value). */
static void print_runs(const char *tag, const uint32_t *a, uint32_t n)
{
    char line[LINE_MAX_CHARS + 24];
    size_t len = 0;

    for (uint32_t i = 0; i < n;) {
        uint32_t j = i;
        while (j < n && a[j] == a[i]) {
            j++;
        }
        len += (size_t)tg_snprintf(line + len, sizeof(line) - len, " %u:%u", a[i], j - i);
        if (len >= LINE_MAX_CHARS || j == n) {
            rt_printf("RT latency %s%s", tag, line);
            len = 0;
        }
        i = j;
    }
}

static void print_latency(uint32_t n, uint64_t period_us)
{
    uint32_t *lat = lt.sorted;

    uint32_t hist[LAT_BUCKETS] = { 0 };
    char line[LINE_MAX_CHARS + 24];
    size_t len = 0;
    uint64_t sum = 0;

    memcpy(lat, lt.lat_ticks, n * sizeof(*lat));
    sort_u32(lat, n);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t ns = ticks_ns(lat[i]);
        uint32_t b = 0;
        sum += lat[i];
        while (b + 1 < LAT_BUCKETS && ns >= (uint64_t)LAT_BUCKET0_NS << b) {
            b++;
        }
        hist[b]++;
    }
    rt_printf("RT latency n=%u period_us=%lu freq_hz=%lu res_ns=%lu ns_min=%lu p50=%lu p99=%lu "
              "max=%lu avg=%lu",
              n, period_us, rt_clock_hz(), ticks_ns(1) ? ticks_ns(1) : 1,
              ticks_ns(lat[0]), ticks_ns(pct(lat, n, 50)), ticks_ns(pct(lat, n, 99)),
              ticks_ns(lat[n - 1]), ticks_ns(sum / n));
    /* histogram: "lt<bound_ns>:<count>" for each non-empty bucket */
    for (uint32_t b = 0; b < LAT_BUCKETS; b++) {
        if (hist[b]) {
            len += (size_t)tg_snprintf(line + len, sizeof(line) - len, " lt%lu:%u",
                                       b + 1 < LAT_BUCKETS ? (uint64_t)LAT_BUCKET0_NS << b : 0,
                                       hist[b]);
        }
        if (len >= LINE_MAX_CHARS || (b + 1 == LAT_BUCKETS && len)) {
            rt_printf("RT latency hist_ns%s", line);
            len = 0;
        }
    }
    rt_printf("RT latency ticks_max=%u ticks_p99=%u", lat[n - 1], pct(lat, n, 99));
}

/*
 * The ticks whose EL2 work differs from the median: when (us since the first recorded tick),
 * how much, and that tick's latency, to find what else ran on this pCPU.
 */
static void print_el2_outliers(uint32_t n, uint32_t median)
{
    uint32_t shown = 0, total = 0;

    for (uint32_t i = 0; i < n; i++) {
        if (lt.el2_insns[i] == median) {
            continue;
        }
        total++;
        if (shown < OUTLIERS_MAX) {
            shown++;
            rt_printf("RT latency el2_outlier i=%u at_us=%u el2=%u lat_ns=%lu", i, lt.at_us[i],
                      lt.el2_insns[i], ticks_ns(lt.lat_ticks[i]));
        }
    }
    rt_printf("RT latency el2_outliers=%u shown=%u", total, shown);
}

static void print_el2(uint32_t n)
{
    uint32_t *el2 = lt.sorted;
    uint32_t distinct = 0;
    uint64_t sum = 0;

    if (!lt.el2) {
        rt_printf("RT latency el2 unavailable (not a CONFIG_BENCH build of Bulkhead)");
        return;
    }
    memcpy(el2, lt.el2_insns, n * sizeof(*el2));
    sort_u32(el2, n);
    for (uint32_t i = 0; i < n; i++) {
        sum += el2[i];
        distinct += i == 0 || el2[i] != el2[i - 1];
    }
    rt_printf("RT latency el2 n=%u calib=%lu min=%u p50=%u p99=%u max=%u avg=%lu distinct=%u",
              n, lt.calib, el2[0], pct(el2, n, 50), pct(el2, n, 99), el2[n - 1], sum / n,
              distinct);
    print_runs("el2_hist", el2, n);
    print_el2_outliers(n, pct(el2, n, 50));
}

/*
 * rt.lat_go=SHM: wait until another VM writes "go" at the start of shared memory SHM (plain
 * memory: the neighbour's load signals that it runs without any exit on this pCPU), looking
 * every GO_POLL_US for at most rt.lat_go_ms. NULL when it came (or no rt.lat_go), else why not.
 */
static const char *wait_go(void)
{
    char name[GO_NAME_MAX] = "";
    struct ipc_obj_info shm;
    void *va;
    size_t size;

    if (!bootarg_get("rt.lat_go", name, sizeof(name)) || !name[0]) {
        return NULL;
    }
    if (ipc_init() != RT_OK || ipc_find(name, &shm) != RT_OK ||
        ipc_shm_get(shm.id, &va, &size) != RT_OK || size < sizeof(uint16_t)) {
        return "no go window";
    }
    uint64_t polls = RT_MIN(bootarg_get_u64("rt.lat_go_ms", GO_WAIT_MS_DEF), DELAY_MS_MAX) *
                     1000 / GO_POLL_US;
    for (uint64_t i = 0; i <= polls; i++) {
        if (*(volatile uint16_t *)va == GO_MAGIC) {
            rt_printf("RT latency go after_ms=%lu", i * GO_POLL_US / 1000);
            return NULL;
        }
        rt_sleep_us(GO_POLL_US);
    }
    return "no go in time";
}

void app_latency_main(void *arg)
{
    uint64_t period_us = bootarg_get_u64("rt.lat_us", PERIOD_US_DEF);
    uint64_t delay_ms = RT_MIN(bootarg_get_u64("rt.lat_delay_ms", 0), DELAY_MS_MAX);
    struct rt_task_attr attr = { .name = "lat", .prio = LAT_PRIO, .stack = lat_stack,
                                 .stack_size = sizeof(lat_stack) };
    int64_t probe_ret;

    (void)arg;
    period_us = RT_MIN(RT_MAX(period_us, PERIOD_US_MIN), PERIOD_US_MAX);
    lt.n = (uint32_t)RT_MIN(RT_MAX(bootarg_get_u64("rt.lat_n", N_DEF), 1), N_MAX);
    attr.period_us = period_us;
    rt_sem_init(&lt.done, 0, 1);

    /* Refused (negative) unless this is a CONFIG_BENCH build of Bulkhead. */
    probe_ret = (int64_t)el2_insns();
    lt.el2 = probe_ret >= 0;
    lt.calib = UINT64_MAX;
    for (int i = 0; lt.el2 && i < CALIB_ROUNDS; i++) {
        uint64_t a = el2_insns();
        uint64_t b = el2_insns();
        lt.calib = RT_MIN(lt.calib, b - a);
    }
    if (!lt.el2) {
        lt.calib = 0;
    }
    rt_printf("RT latency start n=%u period_us=%lu delay_ms=%lu el2=%s calib=%lu", lt.n,
              period_us, delay_ms, lt.el2 ? "yes" : "no", lt.calib);
    const char *fail = wait_go();
    if (fail) {
        rt_printf("RT summary samples=0 FAIL %s", fail);
        app_finish();
    }
    /* the lines above are written (trapped UART writes) before the first release */
    attr.first_release = rt_now() + rt_us_to_ticks(delay_ms * 1000);
    rt_clock_set_probe(lat_probe);
    if (rt_task_create(&lat_task, &attr, lat_main, NULL) != RT_OK) {
        rt_printf("RT summary samples=0 FAIL task create");
        app_finish();
    }
    uint64_t wait_us = delay_ms * 1000 + (uint64_t)(lt.n + RT_WARMUP + 2) * period_us +
                       WAIT_SLACK_US;
    int r = rt_sem_wait(&lt.done, wait_us);
    rt_clock_set_probe(NULL);
    uint32_t n = lt.recorded;
    rt_task_print_stats(&lat_task);
    if (r != RT_OK || n == 0) {
        rt_printf("RT summary samples=%u FAIL timeout", n);
        app_finish();
    }
    print_latency(n, period_us);
    print_el2(n);
    app_print_kernel_stats();
    rt_printf("RT summary samples=%u ok", n);
    app_finish();
}
