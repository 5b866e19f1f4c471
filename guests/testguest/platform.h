/* SPDX-License-Identifier: MIT */
/*
 * What the guest learns from its device tree (Linux DT bindings: memory, cpus, arm,pl011,
 * arm,gic-v3 or a GICv2 (arm,gic-400, arm,cortex-a15-gic), arm,armv8-timer, arm,psci). Defaults for the QEMU virt layout apply only to
 * values the DT does not provide; each default used is listed in plat.defaulted.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "psci.h"
#include "tg.h"

#define PLAT_MAX_MEM_REGIONS 4
#define PLAT_BOOTARGS_MAX    256

struct mem_region {
    uint64_t base;
    uint64_t size;
};

struct platform {
    struct mem_region mem[PLAT_MAX_MEM_REGIONS];
    uint32_t mem_count;
    uint64_t cpu_mpidr[TG_MAX_CPUS]; /* by logical index: [0] boot CPU, then DT order */
    uint32_t cpu_count;
    uint32_t cpu_count_dt;           /* CPUs in the DT, may exceed TG_MAX_CPUS */
    uintptr_t uart_base;
    uint32_t uart_intid;
    uintptr_t gicd_base;
    uintptr_t gicr_base;
    uint64_t gicr_size;
    uint64_t gicr_stride;            /* 0: use GICR_TYPER.VLPIS to pick 128 or 256 KiB */
    bool gic_v2;                     /* an arm,gic-400 / arm,cortex-a15-gic node: GICD + GICC */
    uintptr_t gicc_base;             /* GICv2 CPU interface (gic_v2 only) */
    uint32_t timer_intid;            /* virtual timer PPI */
    uint32_t ptimer_intid;           /* EL1 (non-secure) physical timer PPI */
    enum psci_conduit psci;
    char bootargs[PLAT_BOOTARGS_MAX];
    uintptr_t dtb_pa;                /* where the loader put the DTB */
    uint32_t dtb_size;
    bool dtb_ok;                     /* header valid and copied */
    char defaulted[PLAT_BOOTARGS_MAX]; /* names of the values that fell back to defaults */
};

extern struct platform plat;

/*
 * Parse the DTB at dtb_pa into plat. Never fails: unusable or missing values get the QEMU
 * virt defaults and are named in plat.defaulted. Uses libfdt, so FP must be enabled.
 */
void platform_init(uintptr_t dtb_pa);

/* Lowest base and highest end over all memory regions. */
uint64_t platform_mem_lowest(void);
uint64_t platform_mem_highest_end(void);

/* Index into plat.cpu_mpidr of the CPU with affinity mpidr, or -1. */
int platform_cpu_index(uint64_t mpidr);
