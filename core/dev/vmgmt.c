// SPDX-License-Identifier: MIT
/*
 * The management device of a manager VM (include/bulkhead/mgmt.h, docs/MANAGEMENT.md): only
 * a VM the scenario grants `observe` or `control` on another VM has one. A register page,
 * trapped like the IPC register pages (an operation is a read of its register, its value the
 * result), and data pages that the hypervisor fills and maps read-only into the manager's
 * stage 2, so reading a snapshot or an event batch costs the manager no exit and the managed
 * VMs nothing at all: their statistics are read where they lie, without stopping them.
 * Every operation checks the manager's right on the target VM first; a refusal answers
 * BH_E_DENIED and records `EVT vm=<manager> kind=mgmt_deny`. A manager never gets the memory
 * of the VMs it manages: only these hypervisor-written pages are mapped.
 */
#include <core/dev/vmgmt.h>

#include <stddef.h>

#include <arch/cpu.h>
#include <bulkhead/abi.h>
#include <bulkhead/mgmt.h>
#include <core/console.h>
#include <core/ipc/vm_ipc.h>
#include <core/vm/vm_build.h>
#include <core/vm/vm_ctl.h>
#include <lib/string.h>

struct vmgmt {
    struct spinlock lock;   /* the manager's vCPUs: registers and the data pages */
    struct vm *self;
    uint32_t target;
    uint64_t cursor;
    uint64_t snap_seq;
};

static struct vmgmt devs[CFG_MAX_VMS];
/* The data pages of every manager: one block of hypervisor RAM (identity-mapped at EL2),
 * taken when the first manager is built (allocations are 2 MiB granular), BH_MGMT_DATA_SIZE
 * per VM index. Outside the image: most scenarios have no manager. */
static uint8_t *data_block;

static uint8_t *data_pages_of(const struct vm *vm)
{
    return data_block + (size_t)vm->id * BH_MGMT_DATA_SIZE;
}

_Static_assert(BH_MGMT_DATA_OFF % CFG_PAGE_SIZE == 0 && BH_MGMT_DATA_SIZE % CFG_PAGE_SIZE == 0,
               "the data pages are whole pages");
_Static_assert(BH_MGMT_VCPUS >= VCPU_MAX && BH_MGMT_EXIT_CLASSES >= EXIT_CLASS_COUNT,
               "the snapshot holds every vCPU and exit class");
_Static_assert(EVT_KIND_MAX == BH_MGMT_EVT_KIND_MAX && EVT_TEXT_MAX == BH_MGMT_EVT_TEXT_MAX,
               "event records have the ABI's sizes");
_Static_assert(BH_MGMT_EXIT_HVC == EXIT_HVC && BH_MGMT_EXIT_SMC == EXIT_SMC &&
                   BH_MGMT_EXIT_SYSREG == EXIT_SYSREG && BH_MGMT_EXIT_DABT == EXIT_DABT &&
                   BH_MGMT_EXIT_IABT == EXIT_IABT && BH_MGMT_EXIT_IRQ == EXIT_IRQ &&
                   BH_MGMT_EXIT_OTHER == EXIT_OTHER && BH_MGMT_EXIT_WFI == EXIT_WFX,
               "exit classes differ from include/bulkhead/mgmt.h");

static uint32_t abi_state(enum vm_state s)
{
    switch (s) {
    case VM_DEFINED: return BH_MGMT_STATE_DEFINED;
    case VM_RUNNING: return BH_MGMT_STATE_RUNNING;
    case VM_PAUSED: return BH_MGMT_STATE_PAUSED;
    case VM_STOPPING: return BH_MGMT_STATE_STOPPING;
    case VM_STOPPED: return BH_MGMT_STATE_STOPPED;
    case VM_REFUSED:
    case VM_UNUSED:
    default: return BH_MGMT_STATE_REFUSED;
    }
}

/* The manager's rights on VM t (BH_MGMT_RIGHT_SELF for itself), 0 for none or no such VM. */
static uint32_t rights_on(const struct vmgmt *d, uint32_t t)
{
    if (t >= vm_count || t >= CFG_MAX_VMS) {
        return 0;
    }
    if (t == d->self->id) {
        return BH_MGMT_RIGHT_SELF;
    }
    return d->self->cfg->manage[t];
}

/* ------------------------------------------------------------------ snapshot */

/* The statistics of an observed VM into o (zeroed up to its vCPU records); returns the vCPU
 * records written, each whole. */
static unsigned fill_stats(struct bh_mgmt_vm *o, const struct vm *vm, uint64_t now)
{
    struct vm_stats total;
    const struct vm_stats *s = &total;
    unsigned i;

    vm_stats_read(vm, &total); /* the VM-wide part plus its vCPUs' counters */

    o->nr_vcpus = vm->nr_vcpus;
    o->priority = vm->cfg->priority;
    o->flags = (vm->cfg->autostart ? BH_MGMT_VMF_AUTOSTART : 0) |
               (vm->cfg->manageable ? BH_MGMT_VMF_MANAGEABLE : 0);
    o->uptime_ns = vm_takes_input(vm) && now > vm->started_ns ? now - vm->started_ns : 0;
    o->mem_bytes = vm->mem_size;
    o->starts = s->starts;
    o->restarts = s->restarts;
    o->faults = s->faults;
    o->denials = s->denials;
    o->irqs_injected = s->irqs_injected;
    o->mmio_emulated = s->mmio_emulated;
    o->events = s->events;
    o->events_dropped = s->events_dropped;
    for (unsigned c = 0; c < EXIT_CLASS_COUNT; c++) {
        o->exits[c] = s->exits[c];
    }
    struct vuart_stats us;
    vuart_get_stats((struct vuart *)&vm->vuart, &us);
    o->uart_tx_bytes = us.tx_count;
    o->uart_rx_bytes = us.rx_count;
    o->uart_rx_dropped = us.rx_dropped;
    for (i = 0; i < vm->nr_vcpus && i < BH_MGMT_VCPUS; i++) {
        const struct vcpu *v = &vm->vcpus[i];
        struct vm_vcpu_times t;
        vm_vcpu_times(v, &t);
        o->vcpu[i] = (struct bh_mgmt_vcpu){
            .state = v->state == VCPU_RUNNING ? BH_MGMT_VCPU_RUNNING :
                     v->state == VCPU_ON_PENDING ? BH_MGMT_VCPU_PENDING : BH_MGMT_VCPU_OFF,
            .pcpu = v->pcpu,
            .run_ns = t.run_ns,
            .blocked_ns = t.blocked_ns,
            .paused_ns = t.paused_ns,
            .idle_ns = t.idle_ns,
            .wait_ns = t.wait_ns,
            .throttled_ns = t.throttled_ns,
            .preemptions = t.preemptions,
            .throttles = t.throttles,
        };
    }
    return i;
}

static void fill_vm(struct bh_mgmt_vm *o, const struct vm *vm, uint32_t rights, uint64_t now)
{
    unsigned filled = 0;

    /* the vCPU records are written whole (fill_stats, then zeroes): memset would zero their
     * 640 bytes 8 at a time (make bench: mgmt_snapshot) */
    memset(o, 0, offsetof(struct bh_mgmt_vm, vcpu));
    size_t n = strnlen(vm->name, BH_MGMT_NAME_MAX - 1);
    memcpy(o->name, vm->name, n);
    o->id = vm->id;
    o->state = abi_state(vm->state);
    o->rights = rights;
    if ((rights & (BH_MGMT_RIGHT_OBSERVE | BH_MGMT_RIGHT_SELF)) && vm->cfg) {
        filled = fill_stats(o, vm, now); /* else control only: name and state */
    }
    for (unsigned i = filled; i < BH_MGMT_VCPUS; i++) {
        o->vcpu[i] = (struct bh_mgmt_vcpu){ 0 };
    }
}

/* Objects with a member the manager may observe (itself included). */
static bool ipc_visible(const struct vmgmt *d, const struct cfg_chan *c)
{
    for (uint32_t v = 0; v < vm_count && v < CFG_MAX_VMS; v++) {
        if (c->rights[v] && (rights_on(d, v) & (BH_MGMT_RIGHT_OBSERVE | BH_MGMT_RIGHT_SELF))) {
            return true;
        }
    }
    return false;
}

static uint32_t fill_ipc(const struct vmgmt *d, struct bh_mgmt_ipc *out, uint32_t max)
{
    const struct cfg_scenario *sc = vm_ipc_scenario();
    uint32_t n = 0;

    for (uint32_t id = 0; sc && id < sc->chan_count && n < max; id++) {
        const struct cfg_chan *c = &sc->chans[id];
        if (!c->valid || !ipc_visible(d, c)) {
            continue;
        }
        struct bh_mgmt_ipc *o = &out[n++];
        struct ipc_stats st = vm_ipc_stats(id);
        memset(o, 0, sizeof(*o));
        memcpy(o->name, c->name, strnlen(c->name, sizeof(o->name) - 1));
        o->id = id;
        o->type = (uint32_t)c->type;
        o->ops = st.ops;
        o->blocked = st.blocked;
        o->busy = st.busy;
        o->denied = st.denied;
        o->invalid = st.invalid;
        o->timeouts = st.timeouts;
        o->bytes = st.bytes;
    }
    return n;
}

/* One consistent snapshot into the snapshot area (seq odd while it is written). */
static int32_t op_snapshot(struct vmgmt *d, uint8_t *data)
{
    struct bh_mgmt_snap *h = (struct bh_mgmt_snap *)(void *)(data + BH_MGMT_SNAP_OFF);
    struct bh_mgmt_vm *vmo = (struct bh_mgmt_vm *)(void *)(h + 1);
    uint64_t now = arch_now_ns();
    uint32_t n = 0;

    __atomic_store_n(&h->seq, ++d->snap_seq * 2 - 1, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (uint32_t i = 0; i < vm_count && i < CFG_MAX_VMS; i++) {
        uint32_t r = rights_on(d, i);
        if (r) {
            fill_vm(&vmo[n++], &vms[i], r, now);
        }
    }
    struct bh_mgmt_ipc *io = (struct bh_mgmt_ipc *)(void *)&vmo[n];
    uint32_t room = (uint32_t)((BH_MGMT_SNAP_SIZE - ((uint8_t *)io - (uint8_t *)h)) /
                               sizeof(struct bh_mgmt_ipc));
    struct console_stats cs;
    console_get_stats(&cs);
    h->magic = BH_MGMT_SNAP_MAGIC;
    h->version = BH_MGMT_VERSION;
    h->time_ns = now;
    h->evt_next = vm_event_next();
    h->vm_count = n;
    h->ipc_count = fill_ipc(d, io, room);
    h->vm_size = sizeof(struct bh_mgmt_vm);
    h->ipc_size = sizeof(struct bh_mgmt_ipc);
    h->console_ring_full = cs.ring_full;
    h->console_escaped = cs.escaped;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __atomic_store_n(&h->seq, d->snap_seq * 2, __ATOMIC_RELEASE);
    return (int32_t)n;
}

/* ------------------------------------------------------------------ events */

static bool evt_visible(const struct vmgmt *d, uint32_t vm)
{
    return (rights_on(d, vm) & (BH_MGMT_RIGHT_OBSERVE | BH_MGMT_RIGHT_SELF)) != 0;
}

static int32_t op_events(struct vmgmt *d, uint8_t *data)
{
    struct bh_mgmt_evt_hdr *h = (struct bh_mgmt_evt_hdr *)(void *)(data + BH_MGMT_EVT_OFF);
    struct bh_mgmt_event *out = (struct bh_mgmt_event *)(void *)(h + 1);
    uint64_t first = d->cursor, missed = 0;
    uint32_t n = 0;
    struct evt_record rec;

    /* Bounded: each read advances the cursor, and at most EVT_RING_SIZE records exist. */
    for (unsigned i = 0; i <= EVT_RING_SIZE && n < BH_MGMT_EVT_MAX; i++) {
        if (!vm_event_read(&d->cursor, &rec, &missed)) {
            break;
        }
        if (!evt_visible(d, rec.vm)) {
            continue;
        }
        struct bh_mgmt_event *e = &out[n++];
        e->seq = rec.seq;
        e->time_ns = rec.time_ns;
        e->vm = rec.vm;
        e->reserved = 0;
        memcpy(e->kind, rec.kind, sizeof(e->kind));
        memcpy(e->text, rec.text, sizeof(e->text));
    }
    h->magic = BH_MGMT_EVT_MAGIC;
    h->count = n;
    h->first = first;
    h->next = d->cursor;
    h->missed = missed;
    h->log_next = vm_event_next();
    return (int32_t)n;
}

/* ------------------------------------------------------------------ lifecycle */

static const char *op_name(uint32_t off)
{
    switch (off) {
    case BH_MGMT_REG_START: return "start";
    case BH_MGMT_REG_STOP: return "stop";
    case BH_MGMT_REG_RESTART: return "restart";
    case BH_MGMT_REG_PAUSE: return "pause";
    case BH_MGMT_REG_RESUME: return "resume";
    case BH_MGMT_REG_SHUTDOWN: return "shutdown";
    default: return "?";
    }
}

static int32_t abi_result(int r)
{
    switch (r) {
    case 0: return BH_OK;
    case -BH_EBUSY: return BH_E_BUSY;
    case -BH_ENOTSUP: return BH_E_NOT_SUPPORTED;
    case -BH_EINVAL:
    default: return BH_E_INVAL;
    }
}

static const char *result_name(int32_t r)
{
    return r == BH_OK ? "ok" : r == BH_E_BUSY ? "busy" : r == BH_E_INVAL ? "state" :
           r == BH_E_DENIED ? "denied" : r == BH_E_NOENT ? "noent" : "unsupported";
}

static int32_t op_lifecycle(struct vmgmt *d, uint32_t off, uint32_t target)
{
    struct vm *mgr = d->self;

    if (target >= vm_count || target >= CFG_MAX_VMS) {
        return BH_E_NOENT;
    }
    struct vm *t = &vms[target];
    if (!(rights_on(d, target) & BH_MGMT_RIGHT_CONTROL)) {
        vm_stats_count(&mgr->stats.denials);
        vm_event(mgr, "mgmt_deny", "op=%s target=%s right=control", op_name(off), t->name);
        return BH_E_DENIED;
    }
    int r;
    switch (off) {
    case BH_MGMT_REG_START: r = vm_ctl_start(t); break;
    case BH_MGMT_REG_STOP: r = vm_ctl_stop(t); break;
    case BH_MGMT_REG_RESTART: r = vm_ctl_restart(t); break;
    case BH_MGMT_REG_PAUSE: r = vm_ctl_pause(t); break;
    case BH_MGMT_REG_RESUME: r = vm_ctl_resume(t); break;
    case BH_MGMT_REG_SHUTDOWN: r = vm_ctl_shutdown(t); break;
    default: r = -BH_ENOTSUP; break;
    }
    int32_t res = abi_result(r);
    vm_event(t, "mgmt", "op=%s by=%s result=%s", op_name(off), mgr->name, result_name(res));
    return res;
}

/* ------------------------------------------------------------------ registers */

static int reg_read(struct vmgmt *d, uint32_t off, uint64_t *val)
{
    uint8_t *data = data_pages_of(d->self);
    int32_t r;

    switch (off) {
    case BH_MGMT_REG_MAGIC: *val = BH_MGMT_MAGIC; return 0;
    case BH_MGMT_REG_VERSION: *val = BH_MGMT_VERSION; return 0;
    case BH_MGMT_REG_VM_COUNT: *val = vm_count; return 0;
    case BH_MGMT_REG_SELF: *val = d->self->id; return 0;
    case BH_MGMT_REG_TARGET: *val = d->target; return 0;
    case BH_MGMT_REG_RIGHTS: *val = rights_on(d, d->target) & ~BH_MGMT_RIGHT_SELF; return 0;
    case BH_MGMT_REG_CURSOR_LO: *val = (uint32_t)d->cursor; return 0;
    case BH_MGMT_REG_CURSOR_HI: *val = (uint32_t)(d->cursor >> 32); return 0;
    case BH_MGMT_REG_SNAPSHOT:
        spin_lock(&d->lock);
        r = op_snapshot(d, data);
        spin_unlock(&d->lock);
        break;
    case BH_MGMT_REG_EVENTS:
        spin_lock(&d->lock);
        r = op_events(d, data);
        spin_unlock(&d->lock);
        break;
    case BH_MGMT_REG_START:
    case BH_MGMT_REG_STOP:
    case BH_MGMT_REG_RESTART:
    case BH_MGMT_REG_PAUSE:
    case BH_MGMT_REG_RESUME:
    case BH_MGMT_REG_SHUTDOWN:
        /* no lock held: a stop or a restart takes a while (vCPUs pulled out, reload) */
        r = op_lifecycle(d, off, __atomic_load_n(&d->target, __ATOMIC_RELAXED));
        break;
    default:
        return -BH_ERANGE;
    }
    *val = (uint32_t)r;
    return 0;
}

static int reg_write(struct vmgmt *d, uint32_t off, uint32_t v)
{
    spin_lock(&d->lock);
    switch (off) {
    case BH_MGMT_REG_TARGET: d->target = v; break;
    case BH_MGMT_REG_CURSOR_LO: d->cursor = (d->cursor & ~UINT64_C(0xffffffff)) | v; break;
    case BH_MGMT_REG_CURSOR_HI:
        d->cursor = (d->cursor & UINT64_C(0xffffffff)) | (uint64_t)v << 32;
        break;
    default:
        spin_unlock(&d->lock);
        return -BH_ERANGE;
    }
    spin_unlock(&d->lock);
    return 0;
}

static int vmgmt_access(struct vcpu *v, void *dev, uint64_t off, unsigned size, bool write,
                        uint64_t *val)
{
    struct vmgmt *d = dev;

    (void)v;
    /* Registers: 32-bit only; the data pages are memory (mapped, never trapped: a write to
     * them is a permission fault the abort path refuses like any other). */
    if (size != 4 || off >= BH_MGMT_PAGE || (off & 3)) {
        return -BH_ERANGE;
    }
    return write ? reg_write(d, (uint32_t)off, (uint32_t)*val) : reg_read(d, (uint32_t)off, val);
}

int vmgmt_init(struct vm *vm)
{
    const uint64_t ro = PTE_S2_MEMATTR_NORMAL | PTE_SH_INNER | PTE_S2_XN | PTE_S2_AP_RO;
    struct vmgmt *d = &devs[vm->id];

    if (!cfg_vm_is_manager(vm->cfg)) {
        return 0;
    }
    if (!data_block) {
        data_block = (uint8_t *)(uintptr_t)vm_ram_alloc((uint64_t)CFG_MAX_VMS * BH_MGMT_DATA_SIZE);
        if (!data_block) {
            return -BH_ENOMEM;
        }
    }
    memset(d, 0, sizeof(*d));
    spin_lock_init(&d->lock);
    d->self = vm;
    memset(data_pages_of(vm), 0, BH_MGMT_DATA_SIZE);
    int r = mmio_register(&vm->mmio, "mgmt", VPLAT_MGMT_IPA, BH_MGMT_PAGE, vmgmt_access, d);
    if (r) {
        return r;
    }
    return pt_map(&vm->s2, VPLAT_MGMT_IPA + BH_MGMT_DATA_OFF,
                  (uint64_t)(uintptr_t)data_pages_of(vm), BH_MGMT_DATA_SIZE, ro);
}
