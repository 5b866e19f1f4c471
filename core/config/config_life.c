// SPDX-License-Identifier: MIT
/*
 * Graceful shutdown and failover in the scenario (docs/CONFIG.md "Management",
 * docs/MANAGEMENT.md "Graceful shutdown" and "Failover"):
 *
 *   power-button = <0>;      every VM has a power button (a PL061 line wired to gpio-keys in
 *                            its device tree) unless this says otherwise
 *   standby-for = "srv";     this VM does not start at boot; when `srv` stops for good
 *                            (fault, restart limit, watchdog) it is started in its place
 *
 * A standby takes over its primary's place in the channels because it already holds it: it
 * must be declared a member of every channel its primary is a member of, with the same
 * rights (cfg_check_standby_chans), so its stage 2, its vGIC and its device tree are built
 * with them at boot and nothing is re-wired at the takeover. A doorbell rings one VM, so a
 * primary that is rung by a doorbell cannot have a standby (a message queue can have two
 * receivers). Chains (a standby of a standby), cycles, a standby for itself and two standbys
 * for one primary are errors: one primary, one standby, one takeover.
 */
#include <stdbool.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/fmt.h>
#include <lib/string.h>


void cfg_parse_power_button(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                            const void *val, int len)
{
    (void)cfg_read_bool(c, vm, prop, val, len, &vm->power_button);
}

void cfg_parse_virtio_console(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                              const void *val, int len)
{
    (void)cfg_read_bool(c, vm, prop, val, len, &vm->virtio_console);
}

/* The name is resolved once every VM is known (cfg_resolve_standby); here only its form. */
void cfg_parse_standby_for(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                           const void *val, int len)
{
    char name[CFG_NAME_MAX + 1];

    (void)cfg_read_string(c, vm, vm->path, prop, val, len, name, sizeof(name));
}

/* vm's standby-for names a VM: its index in *out, or false after reporting. */
static bool resolve_one(struct cfg_ctx *c, struct cfg_vm *vm, int node, uint32_t *out)
{
    int len;
    const char *name = fdt_getprop(c->fdt, node, "standby-for", &len);

    if (name == NULL || len <= 0 || name[len - 1] != '\0' || strnlen(name, (size_t)len) == 0) {
        return false; /* absent, or malformed: cfg_parse_standby_for reported it */
    }
    const struct cfg_vm *p = cfg_find_vm(c->out, name);
    if (p == NULL) {
        cfg_error(c, &vm->valid, vm->path, "standby-for", "no VM named '%s'", name);
        return false;
    }
    if (p == vm) {
        cfg_error(c, &vm->valid, vm->path, "standby-for", "a VM cannot stand by for itself");
        return false;
    }
    if (fdt_getprop(c->fdt, node, "autostart", &len) != NULL && vm->autostart) {
        cfg_error(c, &vm->valid, vm->path, "autostart",
                  "a standby does not start at boot (standby-for = \"%s\")", name);
        return false;
    }
    *out = (uint32_t)(p - c->out->vms);
    return true;
}

void cfg_resolve_standby(struct cfg_ctx *c, int vms)
{
    struct cfg_scenario *sc = c->out;
    uint32_t i = 0;
    int node;

    fdt_for_each_subnode(node, c->fdt, vms) {
        if (i >= sc->vm_count) {
            break;
        }
        struct cfg_vm *vm = &sc->vms[i++];
        uint32_t p;
        if (resolve_one(c, vm, node, &p)) {
            vm->standby_for = p;
            vm->autostart = false; /* defined until its primary fails */
        }
    }
    /* Between standbys: no chain (hence no cycle), one standby per primary. */
    for (i = 0; i < sc->vm_count; i++) {
        struct cfg_vm *vm = &sc->vms[i];
        uint32_t p = vm->standby_for;
        if (p == CFG_STANDBY_NONE) {
            continue;
        }
        if (sc->vms[p].standby_for != CFG_STANDBY_NONE) {
            cfg_error(c, &vm->valid, vm->path, "standby-for",
                      "'%s' is itself a standby (for '%s'): no chains or cycles",
                      sc->vms[p].name, sc->vms[sc->vms[p].standby_for].name);
            continue;
        }
        for (uint32_t j = 0; j < i; j++) {
            if (sc->vms[j].standby_for == p) {
                cfg_error(c, &vm->valid, vm->path, "standby-for",
                          "'%s' already has a standby ('%s' in %s)", sc->vms[p].name,
                          sc->vms[j].name, sc->vms[j].path);
                break;
            }
        }
    }
}

/* The standby vm against its primary p on channel ch; reported against the standby. */
static void check_chan(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_vm *p,
                       uint32_t s, uint32_t pi, const struct cfg_chan *ch)
{
    if (ch->type == CFG_CHAN_DOORBELL && ch->to_vm == pi) {
        cfg_error(c, &vm->valid, vm->path, "standby-for",
                  "doorbell '%s' rings '%s' only: a standby cannot take it over (use a message "
                  "queue)", ch->name, p->name);
    } else if (ch->rights[s] != ch->rights[pi]) {
        cfg_error(c, &vm->valid, vm->path, "standby-for",
                  "channel '%s': must hold the rights of '%s' (0x%x), not 0x%x", ch->name,
                  p->name, ch->rights[pi], ch->rights[s]);
    }
}

void cfg_check_standby_chans(struct cfg_ctx *c)
{
    struct cfg_scenario *sc = c->out;

    for (uint32_t s = 0; s < sc->vm_count && s < CFG_MAX_VMS; s++) {
        struct cfg_vm *vm = &sc->vms[s];
        uint32_t pi = vm->standby_for;
        if (pi == CFG_STANDBY_NONE || !vm->valid) {
            continue;
        }
        for (uint32_t id = 0; id < sc->chan_count && vm->valid; id++) {
            if (sc->chans[id].valid) {
                check_chan(c, vm, &sc->vms[pi], s, pi, &sc->chans[id]);
            }
        }
    }
}
