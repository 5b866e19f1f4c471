// SPDX-License-Identifier: MIT
/*
 * GIC conformance across CPUs, after the IPI tests: an SPI routed with GICD_IROUTER (GICv2:
 * GICD_ITARGETSR) to each CPU in turn (IHI 0069 12.9 GICD_IROUTER, 4.1.2; IHI 0048B 4.3.12),
 * and (GICv3 only: GICv2 banks them) one CPU's view of another CPU's
 * interrupt state through that CPU's redistributor (12.11 GICR_ISPENDR0/ISACTIVER0 of a remote
 * frame): the registers must show the state of the moment, as Linux's synchronize_irq() expects
 * when it polls an interrupt's active state. Interrupts are taken by hand (PSTATE.I set, IAR1).
 */
#include "gicconf.h"
#include "mmio.h"
#include "platform.h"
#include "printf.h"
#include "report.h"
#include "timer.h"

#define GC_REMOTE_SGI GC_SGI_EOI
#define GC_REMOTE_CPU 1

static uint32_t spi_taken[TG_MAX_CPUS]; /* routed SPI acknowledged, by the CPU itself */
static uint32_t spi_stray[TG_MAX_CPUS]; /* other INTIDs acknowledged in the SPI phase */
static uint32_t spi_end;                /* CPU0: the SPI routing phase is over */

/* Remote-state handshake: rs_cmd written by CPU0 only, rs_state and rs_iar by CPU1 only. */
enum rs_step { RS_READY = 1, RS_ACKED, RS_EOID, RS_END };
static uint32_t rs_cmd, rs_state, rs_iar;

/* Acknowledge by hand (PSTATE.I set) what is pending here; count the routed SPI. */
static void spi_drain(void)
{
    uint32_t self = cpu_idx();

    for (;;) {
        uint32_t iar = gc_ack();
        uint32_t intid = gic_iar_intid(iar);

        if (intid >= GIC_INTID_SPURIOUS && intid < GIC_INTID_SPECIAL_END) {
            return;
        }
        if (intid == plat.uart_intid) {
            WRITE_ONCE(spi_taken[self], spi_taken[self] + 1);
        } else {
            WRITE_ONCE(spi_stray[self], spi_stray[self] + 1);
        }
        gc_eoi(iar);
        dsb_sy();
        sev();
    }
}

/* Secondaries: take interrupts by hand until CPU0 ends the phase. */
static void spi_serve(void)
{
    uint64_t deadline = timer_now() + timer_ms_to_ticks(GC_DONE_MS);

    irq_mask();
    gc_barrier(GC_PH_SPI); /* CPU0 routes nothing before every CPU takes it by hand */
    while (!READ_ONCE(spi_end) && timer_now() < deadline) {
        spi_drain();
        wfe();
    }
    spi_drain();
    irq_unmask();
}

struct taken_wait {
    uint32_t cpu, want;
};

static bool taken_reached(const void *arg)
{
    const struct taken_wait *w = arg;

    spi_drain(); /* CPU0 serves its own turn while it waits */
    return READ_ONCE(spi_taken[w->cpu]) >= w->want;
}

/*
 * 12.9 GICD_IROUTER and GICD_ISPENDR: CPU0 routes the UART's SPI to each CPU in turn
 * and pends it by software; exactly the routed CPU acknowledges it, once (a level SPI's
 * software pending state ends at acknowledge, 4.1.2).
 */
static void spi_route_run(void)
{
    uint32_t spi = plat.uart_intid, w = gic_bit_reg(spi), b = gic_bit(spi);
    uint32_t route = GICD_IROUTER + spi * GICD_IROUTER_STRIDE;
    uintptr_t d = plat.gicd_base;
    /* the old routing: IROUTER is past a GICv2 distributor's 4 KiB, ITARGETSR RAZ on v3 */
    uint32_t olo = plat.gic_v2 ? 0 : mmio_read32(d + route);
    uint32_t ohi = plat.gic_v2 ? 0 : mmio_read32(d + route + sizeof(uint32_t));
    uint8_t otargets = plat.gic_v2 ? mmio_read8(d + GICD_ITARGETSR + spi) : 0;
    bool ok = true;
    char counts[GC_MAX_CPUS * 12];
    size_t n = 0;

    irq_mask();
    gc_barrier(GC_PH_SPI);
    mmio_write8(d + GICD_IPRIORITYR + spi, GC_PRIO_MID);
    if (!plat.gic_v2) { /* GICv2: Group 0, as the driver keeps everything (gic.h) */
        mmio_write32(d + GICD_IGROUPR + w, mmio_read32(d + GICD_IGROUPR + w) | b);
    }
    mmio_write32(d + GICD_ISENABLER + w, b);
    for (uint32_t k = 0; k < gc_cpus; k++) {
        uint64_t m = plat.cpu_mpidr[k];
        struct taken_wait tw = { k, 1 };
        if (plat.gic_v2) { /* CPU interface number = Aff0 (gic.c) */
            mmio_write8(d + GICD_ITARGETSR + spi, (uint8_t)BIT(FIELD_GET(MPIDR_AFF0, m)));
        } else {
            mmio_write32(d + route, (uint32_t)(m & (MPIDR_AFF0 | MPIDR_AFF1 | MPIDR_AFF2)));
            mmio_write32(d + route + sizeof(uint32_t), (uint32_t)FIELD_GET(MPIDR_AFF3, m));
        }
        mmio_write32(d + GICD_ISPENDR + w, b);
        if (!wait_event_cond(taken_reached, &tw, GC_XCPU_MS)) {
            report_info("gicconf: SPI %u routed to cpu %u not taken: GICD_ISPENDR=%d "
                        "ISACTIVER=%d route=0x%x, cpu %u unexpected IRQs %u",
                        spi, k, (mmio_read32(d + GICD_ISPENDR + w) & b) != 0,
                        (mmio_read32(d + GICD_ISACTIVER + w) & b) != 0,
                        plat.gic_v2 ? mmio_read8(d + GICD_ITARGETSR + spi) : mmio_read32(d + route),
                        k, READ_ONCE(percpu[k].unexpected_irqs));
        }
        wait_event_cond(gc_never, NULL, GC_SETTLE_MS / 2);
        spi_drain();
    }
    mmio_write32(d + GICD_ICENABLER + w, b);
    if (plat.gic_v2) {
        mmio_write8(d + GICD_ITARGETSR + spi, otargets);
    } else {
        mmio_write32(d + route, olo);
        mmio_write32(d + route + sizeof(uint32_t), ohi);
    }
    WRITE_ONCE(spi_end, 1);
    dsb_sy();
    sev();
    irq_unmask();
    for (uint32_t k = 0; k < gc_cpus; k++) {
        ok = ok && READ_ONCE(spi_taken[k]) == 1 && !READ_ONCE(spi_stray[k]);
        n += (size_t)tg_snprintf(counts + n, sizeof(counts) - n, "%s%u", k ? " " : "",
                                 READ_ONCE(spi_taken[k]));
    }
    report(ok,
           "gicconf: SPI %u pended by GICD_ISPENDR, routed by %s to each cpu in "
           "turn, taken once by that cpu only (counts %s)",
           spi, gc_name("GICD_IROUTER", "GICD_ITARGETSR"), counts);
}

/* ---------------------------------------------------------------- remote state */

struct step_wait {
    const uint32_t *word;
    uint32_t want;
};

static bool step_reached(const void *arg)
{
    const struct step_wait *w = arg;

    return READ_ONCE(*w->word) >= w->want;
}

static bool wait_step(const uint32_t *word, uint32_t want)
{
    struct step_wait w = { word, want };

    return wait_event_cond(step_reached, &w, GC_DONE_MS);
}

static void post(uint32_t *word, uint32_t val)
{
    dsb_sy();
    WRITE_ONCE(*word, val);
    dsb_sy();
    sev();
}

static bool hppir_is_remote_sgi(const void *arg)
{
    (void)arg;
    return FIELD_GET(ICC_IAR_INTID, read_sysreg(ICC_HPPIR1_EL1)) == GC_REMOTE_SGI;
}

/* CPU1's side: acknowledge the SGI by hand, hold it active, EOI it when told to. */
static void remote_partner(void)
{
    uintptr_t sgi = gc_sgi_base();
    uint32_t b = gic_bit(GC_REMOTE_SGI);

    irq_mask();
    gc_set_prio(GC_REMOTE_SGI, GC_PRIO_MID);
    mmio_write32(sgi + GICR_ISENABLER0, b);
    post(&rs_state, RS_READY);
    if (wait_step(&rs_cmd, RS_ACKED) && wait_event_cond(hppir_is_remote_sgi, NULL, GC_XCPU_MS)) {
        uint32_t iar = (uint32_t)read_sysreg(ICC_IAR1_EL1);
        WRITE_ONCE(rs_iar, (uint32_t)FIELD_GET(ICC_IAR_INTID, iar));
        post(&rs_state, RS_ACKED);
        wait_step(&rs_cmd, RS_EOID); /* WFE: the vCPU stays in the guest meanwhile */
        write_sysreg(iar, ICC_EOIR1_EL1);
        isb();
    }
    post(&rs_state, RS_EOID);
    wait_step(&rs_cmd, RS_END);
    mmio_write32(sgi + GICR_ICENABLER0, b);
    irq_unmask();
}

static bool remote_bit(uintptr_t sgi, uint32_t reg)
{
    return mmio_read32(sgi + reg) & gic_bit(GC_REMOTE_SGI);
}

struct remote_wait {
    uintptr_t sgi;
};

static bool remote_pending(const void *arg)
{
    return remote_bit(((const struct remote_wait *)arg)->sgi, GICR_ISPENDR0);
}

/* CPU0's side: each read below is the first one after CPU1 changed the state. */
static void test_remote_state(void)
{
    uintptr_t rd = gic_find_redist(plat.cpu_mpidr[GC_REMOTE_CPU]);
    struct remote_wait rw = { rd + GICR_SGI_OFFSET };
    uintptr_t sgi = rw.sgi;

    if (!rd || !wait_step(&rs_state, RS_READY)) {
        report(false, "gicconf: cpu %u not ready for the remote-state test", GC_REMOTE_CPU);
        post(&rs_cmd, RS_END);
        return;
    }
    gc_sgi1r_write(gc_sgi1r_one(GC_REMOTE_SGI, plat.cpu_mpidr[GC_REMOTE_CPU]));
    bool p0 = wait_event_cond(remote_pending, &rw, GC_XCPU_MS);
    post(&rs_cmd, RS_ACKED);
    bool acked = wait_step(&rs_state, RS_ACKED);
    bool a1 = remote_bit(sgi, GICR_ISACTIVER0), p1 = remote_bit(sgi, GICR_ISPENDR0);
    post(&rs_cmd, RS_EOID);
    wait_step(&rs_state, RS_EOID);
    bool a2 = remote_bit(sgi, GICR_ISACTIVER0);
    post(&rs_cmd, RS_END);

    report(p0, "gicconf: cpu 0 sees SGI %u pending in cpu %u's GICR_ISPENDR0", GC_REMOTE_SGI,
           GC_REMOTE_CPU);
    report(acked && rs_iar == GC_REMOTE_SGI && a1,
           "gicconf: right after cpu %u acknowledged SGI %u (IAR1=%u), its GICR_ISACTIVER0 read by "
           "cpu 0 shows it active (%d)",
           GC_REMOTE_CPU, GC_REMOTE_SGI, rs_iar, a1);
    report(acked && !p1, "gicconf: ... and its GICR_ISPENDR0 no longer pending (%d)", p1);
    report(!a2, "gicconf: right after cpu %u's EOIR, cpu 0 reads SGI %u inactive (%d)",
           GC_REMOTE_CPU, GC_REMOTE_SGI, a2);
}

/* ---------------------------------------------------------------- entry points */

void gicconf_remote_secondary(void)
{
    spi_serve();
    if (cpu_idx() == GC_REMOTE_CPU && !plat.gic_v2) {
        remote_partner();
    }
}

void gicconf_remote(void)
{
    spi_route_run();
    /* GICv2 banks SGIs and PPIs per CPU: no CPU can see another's (IHI 0048B 4.3) */
    if (gc_cpus > GC_REMOTE_CPU && !plat.gic_v2) {
        test_remote_state();
    }
}
