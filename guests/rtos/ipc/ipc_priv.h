/* SPDX-License-Identifier: MIT */
/* Between the queue calls (ipc.c) and the RPC transport on top of them (ipc_rpc.c). */
#pragma once

#include <rt/ipc.h>

/* Waiting was asked for outside a task (an interrupt handler, the boot path). */
#define IPC_E_NOT_TASK (-100)

/*
 * ipc_msgq_send (send) or ipc_msgq_recv with the hypervisor's result codes (docs/ABI.md:
 * BH_E_BUSY, BH_E_TIMEOUT, ...; a receive's length when >= 0), BH_E_NOT_SUPPORTED without
 * hypervisor IPC, or IPC_E_NOT_TASK.
 */
int64_t ipc_msgq_xfer(bool send, uint32_t id, void *buf, size_t len, uint64_t timeout_us);
