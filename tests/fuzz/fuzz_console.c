// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the console (core/console.c, console_in.c, console_cmd.c, console_text.c) fed
 * guest output of two VMs (one real-time), flushes, drains, typed input (focus switches, the
 * command mode and its commands) and UART pulls of the input queues. Input: 2-byte records,
 * op and byte. Checked after every record: every complete line on the UART is a hypervisor
 * line, the command prompt, or starts with a VM's "[name] " prefix; a VM line holds no control
 * byte but TAB and no C1 control; no pull returns more than asked.
 */
#include <string.h>

#include <core/console.h>

#include "fuzz_input.h"

static char out[1 << 16];
static size_t out_len, checked;

static void h_putc(char c)
{
    if (out_len == sizeof(out)) {
        memmove(out, out + checked, out_len - checked);
        out_len -= checked;
        checked = 0;
        FUZZ_CHECK(out_len < sizeof(out));
    }
    out[out_len++] = c;
}

static void h_input(unsigned vm)
{
    FUZZ_CHECK(vm < 2);
}

static void h_command(const struct console_cmd *cmd)
{
    FUZZ_CHECK(cmd->op > CONSOLE_OP_LIST);
    FUZZ_CHECK(cmd->vm < 2 || cmd->vm == CONSOLE_MAX_VMS);
    console_printf("bulkhead: command %u\n", (unsigned)cmd->op);
}

static const char *h_state(unsigned vm, bool *takes_input)
{
    *takes_input = vm == 0;
    return vm == 0 ? "running" : "stopped";
}

static void h_kick(void)
{
}

/* Complete lines written since the last check. */
static void check_lines(void)
{
    size_t start = checked;

    for (size_t i = checked; i < out_len; i++) {
        if (out[i] != '\n') {
            continue;
        }
        const char *l = out + start;
        size_t n = i - start;
        FUZZ_CHECK((n >= 8 && memcmp(l, "[linux] ", 8) == 0) ||
                   (n >= 7 && memcmp(l, "[rtos] ", 7) == 0) ||
                   (n >= 10 && memcmp(l, "bulkhead: ", 10) == 0) ||
                   (n >= 10 && memcmp(l, "bulkhead> ", 10) == 0));
        bool prompt = n >= 10 && memcmp(l, "bulkhead> ", 10) == 0;
        for (size_t k = 0; k < n && !prompt; k++) {
            uint8_t c = (uint8_t)l[k];
            FUZZ_CHECK(c == '\t' || (c >= 0x20 && c != 0x7f));
            /* C1 as UTF-8 (C2 80..9F) never passes. */
            FUZZ_CHECK(!(c == 0xc2 && k + 1 < n && (uint8_t)l[k + 1] <= 0x9f &&
                         (uint8_t)l[k + 1] >= 0x80));
        }
        start = i + 1;
    }
    checked = start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct console_hooks hooks = {
        .putc = h_putc, .input_ready = h_input, .command = h_command, .kick_drainer = h_kick,
        .vm_state = h_state,
    };
    uint8_t buf[64];
    struct fuzz_in in = { data, size };

    out_len = checked = 0;
    console_init(&hooks);
    FUZZ_CHECK(console_add_vm(0, "linux") == 0 && console_add_vm(1, "rtos") == 0);
    FUZZ_CHECK(console_set_vm_realtime(1, true) == 0);
    while (!fuzz_in_done(&in)) {
        uint8_t op = fuzz_in_u8(&in);
        uint8_t c = fuzz_in_u8(&in);

        switch (op % 10u) {
        case 0:
        case 1:
        case 2: console_vm_putc(0, (char)c); break;
        case 3:
        case 4: console_vm_putc(1, (char)c); break;
        case 5: console_vm_flush(c & 1u); break;
        case 6: console_drain(); break;
        case 7: FUZZ_CHECK(console_vm_input_pull(c & 1u, buf, c % sizeof(buf)) <=
                           c % sizeof(buf)); break;
        default: console_input(c); break;
        }
        check_lines();
    }
    console_drain();
    check_lines();
    return 0;
}
