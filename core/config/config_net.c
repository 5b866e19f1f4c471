// SPDX-License-Identifier: MIT
/*
 * bulkhead,net-segment channels: an L2 segment whose members each get a virtio-net device
 * (core/dev/vnet.c), and the per-member policy the switch applies (reach, rate limits). A
 * problem makes the segment invalid and never a VM, like every channel. Schema: docs/CONFIG.md
 * "Channels"; what the guest sees: docs/NETWORK.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/fmt.h>
#include <lib/range.h>
#include <lib/string.h>

#define CELL_BYTES       4
#define NET_MEMBERS_MIN  2
#define NET_MEMBERS_MAX  8
#define SHOWN_NAME_MAX   (CFG_NAME_MAX + 4)
#define MAC_MULTICAST    0x01u /* I/G bit of the first octet (IEEE 802-2014, 8.2) */
/* Default MAC 02:42:ac:SS:00:VV: locally administered (0x02), SS = channel ID, VV = VM. */
#define MAC_DEFAULT_0    0x02u
#define MAC_DEFAULT_1    0x42u
#define MAC_DEFAULT_2    0xacu

typedef unsigned long long ull;

_Static_assert(CFG_MAX_VMS <= 8, "cfg_chan.net_members and cfg_net_member.reach are 8-bit masks");
_Static_assert(CFG_MAX_CHANS <= 256, "the default MAC holds the channel ID in one octet");

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
 * A list of VM names (one or more non-empty strings) into a VM-index mask. Every bad name is
 * reported; returns false after any problem. Names must be in `allowed` (a mask) when it is
 * not 0xff, reported with `not_allowed`; `self` (-1: none) may not be named.
 */
static bool read_names(struct cfg_ctx *c, struct cfg_chan *ch, const char *path,
                       const char *prop, const void *val, int len, uint8_t allowed, int self,
                       uint8_t *out)
{
    const char *s = val;
    char shown[SHOWN_NAME_MAX + 1];
    uint8_t seen = 0;
    bool ok = true;

    if (len <= 1 || s[len - 1] != '\0' || s[0] == '\0') {
        cfg_error(c, &ch->valid, path, prop, "must be a list of VM names");
        return false;
    }
    for (int off = 0; off < len; off += (int)strlen(s + off) + 1) {
        const char *name = s + off;
        int v = vm_index(c->out, name);

        if (name[0] == '\0') {
            cfg_error(c, &ch->valid, path, prop, "must not contain an empty string");
        } else if (v < 0) {
            cfg_error(c, &ch->valid, path, prop, "no VM named '%s'",
                      cfg_clip(name, shown, sizeof(shown)));
        } else if (seen & (1u << v)) {
            cfg_error(c, &ch->valid, path, prop, "VM '%s' is listed twice", name);
        } else if (v == self) {
            cfg_error(c, &ch->valid, path, prop, "a member cannot name itself");
        } else if (allowed != 0xffu && !(allowed & (1u << v))) {
            cfg_error(c, &ch->valid, path, prop, "VM '%s' is not a member of the segment",
                      name);
        } else {
            seen |= (uint8_t)(1u << v);
            continue;
        }
        ok = false;
    }
    *out = seen;
    return ok;
}

static void parse_members(struct cfg_ctx *c, struct cfg_chan *ch, int node, const char *path)
{
    int len;
    const void *val = fdt_getprop(c->fdt, node, "members", &len);
    uint8_t mask = 0;

    if (val == NULL) {
        cfg_error(c, &ch->valid, path, "members", "missing required property");
        return;
    }
    if (!read_names(c, ch, path, "members", val, len, 0xffu, -1, &mask)) {
        return;
    }
    unsigned n = (unsigned)__builtin_popcount(mask);
    if (n < NET_MEMBERS_MIN || n > NET_MEMBERS_MAX) {
        cfg_error(c, &ch->valid, path, "members", "names %u VMs (a segment has %d..%d)", n,
                  NET_MEMBERS_MIN, NET_MEMBERS_MAX);
        return;
    }
    ch->net_members = mask;
}

static void parse_mac(struct cfg_ctx *c, struct cfg_chan *ch, const char *path, int v,
                      const void *val, int len)
{
    const uint8_t *m = val;

    if (len != CFG_NET_MAC_LEN) {
        cfg_error(c, &ch->valid, path, "mac", "expected %d bytes, got %d", CFG_NET_MAC_LEN,
                  len);
    } else if (m[0] & MAC_MULTICAST) {
        cfg_error(c, &ch->valid, path, "mac",
                  "%02x:%02x:%02x:%02x:%02x:%02x is a multicast address", m[0], m[1], m[2],
                  m[3], m[4], m[5]);
    } else {
        memcpy(ch->net[v].mac, m, CFG_NET_MAC_LEN);
    }
}

/* rate-limit-pps, rate-limit-bps: one cell, at least 1. */
static void parse_rate(struct cfg_ctx *c, struct cfg_chan *ch, const char *path,
                       const char *prop, const void *val, int len, uint32_t *out)
{
    if (!cfg_check_cells(c, &ch->valid, path, prop, val, len, "one <u32> cell")) {
        return;
    }
    if (len != CELL_BYTES) {
        cfg_error(c, &ch->valid, path, prop, "expected 1 cell, got %d bytes", len);
        return;
    }
    uint32_t r = fdt32_ld(val);
    if (r == 0) {
        cfg_error(c, &ch->valid, path, prop, "must not be 0 (leave it out for no limit)");
        return;
    }
    *out = r;
}

static void parse_intid(struct cfg_ctx *c, struct cfg_chan *ch, const char *path,
                        const void *val, int len, uint32_t *out)
{
    if (!cfg_check_cells(c, &ch->valid, path, "intid", val, len, "one <u32> cell")) {
        return;
    }
    if (len != CELL_BYTES) {
        cfg_error(c, &ch->valid, path, "intid", "expected 1 cell, got %d bytes", len);
        return;
    }
    uint32_t intid = fdt32_ld(val);
    if (intid < CFG_SPI_FIRST || intid > VPLAT_SPI_LAST) {
        cfg_error(c, &ch->valid, path, "intid", "INTID %u is not a virtual SPI (%d..%d)", intid,
                  CFG_SPI_FIRST, VPLAT_SPI_LAST);
    } else if (intid == VPLAT_UART_INTID) {
        cfg_error(c, &ch->valid, path, "intid", "INTID %u is the virtual UART's interrupt",
                  intid);
    } else {
        *out = intid;
    }
}

/* The child node of member v (its policy). */
static void parse_member_node(struct cfg_ctx *c, struct cfg_chan *ch, int node,
                              const char *path, int v)
{
    static const char *const known[] = { "mac", "reach", "rate-limit-pps", "rate-limit-bps",
                                         "intid", NULL };
    struct cfg_net_member *m = &ch->net[v];
    int len, child;
    const void *val;

    if ((val = fdt_getprop(c->fdt, node, "mac", &len)) != NULL) {
        parse_mac(c, ch, path, v, val, len);
    }
    if ((val = fdt_getprop(c->fdt, node, "reach", &len)) != NULL) {
        uint8_t reach = 0;
        if (read_names(c, ch, path, "reach", val, len, ch->net_members, v, &reach)) {
            m->reach = reach;
        }
    }
    if ((val = fdt_getprop(c->fdt, node, "rate-limit-pps", &len)) != NULL) {
        parse_rate(c, ch, path, "rate-limit-pps", val, len, &m->rate_pps);
    }
    if ((val = fdt_getprop(c->fdt, node, "rate-limit-bps", &len)) != NULL) {
        parse_rate(c, ch, path, "rate-limit-bps", val, len, &m->rate_bps);
    }
    if ((val = fdt_getprop(c->fdt, node, "intid", &len)) != NULL) {
        parse_intid(c, ch, path, val, len, &m->intid);
    }
    cfg_check_unknown_props(c, &ch->valid, node, path, known);
    fdt_for_each_subnode(child, c->fdt, node) {
        cfg_error(c, &ch->valid, path, CFG_NODE_PROP, "unknown child node");
    }
}

/* Defaults first, so a member node only overrides what it names. */
static void set_defaults(struct cfg_chan *ch, uint32_t id)
{
    for (uint32_t v = 0; v < CFG_MAX_VMS; v++) {
        if (!(ch->net_members & (1u << v))) {
            continue;
        }
        struct cfg_net_member *m = &ch->net[v];
        const uint8_t mac[CFG_NET_MAC_LEN] = { MAC_DEFAULT_0, MAC_DEFAULT_1, MAC_DEFAULT_2,
                                               (uint8_t)id, 0, (uint8_t)v };
        memcpy(m->mac, mac, sizeof(mac));
        m->reach = (uint8_t)(ch->net_members & ~(1u << v));
    }
}

static void check_macs(struct cfg_ctx *c, struct cfg_chan *ch, const char *path)
{
    for (uint32_t v = 0; v < CFG_MAX_VMS; v++) {
        for (uint32_t w = 0; w < v; w++) {
            uint8_t both = (uint8_t)((1u << v) | (1u << w));
            const uint8_t *m = ch->net[v].mac;
            if ((ch->net_members & both) == both &&
                memcmp(m, ch->net[w].mac, CFG_NET_MAC_LEN) == 0) {
                char mpath[CFG_PATH_MAX];
                bh_snprintf(mpath, sizeof(mpath), "%s/%s", path, c->out->vms[v].name);
                cfg_error(c, &ch->valid, mpath, "mac",
                          "%02x:%02x:%02x:%02x:%02x:%02x is also the address of '%s'", m[0],
                          m[1], m[2], m[3], m[4], m[5], c->out->vms[w].name);
            }
        }
    }
}

void cfg_parse_net(struct cfg_ctx *c, struct cfg_chan *ch, int node, const char *path)
{
    static const char *const known[] = { "compatible", "members", NULL };
    uint32_t id = (uint32_t)(ch - c->out->chans);
    int child;

    parse_members(c, ch, node, path);
    set_defaults(ch, id);
    cfg_check_unknown_props(c, &ch->valid, node, path, known);
    fdt_for_each_subnode(child, c->fdt, node) {
        const char *name = fdt_get_name(c->fdt, child, NULL);
        char cpath[CFG_PATH_MAX], shown[SHOWN_NAME_MAX + 1];
        int v;

        name = name != NULL ? name : "?";
        bh_snprintf(cpath, sizeof(cpath), "%s/%s", path, cfg_clip(name, shown, sizeof(shown)));
        v = vm_index(c->out, name);
        if (v < 0) {
            cfg_error(c, &ch->valid, cpath, CFG_NODE_PROP, "no VM named '%s'", shown);
        } else if (!(ch->net_members & (1u << v))) {
            /* Also when members was bad: its problem is reported already, and this one is
             * still true of the names given. */
            cfg_error(c, &ch->valid, cpath, CFG_NODE_PROP,
                      "VM '%s' is not a member of the segment", shown);
        } else {
            parse_member_node(c, ch, child, cpath, v);
        }
    }
    check_macs(c, ch, path);
}

/* ------------------------------------------------------------------ against the VMs */

/* Segments VM v is already a member of: the valid net channels before ch. */
static uint32_t slots_before(const struct cfg_scenario *sc, const struct cfg_chan *ch,
                             uint32_t v)
{
    uint32_t n = 0;

    for (const struct cfg_chan *o = sc->chans; o < ch; o++) {
        n += o->valid && o->type == CFG_CHAN_NET && (o->net_members & (1u << v));
    }
    return n;
}

static void check_window(struct cfg_ctx *c, struct cfg_chan *ch, const char *mpath,
                         const struct cfg_vm *vm, uint64_t ipa)
{
    if (cfg_overlap(ipa, VPLAT_NET_STRIDE, vm->mem_ipa, vm->mem_size)) {
        cfg_error(c, &ch->valid, mpath, CFG_NODE_PROP,
                  "network device 0x%llx+0x%llx overlaps the RAM of VM '%s' at 0x%llx",
                  (ull)ipa, (ull)VPLAT_NET_STRIDE, vm->name, (ull)vm->mem_ipa);
    }
    for (uint32_t d = 0; d < vm->dev_count; d++) {
        const struct cfg_dev *dev = &vm->devs[d];
        if (cfg_overlap(ipa, VPLAT_NET_STRIDE, dev->ipa, dev->size)) {
            cfg_error(c, &ch->valid, mpath, CFG_NODE_PROP,
                      "network device 0x%llx overlaps passthrough device '%s' of VM '%s'",
                      (ull)ipa, dev->name, vm->name);
        }
    }
}

void cfg_check_net(struct cfg_ctx *c, struct cfg_chan *ch, const char *path)
{
    const struct cfg_scenario *sc = c->out;
    char mpath[CFG_PATH_MAX];

    for (uint32_t v = 0; v < sc->vm_count && v < CFG_MAX_VMS; v++) {
        const struct cfg_vm *vm = &sc->vms[v];
        if (!(ch->net_members & (1u << v)) || !vm->valid) {
            continue; /* a VM that never starts blocks nobody */
        }
        uint32_t k = slots_before(sc, ch, v);
        bh_snprintf(mpath, sizeof(mpath), "%s/%s", path, vm->name);
        if (k >= VPLAT_NET_MAX) {
            cfg_error(c, &ch->valid, path, "members",
                      "VM '%s' would be a member of more than %d segments", vm->name,
                      VPLAT_NET_MAX);
            continue;
        }
        ch->net[v].slot = (uint8_t)k;
        if (ch->net[v].intid == 0) {
            ch->net[v].intid = VPLAT_NET_INTID + k;
        }
        check_window(c, ch, mpath, vm, VPLAT_NET_IPA + k * VPLAT_NET_STRIDE);
    }
}
