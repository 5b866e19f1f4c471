/* SPDX-License-Identifier: MIT */
/*
 * EL1 vector table (ARM ARM D1.10.2) for the RTOS. Every slot stores the interrupted
 * registers in a struct rt_ctx and calls rt_kernel_trap(ctx, slot), which returns the
 * context to resume:
 *   slots 0-3  (current EL, SP_EL0): traps from tasks; saved into *rt_cpu_ctx[cpu], the
 *              running task's control block, so a context switch is just returning
 *              another task's context;
 *   slots 4-15 (kernel context, lower ELs): saved into *rt_cpu_kctx[cpu]; only the boot
 *              probes and fatal errors come this way.
 * The kernel stack is SP_EL1; it is empty whenever a task runs.
 */
#include <rt/arch.h>

#define VECTOR_TABLE_ALIGN 11   /* VBAR_EL1 bits [10:0] are RES0 */
#define VECTOR_SLOT_ALIGN  7
#define TASK_SLOTS         4    /* slots 0-3: taken from EL1t, i.e. from a task */
#define STASH_SIZE         32   /* x0-x3, parked on the kernel stack during the save */
#define REG_SIZE           8

/* op (stp/ldp) of the pairs x4/x5 .. x28/x29 at their rt_ctx offsets from x0. */
.macro ctx_pair op, a, b
    \op     x\a, x\b, [x0, #(\a * REG_SIZE)]
.endm
.macro ctx_pairs op
    ctx_pair \op, 4, 5
    ctx_pair \op, 6, 7
    ctx_pair \op, 8, 9
    ctx_pair \op, 10, 11
    ctx_pair \op, 12, 13
    ctx_pair \op, 14, 15
    ctx_pair \op, 16, 17
    ctx_pair \op, 18, 19
    ctx_pair \op, 20, 21
    ctx_pair \op, 22, 23
    ctx_pair \op, 24, 25
    ctx_pair \op, 26, 27
    ctx_pair \op, 28, 29
.endm

/* Park x0-x3 and branch to the common save with the slot number in x2. */
.macro vector slot
    .balign (1 << VECTOR_SLOT_ALIGN)
    sub     sp, sp, #STASH_SIZE
    stp     x0, x1, [sp]
    stp     x2, x3, [sp, #16]
    mov     x2, #\slot
    b       trap_entry
.endm

    .text
    .balign (1 << VECTOR_TABLE_ALIGN)
    .global vectors
vectors:
    vector 0
    vector 1
    vector 2
    vector 3
    vector 4
    vector 5
    vector 6
    vector 7
    vector 8
    vector 9
    vector 10
    vector 11
    vector 12
    vector 13
    vector 14
    vector 15

trap_entry:
    mrs     x0, tpidr_el1           /* logical CPU index (start.S) */
    adrp    x1, rt_cpu_ctx
    add     x1, x1, :lo12:rt_cpu_ctx
    cmp     x2, #TASK_SLOTS
    b.lo    1f
    adrp    x1, rt_cpu_kctx
    add     x1, x1, :lo12:rt_cpu_kctx
1:  ldr     x0, [x1, x0, lsl #3]    /* x0 = where to save */
    ctx_pairs stp
    str     x30, [x0, #(30 * REG_SIZE)]
    ldp     x4, x5, [sp]
    stp     x4, x5, [x0]
    ldp     x4, x5, [sp, #16]
    stp     x4, x5, [x0, #16]
    add     sp, sp, #STASH_SIZE
    mrs     x4, elr_el1
    mrs     x5, spsr_el1
    stp     x4, x5, [x0, #RT_CTX_ELR]
    mrs     x4, sp_el0
    str     x4, [x0, #RT_CTX_SP]
    mov     x1, x2
    bl      rt_kernel_trap
    /* fall through: resume the context rt_kernel_trap returned in x0 */

ctx_restore:
    ldp     x1, x2, [x0, #RT_CTX_ELR]
    msr     elr_el1, x1
    msr     spsr_el1, x2
    ldr     x1, [x0, #RT_CTX_SP]
    msr     sp_el0, x1
    ldp     x2, x3, [x0, #16]
    ctx_pairs ldp
    ldr     x30, [x0, #(30 * REG_SIZE)]
    ldp     x0, x1, [x0]            /* base last; no writeback, so this is allowed */
    eret

/* void arch_ctx_start(struct rt_ctx *ctx, uintptr_t kstack_top) */
    .global arch_ctx_start
arch_ctx_start:
    mov     sp, x1
    b       ctx_restore
