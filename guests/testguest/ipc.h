/* SPDX-License-Identifier: MIT */
/*
 * Guest side of Bulkhead's inter-VM communication (docs/ABI.md "Inter-VM communication"):
 * the hypercalls, the objects the hypervisor lists for this VM under /bulkhead-ipc in its
 * device tree, and interrupts taken by hand for the doorbell and queue SPIs (the guest driver
 * dispatches only SGIs and PPIs). The IPC modes run with PSTATE.I set from start to end, so
 * every interrupt goes through ipc_irq_poll() and is counted per INTID.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/abi.h> /* hypercall IDs, result codes, object types and rights */

#include "sysreg.h"

/* IPC_INFO: type | rights << 8. */
#define IPC_INFO_TYPE   GENMASK(7, 0)
#define IPC_INFO_RIGHTS GENMASK(15, 8)

enum ipc_type {
    IPC_SHMEM = BH_IPC_SHMEM,
    IPC_DOORBELL = BH_IPC_DOORBELL,
    IPC_SEM = BH_IPC_SEMAPHORE,
    IPC_MUTEX = BH_IPC_MUTEX,
    IPC_MSGQ = BH_IPC_MSGQ,
    IPC_TYPE_UNKNOWN = 0xff,
};

#define IPC_R_READ  BH_IPC_RIGHT_READ
#define IPC_R_WRITE BH_IPC_RIGHT_WRITE
#define IPC_R_SEND  BH_IPC_RIGHT_SEND
#define IPC_R_RECV  BH_IPC_RIGHT_RECV
#define IPC_R_WAIT  BH_IPC_RIGHT_WAIT
#define IPC_R_POST  BH_IPC_RIGHT_POST
#define IPC_R_LOCK  BH_IPC_RIGHT_LOCK

#define IPC_NO_WAIT 0ULL
#define IPC_FOREVER UINT64_MAX
#define IPC_NS_PER_MS 1000000ULL
#define IPC_BUF_ALIGN 8

/* One object of this VM as its device tree describes it. */
struct ipc_obj {
    const char *name;
    uint32_t id;
    uint32_t rights;
    enum ipc_type type;   /* from "compatible" */
    uint64_t shm_ipa;     /* shmem "reg" */
    uint64_t shm_size;
    uint32_t intid;       /* doorbell: SPI raised here when rung (0: none) */
    uint32_t rx_intid;    /* msgq: "rx" interrupt (0: none) */
    uint32_t tx_intid;    /* msgq: "tx" interrupt (0: none) */
    uint32_t depth;       /* msgq */
    uint32_t msg_size;    /* msgq */
    uint32_t sem_max;     /* semaphore */
};

/* Raw hypercall: x0 = fid, x1..x4 = args; returns x0. */
int64_t ipc_hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

static inline int64_t ipc_info(uint64_t id)
{
    return ipc_hvc(BH_HC_IPC_INFO, id, 0, 0, 0);
}
static inline int64_t ipc_ring(uint64_t id)
{
    return ipc_hvc(BH_HC_DOORBELL_RING, id, 0, 0, 0);
}
static inline int64_t ipc_sem_wait(uint64_t id, uint64_t timeout_ns)
{
    return ipc_hvc(BH_HC_SEM_WAIT, id, timeout_ns, 0, 0);
}
static inline int64_t ipc_sem_post(uint64_t id)
{
    return ipc_hvc(BH_HC_SEM_POST, id, 0, 0, 0);
}
static inline int64_t ipc_lock(uint64_t id, uint64_t timeout_ns)
{
    return ipc_hvc(BH_HC_MUTEX_LOCK, id, timeout_ns, 0, 0);
}
static inline int64_t ipc_unlock(uint64_t id)
{
    return ipc_hvc(BH_HC_MUTEX_UNLOCK, id, 0, 0, 0);
}
/* The guest runs with the MMU off, so a buffer's address is its IPA. */
static inline int64_t ipc_send(uint64_t id, uintptr_t buf, uint64_t len, uint64_t timeout_ns)
{
    return ipc_hvc(BH_HC_MSGQ_SEND, id, buf, len, timeout_ns);
}
static inline int64_t ipc_recv(uint64_t id, uintptr_t buf, uint64_t cap, uint64_t timeout_ns)
{
    return ipc_hvc(BH_HC_MSGQ_RECV, id, buf, cap, timeout_ns);
}

/* "OK", "NOT_SUPPORTED", "INVAL", ... or "?" for a result without a name. */
const char *ipc_err_name(int64_t ret);

/*
 * Check the /bulkhead-ipc node itself (compatible, cell sizes) and print one INFO line per
 * child; PASS/FAIL lines. Returns false when there is no usable node.
 */
bool ipc_dt_check(void);

/* Fill *o from the child of /bulkhead-ipc named name. False (and *o zeroed) if absent. */
bool ipc_dt_find(const char *name, struct ipc_obj *o);

/* As ipc_dt_find, but a missing object is a FAIL that ends the run. */
void ipc_dt_need(const char *name, struct ipc_obj *o);

/* PASS if IPC_INFO(o->id) equals the type and rights the device tree gave. */
bool ipc_check_info(const struct ipc_obj *o);

/* ------------------------------------------------------------------ interrupts by hand */

/* Mask IRQs at PSTATE for the rest of the run; from now on interrupts are polled. */
void ipc_irq_init(void);

/* Edge-triggered, group 1, routed to this CPU, enabled (GICD registers, IHI 0069 12.9). */
void ipc_spi_enable(uint32_t intid);

/* Acknowledge and count every pending interrupt; deadline timer interrupts are silenced. */
void ipc_irq_poll(void);

/* Times SPI intid was taken so far (0 for INTIDs outside 32..127). */
uint32_t ipc_irq_count(uint32_t intid);

/* Interrupts that were neither a counted SPI nor the deadline timer. */
uint32_t ipc_irq_unexpected(void);

/* WFI until intid was taken at least target times or timeout_ms passed; true if it was. */
bool ipc_irq_wait(uint32_t intid, uint32_t target, uint64_t timeout_ms);

/* Sleep ms milliseconds with WFI (counting whatever interrupts come meanwhile). */
void ipc_delay_ms(uint64_t ms);

/* Milliseconds between two CNTVCT values. */
uint64_t ipc_ticks_to_ms(uint64_t ticks);
