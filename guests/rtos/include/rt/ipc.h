/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor IPC: the calls the RTOS will use to talk to other VMs once Bulkhead offers its
 * inter-VM ABI (shared memory, doorbells, semaphores, mutexes, message queues, RPC). Only
 * the interface exists so far: every call returns RT_ENOTSUP (-1) and has no effect. The
 * intended semantics are written down so applications can be coded against them now.
 *
 * Identifiers are channel numbers from the scenario configuration (the guest device tree
 * will list them). Doorbells arrive as virtual interrupts: ipc_doorbell_bind() will look
 * up the doorbell's INTID and hook the handler up with irq_register().
 */
#pragma once

#include <rt/irq.h>
#include <rt/rt.h>

/* Discover the hypervisor's IPC channels. 0 when available; RT_ENOTSUP for now. */
int ipc_init(void);

/* Map shared-memory region id: *va and *size describe it. Any context. */
int ipc_shm_get(uint32_t id, void **va, size_t *size);

/* Ring doorbell id: the peer VM gets its doorbell interrupt. Any context. */
int ipc_doorbell_ring(uint32_t id);

/* Run handler (kernel context) whenever doorbell id rings for this VM. */
int ipc_doorbell_bind(uint32_t id, irq_handler_t handler);

/* Hypervisor semaphore id, shared between VMs: wait up to timeout_us / post one unit. */
int ipc_hv_sem_wait(uint32_t id, uint64_t timeout_us);
int ipc_hv_sem_post(uint32_t id);

/*
 * Hypervisor mutex id, shared between VMs: lock waits up to timeout_us (task context) and
 * returns 0, or a positive "owner died" code when the previous owner's VM died holding it.
 */
int ipc_hv_mutex_lock(uint32_t id, uint64_t timeout_us);
int ipc_hv_mutex_unlock(uint32_t id);

/*
 * Hypervisor message queue id: send len bytes / receive into buf (at most size bytes; the
 * result is the message length). Blocking calls wait up to timeout_us (task context).
 */
int ipc_msgq_send(uint32_t id, const void *msg, size_t len, uint64_t timeout_us);
int ipc_msgq_recv(uint32_t id, void *buf, size_t size, uint64_t timeout_us);

/*
 * Remote procedure call on channel id: send the request, wait up to timeout_us for the reply
 * (result: reply length). Task context.
 */
int ipc_rpc_call(uint32_t id, const void *req, size_t req_len, void *resp, size_t resp_size,
                 uint64_t timeout_us);
