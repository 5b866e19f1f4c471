// SPDX-License-Identifier: MIT
/*
 * Placeholder for the hypervisor IPC ABI (<rt/ipc.h>): Bulkhead does not offer inter-VM
 * channels yet, so every call reports RT_ENOTSUP without touching anything. When the ABI
 * lands, these become HVC calls (SMCCC vendor-hypervisor service range) plus doorbell
 * interrupts wired through irq_register().
 */
#include <rt/ipc.h>

int ipc_init(void)
{
    return RT_ENOTSUP;
}

int ipc_shm_get(uint32_t id, void **va, size_t *size)
{
    (void)id;
    if (va) {
        *va = NULL;
    }
    if (size) {
        *size = 0;
    }
    return RT_ENOTSUP;
}

int ipc_doorbell_ring(uint32_t id)
{
    (void)id;
    return RT_ENOTSUP;
}

int ipc_doorbell_bind(uint32_t id, irq_handler_t handler)
{
    (void)id;
    (void)handler;
    return RT_ENOTSUP;
}

int ipc_hv_sem_wait(uint32_t id, uint64_t timeout_us)
{
    (void)id;
    (void)timeout_us;
    return RT_ENOTSUP;
}

int ipc_hv_sem_post(uint32_t id)
{
    (void)id;
    return RT_ENOTSUP;
}

int ipc_hv_mutex_lock(uint32_t id, uint64_t timeout_us)
{
    (void)id;
    (void)timeout_us;
    return RT_ENOTSUP;
}

int ipc_hv_mutex_unlock(uint32_t id)
{
    (void)id;
    return RT_ENOTSUP;
}

int ipc_msgq_send(uint32_t id, const void *msg, size_t len, uint64_t timeout_us)
{
    (void)id;
    (void)msg;
    (void)len;
    (void)timeout_us;
    return RT_ENOTSUP;
}

int ipc_msgq_recv(uint32_t id, void *buf, size_t size, uint64_t timeout_us)
{
    (void)id;
    (void)buf;
    (void)size;
    (void)timeout_us;
    return RT_ENOTSUP;
}

int ipc_rpc_call(uint32_t id, const void *req, size_t req_len, void *resp, size_t resp_size,
                 uint64_t timeout_us)
{
    (void)id;
    (void)req;
    (void)req_len;
    (void)resp;
    (void)resp_size;
    (void)timeout_us;
    return RT_ENOTSUP;
}
