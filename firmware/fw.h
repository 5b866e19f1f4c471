/* SPDX-License-Identifier: MIT */
/* The EL3 firmware's internal interfaces (docs/TRUST.md); plat.h has the addresses. */
#pragma once

#include "plat.h"

#include <stdbool.h>
#include <stdint.h>

#define FW_NORETURN __attribute__((noreturn))

#ifndef CONFIG_BENCH
#define CONFIG_BENCH 0  /* 1 in bench builds (bench/bench.mk FW_EXTRA): EL3 counted by the PMU */
#endif

/* x0..x30 of the normal world at an SMC (head.S lower_sync); x0..x3 are the results. */
struct fw_frame {
    uint64_t x[31];
    uint64_t pad;
};

/* main.c */
void fw_main(unsigned cpu);
void fw_secondary_main(unsigned cpu);
void fw_puts(const char *s);                 /* one console line, "\r\n" added */
void fw_print(const char *s);                /* pieces of a line */
void fw_print_hex(uint64_t v);
void fw_print_dec(int64_t v);
void fw_trap(struct fw_frame *f, uint64_t esr);
FW_NORETURN void fw_unexpected(uint64_t kind, uint64_t esr, uint64_t elr);
uint64_t fw_stack_top(unsigned cpu);

/* head.S */
FW_NORETURN void fw_park(void);
FW_NORETURN void fw_el2_enter(uint64_t entry, uint64_t x0, uint64_t stack_top);
FW_NORETURN void fw_cpu_idle(uint64_t stack_top, unsigned cpu);

/* el3.c: the secure side of the CPU, the same on every platform */
void el3_cpu_init(unsigned cpu);             /* this CPU: EL3 controls, GIC, EL2 reset state */
FW_NORETURN void el3_power(bool reset);      /* the platform's power-off / reset (plat_power) */
void el3_sev(void);
void el3_wfe(void);
void el3_wfi(void);
bool el3_has_sha256_insns(void);
void el3_world(bool secure);                 /* SCR_EL3 for the secure partition, or back */

/* board.c (firmware/<platform>/board.c, with its plat.h): the platform's devices */
void plat_putc(char c);                      /* the console UART: polled, bounded wait */
void plat_init(void);                        /* once, primary, first: the console, every
                                              * SPI non-secure */
void plat_gic_cpu_init(void);                /* this CPU: its banked interrupts non-secure,
                                              * its GIC CPU interface usable from EL2 */
/* CPU_ON, after the target's mailbox is armed: power `cpu` (an index < FW_MAX_CPUS) up if the
 * platform keeps CPUs off until asked (it then enters the firmware at its reset entry and
 * finds its mailbox); a CPU already running is left alone. */
void plat_cpu_power_on(unsigned cpu);
FW_NORETURN void plat_power(bool reset);     /* power the machine off, or reset it */

/* fdtfix.c: what the firmware reads from and writes into QEMU's device tree */
struct fw_platform {
    uint64_t mpidr[FW_MAX_CPUS];
    unsigned cpu_count;
    uint64_t ram_pa, ram_size;
};
/* Reads the CPUs and RAM of QEMU's tree `fdt`, writes it to `out` (may be fdt itself; room
 * fdt_max) with the secure-only devices hidden, /psci (SMC) added and the bundle's /chosen
 * linux,initrd-start/end. 0 or a libfdt error (negative). */
int fdtfix_apply(const void *fdt, void *out, uint64_t fdt_max, uint64_t initrd_pa,
                 uint64_t initrd_size, struct fw_platform *plat);

#ifndef CONFIG_FW_TEST
#define CONFIG_FW_TEST 0 /* 1 in the test firmware (build/fw/test): spd_selftest at boot */
#endif

/* spd.c: the secure partition dispatcher (docs/TRUST.md "The secure partition") */
/* Once, primary, before the device tree is fixed up: loads the partition (and wipes the
 * firmware's copy of its image), hands it the verified images' hashes and QEMU's
 * /secure-chosen rng-seed. Without a working partition the services answer errors. */
void spd_load(const uint8_t hyp_sha256[32], const uint8_t bundle_sha256[32], const void *fdt);
/* Answers fid if it is a TRNG, Bulkhead SiP or OP-TEE call (true), from the EL spsr names. */
bool spd_call(struct fw_frame *f, uint32_t fid, uint64_t spsr);
/* fw_trap, for any trap from the secure side: the partition's answer or fault. */
FW_NORETURN void spd_from_sp(struct fw_frame *f, uint64_t esr);
void spd_selftest(void); /* test firmware only */

/* psci.c */
void psci_init(const struct fw_platform *plat, unsigned boot_cpu);
/* Answers one SMCCC call from CPU `cpu` (DEN0022 PSCI 1.1, DEN0028 SMCCC 1.1): the x0 result;
 * CPU_OFF, SYSTEM_OFF and SYSTEM_RESET do not return. */
uint64_t psci_call(unsigned cpu, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
/* A CPU that is off waits here for CPU_ON, then enters EL2. */
FW_NORETURN void psci_cpu_wait(unsigned cpu);
