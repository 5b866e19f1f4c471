/* SPDX-License-Identifier: MIT */
/*
 * Test guest limits and per-CPU state. The guest runs with the MMU off, so all data is
 * Device memory where exclusives are not architecturally guaranteed: every shared word here
 * has a single writer and is published with barriers plus SEV, never with atomics.
 */
#pragma once

#define TG_MAX_CPUS     8
#define TG_STACK_SIZE   0x4000  /* 16 KiB per CPU */
#define TG_STACK_ALIGN  16
#define TG_FDT_BUF_SIZE 0x10000 /* private copy of the DTB, so memory tests cannot hit it */

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysreg.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __noreturn    __attribute__((noreturn))
#define __aligned(n)  __attribute__((aligned(n)))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define READ_ONCE(x)  (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define GIC_NR_SGIS 16

/* State of the last synchronous exception, used by the negative tests. */
struct fault_state {
    bool expected;  /* the next synchronous exception is part of the test */
    bool taken;     /* one came since fault_expect() */
    uint64_t esr;
    uint64_t far;
    uint64_t elr;
};

struct percpu {
    uint32_t idx;       /* logical index: 0 = boot CPU, then DT order */
    uint64_t mpidr;     /* affinity fields only */
    uintptr_t gicr_rd;  /* this CPU's redistributor RD_base, 0 if not found */
    uint32_t online;    /* written by this CPU, read by CPU0 */
    uint32_t done;      /* written by this CPU, read by CPU0 */
    uint32_t sgi_count[GIC_NR_SGIS]; /* written only by this CPU's IRQ handler */
    uint32_t unexpected_irqs;
    uint32_t timer_ticks;
    uint64_t timer_period;           /* counter ticks per tick, 0 = one-shot mode */
    uint32_t timer_fired;            /* one-shot deadline reached */
    struct fault_state fault;
} __aligned(64);

extern struct percpu percpu[TG_MAX_CPUS];

/* Logical index of the calling CPU; start.S keeps it in TPIDR_EL1. */
static inline uint32_t cpu_idx(void)
{
    return (uint32_t)read_sysreg(tpidr_el1);
}

static inline struct percpu *this_cpu(void)
{
    return &percpu[cpu_idx()];
}

/* Image bounds (linker.ld) and the PSCI CPU_ON entry point (start.S), as run-time addresses. */
extern char _head[], _end[], secondary_entry[];

/* Entry points called from start.S. */
void tg_main(uintptr_t dtb_pa) __noreturn;
void tg_secondary_main(void) __noreturn;

#endif /* __ASSEMBLER__ */
