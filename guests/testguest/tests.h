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

/* tg.mode=crash: after tg.crash_after ms, an unexpected abort ends the run. */
void mode_crash(void) __noreturn;
/* Calls PSCI SYSTEM_RESET after tg.reset_after ms (default 100): the VM must restart. */
void mode_reset(void) __noreturn;
/* tg.mode=ramclear: RAM the loader did not fill reads zero; then marks it and resets. */
void mode_ramclear(void) __noreturn;

/* tg.mode=passthrough: the PL031 RTC given to the VM: ID, counting, match interrupt via the GIC. */
void tests_passthrough(void) __noreturn;

/* tg.mode=gicconf: GICv3 architecture conformance (registers, IPIs, priorities, EOImode). */
void tests_gicconf(void) __noreturn;

/* Secondary CPU part of the gicconf mode; returns when the CPU should power off. */
void tests_gicconf_secondary(void);

/* tg.mode=ipc: inter-VM communication; the role comes from tg.ipc= (tests_ipc.h). */
void tests_ipc(void) __noreturn;

/* tg.mode=rpc: the guest RPC library over two message queues; tg.rpc=server|client. */
void tests_rpc(void) __noreturn;
