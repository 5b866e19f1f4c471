// SPDX-License-Identifier: MIT
/* The fake transport of the bhctl unit tests (bhctl_fake.h). */
#include <stdarg.h>
#include <stdio.h>

#include "bhctl_fake.h"

struct fake fake;

static void add_vm(uint32_t id, const char *name, uint32_t state, uint32_t rights)
{
    struct bh_mgmt_vm *v = &fake.snap.vm[fake.snap.vm_count++];

    memset(v, 0, sizeof(*v));
    snprintf(v->name, sizeof(v->name), "%s", name);
    v->id = id;
    v->state = state;
    v->rights = rights;
    v->nr_vcpus = 1;
    v->mem_bytes = 32u << 20;
    v->flags = BH_MGMT_VMF_AUTOSTART | BH_MGMT_VMF_MANAGEABLE;
    v->vcpu[0].state = BH_MGMT_VCPU_RUNNING;
    v->vcpu[0].pcpu = id;
}

void fake_reset(void)
{
    memset(&fake, 0, sizeof(fake));
    fake.batch_max = BH_MGMT_EVT_MAX;
    fake.snap.time_ns = 5000000000ull;
    add_vm(0, "mgr", BH_MGMT_STATE_RUNNING, BH_MGMT_RIGHT_SELF);
    add_vm(1, "control", BH_MGMT_STATE_RUNNING, BH_MGMT_RIGHT_OBSERVE);
    add_vm(2, "worker", BH_MGMT_STATE_DEFINED, BH_MGMT_RIGHT_OBSERVE | BH_MGMT_RIGHT_CONTROL);
    fake.snap.vm[2].flags = BH_MGMT_VMF_MANAGEABLE;
    fake.snap.vm[2].nr_vcpus = 1;
    fake.snap.ipc_count = 1;
    snprintf(fake.snap.ipc[0].name, sizeof(fake.snap.ipc[0].name), "cmd");
    fake.snap.ipc[0].type = BH_IPC_MSGQ;
    fake.snap.ipc[0].ops = 42;
}

void fake_event(uint32_t vm, const char *kind, const char *text)
{
    struct bh_mgmt_event *e = &fake.log[fake.log_next % FAKE_LOG_SIZE];

    memset(e, 0, sizeof(*e));
    e->seq = fake.log_next++;
    e->time_ns = 1000000000ull + e->seq * 1000;
    e->vm = vm;
    snprintf(e->kind, sizeof(e->kind), "%s", kind);
    snprintf(e->text, sizeof(e->text), "%s", text);
}

void fake_sleep(uint32_t ms)
{
    (void)ms;
    fake.sleeps++;
    fake.snap.time_ns += 1000000000ull;
    fake.snap.vm[1].vcpu[0].run_ns += 500000000ull; /* control: 50 % */
    fake.snap.vm[1].exits[BH_MGMT_EXIT_IRQ] += 1000;
    fake.snap.vm[1].irqs_injected += 1000;
    if (fake.stop_after_sleeps && fake.sleeps >= fake.stop_after_sleeps) {
        fake.stop = 1;
    }
}

static int f_open(struct bhctl_transport *t)
{
    if (fake.open_result) {
        snprintf(t->err, sizeof(t->err), "no management device (fake)");
    }
    return fake.open_result;
}

static int f_snapshot(struct bhctl_transport *t, struct bhctl_snap *out)
{
    (void)t;
    fake.snap.evt_next = fake.log_next;
    *out = fake.snap;
    return 0;
}

/* Like the device: records from cursor on, missed counted when the ring overwrote them. */
static int f_events(struct bhctl_transport *t, uint64_t cursor, struct bhctl_evbatch *out)
{
    uint64_t oldest = fake.log_next > FAKE_LOG_SIZE ? fake.log_next - FAKE_LOG_SIZE : 0;

    (void)t;
    memset(out, 0, sizeof(*out));
    out->first = cursor;
    if (cursor < oldest) {
        out->missed = oldest - cursor;
        cursor = oldest;
    }
    while (cursor < fake.log_next && out->count < fake.batch_max) {
        out->ev[out->count++] = fake.log[cursor % FAKE_LOG_SIZE];
        cursor++;
    }
    out->next = cursor;
    out->log_next = fake.log_next;
    return 0;
}

static int32_t f_op(struct bhctl_transport *t, uint32_t vm, enum bhctl_op op)
{
    (void)t;
    fake.ops++;
    fake.last_op_vm = vm;
    struct bh_mgmt_vm *v = NULL;
    for (uint32_t i = 0; i < fake.snap.vm_count; i++) {
        v = fake.snap.vm[i].id == vm ? &fake.snap.vm[i] : v;
    }
    if (!v) {
        return BH_E_NOENT;
    }
    if (!(v->rights & BH_MGMT_RIGHT_CONTROL)) {
        return BH_E_DENIED;
    }
    uint32_t s = v->state;
    switch (op) {
    case BHCTL_OP_START:
        if (s != BH_MGMT_STATE_DEFINED && s != BH_MGMT_STATE_STOPPED) {
            return BH_E_INVAL;
        }
        v->state = BH_MGMT_STATE_RUNNING;
        return BH_OK;
    case BHCTL_OP_STOP:
        if (s != BH_MGMT_STATE_RUNNING && s != BH_MGMT_STATE_PAUSED) {
            return BH_E_INVAL;
        }
        v->state = BH_MGMT_STATE_STOPPED;
        return BH_OK;
    case BHCTL_OP_PAUSE:
        if (s != BH_MGMT_STATE_RUNNING) {
            return BH_E_INVAL;
        }
        v->state = BH_MGMT_STATE_PAUSED;
        return BH_OK;
    case BHCTL_OP_RESUME:
        if (s != BH_MGMT_STATE_PAUSED) {
            return BH_E_INVAL;
        }
        v->state = BH_MGMT_STATE_RUNNING;
        return BH_OK;
    case BHCTL_OP_RESTART: return s == BH_MGMT_STATE_STOPPING ? BH_E_BUSY : BH_OK;
    case BHCTL_OP_SHUTDOWN:
    default: return BH_E_NOT_SUPPORTED;
    }
}

static void f_close(struct bhctl_transport *t)
{
    (void)t;
}

struct bhctl_transport fake_transport = {
    .name = "fake", .open = f_open, .snapshot = f_snapshot, .events = f_events,
    .op = f_op, .close = f_close,
};

int fake_run(char **out, char **err, ...)
{
    char *argv[32] = { "bhctl" };
    int argc = 1;
    va_list ap;
    size_t olen, elen;
    struct bhctl_args a;
    char msg[160];

    va_start(ap, err);
    for (char *w; argc < 31 && (w = va_arg(ap, char *)) != NULL;) {
        argv[argc++] = w;
    }
    va_end(ap);
    FILE *o = open_memstream(out, &olen), *e = open_memstream(err, &elen);
    struct bhctl_env env = { &fake_transport, o, e, fake_sleep, &fake.stop };
    int r = bhctl_parse_args(argc, argv, &a, msg, sizeof(msg));
    if (r) {
        fprintf(e, "bhctl: %s\n", msg);
    } else {
        r = bhctl_run(&a, &env);
    }
    fclose(o);
    fclose(e);
    return r;
}
