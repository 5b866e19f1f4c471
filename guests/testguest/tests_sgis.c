// SPDX-License-Identifier: MIT
/*
 * tg.mode=sgis: IPIs between two vCPUs in the shapes Bulkhead's vectors handle themselves
 * (arch/aarch64/vectors.S: the ICC_SGI1R_EL1 write posted in guest_sysreg, the posted SGIs put
 * into LRs on the kick in guest_irq_other) and the ones they leave to C, each checked for the
 * GIC's outcome (IHI 0069 12.2 ICC_SGI1R_EL1, 3.7: one pending bit per SGI and target):
 * - a stream of SGIs from x1, one at a time: each taken exactly once (the fast paths, the
 *   SGI re-armed in the LR the guest finished);
 * - the same from x17 (Rt >= 16: the send goes through C);
 * - three different SGIs back to back: each taken once (several in one kick);
 * - an SGI disabled at the target: not taken but pending in its GICR_ISPENDR0, taken once
 *   when enabled (written in the target's redistributor frame from this CPU);
 * - a target list with Aff1 = 1 or RS = 1 (no such vCPU): nothing taken.
 * CPU0 sends, CPU1 receives (its SGI counts, tg.h) and sleeps in WFI. Also holds on plain
 * QEMU (-smp 2).
 */
#include "gicconf.h"
#include "mmio.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define SG_STREAM   3
#define SG_HIGH     4
#define SG_BURST    5   /* 5, 6, 7 */
#define SG_DISABLED 8
#define SG_WAKE     9
#define SG_N        200
#define SG_N_HIGH   20
#define SG_PRIO     0x80
#define SG_MS       2000
#define SG_SETTLE   20

static uint32_t sg_finish; /* CPU0 -> CPU1 */

GC_DEFINE_SGI1R_WRITE(sg_write_x1, "x1")
GC_DEFINE_SGI1R_WRITE(sg_write_x17, "x17")

static uint32_t rx_count(uint32_t intid)
{
    return READ_ONCE(percpu[1].sgi_count[intid]);
}

struct rx_wait {
    uint32_t intid, want;
};

static bool rx_reached(const void *arg)
{
    const struct rx_wait *w = arg;

    return rx_count(w->intid) >= w->want;
}

static bool rx_wait(uint32_t intid, uint32_t want)
{
    struct rx_wait w = { intid, want };

    return wait_event_cond(rx_reached, &w, SG_MS);
}

void tests_sgis_secondary(void)
{
    struct percpu *pc = this_cpu();
    uint32_t mask = 0;

    for (uint32_t i = SG_STREAM; i <= SG_WAKE; i++) {
        gc_set_prio(i, SG_PRIO);
        mask |= i == SG_DISABLED ? 0 : gic_bit(i);
    }
    mmio_write32(gc_sgi_base() + GICR_ISENABLER0, mask);
    WRITE_ONCE(pc->online, 1);
    dsb_sy();
    sev();
    wait_irq_cond(gc_flag_set, &sg_finish, 60000); /* SGIs wake it; SG_WAKE ends it */
    WRITE_ONCE(pc->done, 1);
    dsb_sy();
    sev();
}

static void sg_stream(void (*send)(uint64_t), uint32_t intid, uint32_t n, unsigned rt)
{
    uint64_t val = gc_sgi1r_one(intid, plat.cpu_mpidr[1]);
    uint32_t sent = 0;

    while (sent < n) {
        send(val);
        sent++;
        if (!rx_wait(intid, sent)) {
            break;
        }
    }
    wait_event_cond(gc_never, NULL, SG_SETTLE);
    report(sent == n && rx_count(intid) == n,
           "sgis: %u SGIs %u from x%u, one at a time: each taken once (%u)", n, intid, rt,
           rx_count(intid));
}

static void sg_burst(void)
{
    uint64_t one = gc_sgi1r_one(0, plat.cpu_mpidr[1]);
    bool ok = true;

    for (uint32_t i = SG_BURST; i < SG_BURST + 3; i++) {
        sg_write_x1(one | FIELD_PREP(ICC_SGI1R_INTID, i));
    }
    for (uint32_t i = SG_BURST; i < SG_BURST + 3; i++) {
        ok = rx_wait(i, 1) && ok;
    }
    wait_event_cond(gc_never, NULL, SG_SETTLE);
    report(ok && rx_count(SG_BURST) == 1 && rx_count(SG_BURST + 1) == 1 &&
               rx_count(SG_BURST + 2) == 1,
           "sgis: SGIs %u, %u, %u back to back: each taken once (%u %u %u)", SG_BURST,
           SG_BURST + 1, SG_BURST + 2, rx_count(SG_BURST), rx_count(SG_BURST + 1),
           rx_count(SG_BURST + 2));
}

static void sg_disabled(void)
{
    uintptr_t sgi = percpu[1].gicr_rd + GICR_SGI_OFFSET;

    sg_write_x1(gc_sgi1r_one(SG_DISABLED, plat.cpu_mpidr[1]));
    wait_event_cond(gc_never, NULL, SG_SETTLE);
    bool pend = mmio_read32(sgi + GICR_ISPENDR0) & gic_bit(SG_DISABLED);
    uint32_t before = rx_count(SG_DISABLED);
    mmio_write32(sgi + GICR_ISENABLER0, gic_bit(SG_DISABLED));
    bool got = rx_wait(SG_DISABLED, 1);
    wait_event_cond(gc_never, NULL, SG_SETTLE);
    report(pend && before == 0 && got && rx_count(SG_DISABLED) == 1,
           "sgis: SGI %u disabled at the target: pending (%d), not taken (%u), taken once when "
           "enabled (%u)",
           SG_DISABLED, pend, before, rx_count(SG_DISABLED));
}

static void sg_nobody(void)
{
    uint64_t val = gc_sgi1r_one(SG_STREAM, plat.cpu_mpidr[1]);
    uint32_t before = rx_count(SG_STREAM);

    sg_write_x1(val | FIELD_PREP(ICC_SGI1R_AFF1, 1));
    sg_write_x1(val | FIELD_PREP(ICC_SGI1R_RS, 1));
    wait_event_cond(gc_never, NULL, SG_SETTLE);
    report(rx_count(SG_STREAM) == before,
           "sgis: target lists with Aff1 = 1 and RS = 1 (no such vCPU): nothing taken (%u)",
           rx_count(SG_STREAM) - before);
}

void tests_sgis(void)
{
    for (uint32_t i = 0; i < GIC_NR_SGIS; i++) {
        gic_set_handler(i, gc_count_irq);
    }
    if (plat.cpu_count < 2) {
        report(false, "sgis: needs 2 CPUs (%u)", plat.cpu_count);
        tg_finish();
    }
    int64_t ret = psci_cpu_on(plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 1);
    if (ret != PSCI_RET_SUCCESS || !wait_event_cond(gc_flag_set, &percpu[1].online, SG_MS)) {
        report(false, "sgis: cpu 1 did not start (CPU_ON = %ld)", ret);
        tg_finish();
    }
    sg_stream(sg_write_x1, SG_STREAM, SG_N, 1);
    sg_stream(sg_write_x17, SG_HIGH, SG_N_HIGH, 17);
    sg_burst();
    sg_disabled();
    sg_nobody();
    WRITE_ONCE(sg_finish, 1);
    sg_write_x1(gc_sgi1r_one(SG_WAKE, plat.cpu_mpidr[1]));
    bool done = wait_event_cond(gc_flag_set, &percpu[1].done, SG_MS);
    report(done && !READ_ONCE(percpu[1].unexpected_irqs) && !this_cpu()->unexpected_irqs,
           "sgis: cpu 1 finished, no unexpected interrupts (%u, %u)",
           READ_ONCE(percpu[1].unexpected_irqs), this_cpu()->unexpected_irqs);
    tg_finish();
}
