// SPDX-License-Identifier: MIT
/*
 * Event record formatting, per-VM rate limiting (token bucket) and the in-memory ring. Portable:
 * the time source and the console are passed in by the caller (core/vm/vm.c), so all of this is
 * unit-tested on the host.
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

bool evt_bucket_take(struct evt_bucket *b, uint64_t now_ns, uint32_t *dropped)
{
    if (now_ns > b->last_ns) {
        uint64_t add = (now_ns - b->last_ns) / EVT_REFILL_NS;
        if (add) {
            uint64_t t = b->tokens + add;
            b->tokens = t > EVT_BURST ? EVT_BURST : (uint32_t)t;
            b->last_ns += add * EVT_REFILL_NS;
        }
    }
    if (b->tokens == 0) {
        b->dropped++;
        return false;
    }
    b->tokens--;
    *dropped = b->dropped;
    b->dropped = 0;
    return true;
}

void evt_ring_push(struct evt_ring *r, uint64_t now_ns, const char *line)
{
    struct evt_record *rec = &r->rec[r->next_seq % EVT_RING_SIZE];

    rec->seq = r->next_seq++;
    rec->time_ns = now_ns;
    size_t n = strnlen(line, EVT_LINE_MAX - 1);
    memcpy(rec->line, line, n);
    rec->line[n] = '\0';
}

const struct evt_record *evt_ring_get(const struct evt_ring *r, uint64_t seq)
{
    if (seq >= r->next_seq || r->next_seq - seq > EVT_RING_SIZE) {
        return NULL;
    }
    return &r->rec[seq % EVT_RING_SIZE];
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
