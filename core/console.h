/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: every VM's UART output and the hypervisor's own lines share the one
 * physical UART, whole lines at a time, and input from it goes to the VM that has the focus,
 * switched with Ctrl-A key sequences (docs/CONSOLE.md).
 *
 * Fairness: a completed line is appended to one output ring (a copy under a short lock) and
 * the appender then writes the ring to the UART itself, so a chatty VM pays for its own
 * output. A VM marked real-time (console_set_vm_realtime: the scenario gave it a priority)
 * never writes to the UART: it appends and the kick_drainer hook has another pCPU write, so
 * its vCPU never waits for the UART or for another VM's line in progress (only a full ring,
 * i.e. a flood, makes an appender wait). VM output is buffered per VM until its line is
 * complete, so lines of different VMs never interleave mid-line.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#define CONSOLE_MAX_VMS  8
#define CONSOLE_LINE_MAX 160 /* VM output bytes per line; a longer line is split */
#define CONSOLE_NAME_MAX 16  /* VM name bytes kept, including the NUL */

/* Ctrl-A: the escape key of the console input. */
#define CONSOLE_ESCAPE 0x01

struct console_hooks {
    /* Write one byte to the physical UART, blocking. Called with the console lock held. */
    void (*putc)(char c);
    /*
     * One input byte for VM vm (the caller pushes it into that VM's vuart). Called without
     * the console lock, so it may take the vuart lock (whose tx hook takes the console lock).
     */
    void (*input_to_vm)(unsigned vm, uint8_t c);
    /* A console command key (CONSOLE_CMD_*). Called without the console lock: may print. */
    void (*command)(char cmd);
    /* Optional: have some other CPU call console_drain() soon (a real-time VM appended a
     * line). Without it, real-time VMs write their lines themselves like the others. */
    void (*kick_drainer)(void);
};

/* Command keys passed to the command hook. */
#define CONSOLE_CMD_STATS 's'

struct console_stats {
    uint64_t input_dropped;  /* input bytes with no registered VM to receive them */
    uint64_t output_dropped; /* output bytes for an unregistered VM */
    uint64_t lines_split;    /* VM lines longer than CONSOLE_LINE_MAX, cut */
    uint64_t ring_full;      /* appends that had to wait for the UART (output flood) */
    uint64_t escaped;        /* guest output bytes shown as \xHH (control bytes, bad UTF-8) */
};

/*
 * Reset the console: copy *hooks (all three required), forget every VM, focus on VM 0,
 * zero the statistics. Call once at boot, before any other console function and before
 * other CPUs may print.
 */
void console_init(const struct console_hooks *hooks);

/*
 * Register VM vm (< CONSOLE_MAX_VMS) with a display name (truncated to CONSOLE_NAME_MAX - 1
 * bytes). If the focused VM is not registered, the focus moves to vm. Returns 0, -BH_EINVAL
 * (vm out of range, NULL or empty name) or -BH_EEXIST (already registered). Takes the lock.
 */
int console_add_vm(unsigned vm, const char *name) BH_MUST_CHECK;

/*
 * Rename registered VM vm (same name rules as console_add_vm); later lines use the new
 * name. Returns 0, -BH_EINVAL or -BH_ENOENT (not registered). Takes the lock.
 */
int console_set_vm_name(unsigned vm, const char *name) BH_MUST_CHECK;

/*
 * One byte of output from VM vm. Bytes are buffered per VM as safe text (console_text.h:
 * control bytes but TAB, invalid UTF-8 and a few unsafe code points become "\xHH"; '\r' is
 * dropped); a '\n', a full buffer (the line is split, never inside a character or an escape)
 * or console_vm_flush writes the line as "[<name>] <line>\n" in one piece. So every byte a
 * guest writes reaches the UART on a line that starts with its prefix. Bytes for an
 * unregistered VM are counted and dropped. Takes the lock (appends at most two lines while
 * holding it: a split and the line its '\n' ends).
 */
void console_vm_putc(unsigned vm, char c);

/*
 * Mark registered VM vm real-time (or not): its lines are appended and handed to the drainer
 * (kick_drainer), never written by its own CPU. 0 or -BH_ENOENT. Takes the lock.
 */
int console_set_vm_realtime(unsigned vm, bool realtime) BH_MUST_CHECK;

/* Write everything appended so far to the UART (the drainer's work; also safe anywhere). */
void console_drain(void);

/*
 * Write VM vm's partial line, if any (e.g. when the VM stops), with an unfinished UTF-8
 * sequence shown escaped. Takes the lock.
 */
void console_vm_flush(unsigned vm);

/*
 * Write a hypervisor line (e.g. "bulkhead: ...\n") as given, without prefix, in one piece.
 * Takes the lock: do not call it from a console hook that runs with the lock held (putc).
 */
void console_puts(const char *s);

/*
 * Like console_puts with bh_vsnprintf formatting; output longer than 255 bytes is cut and
 * ends with "[...]\n". Takes the lock.
 */
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Handle one byte read from the physical UART: deliver it to the focused VM, or act on a
 * Ctrl-A sequence (docs/CONSOLE.md). Bytes with no registered VM to take them are counted
 * and dropped. Called by one CPU at a time (the physical UART's interrupt handler); the
 * hooks are called after the lock is released.
 */
void console_input(uint8_t c);

/* The VM that receives input now. Takes the lock. */
unsigned console_focus(void);

/* Copy the statistics into *out. Takes the lock. */
void console_get_stats(struct console_stats *out);
