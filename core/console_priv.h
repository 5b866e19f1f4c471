/* SPDX-License-Identifier: MIT */
/*
 * State shared by the console's output half (console.c: VM lines, the open line, the ring)
 * and its input half (console_in.c: keys, input queues, command mode). Private to those two
 * files; everything here is protected by con.lock unless said otherwise.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/spinlock.h>
#include <core/console.h>
#include <core/console_text.h>

/* Room for one formatted hypervisor line; longer output is cut (console_printf). A STATS line
 * with every counter at 10 digits takes about 400 bytes. */
#define CONSOLE_FMT_MAX 512

/* Whose line is open (unfinished) on the UART: nobody, a VM index, or the command prompt. */
#define CON_OPEN_NONE (-1)
#define CON_OPEN_CMD  CONSOLE_MAX_VMS

struct console_vm {
    bool registered;
    bool realtime;      /* never writes to the UART itself (console_set_vm_realtime) */
    bool notice_given;  /* "takes no input" notice shown since the last delivery/focus */
    char name[CONSOLE_NAME_MAX];
    uint16_t len;       /* bytes in line (buffered, not yet on the UART) */
    uint16_t col;       /* bytes of its line shown by its last echoed fragment */
    char line[CONSOLE_LINE_MAX];
    struct console_text text; /* the guest's unfinished UTF-8 sequence, if any */
    struct console_vm_stats stats;
    uint16_t in_base;   /* input queue: its part of con_inq_pool */
    uint16_t in_size;   /* input queue: bytes it holds */
    uint16_t in_head;   /* input queue: oldest byte, relative to in_base */
    uint16_t in_count;  /* input queue: bytes waiting */
};

_Static_assert(CONSOLE_LINE_MAX <= UINT16_MAX, "line length fits console_vm.len");
_Static_assert(CONSOLE_LINE_MAX >= CONSOLE_TEXT_OUT_MAX, "one piece of safe text fits a line");
_Static_assert(CONSOLE_MAX_VMS <= 10, "focus keys are the single digits 0..MAX-1");
_Static_assert(CONSOLE_INQ_POOL <= UINT16_MAX, "input queue indices fit uint16_t");

struct console_state {
    struct spinlock lock;
    struct console_hooks hooks;
    struct console_vm vms[CONSOLE_MAX_VMS];
    unsigned focus;     /* VM receiving input */
    bool escape;        /* Ctrl-A seen; the next byte is a command key */
    int open;           /* CON_OPEN_*: whose line is open on the UART */
    bool typed;         /* input reached the focused VM (or the focus moved) ... */
    uint64_t typed_ns;  /* ... last at this time (hooks.now_ns) */
    bool cmd_mode;      /* the command mode has the keyboard */
    bool rx_held;       /* the UART's receiver is held for the focused VM's full queue */
    bool rx_gave_up;    /* a hold expired: no new hold until that VM pulls */
    uint64_t rx_hold_until; /* ns: when the current hold ends by itself */
    uint64_t timer_at;  /* ns: when hooks.arm_timer was last asked for; 0: not armed */
    bool prompt_armed;  /* a check of the focused VM's partial line is due at prompt_at */
    uint64_t prompt_at;
    uint64_t prompt_mark; /* the focused VM's out_bytes when the check was armed */
    bool cmd_cr;        /* the last command-mode key was '\r' (its '\n' is skipped) */
    uint8_t cmd_len;
    char cmd[CONSOLE_CMD_LINE_MAX];
    struct console_stats stats;
    char fmt_buf[CONSOLE_FMT_MAX];
};

extern struct console_state con;

/* Have console_timer() run at at_ns, unless it is already due at or before then. */
void console_arm_locked(uint64_t at_ns);
/* console_timer's check of the focused VM's partial line (console.c). */
bool console_prompt_due_locked(uint64_t now);
/* The input queues' bytes (console_vm.in_base/in_size), outside con: never cleared. */
extern uint8_t con_inq_pool[CONSOLE_INQ_POOL];

/* Somebody typed to the focused VM just now: it echoes for CONSOLE_ECHO_WINDOW_NS. */
void console_typed_locked(void);

/* The registered VM vm, or NULL. */
struct console_vm *console_vm_get_locked(unsigned vm);

/* Append a hypervisor line (or text) formatted like console_printf; the caller drains after
 * dropping the lock (console_drain). An open line is ended first. */
void console_printf_locked(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Show the prompt and the command line typed so far on an open line of its own. */
void console_prompt_locked(void);

/* Append raw hypervisor text to the open prompt line (the caller checked con.open). */
void console_prompt_append_locked(const char *s, size_t n);

/* End whatever line is open on the UART. */
void console_end_open_locked(void);

/* VM vm now echoes (it got the focus, or the command mode ended): show its buffered partial
 * line on its open line. Returns whether the ring was empty before (false: nothing shown). */
bool console_vm_show_partial_locked(unsigned vm);
