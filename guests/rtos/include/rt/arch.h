/* SPDX-License-Identifier: MIT */
/*
 * AArch64 EL1 mechanics the kernel is built on. Tasks run at EL1 on SP_EL0 ("EL1t", SPSel=0)
 * with IRQs unmasked; the kernel runs only in exception context on the per-CPU SP_EL1 stack
 * with IRQs masked (ARM ARM D1.6.2). An exception from a task therefore enters through the
 * "current EL with SP_EL0" vectors, which save the task's registers straight into its
 * struct rt_ctx; the kernel may pick another context before the ERET.
 *
 * The context layout is testguest's struct exc_frame (x0-x30, ELR, SPSR) with the padding
 * word holding SP_EL0, so the shared fault reporting code can read a task context.
 */
#pragma once

#include "exc.h" /* EXC_FRAME_* layout, shared with guests/testguest */

#define RT_CTX_ELR  EXC_FRAME_ELR
#define RT_CTX_SPSR EXC_FRAME_SPSR
#define RT_CTX_SP   (EXC_FRAME_SPSR + 8)
#define RT_CTX_SIZE EXC_FRAME_SIZE

/* Which vector slot of a group was taken (vectors.S passes it to rt_kernel_trap). */
#define RT_TRAP_SYNC   0
#define RT_TRAP_IRQ    1
#define RT_TRAP_FIQ    2
#define RT_TRAP_SERROR 3

/* SPSR for a new task: EL1t, IRQs and SErrors unmasked, debug and FIQ masked (unused). */
#define RT_SPSR_EL1T    0x4
#define RT_SPSR_F       (1 << 6)
#define RT_SPSR_D       (1 << 9)
#define RT_SPSR_TASK    (RT_SPSR_EL1T | RT_SPSR_F | RT_SPSR_D)

#define RT_STACK_ALIGN 16

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stdint.h>

struct rt_ctx {
    uint64_t x[EXC_FRAME_REGS];
    uint64_t elr;
    uint64_t spsr;
    uint64_t sp; /* SP_EL0 */
};

static_assert(offsetof(struct rt_ctx, elr) == RT_CTX_ELR, "ctx layout");
static_assert(offsetof(struct rt_ctx, spsr) == RT_CTX_SPSR, "ctx layout");
static_assert(offsetof(struct rt_ctx, sp) == RT_CTX_SP, "ctx layout");
static_assert(sizeof(struct rt_ctx) == RT_CTX_SIZE, "ctx layout");

/* True in kernel context (exception handler or boot code, SPSel=1); false in a task. */
static inline bool arch_in_kernel(void)
{
    uint64_t spsel;

    __asm__ volatile("mrs %0, spsel" : "=r"(spsel));
    return spsel & 1;
}

/*
 * Trap into the kernel with syscall number nr (x8) and arguments x0-x3; the result comes
 * back in x0. The kernel restores every other register, so only memory is clobbered.
 */
static inline int64_t arch_svc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                               uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x8 __asm__("x8") = nr;

    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3), "r"(x8) : "memory");
    return (int64_t)x0;
}

/* Kernel entry from vectors.S: handle the trap, return the context to resume. */
struct rt_ctx *rt_kernel_trap(struct rt_ctx *ctx, uint64_t kind);

/* Load ctx on this CPU's kernel stack top kstack_top and ERET into it. vectors.S. */
void arch_ctx_start(struct rt_ctx *ctx, uintptr_t kstack_top) __attribute__((noreturn));

/* Context pointer of the running task per CPU; vectors.S saves into *rt_cpu_ctx[cpu]. */
extern struct rt_ctx *rt_cpu_ctx[];

/*
 * Identity-map RAM (the DT memory ranges, Normal write-back) and everything else as
 * Device-nGnRE, then turn on the MMU and caches. Boot CPU, MMU off, before any task. Returns
 * false (MMU left off) if RAM lies beyond the 39-bit map.
 */
bool arch_mmu_enable(void);

#endif /* __ASSEMBLER__ */
