// SPDX-License-Identifier: MIT
/*
 * bhctl's JSON read back into its structures (bhctl.h), for bhctl --remote: the statistics
 * (`bhctl --json stats`, GET /v1/stats) into a struct bhctl_snap and an event batch
 * (GET /v1/events) into a struct bhctl_evbatch. The reverse of bhctl_fmt.c, field for
 * field, so that the tables a remote bhctl prints are the local ones. The text came over the
 * network: indices, counts, number ranges and string lengths are checked like the device's
 * pages are in bhctl_data.c; keys we do not know are skipped (the format only grows).
 */
#include <stddef.h>
#include <string.h>

#include "bhctl.h"
#include "bhjson.h"

struct field {
    const char *path; /* below the entry: "uptime_ns", "exits.hvc" */
    size_t off;
    size_t size; /* 4 or 8 */
};

#define VMF(p, m)  { p, offsetof(struct bh_mgmt_vm, m), sizeof(((struct bh_mgmt_vm *)0)->m) }
#define CPUF(p, m) { p, offsetof(struct bh_mgmt_vcpu, m), sizeof(((struct bh_mgmt_vcpu *)0)->m) }
#define IPCF(p, m) { p, offsetof(struct bh_mgmt_ipc, m), sizeof(((struct bh_mgmt_ipc *)0)->m) }
#define SNAPF(p, m) { p, offsetof(struct bhctl_snap, m), sizeof(((struct bhctl_snap *)0)->m) }
#define EVF(p, m)  { p, offsetof(struct bh_mgmt_event, m), sizeof(((struct bh_mgmt_event *)0)->m) }

static const struct field vm_fields[] = {
    VMF("id", id),
    VMF("vcpus", nr_vcpus),
    VMF("priority", priority),
    VMF("uptime_ns", uptime_ns),
    VMF("mem_bytes", mem_bytes),
    VMF("starts", starts),
    VMF("restarts", restarts),
    VMF("faults", faults),
    VMF("denials", denials),
    VMF("irqs_injected", irqs_injected),
    VMF("mmio_emulated", mmio_emulated),
    VMF("events", events),
    VMF("events_dropped", events_dropped),
    VMF("exits.hvc", exits[BH_MGMT_EXIT_HVC]),
    VMF("exits.smc", exits[BH_MGMT_EXIT_SMC]),
    VMF("exits.sysreg", exits[BH_MGMT_EXIT_SYSREG]),
    VMF("exits.dabt", exits[BH_MGMT_EXIT_DABT]),
    VMF("exits.iabt", exits[BH_MGMT_EXIT_IABT]),
    VMF("exits.irq", exits[BH_MGMT_EXIT_IRQ]),
    VMF("exits.other", exits[BH_MGMT_EXIT_OTHER]),
    VMF("exits.wfi", exits[BH_MGMT_EXIT_WFI]),
    VMF("console.tx_bytes", uart_tx_bytes),
    VMF("console.rx_bytes", uart_rx_bytes),
    VMF("console.rx_dropped", uart_rx_dropped),
};
static const struct field vcpu_fields[] = {
    CPUF("pcpu", pcpu),       CPUF("run_ns", run_ns),       CPUF("idle_ns", idle_ns),
    CPUF("blocked_ns", blocked_ns), CPUF("paused_ns", paused_ns),
    CPUF("wait_ns", wait_ns),       CPUF("throttled_ns", throttled_ns),
    CPUF("preemptions", preemptions), CPUF("throttles", throttles),
};
static const struct field ipc_fields[] = {
    IPCF("id", id),           IPCF("ops", ops),         IPCF("blocked", blocked),
    IPCF("busy", busy),       IPCF("denied", denied),   IPCF("invalid", invalid),
    IPCF("timeouts", timeouts), IPCF("bytes", bytes),
};
static const struct field snap_fields[] = {
    SNAPF("time_ns", time_ns),
    SNAPF("evt_next", evt_next),
    SNAPF("console.ring_full", console_ring_full),
    SNAPF("console.escaped", console_escaped),
};
static const struct field batch_fields[] = {
    { "first", offsetof(struct bhctl_evbatch, first), 8 },
    { "next", offsetof(struct bhctl_evbatch, next), 8 },
    { "missed", offsetof(struct bhctl_evbatch, missed), 8 },
    { "log_next", offsetof(struct bhctl_evbatch, log_next), 8 },
};
static const struct field event_fields[] = {
    EVF("seq", seq),
    EVF("time_ns", time_ns),
    EVF("vm_id", vm),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A number into the field of base named key: 1 if key is not in the table, 0 when stored,
 * -1 when it is not an unsigned integer of the field's width. */
static int set_num(void *base, const struct field *f, size_t n, const char *key,
                   const struct bhjson_val *v)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].path, key) != 0) {
            continue;
        }
        if (v->type != BHJSON_UINT || (f[i].size == 4 && v->u > UINT32_MAX)) {
            return -1;
        }
        if (f[i].size == 4) {
            uint32_t x = (uint32_t)v->u;
            memcpy((char *)base + f[i].off, &x, 4);
        } else {
            memcpy((char *)base + f[i].off, &v->u, 8);
        }
        return 0;
    }
    return 1;
}

/* The index of name in names[0..n), or dflt. */
static uint32_t lookup(const char *const *names, size_t n, const char *name, uint32_t dflt)
{
    for (size_t i = 0; i < n; i++) {
        if (names[i] && !strcmp(names[i], name)) {
            return (uint32_t)i;
        }
    }
    return dflt;
}

/* A string into dst[0..size): -1 if it (with its NUL) does not fit. */
static int set_str(char *dst, size_t size, const struct bhjson_val *v)
{
    if (v->type != BHJSON_STR || v->slen >= size) {
        return -1;
    }
    memcpy(dst, v->s, v->slen + 1);
    return 0;
}

static int vm_str(struct bh_mgmt_vm *vm, const char *key, const struct bhjson_val *v)
{
    static const char *const states[] = { NULL, "refused", "defined", "running",
                                          "paused", "stopping", "stopped" };
    static const char *const rights[] = { "-", "observe", "control", "observe,control",
                                          "self" };
    static const uint32_t rights_bits[] = { 0, BH_MGMT_RIGHT_OBSERVE, BH_MGMT_RIGHT_CONTROL,
                                            BH_MGMT_RIGHT_OBSERVE | BH_MGMT_RIGHT_CONTROL,
                                            BH_MGMT_RIGHT_SELF };

    if (!strcmp(key, "name")) {
        return set_str(vm->name, sizeof(vm->name), v);
    }
    if (v->type == BHJSON_BOOL && (!strcmp(key, "autostart") || !strcmp(key, "manageable"))) {
        uint32_t bit = key[0] == 'a' ? BH_MGMT_VMF_AUTOSTART : BH_MGMT_VMF_MANAGEABLE;
        vm->flags = v->b ? vm->flags | bit : vm->flags & ~bit;
        return 0;
    }
    if (v->type != BHJSON_STR) {
        return 0;
    }
    if (!strcmp(key, "state")) {
        vm->state = lookup(states, N(states), v->s, 0); /* 0 prints as "unknown" again */
    } else if (!strcmp(key, "rights")) {
        uint32_t i = lookup(rights, N(rights), v->s, UINT32_MAX);
        if (i == UINT32_MAX) {
            return -1;
        }
        vm->rights = rights_bits[i];
    }
    return 0;
}

struct snap_ctx {
    struct bhctl_snap *s;
};

/* Entry idx of an array that holds count entries and at most max: a new entry may only be
 * the next one. */
static int entry(uint32_t idx, uint32_t *count, uint32_t max)
{
    if (idx >= max || idx > *count) {
        return -1;
    }
    if (idx == *count) {
        ++*count;
    }
    return 0;
}

static int snap_cb(void *ctx, const struct bhjson_path *p, const struct bhjson_val *v)
{
    static const char *const vcpu_states[] = { "off", "pending", "running" };
    static const char *const ipc_types[] = { "shmem", "doorbell", "semaphore", "mutex", "msgq" };
    struct bhctl_snap *s = ((struct snap_ctx *)ctx)->s;
    char key[96];
    uint32_t idx[2] = { 0, 0 };
    int r;

    if (!bhjson_path_str(p, key, sizeof(key), idx, 2)) {
        return -1;
    }
    if (!strncmp(key, "vms.#.", 6)) {
        if (entry(idx[0], &s->vm_count, BHCTL_VMS_MAX) != 0) {
            return -1;
        }
        struct bh_mgmt_vm *vm = &s->vm[idx[0]];
        const char *k = key + 6;
        if (!strncmp(k, "vcpu.#.", 7)) {
            if (idx[1] >= BH_MGMT_VCPUS) {
                return -1;
            }
            struct bh_mgmt_vcpu *c = &vm->vcpu[idx[1]];
            if (!strcmp(k + 7, "state") && v->type == BHJSON_STR) {
                c->state = lookup(vcpu_states, N(vcpu_states), v->s, BH_MGMT_VCPU_OFF);
                return 0;
            }
            r = set_num(c, vcpu_fields, N(vcpu_fields), k + 7, v);
            return r < 0 ? -1 : 0;
        }
        r = set_num(vm, vm_fields, N(vm_fields), k, v);
        return r < 0 ? -1 : r == 0 ? 0 : vm_str(vm, k, v);
    }
    if (!strncmp(key, "ipc.#.", 6)) {
        if (entry(idx[0], &s->ipc_count, BHCTL_IPC_MAX) != 0) {
            return -1;
        }
        struct bh_mgmt_ipc *o = &s->ipc[idx[0]];
        const char *k = key + 6;
        if (!strcmp(k, "name")) {
            return set_str(o->name, sizeof(o->name), v);
        }
        if (!strcmp(k, "type") && v->type == BHJSON_STR) {
            o->type = lookup(ipc_types, N(ipc_types), v->s, 0xff); /* "unknown" again */
            return 0;
        }
        return set_num(o, ipc_fields, N(ipc_fields), k, v) < 0 ? -1 : 0;
    }
    return set_num(s, snap_fields, N(snap_fields), key, v) < 0 ? -1 : 0;
}

int bhctl_remote_snap_json(const char *body, size_t len, struct bhctl_snap *out)
{
    struct snap_ctx c = { out };

    memset(out, 0, sizeof(*out));
    if (bhjson_parse(body, len, snap_cb, &c) != 0) {
        return -1;
    }
    for (uint32_t i = 0; i < out->vm_count; i++) {
        if (out->vm[i].nr_vcpus > BH_MGMT_VCPUS) {
            return -1;
        }
    }
    return 0;
}

static int evt_cb(void *ctx, const struct bhjson_path *p, const struct bhjson_val *v)
{
    struct bhctl_evbatch *b = ctx;
    char key[64];
    uint32_t idx[1] = { 0 };

    if (!bhjson_path_str(p, key, sizeof(key), idx, 1)) {
        return -1;
    }
    if (!strncmp(key, "events.#.", 9)) {
        if (entry(idx[0], &b->count, BH_MGMT_EVT_MAX) != 0) {
            return -1;
        }
        struct bh_mgmt_event *e = &b->ev[idx[0]];
        const char *k = key + 9;
        if (!strcmp(k, "kind")) {
            return set_str(e->kind, sizeof(e->kind), v);
        }
        if (!strcmp(k, "text")) {
            return set_str(e->text, sizeof(e->text), v);
        }
        return set_num(e, event_fields, N(event_fields), k, v) < 0 ? -1 : 0;
    }
    return set_num(b, batch_fields, N(batch_fields), key, v) < 0 ? -1 : 0;
}

int bhctl_remote_evt_json(const char *body, size_t len, struct bhctl_evbatch *out)
{
    memset(out, 0, sizeof(*out));
    if (bhjson_parse(body, len, evt_cb, out) != 0) {
        return -1;
    }
    /* the device's rules (bhctl_evt_parse): cursors in order */
    return out->next < out->first || out->log_next < out->next ? -1 : 0;
}
