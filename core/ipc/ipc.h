/* SPDX-License-Identifier: MIT */
/*
 * Inter-VM communication engine: doorbells, counting semaphores, owner-tracking mutexes and
 * message queues declared in the scenario's /channels node (docs/CONFIG.md "Channels"), kept
 * by the hypervisor so that a faulty peer cannot corrupt them. Portable: it never sleeps,
 * never touches guest memory by IPA and never raises an interrupt itself. Blocking is
 * *expressed*: a call that would block queues the caller's struct ipc_waiter and returns
 * IPC_BLOCKED; the EL2 glue then puts that vCPU to sleep, and whoever wakes it (a post, an
 * unlock, a send, a receive, a VM reset) gets the waiter back so the glue can kick its pCPU.
 * A woken waiter already holds its outcome (the unit, the lock, the message): it never retries.
 *
 * Every call checks everything before it changes anything, in this order:
 *   object ID (unknown, invalid channel or wrong type)  -> -BH_ENOENT
 *   caller VM not allowed to do this                     -> -BH_EPERM
 *   waiter not idle (a vCPU blocks on one thing at once) -> -BH_EINVAL
 *   lengths / buffers                                    -> -BH_ERANGE / -BH_EINVAL
 * then takes the object's lock. Errors change no state except the object's statistics.
 *
 * Locks: one spinlock per object, never two at once; nothing here calls out while holding it.
 * Buffers are host pointers the glue derived from guest addresses after ipc_guest_buf_check;
 * a blocked call keeps its pointer until it completes, is cancelled, or ipc_vm_reset.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/spinlock.h>
#include <bulkhead/abi.h>
#include <bulkhead/errno.h>
#include <core/config/config.h>

/* Positive results (errors are -BH_E*). */
#define IPC_OWNER_DIED BH_OWNER_DIED /* mutex acquired, but its previous owner's VM died
                                     * holding it: the guest sees this very value */
#define IPC_BLOCKED    2 /* the waiter was queued: put the vCPU to sleep */

#define IPC_MAX_OBJS        CFG_MAX_CHANS
#define IPC_BUF_ALIGN       8 /* guest message buffers: 8-byte aligned */
#define IPC_NOTIFY_IRQS_MAX CFG_MAX_VMS  /* one notification per VM per call */
#define IPC_NOTIFY_WOKEN_MAX CFG_MAX_CHANS /* ipc_vm_reset: one mutex handover per object */

enum ipc_wait_state {
    IPC_WAIT_IDLE,   /* not in any wait list; the owner may start a call */
    IPC_WAIT_QUEUED, /* in an object's wait list: its vCPU sleeps */
    IPC_WAIT_WOKEN,  /* the operation completed on its behalf; result is set */
};

enum ipc_wait_op { IPC_OP_NONE, IPC_OP_SEM, IPC_OP_MUTEX, IPC_OP_SEND, IPC_OP_RECV };

/*
 * One per vCPU, owned by the caller (the glue's per-vCPU state). vm, vcpu and prio are the
 * caller's to set (ipc_waiter_init, prio before each call: higher = more urgent); everything
 * else belongs to the engine and is read through ipc_waiter_done / ipc_cancel. A waker may
 * read only vm and vcpu of a waiter it was handed (the owner may be running again already).
 */
struct ipc_waiter {
    unsigned vm;
    unsigned vcpu;
    uint32_t prio;
    /* engine-owned */
    enum ipc_wait_state state;
    enum ipc_wait_op op;
    unsigned obj;             /* object waited on (its lock guards the fields below) */
    int result;               /* IPC_WAIT_WOKEN: 0, IPC_OWNER_DIED or -BH_E* */
    size_t msg_len;           /* IPC_WAIT_WOKEN after a receive: the message length */
    const void *src;          /* blocked send: the message, still in the sender's memory */
    void *dst;                /* blocked receive: where the message goes */
    size_t len;               /* send: message length; receive: capacity of dst */
    struct ipc_waiter *next;  /* wait list: prio desc, then arrival (FIFO) */
};

/* A virtual SPI the glue must raise: intid in VM vm. */
struct ipc_irq {
    unsigned vm;
    uint32_t intid;
};

/* What a call asks the glue to do once it returns: raise irqs, kick the woken vCPUs. */
struct ipc_notify {
    unsigned irq_count;
    struct ipc_irq irqs[IPC_NOTIFY_IRQS_MAX];
    unsigned woken_count;
    struct ipc_waiter *woken[IPC_NOTIFY_WOKEN_MAX];
};

struct ipc_stats {
    uint64_t ops;      /* calls that succeeded (immediately or later, on wake-up) */
    uint64_t blocked;  /* calls that queued their waiter */
    uint64_t busy;     /* -BH_EBUSY: would block and the caller would not */
    uint64_t denied;   /* -BH_EPERM: the VM is not allowed to */
    uint64_t invalid;  /* -BH_EINVAL / -BH_ERANGE: bad lengths or buffers */
    uint64_t timeouts; /* waits cancelled by ipc_cancel before anything woke them */
    uint64_t bytes;    /* msgq: payload bytes of the messages sent (each counted once) */
};

/* Cache-line aligned: each object is used by the pCPUs of its members, not its neighbours'
 * (and a power-of-two size keeps objs[id] a shift on the ring path). */
struct ipc_obj {
    struct spinlock lock;
    const struct cfg_chan *cfg; /* NULL: no such object (invalid channel) */
    struct ipc_stats stats;
    struct ipc_waiter *waiters; /* sem, mutex: lockers; msgq: blocked receivers */
    struct ipc_waiter *senders; /* msgq: blocked senders */
    uint32_t sem_count;
    bool mutex_held;
    bool mutex_owner_died;      /* the next owner is told (IPC_OWNER_DIED), then cleared */
    unsigned owner_vm, owner_vcpu;
    uint8_t *q_data;            /* msgq ring: depth slots of msg_size bytes */
    uint16_t *q_len;            /* length of each slot's message */
    uint32_t q_head, q_count;
} __attribute__((aligned(64)));

struct ipc {
    unsigned obj_count;
    struct ipc_obj objs[IPC_MAX_OBJS];
    uint8_t q_pool[CFG_MSGQ_STORAGE_MAX];
    uint16_t q_len_pool[IPC_MAX_OBJS * CFG_MSGQ_DEPTH_MAX];
};

/*
 * Build the objects of the validated scenario sc (IDs = indices in sc->chans; invalid
 * channels become absent IDs). sc must outlive ipc. ipc is about 280 KiB: static at EL2.
 * Returns 0, or -BH_EINVAL / -BH_ENOMEM when sc breaks the limits cfg_parse enforces.
 */
BH_MUST_CHECK int ipc_init(struct ipc *ipc, const struct cfg_scenario *sc);

/* Reset a waiter for vCPU vcpu of VM vm (idle, priority 0). */
void ipc_waiter_init(struct ipc_waiter *w, unsigned vm, unsigned vcpu);

/*
 * Doorbell id rung by VM vm: 0 and the VM and virtual SPI to raise in *target_vm, *intid.
 * -BH_ENOENT (no such doorbell), -BH_EPERM (vm not in `from`).
 */
BH_MUST_CHECK int ipc_doorbell_ring(struct ipc *ipc, unsigned vm, unsigned id,
                                    unsigned *target_vm, uint32_t *intid);

/* Count a ring of doorbell id (an existing doorbell) whose rights the caller resolved before
 * (the fast path of a caller that keeps its own table of allowed doorbells). Lock-free: a
 * doorbell's ops count has no other writer. */
static inline void ipc_doorbell_rung(struct ipc *ipc, unsigned id)
{
    __atomic_fetch_add(&ipc->objs[id].stats.ops, 1, __ATOMIC_RELAXED); /* id: a doorbell */
}

/*
 * Take one unit of semaphore id for w (w->vm, w->prio). 0: taken. -BH_EBUSY: none left and
 * !may_block. IPC_BLOCKED: w was queued; a post completes it with result 0.
 */
BH_MUST_CHECK int ipc_sem_wait(struct ipc *ipc, struct ipc_waiter *w, unsigned id,
                               bool may_block);

/*
 * Post one unit of semaphore id as VM vm: handed straight to the best waiter (highest prio,
 * then longest waiting), returned in *woken with result 0, or added to the count (*woken =
 * NULL). -BH_ERANGE when the count is already at max (nothing changes).
 */
BH_MUST_CHECK int ipc_sem_post(struct ipc *ipc, unsigned vm, unsigned id,
                               struct ipc_waiter **woken);

/*
 * Lock mutex id for w; the owner is the vCPU (w->vm, w->vcpu). 0: locked. IPC_OWNER_DIED:
 * locked, but the previous owner's VM stopped or restarted while holding it (the data it
 * protects may be inconsistent; reported once). -BH_EINVAL: this vCPU already owns it (error
 * checking, never a self-deadlock). -BH_EBUSY: held and !may_block. IPC_BLOCKED: queued; an
 * unlock or the owner's death hands the lock over (result 0 or IPC_OWNER_DIED).
 */
BH_MUST_CHECK int ipc_mutex_lock(struct ipc *ipc, struct ipc_waiter *w, unsigned id,
                                 bool may_block);

/*
 * Unlock mutex id as vCPU (vm, vcpu). Hands it to the best waiter, returned in *woken, or
 * frees it (*woken = NULL). -BH_EPERM when (vm, vcpu) is not the owner (or vm not a member).
 */
BH_MUST_CHECK int ipc_mutex_unlock(struct ipc *ipc, unsigned vm, unsigned vcpu, unsigned id,
                                   struct ipc_waiter **woken);

/*
 * Send len bytes at msg (len <= msg-size; msg may be NULL only when len is 0) on queue id as
 * w->vm. The message is copied: straight into the best blocked receiver's buffer (which is
 * then in n->woken), else to the tail of the queue (n->irqs gets rx-intid for every receiver
 * when the queue was empty). Never dropped: full -> -BH_EBUSY (!may_block) or IPC_BLOCKED,
 * and the bytes at msg are read when space frees (the glue keeps them mapped until then).
 * -BH_ERANGE: len > msg-size.  n is cleared first.
 */
BH_MUST_CHECK int ipc_msgq_send(struct ipc *ipc, struct ipc_waiter *w, unsigned id,
                                const void *msg, size_t len, bool may_block,
                                struct ipc_notify *n);

/*
 * Receive the oldest message of queue id as w->vm into buf (cap >= msg-size, like POSIX
 * mq_receive, so every message fits): 0 and its length in *len. If a sender was blocked, its
 * message takes the freed slot and it is in n->woken; otherwise a queue that was full gets
 * tx-intid raised in every sender. Empty -> -BH_EBUSY (!may_block) or IPC_BLOCKED: a send
 * then writes buf and sets w->msg_len. -BH_ERANGE: cap < msg-size; -BH_EINVAL: buf or len
 * NULL. n is cleared first.
 */
BH_MUST_CHECK int ipc_msgq_recv(struct ipc *ipc, struct ipc_waiter *w, unsigned id, void *buf,
                                size_t cap, size_t *len, bool may_block, struct ipc_notify *n);

/*
 * After IPC_BLOCKED, once the vCPU is kicked: true when w was woken; then *result (0,
 * IPC_OWNER_DIED or -BH_E*) is its outcome (w->msg_len for a receive) and w is idle again.
 * false while w is still queued (a spurious kick: sleep on). An idle w (nothing pending, a
 * glue bug) gives true and -BH_EINVAL.
 */
bool ipc_waiter_done(struct ipc *ipc, struct ipc_waiter *w, int *result);

/*
 * Timeout: remove w from its wait list. Race-free against wakers, under the object's lock:
 * true when w was still queued (the operation did not happen: report a timeout); false when a
 * waker got there first (the operation happened: *result as for ipc_waiter_done). Either
 * way w is idle afterwards. An idle w gives false and *result 0.
 */
bool ipc_cancel(struct ipc *ipc, struct ipc_waiter *w, int *result);

/*
 * VM vm stopped or is restarting; call once none of its vCPUs is inside an ipc call and
 * before its memory is reloaded. Removes its waiters everywhere (they go idle, their buffers
 * are forgotten), releases every mutex one of its vCPUs owns - handed to the best waiter with
 * IPC_OWNER_DIED (listed in n->woken), or left free and marked so the next lock returns
 * IPC_OWNER_DIED. Semaphore counts and queue contents stay (messages already accepted are
 * never dropped; a message of a blocked sender had not been accepted). n is cleared first.
 */
void ipc_vm_reset(struct ipc *ipc, unsigned vm, struct ipc_notify *n);

/* Statistics of object id (zeros for an absent id). */
struct ipc_stats ipc_stats(struct ipc *ipc, unsigned id);

/* ------------------------------------------------------------------------------------------
 * For the glue and the guest device tree (no struct ipc needed).
 */

/* What VM v may use of one object, for its device tree ("ipc" node) and for tools. */
struct ipc_obj_info {
    unsigned id;
    const char *name;
    enum cfg_chan_type type;
    uint8_t rights;        /* CFG_RIGHT_* of this VM */
    uint64_t regs_ipa;     /* its IPC register page in this VM; 0 for shared memory */
    uint64_t shm_ipa;      /* shmem: base in this VM */
    uint64_t shm_size;
    uint32_t intid;        /* doorbell: the SPI raised in this VM when rung (0: not `to`) */
    uint32_t rx_intid;     /* msgq: raised in this VM when non-empty (0: none / not receiver) */
    uint32_t tx_intid;     /* msgq: raised in this VM when non-full (0: none / not sender) */
    uint32_t depth;        /* msgq */
    uint32_t msg_size;     /* msgq */
    uint32_t sem_max;      /* semaphore */
};

/*
 * Whether VM v may use object id of sc: true and *info filled, false when id is absent,
 * invalid or v has no right on it. Loop id over 0..sc->chan_count - 1 to list them.
 */
bool ipc_vm_object(const struct cfg_scenario *sc, unsigned v, unsigned id,
                   struct ipc_obj_info *info);

/* One notification SPI of a VM and the first notification it carries ("<name>.<kind>"). */
struct ipc_notif {
    uint32_t intid;
    const char *obj;   /* object name */
    const char *kind;  /* "doorbell", "rx" or "tx" */
};

/*
 * The distinct notification SPIs VM v receives, in object-ID order (doorbell, rx, tx within an
 * object); an SPI several notifications share is listed once, with its first. Returns how
 * many were stored, at most max (2 * CFG_MAX_CHANS holds them all: an object has at most two
 * notifications for one VM). The virtual SPIs, the notification GPIOs and their device-tree
 * nodes all follow this order.
 */
unsigned ipc_vm_notifications(const struct cfg_scenario *sc, unsigned v, struct ipc_notif *out,
                              unsigned max);

/*
 * Guest buffer check for message calls: [ipa, ipa + len) must be IPC_BUF_ALIGN aligned and
 * inside the caller's RAM [mem_ipa, mem_ipa + mem_size). 0: the host address is the RAM's
 * host base + (ipa - mem_ipa). -BH_EINVAL: misaligned. -BH_ERANGE: outside RAM or wraps.
 */
BH_MUST_CHECK static inline int ipc_guest_buf_check(uint64_t mem_ipa, uint64_t mem_size,
                                                    uint64_t ipa, uint64_t len)
{
    if (ipa % IPC_BUF_ALIGN != 0) {
        return -BH_EINVAL;
    }
    /* Written so that nothing wraps, whatever the guest put in the registers. */
    if (ipa < mem_ipa || ipa - mem_ipa > mem_size || len > mem_size - (ipa - mem_ipa)) {
        return -BH_ERANGE;
    }
    return 0;
}

/* -BH_E* (or a positive IPC_* result) as the guest sees it in x0 (include/bulkhead/abi.h). */
int64_t ipc_abi_result(int ret);
