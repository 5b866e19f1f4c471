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
void fw_trap(struct fw_frame *f, uint64_t esr);
FW_NORETURN void fw_unexpected(uint64_t kind, uint64_t esr, uint64_t elr);
uint64_t fw_stack_top(unsigned cpu);

/* head.S */
FW_NORETURN void fw_park(void);
FW_NORETURN void fw_el2_enter(uint64_t entry, uint64_t x0, uint64_t stack_top);
FW_NORETURN void fw_cpu_idle(uint64_t stack_top, unsigned cpu);

/* el3.c: the secure side of the machine */
void el3_gic_dist_init(void);                /* once, primary, before any el3_cpu_init */
void el3_cpu_init(unsigned cpu);             /* this CPU: EL3 controls, GIC, EL2 reset state */
FW_NORETURN void el3_power(bool reset);      /* the secure GPIO's power-off / reset line */
void el3_sev(void);
void el3_wfe(void);
void el3_wfi(void);
bool el3_has_sha256_insns(void);

/* fdtfix.c: what the firmware reads from and writes into QEMU's device tree */
struct fw_platform {
    uint64_t mpidr[FW_MAX_CPUS];
    unsigned cpu_count;
    uint64_t ram_pa, ram_size;
};
/* Reads the CPUs and RAM, hides the secure-only devices, adds /psci (SMC) and the bundle's
 * /chosen linux,initrd-start/end. 0 or a libfdt error (negative). */
int fdtfix_apply(void *fdt, uint64_t fdt_max, uint64_t initrd_pa, uint64_t initrd_size,
                 struct fw_platform *plat);

/* secsvc.c: the secure services (docs/TRUST.md "Secure services") */
/* Once, primary, before the device tree is fixed up: the DRBG seed (/secure-chosen rng-seed),
 * the attestation key, the first two measurements (the verified images' hashes). */
void secsvc_init(const uint8_t hyp_sha256[32], const uint8_t bundle_sha256[32],
                 const void *fdt);
/* Answers fid if it is a TRNG or a Bulkhead SiP call (true), from the EL that spsr names. */
bool secsvc_call(struct fw_frame *f, uint32_t fid, uint64_t spsr);

/* Clients of the secure services (w7): 0 the hypervisor, 1..FW_MAX_CLIENTS a VM (index + 1). */
#define FW_MAX_CLIENTS 8
/* For optee.c, under the services' lock: [pa, pa + len) lies in the hypervisor's window;
 * len random bytes (false: the source has none now); seal or unseal for VM index vm, as
 * BH_SEC_SEAL/UNSEAL (a length or BH_E_*). */
bool secsvc_hyp_buffer_ok(uint64_t pa, uint64_t len);
bool secsvc_random_bytes(uint8_t *out, uint64_t len);
int64_t secsvc_seal_vm(int vm, bool unseal, const uint8_t *in, uint64_t len, uint8_t *out,
                       uint64_t cap);

/* optee.c: the OP-TEE SMC and message ABI (docs/TRUST.md "OP-TEE") */
bool optee_is_call(uint32_t fid);                 /* OEN 50..63: the Trusted OS's */
void optee_call(struct fw_frame *f, uint32_t fid); /* from EL2, under the services' lock */

/* psci.c */
void psci_init(const struct fw_platform *plat, unsigned boot_cpu);
/* Answers one SMCCC call from CPU `cpu` (DEN0022 PSCI 1.1, DEN0028 SMCCC 1.1): the x0 result;
 * CPU_OFF, SYSTEM_OFF and SYSTEM_RESET do not return. */
uint64_t psci_call(unsigned cpu, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
/* A CPU that is off waits here for CPU_ON, then enters EL2. */
FW_NORETURN void psci_cpu_wait(unsigned cpu);
