// SPDX-License-Identifier: MIT
/*
 * GIC conformance, CPU interface system registers a guest reaches without a list register
 * (GICv3, IHI 0069H 12.2): ICC_SRE_EL1 (SRE, DFB, DIB read as one, SRE ignores a write of 0:
 * no legacy operation here), and which SGI generation registers may raise which group in a
 * GIC with one Security state (GICD_CTLR.DS = 1): ICC_SGI0R_EL1 raises a Group 0 SGI and not
 * a Group 1 one; ICC_ASGI1R_EL1, with no other Security state to address, likewise (as KVM's
 * and QEMU's GICv3 agree); ICC_SGI1R_EL1 raises a Group 1 SGI. (Whether ICC_SGI1R_EL1 may
 * raise a Group 0 SGI under DS = 1 is where KVM, which we follow, and QEMU differ: not checked
 * here, tests/unit/test_vgic_lr.c pins ours.) The SGI stays disabled throughout, so what is
 * checked is its pending bit in GICR_ISPENDR0, nothing is taken. Boot CPU, IRQs masked.
 */
#include "gicconf.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"

#define ICC_ASGI1R_EL1 S3_0_C12_C11_6
#define ICC_SGI0R_EL1  S3_0_C12_C11_7
#define ICC_SRE_DFB    BIT(1)
#define ICC_SRE_DIB    BIT(2)
#define GC_ICC_SGI     GC_SGI_PEND /* disabled here; the later tests set it up themselves */
#define GC_RS_TARGETS  16

/* The ICC_SGI*R value naming this CPU alone (target list, RS, Aff3.Aff2.Aff1). */
static uint64_t gc_icc_self(uint32_t intid)
{
    uint64_t m = this_cpu()->mpidr;

    return FIELD_PREP(ICC_SGI1R_INTID, intid) |
           FIELD_PREP(ICC_SGI1R_TARGETS, BIT(FIELD_GET(MPIDR_AFF0, m) % GC_RS_TARGETS)) |
           FIELD_PREP(ICC_SGI1R_RS, FIELD_GET(MPIDR_AFF0, m) / GC_RS_TARGETS) |
           FIELD_PREP(ICC_SGI1R_AFF1, FIELD_GET(MPIDR_AFF1, m)) |
           FIELD_PREP(ICC_SGI1R_AFF2, FIELD_GET(MPIDR_AFF2, m)) |
           FIELD_PREP(ICC_SGI1R_AFF3, FIELD_GET(MPIDR_AFF3, m));
}

enum gc_sgi_reg { GC_SGI0R, GC_ASGI1R, GC_SGI1R };

/* Raise the SGI at this CPU through reg; return whether it became pending (then clear it). */
static bool gc_icc_raise(enum gc_sgi_reg reg)
{
    uintptr_t sgi = gc_sgi_base();
    uint64_t v = gc_icc_self(GC_ICC_SGI);
    bool pend;

    dsb_sy();
    if (reg == GC_SGI0R) {
        write_sysreg(v, ICC_SGI0R_EL1);
    } else if (reg == GC_ASGI1R) {
        write_sysreg(v, ICC_ASGI1R_EL1);
    } else {
        write_sysreg(v, ICC_SGI1R_EL1);
    }
    isb();
    pend = gc_private_bit(GICR_ISPENDR0, GC_ICC_SGI);
    mmio_write32(sgi + GICR_ICPENDR0, (uint32_t)BIT(GC_ICC_SGI));
    return pend;
}

static void test_sre(void)
{
    uint64_t sre = read_sysreg(ICC_SRE_EL1);

    write_sysreg(sre & ~(uint64_t)(ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB), ICC_SRE_EL1);
    isb();
    uint64_t after = read_sysreg(ICC_SRE_EL1);
    write_sysreg(sre, ICC_SRE_EL1);
    isb();
    uint64_t all = ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB;
    report((sre & all) == all && (after & ICC_SRE_SRE),
           "gicconf: ICC_SRE_EL1=0x%lx: SRE, DFB, DIB set; SRE RAO/WI (0x%lx after writing 0)",
           (unsigned long)sre, (unsigned long)after);
}

static void test_sgi_groups(void)
{
    uintptr_t sgi = gc_sgi_base();
    uint32_t bit = (uint32_t)BIT(GC_ICC_SGI), grp = mmio_read32(sgi + GICR_IGROUPR0);

    if (!(mmio_read32(plat.gicd_base + GICD_CTLR) & GICD_CTLR_DS)) {
        report_info("gicconf: GICD_CTLR.DS = 0: SGI group checks need one Security state");
        return;
    }
    irq_mask();
    mmio_write32(sgi + GICR_ICENABLER0, bit);
    mmio_write32(sgi + GICR_ICPENDR0, bit);
    mmio_write32(sgi + GICR_IGROUPR0, grp | bit); /* Group 1 */
    bool g1_sgi0r = gc_icc_raise(GC_SGI0R), g1_asgi1r = gc_icc_raise(GC_ASGI1R);
    bool g1_sgi1r = gc_icc_raise(GC_SGI1R);
    mmio_write32(sgi + GICR_IGROUPR0, grp & ~bit); /* Group 0 */
    bool g0_sgi0r = gc_icc_raise(GC_SGI0R), g0_asgi1r = gc_icc_raise(GC_ASGI1R);
    mmio_write32(sgi + GICR_IGROUPR0, grp);
    irq_unmask();

    report(!g1_sgi0r && !g1_asgi1r && g1_sgi1r,
           "gicconf: Group 1 SGI %u (DS = 1): ICC_SGI0R_EL1 %d, ICC_ASGI1R_EL1 %d, "
           "ICC_SGI1R_EL1 %d (pending: 0 0 1)",
           GC_ICC_SGI, g1_sgi0r, g1_asgi1r, g1_sgi1r);
    report(g0_sgi0r && g0_asgi1r,
           "gicconf: Group 0 SGI %u (DS = 1): ICC_SGI0R_EL1 %d, ICC_ASGI1R_EL1 %d (pending: 1 1)",
           GC_ICC_SGI, g0_sgi0r, g0_asgi1r);
}

void gicconf_icc(void)
{
    if (plat.gic_v2) {
        return; /* no ICC system registers */
    }
    test_sre();
    test_sgi_groups();
}
