/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: every VM's UART output and the hypervisor's own lines share the one
 * physical UART, and input from it goes to the VM that has the focus, switched with Ctrl-A key
 * sequences; Ctrl-A : opens a small command mode for the board owner (docs/CONSOLE.md).
 *
 * Output. Every VM's text is sanitised (console_text.h) and shown behind its "[name] " prefix.
 * While somebody types to the focused VM (input or a focus switch in the last
 * CONSOLE_ECHO_WINDOW_NS), its characters appear as they are written (a shell prompt and its
 * echo at once): its unfinished line is *open* on the UART. Otherwise, and for every other VM,
 * output is line-buffered, so lines nobody is typing at come out whole (tools match them);
 * a key typed to the focused VM first shows its buffered partial line (a late prompt), and so
 * does a quiet spell of CONSOLE_PROMPT_NS (hooks.arm_timer): a prompt shows by itself. A
 * whole line of anybody else first ends the open line with '\n'; the focused VM's next byte
 * re-prints its prefix. So lines never mix and every line still starts with a prefix or is a
 * hypervisor line.
 *
 * Fairness: output is appended to one ring (a copy under a short lock) and the appender then
 * writes the ring to the UART itself, so a chatty VM pays for its own output. A VM marked
 * real-time (console_set_vm_realtime: the scenario gave it a priority) never writes to the
 * UART: it appends and the kick_drainer hook has another pCPU write, so its vCPU never waits
 * for the UART or for another VM's line in progress (only a full ring, i.e. a flood, makes an
 * appender wait).
 *
 * Input. Typed bytes for the focused VM go into its input queue (its share of CONSOLE_INQ_POOL), from
 * which its UART pulls as its receive FIFO drains (console_vm_input_pull). When the queue is
 * full the console stops reading the physical UART (console_input_room, hooks.rx_hold) until
 * the VM pulls, so a paste of any size arrives whole; a VM that pulls nothing for
 * CONSOLE_RX_HOLD_NS (a hung guest) loses the hold: its bytes are then dropped and counted
 * (rx_dropped), and the escape keys work again. Input for a VM that does not take it (stopped, paused) is refused with a
 * one-line notice.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#define CONSOLE_MAX_VMS  8
#define CONSOLE_LINE_MAX 160  /* VM output bytes per line; a longer line is split */
#define CONSOLE_NAME_MAX 16   /* VM name bytes kept, including the NUL */
/* Input bytes queued while UART FIFOs are full, shared out evenly among the registered VMs
 * (two VMs: 8 KiB each, eight: 2 KiB): console_vm_input_size. */
#define CONSOLE_INQ_POOL 16384
#define CONSOLE_CMD_LINE_MAX 64 /* command-mode line, including the NUL */
#define CONSOLE_RX_HOLD_NS UINT64_C(2000000000) /* longest hold of the UART for a full queue */
/* The focused VM's partial line (a prompt) shows once it has been quiet this long. */
#define CONSOLE_PROMPT_NS UINT64_C(100000000)
#define CONSOLE_EVENTS_DEFAULT 10 /* records `events` shows without a count */
#define CONSOLE_EVENTS_MAX 64     /* the most records `events N` asks for */
/* The focused VM echoes its text as written for this long after the last key typed to it. */
#define CONSOLE_ECHO_WINDOW_NS UINT64_C(10000000000)

/* Ctrl-A: the escape key of the console input. */
#define CONSOLE_ESCAPE 0x01

/* What a console command asks the hypervisor to do (the command hook). */
enum console_op {
    CONSOLE_OP_NONE,    /* empty line */
    CONSOLE_OP_HELP,    /* handled by the console */
    CONSOLE_OP_EXIT,    /* handled by the console */
    CONSOLE_OP_LIST,    /* handled by the console (vm_state hook) */
    CONSOLE_OP_STATS,   /* vm: one VM, or CONSOLE_MAX_VMS for all (Ctrl-A s, `stats [VM]`) */
    CONSOLE_OP_EVENTS,  /* count: the newest records to show */
    CONSOLE_OP_START,   /* vm */
    CONSOLE_OP_STOP,    /* vm */
    CONSOLE_OP_RESTART, /* vm */
    CONSOLE_OP_POWEROFF, /* stop every VM (Ctrl-A q, `poweroff`) */
};

struct console_cmd {
    enum console_op op;
    unsigned vm;    /* a registered VM, or CONSOLE_MAX_VMS (all) for CONSOLE_OP_STATS */
    unsigned count; /* CONSOLE_OP_EVENTS: 1..CONSOLE_EVENTS_MAX */
};

struct console_hooks {
    /* Write one byte to the physical UART, blocking. Called with the console lock held. */
    void (*putc)(char c);
    /*
     * VM vm's input queue has new bytes: have its UART pull them (console_vm_input_pull) as
     * far as its receive FIFO has room. Called without the console lock (the UART's lock comes
     * first in the lock order). Required.
     */
    void (*input_ready)(unsigned vm);
    /*
     * Optional (NULL: every VM is "running" and takes input). The state name of VM vm and, in
     * *takes_input, whether it takes input now. Called with the console lock held: it must
     * not take locks or print.
     */
    const char *(*vm_state)(unsigned vm, bool *takes_input);
    /* Carry out a command (not NONE/HELP/EXIT/LIST). Called without the lock: may print. */
    void (*command)(const struct console_cmd *cmd);
    /* Optional: have some other CPU call console_drain() soon (a real-time VM appended a
     * line). Without it, real-time VMs write their lines themselves like the others. */
    void (*kick_drainer)(void);
    /* Optional: the time in ns (monotonic), for CONSOLE_ECHO_WINDOW_NS. Without it the
     * focused VM always echoes as written. Called with the console lock held. */
    uint64_t (*now_ns)(void);
    /*
     * Optional: stop (hold true) or resume reading the physical UART's receiver (its RX
     * interrupt), so that input waits in the UART, and in whatever feeds it, instead of being
     * dropped. Called with the console lock held: no locks, no printing.
     */
    void (*rx_hold)(bool hold);
    /*
     * Optional (needs now_ns): have console_timer() called once the time reaches at_ns (an
     * earlier request replaces a later one; the console re-arms what it still needs). For the
     * end of a receiver hold and for showing a focused VM's quiet partial line (a prompt).
     * Called with the console lock held: no locks, no printing.
     */
    void (*arm_timer)(uint64_t at_ns);
};

struct console_stats {
    uint64_t input_dropped;  /* input bytes with no registered VM to receive them */
    uint64_t output_dropped; /* output bytes for an unregistered VM */
    uint64_t lines_split;    /* VM lines longer than CONSOLE_LINE_MAX, cut */
    uint64_t ring_full;      /* appends that had to wait for the UART (output flood) */
    uint64_t escaped;        /* guest output bytes shown as \xHH (control bytes, bad UTF-8) */
    uint64_t rx_holds;       /* times the UART's receiver was held for a full input queue */
};

/* One VM's console counters. */
struct console_vm_stats {
    uint64_t out_bytes;  /* bytes the VM wrote to its UART */
    uint64_t out_lines;  /* lines it ended ('\n') */
    uint64_t in_bytes;   /* typed bytes queued for it */
    uint64_t in_dropped; /* typed bytes lost: its queue was full, or it took no input */
};

/*
 * Reset the console: copy *hooks (putc, input_ready and command required), forget every VM,
 * focus on VM 0, zero the statistics. Call once at boot, before any other console function and
 * before other CPUs may print.
 */
void console_init(const struct console_hooks *hooks);

/*
 * Whether the next byte from the physical UART can be taken now. False only when it would go
 * into the focused VM's full input queue: the console then holds the receiver (hooks.rx_hold)
 * until that VM pulls (console_vm_input_pull) or the hold expires. Takes the lock.
 */
bool console_input_room(void);
/* The hold's time is up: resume reading; until the focused VM pulls, bytes for its full
 * queue are dropped and counted rather than held again. Takes the lock. */
void console_input_hold_expired(void);
/* hooks.arm_timer's time came: end a hold that is due, show the focused VM's partial line if
 * it has been quiet for CONSOLE_PROMPT_NS, and re-arm for what is still pending. */
void console_timer(void);

/*
 * Register VM vm (< CONSOLE_MAX_VMS) with a display name (truncated to CONSOLE_NAME_MAX - 1
 * bytes). If the focused VM is not registered, the focus moves to vm. The input queues are
 * shared out again (CONSOLE_INQ_POOL): register every VM before input arrives (at boot). Returns 0, -BH_EINVAL
 * (vm out of range, NULL or empty name) or -BH_EEXIST (already registered). Takes the lock.
 */
int console_add_vm(unsigned vm, const char *name) BH_MUST_CHECK;

/*
 * Rename registered VM vm (same name rules as console_add_vm); later lines use the new
 * name. Returns 0, -BH_EINVAL or -BH_ENOENT (not registered). Takes the lock.
 */
int console_set_vm_name(unsigned vm, const char *name) BH_MUST_CHECK;

/*
 * One byte of output from VM vm, as safe text (console_text.h: control bytes but TAB,
 * invalid UTF-8 and a few unsafe code points become "\xHH"; '\r' is dropped). The focused VM's
 * text goes out at once on its open line (above); any other VM's is buffered until a '\n', a
 * full buffer (the line is split, never inside a character or an escape) or
 * console_vm_flush writes the line as "[<name>] <line>\n" in one piece. So every byte a
 * guest writes reaches the UART on a line that starts with its prefix. Bytes for an
 * unregistered VM are counted and dropped. Takes the lock.
 */
void console_vm_putc(unsigned vm, char c);

/*
 * Mark registered VM vm real-time (or not): its output is appended and handed to the drainer
 * (kick_drainer), never written by its own CPU. 0 or -BH_ENOENT. Takes the lock.
 */
int console_set_vm_realtime(unsigned vm, bool realtime) BH_MUST_CHECK;

/* Write everything appended so far to the UART (the drainer's work; also safe anywhere). */
void console_drain(void);

/*
 * VM vm stops: write its partial line, if any, with an unfinished UTF-8 sequence shown
 * escaped, end its open line, and discard the input queued for it. Takes the lock.
 */
void console_vm_flush(unsigned vm);

/*
 * Move up to max bytes of VM vm's input queue to buf (its UART's receive FIFO has room for
 * them); returns how many. Called by the UART (vuart rx_pull hook, with the UART's lock
 * held). Takes the console lock.
 */
size_t console_vm_input_pull(unsigned vm, uint8_t *buf, size_t max);

/*
 * Write a hypervisor line (e.g. "bulkhead: ...\n") as given, without prefix, in one piece,
 * on a line of its own (an open line is ended first). Takes the lock: do not call it from a
 * console hook that runs with the lock held (putc, vm_state).
 */
void console_puts(const char *s);

/*
 * Like console_puts with bh_vsnprintf formatting; output longer than 255 bytes is cut and
 * ends with "[...]\n". Takes the lock.
 */
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Handle one byte read from the physical UART: queue it for the focused VM, act on a Ctrl-A
 * sequence, or edit the command line in command mode (docs/CONSOLE.md). Bytes with no
 * registered VM to take them are counted and dropped. Called by one CPU at a time (the
 * physical UART's interrupt handler); the input_ready and command hooks are called after the
 * lock is released.
 */
void console_input(uint8_t c);

/* The size of VM vm's input queue (0: not registered). Takes the lock. */
size_t console_vm_input_size(unsigned vm);

/* The VM that receives input now. Takes the lock. */
unsigned console_focus(void);

/* True while the command mode (Ctrl-A :) has the keyboard. Takes the lock. */
bool console_in_command_mode(void);

/* Copy the statistics into *out. Takes the lock. */
void console_get_stats(struct console_stats *out);

/* Copy VM vm's counters into *out: 0, or -BH_ENOENT (not registered). Takes the lock. */
int console_get_vm_stats(unsigned vm, struct console_vm_stats *out) BH_MUST_CHECK;

/*
 * Parse one command-mode line (len bytes, not NUL-terminated, hostile: bounded by len).
 * names[i] is VM i's name ("" when not registered); a VM is named by its name or its digit.
 * Returns 0 with *out filled, or -BH_EINVAL with *why set to a static message.
 * Pure (console_cmd.c): no lock, no output.
 */
int console_cmd_parse(const char *line, size_t len, const char (*names)[CONSOLE_NAME_MAX],
                      struct console_cmd *out, const char **why) BH_MUST_CHECK;
