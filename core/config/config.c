// SPDX-License-Identifier: MIT
/*
 * Scenario parsing: the root and /vms nodes, each VM node's properties (one table row per
 * property) and the value readers shared with config_dev.c. Semantic checks that need more
 * than one property live in config_check.c. Schema: docs/CONFIG.md.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include <core/config/config.h>
#include <core/config/config_priv.h>
#include <core/fdtcheck.h>
#include <lib/fmt.h>
#include <lib/string.h>

#define CELL_BYTES 4
#define U64_BYTES  8
#define ASCII_FIRST_PRINTABLE 0x20
#define ASCII_LAST_PRINTABLE  0x7e
#define KEYWORD_MAX           16 /* kernel-type, fault-policy values, NUL included */

void cfg_error(struct cfg_ctx *c, bool *valid, const char *path, const char *prop,
               const char *fmt, ...)
{
    char msg[CFG_MSG_MAX]; /* one buffer: this runs on the EL2 boot stack */
    va_list ap;
    int n = bh_snprintf(msg, sizeof(msg), "%s: %s: %s: ", c->file, path, prop);

    if (n >= 0 && (size_t)n < sizeof(msg)) {
        va_start(ap, fmt);
        bh_vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    if (valid != NULL) {
        *valid = false;
    }
    c->out->error_count++;
    if (c->hooks != NULL && c->hooks->error != NULL) {
        c->hooks->error(c->hooks->ctx, msg);
    }
}

const char *cfg_dev_path(const struct cfg_vm *vm, const struct cfg_dev *dev, char *buf)
{
    bh_snprintf(buf, CFG_PATH_MAX, "%s/passthrough/%s", vm->path, dev->name);
    return buf;
}

static bool is_printable(const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s < ASCII_FIRST_PRINTABLE || *s > ASCII_LAST_PRINTABLE) {
            return false;
        }
    }
    return true;
}

bool cfg_read_string(struct cfg_ctx *c, struct cfg_vm *vm, const char *path, const char *prop,
                     const void *val, int len, char *dst, size_t cap)
{
    const char *s = val;

    if (len <= 0 || (len == 1 && s[0] == '\0')) {
        cfg_error(c, &vm->valid, path, prop, "must not be empty");
        return false;
    }
    if (s[len - 1] != '\0' || strnlen(s, (size_t)len) != (size_t)len - 1) {
        cfg_error(c, &vm->valid, path, prop, "must be a single string");
        return false;
    }
    if ((size_t)len > cap) {
        cfg_error(c, &vm->valid, path, prop, "too long: %d characters (at most %zu)", len - 1,
                  cap - 1);
        return false;
    }
    if (!is_printable(s)) {
        cfg_error(c, &vm->valid, path, prop, "contains a non-printable character");
        return false;
    }
    memcpy(dst, s, (size_t)len);
    return true;
}

bool cfg_is_string_value(const void *val, int len)
{
    const char *s = val;

    if (len < 2 || s[len - 1] != '\0' || s[0] == '\0') {
        return false;
    }
    for (int i = 0; i < len - 1; i++) {
        bool printable = s[i] >= ASCII_FIRST_PRINTABLE && s[i] <= ASCII_LAST_PRINTABLE;
        if (!printable && !(s[i] == '\0' && s[i + 1] != '\0')) {
            return false; /* a string list has no empty member */
        }
    }
    return true;
}

bool cfg_check_cells(struct cfg_ctx *c, bool *valid, const char *path, const char *prop,
                     const void *val, int len, const char *expect)
{
    if (cfg_is_string_value(val, len)) {
        char shown[CFG_NAME_MAX + 1];
        size_t n = strnlen(val, sizeof(shown) - 1);
        memcpy(shown, val, n);
        shown[n] = '\0';
        cfg_error(c, valid, path, prop, "expected %s, got the string '%s%s'", expect, shown,
                  n < strlen(val) ? "..." : "");
        return false;
    }
    return true;
}

bool cfg_read_u32(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                  int len, uint32_t *out)
{
    if (len != CELL_BYTES) {
        cfg_error(c, &vm->valid, vm->path, prop, "must be one cell, not %d bytes", len);
        return false;
    }
    *out = fdt32_ld((const fdt32_t *)val);
    return true;
}

bool cfg_read_bool(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                   int len, bool *out)
{
    uint32_t v;

    if (!cfg_read_u32(c, vm, prop, val, len, &v)) {
        return false;
    }
    if (v > 1) {
        cfg_error(c, &vm->valid, vm->path, prop, "must be <0> or <1>, not <%u>", v);
        return false;
    }
    *out = v == 1;
    return true;
}

bool cfg_read_u64(struct cfg_ctx *c, bool *valid, const char *path, const char *prop,
                  const void *val, int len, uint64_t *out)
{
    if (!cfg_check_cells(c, valid, path, prop, val, len, "<u32 u32> cells (a 64-bit value)")) {
        return false;
    }
    if (len != U64_BYTES) {
        cfg_error(c, valid, path, prop, "expected 2 cells (a 64-bit value), got %d bytes",
                  len);
        return false;
    }
    *out = fdt64_ld(val);
    return true;
}

uint32_t cfg_read_cells(struct cfg_ctx *c, struct cfg_vm *vm, const char *path,
                        const char *prop, const void *val, int len, uint32_t *dst,
                        uint32_t max, const char *what)
{
    const fdt32_t *cells = val;

    if (len <= 0) {
        cfg_error(c, &vm->valid, path, prop, "must not be empty");
        return 0;
    }
    if (!cfg_check_cells(c, &vm->valid, path, prop, val, len, "<u32> cells")) {
        return 0;
    }
    if (len % CELL_BYTES != 0) {
        cfg_error(c, &vm->valid, path, prop, "expected 32-bit cells, got %d bytes", len);
        return 0;
    }
    uint32_t count = (uint32_t)len / CELL_BYTES;
    if (count > max) {
        cfg_error(c, &vm->valid, path, prop, "too many %s: %u (at most %u)", what, count, max);
        return 0;
    }
    for (uint32_t i = 0; i < count; i++) {
        dst[i] = fdt32_ld(&cells[i]);
    }
    return count;
}

static bool is_known(const char *name, const char *const *known)
{
    for (; *known != NULL; known++) {
        if (strcmp(name, *known) == 0) {
            return true;
        }
    }
    return false;
}

void cfg_check_unknown_props(struct cfg_ctx *c, bool *valid, int node, const char *path,
                             const char *const *known)
{
    int prop;

    fdt_for_each_property_offset(prop, c->fdt, node) {
        const char *name;
        if (fdt_getprop_by_offset(c->fdt, prop, &name, NULL) == NULL) {
            continue;
        }
        /* dtc adds phandle by itself when a label of the node is referenced. */
        if (!is_known(name, known) && strcmp(name, "phandle") != 0) {
            cfg_error(c, valid, path, name, "unknown property");
        }
    }
}

/* ------------------------------------------------------------------------------------------
 * VM node properties: one parser per property, all driven by vm_props[].
 */
typedef void vm_prop_fn(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                        const void *val, int len);

static void parse_vm_compat(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                            const void *val, int len)
{
    if (len <= 0 || fdt_stringlist_contains(val, len, "bulkhead,vm") == 0) {
        cfg_error(c, &vm->valid, vm->path, prop, "expected \"bulkhead,vm\"");
    }
}

bool cfg_is_name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

static void parse_name(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                       const void *val, int len)
{
    char name[CFG_NAME_MAX + 1];

    if (!cfg_read_string(c, vm, vm->path, prop, val, len, name, sizeof(name))) {
        return;
    }
    for (const char *p = name; *p != '\0'; p++) {
        if (!cfg_is_name_char(*p)) {
            cfg_error(c, &vm->valid, vm->path, prop,
                      "'%s' has a character other than a-z, 0-9, '_' and '-'", name);
            return;
        }
    }
    /* Names identify VMs to the management tool, so even an invalid VM keeps its own. */
    for (struct cfg_vm *other = c->out->vms; other < vm; other++) {
        if (strcmp(other->name, name) == 0) {
            cfg_error(c, &vm->valid, vm->path, prop, "VM name '%s' is already used by %s",
                      name, other->path);
            break;
        }
    }
    /* Kept even when taken: the refusal names the VM (cfg_find_vm finds the earlier one). */
    memcpy(vm->name, name, sizeof(name));
}

static void parse_cpus(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                       const void *val, int len)
{
    uint32_t n = cfg_read_cells(c, vm, vm->path, prop, val, len, vm->cpus, CFG_MAX_VCPUS,
                                "vCPUs");

    vm->vcpu_count = n;
    for (uint32_t i = 0; i < n; i++) {
        if (vm->cpus[i] >= c->plat->cpu_count) {
            cfg_error(c, &vm->valid, vm->path, prop, "CPU %u does not exist (the platform has %u)",
                      vm->cpus[i], c->plat->cpu_count);
        }
        for (uint32_t j = 0; j < i; j++) {
            if (vm->cpus[j] == vm->cpus[i]) {
                cfg_error(c, &vm->valid, vm->path, prop, "CPU %u is listed twice", vm->cpus[i]);
                break;
            }
        }
    }
}

static void parse_mem_size(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                           const void *val, int len)
{
    uint64_t size;

    if (!cfg_read_u64(c, &vm->valid, vm->path, prop, val, len, &size)) {
        return;
    }
    if (size == 0) {
        cfg_error(c, &vm->valid, vm->path, prop, "must not be 0");
    } else if (size % CFG_MEM_ALIGN != 0) {
        cfg_error(c, &vm->valid, vm->path, prop, "0x%llx is not a multiple of 2 MiB",
                  (unsigned long long)size);
    } else {
        vm->mem_size = size;
    }
}

static void parse_mem_base(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                           const void *val, int len)
{
    uint64_t base;

    vm->has_mem_base = true;
    vm->mem_base_bad = true; /* until it passes */
    if (!cfg_read_u64(c, &vm->valid, vm->path, prop, val, len, &base)) {
        return;
    }
    if (base % CFG_MEM_ALIGN != 0) {
        cfg_error(c, &vm->valid, vm->path, prop, "0x%llx is not 2 MiB aligned",
                  (unsigned long long)base);
        return;
    }
    vm->mem_ipa = base;
    vm->mem_base_bad = false;
}

/*
 * Image paths are looked up under the root directory on the host and matched against FIT
 * image descriptions in the boot bundle; quotes and backslashes would break the .its file.
 */
static void parse_image(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                        const void *val, int len, char *dst)
{
    char path[CFG_PATH_MAX];

    if (!cfg_read_string(c, vm, vm->path, prop, val, len, path, sizeof(path))) {
        return;
    }
    if (path[0] == '/') {
        cfg_error(c, &vm->valid, vm->path, prop, "'%s' must be relative to the root directory",
                  path);
        return;
    }
    if (strchr(path, '"') != NULL || strchr(path, '\\') != NULL) {
        cfg_error(c, &vm->valid, vm->path, prop, "'%s' contains a quote or backslash", path);
        return;
    }
    memcpy(dst, path, sizeof(path));
}

static void parse_kernel(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                         const void *val, int len)
{
    parse_image(c, vm, prop, val, len, vm->kernel);
}

static void parse_initrd(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                         const void *val, int len)
{
    parse_image(c, vm, prop, val, len, vm->initrd);
}

/* A string property that must be one of names[0..n): its index, or -1 once the error
 * "unknown <what> '<value>' (<name>, <name>, ...)" is reported. */
static int parse_keyword(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop, const void *val,
                         int len, const char *const names[], int n, const char *what)
{
    char s[KEYWORD_MAX];
    char list[4 * KEYWORD_MAX];
    size_t used = 0;

    if (!cfg_read_string(c, vm, vm->path, prop, val, len, s, sizeof(s))) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            return i;
        }
        used += (size_t)bh_snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
                                    names[i]);
        used = used < sizeof(list) ? used : sizeof(list) - 1;
    }
    cfg_error(c, &vm->valid, vm->path, prop, "unknown %s '%s' (%s)", what, s, list);
    return -1;
}

static void parse_kernel_type(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                              const void *val, int len)
{
    static const char *const names[] = { [CFG_KERNEL_LINUX] = "linux", [CFG_KERNEL_RAW] = "raw" };
    int i = parse_keyword(c, vm, prop, val, len, names, 2, "kernel type");

    if (i >= 0) {
        vm->kernel_type = (enum cfg_kernel_type)i;
    }
}

static void parse_entry(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                        const void *val, int len)
{
    vm->has_entry = true;
    (void)cfg_read_u64(c, &vm->valid, vm->path, prop, val, len, &vm->entry);
}

/* An empty string is valid bootargs (the guest gets an empty /chosen/bootargs). */
static void parse_bootargs(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                           const void *val, int len)
{
    if (len == 1 && ((const char *)val)[0] == '\0') {
        vm->bootargs[0] = '\0';
        return;
    }
    (void)cfg_read_string(c, vm, vm->path, prop, val, len, vm->bootargs, sizeof(vm->bootargs));
}

static void parse_fault_policy(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                               const void *val, int len)
{
    const char *names[CFG_FAULT_ABORT + 1];

    for (int p = CFG_FAULT_STOP; p <= CFG_FAULT_ABORT; p++) {
        names[p] = cfg_fault_policy_name((enum cfg_fault_policy)p);
    }
    int i = parse_keyword(c, vm, prop, val, len, names, CFG_FAULT_ABORT + 1, "fault policy");
    if (i >= 0) {
        vm->fault_policy = (enum cfg_fault_policy)i;
    }
}

static void parse_ipc_notify(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                             const void *val, int len)
{
    static const char *const names[] = { [CFG_NOTIFY_SPI] = "spi", [CFG_NOTIFY_GPIO] = "gpio" };
    int i = parse_keyword(c, vm, prop, val, len, names, 2, "notification kind");

    if (i >= 0) {
        vm->ipc_notify = (enum cfg_ipc_notify)i;
    }
}

static void parse_priority(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                           const void *val, int len)
{
    uint32_t p;

    if (!cfg_check_cells(c, &vm->valid, vm->path, prop, val, len, "one <u32> cell") ||
        !cfg_read_u32(c, vm, prop, val, len, &p)) {
        return;
    }
    if (p > CFG_PRIO_MAX) {
        cfg_error(c, &vm->valid, vm->path, prop, "%u is above the highest priority %u", p,
                  CFG_PRIO_MAX);
        return;
    }
    vm->priority = p;
}

static void parse_watchdog(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                           const void *val, int len)
{
    static const char *const names[] = { [CFG_WDOG_NONE] = "none", [CFG_WDOG_SP805] = "sp805" };
    int i = parse_keyword(c, vm, prop, val, len, names, 2, "watchdog");

    if (i >= 0) {
        vm->watchdog = (enum cfg_watchdog)i;
    }
}

static void parse_watchdog_hz(struct cfg_ctx *c, struct cfg_vm *vm, const char *prop,
                              const void *val, int len)
{
    uint32_t hz;

    if (!cfg_read_u32(c, vm, prop, val, len, &hz)) {
        return;
    }
    if (hz < CFG_WDOG_HZ_MIN || hz > CFG_WDOG_HZ_MAX) {
        cfg_error(c, &vm->valid, vm->path, prop, "%u Hz is out of range (%u..%u)", hz,
                  CFG_WDOG_HZ_MIN, CFG_WDOG_HZ_MAX);
        return;
    }
    vm->watchdog_hz = hz;
}

static const struct vm_prop {
    const char *name;
    bool required;
    vm_prop_fn *parse;
} vm_props[] = {
    { "compatible", true, parse_vm_compat },
    { "name", true, parse_name },
    { "cpus", true, parse_cpus },
    { "memory-size", true, parse_mem_size },
    { "memory-base", false, parse_mem_base },
    { "identity-map", false, cfg_parse_identity_map },
    { "kernel", true, parse_kernel },
    { "kernel-type", false, parse_kernel_type },
    { "entry", false, parse_entry },
    { "initrd", false, parse_initrd },
    { "bootargs", false, parse_bootargs },
    { "fault-policy", false, parse_fault_policy },
    { "ipc-notify", false, parse_ipc_notify },
    { "priority", false, parse_priority },
    { "autostart", false, cfg_parse_autostart },
    { "manageable", false, cfg_parse_manageable },
    { "wfi-trap", false, cfg_parse_wfi_trap },
    { "shutdown-timeout-ms", false, cfg_parse_shutdown_timeout },
    { "watchdog", false, parse_watchdog },
    { "watchdog-clock-hz", false, parse_watchdog_hz },
    { "power-button", false, cfg_parse_power_button },
    { "standby-for", false, cfg_parse_standby_for },
    { "virtio-console", false, cfg_parse_virtio_console },
    { "colours", false, cfg_parse_colours },
    { "shared-colours", false, cfg_parse_shared_colours },
    { "secure-services", false, cfg_parse_secure_services },
    { "budget-us", false, cfg_parse_budget },
    { "period-us", false, cfg_parse_period },
};

#define VM_PROP_COUNT (sizeof(vm_props) / sizeof(vm_props[0]))

/*
 * One pass over the node's properties, each looked up in vm_props[]: an fdt_getprop per known
 * name would walk all of the node's properties again for every row of the table, so the boot
 * would pay for every property the schema knows, given or not.
 */
static void parse_vm_props(struct cfg_ctx *c, struct cfg_vm *vm, int node)
{
    bool seen[VM_PROP_COUNT] = { false };
    int prop;

    fdt_for_each_property_offset(prop, c->fdt, node) {
        const char *name;
        int len;
        const void *val = fdt_getprop_by_offset(c->fdt, prop, &name, &len);
        size_t i = 0;

        if (val == NULL) {
            continue;
        }
        while (i < VM_PROP_COUNT && strcmp(name, vm_props[i].name) != 0) {
            i++;
        }
        if (i < VM_PROP_COUNT) {
            seen[i] = true;
            vm_props[i].parse(c, vm, vm_props[i].name, val, len);
        } else if (strcmp(name, "phandle") != 0) {
            /* dtc adds phandle by itself when a label of the node is referenced. */
            cfg_error(c, &vm->valid, vm->path, name, "unknown property");
        }
    }
    for (size_t i = 0; i < VM_PROP_COUNT; i++) {
        if (!seen[i] && vm_props[i].required) {
            cfg_error(c, &vm->valid, vm->path, vm_props[i].name, "missing required property");
        }
    }
}

static void parse_vm_children(struct cfg_ctx *c, struct cfg_vm *vm, int node)
{
    int child;

    fdt_for_each_subnode(child, c->fdt, node) {
        const char *name = fdt_get_name(c->fdt, child, NULL);
        if (name != NULL && strcmp(name, "passthrough") == 0) {
            cfg_parse_passthrough(c, vm, child);
        } else if (name != NULL && strcmp(name, "management") == 0) {
            continue; /* grants: cfg_parse_management, once every VM is known */
        } else {
            char path[CFG_PATH_MAX];
            bh_snprintf(path, sizeof(path), "%s/%s", vm->path, name != NULL ? name : "?");
            cfg_error(c, &vm->valid, path, CFG_NODE_PROP,
                      "unknown child node (only \"passthrough\" and \"management\" are allowed)");
        }
    }
}

static void parse_vm(struct cfg_ctx *c, int node)
{
    struct cfg_scenario *sc = c->out;
    char path[CFG_PATH_MAX];
    bool path_ok = fdt_get_path(c->fdt, node, path, sizeof(path)) == 0;

    if (!path_ok) {
        const char *name = fdt_get_name(c->fdt, node, NULL);
        bh_snprintf(path, sizeof(path), "/vms/%s", name != NULL ? name : "?"); /* truncated */
    }
    if (sc->vm_count == CFG_MAX_VMS) {
        cfg_error(c, NULL, path, CFG_NODE_PROP, "too many VMs (at most %d)", CFG_MAX_VMS);
        return;
    }
    struct cfg_vm *vm = &sc->vms[sc->vm_count++];

    memcpy(vm->path, path, sizeof(path));
    vm->valid = true;
    vm->mem_ipa = VPLAT_RAM_IPA;
    vm->kernel_type = CFG_KERNEL_LINUX;
    vm->fault_policy = CFG_FAULT_STOP;
    vm->autostart = true;
    vm->manageable = true;
    vm->shutdown_timeout_ms = CFG_SHUTDOWN_TIMEOUT_MS_DEFAULT;
    vm->power_button = true;
    vm->standby_for = CFG_STANDBY_NONE;
    vm->secure_services = CFG_SEC_DEFAULT;
    if (!path_ok) {
        cfg_error(c, &vm->valid, path, CFG_NODE_PROP, "node path too long (at most %d bytes)",
                  CFG_PATH_MAX - 1);
    }
    parse_vm_props(c, vm, node);
    parse_vm_children(c, vm, node);
    if (vm->wfi_trap == CFG_WFI_TRAP_DEFAULT) {
        vm->wfi_trap = vm->priority > 0 ? CFG_WFI_TRAP_OFF : CFG_WFI_TRAP_ON;
    }
}

/* Root compatible and /vms; returns the /vms offset or -BH_EINVAL after reporting. */
static int find_vms(struct cfg_ctx *c)
{
    int err = fdt_check_header(c->fdt);
    /* Our own walk first: libfdt 1.6.1 hangs or dereferences NULL on some blobs that pass
     * its header check (core/fdtcheck.h; found by tests/fuzz/fuzz_config.c). */
    if (err == 0 && fdtcheck_blob(c->fdt, fdt_totalsize(c->fdt)) != 0) {
        err = -FDT_ERR_BADSTRUCTURE;
    }
    if (err == 0) {
        err = fdt_check_full(c->fdt, fdt_totalsize(c->fdt));
    }
    if (err != 0) {
        cfg_error(c, NULL, "/", CFG_NODE_PROP, "not a valid device tree blob (%s)",
                  fdt_strerror(err));
        return -BH_EINVAL;
    }
    if (fdt_node_check_compatible(c->fdt, 0, "bulkhead,scenario") != 0) {
        cfg_error(c, NULL, "/", "compatible", "expected \"bulkhead,scenario\"");
        return -BH_EINVAL;
    }
    int vms = fdt_subnode_offset(c->fdt, 0, "vms");
    if (vms < 0) {
        cfg_error(c, NULL, "/vms", CFG_NODE_PROP, "missing required node");
        return -BH_EINVAL;
    }
    if (fdt_first_subnode(c->fdt, vms) < 0) {
        cfg_error(c, NULL, "/vms", CFG_NODE_PROP, "no VM node");
        return -BH_EINVAL;
    }
    return vms;
}

int cfg_parse(const void *fdt, const char *file, const struct platinfo *plat,
              const struct cfg_hooks *hooks, struct cfg_scenario *out)
{
    struct cfg_ctx c = { .fdt = fdt, .file = file, .plat = plat, .hooks = hooks, .out = out };
    int node;

    memset(out, 0, sizeof(*out));
    int vms = find_vms(&c);
    if (vms < 0) {
        return -BH_EINVAL;
    }
    cfg_parse_colour_root(&c); /* VMs' colours are checked against it as they are read */
    fdt_for_each_subnode(node, fdt, vms) {
        parse_vm(&c, node);
    }
    cfg_parse_management(&c, vms);
    cfg_resolve_standby(&c, vms);
    for (uint32_t i = 0; i < out->vm_count; i++) {
        cfg_check_vm(&c, &out->vms[i]);
    }
    cfg_parse_sched(&c);
    cfg_check_cross(&c);
    cfg_check_sched(&c);
    cfg_parse_channels(&c);
    cfg_check_standby_chans(&c);
    cfg_parse_rt(&c);
    return 0;
}

const char *cfg_kernel_type_name(enum cfg_kernel_type type)
{
    return type == CFG_KERNEL_RAW ? "raw" : "linux";
}

const char *cfg_fault_policy_name(enum cfg_fault_policy policy)
{
    switch (policy) {
    case CFG_FAULT_RESTART:
        return "restart";
    case CFG_FAULT_ABORT:
        return "abort";
    case CFG_FAULT_STOP:
    default:
        return "stop";
    }
}

const struct cfg_vm *cfg_find_vm(const struct cfg_scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->vm_count; i++) {
        if (sc->vms[i].name[0] != '\0' && strcmp(sc->vms[i].name, name) == 0) {
            return &sc->vms[i];
        }
    }
    return NULL;
}
