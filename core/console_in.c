// SPDX-License-Identifier: MIT
/*
 * Console multiplexer, input half: bytes from the physical UART go to the focused VM's input
 * queue, Ctrl-A sequences switch the focus or run a key command, and the command mode
 * (Ctrl-A :) edits a `bulkhead> ` line for the board owner. docs/CONSOLE.md "Keys" and
 * "Command mode".
 *
 * The input queue exists because a UART's receive FIFO is small (32 bytes): a paste faster
 * than the guest reads would lose bytes. The queue takes what the FIFO cannot and the UART
 * pulls from it as the guest reads (console_vm_input_pull): back-pressure from the guest to
 * the queue, and only a queue full (its share of CONSOLE_INQ_POOL unread) loses input, counted.
 *
 * Everything is decided under con.lock (hypervisor lines are appended there too, so a notice
 * lands whole and in order); the input_ready and command hooks run after it is dropped.
 */
#include <stddef.h>

#include <arch/spinlock.h>
#include <core/console.h>
#include <core/console_priv.h>
#include <lib/string.h>

static const char console_help[] =
    "bulkhead: console keys: Ctrl-A then 0-7 = input to that vm, n = next vm, l = list vms, "
    "s = statistics, : = command mode, q = power off, h or ? = this help, "
    "Ctrl-A = send Ctrl-A\n";

static const char *const console_cmd_help[] = {
    "bulkhead: commands: list | stats [VM] | events [N] | start VM | stop VM | restart VM",
    "bulkhead: commands: poweroff | help | exit (or Ctrl-D); VM = name or digit",
};

/* What console_input does once the lock is dropped. */
enum console_action {
    CA_NONE,
    CA_INPUT,   /* VM vm's queue has new bytes */
    CA_COMMAND, /* run cmd */
};

static const char *vm_state_locked(unsigned vm, bool *takes_input)
{
    *takes_input = true;
    return con.hooks.vm_state != NULL ? con.hooks.vm_state(vm, takes_input) : "running";
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

/* The keyboard goes back to VMs (a focus key, `exit`): the focused VM's partial line shows. */
static void leave_command_mode_locked(void)
{
    if (con.cmd_mode) {
        con.cmd_mode = false;
        con.cmd_len = 0;
        console_end_open_locked();
    }
}

/* `exit`: back to the focused VM, announced like a focus switch. */
static void exit_command_mode_locked(void)
{
    leave_command_mode_locked();
    console_typed_locked();
    if (con.vms[con.focus].registered) {
        console_printf_locked("bulkhead: console input -> vm %s\n", con.vms[con.focus].name);
        (void)console_vm_show_partial_locked(con.focus);
    }
}

static void set_focus_locked(unsigned vm)
{
    leave_command_mode_locked();
    con.focus = vm;
    con.rx_gave_up = false; /* a new target: its queue may hold the receiver afresh */
    con.vms[vm].notice_given = false;
    console_typed_locked();
    console_printf_locked("bulkhead: console input -> vm %s\n", con.vms[vm].name);
    (void)console_vm_show_partial_locked(vm);
}

static void list_locked(void)
{
    bool takes;

    for (unsigned i = 0; i < CONSOLE_MAX_VMS; i++) {
        if (con.vms[i].registered) {
            console_printf_locked("bulkhead: console: %u %-15s %s%s\n", i, con.vms[i].name,
                                  vm_state_locked(i, &takes), i == con.focus ? " <- input" : "");
        }
    }
}

static void enter_command_mode_locked(void)
{
    if (!con.cmd_mode) {
        console_printf_locked("bulkhead: console: command mode (help lists commands, exit "
                              "leaves)\n");
        con.cmd_mode = true;
        con.cmd_len = 0;
        con.cmd_cr = false;
    }
    console_prompt_locked();
}

/* The key after Ctrl-A. */
static enum console_action escape_key_locked(uint8_t c, unsigned *vm, uint8_t *byte,
                                             struct console_cmd *cmd)
{
    switch (c) {
    case CONSOLE_ESCAPE:
        *byte = CONSOLE_ESCAPE;
        return CA_INPUT; /* queued below, like any byte (not in command mode) */
    case 'n':
        *vm = next_vm_locked();
        if (*vm != CONSOLE_MAX_VMS) {
            set_focus_locked(*vm);
        }
        return CA_NONE;
    case 's':
        *cmd = (struct console_cmd){ .op = CONSOLE_OP_STATS, .vm = CONSOLE_MAX_VMS };
        return CA_COMMAND;
    case 'q':
        console_printf_locked("bulkhead: console: power off requested\n");
        *cmd = (struct console_cmd){ .op = CONSOLE_OP_POWEROFF };
        return CA_COMMAND;
    case 'l':
        list_locked();
        return CA_NONE;
    case ':':
        enter_command_mode_locked();
        return CA_NONE;
    case 'h':
    case '?':
        console_printf_locked("%s", console_help);
        return CA_NONE;
    default:
        break;
    }
    if (c >= '0' && c < '0' + CONSOLE_MAX_VMS) {
        if (!con.vms[c - '0'].registered) {
            console_printf_locked("bulkhead: console: no vm %u\n", (unsigned)(c - '0'));
        } else {
            set_focus_locked((unsigned)(c - '0'));
        }
    }
    return CA_NONE; /* unknown keys are ignored */
}

/* Queue byte c for the focused VM, or refuse it (no VM, VM takes no input, queue full). */
static enum console_action deliver_locked(uint8_t c, unsigned *vm)
{
    struct console_vm *v = console_vm_get_locked(con.focus);
    bool takes;

    if (v == NULL) {
        con.stats.input_dropped++;
        return CA_NONE;
    }
    const char *state = vm_state_locked(con.focus, &takes);
    if (!takes) {
        v->stats.in_dropped++;
        if (!v->notice_given) {
            v->notice_given = true; /* once until it takes input again or gets the focus */
            console_printf_locked("bulkhead: console: vm %s is %s: input not delivered "
                                  "(Ctrl-A l lists vms)\n", v->name, state);
        }
        return CA_NONE;
    }
    v->notice_given = false;
    if (v->in_count >= v->in_size) {
        v->stats.in_dropped++;
        return CA_NONE;
    }
    con_inq_pool[v->in_base + (v->in_head + v->in_count) % v->in_size] = c;
    v->in_count++;
    v->stats.in_bytes++;
    console_typed_locked();
    (void)console_vm_show_partial_locked(con.focus); /* a prompt it printed long ago */
    *vm = con.focus;
    return CA_INPUT;
}

/* Enter in command mode: run the line. Commands the console itself answers run here. */
static enum console_action run_line_locked(struct console_cmd *cmd)
{
    char names[CONSOLE_MAX_VMS][CONSOLE_NAME_MAX];
    const char *why = NULL;
    size_t len = con.cmd_len;

    if (con.open != CON_OPEN_CMD) {
        console_prompt_locked(); /* the command stays visible above its output */
    }
    console_end_open_locked();
    con.cmd_len = 0;
    memset(names, 0, sizeof(names));
    for (unsigned i = 0; i < CONSOLE_MAX_VMS; i++) {
        if (con.vms[i].registered) {
            memcpy(names[i], con.vms[i].name, sizeof(names[i])); /* NUL-terminated inside */
        }
    }
    if (console_cmd_parse(con.cmd, len, (const char (*)[CONSOLE_NAME_MAX])names, cmd,
                          &why) != 0) {
        console_printf_locked("bulkhead: console: %s\n", why);
        console_prompt_locked();
        return CA_NONE;
    }
    switch (cmd->op) {
    case CONSOLE_OP_NONE:
        break;
    case CONSOLE_OP_HELP:
        for (size_t i = 0; i < sizeof(console_cmd_help) / sizeof(console_cmd_help[0]); i++) {
            console_printf_locked("%s\n", console_cmd_help[i]);
        }
        break;
    case CONSOLE_OP_LIST:
        list_locked();
        break;
    case CONSOLE_OP_EXIT:
        exit_command_mode_locked();
        return CA_NONE;
    default:
        return CA_COMMAND; /* the prompt comes back once the command is done */
    }
    console_prompt_locked();
    return CA_NONE;
}

/* One key in command mode. Only printable ASCII is kept; the line is bounded. */
static enum console_action command_key_locked(uint8_t c, struct console_cmd *cmd)
{
    bool cr_before = con.cmd_cr;

    con.cmd_cr = c == '\r';
    if (c == '\n' && cr_before) {
        return CA_NONE; /* the '\n' of a CRLF Enter */
    }
    if (c == '\r' || c == '\n') {
        return run_line_locked(cmd);
    }
    if (c == 0x03) { /* Ctrl-C: drop the line */
        con.cmd_len = 0;
        if (con.open == CON_OPEN_CMD) {
            console_prompt_append_locked("^C", 2);
        }
        console_prompt_locked();
    } else if (c == 0x04 && con.cmd_len == 0) { /* Ctrl-D on an empty line: exit */
        exit_command_mode_locked();
    } else if (c == 0x7f || c == 0x08) {
        if (con.cmd_len > 0) {
            con.cmd_len--;
            if (con.open == CON_OPEN_CMD) {
                console_prompt_append_locked("\b \b", 3);
            } else {
                console_prompt_locked();
            }
        }
    } else if (c >= 0x20 && c < 0x7f && con.cmd_len < CONSOLE_CMD_LINE_MAX - 1) {
        con.cmd[con.cmd_len++] = (char)c;
        if (con.open == CON_OPEN_CMD) {
            console_prompt_append_locked((const char *)&c, 1);
        } else {
            console_prompt_locked(); /* the prompt and what was typed, again */
        }
    }
    (void)cmd;
    return CA_NONE;
}

void console_input(uint8_t c)
{
    enum console_action act = CA_NONE;
    struct console_cmd cmd = { .op = CONSOLE_OP_NONE };
    unsigned vm = 0;
    uint8_t byte = c;

    /* Decide under the lock; act after dropping it (hooks may take vuart locks or print). */
    spin_lock(&con.lock);
    if (con.escape) {
        con.escape = false;
        act = escape_key_locked(c, &vm, &byte, &cmd);
        if (act == CA_INPUT) {
            act = con.cmd_mode ? CA_NONE : deliver_locked(byte, &vm);
        }
    } else if (c == CONSOLE_ESCAPE) {
        con.escape = true;
    } else if (con.cmd_mode) {
        act = command_key_locked(c, &cmd);
    } else {
        act = deliver_locked(c, &vm);
    }
    spin_unlock(&con.lock);
    console_drain();

    switch (act) {
    case CA_INPUT:
        con.hooks.input_ready(vm);
        break;
    case CA_COMMAND:
        con.hooks.command(&cmd);
        spin_lock(&con.lock);
        if (con.cmd_mode) {
            console_prompt_locked();
        }
        spin_unlock(&con.lock);
        console_drain();
        break;
    case CA_NONE:
        break;
    }
}

/* The focused VM's queue is full and it takes input: a byte for it would be dropped. */
static bool focused_queue_full_locked(void)
{
    struct console_vm *v = console_vm_get_locked(con.focus);
    bool takes = false;

    if (con.escape || con.cmd_mode || v == NULL || v->in_count < v->in_size) {
        return false;
    }
    (void)vm_state_locked(con.focus, &takes);
    return takes;
}

static void rx_release_locked(void)
{
    if (con.rx_held) {
        con.rx_held = false;
        con.hooks.rx_hold(false);
    }
}

bool console_input_room(void)
{
    bool room = true;

    spin_lock(&con.lock);
    if (con.hooks.rx_hold != NULL && !con.rx_gave_up && focused_queue_full_locked()) {
        room = false;
        if (!con.rx_held) {
            con.rx_held = true;
            con.stats.rx_holds++;
            con.hooks.rx_hold(true);
            if (con.hooks.now_ns != NULL) {
                con.rx_hold_until = con.hooks.now_ns() + CONSOLE_RX_HOLD_NS;
                console_arm_locked(con.rx_hold_until);
            }
        }
    }
    spin_unlock(&con.lock);
    return room;
}

static void hold_expired_locked(void)
{
    if (con.rx_held) {
        con.rx_gave_up = true;
        rx_release_locked();
    }
}

void console_input_hold_expired(void)
{
    spin_lock(&con.lock);
    hold_expired_locked();
    spin_unlock(&con.lock);
}

void console_timer(void)
{
    bool shown = false;

    spin_lock(&con.lock);
    uint64_t now = con.hooks.now_ns != NULL ? con.hooks.now_ns() : 0;
    con.timer_at = 0;
    if (con.rx_held) {
        if (now >= con.rx_hold_until) {
            hold_expired_locked();
        } else {
            console_arm_locked(con.rx_hold_until);
        }
    }
    shown = console_prompt_due_locked(now);
    spin_unlock(&con.lock);
    if (shown) {
        console_drain();
    }
}

size_t console_vm_input_pull(unsigned vm, uint8_t *buf, size_t max)
{
    struct console_vm *v;
    size_t n = 0;

    spin_lock(&con.lock);
    v = console_vm_get_locked(vm);
    if (v != NULL) {
        n = v->in_count < max ? v->in_count : max;
        for (size_t i = 0; i < n; i++) {
            buf[i] = con_inq_pool[v->in_base + (v->in_head + i) % v->in_size];
        }
        v->in_head = v->in_size ? (uint16_t)((v->in_head + n) % v->in_size) : 0;
        v->in_count = (uint16_t)(v->in_count - n);
    }
    if (n > 0 && vm == con.focus) {
        con.rx_gave_up = false;
        rx_release_locked(); /* room again: read on */
    }
    spin_unlock(&con.lock);
    return n;
}

size_t console_vm_input_size(unsigned vm)
{
    struct console_vm *v;
    size_t n = 0;

    spin_lock(&con.lock);
    v = console_vm_get_locked(vm);
    if (v != NULL) {
        n = v->in_size;
    }
    spin_unlock(&con.lock);
    return n;
}

unsigned console_focus(void)
{
    unsigned vm;

    spin_lock(&con.lock);
    vm = con.focus;
    spin_unlock(&con.lock);
    return vm;
}

bool console_in_command_mode(void)
{
    bool on;

    spin_lock(&con.lock);
    on = con.cmd_mode;
    spin_unlock(&con.lock);
    return on;
}
