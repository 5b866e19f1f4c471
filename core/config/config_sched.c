// SPDX-License-Identifier: MIT
/*
 * vCPU scheduling in the scenario (docs/SCHEDULING.md): the optional root node /schedule names
 * a policy per pCPU, and VMs carry their budget. A pCPU without a node is exclusive (today's
 * one vCPU per pCPU, no scheduler). Format:
 *
 *     schedule {
 *         cpu1 { cpu = <1>; policy = "priority"; };
 *         cpu2 { cpu = <2>; policy = "partitions"; major-frame-us = <10000>;
 *                window-us = <0 4000  4000 6000>;   (start, length) pairs
 *                window-vms = "a", "b"; };
 *     };
 *
 * A node with an error leaves its pCPU exclusive, so the VMs that would share it are refused
 * by the cross-VM check ("CPU n is already given"), after the node's own error line.
 */
#include <stdbool.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <lib/fmt.h>
#include <lib/string.h>

#define SCHED_PERIOD_US_MAX 10000000u /* 10 s */

bool cfg_sched_is_shared(const struct cfg_scenario *s, uint32_t cpu)
{
    return cpu < CFG_MAX_VCPUS && s->sched[cpu].policy != CFG_SCHED_EXCLUSIVE;
}

static void parse_us(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                     int len, uint32_t *out)
{
    uint32_t us;

    if (!cfg_check_cells(c, &vm->valid, vm->path, prop, val, len, "one <u32> cell") ||
        !cfg_read_u32(c, vm, prop, val, len, &us)) {
        return;
    }
    if (us < CFG_SCHED_BUDGET_US_MIN || us > SCHED_PERIOD_US_MAX) {
        cfg_error(c, &vm->valid, vm->path, prop, "%u us is out of range (%u..%u)", us,
                  CFG_SCHED_BUDGET_US_MIN, SCHED_PERIOD_US_MAX);
        return;
    }
    *out = us;
}

void cfg_parse_budget(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                      int len)
{
    parse_us(c, vm, prop, val, len, &vm->budget_us);
}

void cfg_parse_period(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                      int len)
{
    parse_us(c, vm, prop, val, len, &vm->period_us);
}

/* One cell of node `path`: true and *out, or false after reporting. */
static bool node_u32(struct cfg_ctx *c, int node, const char *path, const char *prop,
                     bool required, uint32_t *out)
{
    int len = 0;
    const void *val = fdt_getprop(c->fdt, node, prop, &len);

    if (!val) {
        if (required) {
            cfg_error(c, NULL, path, prop, "missing required property");
        }
        return false;
    }
    if (!cfg_check_cells(c, NULL, path, prop, val, len, "one <u32> cell")) {
        return false;
    }
    if (len != (int)sizeof(fdt32_t)) {
        cfg_error(c, NULL, path, prop, "must be one cell, not %d bytes", len);
        return false;
    }
    *out = fdt32_ld((const fdt32_t *)val);
    return true;
}

static int vm_index(const struct cfg_scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->vm_count; i++) {
        if (strcmp(sc->vms[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* window-vms: one VM name per window. false after reporting. */
static bool parse_window_vms(struct cfg_ctx *c, int node, const char *path,
                             struct cfg_sched_cpu *s)
{
    int len = 0;
    const char *val = fdt_getprop(c->fdt, node, "window-vms", &len);
    uint32_t n = 0;

    if (!val) {
        cfg_error(c, NULL, path, "window-vms", "missing required property");
        return false;
    }
    if (!cfg_is_string_value(val, len)) {
        cfg_error(c, NULL, path, "window-vms", "expected a list of VM names");
        return false;
    }
    for (int off = 0; off < len; off += (int)strlen(val + off) + 1, n++) {
        int i = n < s->window_count ? vm_index(c->out, val + off) : 0;
        if (n >= s->window_count) {
            continue; /* counted below */
        }
        if (i < 0) {
            cfg_error(c, NULL, path, "window-vms", "window %u: no VM named '%s'", n, val + off);
            return false;
        }
        s->windows[n].vm = (uint32_t)i;
    }
    if (n != s->window_count) {
        cfg_error(c, NULL, path, "window-vms", "%u names for %u windows", n, s->window_count);
        return false;
    }
    return true;
}

/* window-us: (start, length) pairs that cover the major frame in order, without gaps or
 * overlaps. false after reporting. */
static bool parse_windows(struct cfg_ctx *c, int node, const char *path, struct cfg_sched_cpu *s)
{
    int len = 0;
    const fdt32_t *val = fdt_getprop(c->fdt, node, "window-us", &len);
    uint32_t end = 0;

    if (!val) {
        cfg_error(c, NULL, path, "window-us", "missing required property");
        return false;
    }
    if (!cfg_check_cells(c, NULL, path, "window-us", val, len, "<start length> pairs")) {
        return false;
    }
    if (len <= 0 || len % (2 * (int)sizeof(fdt32_t)) != 0 ||
        (uint32_t)len / (2 * sizeof(fdt32_t)) > CFG_SCHED_MAX_WINDOWS) {
        cfg_error(c, NULL, path, "window-us", "expected 1..%u <start length> pairs, got %d bytes",
                  CFG_SCHED_MAX_WINDOWS, len);
        return false;
    }
    s->window_count = (uint32_t)len / (2 * sizeof(fdt32_t));
    for (uint32_t i = 0; i < s->window_count; i++) {
        uint32_t start = fdt32_ld(&val[2 * i]), wl = fdt32_ld(&val[2 * i + 1]);
        if (wl == 0) {
            cfg_error(c, NULL, path, "window-us", "window %u has length 0", i);
            return false;
        }
        if (start != end) {
            cfg_error(c, NULL, path, "window-us", "window %u starts at %u us: %s at %u us", i,
                      start, start < end ? "overlaps the previous window, which ends" :
                                           "leaves a gap: the previous window ends", end);
            return false;
        }
        if (wl > s->frame_us || start > s->frame_us - wl) {
            cfg_error(c, NULL, path, "window-us", "window %u ends beyond the major frame (%u us)",
                      i, s->frame_us);
            return false;
        }
        s->windows[i] = (struct cfg_sched_window){ .start_us = start, .len_us = wl };
        end = start + wl;
    }
    if (end != s->frame_us) {
        cfg_error(c, NULL, path, "window-us",
                  "the windows end at %u us and leave the rest of the major frame (%u us) "
                  "uncovered", end, s->frame_us);
        return false;
    }
    return true;
}

static bool parse_partitions(struct cfg_ctx *c, int node, const char *path,
                             struct cfg_sched_cpu *s)
{
    if (!node_u32(c, node, path, "major-frame-us", true, &s->frame_us)) {
        return false;
    }
    if (s->frame_us < CFG_SCHED_FRAME_US_MIN || s->frame_us > CFG_SCHED_FRAME_US_MAX) {
        cfg_error(c, NULL, path, "major-frame-us", "%u us is out of range (%u..%u)", s->frame_us,
                  CFG_SCHED_FRAME_US_MIN, CFG_SCHED_FRAME_US_MAX);
        return false;
    }
    return parse_windows(c, node, path, s) && parse_window_vms(c, node, path, s);
}

static int parse_policy(struct cfg_ctx *c, int node, const char *path)
{
    static const char *const names[] = { [CFG_SCHED_EXCLUSIVE] = "exclusive",
                                         [CFG_SCHED_PRIORITY] = "priority",
                                         [CFG_SCHED_PARTITIONS] = "partitions" };
    int len = 0;
    const char *val = fdt_getprop(c->fdt, node, "policy", &len);

    if (!val) {
        cfg_error(c, NULL, path, "policy", "missing required property");
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        if (cfg_is_string_value(val, len) && strcmp(val, names[i]) == 0 &&
            (int)strlen(val) + 1 == len) {
            return i;
        }
    }
    cfg_error(c, NULL, path, "policy",
              "expected \"exclusive\", \"priority\" or \"partitions\"");
    return -1;
}

static void parse_cpu_node(struct cfg_ctx *c, int node, uint32_t *seen)
{
    char path[CFG_PATH_MAX];
    const char *name = fdt_get_name(c->fdt, node, NULL);
    struct cfg_sched_cpu s = { 0 };
    uint32_t cpu;

    bh_snprintf(path, sizeof(path), "/schedule/%s", name ? name : "?");
    if (!node_u32(c, node, path, "cpu", true, &cpu)) {
        return;
    }
    if (cpu >= c->plat->cpu_count || cpu >= CFG_MAX_VCPUS) {
        cfg_error(c, NULL, path, "cpu", "CPU %u does not exist (the platform has %u)", cpu,
                  c->plat->cpu_count);
        return;
    }
    if (*seen & (1u << cpu)) {
        cfg_error(c, NULL, path, "cpu", "CPU %u has another schedule node already", cpu);
        return;
    }
    *seen |= 1u << cpu;
    int policy = parse_policy(c, node, path);
    if (policy < 0) {
        return;
    }
    s.policy = (uint8_t)policy;
    if (policy != CFG_SCHED_PARTITIONS) {
        static const char *const only[] = { "major-frame-us", "window-us", "window-vms" };
        for (unsigned i = 0; i < 3; i++) {
            if (fdt_getprop(c->fdt, node, only[i], NULL)) {
                cfg_error(c, NULL, path, only[i], "only allowed with policy = \"partitions\"");
                return;
            }
        }
    } else if (!parse_partitions(c, node, path, &s)) {
        return;
    }
    c->out->sched[cpu] = s;
}

void cfg_parse_sched(struct cfg_ctx *c)
{
    int node = fdt_subnode_offset(c->fdt, 0, "schedule");
    uint32_t seen = 0;
    int child;

    if (node < 0) {
        return;
    }
    fdt_for_each_subnode(child, c->fdt, node) {
        parse_cpu_node(c, child, &seen);
    }
}

/* Whether VM vm_idx owns a window of s. */
static bool owns_window(const struct cfg_sched_cpu *s, uint32_t vm_idx)
{
    for (uint32_t w = 0; w < s->window_count; w++) {
        if (s->windows[w].vm == vm_idx) {
            return true;
        }
    }
    return false;
}

static bool has_cpu(const struct cfg_vm *vm, uint32_t cpu)
{
    for (uint32_t i = 0; i < vm->vcpu_count; i++) {
        if (vm->cpus[i] == cpu) {
            return true;
        }
    }
    return false;
}

static void check_vm_sched(struct cfg_ctx *c, struct cfg_vm *vm, uint32_t idx)
{
    const struct cfg_scenario *sc = c->out;

    if ((vm->budget_us != 0) != (vm->period_us != 0)) {
        cfg_error(c, &vm->valid, vm->path, vm->budget_us ? "period-us" : "budget-us",
                  "budget-us and period-us go together");
        return;
    }
    if (vm->budget_us > vm->period_us) {
        cfg_error(c, &vm->valid, vm->path, "budget-us", "%u us is more than period-us (%u us)",
                  vm->budget_us, vm->period_us);
        return;
    }
    for (uint32_t i = 0; i < vm->vcpu_count; i++) {
        uint32_t cpu = vm->cpus[i];
        const struct cfg_sched_cpu *s = cpu < CFG_MAX_VCPUS ? &sc->sched[cpu] : NULL;
        if (!s) {
            continue;
        }
        if (vm->budget_us && s->policy != CFG_SCHED_PRIORITY) {
            cfg_error(c, &vm->valid, vm->path, "budget-us",
                      "CPU %u has policy %s: budgets apply on pCPUs with policy \"priority\"",
                      cpu, s->policy == CFG_SCHED_EXCLUSIVE ? "\"exclusive\"" : "\"partitions\"");
            return;
        }
        if (s->policy == CFG_SCHED_PARTITIONS && !owns_window(s, idx)) {
            cfg_error(c, &vm->valid, vm->path, "cpus",
                      "CPU %u runs partitions and the VM owns no window there", cpu);
            return;
        }
        /* The watchdog's deadline slot is one per pCPU (the VM's vCPU 0's): two watchdogs on
         * one pCPU would share it. */
        for (uint32_t j = 0; i == 0 && vm->watchdog != CFG_WDOG_NONE && j < idx; j++) {
            const struct cfg_vm *o = &sc->vms[j];
            if (o->valid && o->watchdog != CFG_WDOG_NONE && o->vcpu_count && o->cpus[0] == cpu) {
                cfg_error(c, &vm->valid, vm->path, "watchdog",
                          "VM '%s' has a watchdog on CPU %u already (one per pCPU)", o->name,
                          cpu);
                return;
            }
        }
    }
}

void cfg_check_sched(struct cfg_ctx *c)
{
    struct cfg_scenario *sc = c->out;

    for (uint32_t i = 0; i < sc->vm_count; i++) {
        if (sc->vms[i].valid) {
            check_vm_sched(c, &sc->vms[i], i);
        }
    }
    /* A window whose VM was refused or does not run there stays, idle: the frame keeps its
     * timing. Report a VM that has no vCPU on the pCPU of its window (a typo, most likely). */
    for (uint32_t cpu = 0; cpu < CFG_MAX_VCPUS; cpu++) {
        const struct cfg_sched_cpu *s = &sc->sched[cpu];
        for (uint32_t w = 0; s->policy == CFG_SCHED_PARTITIONS && w < s->window_count; w++) {
            struct cfg_vm *vm = &sc->vms[s->windows[w].vm];
            if (vm->valid && !has_cpu(vm, cpu)) {
                cfg_error(c, &vm->valid, vm->path, "cpus",
                          "owns window %u of CPU %u's partitions but has no vCPU there", w, cpu);
            }
        }
    }
}
