// SPDX-License-Identifier: MIT
/*
 * tg.mode=mgmtsched: a manager reads the scheduler's per-vCPU accounting of shared pCPUs
 * from its management snapshots (include/bulkhead/mgmt.h version 3: wait_ns, throttled_ns,
 * preemptions, throttles; docs/MANAGEMENT.md "Statistics"), in tests/scenarios/s-mgmt-sched.dts:
 * - CPU 1: hogs `a` and `b` with budgets of 3 and 7 ms per 10 ms at one priority: runs of 30 %
 *   and 70 %, and the rest of each is waiting or throttled;
 * - CPU 2: hog `c` (priority 2, 2 ms per 10 ms) preempts hog `d` (priority 1, no budget) at
 *   every replenishment; `e` (priority 0) sleeps in one WFI until its timer, then is runnable
 *   but never gets the pCPU: that time is waiting, not idle (the six times add up);
 * - CPU 3: hog `x` alone on an exclusive pCPU: nothing waiting, throttled or preempted.
 * Two snapshots WINDOW_MS of virtual time apart (deterministic under -icount); the shares are
 * of the window: the sums (the accounting itself) within 5 per mille, the shares (the
 * scheduler, late by what QEMU's round robin delays a decision) within 1 or 2 %.
 */
#include <string.h>

#include <bulkhead/mgmt.h>

#include "mgmt_dev.h"
#include "mmio.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define SETTLE_MS 200   /* every hog busy, e asleep */
#define WINDOW_MS 1000  /* e wakes 400 ms into it (tg.idle_ms=600) */
#define END_MS    1900  /* d (busy until 1.6 s) done, e's WFI ended */
#define NVMS      6

static const char *const names[NVMS] = { "a", "b", "c", "d", "e", "x" };

struct snap {
    uint64_t time_ns;
    struct bh_mgmt_vcpu cpu[NVMS];
};

/* vCPU 0 of every VM in names[], from one snapshot (the hypervisor's seqlock). */
static bool take(struct snap *s)
{
    for (int tries = 0; tries < 4; tries++) {
        int32_t n = (int32_t)mmio_read32(MGMT_REG(BH_MGMT_REG_SNAPSHOT));
        uint64_t seq = MGMT_SNAP->seq;
        const volatile struct bh_mgmt_vm *v = (const volatile void *)(MGMT_SNAP + 1);
        unsigned found = 0;
        s->time_ns = MGMT_SNAP->time_ns;
        for (int32_t i = 0; i < n && i < 16; i++) { /* 16: more VMs than a scenario has */
            for (unsigned k = 0; k < NVMS; k++) {
                if (strcmp((const char *)v[i].name, names[k]) == 0) {
                    memcpy(&s->cpu[k], (const void *)&v[i].vcpu[0], sizeof(s->cpu[k]));
                    found++;
                }
            }
        }
        if ((seq & 1) == 0 && MGMT_SNAP->seq == seq) {
            return found == NVMS;
        }
    }
    return false;
}

/* The change of one vCPU's figures between the snapshots, shares in per mille of the window */
struct delta {
    uint64_t run, idle, wait, thr; /* per mille */
    uint64_t preempt, throttles;
    uint64_t sum;                  /* run + idle + blocked + paused + wait + throttled */
};

static uint64_t permille(uint64_t ns, uint64_t window)
{
    return window ? (ns * 1000 + window / 2) / window : 0;
}

static struct delta delta_of(const struct snap *a, const struct snap *b, unsigned k)
{
    const struct bh_mgmt_vcpu *p = &a->cpu[k], *q = &b->cpu[k];
    uint64_t w = b->time_ns - a->time_ns;
    uint64_t sum = (q->run_ns - p->run_ns) + (q->idle_ns - p->idle_ns) +
                   (q->blocked_ns - p->blocked_ns) + (q->paused_ns - p->paused_ns) +
                   (q->wait_ns - p->wait_ns) + (q->throttled_ns - p->throttled_ns);
    struct delta d = {
        .run = permille(q->run_ns - p->run_ns, w),
        .idle = permille(q->idle_ns - p->idle_ns, w),
        .wait = permille(q->wait_ns - p->wait_ns, w),
        .thr = permille(q->throttled_ns - p->throttled_ns, w),
        .preempt = q->preemptions - p->preemptions,
        .throttles = q->throttles - p->throttles,
        .sum = permille(sum, w),
    };
    tg_print("mgmtsched: %s run=%lu idle=%lu wait=%lu throttled=%lu (per mille) sum=%lu "
             "preemptions=%lu throttles=%lu", names[k], (unsigned long)d.run,
             (unsigned long)d.idle, (unsigned long)d.wait, (unsigned long)d.thr,
             (unsigned long)d.sum, (unsigned long)d.preempt, (unsigned long)d.throttles);
    return d;
}

static bool near(uint64_t v, uint64_t want, uint64_t tol)
{
    return v + tol >= want && v <= want + tol;
}

void tests_mgmt_sched(void)
{
    static struct snap s0, s1;

    report(mmio_read32(MGMT_REG(BH_MGMT_REG_VERSION)) == BH_MGMT_VERSION && BH_MGMT_VERSION == 3,
           "mgmtsched: management ABI version 3");
    timer_delay_ms(SETTLE_MS);
    bool ok = take(&s0);
    timer_delay_ms(WINDOW_MS);
    ok = take(&s1) && ok;
    report(ok, "mgmtsched: two snapshots of a, b, c, d, e and x");
    if (!ok) {
        tg_finish();
    }
    uint64_t w = s1.time_ns - s0.time_ns;
    report(near(w / 1000000, WINDOW_MS, 5), "mgmtsched: window %lu ns", (unsigned long)w);
    struct delta a = delta_of(&s0, &s1, 0), b = delta_of(&s0, &s1, 1);
    struct delta c = delta_of(&s0, &s1, 2), d = delta_of(&s0, &s1, 3);
    struct delta e = delta_of(&s0, &s1, 4), x = delta_of(&s0, &s1, 5);

    /* CPU 1: 30/70 budgets; every ms of each is run, waiting or throttled. The shares within
     * 2 %: a decision that QEMU's round robin delays costs b what a overran (paid back from
     * a's next budget, b's lapses at its period's end; s-share checks the shares within 1 %
     * over 2 s); the sums are the accounting's and exact */
    report(near(a.run, 300, 20) && near(a.wait + a.thr, 700, 20) && a.wait > 0 && a.thr > 0 &&
               near(a.sum, 1000, 5),
           "mgmtsched: a (3/10 ms) runs 30 %%, waits or is throttled the rest");
    report(near(b.run, 700, 20) && near(b.wait + b.thr, 300, 20) && b.wait > 0 &&
               near(b.sum, 1000, 5),
           "mgmtsched: b (7/10 ms) runs 70 %%, waits or is throttled the rest");
    /* a's budget is gone while b still has some: throttled is what the budgets imply, the
     * periods b has left after a's 3 ms (at least 4 of every 10 ms, b taking turns) */
    report(a.thr >= 400 - 30 && a.thr <= 700 && b.thr <= 30,
           "mgmtsched: a is throttled %lu per mille, b %lu", (unsigned long)a.thr,
           (unsigned long)b.thr);
    report(near(a.throttles, 100, 6) && near(b.throttles, 100, 6) && a.preempt > 0 &&
               b.preempt > 0,
           "mgmtsched: a budget exhaustion per period for both, preemptions at turns");
    /* CPU 2: c above d, c throttled by its budget, d preempted at every replenishment */
    report(near(c.run, 200, 10) && near(c.thr, 800, 10) && c.wait <= 5 && near(c.sum, 1000, 5),
           "mgmtsched: c (2/10 ms, highest) runs 20 %%, throttled 80 %%, never waits");
    report(near(c.throttles, 100, 2) && c.preempt == 0,
           "mgmtsched: c throttled once per period, never preempted");
    report(near(d.run, 800, 10) && near(d.wait, 200, 10) && d.thr == 0 && d.throttles == 0 &&
               near(d.preempt, 100, 2) && near(d.sum, 1000, 5),
           "mgmtsched: d (no budget) runs 80 %%, waits 20 %%, preempted once per period");
    /* e: idle until its timer 400 ms into the window, then runnable behind d: waiting */
    report(e.run <= 2 && near(e.idle, 400, 10) && near(e.wait, 600, 10) && e.thr == 0 &&
               near(e.sum, 1000, 5),
           "mgmtsched: e idle 40 %%, then waiting 60 %% (runnable: not idle), the sum 100 %%");
    /* CPU 3, exclusive: exactly nothing of the scheduler */
    const struct bh_mgmt_vcpu *x1 = &s1.cpu[5];
    report(x1->wait_ns == 0 && x1->throttled_ns == 0 && x1->preemptions == 0 &&
               x1->throttles == 0 && near(x.run, 1000, 5),
           "mgmtsched: x on an exclusive pCPU: runs 100 %%, wait, throttled, preemptions 0");
    /* once d is done (1.6 s), e's WFI ends: the wait as it ended is split the same way (idle
     * until its timer, ~600 ms since its start; waiting after it), not all idle */
    static struct snap s2;
    timer_delay_ms(END_MS - SETTLE_MS - WINDOW_MS);
    ok = take(&s2);
    const struct bh_mgmt_vcpu *e2 = &s2.cpu[4];
    report(ok && e2->run_ns > 0 && near(e2->idle_ns / 1000000, 600, 30) &&
               e2->wait_ns / 1000000 >= 900,
           "mgmtsched: e's ended WFI: idle %lu ms, then waiting %lu ms, run %lu us",
           (unsigned long)(e2->idle_ns / 1000000), (unsigned long)(e2->wait_ns / 1000000),
           (unsigned long)(e2->run_ns / 1000));
    tg_finish();
}
