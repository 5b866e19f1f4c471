// SPDX-License-Identifier: MIT
/*
 * Management in the scenario (docs/CONFIG.md "Management", docs/MANAGEMENT.md): which VM may
 * observe or control which other VM. There is no all-powerful management VM: a right is
 * granted per target, like a channel, in the manager's node:
 *
 *     vm-mgr { ... management { worker { rights = "observe", "control"; };
 *                               control { rights = "observe"; }; }; };
 *
 * plus the VM properties autostart, manageable and shutdown-timeout-ms. Grants are read after
 * every VM node (a grant may name a later VM) and before the checks between VMs, so that a
 * manager refused for a bad grant blocks nobody. A problem in a grant makes the manager
 * invalid, like any problem inside a VM node.
 */
#include <stdbool.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/fmt.h>
#include <lib/string.h>


void cfg_parse_autostart(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                         const void *val, int len)
{
    (void)cfg_read_bool(c, vm, prop, val, len, &vm->autostart);
}

void cfg_parse_wfi_trap(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                        const void *val, int len)
{
    bool on;

    if (cfg_read_bool(c, vm, prop, val, len, &on)) {
        vm->wfi_trap = on ? CFG_WFI_TRAP_ON : CFG_WFI_TRAP_OFF;
    }
}

void cfg_parse_manageable(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                          const void *val, int len)
{
    (void)cfg_read_bool(c, vm, prop, val, len, &vm->manageable);
}

void cfg_parse_shutdown_timeout(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                                const void *val, int len)
{
    uint32_t ms;

    if (!cfg_read_u32(c, vm, prop, val, len, &ms)) {
        return;
    }
    if (ms == 0 || ms > CFG_SHUTDOWN_TIMEOUT_MS_MAX) {
        cfg_error(c, &vm->valid, vm->path, prop, "%u ms is out of range (1..%u)", ms,
                  CFG_SHUTDOWN_TIMEOUT_MS_MAX);
        return;
    }
    vm->shutdown_timeout_ms = ms;
}

/* The rights string list of one grant: CFG_MANAGE_* bits, or 0 after reporting. */
static uint8_t parse_rights(struct cfg_ctx *c, struct cfg_vm *vm, int node, const char *path)
{
    int len;
    const char *val = fdt_getprop(c->fdt, node, "rights", &len);
    uint8_t rights = 0;

    if (val == NULL) {
        cfg_error(c, &vm->valid, path, "rights", "missing required property");
        return 0;
    }
    if (len <= 0 || val[len - 1] != '\0') {
        cfg_error(c, &vm->valid, path, "rights", "must be a list of strings");
        return 0;
    }
    for (int off = 0; off < len;) {
        const char *s = val + off;
        size_t n = strnlen(s, (size_t)(len - off));
        uint8_t r = strcmp(s, "observe") == 0 ? CFG_MANAGE_OBSERVE :
                    strcmp(s, "control") == 0 ? CFG_MANAGE_CONTROL : 0;
        if (r == 0) {
            cfg_error(c, &vm->valid, path, "rights", "unknown right '%s' (observe, control)",
                      s);
            return 0;
        }
        if (rights & r) {
            cfg_error(c, &vm->valid, path, "rights", "'%s' is listed twice", s);
            return 0;
        }
        rights |= r;
        off += (int)n + 1;
    }
    return rights;
}

/* One child of a manager's management node: the grant on the VM it is named after. */
static void parse_grant(struct cfg_ctx *c, struct cfg_vm *vm, int node)
{
    static const char *const known[] = { "rights", NULL };
    const char *target = fdt_get_name(c->fdt, node, NULL);
    char path[CFG_PATH_MAX];
    const struct cfg_vm *t;

    bh_snprintf(path, sizeof(path), "%s/management/%s", vm->path, target ? target : "?");
    cfg_check_unknown_props(c, &vm->valid, node, path, known);
    if (fdt_first_subnode(c->fdt, node) >= 0) {
        cfg_error(c, &vm->valid, path, CFG_NODE_PROP, "a grant has no child nodes");
    }
    t = target ? cfg_find_vm(c->out, target) : NULL;
    if (t == NULL) {
        cfg_error(c, &vm->valid, path, CFG_NODE_PROP, "no VM named '%s'", target ? target : "");
        return;
    }
    if (t == vm) {
        cfg_error(c, &vm->valid, path, CFG_NODE_PROP, "a VM cannot manage itself");
        return;
    }
    if (!t->manageable) {
        cfg_error(c, &vm->valid, path, CFG_NODE_PROP,
                  "VM '%s' is not manageable (manageable = <0> in %s)", t->name, t->path);
        return;
    }
    /* One node per target: a second grant on the same VM cannot be written (sibling node
     * names are unique; dtc merges two nodes of one name). */
    vm->manage[t - c->out->vms] = parse_rights(c, vm, node, path);
}

void cfg_parse_management(struct cfg_ctx *c, int vms)
{
    uint32_t i = 0;
    int node;

    /* VM nodes in the order cfg_parse stored them (those beyond CFG_MAX_VMS were dropped) */
    fdt_for_each_subnode(node, c->fdt, vms) {
        if (i >= c->out->vm_count) {
            break;
        }
        struct cfg_vm *vm = &c->out->vms[i++];
        int mnode = fdt_subnode_offset(c->fdt, node, "management");
        int child;

        if (mnode < 0) {
            continue;
        }
        char path[CFG_PATH_MAX];
        bh_snprintf(path, sizeof(path), "%s/management", vm->path);
        cfg_check_unknown_props(c, &vm->valid, mnode, path, (const char *const[]){ NULL });
        fdt_for_each_subnode(child, c->fdt, mnode) {
            parse_grant(c, vm, child);
        }
    }
}
