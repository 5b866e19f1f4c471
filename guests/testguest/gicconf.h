/* SPDX-License-Identifier: MIT */
/*
 * tg.mode=gicconf, the GIC architecture conformance mode (GICv3: IHI 0069; a GICv2, when the
 * guest's tree has one: IHI 0048B, the same checks where both architectures have them and
 * GICv2's own in gicconf_v2.c): shared pieces of gicconf_regs.c (distributor/redistributor
 * registers), gicconf_irq.c (CPU interface: acknowledge, priorities, preemption, EOImode,
 * timer level), gicconf_smp.c (entry point, IPIs between all CPUs) and gicconf_remote.c
 * (SPI routing to each CPU, one CPU's view of another's interrupt state). Every check must hold on plain
 * QEMU virt (no hypervisor) as much as on a Bulkhead VM; a check that only one of them passes
 * is a bug in the other.
 *
 * SGI use: 0 ICACTIVER-in-handler, 1 pending/acknowledge, 2 active, 3/4 preemption low/high,
 * 5 priority mask, 6 EOImode 1 and remote state, 7 IPI to self, 8..11 target-list IPI from
 * cpu 0..3, 12..15 broadcast IPI from cpu 0..3 (and the priority register patterns before).
 */
#pragma once

#include "gicx.h"
#include "platform.h"
#include "tg.h"

#define GC_SGI_ACTIVE_CLR 0
#define GC_SGI_PEND       1
#define GC_SGI_ACTIVE     2
#define GC_SGI_LOW        3
#define GC_SGI_HIGH       4
#define GC_SGI_PMR        5
#define GC_SGI_EOI        6
#define GC_SGI_SELF       7
#define GC_SGI_LIST_BASE  8
#define GC_SGI_BCAST_BASE 12
#define GC_MAX_CPUS       4 /* one target-list and one broadcast SGI per sender */
#define GC_SGI_SRC        GC_SGI_LIST_BASE /* GICv2: the same SGI from every sender, after */

#define GC_PRIO_HIGH 0x40
#define GC_PRIO_MID  0x80
#define GC_PRIO_LOW  0xc0
#define GC_SETTLE_MS 20    /* time for a wrong or duplicate delivery to show up */

/* Defines static void name(uint64_t val): ICC_SGI1R_EL1 = val, written from register xreg.
 * The MSR's Rt chooses the hypervisor's path (x0-x15 the vector's, x16-x19 C's short one,
 * x20+ the full trap: docs/VGIC.md), so the tests name the register. */
#define GC_DEFINE_SGI1R_WRITE(name, xreg)                                                   \
    static void name(uint64_t val)                                                          \
    {                                                                                       \
        register uint64_t r_ __asm__(xreg) = val;                                           \
                                                                                            \
        dsb_sy();                                                                           \
        __asm__ volatile("msr s3_0_c12_c11_5, %0\n isb" : : "r"(r_) : "memory");           \
    }
#define GC_IRQ_MS    500   /* an interrupt that should come, comes by then */
#define GC_XCPU_MS   2000  /* the same when another CPU (a host thread) must act first */
#define GC_DONE_MS   10000 /* a CPU waiting for the others gives up after this */

/* CPUs taking part in the SMP tests (logical 0..gc_cpus-1); set by CPU0 before they start. */
extern uint32_t gc_cpus;

/* SGI_base frame of the calling CPU's redistributor; on a GICv2 the distributor, whose
 * banked private registers have the same offsets. */
uintptr_t gc_sgi_base(void);
_Static_assert(GICR_IGROUPR0 == GICD_IGROUPR && GICR_ISENABLER0 == GICD_ISENABLER &&
                   GICR_ICENABLER0 == GICD_ICENABLER && GICR_ISPENDR0 == GICD_ISPENDR &&
                   GICR_ICPENDR0 == GICD_ICPENDR && GICR_ISACTIVER0 == GICD_ISACTIVER &&
                   GICR_ICACTIVER0 == GICD_ICACTIVER && GICR_IPRIORITYR == GICD_IPRIORITYR &&
                   GICR_ICFGR0 == GICD_ICFGR,
               "GICv3 SGI_base frame and GICv2 banked GICD registers share offsets");
/* "GICR" or "GICD": where the calling CPU's private registers are, for report lines. */
const char *gc_priv_frame(void);

/* Priority byte of private interrupt intid on the calling CPU. */
void gc_set_prio(uint32_t intid, uint8_t prio);

/* IRQ handler that counts private interrupts in this_cpu()->sgi_count[]. */
void gc_count_irq(uint32_t intid);

/* Calling CPU: wait (WFE, no timer needed) until sgi_count[intid] >= target or ms passed. */
bool gc_wait_count(uint32_t intid, uint32_t target, uint64_t ms);

/* Bit intid of one of the calling CPU's SGI_base bit registers (ISPENDR0, ISACTIVER0...). */
bool gc_private_bit(uint32_t reg, uint32_t intid);

/* ICC_SGI1R_EL1 value for INTID intid to the one CPU with affinity mpidr. */
uint64_t gc_sgi1r_one(uint32_t intid, uint64_t mpidr);

/* Write ICC_SGI1R_EL1 with the barriers a sender needs. */
void gc_sgi1r_write(uint64_t val);

/*
 * The CPU interface, either GIC: ICC_* system registers (GICv3) or the memory-mapped GICC
 * (GICv2, IHI 0048B 4.4; under Bulkhead the hardware's GICV). gc_ack gives the whole IAR
 * value (a GICv2 SGI's source CPU included), which gc_eoi and gc_dir take back.
 */
uint32_t gc_hppir(void);           /* INTID of the highest pending interrupt, 1023: none */
uint32_t gc_rpr(void);             /* running priority, 0xff when idle */
uint32_t gc_ack(void);
void gc_eoi(uint32_t iar);
void gc_dir(uint32_t iar);
void gc_set_pmr(uint32_t pmr);
uint32_t gc_pmr(void);
void gc_set_bpr(uint32_t bpr);
uint32_t gc_bpr(void);
void gc_set_eoimode(bool split);   /* EOImode 1: EOIR drops priority, DIR deactivates */
bool gc_eoimode(void);
void gc_send_self(uint32_t intid); /* ICC_SGI1R_EL1 to itself, or GICD_SGIR filter "self" */
/* Send SGI intid by GICD_SGIR (GICv2): filter 0 with the CPU target list, 1 or 2. */
void gc_sgir_write(uint32_t filter, uint32_t targets, uint32_t intid);
/* v3 or v2: the name a report line gives a register or a mechanism. */
static inline const char *gc_name(const char *v3, const char *v2)
{
    return plat.gic_v2 ? v2 : v3;
}

/* GICv2 register checks (gicconf_v2.c), part of gicconf_regs on a GICv2. */
void gicconf_regs_v2(void);
/* GICv2: the same SGI from every CPU to every other, taken once per source (gicconf_v2.c);
 * every CPU of the IPI tests runs it, after their counts are reported. */
void gicconf_v2_sources(void);

/* wait_event_cond() conditions: never true; the uint32_t at arg is non-zero. */
bool gc_never(const void *arg);
bool gc_flag_set(const void *arg);

/* Barrier phases, in order; each CPU passes each one once. */
enum gc_phase {
    GC_PH_LIST = 1,
    GC_PH_BCAST,
    GC_PH_SELF,
    GC_PH_SRC_MASKED, /* GICv2 only (gicconf_v2_sources) */
    GC_PH_SRC_SENT,
    GC_PH_SRC_TAKEN,
    GC_PH_DONE,
    GC_PH_SPI,
};

/* Publish that the calling CPU reached phase, wait (bounded) until all gc_cpus CPUs did. */
bool gc_barrier(uint32_t phase);

/* The parts, run by the boot CPU in this order; the remote part has a secondary side. */
void gicconf_regs(void);
/* GICv3 reserved locations: RAZ/WI at every width, no abort (gicconf_rsvd.c). */
void gicconf_reserved(void);
/* GICv3 ICC_SRE_EL1 and the groups ICC_SGI0R/ASGI1R/SGI1R_EL1 raise (gicconf_icc.c). */
void gicconf_icc(void);
void gicconf_irq(void);
void gicconf_smp(void);
void gicconf_remote(void);
void gicconf_remote_secondary(void);
