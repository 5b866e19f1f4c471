// SPDX-License-Identifier: MIT
/*
 * tg.mode=power: the VM's power button (docs/MANAGEMENT.md "Graceful shutdown"), a PL061 at
 * 0x090d0000 whose line 0 a manager's SHUTDOWN presses, interrupt SPI 46. The guest sets the
 * controller up as Linux's gpio-pl061 + gpio-keys would (both edges, unmasked), waits for the
 * interrupt with WFI, and then, with tg.power=off (default), reads the line pressed and calls
 * PSCI SYSTEM_OFF (the shutdown completes by the guest); with tg.power=ignore it notes the
 * press and spins on, so the hypervisor stops it by force after its shutdown-timeout-ms.
 */
#include <string.h>

#include "bootargs.h"
#include "gicx.h"
#include "mmio.h"
#include "report.h"
#include "sysreg.h"
#include "tests.h"
#include "timer.h"

#define PWR_BASE  0x090d0000UL
#define PWR_INTID 46u
#define PL061_DATA_LINE0 (PWR_BASE + (0x01u << 2)) /* GPIODATA, address mask line 0 */
#define PL061_DIR  (PWR_BASE + 0x400)
#define PL061_IS   (PWR_BASE + 0x404)
#define PL061_IBE  (PWR_BASE + 0x408)
#define PL061_IE   (PWR_BASE + 0x410)
#define PL061_RIS  (PWR_BASE + 0x414)
#define PL061_MIS  (PWR_BASE + 0x418)
#define PL061_IC   (PWR_BASE + 0x41c)
#define PL061_PID0 (PWR_BASE + 0xfe0)
#define LINE0      0x01u
#define GIC_PRIO   0xa0

void mode_power(void)
{
    char what[8] = "off";

    bootarg_get("tg.power", what, sizeof(what));
    bool ignore = strcmp(what, "ignore") == 0;

    report(mmio_read32(PL061_PID0) == 0x61, "power: a PL061 at 0x%lx", PWR_BASE);
    irq_mask(); /* WFI still wakes on a pending interrupt; nothing is taken */
    mmio_write32(PL061_DIR, 0);      /* input */
    mmio_write32(PL061_IS, 0);       /* edge */
    mmio_write32(PL061_IBE, LINE0);  /* both edges, as gpio-keys asks */
    mmio_write32(PL061_IC, 0xff);
    mmio_write32(PL061_IE, LINE0);
    gic_spi_setup(PWR_INTID, GIC_PRIO, false, true);
    report(mmio_read32(PL061_DATA_LINE0) == 0, "power: the button reads released");
    tg_print("power: waiting for the button (tg.power=%s)", ignore ? "ignore" : "off");
    while ((mmio_read32(PL061_MIS) & LINE0) == 0) {
        wfi();
    }
    report(mmio_read32(PL061_DATA_LINE0) == LINE0, "power: the button reads pressed");
    mmio_write32(PL061_IC, LINE0);
    report((mmio_read32(PL061_RIS) & LINE0) == 0, "power: the edge is acknowledged");
    if (!ignore) {
        tg_print("power: button pressed, powering off");
        tg_finish(); /* the summary, then PSCI SYSTEM_OFF */
    }
    tg_print("power: button pressed, ignored");
    (void)tg_summary();
    gic_spi_disable(PWR_INTID);
    irq_unmask();
    mode_spin();
}
