/* SPDX-License-Identifier: MIT */
/*
 * The guest RPC library (guests/lib/rpc, <rpc/rpc.h>) on the RTOS: a transport over two
 * hypervisor message queues whose waits sleep the calling task, not the vCPU (<rt/ipc.h>).
 * Calls and rpc_serve_one() are then made from task context.
 */
#pragma once

#include <rpc/rpc.h>
#include <rt/ipc.h>

/* The two queues of one endpoint: a client sends requests and receives responses, a server
 * the other way round. Object IDs, e.g. from ipc_find(). */
struct ipc_rpc_queues {
    uint32_t tx_id;
    uint32_t rx_id;
};

/*
 * Fill t with the RTOS transport over q (kept by reference as t->ctx) for queues of msg_size
 * bytes. Timeouts are rounded up to microseconds; the clock is rt_now(). Transport results are
 * the hypervisor's codes (RPC_E_*), RPC_E_NOT_SUPPORTED without hypervisor IPC, RPC_E_INVAL
 * for a wait outside a task.
 */
void ipc_rpc_transport_init(struct rpc_transport *t, struct ipc_rpc_queues *q, size_t msg_size);

/*
 * Look up the queues called tx and rx (ipc_find), check that this VM may send on tx and
 * receive from rx and that both have the same msg-size, and fill q and t. 0, RT_EINVAL (a
 * queue is missing or unusable) or RT_ENOTSUP.
 */
int ipc_rpc_transport_find(struct rpc_transport *t, struct ipc_rpc_queues *q, const char *tx,
                           const char *rx);
