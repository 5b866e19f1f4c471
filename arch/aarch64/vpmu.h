/* SPDX-License-Identifier: MIT */
/*
 * The guest's PMUv3 (ARM DDI 0487 D13 "The Performance Monitors Extension"): every PMU
 * register access traps (MDCR_EL2.TPM/TPMCR) and is carried out on the physical PMU of the
 * vCPU's own pCPU, limited to the counters below MDCR_EL2.HPMN and with EL2/EL3 filtering
 * forced off, so the counters count only the guest (docs/VIRTUAL-CPU.md).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <arch/sysreg.h>

struct vcpu;

/* Encodings (op0, op1, CRn, CRm, op2) of the PMU registers the guest may use. */
#define PMCR_EL0_ENC        SYSREG_ENC(3, 3, 9, 12, 0)
#define PMCNTENSET_EL0_ENC  SYSREG_ENC(3, 3, 9, 12, 1)
#define PMCNTENCLR_EL0_ENC  SYSREG_ENC(3, 3, 9, 12, 2)
#define PMOVSCLR_EL0_ENC    SYSREG_ENC(3, 3, 9, 12, 3)
#define PMSWINC_EL0_ENC     SYSREG_ENC(3, 3, 9, 12, 4)
#define PMSELR_EL0_ENC      SYSREG_ENC(3, 3, 9, 12, 5)
#define PMCEID0_EL0_ENC     SYSREG_ENC(3, 3, 9, 12, 6)
#define PMCEID1_EL0_ENC     SYSREG_ENC(3, 3, 9, 12, 7)
#define PMCCNTR_EL0_ENC     SYSREG_ENC(3, 3, 9, 13, 0)
#define PMXEVTYPER_EL0_ENC  SYSREG_ENC(3, 3, 9, 13, 1)
#define PMXEVCNTR_EL0_ENC   SYSREG_ENC(3, 3, 9, 13, 2)
#define PMUSERENR_EL0_ENC   SYSREG_ENC(3, 3, 9, 14, 0)
#define PMINTENSET_EL1_ENC  SYSREG_ENC(3, 0, 9, 14, 1)
#define PMINTENCLR_EL1_ENC  SYSREG_ENC(3, 0, 9, 14, 2)
#define PMOVSSET_EL0_ENC    SYSREG_ENC(3, 3, 9, 14, 3)
/* PMEVCNTR<n>_EL0: CRm = 0b10:n[4:3], op2 = n[2:0]; PMEVTYPER<n>_EL0: CRm = 0b11:n[4:3]. */
#define PMEVCNTR_EL0_ENC    SYSREG_ENC(3, 3, 14, 8, 0)
#define PMEVTYPER_EL0_ENC   SYSREG_ENC(3, 3, 14, 12, 0)
#define PMCCFILTR_EL0_ENC   SYSREG_ENC(3, 3, 14, 15, 7)
/* The encoding bits that select n in the two groups above (CRm[1:0], op2). */
#define PMEV_N_ENC_MASK     (SYSREG_ENC(0, 0, 0, 3, 7))

/* The physical PMU overflow interrupt of QEMU virt (PPI 7), and the guest's (same INTID). */
#define VPMU_INTID 23
#define VPMU_MAX_COUNTERS 31

/* A vCPU's PMU while it is out of a shared pCPU (vpmu_save/vpmu_load, sched_cpu.c). */
struct vpmu_state {
    bool valid;    /* false: the guest never touched its PMU (the reset state) */
    bool irq_line; /* its overflow interrupt was asserted (a wake-up for it) */
    uint8_t sel;   /* PMSELR_EL0.SEL */
    uint32_t pmcr; /* the guest's bits */
    uint32_t cnten, inten, ovs, userenr, ccfiltr;
    uint64_t ccntr;
    uint32_t evtyper[VPMU_MAX_COUNTERS];
    uint64_t evcntr[VPMU_MAX_COUNTERS];
};

/* Emulate one trapped PMU register access (sysreg_access_fn, arch/aarch64/trap.h). */
int vpmu_access(struct vcpu *v, uint32_t enc, bool is_read, uint64_t *val);

/* Put this pCPU's PMU in its reset state for the vCPU about to start here: counters the
 * guest may use disabled, zeroed and unfiltered, no overflow or interrupt enable left from a
 * previous VM instance. Call on the vCPU's own pCPU before it enters the guest. */
void vpmu_reset_cpu(void);

/* Whether this pCPU's PMU asserts the guest's overflow interrupt (PMCR_EL0.E and an enabled
 * overflow of a guest counter): the line of the HW-linked VPMU_INTID. */
bool vpmu_irq_line(void);

/* The overflow interrupt arrived while no vCPU runs here: mask the guest counters' overflow
 * interrupt so the line drops (the next vpmu_reset_cpu clears the rest). */
void vpmu_silence(void);

/* The physical VPMU_INTID was acknowledged (priority dropped) on v's pCPU (v may be NULL or
 * not running): inject it HW-linked into v, like the virtual timer. Same return value as
 * irq_handle (arch/aarch64/trap.h). */
bool vpmu_irq(struct vcpu *v, uint32_t intid);

/* Shared pCPUs: save this pCPU's guest PMU state into s and leave the PMU in its reset state
 * (a PMU the guest never touched since vpmu_reset_cpu is in it already: nothing is read). */
void vpmu_save(struct vpmu_state *s);
/* Load s (saved by vpmu_save) into this pCPU's PMU, which is in its reset state. */
void vpmu_load(const struct vpmu_state *s);
