// SPDX-License-Identifier: MIT
/*
 * The /channels node of a scenario: inter-VM communication objects (shared memory, doorbells,
 * semaphores, mutexes, message queues) and who may use them. Anything a scenario does not
 * declare here is denied at run time, so this file is the whole IPC policy. It runs after the
 * VMs are final; a problem makes that channel invalid (its slot, and so every object ID, is
 * kept) and never a VM. Schema: docs/CONFIG.md "Channels".
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/fmt.h>
#include <lib/string.h>

#define CELL_BYTES     4
#define KEYWORD_MAX    24 /* compatible and access values, NUL included */
#define ASCII_FIRST_PRINTABLE 0x20
#define ASCII_LAST_PRINTABLE  0x7e
#define SHOWN_NAME_MAX (CFG_NAME_MAX + 4) /* a VM name in a message, "..." when cut */

typedef unsigned long long ull; /* what %llx takes, whatever uint64_t is */

_Static_assert(CFG_MAX_VMS <= 32, "read_vm_list keeps the VMs it has seen in a 32-bit mask");
_Static_assert(CFG_RIGHT_LOCK <= UINT8_MAX, "cfg_chan.rights holds every CFG_RIGHT_* bit");

/* One channel being parsed. */
struct chan_parse {
    struct cfg_ctx *c;
    struct cfg_chan *ch;
    uint32_t id;
    int node;
    char path[CFG_PATH_MAX];
};

typedef void chan_prop_fn(struct chan_parse *p, const char *prop, const void *val, int len);

struct chan_prop {
    const char *name;
    bool required;
    chan_prop_fn *parse;
};

/* A problem with a property of the channel node itself: the channel becomes invalid. */
#define chan_error(p, prop, ...)                                                             \
    do {                                                                                     \
        cfg_error((p)->c, &(p)->ch->valid, (p)->path, (prop), __VA_ARGS__);                  \
    } while (0)

/* ------------------------------------------------------------------ value readers */

/* Like cfg_read_*, but the problem invalidates the channel, not a VM. */
static bool read_u32(struct chan_parse *p, const char *prop, const void *val, int len,
                     uint32_t *out)
{
    if (!cfg_check_cells(p->c, &p->ch->valid, p->path, prop, val, len, "one <u32> cell")) {
        return false;
    }
    if (len != CELL_BYTES) {
        chan_error(p, prop, "expected 1 cell, got %d bytes", len);
        return false;
    }
    *out = fdt32_ld(val);
    return true;
}

/*
 * s made fit for an error line: at most cap - 1 characters (a VM name, "..." when cut),
 * non-printable characters shown as '?'. lib/fmt has no precision ("%.*s").
 */
const char *cfg_clip(const char *s, char *buf, size_t cap)
{
    size_t n = strnlen(s, cap);

    for (size_t i = 0; i < n && i < cap - 1; i++) {
        bool printable = s[i] >= ASCII_FIRST_PRINTABLE && s[i] <= ASCII_LAST_PRINTABLE;
        buf[i] = printable ? s[i] : '?';
    }
    buf[n < cap ? n : cap - 1] = '\0';
    if (n == cap) {
        memcpy(&buf[cap - 4], "...", 4);
    }
    return buf;
}

/* A single keyword string (compatible, access): at most cap - 1 characters. */
static bool read_keyword(struct chan_parse *p, const char *path, const char *prop,
                         const void *val, int len, char *dst, size_t cap)
{
    const char *s = val;

    if (len <= 1 || s[len - 1] != '\0' || strnlen(s, (size_t)len) != (size_t)len - 1) {
        cfg_error(p->c, &p->ch->valid, path, prop, "must be a single non-empty string");
        return false;
    }
    for (const char *q = s; *q != '\0'; q++) {
        if (*q < ASCII_FIRST_PRINTABLE || *q > ASCII_LAST_PRINTABLE) {
            cfg_error(p->c, &p->ch->valid, path, prop, "contains a non-printable character");
            return false;
        }
    }
    if ((size_t)len > cap) {
        char shown[KEYWORD_MAX];
        cfg_error(p->c, &p->ch->valid, path, prop, "unknown value '%s'",
                  cfg_clip(s, shown, sizeof(shown)));
        return false;
    }
    memcpy(dst, s, (size_t)len);
    return true;
}

/* Index of the VM named name (NUL-terminated, any length), or -1. */
static int vm_index(const struct cfg_scenario *sc, const char *name)
{
    if (strlen(name) > CFG_NAME_MAX) {
        return -1;
    }
    const struct cfg_vm *vm = cfg_find_vm(sc, name);
    return vm != NULL ? (int)(vm - sc->vms) : -1;
}

/*
 * A list of VM names (one or more non-empty strings, at most max_names when non-zero): each
 * named VM gets `right`. Returns false after reporting a problem.
 */
static bool read_vm_list(struct chan_parse *p, const char *prop, const void *val, int len,
                         uint8_t right, uint32_t max_names)
{
    const char *s = val;
    uint32_t seen = 0, count = 0;
    char shown[SHOWN_NAME_MAX + 1];

    bool ok = true;

    if (len <= 1 || s[len - 1] != '\0' || s[0] == '\0') {
        chan_error(p, prop, "must be a list of VM names");
        return false;
    }
    /* Every bad name is reported, not only the first; no right is given if one is bad. */
    for (int off = 0; off < len; off += (int)strlen(s + off) + 1) {
        const char *name = s + off;
        int v = vm_index(p->c->out, name);

        if (name[0] == '\0') {
            chan_error(p, prop, "must not contain an empty string");
            ok = false;
        } else if (max_names != 0 && ++count > max_names) {
            chan_error(p, prop, "names more than %u VM", max_names);
            return false;
        } else if (v < 0) {
            chan_error(p, prop, "no VM named '%s'", cfg_clip(name, shown, sizeof(shown)));
            ok = false;
        } else if (seen & (1u << v)) {
            chan_error(p, prop, "VM '%s' is listed twice", name);
            ok = false;
        } else {
            seen |= 1u << v;
        }
    }
    if (!ok) {
        return false;
    }
    for (uint32_t v = 0; v < CFG_MAX_VMS; v++) {
        if (seen & (1u << v)) {
            p->ch->rights[v] |= right;
        }
    }
    return true;
}

/* A virtual SPI an object raises: its own range check (per-VM checks come later). */
static void read_intid(struct chan_parse *p, const char *prop, const void *val, int len,
                       uint32_t *out)
{
    uint32_t intid;

    if (!read_u32(p, prop, val, len, &intid)) {
        return;
    }
    if (intid < CFG_SPI_FIRST || intid > VPLAT_SPI_LAST) {
        chan_error(p, prop, "INTID %u is not a virtual SPI (%d..%d)", intid, CFG_SPI_FIRST,
                   VPLAT_SPI_LAST);
    } else if (intid == VPLAT_UART_INTID) {
        chan_error(p, prop, "INTID %u is the virtual UART's interrupt", intid);
    } else {
        *out = intid;
    }
}

/* A count property in [lo, hi]. */
static void read_count(struct chan_parse *p, const char *prop, const void *val, int len,
                       uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint32_t n;

    if (!read_u32(p, prop, val, len, &n)) {
        return;
    }
    if (n < lo || n > hi) {
        chan_error(p, prop, "%u is out of range (%u..%u)", n, lo, hi);
        return;
    }
    *out = n;
}

/* ------------------------------------------------------------------ properties per type */

static void parse_shm_size(struct chan_parse *p, const char *prop, const void *val, int len)
{
    uint64_t size;

    if (!cfg_read_u64(p->c, &p->ch->valid, p->path, prop, val, len, &size)) {
        return;
    }
    if (size == 0) {
        chan_error(p, prop, "must not be 0");
    } else if (size % CFG_PAGE_SIZE != 0) {
        chan_error(p, prop, "0x%llx is not a multiple of 4 KiB", (ull)size);
    } else if (size > CFG_SHMEM_MAX) {
        chan_error(p, prop, "0x%llx is over the 64 MiB limit", (ull)size);
    } else {
        p->ch->shm_size = size;
    }
}

static void parse_db_from(struct chan_parse *p, const char *prop, const void *val, int len)
{
    (void)read_vm_list(p, prop, val, len, CFG_RIGHT_SEND, 0);
}

static void parse_db_to(struct chan_parse *p, const char *prop, const void *val, int len)
{
    if (read_vm_list(p, prop, val, len, CFG_RIGHT_RECV, 1)) {
        for (uint32_t v = 0; v < CFG_MAX_VMS; v++) {
            if (p->ch->rights[v] & CFG_RIGHT_RECV) {
                p->ch->to_vm = v;
            }
        }
    }
}

static void parse_db_intid(struct chan_parse *p, const char *prop, const void *val, int len)
{
    read_intid(p, prop, val, len, &p->ch->intid);
}

/* rate-limit = <count period-us>: a token bucket of count rings, refilled over period-us. */
static void parse_db_rate(struct chan_parse *p, const char *prop, const void *val, int len)
{
    uint32_t count, period_us;

    if (len != 2 * CELL_BYTES) {
        chan_error(p, prop, "expected 2 cells <count period-us>, got %d bytes", len);
        return;
    }
    count = fdt32_ld(val);
    period_us = fdt32_ld((const fdt32_t *)val + 1);
    if (count < 1 || count > CFG_RATE_COUNT_MAX) {
        chan_error(p, prop, "count %u is out of range (1..%u)", count, CFG_RATE_COUNT_MAX);
        return;
    }
    if (period_us < 1 || period_us > CFG_RATE_PERIOD_US_MAX) {
        chan_error(p, prop, "period %u us is out of range (1..%u)", period_us,
                   CFG_RATE_PERIOD_US_MAX);
        return;
    }
    p->ch->rate_count = count;
    p->ch->rate_period_us = period_us;
}

static void parse_sem_initial(struct chan_parse *p, const char *prop, const void *val, int len)
{
    read_count(p, prop, val, len, 0, CFG_SEM_MAX, &p->ch->sem_initial);
}

static void parse_sem_max(struct chan_parse *p, const char *prop, const void *val, int len)
{
    read_count(p, prop, val, len, 1, CFG_SEM_MAX, &p->ch->sem_max);
}

static void parse_sem_members(struct chan_parse *p, const char *prop, const void *val, int len)
{
    (void)read_vm_list(p, prop, val, len, CFG_RIGHT_WAIT | CFG_RIGHT_POST, 0);
}

static void parse_mutex_members(struct chan_parse *p, const char *prop, const void *val,
                                int len)
{
    (void)read_vm_list(p, prop, val, len, CFG_RIGHT_LOCK, 0);
}

static void parse_q_depth(struct chan_parse *p, const char *prop, const void *val, int len)
{
    read_count(p, prop, val, len, 1, CFG_MSGQ_DEPTH_MAX, &p->ch->depth);
}

static void parse_q_msg_size(struct chan_parse *p, const char *prop, const void *val, int len)
{
    read_count(p, prop, val, len, 1, CFG_MSGQ_MSG_MAX, &p->ch->msg_size);
}

static void parse_q_senders(struct chan_parse *p, const char *prop, const void *val, int len)
{
    (void)read_vm_list(p, prop, val, len, CFG_RIGHT_SEND, 0);
}

static void parse_q_receivers(struct chan_parse *p, const char *prop, const void *val, int len)
{
    (void)read_vm_list(p, prop, val, len, CFG_RIGHT_RECV, 0);
}

static void parse_q_rx_intid(struct chan_parse *p, const char *prop, const void *val, int len)
{
    read_intid(p, prop, val, len, &p->ch->rx_intid);
}

static void parse_q_tx_intid(struct chan_parse *p, const char *prop, const void *val, int len)
{
    read_intid(p, prop, val, len, &p->ch->tx_intid);
}

#define PROPS_MAX 7 /* longest table below, compatible included */

static const struct chan_prop shmem_props[] = {
    { "size", true, parse_shm_size },
    { NULL, false, NULL },
};
static const struct chan_prop doorbell_props[] = {
    { "from", true, parse_db_from },
    { "to", true, parse_db_to },
    { "intid", true, parse_db_intid },
    { "rate-limit", false, parse_db_rate },
    { NULL, false, NULL },
};
static const struct chan_prop sem_props[] = {
    { "initial", false, parse_sem_initial },
    { "max", true, parse_sem_max },
    { "members", true, parse_sem_members },
    { NULL, false, NULL },
};
static const struct chan_prop mutex_props[] = {
    { "members", true, parse_mutex_members },
    { NULL, false, NULL },
};
static const struct chan_prop msgq_props[] = {
    { "depth", true, parse_q_depth },
    { "msg-size", true, parse_q_msg_size },
    { "senders", true, parse_q_senders },
    { "receivers", true, parse_q_receivers },
    { "rx-intid", false, parse_q_rx_intid },
    { "tx-intid", false, parse_q_tx_intid },
    { NULL, false, NULL },
};

_Static_assert(sizeof(msgq_props) / sizeof(msgq_props[0]) <= PROPS_MAX,
               "parse_props' known[] must hold the longest table, compatible and NULL");

static const struct chan_type {
    const char *compat;
    const char *name;
    const struct chan_prop *props;
} chan_types[CFG_CHAN_TYPE_COUNT] = {
    [CFG_CHAN_SHMEM] = { "bulkhead,shmem", "shmem", shmem_props },
    [CFG_CHAN_DOORBELL] = { "bulkhead,doorbell", "doorbell", doorbell_props },
    [CFG_CHAN_SEM] = { "bulkhead,semaphore", "semaphore", sem_props },
    [CFG_CHAN_MUTEX] = { "bulkhead,mutex", "mutex", mutex_props },
    [CFG_CHAN_MSGQ] = { "bulkhead,msgq", "msgq", msgq_props },
    /* Members and their child nodes: config_net.c. */
    [CFG_CHAN_NET] = { "bulkhead,net-segment", "net-segment", NULL },
};

const char *cfg_chan_type_name(enum cfg_chan_type type)
{
    return (unsigned)type < CFG_CHAN_TYPE_COUNT ? chan_types[type].name : "?";
}

/* Every child of node (at path) is unknown. */
static void report_children(struct chan_parse *p, int node, const char *path)
{
    int child;

    fdt_for_each_subnode(child, p->c->fdt, node) {
        char cpath[CFG_PATH_MAX];
        const char *name = fdt_get_name(p->c->fdt, child, NULL);
        bh_snprintf(cpath, sizeof(cpath), "%s/%s", path, name != NULL ? name : "?");
        cfg_error(p->c, &p->ch->valid, cpath, CFG_NODE_PROP, "unknown child node");
    }
}

/* ------------------------------------------------------------------ shared-memory members */

static void parse_shm_member(struct chan_parse *p, int node, const char *name)
{
    static const char *const known[] = { "ipa", "access", NULL };
    char path[CFG_PATH_MAX], access[KEYWORD_MAX], shown[SHOWN_NAME_MAX + 1];
    int v = vm_index(p->c->out, name);
    int len;
    const void *ipa = fdt_getprop(p->c->fdt, node, "ipa", &len);

    bh_snprintf(path, sizeof(path), "%s/%s", p->path, name);
    if (v < 0) {
        cfg_error(p->c, &p->ch->valid, path, CFG_NODE_PROP, "no VM named '%s'",
                  cfg_clip(name, shown, sizeof(shown)));
        return;
    }
    if (ipa == NULL) {
        cfg_error(p->c, &p->ch->valid, path, "ipa", "missing required property");
    } else if (cfg_read_u64(p->c, &p->ch->valid, path, "ipa", ipa, len, &p->ch->shm_ipa[v]) &&
               p->ch->shm_ipa[v] % CFG_PAGE_SIZE != 0) {
        cfg_error(p->c, &p->ch->valid, path, "ipa", "0x%llx is not 4 KiB aligned",
                  (ull)p->ch->shm_ipa[v]);
    }
    const void *acc = fdt_getprop(p->c->fdt, node, "access", &len);
    if (acc == NULL) {
        cfg_error(p->c, &p->ch->valid, path, "access", "missing required property");
    } else if (read_keyword(p, path, "access", acc, len, access, sizeof(access))) {
        if (strcmp(access, "rw") == 0) {
            p->ch->rights[v] = CFG_RIGHT_READ | CFG_RIGHT_WRITE;
        } else if (strcmp(access, "ro") == 0) {
            p->ch->rights[v] = CFG_RIGHT_READ;
        } else {
            cfg_error(p->c, &p->ch->valid, path, "access", "unknown access '%s' (rw, ro)",
                      access);
        }
    }
    cfg_check_unknown_props(p->c, &p->ch->valid, node, path, known);
    report_children(p, node, path);
}

/* Children of a channel: one per member for shared memory, none for the other types. */
static void parse_children(struct chan_parse *p)
{
    uint32_t members = 0;
    int child;

    if (p->ch->type != CFG_CHAN_SHMEM) {
        report_children(p, p->node, p->path);
        return;
    }
    fdt_for_each_subnode(child, p->c->fdt, p->node) {
        const char *name = fdt_get_name(p->c->fdt, child, NULL);
        parse_shm_member(p, child, name != NULL ? name : "?");
        members++;
    }
    if (members == 0 && p->ch->valid) {
        chan_error(p, CFG_NODE_PROP, "no member VM (one child node per VM)");
    }
}

/* ------------------------------------------------------------------ one channel node */

static void parse_name(struct chan_parse *p, const char *name, int namelen)
{
    const struct cfg_scenario *sc = p->c->out;
    char shown[CFG_CHAN_NAME_MAX + 1];

    if (namelen > CFG_CHAN_NAME_MAX) {
        chan_error(p, CFG_NODE_PROP, "channel name too long: %d characters (at most %d)",
                   namelen, CFG_CHAN_NAME_MAX);
        return;
    }
    for (int i = 0; i < namelen; i++) {
        if (!cfg_is_name_char(name[i])) {
            chan_error(p, CFG_NODE_PROP,
                       "channel name '%s' has a character other than a-z, 0-9, '_' and '-'",
                       cfg_clip(name, shown, sizeof(shown)));
            return;
        }
    }
    for (uint32_t i = 0; i < p->id; i++) {
        if (strcmp(sc->chans[i].name, name) == 0) {
            chan_error(p, CFG_NODE_PROP, "channel name '%s' is used twice", name);
            return;
        }
    }
    memcpy(p->ch->name, name, (size_t)namelen + 1);
}

/* The compatible: which type, hence which properties are allowed. false when unknown. */
static bool parse_type(struct chan_parse *p)
{
    char compat[KEYWORD_MAX];
    int len;
    const void *val = fdt_getprop(p->c->fdt, p->node, "compatible", &len);

    if (val == NULL) {
        chan_error(p, "compatible", "missing required property");
        return false;
    }
    if (!read_keyword(p, p->path, "compatible", val, len, compat, sizeof(compat))) {
        return false;
    }
    for (int t = 0; t < CFG_CHAN_TYPE_COUNT; t++) {
        if (strcmp(compat, chan_types[t].compat) == 0) {
            p->ch->type = (enum cfg_chan_type)t;
            return true;
        }
    }
    chan_error(p, "compatible",
               "unknown channel type '%s' (bulkhead,shmem, bulkhead,doorbell, "
               "bulkhead,semaphore, bulkhead,mutex, bulkhead,msgq, bulkhead,net-segment)",
               compat);
    return false;
}

static void parse_props(struct chan_parse *p)
{
    const struct chan_prop *props = chan_types[p->ch->type].props;
    const char *known[PROPS_MAX + 1];
    size_t n = 0;

    known[n++] = "compatible";
    for (const struct chan_prop *q = props; q->name != NULL; q++) {
        int len;
        const void *val = fdt_getprop(p->c->fdt, p->node, q->name, &len);

        known[n++] = q->name;
        if (val != NULL) {
            q->parse(p, q->name, val, len);
        } else if (q->required) {
            chan_error(p, q->name, "missing required property");
        }
    }
    known[n] = NULL;
    cfg_check_unknown_props(p->c, &p->ch->valid, p->node, p->path, known);
    if (p->ch->type == CFG_CHAN_SEM && p->ch->valid && p->ch->sem_initial > p->ch->sem_max) {
        chan_error(p, "initial", "%u is greater than max (%u)", p->ch->sem_initial,
                   p->ch->sem_max);
    }
}

static void parse_chan(struct cfg_ctx *c, int node)
{
    struct cfg_scenario *sc = c->out;
    int namelen;
    const char *name = fdt_get_name(c->fdt, node, &namelen);
    struct chan_parse p = { .c = c, .node = node, .id = sc->chan_count };

    name = name != NULL ? name : "?";
    bh_snprintf(p.path, sizeof(p.path), "/channels/%s", name);
    if (sc->chan_count == CFG_MAX_CHANS) {
        cfg_error(c, NULL, p.path, CFG_NODE_PROP, "too many channels (at most %d)",
                  CFG_MAX_CHANS);
        return;
    }
    p.ch = &sc->chans[sc->chan_count++];
    p.ch->valid = true;
    parse_name(&p, name, namelen);
    /* A channel with a bad property is still checked against the VMs and the channels
     * before it, so every problem is reported at once (values that failed stay 0: unused). */
    if (!parse_type(&p)) {
        return;
    }
    if (p.ch->type == CFG_CHAN_NET) {
        cfg_parse_net(c, p.ch, p.node, p.path);
    } else {
        parse_props(&p);
        parse_children(&p);
    }
    cfg_check_chan(c, p.id, p.path);
}

void cfg_parse_channels(struct cfg_ctx *c)
{
    static const char *const none[] = { NULL };
    bool ignored = true; /* /channels' own problems block no object */
    int node = fdt_subnode_offset(c->fdt, 0, "channels");
    int child;

    if (node < 0) {
        return;
    }
    cfg_check_unknown_props(c, &ignored, node, "/channels", none);
    fdt_for_each_subnode(child, c->fdt, node) {
        parse_chan(c, child);
    }
}
