/* SPDX-License-Identifier: MIT */
/*
 * Which GIC the hardware has, at no cost to GICv3: a GIC system-register access on a hot path
 * is written as gic_sysreg_read/gic_sysreg_write, which emit the MRS/MSR itself plus, out of
 * line, a GICv2 stub that calls a C function (the GICv2 back end) with every caller-saved
 * register and the flags preserved. Each site is recorded in section gic_v2_sites; on GICv2
 * hardware arch_gic_select_v2() rewrites its MRS/MSR into a branch to the stub, once, at
 * boot, before the MMU makes the text read-only. GICv3 runs the original instruction:
 * no load, no branch, no extra register pressure. Calls that are not on hot paths test
 * arch_gic_is_v2 instead.
 * Stub functions: uint64_t fn(uint64_t arg) for reads, void fn(uint64_t arg, uint64_t val)
 * for writes; arg is a constant of the site.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define GIC_SEL_STR1(x) #x
#define GIC_SEL_STR(x)  GIC_SEL_STR1(x)

/* x0-x18, x30 and NZCV on the stack (192 bytes; slot 160 carries a read's result). */
#define GIC_SEL_SAVE                                                                  \
    "sub sp, sp, #192\n stp x0, x1, [sp, #0]\n stp x2, x3, [sp, #16]\n"               \
    "stp x4, x5, [sp, #32]\n stp x6, x7, [sp, #48]\n stp x8, x9, [sp, #64]\n"         \
    "stp x10, x11, [sp, #80]\n stp x12, x13, [sp, #96]\n stp x14, x15, [sp, #112]\n"  \
    "stp x16, x17, [sp, #128]\n stp x18, x30, [sp, #144]\n mrs x0, nzcv\n"            \
    "str x0, [sp, #168]\n"
#define GIC_SEL_RESTORE                                                               \
    "ldr x0, [sp, #168]\n msr nzcv, x0\n ldp x0, x1, [sp, #0]\n ldp x2, x3, [sp, #16]\n" \
    "ldp x4, x5, [sp, #32]\n ldp x6, x7, [sp, #48]\n ldp x8, x9, [sp, #64]\n"         \
    "ldp x10, x11, [sp, #80]\n ldp x12, x13, [sp, #96]\n ldp x14, x15, [sp, #112]\n"  \
    "ldp x16, x17, [sp, #128]\n ldp x18, x30, [sp, #144]\n"
#define GIC_SEL_SITE(stub)                                                            \
    ".pushsection gic_v2_sites, \"a\"\n .balign 8\n .quad 1b, " stub "\n .popsection\n"

/* MRS from reg on GICv3; fn(arg) on GICv2. */
#define gic_sysreg_read(reg, fn, arg)                                                 \
    ({                                                                                \
        uint64_t __gv;                                                                \
        __asm__ volatile inline("1: mrs %0, " GIC_SEL_STR(reg) "\n3:\n" GIC_SEL_SITE("2f")      \
                         ".pushsection .text.gic_v2, \"ax\"\n2: " GIC_SEL_SAVE          \
                         "mov x0, %1\n bl " #fn "\n str x0, [sp, #160]\n" GIC_SEL_RESTORE \
                         "ldr %0, [sp, #160]\n add sp, sp, #192\n b 3b\n .popsection\n"  \
                         : "=r"(__gv)                                                 \
                         : "i"(arg));                                                 \
        __gv;                                                                         \
    })

/* MSR to reg on GICv3; fn(arg, val) on GICv2. */
#define gic_sysreg_write(reg, fn, arg, val)                                           \
    do {                                                                              \
        uint64_t __gw = (uint64_t)(val);                                              \
        __asm__ volatile inline("1: msr " GIC_SEL_STR(reg) ", %0\n3:\n" GIC_SEL_SITE("2f")      \
                         ".pushsection .text.gic_v2, \"ax\"\n2: " GIC_SEL_SAVE          \
                         "mov x1, %0\n mov x0, %1\n bl " #fn "\n" GIC_SEL_RESTORE       \
                         "add sp, sp, #192\n b 3b\n .popsection\n"                     \
                         :                                                            \
                         : "r"(__gw), "i"(arg));                                      \
    } while (0)

/* The hardware is a GICv2: patch every site (MMU off, boot CPU, before any other CPU runs)
 * and set arch_gic_is_v2. */
void arch_gic_select_v2(void);
extern bool arch_gic_is_v2;
