/* SPDX-License-Identifier: MIT */
/*
 * Benchmark guest modes (bench.mode= in the bootargs) and the EL2 instruction counter they
 * read. Every result is one line "TG <tag>: BENCH <name> key=value ...", parsed by
 * bench/run.py; raw totals are printed, so the division happens on the host.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "tg.h"

/*
 * EL2 instructions retired so far on this vCPU's pCPU (hypercall BH_HC_BENCH_EL2_INSNS, in
 * CONFIG_BENCH builds of Bulkhead only). The read itself costs a fixed number of EL2
 * instructions, which bench_calibrate() measures.
 */
uint64_t bench_el2_insns(void);

/*
 * EL2 instructions of one counter read as seen between two reads: the smallest difference of
 * back-to-back reads on the calling CPU. Subtract it once from every measured window.
 */
uint64_t bench_calibrate(void);

/* One result line: "BENCH name total=... n=... calib=..." (bench/run.py divides). */
void bench_print_result(const char *name, uint64_t total, uint64_t n, uint64_t calib);

#define BENCH_OP_TIMEOUT_MS 5000 /* a step the other side must take by then */

/* Wait until *word >= target (set by another CPU or VM), at most BENCH_OP_TIMEOUT_MS: with
 * WFE, or with irq, WFI taking interrupts. False on timeout. */
bool bench_wait_word(const uint32_t *word, uint32_t target, bool irq);

/* bench.mode=micro: hvc, mmio, timer IRQ and IPI costs in EL2 instructions; needs 2 vCPUs. */
void bench_micro(void) __noreturn;

/* bench.mode=secure: the null secure-service call round trip, EL2 + EL3 (secure.c). */
void bench_secure(void) __noreturn;

/* The secondary CPU's part of bench_micro (IPI receiver); returns when it should power off. */
void bench_micro_secondary(void);

/* bench.mode=overhead: a fixed compute workload under a 1 kHz tick, elapsed virtual time. */
void bench_overhead(void) __noreturn;

/*
 * bench.mode=ipc-tx and ipc-rx (configs/bench-ipc.dts, one VM each, one vCPU on pCPUs 0 and
 * 1): doorbell, semaphore, message-queue and RPC costs in EL2 instructions; tx prints them.
 */
void bench_ipc_tx(void) __noreturn;
void bench_ipc_rx(void) __noreturn;

/*
 * bench.mode=mgmt (configs/bench-mgmt.dts): a manager's costs, snapshot, event read, pause,
 * resume and start, in EL2 instructions and virtual time, against the managed guest spin.S.
 */
void bench_mgmt(void) __noreturn;

/*
 * bench.mode=net-tx and net-rx (configs/bench-net.dts, one VM each on pCPUs 0 and 1, members
 * of one network segment): EL2 instructions per frame switched, 64 and 1500 bytes; tx prints.
 */
void bench_net_tx(void) __noreturn;
void bench_net_rx(void) __noreturn;

/*
 * bench.mode=wall (configs/bench-wall.dts and natively, bench.native=1): PSCI_VERSION, null
 * hypercall, UART register read and IPI round trip loops timed in counter ticks (wall clock
 * without -icount); needs 2 vCPUs for the IPI.
 */
void bench_wall(void) __noreturn;

/* The secondary CPU's part of bench_wall (SGI receiver); returns when it should power off. */
void bench_wall_secondary(void);
extern bool bench_wall_mode;

/*
 * bench.mode=hammer (configs/bench-rtlat.dts): null hypercalls, emulated MMIO reads and IPIs
 * between its two vCPUs, forever; interference beside the pinned real-time VM.
 */
void bench_hammer(void) __noreturn;

/* The secondary CPU's part of bench_hammer (SGI receiver); never returns. */
void bench_hammer_secondary(void) __noreturn;
extern bool bench_hammer_mode;
