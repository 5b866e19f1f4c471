/* SPDX-License-Identifier: MIT */
/*
 * RPC transport on Bulkhead's message-queue hypercalls (docs/ABI.md "Inter-VM
 * communication"), for guests at EL1 whose buffers' addresses are their guest-physical
 * addresses: the bare-metal test guest (MMU off) and the RTOS (identity map). The queue IDs
 * and msg-size come from the guest's device tree (/bulkhead-ipc, "bulkhead,id" and
 * "bulkhead,msg-size"). A blocking call parks the whole vCPU in the hypervisor.
 */
#pragma once

#include "rpc.h"

/* The two queues of one endpoint. A client sends on the request queue and receives on the
 * response queue; a server the other way round. */
struct rpc_hvc_queues {
    uint32_t tx_id; /* BH_HC_MSGQ_SEND goes here */
    uint32_t rx_id; /* BH_HC_MSGQ_RECV reads this */
};

/*
 * Fill t with the hypercall transport over q (kept by reference as t->ctx) for queues of
 * msg_size bytes. Time comes from the virtual counter (CNTVCT_EL0 / CNTFRQ_EL0).
 */
void rpc_hvc_transport_init(struct rpc_transport *t, struct rpc_hvc_queues *q,
                            size_t msg_size);

/* The transport's clock: CNTVCT_EL0 in nanoseconds. ctx is unused. */
uint64_t rpc_hvc_now_ns(void *ctx);
