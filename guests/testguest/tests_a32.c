// SPDX-License-Identifier: MIT
/*
 * tg.mode=a32: MMIO emulated for AArch32 EL0 steps the PC by the trapped instruction's length
 * (ESR_EL2.IL, ARM DDI 0487 D17.2.37): a 16-bit T32 load by 2, a 32-bit T32 or A32 load by 4.
 * Each snippet loads UARTFR through the emulated PL011 and then makes SVC #0; a wrong step
 * lands on SVC #1 (or in the middle of an instruction).
 */
#include "exc.h"
#include "platform.h"
#include "report.h"
#include "sysreg.h"
#include "tests.h"
#include "uart.h"

#define SPSR_A32_USR 0x10u         /* M[4] = AArch32, mode User */
#define SPSR_T       (1u << 5)     /* Thumb */
#define SPSR_AIF     (7u << 6)     /* interrupts masked at EL0 */
#define EC_SVC32     0x11u
#define ID_PFR0_EL0(v) ((v) & 0xf) /* 2: EL0 can run AArch32 */
#define UARTFR_OFF   0x18u

void a32_run(uintptr_t entry, uint64_t spsr, uint64_t r1);
extern const char a32_t16_load[], a32_t32_load[], a32_a32_load[];

static volatile uint64_t seen_esr, seen_elr, seen_r0;

/* Slot 12 (lower EL, AArch32) while a32_run is out: record, then go back to EL1. */
static void a32_svc(struct exc_frame *frame)
{
    extern char a32_resume[];

    seen_esr = read_sysreg(esr_el1);
    seen_elr = frame->elr;
    seen_r0 = frame->x[0] & 0xffffffffu;
    frame->elr = (uintptr_t)a32_resume;
    frame->spsr = 0x3c5; /* EL1h, DAIF masked as in the test */
}

static void run_snippet(const char *name, const char *code, uint64_t spsr, unsigned load_len,
                        uint32_t expect_fr)
{
    uintptr_t base = (uintptr_t)code;

    seen_esr = seen_elr = seen_r0 = ~UINT64_C(0);
    a32_run(base, spsr | SPSR_AIF, plat.uart_base + UARTFR_OFF);
    report(esr_ec(seen_esr) == EC_SVC32 && (seen_esr & 0xffff) == 0,
           "a32: %s: SVC #0 reached after the load (ESR 0x%lx)", name, (unsigned long)seen_esr);
    /* The SVC's preferred return is the next instruction: its own length after it. */
    unsigned svc_len = (spsr & SPSR_T) ? 2 : 4;
    report(seen_elr == base + load_len + svc_len, "a32: %s: return address 0x%lx (want 0x%lx)",
           name, (unsigned long)seen_elr, (unsigned long)(base + load_len + svc_len));
    report(seen_r0 == expect_fr, "a32: %s: r0 = UARTFR 0x%lx (want 0x%x)", name,
           (unsigned long)seen_r0, expect_fr);
}

void tests_a32(void)
{
    uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);

    if (ID_PFR0_EL0(pfr0) != 2) {
        report_info("a32: this PE has no AArch32 EL0 (ID_AA64PFR0_EL1 0x%lx): nothing to test",
                    (unsigned long)pfr0);
        tg_finish();
    }
    uint32_t fr = uart_read_reg(UART_FR);
    exc_a32_svc_hook = a32_svc;
    run_snippet("T32 16-bit LDR", a32_t16_load, SPSR_A32_USR | SPSR_T, 2, fr);
    run_snippet("T32 32-bit LDR.W", a32_t32_load, SPSR_A32_USR | SPSR_T, 4, fr);
    run_snippet("A32 LDR", a32_a32_load, SPSR_A32_USR, 4, fr);
    tg_finish();
}
