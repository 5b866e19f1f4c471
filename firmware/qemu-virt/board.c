// SPDX-License-Identifier: MIT
/*
 * QEMU virt with secure=on (hw/arm/virt.c, QEMU 7.2): the devices the firmware drives. The
 * GICv3's secure-only registers (IHI 0069 12.9: affinity routing for both states, every
 * interrupt non-secure group 1, each redistributor awake, ICC_SRE_EL3 so EL2 may use the
 * system-register interface), the normal world's PL011 as the console, and the secure PL061
 * whose lines QEMU wires to power-off and reset. Every CPU runs from reset (head.S holds the
 * secondaries), so CPU_ON needs no power-up.
 */
#include "fw.h"

#define BIT(n) (UINT64_C(1) << (n))

#define UART_DR        0x000
#define UART_FR        0x018
#define UART_FR_TXFF   BIT(5)
#define GICD_CTLR      0x0000
#define GICD_TYPER     0x0004
#define GICD_IGROUPR   0x0080
#define GICD_IGRPMODR  0x0d00
#define GICD_CTLR_RWP  BIT(31)
#define GICD_CTLR_ARE_S  BIT(4)
#define GICD_CTLR_ARE_NS BIT(5)
#define GICR_WAKER     0x0014
#define GICR_TYPER     0x0008
#define GICR_TYPER_LAST BIT(4)
#define GICR_WAKER_PSLEEP BIT(1)
#define GICR_WAKER_CASLEEP BIT(2)
#define GICR_SGI       0x10000
#define GICR_IGROUPR0  (GICR_SGI + 0x0080)
#define GICR_IGRPMODR0 (GICR_SGI + 0x0d00)
#define ICC_SRE_EL3_ALL 0xfu              /* SRE, DFB, DIB, Enable (lower ELs may use SRE) */
#define GPIO_DIR       0x400
#define GPIO_POWEROFF  0                  /* hw/arm/virt.c create_gpio_devices */
#define GPIO_RESET     1
#define POLL_LIMIT     1000000u           /* our own hardware; still never an endless loop */

static inline uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint64_t r64(uint64_t a) { return *(volatile uint64_t *)a; }

static void wait_clear(uint64_t reg, uint32_t mask)
{
    for (unsigned i = 0; i < POLL_LIMIT && (r32(reg) & mask); i++) {
    }
}

void plat_putc(char c)
{
    for (unsigned i = 0; i < POLL_LIMIT && (r32(FW_UART_PA + UART_FR) & UART_FR_TXFF); i++) {
    }
    w32(FW_UART_PA + UART_DR, (uint8_t)c);
}

void plat_init(void)
{
    w32(FW_GICD_PA + GICD_CTLR, 0);
    wait_clear(FW_GICD_PA + GICD_CTLR, GICD_CTLR_RWP);
    w32(FW_GICD_PA + GICD_CTLR, GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS);
    wait_clear(FW_GICD_PA + GICD_CTLR, GICD_CTLR_RWP);
    unsigned words = (r32(FW_GICD_PA + GICD_TYPER) & 0x1f) + 1; /* ITLinesNumber */
    for (unsigned i = 1; i < words; i++) {                       /* SPIs; word 0 is per CPU */
        w32(FW_GICD_PA + GICD_IGROUPR + 4 * i, 0xffffffff);
        w32(FW_GICD_PA + GICD_IGRPMODR + 4 * i, 0);
    }
}

static void gic_redist_init(uint64_t mpidr)
{
    uint32_t aff = (uint32_t)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
    uint64_t rd = FW_GICR_PA;

    for (unsigned i = 0; i < FW_MAX_CPUS; i++, rd += FW_GICR_STRIDE) {
        uint64_t typer = r64(rd + GICR_TYPER);
        if ((uint32_t)(typer >> 32) == aff) {
            w32(rd + GICR_WAKER, r32(rd + GICR_WAKER) & ~(uint32_t)GICR_WAKER_PSLEEP);
            wait_clear(rd + GICR_WAKER, GICR_WAKER_CASLEEP);
            w32(rd + GICR_IGROUPR0, 0xffffffff);
            w32(rd + GICR_IGRPMODR0, 0);
            return;
        }
        if (typer & GICR_TYPER_LAST) {
            break;
        }
    }
    fw_puts("bulkhead-fw: no GIC redistributor for this CPU");
}

void plat_gic_cpu_init(void)
{
    uint64_t mpidr;

    __asm__ volatile("msr S3_6_C12_C12_5, %0; isb" : : "r"((uint64_t)ICC_SRE_EL3_ALL));
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
    gic_redist_init(mpidr);
}

void plat_cpu_power_on(unsigned cpu)
{
    (void)cpu; /* already waiting in psci_cpu_wait since reset */
}

/* The secure PL061's line 0 drives QEMU's gpio-poweroff, line 1 gpio-restart; a rising edge
 * acts. */
void plat_power(bool reset)
{
    unsigned line = reset ? GPIO_RESET : GPIO_POWEROFF;

    w32(FW_SECURE_GPIO_PA + GPIO_DIR, r32(FW_SECURE_GPIO_PA + GPIO_DIR) | (1u << line));
    w32(FW_SECURE_GPIO_PA + ((1u << line) << 2), 1u << line);
    fw_park();
}
