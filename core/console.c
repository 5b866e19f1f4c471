// SPDX-License-Identifier: MIT
/*
 * Console multiplexer: VM output lines and hypervisor lines onto the one physical UART, input
 * from it to the focused VM. See console.h for the fairness argument and docs/CONSOLE.md for
 * what the user sees.
 *
 * Lock order: vuart.lock -> console lock (a vuart's tx hook calls console_vm_putc). The
 * console lock is never held while calling input_to_vm or command, which may take a vuart
 * lock or print; only putc runs under it.
 */
#include <stdarg.h>
#include <stddef.h>

#include <arch/spinlock.h>
#include <core/console.h>
#include <lib/fmt.h>
#include <lib/string.h>

/* Room for one formatted hypervisor line; longer output is cut (console_printf). */
#define CONSOLE_FMT_MAX 256

static const char console_help[] =
    "bulkhead: console keys: Ctrl-A then 0-7 = input to that vm, n = next vm, "
    "s = statistics, h or ? = this help, Ctrl-A = send Ctrl-A\n";

struct console_vm {
    bool registered;
    char name[CONSOLE_NAME_MAX];
    uint16_t len; /* bytes in line */
    char line[CONSOLE_LINE_MAX];
};

_Static_assert(CONSOLE_LINE_MAX <= UINT16_MAX, "line length fits console_vm.len");
_Static_assert(CONSOLE_MAX_VMS <= 10, "focus keys are the single digits 0..MAX-1");

/* Everything below is protected by con.lock. */
static struct {
    struct spinlock lock;
    struct console_hooks hooks;
    struct console_vm vms[CONSOLE_MAX_VMS];
    unsigned focus;     /* VM receiving input */
    bool escape;        /* Ctrl-A seen; the next byte is a command key */
    bool at_line_start; /* the last byte written to the UART was '\n' */
    struct console_stats stats;
    char fmt_buf[CONSOLE_FMT_MAX];
} con; /* set up by console_init */

/* What console_input does once the lock is dropped. */
enum console_action {
    CA_NONE,
    CA_DELIVER, /* byte to VM vm */
    CA_FOCUS,   /* announce the new focus */
    CA_NO_VM,   /* a focus key named an unregistered VM */
    CA_COMMAND,
    CA_HELP,
};

static void raw_putc_locked(char c)
{
    con.hooks.putc(c);
    con.at_line_start = (c == '\n');
}

static void raw_puts_locked(const char *s)
{
    while (*s != '\0') {
        raw_putc_locked(*s++);
    }
}

static struct console_vm *vm_get_locked(unsigned vm)
{
    if (vm >= CONSOLE_MAX_VMS || !con.vms[vm].registered) {
        return NULL;
    }
    return &con.vms[vm];
}

/* Write v's buffered line whole, on a line of its own. */
static void emit_vm_line_locked(struct console_vm *v)
{
    /* A hypervisor string without a final '\n' must not glue a VM line to its end. */
    if (!con.at_line_start) {
        raw_putc_locked('\n');
    }
    raw_putc_locked('[');
    raw_puts_locked(v->name);
    raw_puts_locked("] ");
    for (uint16_t i = 0; i < v->len; i++) {
        raw_putc_locked(v->line[i]);
    }
    raw_putc_locked('\n');
    v->len = 0;
}

static bool name_is_valid(const char *name)
{
    return name != NULL && name[0] != '\0';
}

static void set_name_locked(struct console_vm *v, const char *name)
{
    size_t n = strnlen(name, CONSOLE_NAME_MAX - 1);

    memcpy(v->name, name, n);
    v->name[n] = '\0';
}

void console_init(const struct console_hooks *hooks)
{
    memset(&con, 0, sizeof(con));
    spin_lock_init(&con.lock);
    con.hooks = *hooks;
    con.at_line_start = true;
}

int console_add_vm(unsigned vm, const char *name)
{
    int ret = 0;

    if (vm >= CONSOLE_MAX_VMS || !name_is_valid(name)) {
        return -BH_EINVAL;
    }
    spin_lock(&con.lock);
    if (con.vms[vm].registered) {
        ret = -BH_EEXIST;
        goto out_unlock;
    }
    set_name_locked(&con.vms[vm], name);
    con.vms[vm].len = 0;
    con.vms[vm].registered = true;
    /* Input always has a registered target once there is one. */
    if (!con.vms[con.focus].registered) {
        con.focus = vm;
    }
out_unlock:
    spin_unlock(&con.lock);
    return ret;
}

int console_set_vm_name(unsigned vm, const char *name)
{
    struct console_vm *v;
    int ret = 0;

    if (vm >= CONSOLE_MAX_VMS || !name_is_valid(name)) {
        return -BH_EINVAL;
    }
    spin_lock(&con.lock);
    v = vm_get_locked(vm);
    if (v == NULL) {
        ret = -BH_ENOENT;
        goto out_unlock;
    }
    set_name_locked(v, name);
out_unlock:
    spin_unlock(&con.lock);
    return ret;
}

void console_vm_putc(unsigned vm, char c)
{
    struct console_vm *v;

    spin_lock(&con.lock);
    v = vm_get_locked(vm);
    if (v == NULL) {
        con.stats.output_dropped++;
        goto out_unlock;
    }
    /* Lines end in '\n' on our side; a guest's CR of CRLF would only add noise. */
    if (c == '\r') {
        goto out_unlock;
    }
    if (c == '\n') {
        emit_vm_line_locked(v);
        goto out_unlock;
    }
    /* Full buffer: write it as a line now, so no call holds the lock for more than one. */
    if (v->len == CONSOLE_LINE_MAX) {
        emit_vm_line_locked(v);
        con.stats.lines_split++;
    }
    v->line[v->len++] = c;
out_unlock:
    spin_unlock(&con.lock);
}

void console_vm_flush(unsigned vm)
{
    struct console_vm *v;

    spin_lock(&con.lock);
    v = vm_get_locked(vm);
    if (v != NULL && v->len > 0) {
        emit_vm_line_locked(v);
    }
    spin_unlock(&con.lock);
}

void console_puts(const char *s)
{
    if (s == NULL) {
        return;
    }
    spin_lock(&con.lock);
    raw_puts_locked(s);
    spin_unlock(&con.lock);
}

void console_printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    spin_lock(&con.lock);
    /* Format into the shared buffer under the lock: no large stack frame at EL2. */
    va_start(ap, fmt);
    n = bh_vsnprintf(con.fmt_buf, sizeof(con.fmt_buf), fmt, ap);
    va_end(ap);
    raw_puts_locked(con.fmt_buf);
    if (n >= (int)sizeof(con.fmt_buf)) {
        raw_puts_locked("[...]\n");
    }
    spin_unlock(&con.lock);
}

/* Next registered VM after the focus (wrapping), or CONSOLE_MAX_VMS if there is none. */
static unsigned next_vm_locked(void)
{
    for (unsigned i = 1; i <= CONSOLE_MAX_VMS; i++) {
        unsigned vm = (con.focus + i) % CONSOLE_MAX_VMS;
        if (con.vms[vm].registered) {
            return vm;
        }
    }
    return CONSOLE_MAX_VMS;
}

/* The key after Ctrl-A. Sets *vm and *byte for the action returned. */
static enum console_action escape_key_locked(uint8_t c, unsigned *vm, uint8_t *byte)
{
    switch (c) {
    case CONSOLE_ESCAPE:
        *byte = CONSOLE_ESCAPE;
        return CA_DELIVER;
    case 'n':
        *vm = next_vm_locked();
        if (*vm == CONSOLE_MAX_VMS) {
            return CA_NONE;
        }
        con.focus = *vm;
        return CA_FOCUS;
    case CONSOLE_CMD_STATS:
        return CA_COMMAND;
    case 'h':
    case '?':
        return CA_HELP;
    default:
        break;
    }
    if (c >= '0' && c < '0' + CONSOLE_MAX_VMS) {
        *vm = (unsigned)(c - '0');
        if (!con.vms[*vm].registered) {
            return CA_NO_VM;
        }
        con.focus = *vm;
        return CA_FOCUS;
    }
    return CA_NONE; /* unknown keys are ignored */
}

void console_input(uint8_t c)
{
    enum console_action act = CA_NONE;
    unsigned vm = 0;
    uint8_t byte = c;
    char name[CONSOLE_NAME_MAX];

    /* Decide under the lock; act after dropping it (hooks may take vuart locks or print). */
    spin_lock(&con.lock);
    if (con.escape) {
        con.escape = false;
        act = escape_key_locked(c, &vm, &byte);
    } else if (c == CONSOLE_ESCAPE) {
        con.escape = true;
    } else {
        act = CA_DELIVER;
    }
    if (act == CA_DELIVER) {
        vm = con.focus;
        if (!con.vms[vm].registered) {
            con.stats.input_dropped++;
            act = CA_NONE;
        }
    }
    if (act == CA_FOCUS) {
        memcpy(name, con.vms[vm].name, sizeof(name));
    }
    spin_unlock(&con.lock);

    switch (act) {
    case CA_DELIVER:
        con.hooks.input_to_vm(vm, byte);
        break;
    case CA_FOCUS:
        console_printf("bulkhead: console input -> vm %s\n", name);
        break;
    case CA_NO_VM:
        console_printf("bulkhead: console: no vm %u\n", vm);
        break;
    case CA_COMMAND:
        con.hooks.command(CONSOLE_CMD_STATS);
        break;
    case CA_HELP:
        console_puts(console_help);
        break;
    case CA_NONE:
        break;
    }
}

unsigned console_focus(void)
{
    unsigned vm;

    spin_lock(&con.lock);
    vm = con.focus;
    spin_unlock(&con.lock);
    return vm;
}

void console_get_stats(struct console_stats *out)
{
    spin_lock(&con.lock);
    *out = con.stats;
    spin_unlock(&con.lock);
}
