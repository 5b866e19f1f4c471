// SPDX-License-Identifier: MIT
/*
 * Inter-VM communication at run time. Hypercalls are decoded and every argument checked
 * (object ID, type and rights by the engine; guest buffers here against the caller's RAM)
 * before anything changes; refusals return an error code and record an ipc_deny event. A
 * call that must wait parks its vCPU in the hypervisor (WFI, no CPU time) until a peer hands
 * it the unit, lock or message, the timeout expires, or its VM stops.
 */
#include <core/ipc/vm_ipc.h>

#include <arch/cpu.h>
#include <bulkhead/abi.h>
#include <core/hyp.h>
#include <core/ipc/ipc.h>
#include <core/vm/vm.h>
#include <core/dev/vgpio.h>
#include <core/vm/vm_build.h>
#include <lib/string.h>

/* ipc_init() zeroes it: kept out of the boot-cleared bss (~276 KiB). */
static struct ipc hyp_ipc __attribute__((section(".noclear")));
static const struct cfg_scenario *ipc_sc;
static uint64_t shm_pa[CFG_MAX_CHANS];

/* Register-page state of each (VM, object): written by the guest, read by the operations. */
struct mmio_regs {
    uint32_t timeout_us;
    uint32_t len;
};
static struct mmio_regs mmio_regs[CFG_MAX_VMS][CFG_MAX_CHANS];
/* Doorbells each VM may ring, resolved from the scenario at boot (intid 0: none), so that
 * a ring is a table look-up: the rights cannot change while the system runs. `to` is NULL
 * when the ring must go through ring_slow (a rate limit to enforce, or a receiver that takes
 * notifications through GPIO lines): the common case is one test of the pointer it needs
 * anyway. */
#define NS_PER_US 1000u
struct ring_route {
    uint32_t intid;
    struct vm *to;
};
static struct ring_route ring_routes[CFG_MAX_VMS][CFG_MAX_CHANS];
/* The doorbells with a direct route into each VM, a bit per id (vm_ipc_ring_irqs). */
static uint32_t ring_to_mask[CFG_MAX_VMS];
_Static_assert(CFG_MAX_CHANS <= 32, "ring_to_mask: a bit per doorbell id");

/*
 * A sender's budget on a rate-limited doorbell (docs/CONFIG.md "rate-limit"): a token bucket
 * of rate_count rings refilled over rate_period_us, per sender VM so that one sender cannot
 * spend another's. Refusals are counted, and recorded (ipc_rate) at most once a second.
 */
#define RING_RATE_REPORT_NS UINT64_C(1000000000)
struct ring_rate {
    struct spinlock lock;   /* the sender's vCPUs may ring at once */
    uint32_t tokens;
    uint64_t last_ns;       /* time of the last whole token added */
    uint64_t refused;       /* rings refused in all */
    uint64_t report_ns;     /* when the last ipc_rate record went out (0: never) */
};
static struct ring_rate ring_rates[CFG_MAX_VMS][CFG_MAX_CHANS];
/* Queues: QUEUE_MEMBER | the VM's rights on a queue, 0 for an object that is no queue. */
#define QUEUE_MEMBER 0x80u
static uint8_t queue_rights[CFG_MAX_VMS][CFG_MAX_CHANS];
/* A queue member's data page (host physical, 0: none), one 4 KiB page each. A send from it
 * reads up to msg-size bytes, which must not run into the next VM's page. */
_Static_assert(CFG_MSGQ_MSG_MAX <= VPLAT_IPC_PAGE, "a message fits in its data page");
static uint64_t data_pa[CFG_MAX_VMS][CFG_MAX_CHANS];

/* One RAM block for every queue member's data page (allocations are 2 MiB granular). */
static void alloc_data_pages(const struct cfg_scenario *sc)
{
    struct ipc_obj_info info;
    uint64_t pages = 0, base;

    for (unsigned v = 0; v < sc->vm_count; v++) {
        for (unsigned id = 0; id < sc->chan_count; id++) {
            pages += ipc_vm_object(sc, v, id, &info) && info.type == CFG_CHAN_MSGQ;
        }
    }
    if (pages == 0) {
        return;
    }
    base = vm_ram_alloc(pages * VPLAT_IPC_PAGE);
    if (!base) {
        hyp_printf("bulkhead: no RAM for the IPC data pages: queues only by hypercall");
        return;
    }
    memset((void *)(uintptr_t)base, 0, pages * VPLAT_IPC_PAGE);
    for (unsigned v = 0; v < sc->vm_count; v++) {
        for (unsigned id = 0; id < sc->chan_count; id++) {
            if (ipc_vm_object(sc, v, id, &info) && info.type == CFG_CHAN_MSGQ) {
                data_pa[v][id] = base;
                base += VPLAT_IPC_PAGE;
            }
        }
    }
}

int vm_ipc_init(const struct cfg_scenario *sc)
{
    int r = ipc_init(&hyp_ipc, sc);

    if (r) {
        return r;
    }
    ipc_sc = sc;
    for (unsigned id = 0; id < sc->chan_count; id++) {
        const struct cfg_chan *c = &sc->chans[id];
        if (!c->valid || c->type != CFG_CHAN_SHMEM) {
            continue;
        }
        shm_pa[id] = vm_ram_alloc(c->shm_size);
        if (!shm_pa[id]) {
            hyp_printf("bulkhead: channel %s: not enough free RAM for shared memory", c->name);
            continue; /* its members will not get the mapping */
        }
        memset((void *)(uintptr_t)shm_pa[id], 0, c->shm_size);
    }
    alloc_data_pages(sc);
    for (unsigned v = 0; v < sc->vm_count; v++) {
        for (unsigned id = 0; id < sc->chan_count; id++) {
            struct ipc_obj_info info;
            const struct cfg_chan *c = &sc->chans[id];
            if (c->valid && c->type == CFG_CHAN_MSGQ) {
                queue_rights[v][id] = (uint8_t)(QUEUE_MEMBER | c->rights[v]);
            }
            if (ipc_vm_object(sc, v, id, &info) && info.type == CFG_CHAN_DOORBELL &&
                (info.rights & CFG_RIGHT_SEND)) {
                bool slow = c->rate_count != 0 ||
                            sc->vms[c->to_vm].ipc_notify == CFG_NOTIFY_GPIO;
                ring_routes[v][id] = (struct ring_route){
                    .intid = c->intid, .to = slow ? NULL : &vms[c->to_vm] };
                if (!slow) {
                    ring_to_mask[c->to_vm] |= UINT32_C(1) << id;
                }
                spin_lock_init(&ring_rates[v][id].lock);
                ring_rates[v][id].tokens = c->rate_count;
                ring_rates[v][id].last_ns = arch_now_ns();
            }
        }
    }
    return 0;
}

const struct cfg_scenario *vm_ipc_scenario(void)
{
    return ipc_sc;
}

int vm_ipc_map(struct vm *vm)
{
    const uint64_t normal = PTE_S2_MEMATTR_NORMAL | PTE_SH_INNER | PTE_S2_XN;
    struct ipc_obj_info info;
    int r = 0;

    for (unsigned id = 0; !r && ipc_sc && id < ipc_sc->chan_count; id++) {
        if (!ipc_vm_object(ipc_sc, vm->id, id, &info)) {
            continue;
        }
        if (data_pa[vm->id][id]) {
            /* a queue's data page: ordinary memory, right after its register page */
            r = pt_map(&vm->s2, info.regs_ipa + VPLAT_IPC_PAGE, data_pa[vm->id][id],
                       VPLAT_IPC_PAGE, normal | PTE_S2_AP_RW);
        } else if (info.type == CFG_CHAN_SHMEM && shm_pa[id]) {
            r = pt_map(&vm->s2, info.shm_ipa, shm_pa[id], info.shm_size,
                       normal | ((info.rights & CFG_RIGHT_WRITE) ? PTE_S2_AP_RW : PTE_S2_AP_RO));
        }
    }
    return r;
}

int vm_ipc_spis(const struct vm *vm, struct vgic_spi_cfg *spis, unsigned *n, unsigned max)
{
    struct ipc_notif nt[2 * CFG_MAX_CHANS];
    unsigned count = ipc_vm_notifications(ipc_sc, vm->id, nt, 2 * CFG_MAX_CHANS);

    for (unsigned i = 0; i < count; i++) {
        if (*n >= max) {
            return -BH_ENOMEM;
        }
        spis[(*n)++] = (struct vgic_spi_cfg){ .intid = nt[i].intid };
    }
    return 0;
}

static void gpio_level(void *ctx, uint32_t intid, bool level)
{
    struct vm *vm = ctx;

    vm_kick_mask(vm, vgic_set_level(&vm->vgic, 0, intid, level));
}

int vm_ipc_gpio_init(struct vm *vm)
{
    struct ipc_notif nt[2 * CFG_MAX_CHANS];
    uint32_t intids[2 * CFG_MAX_CHANS];
    unsigned count = ipc_vm_notifications(ipc_sc, vm->id, nt, 2 * CFG_MAX_CHANS);

    if (vm->cfg->ipc_notify != CFG_NOTIFY_GPIO) {
        count = 0;
    }
    if (count > VGPIO_MAX) {
        return -BH_ENOMEM;
    }
    for (unsigned i = 0; i < count; i++) {
        intids[i] = nt[i].intid;
    }
    vgpio_init(&vm->gpio, intids, count, gpio_level, vm);
    return 0;
}

/* ------------------------------------------------------------------ effects on other VMs */

static inline void raise_spi_in(struct vm *t, uint32_t intid)
{
    if (vm_takes_input(t)) {
        vm_stats_count(&t->stats.irqs_injected); /* from another VM's vCPU */
        if (t->cfg->ipc_notify == CFG_NOTIFY_GPIO) {
            (void)vgpio_raise(&t->gpio, intid); /* its controller drives the SPI */
        } else {
            vm_kick_mask(t, vgic_post_spi(&t->vgic, intid)); /* lock-free, see vgic.h */
        }
    }
}

static void raise_spi(unsigned vm_id, uint32_t intid)
{
    if (vm_id < vm_count) {
        raise_spi_in(&vms[vm_id], intid);
    }
}

static void wake(const struct ipc_waiter *w)
{
    if (w && w->vm < vm_count && w->vcpu < vms[w->vm].nr_vcpus) {
        arch_kick(vms[w->vm].vcpus[w->vcpu].pcpu);
    }
}

static void apply_notify(const struct ipc_notify *n)
{
    for (unsigned i = 0; i < n->irq_count; i++) {
        raise_spi(n->irqs[i].vm, n->irqs[i].intid);
    }
    for (unsigned i = 0; i < n->woken_count; i++) {
        wake(n->woken[i]);
    }
}

/* ------------------------------------------------------------------ waiting */

/* The wait condition; ipc_waiter_done hands the outcome over exactly once, so keep it. */
struct wait_ctx {
    struct vcpu *v;
    int result;
};

static bool waiter_done(void *arg)
{
    struct wait_ctx *c = arg;

    return ipc_waiter_done(&hyp_ipc, &c->v->waiter, &c->result);
}

static uint64_t deadline_of(uint64_t timeout_ns)
{
    uint64_t now = arch_now_ns();

    if (timeout_ns == BH_TIMEOUT_NEVER || now + timeout_ns < now) {
        return UINT64_MAX;
    }
    return now + timeout_ns;
}

/* r is IPC_BLOCKED: sleep until woken, timed out or the VM stops. Returns the final code. */
static int block(struct vcpu *v, uint64_t deadline)
{
    struct wait_ctx c = { .v = v, .result = 0 };
    uint64_t slept;
    bool done = arch_vcpu_wait(v, deadline, waiter_done, &c, VCPU_WAIT_IPC, &slept);

    v->blocked_ticks += slept; /* statistics: two counter reads, only when it slept */
    __atomic_store_n(&v->wait_kind, VCPU_WAIT_NONE, __ATOMIC_RELEASE);
    if (done) {
        return c.result;
    }
    if (!ipc_cancel(&hyp_ipc, &v->waiter, &c.result)) {
        return c.result; /* woken just before the timeout: the wake wins */
    }
    return -BH_ETIMEDOUT;
}

/* ------------------------------------------------------------------ hypercalls */

static const char *op_name(uint32_t fid)
{
    switch (fid) {
    case BH_HC_IPC_INFO: return "info";
    case BH_HC_DOORBELL_RING: return "ring";
    case BH_HC_SEM_WAIT: return "sem_wait";
    case BH_HC_SEM_POST: return "sem_post";
    case BH_HC_MUTEX_LOCK: return "lock";
    case BH_HC_MUTEX_UNLOCK: return "unlock";
    case BH_HC_MSGQ_SEND: return "send";
    case BH_HC_MSGQ_RECV: return "recv";
    default: return "?";
    }
}

static const char *err_name(int r)
{
    switch (r) {
    case -BH_ENOENT: return "noent";
    case -BH_EPERM: return "denied";
    case -BH_ERANGE: return "range";
    default: return "inval";
    }
}

/* Refusals are policy events; BUSY and TIMEOUT are normal operation. */
static void note_result(struct vcpu *v, uint32_t fid, uint64_t id, int r)
{
    if (r >= 0 || r == -BH_EBUSY || r == -BH_ETIMEDOUT) {
        return;
    }
    v->stats.denials++;
    vm_event(v->vm, "ipc_deny", "op=%s id=%llu err=%s", op_name(fid), (unsigned long long)id,
             err_name(r));
}

/* Not in the caller's table: the engine's checks give the error (and count a denial). */
static __attribute__((noinline)) int ring_refused(struct vcpu *v, unsigned id)
{
    unsigned target;
    uint32_t intid;
    int r = ipc_doorbell_ring(&hyp_ipc, v->vm->id, id, &target, &intid);

    if (r == 0) { /* cannot happen: the table holds every doorbell the VM may ring */
        raise_spi(target, intid);
    }
    return r;
}

/* The object's type and the caller's rights, or an error. */
static __attribute__((noinline)) int64_t call_info(struct vcpu *v, unsigned id)
{
    struct ipc_obj_info info;

    if (!ipc_vm_object(ipc_sc, v->vm->id, id, &info)) {
        return -BH_ENOENT;
    }
    return (int64_t)info.type | ((int64_t)info.rights << 8);
}

/*
 * One token of the sender's budget on doorbell c at now_ns: true, or false when over the limit
 * (counted; *report: the first refusal, or the first a second after the last report).
 */
static bool ring_rate_take(struct ring_rate *r, const struct cfg_chan *c, uint64_t now_ns,
                           bool *report)
{
    uint64_t period_ns = (uint64_t)c->rate_period_us * NS_PER_US;
    uint64_t per_token_ns = period_ns / c->rate_count;
    bool ok;

    if (per_token_ns == 0) {
        per_token_ns = 1; /* more rings than nanoseconds per period: one per ns */
    }
    spin_lock(&r->lock);
    if (now_ns > r->last_ns) {
        uint64_t add = (now_ns - r->last_ns) / per_token_ns;
        if (add >= c->rate_count - r->tokens) {
            r->tokens = c->rate_count; /* full: the bucket never holds more than a burst */
            r->last_ns = now_ns;
        } else if (add) {
            r->tokens += (uint32_t)add;
            r->last_ns += add * per_token_ns;
        }
    }
    ok = r->tokens != 0;
    *report = false;
    if (ok) {
        r->tokens--;
    } else {
        r->refused++;
        if (r->refused == 1 || now_ns - r->report_ns >= RING_RATE_REPORT_NS) {
            r->report_ns = now_ns;
            *report = true;
        }
    }
    spin_unlock(&r->lock);
    return ok;
}

/* A ring that is not the plain case: refused (no route), rate-limited, or to a receiver
 * that takes its notifications through GPIO lines. */
static __attribute__((noinline)) int ring_slow(struct vcpu *v, unsigned id)
{
    const struct ring_route *rr = &ring_routes[v->vm->id][id];
    const struct cfg_chan *c = &ipc_sc->chans[id];
    struct ring_rate *r = &ring_rates[v->vm->id][id];
    bool report;

    if (rr->intid == 0) {
        return ring_refused(v, id);
    }
    if (c->rate_count != 0 && !ring_rate_take(r, c, arch_now_ns(), &report)) {
        /* Over the limit: BH_E_BUSY, no ipc_deny (note_result); recorded at most once a
         * second with the total refused so far. */
        if (report) {
            vm_event(v->vm, "ipc_rate",
                     "op=ring id=%u limit=%u/%uus refused=%llu action=busy", id,
                     c->rate_count, c->rate_period_us,
                     (unsigned long long)__atomic_load_n(&r->refused, __ATOMIC_RELAXED));
        }
        return -BH_EBUSY;
    }
    ipc_doorbell_rung(&hyp_ipc, id);
    raise_spi_in(&vms[c->to_vm], rr->intid);
    return 0;
}

/* The plain ring (no limit, a vGIC receiver), straight to the receiver's SPI: true, or false
 * when it must take ring_slow. id < CFG_MAX_CHANS. Inline: the doorbell send fast path. */
static inline __attribute__((always_inline)) bool ring_direct(struct vcpu *v, unsigned id)
{
    const struct ring_route *rr = &ring_routes[v->vm->id][id];
    struct vm *t = rr->to;

    if (!t) {
        return false;
    }
    ipc_doorbell_rung(&hyp_ipc, id);
    if (vm_takes_input(t)) {
        v->ring_irqs[id]++; /* t's, counted by this vCPU: vm_ipc_ring_irqs */
        vm_kick_mask(t, vgic_post_spi(&t->vgic, rr->intid)); /* lock-free, see vgic.h */
    }
    return true;
}

/* id < CFG_MAX_CHANS. */
static int call_ring(struct vcpu *v, unsigned id)
{
    return ring_direct(v, id) ? 0 : ring_slow(v, id);
}

/* A post never blocks: its own short path. */
static int call_post(struct vcpu *v, unsigned id)
{
    struct ipc_waiter *woken;
    int r = ipc_sem_post(&hyp_ipc, v->vm->id, id, &woken);

    wake(woken);
    return r;
}

static int call_sync(struct vcpu *v, uint32_t fid, unsigned id, uint64_t timeout)
{
    struct ipc_waiter *woken = NULL;
    bool block_ok = timeout != 0;
    int r;

    v->waiter.prio = v->vm->cfg->priority; /* waiters: higher priority first, then FIFO */
    switch (fid) {
    case BH_HC_SEM_WAIT:
        r = ipc_sem_wait(&hyp_ipc, &v->waiter, id, block_ok);
        break;
    case BH_HC_MUTEX_LOCK:
        r = ipc_mutex_lock(&hyp_ipc, &v->waiter, id, block_ok);
        break;
    default:
        r = ipc_mutex_unlock(&hyp_ipc, v->vm->id, v->idx, id, &woken);
        break;
    }
    wake(woken);
    return r == IPC_BLOCKED ? block(v, deadline_of(timeout)) : r;
}

/* The object is a queue v may use with right (send or receive)? In the documented order. */
static int msgq_check(const struct vcpu *v, unsigned id, uint8_t right)
{
    uint8_t q = id < CFG_MAX_CHANS ? queue_rights[v->vm->id][id] : 0;

    if (!q) {
        return -BH_ENOENT;
    }
    return (q & right) ? 0 : -BH_EPERM;
}

/* Send len bytes at buf (checked host memory) or receive into it (capacity len): the
 * received length (0 for a send) or an error. */
static int64_t msgq_op(struct vcpu *v, bool send, unsigned id, void *buf, size_t len,
                       uint64_t timeout)
{
    struct ipc_notify *n = &v->notify; /* the engine clears it first thing */
    size_t got = 0;
    int r;

    v->waiter.prio = v->vm->cfg->priority;
    if (send) {
        r = ipc_msgq_send(&hyp_ipc, &v->waiter, id, buf, len, timeout != 0, n);
    } else {
        r = ipc_msgq_recv(&hyp_ipc, &v->waiter, id, buf, len, &got, timeout != 0, n);
    }
    if (n->irq_count | n->woken_count) {
        apply_notify(n);
    }
    if (r == IPC_BLOCKED) {
        r = block(v, deadline_of(timeout));
        got = v->waiter.msg_len;
    }
    return r != 0 ? r : (int64_t)got;
}

static int64_t call_msgq(struct vcpu *v, uint32_t fid, unsigned id, const uint64_t a[4])
{
    bool send = fid == BH_HC_MSGQ_SEND;
    int r = msgq_check(v, id, send ? CFG_RIGHT_SEND : CFG_RIGHT_RECV);

    /* Checks in the documented order: object, then rights, then the buffer. */
    r = r ? r : ipc_guest_buf_check(v->vm->mem_ipa, v->vm->mem_size, a[1], a[2]);
    if (r) {
        return r;
    }
    return msgq_op(v, send, id, vm_ipa_to_host(v->vm, a[1]), (size_t)a[2], a[3]);
}

/* The ABI value of a call's outcome: data (a length, object info, 0, BH_OWNER_DIED) as it
 * is, errors as BH_E_* after recording refusals. */
static __attribute__((noinline)) int64_t call_result(struct vcpu *v, uint32_t fid, uint64_t id,
                                                     int64_t r)
{
    if (r >= 0) {
        return r;
    }
    note_result(v, fid, id, (int)r);
    return ipc_abi_result((int)r);
}

/* One per hypercall, indexed by fid - BH_HC_IPC_INFO; id < CFG_MAX_CHANS, a = x1..x4.
 * Each returns the ABI value (call_result: refusals are recorded there). */
typedef int64_t (*ipc_call_fn)(struct vcpu *v, unsigned id, const uint64_t a[4]);

#define RESULT(fid, expr)                                    \
    do {                                                     \
        int64_t r_ = (expr);                                 \
        return r_ >= 0 ? r_ : call_result(v, fid, id, r_);   \
    } while (0)

static int64_t hc_info(struct vcpu *v, unsigned id, const uint64_t a[4])
{
    (void)a;
    RESULT(BH_HC_IPC_INFO, call_info(v, id));
}

static __attribute__((noinline)) int64_t hc_ring_slow(struct vcpu *v, unsigned id)
{
    RESULT(BH_HC_DOORBELL_RING, ring_slow(v, id));
}

/* The plain ring keeps nothing live across its calls but the receiver. */
static int64_t hc_ring(struct vcpu *v, unsigned id, const uint64_t a[4])
{
    (void)a;
    return ring_direct(v, id) ? 0 : hc_ring_slow(v, id);
}

static int64_t hc_sem_wait(struct vcpu *v, unsigned id, const uint64_t a[4])
{
    RESULT(BH_HC_SEM_WAIT, call_sync(v, BH_HC_SEM_WAIT, id, a[1]));
}

static int64_t hc_sem_post(struct vcpu *v, unsigned id, const uint64_t a[4])
{
    (void)a;
    RESULT(BH_HC_SEM_POST, call_post(v, id));
}

static int64_t hc_lock(struct vcpu *v, unsigned id, const uint64_t a[4])
{
    RESULT(BH_HC_MUTEX_LOCK, call_sync(v, BH_HC_MUTEX_LOCK, id, a[1]));
}

static int64_t hc_unlock(struct vcpu *v, unsigned id, const uint64_t a[4])
{
    (void)a;
    RESULT(BH_HC_MUTEX_UNLOCK, call_sync(v, BH_HC_MUTEX_UNLOCK, id, 0));
}

static int64_t hc_send(struct vcpu *v, unsigned id, const uint64_t a[4])
{
    RESULT(BH_HC_MSGQ_SEND, call_msgq(v, BH_HC_MSGQ_SEND, id, a));
}

static int64_t hc_recv(struct vcpu *v, unsigned id, const uint64_t a[4])
{
    RESULT(BH_HC_MSGQ_RECV, call_msgq(v, BH_HC_MSGQ_RECV, id, a));
}
#undef RESULT

#define HC(fid) [(fid) - BH_HC_IPC_INFO]
static const ipc_call_fn ipc_calls[] = {
    HC(BH_HC_IPC_INFO) = hc_info,        HC(BH_HC_DOORBELL_RING) = hc_ring,
    HC(BH_HC_SEM_WAIT) = hc_sem_wait,    HC(BH_HC_SEM_POST) = hc_sem_post,
    HC(BH_HC_MUTEX_LOCK) = hc_lock,      HC(BH_HC_MUTEX_UNLOCK) = hc_unlock,
    HC(BH_HC_MSGQ_SEND) = hc_send,       HC(BH_HC_MSGQ_RECV) = hc_recv,
};
#undef HC
_Static_assert(sizeof(ipc_calls) / sizeof(ipc_calls[0]) == BH_HC_MSGQ_RECV - BH_HC_IPC_INFO + 1,
               "one handler per IPC hypercall");

int64_t vm_ipc_call(struct vcpu *v, uint32_t fid, const uint64_t args[4])
{
    uint64_t id = args[0];

    if (!ipc_sc || id >= CFG_MAX_CHANS) {
        return call_result(v, fid, id, -BH_ENOENT); /* forged: not even a possible object */
    }
    return ipc_calls[fid - BH_HC_IPC_INFO](v, (unsigned)id, args);
}

/* ------------------------------------------------------------------ register pages */

static uint64_t timeout_ns_of(uint32_t us)
{
    return us == BH_IPC_TIMEOUT_NEVER ? BH_TIMEOUT_NEVER : (uint64_t)us * NS_PER_US;
}

/* The operation register off of an object of this type, as a hypercall ID (0: none). */
static uint32_t op_of(enum cfg_chan_type type, uint32_t off)
{
    static const struct { enum cfg_chan_type type; uint32_t off, fid; } ops[] = {
        { CFG_CHAN_DOORBELL, BH_IPC_REG_RING, BH_HC_DOORBELL_RING },
        { CFG_CHAN_SEM, BH_IPC_REG_POST, BH_HC_SEM_POST },
        { CFG_CHAN_SEM, BH_IPC_REG_WAIT, BH_HC_SEM_WAIT },
        { CFG_CHAN_MUTEX, BH_IPC_REG_LOCK, BH_HC_MUTEX_LOCK },
        { CFG_CHAN_MUTEX, BH_IPC_REG_UNLOCK, BH_HC_MUTEX_UNLOCK },
        { CFG_CHAN_MSGQ, BH_IPC_REG_SEND, BH_HC_MSGQ_SEND },
        { CFG_CHAN_MSGQ, BH_IPC_REG_RECV, BH_HC_MSGQ_RECV },
    };

    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (ops[i].type == type && ops[i].off == off) {
            return ops[i].fid;
        }
    }
    return 0;
}

static bool info_reg(const struct ipc_obj_info *o, const struct mmio_regs *m, uint32_t off,
                     uint32_t *val)
{
    switch (off) {
    case BH_IPC_REG_MAGIC: *val = BH_IPC_MAGIC; return true;
    case BH_IPC_REG_INFO: *val = (uint32_t)o->type | ((uint32_t)o->rights << 8); return true;
    case BH_IPC_REG_ID: *val = o->id; return true;
    case BH_IPC_REG_SIZE: *val = o->type == CFG_CHAN_MSGQ ? o->msg_size : o->sem_max; return true;
    case BH_IPC_REG_DEPTH: *val = o->depth; return true;
    case BH_IPC_REG_TIMEOUT: *val = m->timeout_us; return true;
    case BH_IPC_REG_LEN: *val = m->len; return true;
    default: return false;
    }
}

/* An operation register was read: do it, like the hypercall, and return its result. */
static int64_t mmio_op(struct vcpu *v, const struct ipc_obj_info *o, const struct mmio_regs *m,
                       uint32_t fid)
{
    unsigned id = o->id;
    uint64_t timeout = timeout_ns_of(m->timeout_us);
    int64_t r;

    if (fid == BH_HC_DOORBELL_RING) {
        r = call_ring(v, id);
    } else if (fid == BH_HC_MSGQ_SEND || fid == BH_HC_MSGQ_RECV) {
        bool send = fid == BH_HC_MSGQ_SEND;
        void *page = (void *)(uintptr_t)data_pa[v->vm->id][id];
        r = msgq_check(v, id, send ? CFG_RIGHT_SEND : CFG_RIGHT_RECV);
        if (r == 0 && !page) {
            r = -BH_ENOTSUP; /* no RAM was left for the data page at boot */
        }
        if (r == 0) {
            r = msgq_op(v, send, id, page, send ? m->len : VPLAT_IPC_PAGE, timeout);
        }
    } else if (fid == BH_HC_SEM_POST) {
        r = call_post(v, id);
    } else {
        r = call_sync(v, fid, id, timeout);
    }
    return call_result(v, fid, id, r);
}

int vm_ipc_mmio(struct vcpu *v, uint32_t off, unsigned size, bool write, uint64_t *val)
{
    struct ipc_obj_info o;
    unsigned id = off / VPLAT_IPC_STRIDE;
    uint32_t reg = off % VPLAT_IPC_STRIDE;
    uint32_t word;

    /* Registers are 32-bit; the data page is memory (a fault there: not a queue member). */
    if (!ipc_sc || size != 4 || reg % 4 != 0 || reg >= VPLAT_IPC_PAGE ||
        !ipc_vm_object(ipc_sc, v->vm->id, id, &o) || o.type == CFG_CHAN_SHMEM) {
        return -BH_ERANGE;
    }
    struct mmio_regs *m = &mmio_regs[v->vm->id][id];
    if (write) {
        if (reg == BH_IPC_REG_TIMEOUT) {
            m->timeout_us = (uint32_t)*val;
        } else if (reg == BH_IPC_REG_LEN && o.type == CFG_CHAN_MSGQ) {
            m->len = (uint32_t)*val;
        } else {
            return -BH_ERANGE; /* read-only or absent */
        }
        return 0;
    }
    if (info_reg(&o, m, reg, &word)) {
        *val = word;
        return 0;
    }
    uint32_t fid = op_of(o.type, reg);
    if (!fid) {
        return -BH_ERANGE;
    }
    *val = (uint32_t)mmio_op(v, &o, m, fid); /* 32-bit two's complement for errors */
    return 0;
}

void vm_ipc_vm_reset(struct vm *vm)
{
    struct ipc_notify n;

    if (!ipc_sc) {
        return;
    }
    memset(&n, 0, sizeof(n));
    ipc_vm_reset(&hyp_ipc, vm->id, &n);
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        ipc_waiter_init(&vm->vcpus[i].waiter, vm->id, i);
    }
    apply_notify(&n);
    /* its register pages and notification GPIOs start afresh, as after boot */
    memset(mmio_regs[vm->id], 0, sizeof(mmio_regs[vm->id]));
    for (unsigned id = 0; id < CFG_MAX_CHANS; id++) {
        if (data_pa[vm->id][id]) {
            memset((void *)(uintptr_t)data_pa[vm->id][id], 0, VPLAT_IPC_PAGE);
        }
    }
    vgpio_reset(&vm->gpio);
}

struct ipc_stats vm_ipc_stats(unsigned id)
{
    return ipc_stats(&hyp_ipc, id);
}

uint64_t vm_ipc_ring_irqs(const struct vm *t)
{
    uint64_t n = 0;

    for (uint32_t m = t->id < CFG_MAX_VMS ? ring_to_mask[t->id] : 0; m; m &= m - 1) {
        unsigned id = (unsigned)__builtin_ctz(m);
        for (unsigned s = 0; s < vm_count && s < CFG_MAX_VMS; s++) {
            if (ring_routes[s][id].to != t) {
                continue;
            }
            for (unsigned k = 0; k < vms[s].nr_vcpus && k < VCPU_MAX; k++) {
                n += vms[s].vcpus[k].ring_irqs[id]; /* an aligned word, where it lies */
            }
        }
    }
    return n;
}
