// SPDX-License-Identifier: MIT
/*
 * Console multiplexer, output half: VM output and hypervisor lines onto the one physical UART
 * (input, keys and the command mode are in console_in.c). See console.h for the fairness
 * argument and the open line, docs/CONSOLE.md for what the user sees.
 *
 * Output goes through a ring: text is copied into it (ring.lock, held for the copy only) and
 * written to the UART by whoever drains (ring.drain, held while writing). A VM marked
 * real-time (console_set_vm_realtime) never drains: it appends and asks the kick_drainer hook
 * to have another pCPU do it, so it never waits for the UART or for another VM's line in
 * progress. Everybody else drains right after appending, so a chatty VM pays for its own
 * output. Only when the ring is full does an appender wait.
 *
 * Every append happens under con.lock, so the open line (con.open: whose unfinished line the
 * UART shows last) and what the ring holds always agree: before anybody else's text, an open
 * line is ended with '\n'; the focused VM re-prints its prefix when it continues.
 *
 * Lock order: vuart.lock -> console lock -> ring.drain -> ring.lock (a vuart's tx hook calls
 * console_vm_putc, its rx_pull hook console_vm_input_pull). The console lock is never held
 * while calling input_ready or command, which may take a vuart lock or print; putc runs under
 * ring.drain only.
 */
#include <stdarg.h>
#include <stddef.h>

#include <arch/spinlock.h>
#include <core/console.h>
#include <core/console_priv.h>
#include <core/console_text.h>
#include <lib/fmt.h>
#include <lib/string.h>

struct console_state con; /* set up by console_init */
uint8_t con_inq_pool[CONSOLE_INQ_POOL];

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

static const char console_prompt[] = "bulkhead> ";

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
        if (total + nl > 0) {
            ring.at_line_start = ring.buf[(ring.head - 1) & (OUT_RING_SIZE - 1)] == '\n';
        }
    }
    spin_unlock(&ring.lock);
    return fits;
}

/* Append, making room by draining when the ring is full (only a flood gets here). Returns
 * whether the ring was empty before. Under con.lock (every append is). */
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
 * real-time VM kicks only when its text went into an empty ring: otherwise whoever put the
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

void console_end_open_locked(void)
{
    static const struct piece nl = { "\n", 1 };

    if (con.open == CON_OPEN_NONE) {
        return;
    }
    con.open = CON_OPEN_NONE; /* the VM's col keeps what the cut fragment showed */
    (void)append(&nl, 1, false);
}

/* Hypervisor text: ends an open line first; a '\n' goes first only if sep (a partial
 * hypervisor string stays glued to the next hypervisor string, as console_printf's cut). */
static void append_hyp_locked(const char *str, bool sep)
{
    struct piece p = { str, strlen(str) };

    console_end_open_locked();
    (void)append(&p, 1, sep);
}

struct console_vm *console_vm_get_locked(unsigned vm)
{
    if (vm >= CONSOLE_MAX_VMS || !con.vms[vm].registered) {
        return NULL;
    }
    return &con.vms[vm];
}

static unsigned vm_index(const struct console_vm *v)
{
    return (unsigned)(v - con.vms);
}

/* Append v's buffered line whole, on a line of its own. */
static bool emit_vm_line_locked(struct console_vm *v)
{
    struct piece p[] = {
        { "[", 1 }, { v->name, strlen(v->name) }, { "] ", 2 }, { v->line, v->len }, { "\n", 1 },
    };

    console_end_open_locked();
    v->len = 0;
    v->col = 0;
    return append(p, sizeof(p) / sizeof(p[0]), true);
}

void console_typed_locked(void)
{
    con.typed = true;
    con.typed_ns = con.hooks.now_ns != NULL ? con.hooks.now_ns() : 0;
}

/* Is somebody typing to the focused VM (a key or a focus switch not long ago)? */
static bool interactive_locked(void)
{
    if (con.hooks.now_ns == NULL) {
        return true;
    }
    return con.typed && con.hooks.now_ns() - con.typed_ns < CONSOLE_ECHO_WINDOW_NS;
}

/* Does VM vm's text go out as it comes (its line is open, or it has the keyboard)? */
static bool vm_echoes_locked(unsigned vm)
{
    return con.open == (int)vm || (con.focus == vm && !con.cmd_mode && interactive_locked());
}

/*
 * v's echoed line ends ('\n'). If nothing cut it, the '\n' closes it on the terminal; if
 * another line cut it, it goes out again whole on a line of its own, unless the fragment
 * before the cut already showed all of it. Returns whether the ring was empty before.
 */
static bool end_echo_line_locked(struct console_vm *v)
{
    static const struct piece nl = { "\n", 1 };

    if (con.open != (int)vm_index(v)) {
        if (v->col == v->len) {
            /* the fragment before the cut showed it all: it stands complete already */
            v->len = 0;
            v->col = 0;
            return false;
        }
        return emit_vm_line_locked(v);
    }
    con.open = CON_OPEN_NONE;
    v->col = 0;
    v->len = 0;
    return append(&nl, 1, false);
}

/*
 * Put n bytes of safe text (none: s == NULL) on v's open line as they come. The line so far
 * is kept in v->line: when another VM's line or a hypervisor line cut it, the line is opened
 * again behind its prefix and redrawn whole before the new text, so the last copy of a line
 * on the terminal is always complete (what a person reads, and what tools match). Returns
 * whether the ring was empty before.
 */
static bool echo_locked(struct console_vm *v, const char *s, size_t n)
{
    struct piece p[5];
    unsigned k = 0;
    bool was_empty = false;

    if (s != NULL && v->len + n > CONSOLE_LINE_MAX) {
        con.stats.lines_split++; /* too long for one line: end it here */
        was_empty = end_echo_line_locked(v);
    }
    if (con.open != (int)vm_index(v)) {
        console_end_open_locked();
        p[k++] = (struct piece){ "[", 1 };
        p[k++] = (struct piece){ v->name, strlen(v->name) };
        p[k++] = (struct piece){ "] ", 2 };
        p[k++] = (struct piece){ v->line, v->len }; /* redrawn: what a cut hid */
        con.open = (int)vm_index(v);
    }
    if (s != NULL) {
        p[k++] = (struct piece){ s, n };
    }
    if (k > 0) {
        was_empty |= append(p, k, k > 1);
    }
    if (s != NULL) {
        memcpy(&v->line[v->len], s, n);
        v->len = (uint16_t)(v->len + n);
    }
    v->col = v->len;
    return was_empty;
}

void console_arm_locked(uint64_t at_ns)
{
    if (con.hooks.arm_timer != NULL && (con.timer_at == 0 || at_ns < con.timer_at)) {
        con.timer_at = at_ns ? at_ns : 1;
        con.hooks.arm_timer(at_ns);
    }
}

/* Check the focused VM's partial line CONSOLE_PROMPT_NS from now, noting its output so far. */
static void prompt_arm_locked(const struct console_vm *v, uint64_t now)
{
    con.prompt_armed = true;
    con.prompt_at = now + CONSOLE_PROMPT_NS;
    con.prompt_mark = v->stats.out_bytes;
    console_arm_locked(con.prompt_at);
}

/* The focused VM's partial line, shown once the VM has written nothing for a whole check
 * period (a prompt nobody typed at); a VM still writing gets another period. Returns whether
 * it showed. No clock is read per byte: only when a check is armed. */
bool console_prompt_due_locked(uint64_t now)
{
    struct console_vm *v = console_vm_get_locked(con.focus);

    if (!con.prompt_armed) {
        return false;
    }
    if (now < con.prompt_at) {
        console_arm_locked(con.prompt_at); /* the timer fired for something else */
        return false;
    }
    con.prompt_armed = false;
    if (v == NULL || v->len == 0 || con.open == (int)con.focus || con.cmd_mode) {
        return false;
    }
    if (v->stats.out_bytes != con.prompt_mark) {
        prompt_arm_locked(v, now); /* not quiet yet */
        return false;
    }
    (void)echo_locked(v, NULL, 0);
    return true;
}

bool console_vm_show_partial_locked(unsigned vm)
{
    struct console_vm *v = console_vm_get_locked(vm);

    if (v != NULL && v->len > 0 && con.open != (int)vm && vm_echoes_locked(vm)) {
        return echo_locked(v, NULL, 0);
    }
    return false;
}

void console_prompt_locked(void)
{
    struct piece p[] = { { console_prompt, sizeof(console_prompt) - 1 }, { con.cmd, con.cmd_len } };

    console_end_open_locked();
    (void)append(p, 2, true);
    con.open = CON_OPEN_CMD;
}

void console_prompt_append_locked(const char *s, size_t n)
{
    struct piece p = { s, n };

    (void)append(&p, 1, false);
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
    con.open = CON_OPEN_NONE;
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
    v = console_vm_get_locked(vm);
    if (v == NULL) {
        ret = -BH_ENOENT;
    } else {
        v->realtime = realtime;
    }
    spin_unlock(&con.lock);
    return ret;
}

/* Share CONSOLE_INQ_POOL evenly among the registered VMs and vm (about to be). Queues that
 * hold bytes keep them only if nothing moves: registration happens before input. */
static void share_input_pool_locked(unsigned vm)
{
    unsigned n = 0, k = 0;

    for (unsigned i = 0; i < CONSOLE_MAX_VMS; i++) {
        n += con.vms[i].registered || i == vm;
    }
    for (unsigned i = 0; i < CONSOLE_MAX_VMS; i++) {
        if (con.vms[i].registered || i == vm) {
            con.vms[i].in_size = (uint16_t)(CONSOLE_INQ_POOL / n);
            con.vms[i].in_base = (uint16_t)(k++ * (CONSOLE_INQ_POOL / n));
            con.vms[i].in_head = con.vms[i].in_count = 0;
        }
    }
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
    con.vms[vm].col = 0;
    con.vms[vm].in_head = con.vms[vm].in_count = 0;
    share_input_pool_locked(vm);
    memset(&con.vms[vm].stats, 0, sizeof(con.vms[vm].stats));
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
    v = console_vm_get_locked(vm);
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
 * Add safe text (at most CONSOLE_TEXT_OUT_MAX bytes, never cut) to v's buffered line, writing
 * the line out first if the text does not fit. Returns whether that line went into an empty
 * ring.
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

/* Safe text for v: on its open line if it echoes, else into its buffered line. */
static bool text_add_locked(struct console_vm *v, const char *s, size_t n, bool *emitted)
{
    if (vm_echoes_locked(vm_index(v))) {
        *emitted = true;
        return echo_locked(v, s, n); /* what it buffered comes first, redrawn */
    }
    return line_add_locked(v, s, n, emitted);
}

void console_vm_putc(unsigned vm, char c)
{
    struct console_vm *v;
    bool emitted = false, realtime = false, was_empty = false;
    char text[CONSOLE_TEXT_OUT_MAX];
    size_t n;

    spin_lock(&con.lock);
    v = console_vm_get_locked(vm);
    if (v == NULL) {
        con.stats.output_dropped++;
        goto out_unlock;
    }
    realtime = v->realtime;
    v->stats.out_bytes++;
    /*
     * Guest bytes become safe text (console_text.h): no control byte but TAB reaches the
     * UART, so nothing a guest writes moves the cursor over its prefix or starts a line that
     * is not prefixed. Lines end in '\n' on our side; '\r' (of CRLF) is dropped.
     */
    n = console_text_put(&v->text, (uint8_t)c, text, &con.stats.escaped);
    if (n > 0) {
        was_empty = text_add_locked(v, text, n, &emitted);
    }
    /* A partial line of the focused VM that stays quiet shows by itself (a prompt). */
    if (vm == con.focus && c != '\n' && v->len > 0 && con.open != (int)vm &&
        !con.prompt_armed && con.hooks.arm_timer != NULL && con.hooks.now_ns != NULL) {
        prompt_arm_locked(v, con.hooks.now_ns());
    }
    if (c == '\n') {
        v->stats.out_lines++;
        /* At most two appends per call: a split just above (then the ring is not empty). */
        if (vm_echoes_locked(vm)) {
            was_empty |= end_echo_line_locked(v);
        } else {
            was_empty |= emit_vm_line_locked(v);
        }
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
    char text[CONSOLE_TEXT_OUT_MAX];
    size_t n;
    bool emitted = false;

    spin_lock(&con.lock);
    v = console_vm_get_locked(vm);
    if (v != NULL) {
        n = console_text_flush(&v->text, text, &con.stats.escaped);
        if (n > 0) {
            (void)text_add_locked(v, text, n, &emitted);
        }
        if (con.open == (int)vm) {
            (void)end_echo_line_locked(v); /* its open line ends here */
        } else if (v->len > 0) {
            (void)emit_vm_line_locked(v);
        }
        /* Input typed for this run of the VM is not for the next one. */
        v->in_head = v->in_count = 0;
        v->notice_given = false;
    }
    spin_unlock(&con.lock);
    drain_all(); /* the VM is stopping: whoever stops it writes its last line */
}

void console_printf_locked(const char *fmt, ...)
{
    va_list ap;
    int n;

    /* Format into the shared buffer under the lock: no large stack frame at EL2. */
    va_start(ap, fmt);
    n = bh_vsnprintf(con.fmt_buf, sizeof(con.fmt_buf), fmt, ap);
    va_end(ap);
    append_hyp_locked(con.fmt_buf, true);
    if (n >= (int)sizeof(con.fmt_buf)) {
        append_hyp_locked("[...]\n", false);
    }
}

void console_puts(const char *s)
{
    if (s == NULL) {
        return;
    }
    spin_lock(&con.lock);
    append_hyp_locked(s, false);
    spin_unlock(&con.lock);
    drain_all();
}

void console_printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    spin_lock(&con.lock);
    va_start(ap, fmt);
    n = bh_vsnprintf(con.fmt_buf, sizeof(con.fmt_buf), fmt, ap);
    va_end(ap);
    append_hyp_locked(con.fmt_buf, false);
    if (n >= (int)sizeof(con.fmt_buf)) {
        append_hyp_locked("[...]\n", false);
    }
    spin_unlock(&con.lock);
    drain_all();
}

void console_get_stats(struct console_stats *out)
{
    spin_lock(&con.lock);
    *out = con.stats;
    spin_unlock(&con.lock);
}

int console_get_vm_stats(unsigned vm, struct console_vm_stats *out)
{
    struct console_vm *v;
    int ret = 0;

    spin_lock(&con.lock);
    v = console_vm_get_locked(vm);
    if (v == NULL) {
        ret = -BH_ENOENT;
    } else {
        *out = v->stats;
    }
    spin_unlock(&con.lock);
    return ret;
}
