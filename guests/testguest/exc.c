// SPDX-License-Identifier: MIT
/*
 * Synchronous exception and IRQ dispatch for EL1. An expected fault is recorded and skipped
 * (ELR += 4: every probe is a single A64 instruction); anything else ends the run, since a
 * test that continues after an unexplained exception proves nothing.
 */
#include "exc.h"
#include "gic.h"
#include "report.h"

#define A64_INSN_SIZE 4
#define ESR_EC_STEP_CUR 0x33 /* software step, taken without a change of EL */
#define MDSCR_SS        BIT(0)

static const char *const slot_names[] = {
    "sync (SP_EL0)", "irq (SP_EL0)", "fiq (SP_EL0)", "serror (SP_EL0)",
    "sync",          "irq",          "fiq",          "serror",
    "sync (lower EL)", "irq (lower EL)", "fiq (lower EL)", "serror (lower EL)",
    "sync (AArch32)",  "irq (AArch32)",  "fiq (AArch32)",  "serror (AArch32)",
};

uint32_t esr_ec(uint64_t esr)
{
    return (uint32_t)FIELD_GET(ESR_EC, esr);
}

void fault_expect(void)
{
    struct fault_state *f = &this_cpu()->fault;

    f->taken = false;
    f->esr = 0;
    f->far = 0;
    f->elr = 0;
    f->expected = true;
    /* the probe must not be reordered before the flag is set */
    __asm__ volatile("" : : : "memory");
}

bool fault_taken(uint64_t *esr)
{
    struct fault_state *f = &this_cpu()->fault;

    __asm__ volatile("" : : : "memory");
    f->expected = false;
    if (f->taken && esr) {
        *esr = f->esr;
    }
    return f->taken;
}

void exc_sync(struct exc_frame *frame)
{
    struct fault_state *f = &this_cpu()->fault;
    uint64_t esr = read_sysreg(esr_el1);
    uint64_t far = read_sysreg(far_el1);

    if (esr_ec(esr) == ESR_EC_STEP_CUR && exc_step_hook) {
        exc_step_hook(frame);
        return;
    }
    if (f->expected) {
        f->expected = false;
        f->taken = true;
        f->esr = esr;
        f->far = far;
        f->elr = frame->elr;
        if (esr_ec(esr) == ESR_EC_STEP_CUR) {
            /* The stepped instruction completed and ELR is the next one. Stop stepping, or
             * the return would take the step exception again at once (ARM ARM D2.12). */
            write_sysreg(read_sysreg(S2_0_C0_C2_2) & ~MDSCR_SS, S2_0_C0_C2_2);
            return;
        }
        frame->elr += A64_INSN_SIZE;
        return;
    }
    tg_fatal("unexpected exception on cpu %u: sync ESR=0x%lx (EC=0x%x) ELR=0x%lx FAR=0x%lx",
             cpu_idx(), esr, esr_ec(esr), frame->elr, far);
}

void exc_irq(struct exc_frame *frame)
{
    (void)frame;
    gic_handle_irq();
}

void (*exc_a32_svc_hook)(struct exc_frame *frame);
void (*exc_step_hook)(struct exc_frame *frame);

void exc_unexpected(struct exc_frame *frame, uint64_t slot)
{
    uint64_t esr = read_sysreg(esr_el1);

    if (slot == 12 && esr_ec(esr) == 0x11 && exc_a32_svc_hook) { /* SVC from AArch32 EL0 */
        exc_a32_svc_hook(frame);
        return;
    }

    tg_fatal("unexpected exception on cpu %u: %s ESR=0x%lx ELR=0x%lx FAR=0x%lx", cpu_idx(),
             slot < ARRAY_SIZE(slot_names) ? slot_names[slot] : "?", esr, frame->elr,
             read_sysreg(far_el1));
}

bool probe_read32_esr(uintptr_t pa, uint32_t *val, uint64_t *esr)
{
    uint32_t v = *val;

    fault_expect();
    __asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"(pa) : "memory");
    if (fault_taken(esr)) {
        return false;
    }
    *val = v;
    return true;
}

bool probe_write32_esr(uintptr_t pa, uint32_t val, uint64_t *esr)
{
    fault_expect();
    __asm__ volatile("str %w0, [%1]" : : "rZ"(val), "r"(pa) : "memory");
    return !fault_taken(esr);
}

bool probe_read32(uintptr_t pa, uint32_t *val)
{
    return probe_read32_esr(pa, val, NULL);
}

bool probe_write32(uintptr_t pa, uint32_t val)
{
    return probe_write32_esr(pa, val, NULL);
}
