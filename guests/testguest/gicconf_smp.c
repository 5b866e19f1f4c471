// SPDX-License-Identifier: MIT
/*
 * tg.mode=gicconf entry point, helpers shared by the gicconf files, CPU start-up and the
 * IPI tests between all CPUs (IHI 0069 12.2 ICC_SGI1R_EL1: target list, IRM = 1 broadcast to
 * all but self, SGI to self; on a GICv2 IHI 0048B 4.3.15 GICD_SGIR's three filters). With
 * affinity routing an SGI has no per-source pending state (3.7), so each sender uses its own
 * INTID, and every receiver must see each exactly once.
 * Cross-CPU words are single-writer (tg.h); CPUs meet at WFE/SEV barriers.
 */
#include "gicconf.h"
#include "mmio.h"
#include "platform.h"
#include "printf.h"
#include "psci.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define GC_TARGETS_PER_RS 16
#define GC_ONLINE_MS      5000
#define GC_BARRIER_MS     5000

uint32_t gc_cpus;                      /* CPUs taking part; written by CPU0 before gc_go */
static uint32_t gc_go;                 /* CPU0 -> secondaries: every CPU is ready */
static uint32_t gc_phase[TG_MAX_CPUS]; /* each CPU's last barrier, written by that CPU */

/* ---------------------------------------------------------------- shared helpers */

uintptr_t gc_sgi_base(void)
{
    /* GICv2: SGIs and PPIs are banked per CPU in the distributor itself (IHI 0048B 4.3), at
     * the offsets GICv3's SGI_base frame kept for them (IGROUPR0 .. ICFGR1) */
    return plat.gic_v2 ? plat.gicd_base : this_cpu()->gicr_rd + GICR_SGI_OFFSET;
}

const char *gc_priv_frame(void)
{
    return plat.gic_v2 ? "GICD" : "GICR";
}

void gc_set_prio(uint32_t intid, uint8_t prio)
{
    mmio_write8(gc_sgi_base() + GICR_IPRIORITYR + intid, prio);
}

void gc_count_irq(uint32_t intid)
{
    if (intid < GIC_NR_SGIS) {
        this_cpu()->sgi_count[intid]++;
    } else {
        this_cpu()->unexpected_irqs++;
    }
}

bool gc_never(const void *arg)
{
    (void)arg;
    return false;
}

bool gc_flag_set(const void *arg)
{
    return READ_ONCE(*(const uint32_t *)arg) != 0;
}

struct count_wait {
    uint32_t intid, target;
};

static bool count_reached(const void *arg)
{
    const struct count_wait *w = arg;

    return READ_ONCE(this_cpu()->sgi_count[w->intid]) >= w->target;
}

bool gc_wait_count(uint32_t intid, uint32_t target, uint64_t ms)
{
    struct count_wait w = { intid, target };

    return wait_event_cond(count_reached, &w, ms);
}

bool gc_private_bit(uint32_t reg, uint32_t intid)
{
    return mmio_read32(gc_sgi_base() + reg) & gic_bit(intid);
}

/* ICC_SGI1R_EL1 fields without the target list: the cluster Aff3.Aff2.Aff1 and RS. */
static uint64_t sgi1r_cluster(uint64_t mpidr)
{
    return FIELD_PREP(ICC_SGI1R_RS, FIELD_GET(MPIDR_AFF0, mpidr) / GC_TARGETS_PER_RS) |
           FIELD_PREP(ICC_SGI1R_AFF1, FIELD_GET(MPIDR_AFF1, mpidr)) |
           FIELD_PREP(ICC_SGI1R_AFF2, FIELD_GET(MPIDR_AFF2, mpidr)) |
           FIELD_PREP(ICC_SGI1R_AFF3, FIELD_GET(MPIDR_AFF3, mpidr));
}

static uint64_t sgi1r_target(uint64_t mpidr)
{
    return FIELD_PREP(ICC_SGI1R_TARGETS, BIT(FIELD_GET(MPIDR_AFF0, mpidr) % GC_TARGETS_PER_RS));
}

uint64_t gc_sgi1r_one(uint32_t intid, uint64_t mpidr)
{
    return sgi1r_cluster(mpidr) | sgi1r_target(mpidr) | FIELD_PREP(ICC_SGI1R_INTID, intid);
}

void gc_sgi1r_write(uint64_t val)
{
    dsb_sy(); /* the receiver must see our earlier stores */
    write_sysreg(val, ICC_SGI1R_EL1);
    isb();
}

/* ---------------------------------------------------------------- IPIs */

static bool all_reached(const void *arg)
{
    uint32_t phase = *(const uint32_t *)arg;

    for (uint32_t i = 0; i < READ_ONCE(gc_cpus); i++) {
        if (READ_ONCE(gc_phase[i]) < phase) {
            return false;
        }
    }
    return true;
}

bool gc_barrier(uint32_t phase)
{
    WRITE_ONCE(gc_phase[cpu_idx()], phase);
    dsb_sy();
    sev();
    return wait_event_cond(all_reached, &phase, GC_BARRIER_MS);
}

/* One ICC_SGI1R_EL1 write per cluster, each with every other CPU of it in the target list;
 * on a GICv2 one GICD_SGIR write with every other CPU interface (Aff0) in CPUTargetList. */
static void send_to_others(uint32_t intid)
{
    uint32_t self = cpu_idx(), sent = BIT(self);

    if (plat.gic_v2) {
        uint32_t list = 0;
        for (uint32_t i = 0; i < gc_cpus; i++) {
            uint64_t aff0 = FIELD_GET(MPIDR_AFF0, plat.cpu_mpidr[i]);
            list |= i != self && aff0 < GICV2_MAX_CPUS ? (uint32_t)BIT(aff0) : 0;
        }
        gc_sgir_write(0, list, intid);
        return;
    }

    for (uint32_t i = 0; i < gc_cpus; i++) {
        if (sent & BIT(i)) {
            continue;
        }
        uint64_t cluster = sgi1r_cluster(plat.cpu_mpidr[i]), list = 0;
        for (uint32_t j = i; j < gc_cpus; j++) {
            if (!(sent & BIT(j)) && sgi1r_cluster(plat.cpu_mpidr[j]) == cluster) {
                list |= sgi1r_target(plat.cpu_mpidr[j]);
                sent |= BIT(j);
            }
        }
        gc_sgi1r_write(cluster | list | FIELD_PREP(ICC_SGI1R_INTID, intid));
    }
}

/* Wait for SGI base + s from every other CPU s; true if all came. */
static bool wait_from_others(uint32_t base)
{
    bool ok = true;

    for (uint32_t s = 0; s < gc_cpus; s++) {
        if (s != cpu_idx()) {
            ok = gc_wait_count(base + s, 1, GC_XCPU_MS) && ok;
        }
    }
    return ok;
}

/* Per-sender counts as text, and whether each other CPU's came exactly once. */
static bool counts_ok(uint32_t base, char *buf, size_t size)
{
    const uint32_t *count = this_cpu()->sgi_count;
    bool ok = true;
    size_t n = 0;

    for (uint32_t s = 0; s < GC_MAX_CPUS; s++) {
        uint32_t want = s < gc_cpus && s != cpu_idx() ? 1 : 0;
        ok = ok && READ_ONCE(count[base + s]) == want;
        n += (size_t)tg_snprintf(buf + n, size - n, "%s%u", s ? " " : "", count[base + s]);
    }
    return ok;
}

static void ipi_run(void)
{
    uint32_t self = cpu_idx();
    char list[GC_MAX_CPUS * 12], bcast[GC_MAX_CPUS * 12];

    send_to_others(GC_SGI_LIST_BASE + self);
    wait_from_others(GC_SGI_LIST_BASE);
    gc_barrier(GC_PH_LIST);

    /* IRM = 1 (GICv2: TargetListFilter 0b01): every PE except the sender; the target list
     * (and affinity) are ignored */
    if (plat.gic_v2) {
        gc_sgir_write(GICD_SGIR_OTHERS, UINT8_MAX, GC_SGI_BCAST_BASE + self);
    } else {
        gc_sgi1r_write(ICC_SGI1R_IRM | FIELD_PREP(ICC_SGI1R_INTID, GC_SGI_BCAST_BASE + self));
    }
    wait_from_others(GC_SGI_BCAST_BASE);
    gc_barrier(GC_PH_BCAST);

    gc_send_self(GC_SGI_SELF);
    gc_wait_count(GC_SGI_SELF, 1, GC_IRQ_MS);
    gc_barrier(GC_PH_SELF);
    timer_delay_ms(GC_SETTLE_MS); /* duplicates and strays show up by now */

    bool list_ok = counts_ok(GC_SGI_LIST_BASE, list, sizeof(list));
    bool bcast_ok = counts_ok(GC_SGI_BCAST_BASE, bcast, sizeof(bcast));
    uint32_t self_count = READ_ONCE(this_cpu()->sgi_count[GC_SGI_SELF]);
    report(list_ok, "gicconf: cpu %u target-list SGIs %u..%u, one per sender: counts %s", self,
           GC_SGI_LIST_BASE, GC_SGI_LIST_BASE + GC_MAX_CPUS - 1, list);
    report(bcast_ok,
           "gicconf: cpu %u broadcast (%s) SGIs %u..%u from all others, none "
           "from itself: counts %s",
           self, gc_name("IRM=1", "GICD_SGIR filter 1"), GC_SGI_BCAST_BASE,
           GC_SGI_BCAST_BASE + GC_MAX_CPUS - 1, bcast);
    report(self_count == 1, "gicconf: cpu %u SGI %u to itself exactly once (%u)", self, GC_SGI_SELF,
           self_count);
    report(!this_cpu()->unexpected_irqs, "gicconf: cpu %u no unexpected interrupts (%u)", self,
           this_cpu()->unexpected_irqs);
    if (plat.gic_v2) {
        gicconf_v2_sources(); /* an SGI pending once per source (no such thing on GICv3) */
    }
    gc_barrier(GC_PH_DONE);
}

/* Every redistributor frame is readable by any CPU (Linux walks them all at boot). */
static void test_remote_frames(uint32_t mask)
{
    uint32_t ok = 0;

    for (uint32_t i = 1; i < gc_cpus; i++) {
        uintptr_t rd = gic_find_redist(plat.cpu_mpidr[i]);
        ok += rd && (mmio_read32(rd + GICR_SGI_OFFSET + GICR_ISENABLER0) & mask) == mask;
    }
    report(ok == gc_cpus - 1,
           "gicconf: cpu 0 sees the IPI SGIs enabled in the other %u cpus' "
           "GICR_ISENABLER0 (%u)",
           gc_cpus - 1, ok);
}

static uint32_t ipi_mask(void)
{
    uint32_t mask = gic_bit(GC_SGI_SELF);

    for (uint32_t s = 0; s < GC_MAX_CPUS; s++) {
        mask |= gic_bit(GC_SGI_LIST_BASE + s) | gic_bit(GC_SGI_BCAST_BASE + s);
    }
    return mask;
}

static void enable_ipis(void)
{
    mmio_write32(gc_sgi_base() + GICR_ISENABLER0, ipi_mask());
}

void tests_gicconf_secondary(void)
{
    struct percpu *pc = this_cpu();

    enable_ipis();
    WRITE_ONCE(pc->online, 1);
    dsb_sy();
    sev();
    if (wait_event_cond(gc_flag_set, &gc_go, GC_DONE_MS) && pc->idx < READ_ONCE(gc_cpus)) {
        ipi_run();
        gicconf_remote_secondary();
    }
    WRITE_ONCE(pc->done, 1);
    dsb_sy();
    sev();
}

void gicconf_smp(void)
{
    uint32_t n = plat.cpu_count < GC_MAX_CPUS ? plat.cpu_count : GC_MAX_CPUS;

    if (plat.cpu_count > GC_MAX_CPUS) {
        report_info("gicconf: %u CPUs, the IPI tests use the first %u", plat.cpu_count, n);
    }
    enable_ipis();
    gc_cpus = 1;
    for (uint32_t i = 1; i < n; i++) {
        int64_t ret = psci_cpu_on(plat.cpu_mpidr[i], (uintptr_t)secondary_entry, i);
        if (ret != PSCI_RET_SUCCESS ||
            !wait_event_cond(gc_flag_set, &percpu[i].online, GC_ONLINE_MS)) {
            report(false, "gicconf: cpu %u did not start (CPU_ON = %ld)", i, ret);
            break;
        }
        gc_cpus = i + 1;
    }
    report(gc_cpus >= 2, "gicconf: %u CPUs take part in the IPI tests", gc_cpus);
    if (!plat.gic_v2) { /* a GICv2 banks them: no CPU sees another's */
        test_remote_frames(ipi_mask());
    }
    dsb_sy();
    WRITE_ONCE(gc_go, 1);
    dsb_sy();
    sev();
    ipi_run();
    gicconf_remote();
    for (uint32_t i = 1; i < gc_cpus; i++) {
        if (!wait_event_cond(gc_flag_set, &percpu[i].done, GC_DONE_MS)) {
            report(false, "gicconf: cpu %u did not finish", i);
        }
    }
}

void tests_gicconf(void)
{
    for (uint32_t i = 0; i < GIC_NR_SGIS; i++) {
        gic_set_handler(i, gc_count_irq);
    }
    gicconf_regs();
    gicconf_irq();
    gicconf_smp();
    tg_finish();
}
