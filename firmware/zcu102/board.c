// SPDX-License-Identifier: MIT
/*
 * QEMU 7.2's xlnx-zcu102 with secure=on (hw/arm/xlnx-zynqmp.c): the devices the firmware
 * drives. Zynq UltraScale+ TRM (UG1085) and its register reference for the blocks; the GIC-400
 * is a GICv2 with the security extensions (IHI 0048B 4.3, 4.4).
 *  - Console: UART0, a Cadence UART (as drivers/uart_cadence.c); QEMU drops bytes written
 *    while the transmitter is disabled, which it is out of reset.
 *  - GIC-400: every interrupt in group 1 (non-secure) through GICD_IGROUPR (SPIs once, each
 *    CPU's banked SGIs and PPIs per CPU), and the secure GICC_PMR opened: while the secure
 *    mask is in the secure half (reset 0), QEMU and the architecture ignore non-secure
 *    writes of GICC_PMR. The distributor's and CPU interface's group 1 enables are the
 *    normal world's (their non-secure views).
 *  - CPUs: QEMU starts the secondaries powered off; nothing runs on them until CPU_ON. The
 *    firmware then points the target's reset vector (APU control RVBARADDRn) at its own
 *    entry and takes the target out of reset (CRF_APB RST_FPD_APU ACPUn_RESET), which QEMU
 *    turns into a CPU reset at EL3 (hw/misc/xlnx-zynqmp-crf.c, -apu-ctrl.c).
 *  - Power: QEMU's model has no power-off or system-reset control (the board's PMU firmware
 *    and its CRL_APB soft reset are not modelled), so SYSTEM_OFF and SYSTEM_RESET say so in
 *    one line, hold the other CPUs in reset and park this one (docs/TRUST.md "The ZCU102").
 */
#include "fw.h"

#define BIT(n) (UINT64_C(1) << (n))

#define CDNS_CR         0x00
#define CDNS_SR         0x2c
#define CDNS_FIFO       0x30
#define CDNS_CR_RXEN    BIT(2)
#define CDNS_CR_RXDIS   BIT(3)
#define CDNS_CR_TXEN    BIT(4)
#define CDNS_CR_TXDIS   BIT(5)
#define CDNS_SR_TXFULL  BIT(4)

#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICC_PMR        0x0004
#define GICC_PMR_OPEN   0xff             /* every priority passes; non-secure owns the mask */

#define APU_RVBARADDR_L(cpu) (0x40 + 8 * (cpu))
#define APU_RVBARADDR_H(cpu) (0x44 + 8 * (cpu))
#define CRF_RST_FPD_APU 0x104
#define RST_ACPU(cpu)   (1u << (cpu))    /* ACPUn_RESET: 1 holds A53 n in reset */
#define POLL_LIMIT      1000000u

extern uint8_t _start[];

static inline uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

static uint32_t reset_lock; /* RST_FPD_APU is read, changed and written whole */

static void lock_resets(void)
{
    while (__atomic_exchange_n(&reset_lock, 1, __ATOMIC_ACQUIRE)) {
        el3_wfe();
    }
}

static void unlock_resets(void)
{
    __atomic_store_n(&reset_lock, 0, __ATOMIC_RELEASE);
    el3_sev();
}

static unsigned this_cpu(void)
{
    uint64_t mpidr;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
    return (unsigned)(mpidr & 0xff);
}

void plat_putc(char c)
{
    for (unsigned i = 0; i < POLL_LIMIT && (r32(FW_UART_PA + CDNS_SR) & CDNS_SR_TXFULL); i++) {
    }
    w32(FW_UART_PA + CDNS_FIFO, (uint8_t)c);
}

void plat_init(void)
{
    /* QEMU's RST_FPD_APU comes out of reset with every ACPUn_RESET set, the running boot
     * CPU's too: clear that one (QEMU: "already running", no effect) so that the register
     * says which CPUs run, and plat_power can hold this one too when another powers off. */
    w32(FW_CRF_APB_PA + CRF_RST_FPD_APU,
        r32(FW_CRF_APB_PA + CRF_RST_FPD_APU) & ~RST_ACPU(this_cpu()));
    uint32_t cr = r32(FW_UART_PA + CDNS_CR) & ~(uint32_t)(CDNS_CR_RXDIS | CDNS_CR_TXDIS);
    w32(FW_UART_PA + CDNS_CR, cr | (uint32_t)(CDNS_CR_RXEN | CDNS_CR_TXEN));

    unsigned words = (r32(FW_GICD_PA + GICD_TYPER) & 0x1f) + 1; /* ITLinesNumber */
    for (unsigned i = 1; i < words; i++) {                       /* SPIs; word 0 is per CPU */
        w32(FW_GICD_PA + GICD_IGROUPR + 4 * i, 0xffffffff);
    }
}

void plat_gic_cpu_init(void)
{
    w32(FW_GICD_PA + GICD_IGROUPR, 0xffffffff); /* banked: this CPU's SGIs and PPIs */
    w32(FW_GICC_PA + GICC_PMR, GICC_PMR_OPEN);
}

void plat_cpu_power_on(unsigned cpu)
{
    if (cpu >= FW_MAX_CPUS) {
        return;
    }
    uint64_t entry = (uint64_t)(uintptr_t)_start;

    lock_resets();
    uint32_t rst = r32(FW_CRF_APB_PA + CRF_RST_FPD_APU);
    if (rst & RST_ACPU(cpu)) { /* held in reset (never started, or the machine parked) */
        w32(FW_APU_CTRL_PA + APU_RVBARADDR_L(cpu), (uint32_t)entry);
        w32(FW_APU_CTRL_PA + APU_RVBARADDR_H(cpu), (uint32_t)(entry >> 32));
        __asm__ volatile("dsb sy" ::: "memory");
        w32(FW_CRF_APB_PA + CRF_RST_FPD_APU, rst & ~RST_ACPU(cpu));
    }
    unlock_resets();
}

void plat_power(bool reset)
{
    unsigned self = this_cpu();
    uint32_t others = 0;

    fw_puts(reset ? "bulkhead-fw: reset: no reset control on this machine, cpus parked"
                  : "bulkhead-fw: power off: no power control on this machine, cpus parked");
    for (unsigned i = 0; i < FW_MAX_CPUS; i++) {
        others |= i != self ? RST_ACPU(i) : 0;
    }
    lock_resets();
    w32(FW_CRF_APB_PA + CRF_RST_FPD_APU, r32(FW_CRF_APB_PA + CRF_RST_FPD_APU) | others);
    unlock_resets();
    fw_park();
}
