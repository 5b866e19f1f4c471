// SPDX-License-Identifier: MIT
/*
 * The RPC transport on BH_HC_MSGQ_SEND / BH_HC_MSGQ_RECV (docs/ABI.md "Inter-VM
 * communication"): SMCCC fast calls with HVC #0, function ID in w0, arguments in x1-x4,
 * result in x0. The hypervisor's result codes are the library's RPC_E_* values, so they are
 * passed through unchanged; a receive's non-negative result is the message length.
 */
#include <bulkhead/hvc.h>
#include "transport_hvc.h"

#include <bulkhead/abi.h>

/* One list of codes on both sides of the hypercall (rpc.h promises the ABI's values). */
_Static_assert(RPC_OK == BH_OK && RPC_E_NOT_SUPPORTED == BH_E_NOT_SUPPORTED &&
                   RPC_E_INVAL == BH_E_INVAL && RPC_E_DENIED == BH_E_DENIED &&
                   RPC_E_BUSY == BH_E_BUSY && RPC_E_NOENT == BH_E_NOENT &&
                   RPC_E_RANGE == BH_E_RANGE && RPC_E_TIMEOUT == BH_E_TIMEOUT,
               "RPC result codes must be the hypervisor's");
_Static_assert(RPC_FOREVER == BH_TIMEOUT_NEVER, "RPC_FOREVER must be the ABI's 'never'");

#define NS_PER_S UINT64_C(1000000000)

static int64_t hvc4(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return bh_hvc(fid, a1, a2, a3, a4);
}

static int hvc_send(void *ctx, const void *msg, size_t len, uint64_t timeout_ns)
{
    const struct rpc_hvc_queues *q = ctx;
    int64_t r = hvc4(BH_HC_MSGQ_SEND, q->tx_id, (uintptr_t)msg, len, timeout_ns);

    return r < 0 ? (int)r : RPC_OK;
}

static int hvc_recv(void *ctx, void *buf, size_t cap, size_t *len, uint64_t timeout_ns)
{
    const struct rpc_hvc_queues *q = ctx;
    int64_t r = hvc4(BH_HC_MSGQ_RECV, q->rx_id, (uintptr_t)buf, cap, timeout_ns);

    if (r < 0) {
        return (int)r;
    }
    *len = (size_t)r;
    return RPC_OK;
}

uint64_t rpc_hvc_now_ns(void *ctx)
{
    uint64_t ticks, freq;

    (void)ctx;
    /* the ISB keeps the counter read from being speculated ahead of earlier code */
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(ticks)::"memory");
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    if (freq == 0) {
        return 0; /* CNTFRQ unset: no clock; each wait is then bounded by its own timeout */
    }
    /* split so that ticks * NS_PER_S cannot overflow */
    return ticks / freq * NS_PER_S + ticks % freq * NS_PER_S / freq;
}

void rpc_hvc_transport_init(struct rpc_transport *t, struct rpc_hvc_queues *q,
                            size_t msg_size)
{
    t->send = hvc_send;
    t->recv = hvc_recv;
    t->now_ns = rpc_hvc_now_ns;
    t->ctx = q;
    t->msg_size = msg_size;
}
