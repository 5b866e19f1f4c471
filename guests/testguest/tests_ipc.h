/* SPDX-License-Identifier: MIT */
/*
 * Roles of tg.mode=ipc, chosen with tg.ipc=<role>. Each runs on the boot CPU with IRQs masked
 * (interrupts are polled, see ipc.h), reports PASS/FAIL lines and ends with tg_finish(),
 * except where a role deliberately crashes or resets its VM.
 */
#pragma once

#include "ipc.h"
#include "tg.h"

/* tests_ipc_msgq.c: tg.ipc=producer / consumer over the queue tg.ipc_q (default "q"). */
void ipc_role_producer(void) __noreturn;
void ipc_role_consumer(void) __noreturn;

/* tests_ipc_sync.c: the shared counter, doorbells, semaphore timeouts, robust mutex. */
void ipc_role_sync_a(void) __noreturn;
void ipc_role_sync_b(void) __noreturn;
void ipc_role_sync_c(void) __noreturn;
void ipc_role_robust(void) __noreturn;

/* tests_ipc_deny.c: every refusal with its error code; the peer that holds what we may not. */
void ipc_role_deny(void) __noreturn;
void ipc_role_deny_peer(void) __noreturn;

/* tests_ipc_lx.c: the bare-metal peer of Linux user space (tests/scenarios/l-linux-ipc). */
void ipc_role_lxpeer(void) __noreturn;

/* tests_ipc_prio.c: waiters served by VM priority (tests/scenarios/i-prio). */
void ipc_role_prio_low(void) __noreturn;
void ipc_role_prio_high(void) __noreturn;
void ipc_role_prio_post(void) __noreturn;

/* report() that the call returned want; returns whether it did. */
bool ipc_expect(int64_t got, int64_t want, const char *what);
