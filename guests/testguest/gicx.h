/* SPDX-License-Identifier: MIT */
/*
 * GICv3 registers beyond what the guest driver (gic.h) needs, for the conformance and
 * pass-through modes: identification and type fields, the active/priority/config banks, the
 * CPU-interface registers for acknowledge, running priority and deactivation (GIC
 * architecture specification IHI 0069, 12.2 CPU interface, 12.9 GICD, 12.10/12.11 GICR).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "gic.h"

/* Distributor (12.9). */
#define GICD_IIDR       0x0008
#define GICD_IGROUPR    0x0080
#define GICD_ISACTIVER  0x0300
#define GICD_ICACTIVER  0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00

#define GICD_CTLR_DS         BIT(6) /* single security state */
#define GICD_TYPER_CPUNUM    GENMASK(7, 5)
#define GICD_TYPER_SECEXTN   BIT(10)
#define GICD_TYPER_LPIS      BIT(17)
#define GICD_TYPER_IDBITS    GENMASK(23, 19)
#define GICD_TYPER_NO1N      BIT(25)
#define GIC_IIDR_IMPLEMENTER GENMASK(11, 0)
#define GIC_IIDR_PRODUCTID   GENMASK(31, 24)

/* Redistributor RD_base (12.10) and SGI_base (12.11) frames. */
#define GICR_IIDR          0x0004
#define GICR_TYPER_PLPIS   BIT(0)
#define GICR_TYPER_PROCNUM GENMASK(23, 8)
#define GICR_ISENABLER0    0x0100
#define GICR_ISPENDR0      0x0200
#define GICR_ISACTIVER0    0x0300
#define GICR_ICACTIVER0    0x0380
#define GICR_ICFGR0        0x0c00
#define GICR_ICFGR1        0x0c04

#define GICD_ICFGR_PER_REG  16
#define GIC_ICFGR_BITS      2 /* per INTID: [1] = edge, [0] RES0 */
#define GIC_ICFGR_EDGE      2U
#define GIC_ICFGR_SGI_VALUE 0xaaaaaaaaU /* every SGI edge-triggered (GICR_ICFGR0) */
#define GIC_PRIO_MASK       0xffU

/* CPU interface system registers by encoding (12.2). */
#define ICC_DIR_EL1    S3_0_C12_C11_1
#define ICC_RPR_EL1    S3_0_C12_C11_3
#define ICC_HPPIR1_EL1 S3_0_C12_C12_2

#define ICC_CTLR_PRIBITS   GENMASK(10, 8)
#define ICC_SGI1R_IRM      BIT(40)
#define ICC_INTID_SPURIOUS 1023U /* IAR/HPPIR: nothing to acknowledge */
#define ICC_RPR_IDLE       0xffU /* RPR with no active interrupt */

/* GICv2 CPU interface registers beyond gic.h's (IHI 0048B 4.4). */
#define GICC_RPR   0x0014
#define GICC_HPPIR 0x0018
#define GICC_DIR   0x1000 /* in the second 4 KiB page */
#define GICC_CTLR_EOIMODE BIT(9) /* EOImode(S): Group 0 EOIR only drops, DIR deactivates */
#define GICC_IAR_CPUID    GENMASK(12, 10) /* an SGI's source CPU */
#define GICD_SGIR_FILTER  GENMASK(25, 24)
#define GICD_SGIR_OTHERS  1U /* TargetListFilter: all but the sender */
#define GICD_SGIR_SELF    2U /* the sender only */
#define GICD_CPENDSGIR    0x0f10
#define GICD_SPENDSGIR    0x0f20

/* INTID of the highest-priority pending interrupt: ICC_HPPIR1_EL1 (v3) or GICC_HPPIR (v2);
 * 1023 when there is none. */
static inline uint32_t gic_hppi_intid(void)
{
    if (plat.gic_v2) {
        return (uint32_t)FIELD_GET(GICC_IAR_INTID,
                                   *(volatile uint32_t *)(plat.gicc_base + GICC_HPPIR));
    }
    return (uint32_t)FIELD_GET(ICC_IAR_INTID, read_sysreg(ICC_HPPIR1_EL1));
}

static inline const char *gic_hppir_name(void)
{
    return plat.gic_v2 ? "GICC_HPPIR" : "HPPIR1";
}

/* IPRIORITYR is byte-accessible (12.9, 12.11); LDRB/STRB also give a valid ISV. */
static inline uint8_t mmio_read8(uintptr_t addr)
{
    uint32_t val;

    __asm__ volatile("ldrb %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
    return (uint8_t)val;
}

static inline void mmio_write8(uintptr_t addr, uint8_t val)
{
    __asm__ volatile("strb %w0, [%1]" : : "rZ"((uint32_t)val), "r"(addr) : "memory");
}

/* Byte offset of INTID intid's bit register / priority byte within a bank. */
static inline uint32_t gic_bit_reg(uint32_t intid)
{
    return (intid / GIC_REG_BITS) * (uint32_t)sizeof(uint32_t);
}

static inline uint32_t gic_bit(uint32_t intid)
{
    return (uint32_t)BIT(intid % GIC_REG_BITS);
}

/* Wait (WFE, at most 100 ms) until distributor writes have taken effect (GICD_CTLR.RWP). */
void gicd_wait_rwp(void);

/*
 * SPI intid, while disabled: Group 1, edge- or level-triggered, priority prio, routed to the
 * calling CPU with IROUTER (IRM = 0), then enabled; clear_pending drops an old pending state
 * first, else an edge that came early is kept (spec 12.9). Disable: and wait for RWP.
 */
void gic_spi_setup(uint32_t intid, uint8_t prio, bool edge, bool clear_pending);
/* Make SPI intid edge-triggered (GICD_ICFGR), e.g. before a driver enables it. */
void gic_spi_set_edge(uint32_t intid);
void gic_spi_disable(uint32_t intid);
