/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by config.c (scenario and VM properties), config_dev.c (passthrough nodes)
 * and config_check.c (layout, image and cross-VM checks). Not for other modules.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <core/config/config.h>

/* Property field of messages about a node rather than one of its properties. */
#define CFG_NODE_PROP "(node)"

struct cfg_ctx {
    const void *fdt;
    const char *file;
    const struct platinfo *plat;
    const struct cfg_hooks *hooks;
    struct cfg_scenario *out;
};

/*
 * Report "<file>: <path>: <prop>: <reason>" and count it; clears *valid when valid != NULL
 * (the VM the problem belongs to).
 */
void cfg_error(struct cfg_ctx *c, bool *valid, const char *path, const char *prop,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Node path of passthrough device dev of vm, into buf (CFG_PATH_MAX bytes). */
const char *cfg_dev_path(const struct cfg_vm *vm, const struct cfg_dev *dev, char *buf);

/*
 * Value readers: check the property value (val, len as from fdt_getprop), report a malformed
 * value against vm and return false, or store it and return true.
 */
bool cfg_read_string(struct cfg_ctx *c, struct cfg_vm *vm, const char *path, const char *prop,
                     const void *val, int len, char *dst, size_t cap);
/* val/len look like a string (list): printable, NUL-terminated, no empty member. */
bool cfg_is_string_value(const void *val, int len);
/*
 * A property that must be cells: when it holds a string instead, report "expected <expect>,
 * got the string '...'" against valid and return false (so `cpus = "two"` is not read as
 * CPU 1953984256).
 */
bool cfg_check_cells(struct cfg_ctx *c, bool *valid, const char *path, const char *prop,
                     const void *val, int len, const char *expect);
bool cfg_read_u64(struct cfg_ctx *c, bool *valid, const char *path, const char *prop,
                  const void *val, int len, uint64_t *out);
/* A VM property of one cell: its value, or false after reporting ("must be one cell"). */
bool cfg_read_u32(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                  int len, uint32_t *out);
/* A VM property of one cell that is <0> or <1>, or false after reporting. */
bool cfg_read_bool(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                   int len, bool *out);
/* A list of 1..max 32-bit cells; returns the count, or 0 after reporting a problem. */
uint32_t cfg_read_cells(struct cfg_ctx *c, struct cfg_vm *vm, const char *path,
                        const char *prop, const void *val, int len, uint32_t *dst,
                        uint32_t max, const char *what);

/* Report every property of node not in known[] (NULL-terminated) as unknown. */
void cfg_check_unknown_props(struct cfg_ctx *c, bool *valid, int node, const char *path,
                             const char *const *known);

/* Parse the passthrough node of vm (config_dev.c). */
void cfg_parse_passthrough(struct cfg_ctx *c, struct cfg_vm *vm, int node);

/* Checks needing several properties of one VM: memory layout, devices, images. */
void cfg_check_vm(struct cfg_ctx *c, struct cfg_vm *vm);
/* A character of a VM or channel name: a-z, 0-9, '_', '-'. */
bool cfg_is_name_char(char ch);

/* v rounded up to a multiple of align (a power of two). */
static inline uint64_t cfg_align_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* Virtual SPIs vm owns before any channel: its UART's and its devices'. */
uint32_t cfg_vm_dev_spis(const struct cfg_vm *vm);

/* Checks between VMs, in scenario order: CPUs, devices, interrupts, total memory. */
void cfg_check_cross(struct cfg_ctx *c);

/* The optional /channels node (config_chan.c); after cfg_check_cross, VM validity is final. */
void cfg_parse_channels(struct cfg_ctx *c);

/* Root properties for real time: rt-slice-us (config_rt.c); an error refuses no VM. */
void cfg_parse_rt(struct cfg_ctx *c);

/*
 * Checks of channel id (node path) against the VMs and the earlier valid channels
 * (config_chan_check.c): guest windows, IPC pages, interrupts, memory and queue budgets.
 */
void cfg_check_chan(struct cfg_ctx *c, uint32_t id, const char *path);

/* [a, a + as) and [b, b + bs) intersect; both windows must not wrap. */
static inline bool cfg_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return as != 0 && bs != 0 && a < b + bs && b < a + as;
}

/* Management (config_mgmt.c): the VM properties autostart, manageable, shutdown-timeout-ms
 * (vm_props rows in config.c) and the grants under each VM's management node, read once every
 * VM node is (grants name other VMs) and before the checks between VMs. */
void cfg_parse_autostart(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                         const void *val, int len);
void cfg_parse_wfi_trap(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                        const void *val, int len);
void cfg_parse_manageable(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                          const void *val, int len);
void cfg_parse_shutdown_timeout(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                                const void *val, int len);
void cfg_parse_management(struct cfg_ctx *c, int vms);

/* Graceful shutdown and failover properties (config_life.c). power-button: <0> or <1>;
 * standby-for: a VM name, resolved by cfg_resolve_standby once every VM is known (before the
 * checks between VMs); cfg_check_standby_chans after the channels (a standby must hold the
 * same rights as its primary on every channel). */
void cfg_parse_power_button(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                            const void *val, int len);
void cfg_parse_standby_for(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                           const void *val, int len);
void cfg_resolve_standby(struct cfg_ctx *c, int vms);
/* secure-services (config_secsvc.c): a list of known service names, each at most once. */
void cfg_parse_secure_services(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                               const void *val, int len);
/* virtio-console: <0> or <1> (config_life.c). */
void cfg_parse_virtio_console(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                              const void *val, int len);
void cfg_check_standby_chans(struct cfg_ctx *c);

/* Identity-mapped VMs (config_ident.c). identity-map: <0> or <1>; cfg_check_identity: the
 * range against the platform's RAM and the hypervisor's reserve (from cfg_check_vm);
 * cfg_identity_dev_ok: an acknowledged DMA-capable device keeps ipa = pa (false after
 * reporting); cfg_check_identity_pair: vm against an earlier valid VM o (cfg_check_cross). */
void cfg_parse_identity_map(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                            const void *val, int len);
void cfg_check_identity(struct cfg_ctx *c, struct cfg_vm *vm);
bool cfg_identity_dev_ok(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_dev *dev,
                         const char *path);
void cfg_check_identity_pair(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_vm *o);

/* Cache colouring (config_colour.c): the root property llc-way-size (before the VMs are
 * parsed); the VM properties colours and shared-colours (vm_props rows); cfg_check_colours:
 * one VM's colours against identity-map, its shared-colours and the VMs' RAM (from
 * cfg_check_vm); cfg_check_colour_pair: vm against an earlier valid VM o (cfg_check_cross). */
void cfg_parse_colour_root(struct cfg_ctx *c);
void cfg_parse_colours(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                       int len);
void cfg_parse_shared_colours(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                              const void *val, int len);
void cfg_check_colours(struct cfg_ctx *c, struct cfg_vm *vm);
void cfg_check_colour_pair(struct cfg_ctx *c, struct cfg_vm *vm, const struct cfg_vm *o);

/* s made fit for an error line: at most cap - 1 characters ("..." when cut), non-printable
 * characters shown as '?' (config_chan.c). Returns buf. */
const char *cfg_clip(const char *s, char *buf, size_t cap);

/* A bulkhead,net-segment channel (config_net.c): members and their child nodes, into ch;
 * problems make the channel invalid. node is the channel's node at path. */
void cfg_parse_net(struct cfg_ctx *c, struct cfg_chan *ch, int node, const char *path);

/* Net segment ch against the earlier valid channels (config_net.c, from cfg_check_chan):
 * each member's slot (at most VPLAT_NET_MAX segments per VM), its device window against the
 * VM's RAM and passthrough devices, and its default INTID. */
void cfg_check_net(struct cfg_ctx *c, struct cfg_chan *ch, const char *path);

/* /schedule (config_sched.c): read every pCPU's policy (before the cross-VM checks, which
 * allow shared pCPUs), then check the VMs against it (after them). */
void cfg_parse_sched(struct cfg_ctx *c);
void cfg_check_sched(struct cfg_ctx *c);
/* The VM properties budget-us and period-us (config_sched.c). */
void cfg_parse_budget(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                      int len);
void cfg_parse_period(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                      int len);
