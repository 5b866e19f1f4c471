// SPDX-License-Identifier: MIT
/*
 * tg.mode=gicrestart (GICv3): interrupt state a guest leaves behind must not outlive it, and
 * must survive the guest being switched out. Each instance first checks that it starts with
 * no GIC state of a previous one (IHI 0069H: the redistributor's SGI/PPI active and pending
 * bits, an owned SPI's active bit, the CPU interface's running priority, active priorities
 * ICC_AP1R0_EL1 and highest pending interrupt), then leaves an SGI acknowledged and never
 * completed (active, its priority in AP1R0 and RPR), another pending and active, and the
 * UART's SPI active; busy-waits long enough to be switched out on a shared pCPU and checks
 * the acknowledged SGI is still the running priority and still active; then resets the VM
 * (PSCI SYSTEM_RESET). tests/scenarios/h-gic-restart.test runs it on an exclusive pCPU and
 * on one shared with a CPU hog, three instances each.
 */
#include "gic.h"
#include "gicx.h"
#include "mmio.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define PSCI_SYSTEM_RESET 0x84000009u
#define ICC_AP1R0_EL1     S3_0_C12_C9_0
#define GR_SGI_ACK        2    /* acknowledged, never completed */
#define GR_SGI_SET        3    /* set pending and active through the redistributor */
#define GR_PRIO           0x80
#define GR_SGI_MASK       0xffffu
#define GR_PEND_MS        500  /* an SGI to itself is pending by then */
#define GR_SWITCH_MS      60   /* several slices of a shared pCPU (budgets of ms) */

static uintptr_t gr_sgi_frame(void)
{
    return this_cpu()->gicr_rd + GICR_SGI_OFFSET;
}

static uint32_t gr_uart_active(void)
{
    uint32_t i = plat.uart_intid;

    return mmio_read32(plat.gicd_base + GICD_ISACTIVER + i / 32 * 4) & (uint32_t)BIT(i % 32);
}

static void gr_check_clean(void)
{
    uintptr_t sgi = gr_sgi_frame();
    uint32_t act = mmio_read32(sgi + GICR_ISACTIVER0);
    uint32_t pend = mmio_read32(sgi + GICR_ISPENDR0) & GR_SGI_MASK;
    uint32_t spi = gr_uart_active();
    uint64_t rpr = read_sysreg(ICC_RPR_EL1), ap1r = read_sysreg(ICC_AP1R0_EL1);
    uint32_t hppi = gic_iar_intid((uint32_t)read_sysreg(ICC_HPPIR1_EL1));

    report(!act && !pend && !spi && rpr == ICC_RPR_IDLE && !ap1r && hppi == ICC_INTID_SPURIOUS,
           "gicrestart: no GIC state at start: ISACTIVER0 0x%x, SGIs pending 0x%x, SPI %u "
           "active %u, RPR 0x%lx, AP1R0 0x%lx, HPPIR1 %u",
           act, pend, plat.uart_intid, spi != 0, (unsigned long)rpr, (unsigned long)ap1r, hppi);
}

static bool gr_sgi_pending(const void *arg)
{
    (void)arg;
    return mmio_read32(gr_sgi_frame() + GICR_ISPENDR0) & BIT(GR_SGI_ACK);
}

/* Spin (no WFI: a blocked vCPU is switched out anyway, a spinning one by its budget). */
static void gr_spin_ms(uint64_t ms)
{
    uint64_t end = timer_now() + timer_ms_to_ticks(ms);

    while (timer_now() < end) {
        __asm__ volatile("yield");
    }
}

static void __noreturn gr_dirty_and_reset(void)
{
    uintptr_t sgi = gr_sgi_frame();
    uint32_t iar = ICC_INTID_SPURIOUS;
    uint32_t i = plat.uart_intid;

    irq_mask();
    mmio_write8(sgi + GICD_IPRIORITYR + GR_SGI_ACK, GR_PRIO);
    gic_enable_private(GR_SGI_ACK);
    gic_send_sgi(GR_SGI_ACK, this_cpu()->mpidr);
    uint64_t end = timer_now() + timer_ms_to_ticks(GR_PEND_MS);
    while (!gr_sgi_pending(NULL) && timer_now() < end) {
        __asm__ volatile("yield");
    }
    iar = gic_iar_intid((uint32_t)read_sysreg(ICC_IAR1_EL1)); /* never EOId */
    mmio_write32(sgi + GICR_ISPENDR0, (uint32_t)BIT(GR_SGI_SET));
    mmio_write32(sgi + GICR_ISACTIVER0, (uint32_t)BIT(GR_SGI_SET));
    mmio_write32(plat.gicd_base + GICD_ISACTIVER + i / 32 * 4, (uint32_t)BIT(i % 32));

    gr_spin_ms(GR_SWITCH_MS);
    uint64_t rpr = read_sysreg(ICC_RPR_EL1), ap1r = read_sysreg(ICC_AP1R0_EL1);
    uint32_t act = mmio_read32(sgi + GICR_ISACTIVER0);
    report(iar == GR_SGI_ACK && rpr == GR_PRIO && ap1r != 0 &&
               (act & BIT(GR_SGI_ACK)) && (act & BIT(GR_SGI_SET)) && gr_uart_active(),
           "gicrestart: SGI %u acknowledged (IAR %u) and left active: after %u ms of spinning "
           "RPR 0x%lx, AP1R0 0x%lx, ISACTIVER0 0x%x",
           GR_SGI_ACK, iar, GR_SWITCH_MS, (unsigned long)rpr, (unsigned long)ap1r, act);
    tg_print("gicrestart: GIC state dirtied, calling SYSTEM_RESET");
    psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    tg_fatal("gicrestart: SYSTEM_RESET returned");
}

void tests_gicrestart(void)
{
    if (plat.gic_v2 || !this_cpu()->gicr_rd) {
        tg_fatal("gicrestart: needs a GICv3 with this CPU's redistributor");
    }
    gr_check_clean();
    gr_dirty_and_reset();
}
