// SPDX-License-Identifier: MIT
/*
 * RPC transport for the RTOS (<rt/ipc_rpc.h>): guests/lib/rpc's send/recv/now_ns on the
 * queue calls of ipc.c, which wait by sleeping the task (rx/tx interrupt or polling) and
 * return the hypervisor's result codes, which are the library's.
 */
#include <rt/ipc_rpc.h>
#include <rt/time.h>

#include "ipc_priv.h"

#define NS_PER_US 1000U

/* Round up, so that a wait is never shorter than asked; 0 and "forever" keep their meaning. */
static uint64_t ns_to_us(uint64_t ns)
{
    if (ns == RPC_FOREVER) {
        return RT_FOREVER;
    }
    return ns / NS_PER_US + (ns % NS_PER_US != 0);
}

static int rpc_result(int64_t r)
{
    if (r == IPC_E_NOT_TASK) {
        return RPC_E_INVAL;
    }
    return r < 0 ? (int)r : RPC_OK;
}

static int rt_rpc_send(void *ctx, const void *msg, size_t len, uint64_t timeout_ns)
{
    const struct ipc_rpc_queues *q = ctx;

    return rpc_result(ipc_msgq_xfer(true, q->tx_id, (void *)(uintptr_t)msg, len,
                                    ns_to_us(timeout_ns)));
}

static int rt_rpc_recv(void *ctx, void *buf, size_t cap, size_t *len, uint64_t timeout_ns)
{
    const struct ipc_rpc_queues *q = ctx;
    int64_t r = ipc_msgq_xfer(false, q->rx_id, buf, cap, ns_to_us(timeout_ns));

    if (r >= 0) {
        *len = (size_t)r;
    }
    return rpc_result(r);
}

static uint64_t rt_rpc_now_ns(void *ctx)
{
    (void)ctx;
    return rt_ticks_to_us(rt_now()) * NS_PER_US;
}

void ipc_rpc_transport_init(struct rpc_transport *t, struct ipc_rpc_queues *q, size_t msg_size)
{
    t->send = rt_rpc_send;
    t->recv = rt_rpc_recv;
    t->now_ns = rt_rpc_now_ns;
    t->ctx = q;
    t->msg_size = msg_size;
}

int ipc_rpc_transport_find(struct rpc_transport *t, struct ipc_rpc_queues *q, const char *tx,
                           const char *rx)
{
    struct ipc_obj_info txq, rxq;
    int r = ipc_find(tx, &txq);

    r = r ? r : ipc_find(rx, &rxq);
    if (r) {
        return r;
    }
    if (txq.type != IPC_TYPE_MSGQ || rxq.type != IPC_TYPE_MSGQ ||
        !(txq.rights & IPC_RIGHT_SEND) || !(rxq.rights & IPC_RIGHT_RECV) ||
        txq.msg_size != rxq.msg_size || txq.msg_size <= RPC_HDR_SIZE) {
        return RT_EINVAL;
    }
    q->tx_id = txq.id;
    q->rx_id = rxq.id;
    ipc_rpc_transport_init(t, q, txq.msg_size);
    return RT_OK;
}
