// SPDX-License-Identifier: MIT
/*
 * tg.mode=step: software step (ARM DDI 0487 D2.12) over every kind of instruction the
 * hypervisor completes for the guest. With MDSCR_EL1.SS and KDE set and PSTATE.D clear, a
 * stepped instruction that completes leaves the PE "active-pending": the software step
 * exception (EC 0x33, taken at EL1) comes before the next instruction, with ELR_EL1 the
 * address of that next instruction. An instruction the hypervisor emulates (a trapped MMIO
 * access, system register access, SMC or WFI) completes when it steps ELR_EL2 past it, so it
 * must clear SPSR_EL2.SS too: left set, the guest would run one instruction more before its
 * step exception. An HVC is executed by the PE itself, which reports SS 0 already.
 *
 * Each case ERETs into a snippet (step.S: the instruction, three NOPs) with SPSR.SS set and
 * takes two step exceptions, re-arming SPSR.SS after the first (as a debugger does): their
 * ELRs must be the snippet + 4 and + 8, exactly one step per instruction. Emulated MMIO
 * (PL011 and vGIC distributor loads and stores, which take the hypervisor's vector fast
 * path when not stepped), emulated system registers (ACTLR_EL1 write, ID_AA64DFR0_EL1 read,
 * ICC_SGI1R_EL1 write on GICv3), HVCs answered in the vector, in its short path and in C, a
 * trapped SMC (HCR_EL2.TSC), the SGI to itself they send (ICC_SGI1R_EL1 write or GICD_SGIR
 * store), and a WFI woken by the virtual timer (trapped on hardware: HCR_EL2.TWI; QEMU 7.2
 * runs a stepped WFI as a NOP).
 */
#include <bulkhead/abi.h>

#include "exc.h"
#include "gicconf.h"
#include "gic.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "sysreg.h"
#include "tests.h"
#include "tg.h"
#include "timer.h"

#define MDSCR_EL1      S2_0_C0_C2_2
#define OSLAR_EL1      S2_0_C1_C0_4
#define MDSCR_SS       BIT(0)
#define MDSCR_KDE      BIT(13)
#define SPSR_SS        BIT(21)
#define SPSR_EL1H      0x5
#define DAIF_D         BIT(9)
#define DAIF_I         BIT(7)
#define DAIF_MASK      GENMASK(9, 6)
#define STEPS          2 /* step exceptions taken per case */
#define STEP_SGI       7
#define STEP_WFI_MS    20 /* the timer that ends the trapped WFI */
#define STEP_CPU_MS    5000 /* for vCPU 1 to start, take its SGI, finish */
#define UART_FR        0x018
#define UART_IBRD      0x024
#define UART_PCELLID1  0xff4 /* 0xF0: negative as a signed byte */

/* step.S */
uint64_t step_run(const void *snippet, uint64_t spsr, uint64_t a0, uint64_t a1);
extern const uint32_t step_ldr_w[], step_ldrsb_x[], step_ldrh_w[], step_strb_w[], step_str_w[],
    step_ldr_x20[], step_msr_actlr[], step_mrs_dfr0[], step_msr_sgi1r[], step_hvc[],
    step_smc[], step_wfi[];

static volatile uint64_t step_elr[STEPS + 2];
static volatile unsigned step_count;
static volatile unsigned sgi_taken;

/* exc.c calls this for every software step exception while the mode runs. */
static void step_hook(struct exc_frame *frame)
{
    unsigned n = step_count;

    if (n < ARRAY_SIZE(step_elr)) {
        step_elr[n] = frame->elr;
    }
    step_count = n + 1;
    if (n + 1 < STEPS) {
        frame->spsr |= SPSR_SS; /* step the next instruction too */
        return;
    }
    write_sysreg(read_sysreg(MDSCR_EL1) & ~MDSCR_SS, MDSCR_EL1);
    isb();
    frame->spsr &= ~SPSR_SS;
}

/* Unmask IRQs for a moment: what is pending is taken. */
static void irqs_window(void)
{
    __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    for (unsigned i = 0; i < 100000; i++) {
        __asm__ volatile("nop");
    }
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

static void sgi_handler(uint32_t intid)
{
    (void)intid;
    sgi_taken++;
}

static uint64_t step_case(const char *what, const uint32_t *snippet, uint64_t a0, uint64_t a1);

static uint32_t step_sgis1; /* STEP_SGIs vCPU 1 took */
static uint32_t step_finish;

static void sgi1_handler(uint32_t intid)
{
    (void)intid;
    WRITE_ONCE(step_sgis1, READ_ONCE(step_sgis1) + 1);
    dsb_sy();
    sev();
}

/* vCPU 1 (a second pCPU): the target of the stepped IPI, which takes the hypervisor's IPI
 * fast path when not stepped (vectors.S guest_sysreg: one other vCPU, another pCPU). */
void tests_step_secondary(void)
{
    struct percpu *pc = this_cpu();

    gic_set_handler(STEP_SGI, sgi1_handler);
    gic_enable_private(STEP_SGI);
    WRITE_ONCE(pc->online, 1);
    dsb_sy();
    sev();
    wait_irq_cond(gc_flag_set, &step_finish, STEP_CPU_MS);
    WRITE_ONCE(pc->done, 1);
    dsb_sy();
    sev();
}

static bool sgis1_taken(const void *arg)
{
    (void)arg;
    return READ_ONCE(step_sgis1) != 0;
}

/* With a second vCPU: an SGI to it (ICC_SGI1R_EL1 write or GICD_SGIR store), stepped. */
static void step_ipi(void)
{
    int64_t ret = psci_cpu_on(plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 1);

    if (ret != PSCI_RET_SUCCESS || !wait_event_cond(gc_flag_set, &percpu[1].online, STEP_CPU_MS)) {
        report(false, "step: cpu 1 did not start (CPU_ON = %ld)", ret);
        return;
    }
    if (plat.gic_v2) {
        step_case("STR W (vGIC GICD_SGIR, IPI to vCPU 1)", step_str_w, plat.gicd_base + GICD_SGIR,
                  (UINT64_C(1) << (16 + (plat.cpu_mpidr[1] & 0xff))) | STEP_SGI);
    } else {
        step_case("MSR ICC_SGI1R_EL1 (IPI to vCPU 1)", step_msr_sgi1r, 0,
                  gc_sgi1r_one(STEP_SGI, plat.cpu_mpidr[1]));
    }
    bool got = wait_event_cond(sgis1_taken, NULL, STEP_CPU_MS);
    uint32_t n = READ_ONCE(step_sgis1);
    WRITE_ONCE(step_finish, 1);
    gic_send_sgi(STEP_SGI, plat.cpu_mpidr[1]); /* wakes it to finish */
    bool done = wait_event_cond(gc_flag_set, &percpu[1].done, STEP_CPU_MS);
    report(got && n == 1 && done, "step: vCPU 1 took the stepped IPI once (%u) and finished", n);
}

/* Run one snippet stepped (IRQs masked throughout); report where its steps were taken. */
static uint64_t step_case(const char *what, const uint32_t *snippet, uint64_t a0, uint64_t a1)
{
    uintptr_t base = (uintptr_t)snippet;

    step_count = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(step_elr); i++) {
        step_elr[i] = 0;
    }
    write_sysreg(0, OSLAR_EL1);
    write_sysreg(MDSCR_KDE | MDSCR_SS, MDSCR_EL1);
    isb();
    /* PSTATE.D stays set until the ERET (stepping with PSTATE.SS clear would be
     * active-pending at once); the snippet runs with D clear, IRQs masked, SS set. */
    uint64_t spsr = (read_sysreg(daif) & DAIF_MASK & ~DAIF_D) | DAIF_I | SPSR_SS | SPSR_EL1H;
    uint64_t r = step_run(snippet, spsr, a0, a1);
    __asm__ volatile("msr daifset, #8" ::: "memory"); /* D again */
    write_sysreg(0, MDSCR_EL1);
    isb();
    unsigned n = step_count;
    report(n == STEPS && step_elr[0] == base + 4 && step_elr[1] == base + 8,
           "step: %s: %u step exceptions at +0x%lx, +0x%lx (want 2 at +0x4, +0x8)", what, n,
           step_elr[0] ? step_elr[0] - base : 0, step_elr[1] ? step_elr[1] - base : 0);
    return r;
}

void tests_step(void)
{
    uintptr_t u = plat.uart_base, d = plat.gicd_base;
    uint64_t mpidr = read_sysreg(mpidr_el1);
    unsigned aff0 = (unsigned)(mpidr & 0xff);
    uint64_t v;

    __asm__ volatile("msr daifset, #2" ::: "memory");
    exc_step_hook = step_hook;
    gic_set_handler(STEP_SGI, sgi_handler);
    gic_enable_private(STEP_SGI);

    v = step_case("LDR W (PL011 UARTFR)", step_ldr_w, u + UART_FR, 0);
    report_info("step: UARTFR read 0x%lx", v);
    v = step_case("LDRSB X (PL011 PCellID1)", step_ldrsb_x, u + UART_PCELLID1, 0);
    report(v == 0xfffffffffffffff0ull, "step: LDRSB X PCellID1 stepped reads 0x%lx", v);
    step_case("STRB W (PL011 UARTIBRD)", step_strb_w, u + UART_IBRD, 0x5a);
    v = step_case("LDRH W (PL011 UARTIBRD)", step_ldrh_w, u + UART_IBRD, 0);
    report(v == 0x5a, "step: STRB then LDRH of UARTIBRD, both stepped: 0x%lx", v);
    step_case("STR W (PL011 UARTIBRD)", step_str_w, u + UART_IBRD, 0);
    step_case("LDR W20 (vGIC GICD_TYPER)", step_ldr_x20, d + GICD_TYPER, 0);
    step_case("MSR ACTLR_EL1 (ignored write)", step_msr_actlr, 0, read_sysreg(actlr_el1));
    step_case("MRS ID_AA64DFR0_EL1 (sanitised read)", step_mrs_dfr0, 0, 0);
    step_case("HVC BH_HC_NULL (vector)", step_hvc, BH_HC_NULL, 0);
    step_case("HVC BH_HC_IPC_INFO (short path)", step_hvc, BH_HC_IPC_INFO, 0xffff);
    step_case("HVC PSCI_VERSION (C)", step_hvc, PSCI_0_2_FN_PSCI_VERSION, 0);
    step_case("SMC PSCI_VERSION (trapped)", step_smc, PSCI_0_2_FN_PSCI_VERSION, 0);
    /* An SGI to this vCPU: stepped sending, taken once IRQs are unmasked. */
    if (plat.gic_v2) {
        step_case("STR W (vGIC GICD_SGIR)", step_str_w, d + GICD_SGIR,
                  (UINT64_C(1) << (16 + aff0)) | STEP_SGI);
    } else {
        step_case("MSR ICC_SGI1R_EL1 (SGI to itself)", step_msr_sgi1r, 0,
                  gc_sgi1r_one(STEP_SGI, mpidr));
    }
    irqs_window();
    report(sgi_taken == 1, "step: the stepped SGI was taken once afterwards (%u)", sgi_taken);
    if (plat.cpu_count >= 2) {
        step_ipi();
    }

    /* A WFI with nothing pending traps (HCR_EL2.TWI; QEMU completes a WFI with an interrupt
     * already pending without trapping) and sleeps in the hypervisor until the one-shot
     * virtual timer fires: its step exception comes right after the WFI. (QEMU 7.2's TCG
     * runs a stepped WFI as a NOP, without the trap: there the case checks the step only.) */
    struct percpu *pc = this_cpu();
    pc->timer_fired = 0;
    gic_enable_private(plat.timer_intid);
    write_sysreg(read_sysreg(cntvct_el0) + timer_ms_to_ticks(STEP_WFI_MS), cntv_cval_el0);
    write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
    isb();
    step_case("WFI (woken by the timer)", step_wfi, 0, 0);
    __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    uint64_t until = timer_now() + timer_ms_to_ticks(STEP_WFI_MS * 50);
    while (!pc->timer_fired && timer_now() < until) {
        __asm__ volatile("nop");
    }
    __asm__ volatile("msr daifset, #2" ::: "memory");
    write_sysreg(0, cntv_ctl_el0);
    report(pc->timer_fired, "step: the one-shot timer armed for the WFI was taken");
    exc_step_hook = NULL;
    __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    tg_finish();
}
