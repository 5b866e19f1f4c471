/* SPDX-License-Identifier: MIT */
/*
 * Exception entry (VBAR_EL1) and the "expect a fault" protocol of the negative tests.
 * A test calls fault_expect(), performs exactly one faulting instruction, then asks
 * fault_taken(): the handler has recorded ESR/FAR/ELR and skipped the instruction.
 */
#pragma once

/* Frame saved by vectors.S: x0..x30, ELR_EL1, SPSR_EL1, padded to keep SP 16-byte aligned. */
#define EXC_FRAME_REGS 31
#define EXC_FRAME_ELR  (EXC_FRAME_REGS * 8)
#define EXC_FRAME_SPSR (EXC_FRAME_ELR + 8)
#define EXC_FRAME_SIZE (EXC_FRAME_SPSR + 16)

#ifndef __ASSEMBLER__

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct exc_frame {
    uint64_t x[EXC_FRAME_REGS];
    uint64_t elr;
    uint64_t spsr;
    uint64_t pad;
};

static_assert(offsetof(struct exc_frame, elr) == EXC_FRAME_ELR, "frame layout");
static_assert(offsetof(struct exc_frame, spsr) == EXC_FRAME_SPSR, "frame layout");
static_assert(sizeof(struct exc_frame) == EXC_FRAME_SIZE, "frame layout");
static_assert(EXC_FRAME_SIZE % 16 == 0, "SP alignment");

/* Handlers called from vectors.S. */
void exc_sync(struct exc_frame *frame);
void exc_irq(struct exc_frame *frame);
/* slot: index (0..15) of the vector table entry that was taken. */
void exc_unexpected(struct exc_frame *frame, uint64_t slot);

/* If set, an SVC from AArch32 EL0 (lower-EL AArch32 vector) calls it instead of failing; it may
 * rewrite the frame to resume elsewhere (tg.mode=a32). */
extern void (*exc_a32_svc_hook)(struct exc_frame *frame);

/* If set, every software step exception (EC 0x33) calls it instead of the fault record; it
 * may rewrite the frame (SPSR.SS to step on) (tg.mode=step). */
extern void (*exc_step_hook)(struct exc_frame *frame);

/* Arm the calling CPU for one expected synchronous exception and clear the previous record. */
void fault_expect(void);

/*
 * Disarm and return whether an exception came since fault_expect(); if so and esr is not
 * NULL, store its ESR_EL1 there.
 */
bool fault_taken(uint64_t *esr);

/* Exception class of an ESR value. */
uint32_t esr_ec(uint64_t esr);

/*
 * One 32-bit load or store at pa under fault_expect(): true if it completed, false if it
 * raised a synchronous exception (then *esr, if not NULL, holds the ESR). A failed load leaves
 * *val unchanged.
 */
bool probe_read32(uintptr_t pa, uint32_t *val);
bool probe_write32(uintptr_t pa, uint32_t val);
bool probe_read32_esr(uintptr_t pa, uint32_t *val, uint64_t *esr);
bool probe_write32_esr(uintptr_t pa, uint32_t val, uint64_t *esr);

#endif /* __ASSEMBLER__ */
