/* SPDX-License-Identifier: MIT */
/*
 * The test modes selected by tg.mode=. Each runs on the boot CPU after platform, console,
 * GIC and timer setup, with IRQs unmasked, and ends through tg_finish() (except spin).
 */
#pragma once

#include "tg.h"

/* tg.mode=basic: memory, UART, PSCI, SMP, SGI and timer positive cases. */
void tests_basic(void) __noreturn;

/* Secondary CPU part of the basic mode; returns when the CPU should power off. */
void tests_basic_secondary(void);

/* tg.mode=hostile: accesses the hypervisor must contain. */
void tests_hostile(void) __noreturn;

/* tg.mode=spin: timer ticks forever with periodic "alive" lines. */
void mode_spin(void) __noreturn;

/* tg.mode=hog: busy without idling for tg.hog_ms (tg.hz: an optional tick), then a summary. */
void mode_hog(void) __noreturn;
void mode_fpshare(void) __noreturn;

/* tg.mode=crash: after tg.crash_after ms, an unexpected abort ends the run. */
void mode_crash(void) __noreturn;
/* Calls PSCI SYSTEM_RESET after tg.reset_after ms (default 100): the VM must restart. */
void mode_reset(void) __noreturn;
/* tg.mode=ramclear: RAM the loader did not fill reads zero; then marks it and resets. */
void mode_ramclear(void) __noreturn;

/* tg.mode=passthrough: the PL031 RTC given to the VM: ID, counting, match interrupt via the GIC. */
void tests_passthrough(void) __noreturn;
/* The same with a Cadence UART (tests_passthrough_cdns.c), for boards without a PL031. */
struct dt_dev;
void tests_passthrough_cdns(const struct dt_dev *dev) __noreturn;
/* tg.mode=uplink: QEMU's virtio-net passed through to an identity-mapped VM: ARP to slirp. */
void tests_uplink(void) __noreturn;

/* tg.mode=gicconf: GICv3 architecture conformance (registers, IPIs, priorities, EOImode). */
void tests_gicconf(void) __noreturn;

/* Secondary CPU part of the gicconf mode; returns when the CPU should power off. */
void tests_gicconf_secondary(void);

/* tg.mode=timer: virtual timer as a HW-linked level interrupt, emulated physical timer. */
void tests_timer(void) __noreturn;

/* tg.mode=ipc: inter-VM communication; the role comes from tg.ipc= (tests_ipc.h). */
void tests_ipc(void) __noreturn;

/* tg.mode=pmu: the virtual PMUv3 (counters, filtering, overflow PPI 23, reset state). */
void tests_pmu(void) __noreturn;

/* tg.mode=debug: breakpoints, watchpoints, single-step, OS lock, ACTLR_EL1, IMPDEF UNDEF. */
void tests_debug(void) __noreturn;

/* tg.mode=rpc: the guest RPC library over two message queues; tg.rpc=server|client. */
void tests_rpc(void) __noreturn;

/* tg.mode=smccc: SMCCC / TRNG / PSCI discovery answered as the specifications say. */
void tests_smccc(void) __noreturn;

/* tg.mode=cpuoff: every vCPU turns itself off (the last one stops the VM). */
void tests_cpuoff(void) __noreturn;
void tests_cpuoff_secondary(void);

/* tg.mode=a32: MMIO from AArch32 EL0 (T32 16/32-bit, A32) steps the PC by the right length. */
void tests_a32(void) __noreturn;
/* tg.mode=forge: writes forged hypervisor lines with terminal escapes (tg.victim= names the
 * VM it pretends to report on); tests/scenarios/k-forge.test checks how they arrive. */
void tests_forge(void) __noreturn;
/* Hostile lifecycle modes (tests_lifecycle.c): tg.mode=evtflood, offat, vbarbad, dbstorm. */
void mode_evtflood(void) __noreturn;
void mode_offat(void) __noreturn;
void mode_vbarbad(void) __noreturn;
void mode_dbstorm(void) __noreturn;
/* tg.mode=mgmt: a manager VM using the management device (tests_mgmt.c, m-mgmt.test). */
void tests_mgmt(void) __noreturn;
/* tg.mode=watchdog: the virtual SP805 (IDs, lock, counting, feeding, interrupt), then a hang
 * with interrupts masked until its reset output applies the VM's fault policy. */
void tests_watchdog(void) __noreturn;
/* tg.mode=power: waits for the power button's interrupt, then SYSTEM_OFF (tg.power=off) or
 * spins on (tg.power=ignore: stopped by force after the shutdown timeout) (tests_power.c). */
void mode_power(void) __noreturn;
/* tg.mode=mgmtshut: a manager's graceful shutdowns (tests_mgmt_life.c, m-shutdown.test). */
void tests_mgmt_shutdown(void) __noreturn;
/* tg.mode=mgmtoff: a manager shuts down tg.target= once it booted (l-linux-shutdown.test). */
void tests_mgmt_poweroff(void) __noreturn;
/* tg.mode=mgmttick: the train's 10 kHz tick that also restarts tg.target= every tg.every_ms,
 * tg.restarts times, as a manager (tests_mgmt_train.c, t-train-managed.test). */
void mode_mgmttick(void) __noreturn;
/* tg.mode=mgmtsched: a manager checks the scheduler's per-vCPU accounting of shared pCPUs in
 * its snapshots (tests_mgmt_sched.c, s-mgmt-sched.test). */
void tests_mgmt_sched(void) __noreturn;
/* tg.mode=vnet: frames between VMs on a network segment through virtio-net; tg.role=ping|
 * pong|silent (tests_vnet.c). tg.mode=vnet-hostile: malformed virtqueues, each followed by a
 * reset and a good frame echoed by a pong peer (tests_vnet_hostile.c). */
void tests_vnet(void) __noreturn;
void tests_vnet_hostile(void) __noreturn;

/* tg.mode=secsvc, secdeny, sechostile: the secure services through the hypervisor, allowed,
 * denied, and hammered (tests_secsvc.c, tests/scenarios/v-fw-secsvc.test). */
void tests_secsvc(void) __noreturn;
void tests_secdeny(void) __noreturn;
void tests_sechostile(void) __noreturn;
/* tg.mode=tee, teedeny, teehostile: the OP-TEE mediation, used, denied and hammered
 * (tests_tee.c, tests/scenarios/v-fw-optee.test). */
void tests_tee(void) __noreturn;
void tests_teedeny(void) __noreturn;
void tests_teehostile(void) __noreturn;
/* tg.mode=ticks: a periodic virtual timer tick stream (the IRQ vector's re-arm, tests_ticks.c,
 * tests/scenarios/h-timer-fast.test). */
void tests_ticks(void) __noreturn;
/* tg.mode=sgis: IPIs between two vCPUs, the vectors' short paths and their fallbacks
 * (tests_sgis.c, tests/scenarios/h-sgis.test). */
void tests_sgis(void) __noreturn;
void tests_sgis_secondary(void);
/* tg.mode=hvcinfo: the register-only Bulkhead calls and the IDs around them (tests_hvcinfo.c,
 * tests/scenarios/k-hvcinfo.test). */
void tests_hvcinfo(void) __noreturn;
/* tg.mode=mmiow: the decode of emulated MMIO loads and stores of every width, sign and zero
 * extension, xzr and high Rt (tests_mmiow.c, tests/scenarios/d-mmio-widths.test). */
void tests_mmiow(void) __noreturn;
/* tg.mode=step: software step over every kind of instruction the hypervisor emulates or
 * answers: one step exception per instruction, right after it (tests_step.c, step.S,
 * tests/scenarios/d-step.test). */
void tests_step(void) __noreturn;
void tests_step_secondary(void);

/* tg.mode=psciconf: PSCI 1.1 / SMCCC 1.1 conformance of what guests call (tests_psciconf.c,
 * k-psciconf). Needs two vCPUs. */
void tests_psciconf(void) __noreturn;

/* tg.mode=gicrestart: no GIC state outlives a VM reset; an active interrupt survives a
 * switch-out (tests_gicrestart.c, tests/scenarios/h-gic-restart.test). GICv3. */
void tests_gicrestart(void) __noreturn;

/* tg.mode=exitcount: every vCPU makes the same number of MMIO, hypercall and SGI1R exits, all
 * at once or one after the other (tests_exitcount.c, tests/scenarios/k-exit-stats.test). */
void tests_exitcount(void) __noreturn;
void tests_exitcount_secondary(void);
