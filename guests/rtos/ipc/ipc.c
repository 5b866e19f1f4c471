// SPDX-License-Identifier: MIT
/*
 * Hypervisor IPC (<rt/ipc.h>, docs/ABI.md "Inter-VM communication"): the objects listed under
 * /bulkhead-ipc, read once at boot, and message queues on BH_HC_MSGQ_SEND / BH_HC_MSGQ_RECV.
 * A hypercall that blocks parks the whole vCPU in the hypervisor, so the RTOS only ever calls
 * with timeout 0 and does the waiting itself: the task sleeps on a semaphore that the queue's
 * rx/tx interrupt posts (IRQ-driven when the scenario gives the interrupt) or for IPC_POLL_US
 * at a time, and tries again. Other tasks run meanwhile. Hypervisor semaphores and mutexes
 * work the same way (try with timeout 0, sleep the task IPC_LOCK_POLL_US, try again); shared
 * memory is identity-mapped (arch/mmu.c maps the windows listed here as Normal memory);
 * doorbells ring with BH_HC_DOORBELL_RING and bind their SPI (edge) with irq_register.
 */
#include <bulkhead/hvc.h>
#include <libfdt.h>
#include <string.h>

#include <bulkhead/abi.h>
#include <rt/irq.h>
#include <rt/sync.h>
#include <rt/task.h>
#include <rt/time.h>

#include "gicx.h"
#include "ipc_priv.h"
#include "mmio.h"
#include "platform.h"

#define IPC_NODE_PATH   "/bulkhead-ipc"
#define IPC_OBJ_MAX     32 /* CFG_MAX_CHANS: at most 32 objects per scenario */
#define IPC_CELLS       2  /* #address-cells = #size-cells = 2 under /bulkhead-ipc */
#define DT_IRQ_CELLS    3  /* GIC specifier: type, number, flags */
#define DT_IRQ_SPI      0
#define DT_CELL_BITS    32
#define GIC_SPI_BASE    32
#define IPC_SEM_MAX     1  /* an interrupt means "look again", however often it came */

/* One object, with the wake-up semaphores of a queue's interrupts. */
struct ipc_slot {
    struct ipc_obj_info info;
    struct rt_sem wake[2]; /* [0] tx: became non-full, [1] rx: became non-empty */
    bool bound[2];         /* its interrupt handler is registered */
    struct rt_mutex local; /* hypervisor mutex: orders this VM's tasks (see ipc_hv_mutex_lock) */
    struct rt_task *local_owner;
};

static struct ipc_slot slots[IPC_OBJ_MAX];
static uint32_t slot_count;
static bool ipc_present;

static int64_t hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return bh_hvc(fid, a1, a2, a3, a4);
}

/* ------------------------------------------------------------------ device tree (boot) */

static const struct {
    const char *compat;
    enum ipc_type type;
} ipc_compats[] = {
    { "bulkhead,shmem", IPC_TYPE_SHMEM },    { "bulkhead,doorbell", IPC_TYPE_DOORBELL },
    { "bulkhead,semaphore", IPC_TYPE_SEM },  { "bulkhead,mutex", IPC_TYPE_MUTEX },
    { "bulkhead,msgq", IPC_TYPE_MSGQ },
};

static uint32_t prop_u32_or(const void *fdt, int node, const char *name, uint32_t dflt)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

    return p && len == (int)sizeof(*p) ? fdt32_to_cpu(*p) : dflt;
}

static uint32_t prop_u32(const void *fdt, int node, const char *name)
{
    return prop_u32_or(fdt, node, name, 0);
}

static uint64_t cells(const fdt32_t *c)
{
    uint64_t v = 0;

    for (int i = 0; i < IPC_CELLS; i++) {
        v = (v << DT_CELL_BITS) | fdt32_to_cpu(c[i]);
    }
    return v;
}

/* INTID of the "interrupts" entry called name (interrupt-names), 0 if there is none. */
static uint32_t named_irq(const void *fdt, int node, const char *name)
{
    int len = 0, index = name ? fdt_stringlist_search(fdt, node, "interrupt-names", name) : 0;
    const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);

    if (!irq || index < 0 || len < (index + 1) * DT_IRQ_CELLS * (int)sizeof(fdt32_t)) {
        return 0;
    }
    irq += index * DT_IRQ_CELLS;
    return fdt32_to_cpu(irq[0]) == DT_IRQ_SPI ? GIC_SPI_BASE + fdt32_to_cpu(irq[1]) : 0;
}

static void parse_obj(const void *fdt, int node, struct ipc_obj_info *o)
{
    int len = 0;
    const char *name = fdt_get_name(fdt, node, NULL);
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

    memset(o, 0, sizeof(*o));
    if (name) {
        memcpy(o->name, name, strnlen(name, sizeof(o->name) - 1)); /* zeroed: terminated */
    }
    o->id = prop_u32_or(fdt, node, "bulkhead,id", UINT32_MAX); /* absent: no object 0 */
    o->rights = prop_u32(fdt, node, "bulkhead,rights");
    o->type = IPC_TYPE_UNKNOWN;
    for (size_t i = 0; i < RT_ARRAY_SIZE(ipc_compats); i++) {
        if (fdt_node_check_compatible(fdt, node, ipc_compats[i].compat) == 0) {
            o->type = ipc_compats[i].type;
        }
    }
    if (o->type == IPC_TYPE_SHMEM && reg && len == 2 * IPC_CELLS * (int)sizeof(fdt32_t)) {
        o->shm_ipa = cells(reg);
        o->shm_size = cells(reg + IPC_CELLS);
    }
    o->intid = o->type == IPC_TYPE_DOORBELL ? named_irq(fdt, node, NULL) : 0;
    if (o->type == IPC_TYPE_MSGQ) {
        o->rx_intid = named_irq(fdt, node, "rx");
        o->tx_intid = named_irq(fdt, node, "tx");
    }
    o->depth = prop_u32(fdt, node, "bulkhead,depth");
    o->msg_size = prop_u32(fdt, node, "bulkhead,msg-size");
    o->sem_max = prop_u32(fdt, node, "bulkhead,max");
}

void ipc_boot_scan(const void *fdt)
{
    int parent = fdt ? fdt_path_offset(fdt, IPC_NODE_PATH) : -1;
    int node;

    if (parent < 0) {
        return;
    }
    ipc_present = true;
    fdt_for_each_subnode(node, fdt, parent) {
        if (slot_count < IPC_OBJ_MAX) {
            parse_obj(fdt, node, &slots[slot_count].info);
            rt_mutex_init(&slots[slot_count].local);
            slot_count++;
        }
    }
}

/* ------------------------------------------------------------------ lookup */

int ipc_init(void)
{
    return ipc_present ? RT_OK : RT_ENOTSUP;
}

int ipc_find(const char *name, struct ipc_obj_info *info)
{
    if (!ipc_present) {
        return RT_ENOTSUP;
    }
    for (uint32_t i = 0; i < slot_count; i++) {
        if (name && !strncmp(slots[i].info.name, name, IPC_NAME_MAX)) {
            *info = slots[i].info;
            return RT_OK;
        }
    }
    return RT_EINVAL;
}

static struct ipc_slot *slot_by_id(uint32_t id)
{
    for (uint32_t i = 0; i < slot_count; i++) {
        if (slots[i].info.id == id) {
            return &slots[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ message queues */

/* Kernel context: wake whoever waits for the queue behind this interrupt. */
static void ipc_irq(uint32_t intid)
{
    for (uint32_t i = 0; i < slot_count; i++) {
        struct ipc_slot *s = &slots[i];
        for (int rx = 0; rx < 2; rx++) {
            uint32_t want = rx ? s->info.rx_intid : s->info.tx_intid;
            if (s->bound[rx] && want == intid) {
                (void)rt_sem_post(&s->wake[rx]); /* at its maximum: already signalled */
            }
        }
    }
}

/* Register the queue's rx (or tx) interrupt once; false if it has none (then we poll). */
static bool bind_irq(struct ipc_slot *s, bool rx)
{
    uint32_t intid = rx ? s->info.rx_intid : s->info.tx_intid;

    if (!s->bound[rx] && intid) {
        rt_sem_init(&s->wake[rx], 0, IPC_SEM_MAX);
        s->bound[rx] = true; /* before the handler can run */
        gic_spi_set_edge(intid); /* an event, as the device tree says */
        if (irq_register(intid, ipc_irq) != RT_OK) {
            s->bound[rx] = false;
        }
    }
    return s->bound[rx];
}

int64_t ipc_msgq_xfer(bool send, uint32_t id, void *buf, size_t len, uint64_t timeout_us)
{
    uint32_t fid = send ? BH_HC_MSGQ_SEND : BH_HC_MSGQ_RECV;
    struct ipc_slot *s = slot_by_id(id);
    bool irq, rx = !send;
    rt_time_t deadline = RT_TIME_NEVER;

    if (!ipc_present) {
        return BH_E_NOT_SUPPORTED; /* no hypervisor to ask: the HVC itself could UNDEF */
    }
    if (timeout_us != RT_FOREVER && timeout_us != RT_NO_WAIT) {
        deadline = rt_now() + rt_us_to_ticks(timeout_us);
    }
    /* interrupt first, then look: a message that comes in between still wakes us */
    irq = timeout_us != RT_NO_WAIT && s && bind_irq(s, rx);
    for (;;) {
        int64_t r = hvc(fid, id, (uintptr_t)buf, len, 0);
        if (r != BH_E_BUSY || timeout_us == RT_NO_WAIT) {
            return r;
        }
        rt_time_t now = rt_now();
        if (now >= deadline) {
            return BH_E_TIMEOUT;
        }
        uint64_t left_us = RT_FOREVER;
        int w;

        if (deadline != RT_TIME_NEVER) {
            left_us = rt_ticks_to_us(deadline - now);
        }
        if (irq) {
            w = rt_sem_wait(&s->wake[rx], left_us ? left_us : 1);
        } else {
            w = rt_sleep_us(RT_MIN(left_us, (uint64_t)IPC_POLL_US));
        }
        if (w == RT_EPERM) {
            return IPC_E_NOT_TASK;
        }
    }
}

/* The RTOS's codes for a queue call's result. */
static int rt_result(int64_t r)
{
    switch (r) {
    case BH_E_BUSY: return RT_EAGAIN;
    case BH_E_TIMEOUT: return RT_ETIMEDOUT;
    case BH_E_DENIED:
    case IPC_E_NOT_TASK: return RT_EPERM;
    case BH_E_NOT_SUPPORTED: return RT_ENOTSUP;
    default: return r < 0 ? RT_EINVAL : (int)r; /* INVAL, NOENT, RANGE; or the length */
    }
}

int ipc_msgq_send(uint32_t id, const void *msg, size_t len, uint64_t timeout_us)
{
    /* the hypervisor only reads a send buffer */
    return rt_result(ipc_msgq_xfer(true, id, (void *)(uintptr_t)msg, len, timeout_us));
}

int ipc_msgq_recv(uint32_t id, void *buf, size_t size, uint64_t timeout_us)
{
    return rt_result(ipc_msgq_xfer(false, id, buf, size, timeout_us));
}

/* ------------------------------------------------------------------ shared memory */

bool ipc_shm_window(uint32_t index, uint64_t *base, uint64_t *size)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < slot_count; i++) {
        const struct ipc_obj_info *o = &slots[i].info;
        if (o->type == IPC_TYPE_SHMEM && o->shm_size && n++ == index) {
            *base = o->shm_ipa;
            *size = o->shm_size;
            return true;
        }
    }
    return false;
}

int ipc_shm_get(uint32_t id, void **va, size_t *size)
{
    struct ipc_slot *s = ipc_present ? slot_by_id(id) : NULL;

    if (va) {
        *va = NULL;
    }
    if (size) {
        *size = 0;
    }
    if (!ipc_present) {
        return RT_ENOTSUP;
    }
    if (!s || s->info.type != IPC_TYPE_SHMEM || !s->info.shm_size) {
        return RT_EINVAL;
    }
    /* identity map: the window's IPA is its address (arch/mmu.c maps it Normal write-back) */
    if (va) {
        *va = (void *)(uintptr_t)s->info.shm_ipa;
    }
    if (size) {
        *size = (size_t)s->info.shm_size;
    }
    return RT_OK;
}

/* ------------------------------------------------------------------ doorbells */

/* The RTOS's code for a hypervisor result other than a queue's. */
static int rt_code(int64_t r)
{
    switch (r) {
    case BH_OK: return RT_OK;
    case BH_E_BUSY: return RT_EAGAIN;
    case BH_E_TIMEOUT: return RT_ETIMEDOUT;
    case BH_E_DENIED:
    case IPC_E_NOT_TASK: return RT_EPERM;
    case BH_E_NOT_SUPPORTED: return RT_ENOTSUP;
    case BH_E_RANGE: return RT_EOVERFLOW;
    default: return r > 0 ? (int)r : RT_EINVAL; /* INVAL, NOENT; or a positive result */
    }
}

int ipc_doorbell_ring(uint32_t id)
{
    if (!ipc_present) {
        return RT_ENOTSUP;
    }
    return rt_code(hvc(BH_HC_DOORBELL_RING, id, 0, 0, 0));
}

int ipc_doorbell_bind(uint32_t id, irq_handler_t handler)
{
    struct ipc_slot *s = ipc_present ? slot_by_id(id) : NULL;

    if (!ipc_present) {
        return RT_ENOTSUP;
    }
    if (!s || s->info.type != IPC_TYPE_DOORBELL || !handler) {
        return RT_EINVAL;
    }
    if (!s->info.intid || !(s->info.rights & IPC_RIGHT_RECV)) {
        return RT_EPERM; /* we may only ring it: the interrupt goes to another VM */
    }
    /* edge-triggered (a ring is an event), configured before irq_register enables it */
    gic_spi_set_edge(s->info.intid);
    return irq_register(s->info.intid, handler);
}

/* ------------------------------------------------------------------ semaphores, mutexes */

/*
 * Try fid (SEM_WAIT or MUTEX_LOCK) with timeout 0 and, while it answers BUSY, sleep the task
 * IPC_LOCK_POLL_US at a time up to timeout_us. The vCPU is never parked in the hypervisor:
 * a hypervisor wait would stop every task of this VM, whatever its priority.
 */
static int64_t try_until(uint32_t fid, uint32_t id, uint64_t timeout_us)
{
    rt_time_t deadline = RT_TIME_NEVER;

    if (timeout_us != RT_FOREVER && timeout_us != RT_NO_WAIT) {
        deadline = rt_now() + rt_us_to_ticks(timeout_us);
    }
    for (;;) {
        int64_t r = hvc(fid, id, 0, 0, 0);
        if (r != BH_E_BUSY || timeout_us == RT_NO_WAIT) {
            return r;
        }
        rt_time_t now = rt_now();
        if (now >= deadline) {
            return BH_E_TIMEOUT;
        }
        uint64_t left_us = deadline == RT_TIME_NEVER ? RT_FOREVER
                                                     : rt_ticks_to_us(deadline - now);
        if (rt_sleep_us(RT_MAX(RT_MIN(left_us, (uint64_t)IPC_LOCK_POLL_US), 1)) == RT_EPERM) {
            return IPC_E_NOT_TASK;
        }
    }
}

static struct ipc_slot *typed_slot(uint32_t id, enum ipc_type type)
{
    struct ipc_slot *s = slot_by_id(id);

    return s && s->info.type == type ? s : NULL;
}

int ipc_hv_sem_wait(uint32_t id, uint64_t timeout_us)
{
    if (!ipc_present) {
        return RT_ENOTSUP;
    }
    return rt_code(try_until(BH_HC_SEM_WAIT, id, timeout_us));
}

int ipc_hv_sem_post(uint32_t id)
{
    if (!ipc_present) {
        return RT_ENOTSUP;
    }
    return rt_code(hvc(BH_HC_SEM_POST, id, 0, 0, 0));
}

/*
 * The hypervisor's mutex belongs to the vCPU, i.e. to this whole VM: a second task of ours
 * would get INVAL (relock), not BUSY. So tasks first take a local priority-inheritance mutex
 * per object (ordering our tasks, boosting the holder), then the hypervisor's.
 */
int ipc_hv_mutex_lock(uint32_t id, uint64_t timeout_us)
{
    struct ipc_slot *s = ipc_present ? typed_slot(id, IPC_TYPE_MUTEX) : NULL;
    rt_time_t start = rt_now();
    uint64_t left = timeout_us;
    int r;

    if (!ipc_present) {
        return RT_ENOTSUP;
    }
    if (!s) {
        return RT_EINVAL;
    }
    if (rt_task_self() == NULL) {
        return RT_EPERM;
    }
    if (s->local_owner == rt_task_self()) {
        return RT_EDEADLK;
    }
    r = rt_mutex_lock(&s->local, timeout_us);
    if (r != RT_OK) {
        return r == RT_EAGAIN && timeout_us != RT_NO_WAIT ? RT_ETIMEDOUT : r;
    }
    if (timeout_us != RT_FOREVER && timeout_us != RT_NO_WAIT) {
        uint64_t used = rt_ticks_to_us(rt_now() - start);
        left = used < timeout_us ? timeout_us - used : 1;
    }
    int64_t h = try_until(BH_HC_MUTEX_LOCK, id, left);
    if (h < 0) {
        rt_mutex_unlock(&s->local);
        return rt_code(h);
    }
    s->local_owner = rt_task_self();
    return (int)h; /* 0, or 1: the previous owner's VM died holding it */
}

int ipc_hv_mutex_unlock(uint32_t id)
{
    struct ipc_slot *s = ipc_present ? typed_slot(id, IPC_TYPE_MUTEX) : NULL;

    if (!ipc_present) {
        return RT_ENOTSUP;
    }
    if (!s) {
        return RT_EINVAL;
    }
    if (s->local_owner != rt_task_self()) {
        return RT_EPERM;
    }
    int64_t h = hvc(BH_HC_MUTEX_UNLOCK, id, 0, 0, 0);
    s->local_owner = NULL;
    rt_mutex_unlock(&s->local);
    return rt_code(h);
}
