// SPDX-License-Identifier: MIT
/*
 * The management device's data pages, read into bhctl's own structures (bhctl.h). Their
 * contents are the hypervisor's, but a transport may be remote one day and a bug should not
 * become an overflow here: every count is checked against the area it claims to fill, every
 * entry size against the ABI, and every string is NUL-terminated in the copy.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bhctl.h"

static int data_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return BHCTL_EXIT_ERROR;
}

static void sanitize_vm(struct bh_mgmt_vm *v)
{
    v->name[BH_MGMT_NAME_MAX - 1] = '\0';
    if (v->nr_vcpus > BH_MGMT_VCPUS) {
        v->nr_vcpus = BH_MGMT_VCPUS;
    }
}

int bhctl_snap_parse(const void *area, size_t size, struct bhctl_snap *out, char *err,
                     size_t errlen)
{
    struct bh_mgmt_snap h;

    if (size < sizeof(h)) {
        return data_err(err, errlen, "snapshot area too small (%zu bytes)", size);
    }
    memcpy(&h, area, sizeof(h));
    if (h.magic != BH_MGMT_SNAP_MAGIC || h.version != BH_MGMT_VERSION) {
        return data_err(err, errlen, "no snapshot (magic 0x%08x, version %u)", h.magic,
                        h.version);
    }
    if (h.vm_size != sizeof(struct bh_mgmt_vm) || h.ipc_size != sizeof(struct bh_mgmt_ipc)) {
        return data_err(err, errlen, "snapshot entry sizes %u/%u, this bhctl knows %zu/%zu",
                        h.vm_size, h.ipc_size, sizeof(struct bh_mgmt_vm),
                        sizeof(struct bh_mgmt_ipc));
    }
    /* 64-bit sums of 32-bit counts times small sizes: no overflow */
    uint64_t need = sizeof(h) + (uint64_t)h.vm_count * sizeof(struct bh_mgmt_vm) +
                    (uint64_t)h.ipc_count * sizeof(struct bh_mgmt_ipc);
    if (h.vm_count > BHCTL_VMS_MAX || h.ipc_count > BHCTL_IPC_MAX || need > size) {
        return data_err(err, errlen, "snapshot counts out of range (%u VMs, %u objects)",
                        h.vm_count, h.ipc_count);
    }
    memset(out, 0, sizeof(*out));
    out->time_ns = h.time_ns;
    out->evt_next = h.evt_next;
    out->console_ring_full = h.console_ring_full;
    out->console_escaped = h.console_escaped;
    out->vm_count = h.vm_count;
    out->ipc_count = h.ipc_count;
    const uint8_t *p = (const uint8_t *)area + sizeof(h);
    memcpy(out->vm, p, (size_t)h.vm_count * sizeof(struct bh_mgmt_vm));
    p += (size_t)h.vm_count * sizeof(struct bh_mgmt_vm);
    memcpy(out->ipc, p, (size_t)h.ipc_count * sizeof(struct bh_mgmt_ipc));
    for (uint32_t i = 0; i < out->vm_count; i++) {
        sanitize_vm(&out->vm[i]);
    }
    for (uint32_t i = 0; i < out->ipc_count; i++) {
        out->ipc[i].name[sizeof(out->ipc[i].name) - 1] = '\0';
    }
    return 0;
}

int bhctl_evt_parse(const void *area, size_t size, int32_t n, struct bhctl_evbatch *out,
                    char *err, size_t errlen)
{
    struct bh_mgmt_evt_hdr h;

    if (size < sizeof(h)) {
        return data_err(err, errlen, "event area too small (%zu bytes)", size);
    }
    memcpy(&h, area, sizeof(h));
    if (h.magic != BH_MGMT_EVT_MAGIC) {
        return data_err(err, errlen, "no event batch (magic 0x%08x)", h.magic);
    }
    uint64_t need = sizeof(h) + (uint64_t)h.count * sizeof(struct bh_mgmt_event);
    if (n < 0 || (uint32_t)n != h.count || h.count > BH_MGMT_EVT_MAX || need > size) {
        return data_err(err, errlen, "event batch count %u out of range (answer %d)", h.count,
                        (int)n);
    }
    if (h.next < h.first || h.log_next < h.next) {
        return data_err(err, errlen, "event batch cursors out of order");
    }
    out->count = h.count;
    out->first = h.first;
    out->next = h.next;
    out->missed = h.missed;
    out->log_next = h.log_next;
    memcpy(out->ev, (const uint8_t *)area + sizeof(h), (size_t)h.count * sizeof(out->ev[0]));
    for (uint32_t i = 0; i < out->count; i++) {
        out->ev[i].kind[BH_MGMT_EVT_KIND_MAX - 1] = '\0';
        out->ev[i].text[BH_MGMT_EVT_TEXT_MAX - 1] = '\0';
    }
    return 0;
}

static bool all_digits(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

const struct bh_mgmt_vm *bhctl_find_vm(const struct bhctl_snap *s, const char *name)
{
    for (uint32_t i = 0; i < s->vm_count; i++) {
        if (strcmp(s->vm[i].name, name) == 0) {
            return &s->vm[i];
        }
    }
    if (!all_digits(name) || strlen(name) > 9) {
        return NULL;
    }
    uint32_t id = (uint32_t)strtoul(name, NULL, 10);
    for (uint32_t i = 0; i < s->vm_count; i++) {
        if (s->vm[i].id == id) {
            return &s->vm[i];
        }
    }
    return NULL;
}

const char *bhctl_vm_name(const struct bhctl_snap *s, uint32_t id, char *buf, size_t len)
{
    if (id == BH_MGMT_VM_NONE) {
        return "-";
    }
    for (uint32_t i = 0; s && i < s->vm_count; i++) {
        if (s->vm[i].id == id && s->vm[i].name[0]) {
            return s->vm[i].name;
        }
    }
    snprintf(buf, len, "vm%u", id);
    return buf;
}

const char *bhctl_state_name(uint32_t state)
{
    static const char *const names[] = {
        [BH_MGMT_STATE_REFUSED] = "refused",   [BH_MGMT_STATE_DEFINED] = "defined",
        [BH_MGMT_STATE_RUNNING] = "running",   [BH_MGMT_STATE_PAUSED] = "paused",
        [BH_MGMT_STATE_STOPPING] = "stopping", [BH_MGMT_STATE_STOPPED] = "stopped",
    };
    if (state < sizeof(names) / sizeof(names[0]) && names[state]) {
        return names[state];
    }
    return "unknown";
}

const char *bhctl_op_name(enum bhctl_op op)
{
    static const char *const names[BHCTL_OP_COUNT] = {
        [BHCTL_OP_START] = "start",   [BHCTL_OP_STOP] = "stop",
        [BHCTL_OP_RESTART] = "restart", [BHCTL_OP_PAUSE] = "pause",
        [BHCTL_OP_RESUME] = "resume", [BHCTL_OP_SHUTDOWN] = "shutdown",
    };
    return (unsigned)op < BHCTL_OP_COUNT ? names[op] : "?";
}

int bhctl_fail(struct bhctl_transport *t, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(t->err, sizeof(t->err), fmt, ap);
    va_end(ap);
    return code;
}
