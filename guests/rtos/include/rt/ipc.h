/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor IPC: the calls the RTOS uses to talk to other VMs through Bulkhead's inter-VM
 * ABI (docs/ABI.md "Inter-VM communication"). The objects this VM may use are read from
 * /bulkhead-ipc in the device tree at boot; without that node (plain QEMU, or a scenario that
 * gives this VM no channels) every call returns RT_ENOTSUP (-1) without issuing a hypercall,
 * which would be UNDEFINED without a hypervisor.
 *
 * Implemented: discovery (ipc_init, ipc_find) and message queues. A blocking queue call never
 * parks the vCPU in the hypervisor (that would stop every task): it tries without waiting and
 * then sleeps the calling task until the queue's rx/tx interrupt (when the scenario gives one)
 * or the next poll (IPC_POLL_US), up to its timeout. The other calls are still placeholders
 * returning RT_ENOTSUP. RPC on top of two queues: <rt/ipc_rpc.h> and guests/lib/rpc.
 *
 * Identifiers are object IDs from the scenario (the "bulkhead,id" of each node).
 */
#pragma once

#include <rt/irq.h>
#include <rt/rt.h>

#define IPC_NAME_MAX 32 /* object names are 1..31 characters (docs/CONFIG.md) */
#define IPC_POLL_US  200 /* wait step of a blocking queue call without an interrupt */

/* Object types, as the hypercall BH_HC_IPC_INFO numbers them. */
enum ipc_type {
    IPC_TYPE_SHMEM = 0,
    IPC_TYPE_DOORBELL = 1,
    IPC_TYPE_SEM = 2,
    IPC_TYPE_MUTEX = 3,
    IPC_TYPE_MSGQ = 4,
    IPC_TYPE_UNKNOWN = 0xff,
};

/* Rights ("bulkhead,rights"). */
#define IPC_RIGHT_READ  0x01U
#define IPC_RIGHT_WRITE 0x02U
#define IPC_RIGHT_SEND  0x04U
#define IPC_RIGHT_RECV  0x08U
#define IPC_RIGHT_WAIT  0x10U
#define IPC_RIGHT_POST  0x20U
#define IPC_RIGHT_LOCK  0x40U

/* One object of this VM, as its device tree describes it (0 where it does not apply). */
struct ipc_obj_info {
    char name[IPC_NAME_MAX];
    uint32_t id;
    uint32_t rights;
    enum ipc_type type;
    uint64_t shm_ipa, shm_size; /* shared memory */
    uint32_t intid;             /* doorbell: SPI raised here */
    uint32_t rx_intid;          /* queue: raised here when it became non-empty */
    uint32_t tx_intid;          /* queue: raised here when it became non-full */
    uint32_t depth, msg_size;   /* queue */
    uint32_t sem_max;           /* semaphore */
};

/* Boot only, before FP/SIMD is trapped (libfdt): record /bulkhead-ipc of the DTB at fdt. */
void ipc_boot_scan(const void *fdt);

/* 0 when the device tree listed hypervisor IPC objects for this VM; RT_ENOTSUP otherwise. */
int ipc_init(void);

/* Copy the description of the object called name to *info: 0, RT_EINVAL (no such object) or
 * RT_ENOTSUP. Any context. */
int ipc_find(const char *name, struct ipc_obj_info *info);

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
 * Hypervisor message queue id: send len bytes / receive into buf (at most size bytes, at least
 * the queue's msg-size; the result is the message length). Buffers are 8-byte aligned. Wait
 * up to timeout_us (RT_NO_WAIT, RT_FOREVER or microseconds; task context when waiting).
 * Results: 0 / length, RT_EAGAIN (RT_NO_WAIT and full/empty), RT_ETIMEDOUT, RT_EPERM (not a
 * sender/receiver, or waiting outside a task), RT_EINVAL (no such queue, bad length or
 * buffer), RT_ENOTSUP (no hypervisor IPC).
 */
int ipc_msgq_send(uint32_t id, const void *msg, size_t len, uint64_t timeout_us);
int ipc_msgq_recv(uint32_t id, void *buf, size_t size, uint64_t timeout_us);

/*
 * Superseded by guests/lib/rpc (<rt/ipc_rpc.h>), which needs a request and a response queue;
 * kept for source compatibility: always RT_ENOTSUP.
 */
int ipc_rpc_call(uint32_t id, const void *req, size_t req_len, void *resp, size_t resp_size,
                 uint64_t timeout_us);
