/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor IPC: the calls the RTOS uses to talk to other VMs through Bulkhead's inter-VM
 * ABI (docs/ABI.md "Inter-VM communication"). The objects this VM may use are read from
 * /bulkhead-ipc in the device tree at boot; without that node (plain QEMU, or a scenario that
 * gives this VM no channels) every call returns RT_ENOTSUP (-1) without issuing a hypercall,
 * which would be UNDEFINED without a hypervisor.
 *
 * Implemented: discovery (ipc_init, ipc_find), message queues, shared memory, doorbells,
 * hypervisor semaphores and mutexes. A blocking call never parks the vCPU in the hypervisor
 * (that would stop every task of this VM): it tries without waiting (timeout 0) and then
 * sleeps the calling task until the queue's rx/tx interrupt (when the scenario gives one) or
 * the next poll (IPC_POLL_US for queues, IPC_LOCK_POLL_US for semaphores and mutexes), up to
 * its timeout. A task that wants to react to another VM at once should wait on a local
 * semaphore posted by a doorbell handler (ipc_doorbell_bind) and then try with RT_NO_WAIT.
 * RPC on top of two queues: <rt/ipc_rpc.h> and guests/lib/rpc.
 *
 * Identifiers are object IDs from the scenario (the "bulkhead,id" of each node).
 */
#pragma once

#include <rt/irq.h>
#include <rt/rt.h>

#define IPC_NAME_MAX 32 /* object names are 1..31 characters (docs/CONFIG.md) */
#define IPC_POLL_US  200 /* wait step of a blocking queue call without an interrupt */
#define IPC_LOCK_POLL_US 100 /* wait step of a blocking hypervisor semaphore/mutex call */

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

/*
 * Shared-memory region id ("reg" of its node): *va and *size describe it (identity map; the
 * MMU maps every window of /bulkhead-ipc as Normal write-back, inner shareable, so it is
 * coherent with the other VMs; a read-only window faults on a write). 0, RT_EINVAL (no such
 * shared memory) or RT_ENOTSUP. Any context.
 */
int ipc_shm_get(uint32_t id, void **va, size_t *size);

/* Boot: the index-th shared-memory window (for the MMU); false past the last one. */
bool ipc_shm_window(uint32_t index, uint64_t *base, uint64_t *size);

/* Ring doorbell id: the peer VM gets its doorbell interrupt. 0, RT_EPERM (not in `from`),
 * RT_EINVAL or RT_ENOTSUP. Any context. */
int ipc_doorbell_ring(uint32_t id);

/*
 * Run handler (kernel context, IRQs masked: non-blocking calls only, e.g. rt_sem_post) whenever
 * doorbell id rings for this VM: its SPI is configured edge-triggered and registered with
 * irq_register on this CPU. 0, RT_EINVAL (not a doorbell), RT_EPERM (this VM is not its `to`),
 * RT_EBUSY (already bound) or RT_ENOTSUP.
 */
int ipc_doorbell_bind(uint32_t id, irq_handler_t handler);

/*
 * Hypervisor semaphore id, shared between VMs: wait up to timeout_us / post one unit. The wait
 * tries BH_HC_SEM_WAIT with timeout 0 and sleeps the task IPC_LOCK_POLL_US between tries
 * (RT_NO_WAIT: one try, RT_EAGAIN when none is available). Results 0, RT_EAGAIN, RT_ETIMEDOUT,
 * RT_EPERM (not a member; or waiting outside a task), RT_EOVERFLOW (post beyond max),
 * RT_EINVAL, RT_ENOTSUP.
 */
int ipc_hv_sem_wait(uint32_t id, uint64_t timeout_us);
int ipc_hv_sem_post(uint32_t id);

/*
 * Hypervisor mutex id, shared between VMs (task context only). The hypervisor sees one owner
 * per vCPU, so tasks of this VM first queue on a local priority-inheritance mutex, then try
 * BH_HC_MUTEX_LOCK with timeout 0 and sleep IPC_LOCK_POLL_US between tries, up to timeout_us.
 * Returns 0, or 1 when the previous owner's VM died holding it (the data may be half-written);
 * RT_EAGAIN (RT_NO_WAIT, held), RT_ETIMEDOUT, RT_EDEADLK (the caller holds it), RT_EPERM (not a
 * member; unlock by a task that does not hold it), RT_EINVAL, RT_ENOTSUP. Keep the section
 * short: a task of another VM may be polling for it.
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

