// SPDX-License-Identifier: MIT
/*
 * Console multiplexer: VM output lines and hypervisor lines onto the one physical UART, input
 * from it to the focused VM. See console.h for the fairness argument and docs/CONSOLE.md for
 * what the user sees.
 *
 * Output goes through a ring: a completed line is copied into it (ring.lock, held for the
 * copy only) and written to the UART by whoever drains (ring.drain, held while writing). A
 * VM marked real-time (console_set_vm_realtime) never drains: it appends and asks the
 * kick_drainer hook to have another pCPU do it, so it never waits for the UART or for
 * another VM's line in progress. Everybody else drains right after appending, so a chatty
 * VM pays for its own output. Only when the ring is full does an appender wait.
 *
 * Lock order: vuart.lock -> console lock -> ring.drain -> ring.lock (a vuart's tx hook calls
 * console_vm_putc). The console lock is never held while calling input_to_vm or command,
 * which may take a vuart lock or print; putc runs under ring.drain only.
 */
#include <stdarg.h>
#include <stddef.h>

#include <arch/spinlock.h>
#include <core/console.h>
#include <core/console_text.h>
#include <lib/fmt.h>
#include <lib/string.h>

/* Room for one formatted hypervisor line; longer output is cut (console_printf). */
#define CONSOLE_FMT_MAX 256

static const char console_help[] =
    "bulkhead: console keys: Ctrl-A then 0-7 = input to that vm, n = next vm, "
    "s = statistics, h or ? = this help, Ctrl-A = send Ctrl-A\n";

struct console_vm {
    bool registered;
    bool realtime;  /* never writes to the UART itself (console_set_vm_realtime) */
    char name[CONSOLE_NAME_MAX];
    uint16_t len; /* bytes in line */
    char line[CONSOLE_LINE_MAX];
    struct console_text text; /* the guest's unfinished UTF-8 sequence, if any */
};

_Static_assert(CONSOLE_LINE_MAX <= UINT16_MAX, "line length fits console_vm.len");
_Static_assert(CONSOLE_LINE_MAX >= CONSOLE_TEXT_OUT_MAX, "one piece of safe text fits a line");
_Static_assert(CONSOLE_MAX_VMS <= 10, "focus keys are the single digits 0..MAX-1");

/* Everything below is protected by con.lock. */
static struct {
    struct spinlock lock;
    struct console_hooks hooks;
    struct console_vm vms[CONSOLE_MAX_VMS];
    unsigned focus;     /* VM receiving input */
    bool escape;        /* Ctrl-A seen; the next byte is a command key */
    struct console_stats stats;
    char fmt_buf[CONSOLE_FMT_MAX];
} con; /* set up by console_init */

/* The output ring (see the top). head and tail count bytes since boot; index = count % size. */
#define OUT_RING_SIZE 16384u
#define OUT_CHUNK     64u /* bytes copied out of the ring per lock hold while draining */
_Static_assert((OUT_RING_SIZE & (OUT_RING_SIZE - 1)) == 0, "ring size is a power of two");

static struct {
    struct spinlock lock;  /* buf, head, tail, at_line_start */
    struct spinlock drain; /* one writer to the UART at a time, in ring order */
    uint64_t head, tail;
    bool at_line_start;    /* the last byte appended was '\n' */
    char buf[OUT_RING_SIZE];
} ring;

/* What console_input does once the lock is dropped. */
enum console_action {
    CA_NONE,
    CA_DELIVER, /* byte to VM vm */
    CA_FOCUS,   /* announce the new focus */
    CA_NO_VM,   /* a focus key named an unregistered VM */
    CA_COMMAND,
    CA_HELP,
};

/* Write everything in the ring to the UART, in order. */
static void drain_all(void)
{
    char chunk[OUT_CHUNK];

    spin_lock(&ring.drain);
    for (;;) {
        spin_lock(&ring.lock);
        uint32_t n = (uint32_t)(ring.head - ring.tail);
        n = n < OUT_CHUNK ? n : OUT_CHUNK;
        for (uint32_t i = 0; i < n; i++) {
            chunk[i] = ring.buf[(ring.tail + i) & (OUT_RING_SIZE - 1)];
        }
        ring.tail += n;
        spin_unlock(&ring.lock);
        if (n == 0) {
            break;
        }
        for (uint32_t i = 0; i < n; i++) {
            con.hooks.putc(chunk[i]);
        }
    }
    spin_unlock(&ring.drain);
}

/* One piece of an output record. */
struct piece {
    const char *s;
    size_t len;
};

/* Append the pieces as one record, or nothing if the ring lacks room; true if appended, and
 * *was_empty tells whether the ring was empty before. If sep, a '\n' goes first unless the
 * stream is at a line start. */
static bool try_append(const struct piece *p, unsigned n, bool sep, bool *was_empty)
{
    size_t total = 0;

    for (unsigned i = 0; i < n; i++) {
        total += p[i].len;
    }
    spin_lock(&ring.lock);
    bool nl = sep && !ring.at_line_start;
    bool fits = total + nl <= OUT_RING_SIZE - (ring.head - ring.tail);
    *was_empty = ring.head == ring.tail;
    if (fits) {
        if (nl) {
            ring.buf[ring.head++ & (OUT_RING_SIZE - 1)] = '\n';
        }
        for (unsigned i = 0; i < n; i++) {
            for (size_t k = 0; k < p[i].len; k++) {
                ring.buf[ring.head++ & (OUT_RING_SIZE - 1)] = p[i].s[k];
            }
        }
        if (total > 0) {
            ring.at_line_start = ring.buf[(ring.head - 1) & (OUT_RING_SIZE - 1)] == '\n';
        }
    }
    spin_unlock(&ring.lock);
    return fits;
}

/* Append, making room by draining when the ring is full (only a flood gets here). Returns
 * whether the ring was empty before. */
static bool append(const struct piece *p, unsigned n, bool sep)
{
    bool was_empty;

    while (!try_append(p, n, sep, &was_empty)) {
        con.stats.ring_full++;
        drain_all();
    }
    return was_empty;
}

/*
 * The appender is done: write the ring now, or have the drainer do it for a real-time VM. A
 * real-time VM kicks only when its line went into an empty ring: otherwise whoever put the
 * earlier bytes there has a kick or a drain on its way, and a drain runs until the ring is
 * empty, so one interrupt per burst reaches the drain pCPU, not one per line.
 */
static void after_append(bool realtime, bool was_empty)
{
    if (!realtime || !con.hooks.kick_drainer) {
        drain_all();
    } else if (was_empty) {
        con.hooks.kick_drainer();
    }
}

void console_drain(void)
{
    drain_all();
}

static void append_str(const char *str)
{
    struct piece p = { str, strlen(str) };

    append(&p, 1, false);
}

static struct console_vm *vm_get_locked(unsigned vm)
{
    if (vm >= CONSOLE_MAX_VMS || !con.vms[vm].registered) {
        return NULL;
    }
    return &con.vms[vm];
}

/* Append v's buffered line whole, on a line of its own. */
static bool emit_vm_line_locked(struct console_vm *v)
{
    struct piece p[] = {
        { "[", 1 }, { v->name, strlen(v->name) }, { "] ", 2 }, { v->line, v->len }, { "\n", 1 },
    };

    v->len = 0;
    return append(p, sizeof(p) / sizeof(p[0]), true);
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
    spin_lock_init(&ring.lock);
    spin_lock_init(&ring.drain);
    ring.head = ring.tail = 0;
    ring.at_line_start = true;
}

int console_set_vm_realtime(unsigned vm, bool realtime)
{
    struct console_vm *v;
    int ret = 0;

    spin_lock(&con.lock);
    v = vm_get_locked(vm);
    if (v == NULL) {
        ret = -BH_ENOENT;
    } else {
        v->realtime = realtime;
    }
    spin_unlock(&con.lock);
    return ret;
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
    console_text_reset(&con.vms[vm].text);
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

/*
 * Add safe text (at most CONSOLE_TEXT_OUT_MAX bytes, never cut) to v's line, writing the line
 * out first if the text does not fit. Returns whether that line went into an empty ring.
 */
static bool line_add_locked(struct console_vm *v, const char *s, size_t n, bool *emitted)
{
    bool was_empty = false;

    if (v->len + n > CONSOLE_LINE_MAX) {
        was_empty = emit_vm_line_locked(v);
        *emitted = true;
        con.stats.lines_split++;
    }
    memcpy(&v->line[v->len], s, n);
    v->len = (uint16_t)(v->len + n);
    return was_empty;
}

void console_vm_putc(unsigned vm, char c)
{
    struct console_vm *v;
    bool emitted = false, realtime = false, was_empty = false;
    char text[CONSOLE_TEXT_OUT_MAX];
    size_t n;

    spin_lock(&con.lock);
    v = vm_get_locked(vm);
    if (v == NULL) {
        con.stats.output_dropped++;
        goto out_unlock;
    }
    realtime = v->realtime;
    /*
     * Guest bytes become safe text (console_text.h): no control byte but TAB reaches the
     * UART, so nothing a guest writes moves the cursor over its prefix or starts a line that
     * is not prefixed. Lines end in '\n' on our side; '\r' (of CRLF) is dropped.
     */
    n = console_text_put(&v->text, (uint8_t)c, text, &con.stats.escaped);
    if (n > 0) {
        was_empty = line_add_locked(v, text, n, &emitted);
    }
    if (c == '\n') {
        /* At most two lines per call: a split just above (then the ring is not empty). */
        was_empty |= emit_vm_line_locked(v);
        emitted = true;
    }
out_unlock:
    spin_unlock(&con.lock);
    if (emitted) {
        after_append(realtime, was_empty);
    }
}

void console_vm_flush(unsigned vm)
{
    struct console_vm *v;
    bool emitted = false;
    char text[CONSOLE_TEXT_OUT_MAX];
    size_t n;

    spin_lock(&con.lock);
    v = vm_get_locked(vm);
    if (v != NULL) {
        n = console_text_flush(&v->text, text, &con.stats.escaped);
        if (n > 0) {
            (void)line_add_locked(v, text, n, &emitted);
        }
        if (v->len > 0) {
            (void)emit_vm_line_locked(v);
            emitted = true;
        }
    }
    spin_unlock(&con.lock);
    if (emitted) {
        drain_all(); /* the VM is stopping: whoever stops it writes its last line */
    }
}

void console_puts(const char *s)
{
    if (s == NULL) {
        return;
    }
    spin_lock(&con.lock);
    append_str(s);
    spin_unlock(&con.lock);
    drain_all();
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
    append_str(con.fmt_buf);
    if (n >= (int)sizeof(con.fmt_buf)) {
        append_str("[...]\n");
    }
    spin_unlock(&con.lock);
    drain_all();
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
