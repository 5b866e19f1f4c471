// SPDX-License-Identifier: MIT
/*
 * Event record formatting, rate limiting per VM and kind (token buckets) and the in-memory ring.
 * Portable: the time source and the console are passed in by the caller (core/vm/vm.c), so all
 * of this is unit-tested on the host.
 */
#include <core/event.h>

#include <stdarg.h>

#include <lib/fmt.h>
#include <lib/string.h>

void evt_bucket_init(struct evt_bucket *b, uint64_t now_ns)
{
    b->tokens = EVT_BURST;
    b->dropped = 0;
    b->last_ns = now_ns;
}

/* The tokens earned since the last refill, up to a full burst. */
static void bucket_refill(struct evt_bucket *b, uint64_t now_ns)
{
    if (now_ns > b->last_ns) {
        uint64_t add = (now_ns - b->last_ns) / EVT_REFILL_NS;
        if (add) {
            uint64_t t = b->tokens + add; /* add <= 2^64 / EVT_REFILL_NS: no overflow */
            b->tokens = t > EVT_BURST ? EVT_BURST : (uint32_t)t;
            b->last_ns += add * EVT_REFILL_NS;
        }
    }
}

bool evt_bucket_take(struct evt_bucket *b, uint64_t now_ns, uint32_t *dropped)
{
    bucket_refill(b, now_ns);
    if (b->tokens == 0) {
        if (b->dropped < UINT32_MAX) {
            b->dropped++;
        }
        return false;
    }
    b->tokens--;
    *dropped = b->dropped;
    b->dropped = 0;
    return true;
}

/* Indexed by enum evt_kind: the kind= strings the limiter knows. */
static const char *const kind_names[EVT_KIND_COUNT] = {
    [EVT_KIND_START] = "start",
    [EVT_KIND_STOP] = "stop",
    [EVT_KIND_RESTART] = "restart",
    [EVT_KIND_RESTART_LIMIT] = "restart_limit",
    [EVT_KIND_REFUSED] = "refused",
    [EVT_KIND_CONFIG_ERROR] = "config_error",
    [EVT_KIND_PAUSE] = "pause",
    [EVT_KIND_RESUME] = "resume",
    [EVT_KIND_S2_FAULT] = "s2_fault",
    [EVT_KIND_SERROR] = "serror",
    [EVT_KIND_FAULT_LOOP] = "fault_loop",
    [EVT_KIND_TRAP_UNDEF] = "trap_undef",
    [EVT_KIND_SYSREG_DENY] = "sysreg_deny",
    [EVT_KIND_MMIO_DENY] = "mmio_deny",
    [EVT_KIND_MMIO_NOTICE] = "mmio_notice",
    [EVT_KIND_VGIC_DENY] = "vgic_deny",
    [EVT_KIND_HVC_UNKNOWN] = "hvc_unknown",
    [EVT_KIND_SMC_UNKNOWN] = "smc_unknown",
    [EVT_KIND_IPC_DENY] = "ipc_deny",
    [EVT_KIND_IPC_RATE] = "ipc_rate",
    [EVT_KIND_MGMT] = "mgmt",
    [EVT_KIND_MGMT_DENY] = "mgmt_deny",
    [EVT_KIND_SMC_DENY] = "smc_deny",
    [EVT_KIND_OTHER] = "other",
};

enum evt_kind evt_kind_of(const char *kind)
{
    for (unsigned k = 0; k < EVT_KIND_OTHER; k++) {
        if (strcmp(kind, kind_names[k]) == 0) {
            return (enum evt_kind)k;
        }
    }
    return EVT_KIND_OTHER;
}

const char *evt_kind_name(enum evt_kind k)
{
    return k < EVT_KIND_COUNT ? kind_names[k] : kind_names[EVT_KIND_OTHER];
}

void evt_limiter_init(struct evt_limiter *l, uint64_t now_ns)
{
    for (unsigned k = 0; k < EVT_KIND_COUNT; k++) {
        evt_bucket_init(&l->kind[k], now_ns);
    }
}

bool evt_limiter_take(struct evt_limiter *l, enum evt_kind k, bool always, uint64_t now_ns,
                      uint32_t *dropped)
{
    struct evt_bucket *b = &l->kind[k < EVT_KIND_COUNT ? k : EVT_KIND_OTHER];

    if (always || evt_kind_is_lifecycle(k)) {
        /* Never dropped: a token if there is one (so a flood that follows is still limited),
         * and the earlier drops of this kind reported now. */
        bucket_refill(b, now_ns);
        if (b->tokens) {
            b->tokens--;
        }
        *dropped = b->dropped;
        b->dropped = 0;
        return true;
    }
    return evt_bucket_take(b, now_ns, dropped);
}

bool evt_limiter_next_drop(struct evt_limiter *l, uint64_t now_ns, bool force,
                           enum evt_kind *k, uint32_t *count)
{
    for (unsigned i = 0; i < EVT_KIND_COUNT; i++) {
        struct evt_bucket *b = &l->kind[i];
        if (b->dropped == 0) {
            continue;
        }
        bucket_refill(b, now_ns);
        if (!force && b->tokens == 0) {
            continue;
        }
        if (b->tokens) {
            b->tokens--;
        }
        *k = (enum evt_kind)i;
        *count = b->dropped;
        b->dropped = 0;
        return true;
    }
    return false;
}

static void copy_cut(char *dst, const char *src, size_t cap)
{
    size_t n = strnlen(src, cap - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

void evt_ring_push(struct evt_ring *r, uint64_t now_ns, uint32_t vm, const char *kind,
                   const char *text)
{
    struct evt_record *rec = &r->rec[r->next_seq % EVT_RING_SIZE];

    rec->seq = r->next_seq++;
    rec->time_ns = now_ns;
    rec->vm = vm;
    copy_cut(rec->kind, kind, sizeof(rec->kind));
    copy_cut(rec->text, text, sizeof(rec->text));
}

const struct evt_record *evt_ring_get(const struct evt_ring *r, uint64_t seq)
{
    if (seq >= r->next_seq || r->next_seq - seq > EVT_RING_SIZE) {
        return NULL;
    }
    return &r->rec[seq % EVT_RING_SIZE];
}

bool evt_ring_read(const struct evt_ring *r, uint64_t *cursor, struct evt_record *out,
                   uint64_t *missed)
{
    uint64_t oldest = r->next_seq > EVT_RING_SIZE ? r->next_seq - EVT_RING_SIZE : 0;

    if (*cursor < oldest) {
        *missed += oldest - *cursor;
        *cursor = oldest;
    }
    if (*cursor >= r->next_seq) {
        return false;
    }
    *out = r->rec[*cursor % EVT_RING_SIZE];
    (*cursor)++;
    return true;
}

int evt_vformat(char *buf, size_t n, const char *vm, const char *kind, const char *fmt,
                va_list ap)
{
    int len = bh_snprintf(buf, n, "EVT vm=%s kind=%s", vm, kind);

    if (len < 0 || (size_t)len + 1 >= n) {
        return len;
    }
    int extra = bh_vsnprintf(buf + len + 1, n - (size_t)len - 1, fmt, ap);
    if (extra > 0) {
        buf[len] = ' ';
        len += 1 + extra;
    }
    return len;
}

int evt_format(char *buf, size_t n, const char *vm, const char *kind, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int len = evt_vformat(buf, n, vm, kind, fmt, ap);
    va_end(ap);
    return len;
}
