// SPDX-License-Identifier: MIT
/*
 * Unit tests for core/console.c: per-VM line assembly with prefixes, whole lines when VMs
 * interleave, long-line splitting, flush, hypervisor lines, focus switching and the Ctrl-A
 * key sequences, and that input hooks run without the console lock. Guest text is sanitised
 * (core/console_text.c): control bytes, escape sequences and malformed UTF-8 (RFC 3629) come
 * out as "\xHH", so a guest cannot forge or hide a hypervisor line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <core/console.h>
#include <core/console_priv.h> /* CONSOLE_FMT_MAX */
#include <core/dev/vuart.h>

#define CTRL_A "\x01"

/* What the hooks saw. */
static struct {
    char out[32768]; /* the ring-full test writes more than the 16 KiB ring */
    size_t out_len;
    unsigned in_vm[64];
    uint8_t in_byte[64];
    size_t in_count;
    struct console_cmd cmds[16];
    size_t cmd_count;
    bool echo_from_input; /* input_to_vm writes VM output, as a vuart tx hook may */
    bool print_from_cmd;  /* command prints, as the statistics command does */
} rec;

static void hook_putc(char c)
{
    assert_true(rec.out_len + 1 < sizeof(rec.out));
    rec.out[rec.out_len++] = c;
    rec.out[rec.out_len] = '\0';
}

/* A UART that takes everything at once: every queued byte is pulled and recorded. */
static void hook_input(unsigned vm)
{
    uint8_t buf[8];
    size_t n;

    /* Would trip the host lock's double-lock assert if called with the lock held. */
    while ((n = console_vm_input_pull(vm, buf, sizeof(buf))) > 0) {
        for (size_t i = 0; i < n; i++) {
            assert_true(rec.in_count < 64);
            rec.in_vm[rec.in_count] = vm;
            rec.in_byte[rec.in_count++] = buf[i];
            if (rec.echo_from_input) {
                console_vm_putc(vm, (char)buf[i]);
            }
        }
    }
}

static void hook_command(const struct console_cmd *cmd)
{
    assert_true(rec.cmd_count < sizeof(rec.cmds) / sizeof(rec.cmds[0]));
    rec.cmds[rec.cmd_count++] = *cmd;
    if (rec.print_from_cmd) {
        console_printf("bulkhead: stats %d\n", 42);
    }
}

static const struct console_hooks hooks = {
    .putc = hook_putc,
    .input_ready = hook_input,
    .command = hook_command,
};

static int kicks;

static void hook_kick(void)
{
    kicks++;
}

static const struct console_hooks hooks_kick = {
    .putc = hook_putc,
    .input_ready = hook_input,
    .command = hook_command,
    .kick_drainer = hook_kick,
};

/*
 * VMs 0 "linux" and 1 "rtos", rtos real-time, with a drainer hook. The keyboard is on VM 7
 * "kbd", registered first, which prints nothing: linux and rtos are line-buffered.
 */
static int setup_rt(void **state)
{
    (void)state;
    memset(&rec, 0, sizeof(rec));
    kicks = 0;
    console_init(&hooks_kick);
    assert_int_equal(console_add_vm(7, "kbd"), 0);
    assert_int_equal(console_add_vm(0, "linux"), 0);
    assert_int_equal(console_add_vm(1, "rtos"), 0);
    assert_int_equal(console_set_vm_realtime(1, true), 0);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    memset(&rec, 0, sizeof(rec));
    console_init(&hooks);
    return 0;
}

/* VMs 0 "linux" and 1 "rtos", both line-buffered: the focus is on VM 7 "kbd". */
static int setup2(void **state)
{
    setup(state);
    assert_int_equal(console_add_vm(7, "kbd"), 0);
    assert_int_equal(console_add_vm(0, "linux"), 0);
    assert_int_equal(console_add_vm(1, "rtos"), 0);
    return 0;
}

/* VMs 0 "linux" (focused: its text goes out as written) and 1 "rtos". */
static int setup2_focus0(void **state)
{
    setup(state);
    assert_int_equal(console_add_vm(0, "linux"), 0);
    assert_int_equal(console_add_vm(1, "rtos"), 0);
    return 0;
}

static void vm_puts(unsigned vm, const char *s)
{
    while (*s != '\0') {
        console_vm_putc(vm, *s++);
    }
}

static void type(const char *s)
{
    while (*s != '\0') {
        console_input((uint8_t)*s++);
    }
}

static void expect_out(const char *want)
{
    assert_string_equal(rec.out, want);
}

static void clear_out(void)
{
    rec.out_len = 0;
    rec.out[0] = '\0';
}

static void test_line_with_prefix(void **state)
{
    (void)state;
    vm_puts(0, "hello\r\n");
    expect_out("[linux] hello\n");
    vm_puts(1, "\n");
    expect_out("[linux] hello\n[rtos] \n");
}

static void test_partial_lines_do_not_interleave(void **state)
{
    (void)state;
    vm_puts(0, "abc");
    vm_puts(1, "xyz");
    vm_puts(0, "def");
    expect_out(""); /* nothing until a line is complete */
    vm_puts(1, "!\n");
    vm_puts(0, "\n");
    expect_out("[rtos] xyz!\n[linux] abcdef\n");
}

static void test_hypervisor_lines_between(void **state)
{
    (void)state;
    vm_puts(0, "partial");
    console_puts("bulkhead: vm 1 started\n");
    console_printf("bulkhead: %s %u\n", "cpus", 4u);
    vm_puts(0, " line\n");
    expect_out("bulkhead: vm 1 started\nbulkhead: cpus 4\n[linux] partial line\n");
    /* A hypervisor string without '\n' does not glue the next VM line to it. */
    clear_out();
    console_puts("bulkhead: no newline");
    vm_puts(1, "x\n");
    expect_out("bulkhead: no newline\n[rtos] x\n");
    console_puts(NULL);
}

static void test_printf_truncation(void **state)
{
    char big[CONSOLE_FMT_MAX + 150];
    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    console_printf("%s\n", big);
    assert_int_equal(rec.out_len, CONSOLE_FMT_MAX - 1 + strlen("[...]\n"));
    assert_memory_equal(rec.out + CONSOLE_FMT_MAX - 1, "[...]\n", 6);
}

static void test_long_line_split(void **state)
{
    char line[CONSOLE_LINE_MAX + 1];
    char want[2 * CONSOLE_LINE_MAX];
    struct console_stats st;
    (void)state;

    memset(line, 'a', CONSOLE_LINE_MAX);
    line[CONSOLE_LINE_MAX] = '\0';
    /* Exactly CONSOLE_LINE_MAX bytes then '\n': one line. */
    vm_puts(0, line);
    expect_out("");
    vm_puts(0, "\n");
    snprintf(want, sizeof(want), "[linux] %s\n", line);
    expect_out(want);
    console_get_stats(&st);
    assert_int_equal(st.lines_split, 0);

    /* One byte more: the full buffer goes out, the rest starts a new line. */
    clear_out();
    vm_puts(0, line);
    vm_puts(0, "b");
    snprintf(want, sizeof(want), "[linux] %s\n", line);
    expect_out(want);
    vm_puts(0, "c\n");
    snprintf(want, sizeof(want), "[linux] %s\n[linux] bc\n", line);
    expect_out(want);
    console_get_stats(&st);
    assert_int_equal(st.lines_split, 1);
}

/*
 * Every line written is a hypervisor line or starts with a VM prefix, and carries no byte a
 * terminal acts on: no C0 control but TAB, no DEL, no raw byte >= 0x80 unless allow_utf8.
 */
static void assert_lines_safe(bool allow_utf8)
{
    const char *line = rec.out;

    for (size_t i = 0; i < rec.out_len; i++) {
        uint8_t c = (uint8_t)rec.out[i];
        if (c == '\n') {
            line = rec.out + i + 1;
            continue;
        }
        if (line == rec.out + i) {
            assert_true(c == '[' || strncmp(line, "bulkhead: ", 10) == 0);
        }
        assert_true(c == '\t' || (c >= 0x20 && c != 0x7f));
        assert_true(allow_utf8 || c < 0x80);
    }
    assert_true(rec.out_len == 0 || rec.out[rec.out_len - 1] == '\n');
}

static void test_control_chars_escaped(void **state)
{
    struct console_stats st;
    (void)state;
    vm_puts(0, "\x1b[1mbold\x1b[0m\tx\r\r\n");
    expect_out("[linux] \\x1b[1mbold\\x1b[0m\tx\n"); /* TAB kept, CR dropped */
    clear_out();
    console_vm_putc(0, '\0');
    console_vm_putc(0, '\n');
    expect_out("[linux] \\x00\n");
    clear_out();
    /* Operating system commands, bell, backspace, DEL, and the other line breaks. */
    vm_puts(0, "\x1b]0;title\x07\b\x7f\v\f\x1a\x1f\n");
    expect_out("[linux] \\x1b]0;title\\x07\\x08\\x7f\\x0b\\x0c\\x1a\\x1f\n");
    console_get_stats(&st);
    assert_int_equal(st.escaped, 2 + 1 + 8);
    assert_lines_safe(false);
}

/* A CR never reaches the UART: text after it stays behind the prefix, on the same line. */
static void test_cr_cannot_return_over_prefix(void **state)
{
    (void)state;
    vm_puts(0, "innocent\rbulkhead: vm rtos stopped (fault)\n");
    expect_out("[linux] innocentbulkhead: vm rtos stopped (fault)\n");
    clear_out();
    vm_puts(1, "\r\r\rEVT vm=linux kind=stop\r\n");
    expect_out("[rtos] EVT vm=linux kind=stop\n");
}

/* The forged records of finding 7: erase-line, CR and backspaces in front of our markers. */
static void test_forged_evt_prefixed_and_escaped(void **state)
{
    (void)state;
    vm_puts(0, "\x1b[2K\rEVT vm=rtos kind=stop reason=fault\n");
    vm_puts(0, "\b\b\b\b\b\b\b\bbulkhead: powering off\n");
    vm_puts(0, "\x1b[1G\x1b[A\x1b[KEVT vm=rtos kind=restart\n");
    expect_out("[linux] \\x1b[2KEVT vm=rtos kind=stop reason=fault\n"
               "[linux] \\x08\\x08\\x08\\x08\\x08\\x08\\x08\\x08bulkhead: powering off\n"
               "[linux] \\x1b[1G\\x1b[A\\x1b[KEVT vm=rtos kind=restart\n");
    assert_lines_safe(false);
    /* The real-time path sanitises the same way. */
    assert_int_equal(console_set_vm_realtime(1, true), 0);
    clear_out();
    vm_puts(1, "\x1b[2K\rEVT vm=linux kind=stop\n");
    console_drain();
    expect_out("[rtos] \\x1b[2KEVT vm=linux kind=stop\n");
}

/* Well-formed UTF-8 passes unchanged; what a terminal could act on does not. */
static void test_utf8(void **state)
{
    (void)state;
    vm_puts(0, "temp\xc3\xa9rature 20 \xc2\xb0""C \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x98\x80\n");
    expect_out("[linux] temp\xc3\xa9rature 20 \xc2\xb0""C \xe6\x9d\xb1\xe4\xba\xac "
               "\xf0\x9f\x98\x80\n");
    assert_lines_safe(true);
    clear_out();
    /* C1 CSI and NEL, U+2028/2029, a bidi override (RLO) and isolate (RLI): escaped. */
    vm_puts(0, "\xc2\x9b""2K\xc2\x85x\xe2\x80\xa8y\xe2\x80\xa9z\xe2\x80\xae!\xe2\x81\xa7\n");
    expect_out("[linux] \\xc2\\x9b2K\\xc2\\x85x\\xe2\\x80\\xa8y\\xe2\\x80\\xa9z\\xe2\\x80\\xae!"
               "\\xe2\\x81\\xa7\n");
    clear_out();
    /* RFC 3629 ill-formed: overlong '/', a surrogate, above U+10FFFF, F5, a stray
     * continuation byte, a raw C1 byte, and a sequence cut short by an ASCII byte. */
    vm_puts(0, "\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xf5|\x80|\x9b|\xe2\x82x\n");
    expect_out("[linux] \\xc0\\xaf|\\xed\\xa0\\x80|\\xf4\\x90\\x80\\x80|\\xf5|\\x80|\\x9b|"
               "\\xe2\\x82x\n");
    clear_out();
    /* The newline ends an unfinished sequence, which is shown; the next line is clean. */
    vm_puts(0, "\xf0\x9f\x98\nok\n");
    expect_out("[linux] \\xf0\\x9f\\x98\n[linux] ok\n");
    clear_out();
    /* A new lead byte breaks the sequence before it and starts its own. */
    vm_puts(0, "\xe6\xc3\xa9\n");
    expect_out("[linux] \\xe6\xc3\xa9\n");
    assert_lines_safe(true);
}

/* Long lines split before an escape or a character that does not fit, never inside one. */
static void test_long_line_split_keeps_units(void **state)
{
    char line[CONSOLE_LINE_MAX + 1];
    char want[3 * CONSOLE_LINE_MAX];
    (void)state;

    memset(line, 'a', CONSOLE_LINE_MAX - 2);
    line[CONSOLE_LINE_MAX - 2] = '\0';
    vm_puts(0, line);
    vm_puts(0, "\x1b" "b\n");
    snprintf(want, sizeof(want), "[linux] %s\n[linux] \\x1bb\n", line);
    expect_out(want);
    clear_out();
    vm_puts(0, line);
    vm_puts(0, "\xe2\x82\xac" "\n"); /* 3 bytes do not fit behind 158: the euro sign moves */
    snprintf(want, sizeof(want), "[linux] %s\n[linux] \xe2\x82\xac\n", line);
    expect_out(want);
    clear_out();
    /* A whole line of escapes: 40 per line, each line prefixed. */
    for (int i = 0; i < 100; i++) {
        console_vm_putc(0, '\x1b');
    }
    console_vm_putc(0, '\n');
    size_t lines = 0;
    for (size_t i = 0; i < rec.out_len; i++) {
        lines += rec.out[i] == '\n';
    }
    assert_int_equal(lines, 3);
    assert_lines_safe(false);
}

/* A flush writes an unfinished sequence escaped. */
static void test_flush_unfinished_utf8(void **state)
{
    (void)state;
    vm_puts(0, "ab\xe2\x82");
    console_vm_flush(0);
    expect_out("[linux] ab\\xe2\\x82\n");
    clear_out();
    vm_puts(0, "\xe2");
    console_vm_flush(0);
    vm_puts(0, "\x82\xac\n"); /* the sequence was ended by the flush: stray bytes */
    expect_out("[linux] \\xe2\n[linux] \\x82\\xac\n");
}

/* Whatever two bytes a guest writes, and whatever follows, every line keeps its prefix. */
static void test_prefix_survives_every_byte(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            clear_out();
            console_vm_putc(1, (char)a);
            console_vm_putc(1, (char)b);
            vm_puts(1, "EVT vm=linux kind=stop\n");
            assert_true(strncmp(rec.out, "[rtos] ", 7) == 0);
            assert_lines_safe(true);
        }
    }
    /* The same bytes behind every possible unfinished 4-byte lead. */
    for (unsigned b = 0; b < 256; b++) {
        clear_out();
        console_vm_putc(1, '\xf0');
        console_vm_putc(1, '\x9f');
        console_vm_putc(1, (char)b);
        console_vm_putc(1, '\n');
        assert_true(strncmp(rec.out, "[rtos] ", 7) == 0);
        assert_lines_safe(true);
    }
}

static void test_flush(void **state)
{
    (void)state;
    vm_puts(1, "login: ");
    console_vm_flush(1);
    expect_out("[rtos] login: \n");
    console_vm_flush(1); /* nothing buffered */
    console_vm_flush(0);
    console_vm_flush(5); /* not registered */
    console_vm_flush(99);
    expect_out("[rtos] login: \n");
}

static void test_unregistered_output(void **state)
{
    struct console_stats st;
    (void)state;
    vm_puts(2, "lost\n");
    vm_puts(CONSOLE_MAX_VMS, "x");
    expect_out("");
    console_get_stats(&st);
    assert_int_equal(st.output_dropped, 6);
}

static void test_add_vm_errors(void **state)
{
    (void)state;
    assert_int_equal(console_add_vm(CONSOLE_MAX_VMS, "x"), -BH_EINVAL);
    assert_int_equal(console_add_vm(2, NULL), -BH_EINVAL);
    assert_int_equal(console_add_vm(2, ""), -BH_EINVAL);
    assert_int_equal(console_add_vm(0, "again"), -BH_EEXIST);
    assert_int_equal(console_add_vm(6, "a-very-long-vm-name-indeed"), 0);
    vm_puts(6, "hi\n");
    expect_out("[a-very-long-vm-] hi\n"); /* CONSOLE_NAME_MAX - 1 = 15 bytes */
}

static void test_set_vm_name(void **state)
{
    (void)state;
    assert_int_equal(console_set_vm_name(1, "rtos-b"), 0);
    vm_puts(1, "x\n");
    expect_out("[rtos-b] x\n");
    assert_int_equal(console_set_vm_name(3, "nope"), -BH_ENOENT);
    assert_int_equal(console_set_vm_name(CONSOLE_MAX_VMS, "nope"), -BH_EINVAL);
    assert_int_equal(console_set_vm_name(1, ""), -BH_EINVAL);
}

static void test_input_default_vm0(void **state)
{
    (void)state;
    assert_int_equal(console_focus(), 0);
    type("ls\r");
    assert_int_equal(rec.in_count, 3);
    assert_int_equal(rec.in_vm[0], 0);
    assert_int_equal(rec.in_vm[2], 0);
    assert_memory_equal(rec.in_byte, "ls\r", 3);
    expect_out("");
}

static void test_focus_switch(void **state)
{
    (void)state;
    type(CTRL_A "1");
    assert_int_equal(console_focus(), 1);
    expect_out("bulkhead: console input -> vm rtos\n");
    type("x");
    assert_int_equal(rec.in_count, 1);
    assert_int_equal(rec.in_vm[0], 1);
    assert_int_equal(rec.in_byte[0], 'x');
    type(CTRL_A "0" "y");
    assert_int_equal(console_focus(), 0);
    assert_int_equal(rec.in_vm[1], 0);
    assert_int_equal(rec.in_byte[1], 'y');
    expect_out("bulkhead: console input -> vm rtos\nbulkhead: console input -> vm linux\n");
}

static void test_focus_unregistered(void **state)
{
    (void)state;
    type(CTRL_A "5");
    assert_int_equal(console_focus(), 0);
    expect_out("bulkhead: console: no vm 5\n");
    type(CTRL_A "8" CTRL_A "9"); /* not focus keys with 8 VMs: ignored */
    assert_int_equal(console_focus(), 0);
    expect_out("bulkhead: console: no vm 5\n");
    assert_int_equal(rec.in_count, 0);
}

static void test_focus_next(void **state)
{
    (void)state;
    assert_int_equal(console_add_vm(3, "three"), 0);
    type(CTRL_A "n");
    assert_int_equal(console_focus(), 1);
    type(CTRL_A "n");
    assert_int_equal(console_focus(), 3);
    type(CTRL_A "n");
    assert_int_equal(console_focus(), 0);
    expect_out("bulkhead: console input -> vm rtos\nbulkhead: console input -> vm three\n"
               "bulkhead: console input -> vm linux\n");
    assert_int_equal(rec.in_count, 0);
}

static void test_focus_next_single_and_none(void **state)
{
    (void)state;
    type(CTRL_A "n"); /* no VM at all: nothing */
    expect_out("");
    assert_int_equal(console_add_vm(4, "only"), 0);
    assert_int_equal(console_focus(), 4); /* the focus follows the first registered VM */
    type(CTRL_A "n");
    assert_int_equal(console_focus(), 4);
    expect_out("bulkhead: console input -> vm only\n");
    type("k");
    assert_int_equal(rec.in_vm[0], 4);
}

static void test_escape_commands(void **state)
{
    (void)state;
    type(CTRL_A "s");
    assert_int_equal(rec.cmd_count, 1);
    assert_int_equal(rec.cmds[0].op, CONSOLE_OP_STATS);
    assert_int_equal(rec.cmds[0].vm, CONSOLE_MAX_VMS);
    type(CTRL_A "h");
    type(CTRL_A "?");
    assert_non_null(strstr(rec.out, "bulkhead: console keys: Ctrl-A then 0-7"));
    assert_int_equal(rec.out[rec.out_len - 1], '\n');
    assert_ptr_equal(strstr(rec.out, "bulkhead"), rec.out);
    assert_non_null(strstr(rec.out + 1, "bulkhead: console keys"));
    assert_int_equal(rec.in_count, 0);

    /* Command hooks may print. */
    rec.print_from_cmd = true;
    clear_out();
    type(CTRL_A "s");
    expect_out("bulkhead: stats 42\n");
}

static void test_escape_literal_and_unknown(void **state)
{
    (void)state;
    type(CTRL_A CTRL_A);
    assert_int_equal(rec.in_count, 1);
    assert_int_equal(rec.in_byte[0], 0x01);
    /* Unknown key after Ctrl-A: both bytes swallowed, the next byte is normal input. */
    type(CTRL_A "z" "q");
    assert_int_equal(rec.in_count, 2);
    assert_int_equal(rec.in_byte[1], 'q');
    /* A literal Ctrl-A does not leave the escape armed. */
    type(CTRL_A CTRL_A "1");
    assert_int_equal(rec.in_count, 4);
    assert_int_equal(rec.in_byte[2], 0x01);
    assert_int_equal(rec.in_byte[3], '1');
    assert_int_equal(console_focus(), 0);
    expect_out("");
    assert_int_equal(rec.cmd_count, 0);
}

static void test_input_without_vms(void **state)
{
    struct console_stats st;
    (void)state;
    type("abc");
    type(CTRL_A CTRL_A);
    assert_int_equal(rec.in_count, 0);
    console_get_stats(&st);
    assert_int_equal(st.input_dropped, 4);
}

/* input_to_vm runs without the console lock: it may produce VM output (echo). */
static void test_input_hook_unlocked(void **state)
{
    (void)state;
    rec.echo_from_input = true;
    type("ok\r");
    type("\n");
    expect_out("[linux] ok\n");
}

/* A real-time VM only appends: its line reaches the UART when somebody drains. */
static void test_realtime_appends_only(void **state)
{
    (void)state;
    vm_puts(1, "tick 1\n");
    expect_out("");
    assert_int_equal(kicks, 1);
    vm_puts(0, "boot\n"); /* everybody else drains, in ring order */
    expect_out("[rtos] tick 1\n[linux] boot\n");
    assert_int_equal(kicks, 1);
    vm_puts(1, "tick 2\n");
    expect_out("[rtos] tick 1\n[linux] boot\n");
    console_drain();
    expect_out("[rtos] tick 1\n[linux] boot\n[rtos] tick 2\n");
    console_drain(); /* nothing left: nothing written */
    expect_out("[rtos] tick 1\n[linux] boot\n[rtos] tick 2\n");
    assert_int_equal(kicks, 2);
    vm_puts(1, "burst 1\nburst 2\nburst 3\n"); /* one kick for lines behind each other */
    assert_int_equal(kicks, 3);
    console_drain();
    expect_out("[rtos] tick 1\n[linux] boot\n[rtos] tick 2\n[rtos] burst 1\n[rtos] burst 2\n"
               "[rtos] burst 3\n");
    assert_int_equal(console_set_vm_realtime(5, true), -BH_ENOENT);
}

/* A hypervisor line written while a real-time line waits keeps the order of appending. */
static void test_realtime_then_hypervisor(void **state)
{
    (void)state;
    vm_puts(1, "partial");
    vm_puts(1, " done\n");
    console_puts("bulkhead: note\n");
    expect_out("[rtos] partial done\nbulkhead: note\n");
}

/* A flood fills the ring: the appender then writes it out itself; nothing is lost. */
static void test_realtime_ring_full(void **state)
{
    char line[128];
    struct console_stats st;

    (void)state;
    for (int i = 0; i < 200; i++) {
        snprintf(line, sizeof(line), "%03d %0100d\n", i, 0);
        vm_puts(1, line);
    }
    console_get_stats(&st);
    assert_true(st.ring_full > 0);
    console_drain();
    size_t lines = 0;
    for (size_t i = 0; i < rec.out_len; i++) {
        lines += rec.out[i] == '\n';
    }
    assert_int_equal(lines, 200);
    assert_non_null(strstr(rec.out, "[rtos] 000 "));
    assert_non_null(strstr(rec.out, "[rtos] 199 "));
    assert_true(strstr(rec.out, "[rtos] 198 ") < strstr(rec.out, "[rtos] 199 "));
}

/* Without a drainer hook a real-time VM writes its own lines like the others. */
static void test_realtime_without_drainer(void **state)
{
    (void)state;
    assert_int_equal(console_set_vm_realtime(1, true), 0);
    vm_puts(1, "tick\n");
    expect_out("[rtos] tick\n");
}

/* ---- the focused VM's open line, input queue, notices, keys, command mode ---- */

/* The focused VM's text goes out as written: a prompt without its newline. */
static void test_focused_partial_echo(void **state)
{
    (void)state;
    vm_puts(0, "/ # ");
    expect_out("[linux] / # ");
    vm_puts(0, "ls\r\n");
    expect_out("[linux] / # ls\n");
    vm_puts(0, "\x1b[1mx");
    expect_out("[linux] / # ls\n[linux] \\x1b[1mx"); /* still sanitised */
    vm_puts(1, "rtos partial"); /* the others stay line-buffered */
    expect_out("[linux] / # ls\n[linux] \\x1b[1mx");
}

/* Another VM's line ends the open line; the focused VM continues behind a new prefix. */
static void test_focused_interleave(void **state)
{
    (void)state;
    vm_puts(0, "/ # ec");
    vm_puts(1, "tick 1\n");
    vm_puts(0, "ho hi\n");
    console_puts("bulkhead: note\n");
    vm_puts(0, "hi\n/ # ");
    console_printf("bulkhead: %s\n", "again");
    /* The cut line is redrawn whole when it goes on: its last copy is complete. */
    expect_out("[linux] / # ec\n[rtos] tick 1\n[linux] / # echo hi\nbulkhead: note\n"
               "[linux] hi\n[linux] / # \nbulkhead: again\n");
    /* A cut line that ends without more text stands complete before the cut: not again. */
    clear_out();
    vm_puts(0, "ab");
    vm_puts(1, "tick 2\n");
    vm_puts(0, "\n");
    expect_out("[linux] / # ab\n[rtos] tick 2\n");
    /* One that went on after the cut and ends after a second cut goes out whole. */
    clear_out();
    vm_puts(0, "x");
    vm_puts(1, "tick 3\n");
    vm_puts(0, "y");
    vm_puts(1, "tick 4\n");
    vm_puts(0, "z\n");
    expect_out("[linux] x\n[rtos] tick 3\n[linux] xy\n[rtos] tick 4\n[linux] xyz\n");
    assert_lines_safe(false);
    /* A long open line is split like a buffered one, prefix again. */
    clear_out();
    for (int i = 0; i < CONSOLE_LINE_MAX + 5; i++) {
        console_vm_putc(0, 'z');
    }
    console_vm_putc(0, '\n');
    assert_int_equal(strncmp(rec.out, "[linux] / # \n", 0), 0);
    assert_non_null(strstr(rec.out, "\n[linux] zzzzz\n"));
    assert_lines_safe(false);
    /* Stopping ends the open line. */
    clear_out();
    vm_puts(0, "half");
    console_vm_flush(0);
    expect_out("[linux] half\n");
}

static uint64_t fake_ns;

static uint64_t hook_now(void)
{
    return fake_ns;
}

/* A prompt nobody typed at: the focused VM's partial line shows once it has been quiet for
 * CONSOLE_PROMPT_NS (hooks.arm_timer); another VM's does not. */
static uint64_t armed_at;
static unsigned arm_calls;

static void hook_arm(uint64_t at_ns)
{
    armed_at = at_ns;
    arm_calls++;
}

static void test_quiet_prompt_shows(void **state)
{
    static const struct console_hooks hooks_timer = {
        .putc = hook_putc, .input_ready = hook_input, .command = hook_command,
        .now_ns = hook_now, .arm_timer = hook_arm,
    };
    (void)state;
    memset(&rec, 0, sizeof(rec));
    fake_ns = 5000;
    arm_calls = 0;
    console_init(&hooks_timer);
    assert_int_equal(console_add_vm(0, "linux"), 0);
    assert_int_equal(console_add_vm(1, "rtos"), 0);
    vm_puts(1, "rtos partial");
    assert_int_equal(arm_calls, 0); /* not the focused VM */
    vm_puts(0, "booted\n/ # ");
    expect_out("[linux] booted\n");
    assert_int_equal(arm_calls, 1);
    assert_true(armed_at == 5000 + CONSOLE_PROMPT_NS);
    fake_ns += CONSOLE_PROMPT_NS / 2;
    vm_puts(0, " "); /* still writing: not quiet yet */
    assert_int_equal(arm_calls, 1); /* one check pending: no clock read, no arming per byte */
    console_timer();  /* a timer that fires early (or for a hold) shows nothing... */
    expect_out("[linux] booted\n");
    assert_true(armed_at == 5000 + CONSOLE_PROMPT_NS); /* ...and keeps the check's time */
    fake_ns = 5000 + CONSOLE_PROMPT_NS;
    console_timer(); /* the VM wrote during the period: another one */
    expect_out("[linux] booted\n");
    assert_true(armed_at == fake_ns + CONSOLE_PROMPT_NS);
    fake_ns += CONSOLE_PROMPT_NS;
    console_timer(); /* a quiet period: the prompt shows */
    expect_out("[linux] booted\n[linux] / #  ");
    vm_puts(0, "x"); /* the line is open now: the rest shows as written */
    expect_out("[linux] booted\n[linux] / #  x");
    vm_puts(0, "\n");
    unsigned calls = arm_calls;
    console_timer(); /* nothing pending: no re-arm, no output */
    assert_int_equal(arm_calls, calls);
    expect_out("[linux] booted\n[linux] / #  x\n");
}

/* With a clock, the focused VM echoes only while somebody types to it. */
static void test_echo_window(void **state)
{
    static const struct console_hooks hooks_clock = {
        .putc = hook_putc, .input_ready = hook_input, .command = hook_command,
        .now_ns = hook_now,
    };
    (void)state;
    memset(&rec, 0, sizeof(rec));
    fake_ns = 1000;
    console_init(&hooks_clock);
    assert_int_equal(console_add_vm(0, "linux"), 0);
    assert_int_equal(console_add_vm(1, "rtos"), 0);
    vm_puts(0, "boot log, nobody typing");
    expect_out(""); /* whole lines while nobody types */
    vm_puts(0, "\n/ # ");
    expect_out("[linux] boot log, nobody typing\n");
    type("l"); /* a key shows the waiting prompt first */
    expect_out("[linux] boot log, nobody typing\n[linux] / # ");
    vm_puts(0, "l");
    expect_out("[linux] boot log, nobody typing\n[linux] / # l");
    fake_ns += CONSOLE_ECHO_WINDOW_NS - 1;
    vm_puts(0, "s\n");
    vm_puts(0, "out");
    expect_out("[linux] boot log, nobody typing\n[linux] / # ls\n[linux] out");
    vm_puts(0, "put\n"); /* the open line continues even past the window... */
    fake_ns += 2;
    vm_puts(0, "later");
    expect_out("[linux] boot log, nobody typing\n[linux] / # ls\n[linux] output\n");
    clear_out();
    type(CTRL_A "0"); /* ...and a focus switch counts as typing */
    expect_out("bulkhead: console input -> vm linux\n[linux] later");
}

/* A vUART the test's guest reads through its registers. */
static struct vuart uart;

static void uart_tx(void *ctx, char c)
{
    (void)ctx;
    (void)c;
}

static void uart_irq(void *ctx, bool level)
{
    (void)ctx;
    (void)level;
}

static size_t uart_pull(void *ctx, uint8_t *buf, size_t max)
{
    (void)ctx;
    return console_vm_input_pull(0, buf, max);
}

static void uart_input_ready(unsigned vm)
{
    assert_int_equal(vm, 0);
    vuart_rx_refill(&uart);
}

static uint32_t uart_reg(uint32_t off)
{
    uint64_t v = 0;

    assert_int_equal(vuart_mmio(&uart, off, 4, false, &v), 0);
    return (uint32_t)v;
}

static void uart_setup(void)
{
    static const struct console_hooks h = {
        .putc = hook_putc, .input_ready = uart_input_ready, .command = hook_command,
    };
    static const struct vuart_hooks uh = {
        .tx = uart_tx, .set_irq = uart_irq, .rx_pull = uart_pull,
    };
    uint64_t fen = VUART_LCR_H_FEN;

    memset(&rec, 0, sizeof(rec));
    console_init(&h);
    assert_int_equal(console_add_vm(0, "linux"), 0);
    vuart_init(&uart, &uh);
    assert_int_equal(vuart_mmio(&uart, VUART_LCR_H, 4, true, &fen), 0);
}

/* A 4 KiB paste arrives whole: the queue holds what the 32-byte FIFO cannot, and the FIFO
 * refills as the guest reads. Nothing is dropped. */
static void test_paste_4k_through_fifo(void **state)
{
    static uint8_t sent[4096], got[8192];
    struct vuart_stats us;
    struct console_vm_stats vs;
    size_t n = 0, extra = 0;
    (void)state;

    uart_setup();
    for (size_t i = 0; i < sizeof(sent); i++) {
        sent[i] = (uint8_t)(i % 64 == 63 ? '\n' : 'a' + (i * 7) % 26);
        console_input(sent[i]);
    }
    /* Back-pressure: the FIFO is full, the rest waits in the queue. */
    assert_true((uart_reg(VUART_FR) & VUART_FR_RXFF) != 0);
    while ((uart_reg(VUART_FR) & VUART_FR_RXFE) == 0) {
        assert_true(n < sizeof(got));
        got[n++] = (uint8_t)uart_reg(VUART_DR);
        if (n % 100 == 0) {
            console_input('\x01'); /* the user keeps typing meanwhile: Ctrl-A Ctrl-A */
            console_input('\x01');
            extra++;
        }
    }
    assert_int_equal(n, sizeof(sent) + extra);
    assert_int_equal(got[n - 1], 0x01);
    /* The paste arrives in order; the Ctrl-As typed meanwhile queue behind it. */
    assert_memory_equal(got, sent, sizeof(sent));
    vuart_get_stats(&uart, &us);
    assert_int_equal(us.rx_dropped, 0);
    assert_int_equal(console_get_vm_stats(0, &vs), 0);
    assert_int_equal(vs.in_dropped, 0);
    assert_int_equal(vs.in_bytes, n);
}

/* The physical UART as irq_console sees it: a line with bytes waiting, a receive interrupt
 * the console may hold (hooks.rx_hold). */
static struct {
    const uint8_t *line;
    size_t len, next;
    bool held;
    unsigned holds, resumes;
} phys;

static void phys_hold(bool hold)
{
    assert_true(phys.held != hold); /* every hold is matched by one resume */
    phys.held = hold;
    hold ? phys.holds++ : phys.resumes++;
}

/* irq_console: read while the console has room and the receiver is not held. */
static void phys_irq(void)
{
    while (!phys.held && phys.next < phys.len && console_input_room()) {
        console_input(phys.line[phys.next++]);
    }
}

static void uart_setup_held(void)
{
    static const struct console_hooks h = {
        .putc = hook_putc, .input_ready = uart_input_ready, .command = hook_command,
        .rx_hold = phys_hold,
    };
    static const struct vuart_hooks uh = {
        .tx = uart_tx, .set_irq = uart_irq, .rx_pull = uart_pull,
    };
    uint64_t fen = VUART_LCR_H_FEN;

    memset(&rec, 0, sizeof(rec));
    memset(&phys, 0, sizeof(phys));
    console_init(&h);
    assert_int_equal(console_add_vm(0, "linux"), 0);
    vuart_init(&uart, &uh);
    assert_int_equal(vuart_mmio(&uart, VUART_LCR_H, 4, true, &fen), 0);
}

/* A paste four times the queue arrives whole: when the queue is full the console holds the
 * physical receiver, and the guest's reads release it. Nothing is dropped. */
static void test_paste_beyond_queue_held(void **state)
{
    static uint8_t sent[4 * CONSOLE_INQ_POOL], got[4 * CONSOLE_INQ_POOL];
    struct console_vm_stats vs;
    struct console_stats cs;
    size_t n = 0;
    (void)state;

    uart_setup_held();
    for (size_t i = 0; i < sizeof(sent); i++) {
        sent[i] = (uint8_t)(i % 80 == 79 ? '\n' : ' ' + (i * 13) % 90);
    }
    phys.line = sent;
    phys.len = sizeof(sent);
    phys_irq();
    assert_true(phys.held);
    assert_int_equal(phys.next, VUART_FIFO_DEPTH + CONSOLE_INQ_POOL);
    while (n < sizeof(got)) {
        if ((uart_reg(VUART_FR) & VUART_FR_RXFE) != 0) {
            phys_irq(); /* the receive interrupt, unmasked again */
            assert_true((uart_reg(VUART_FR) & VUART_FR_RXFE) == 0);
        }
        got[n++] = (uint8_t)uart_reg(VUART_DR);
        if (n % 512 == 0) {
            phys_irq();
        }
    }
    assert_memory_equal(got, sent, sizeof(sent));
    assert_int_equal(console_get_vm_stats(0, &vs), 0);
    assert_int_equal(vs.in_dropped, 0);
    assert_true(phys.holds >= 1);
    console_get_stats(&cs);
    assert_int_equal(cs.rx_holds, phys.holds);
}

/* A guest that stops reading cannot hold the console forever: when the hold expires the
 * bytes are dropped and counted, and the escape keys work again (Ctrl-A l lists the VMs). */
static void test_hold_expires(void **state)
{
    static uint8_t line[CONSOLE_INQ_POOL + 64];
    struct console_vm_stats vs;
    (void)state;

    uart_setup_held();
    memset(line, 'x', sizeof(line));
    line[sizeof(line) - 2] = '\x01';
    line[sizeof(line) - 1] = 'l';
    phys.line = line;
    phys.len = sizeof(line);
    phys_irq();
    assert_true(phys.held);
    size_t at_hold = phys.next;
    console_input_hold_expired();
    assert_false(phys.held);
    phys_irq();
    assert_int_equal(phys.next, sizeof(line)); /* read on, nothing held again */
    assert_int_equal(phys.holds, 1);
    assert_int_equal(console_get_vm_stats(0, &vs), 0);
    assert_int_equal(vs.in_dropped, sizeof(line) - at_hold - 2);
    assert_non_null(strstr(rec.out, "linux")); /* the list Ctrl-A l printed */
    /* once the guest reads again, a full queue holds the receiver again */
    static const uint8_t more[32] = "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy";
    uint8_t buf[16];
    assert_int_equal(console_vm_input_pull(0, buf, sizeof(buf)), sizeof(buf));
    phys.line = more;
    phys.len = sizeof(more);
    phys.next = 0;
    phys_irq();
    assert_true(phys.held);
    assert_int_equal(phys.next, sizeof(buf));
    assert_int_equal(phys.holds, 2);
}

/* A full queue drops and counts; the bytes already queued survive. */
static void test_queue_full_drops(void **state)
{
    struct console_vm_stats vs;
    struct vuart_stats us;
    size_t n = 0;
    (void)state;

    uart_setup();
    size_t qsize = console_vm_input_size(0);
    assert_int_equal(qsize, CONSOLE_INQ_POOL); /* the only VM has the whole pool */
    for (size_t i = 0; i < VUART_FIFO_DEPTH + qsize + 10; i++) {
        console_input((uint8_t)('0' + i % 10));
    }
    assert_int_equal(console_get_vm_stats(0, &vs), 0);
    assert_int_equal(vs.in_dropped, 10);
    while ((uart_reg(VUART_FR) & VUART_FR_RXFE) == 0) {
        assert_int_equal(uart_reg(VUART_DR), '0' + n % 10);
        n++;
    }
    assert_int_equal(n, VUART_FIFO_DEPTH + qsize);
    vuart_get_stats(&uart, &us);
    assert_int_equal(us.rx_dropped, 0);
    /* A stopping VM loses what was queued for it. */
    console_input('x');
    console_vm_flush(0);
    assert_int_equal(console_vm_input_pull(0, (uint8_t[4]){ 0 }, 4), 0);
}

static void hook_no_pull(unsigned vm)
{
    (void)vm; /* a guest that does not read: bytes stay queued */
}

/* The pool is shared out evenly; full queues do not overwrite each other. */
static void test_input_pool_shared(void **state)
{
    static const struct console_hooks h = {
        .putc = hook_putc, .input_ready = hook_no_pull, .command = hook_command,
    };
    uint8_t buf[CONSOLE_INQ_POOL / 4 + 1];
    (void)state;

    memset(&rec, 0, sizeof(rec));
    console_init(&h);
    assert_int_equal(console_add_vm(3, "a"), 0);
    assert_int_equal(console_vm_input_size(3), CONSOLE_INQ_POOL);
    assert_int_equal(console_add_vm(0, "b"), 0);
    assert_int_equal(console_add_vm(5, "c"), 0);
    assert_int_equal(console_add_vm(6, "d"), 0);
    for (unsigned vm = 0; vm < CONSOLE_MAX_VMS; vm++) {
        bool reg = vm == 0 || vm == 3 || vm == 5 || vm == 6;
        assert_int_equal(console_vm_input_size(vm), reg ? CONSOLE_INQ_POOL / 4 : 0);
    }
    for (size_t i = 0; i <= CONSOLE_INQ_POOL / 4; i++) {
        console_input('3'); /* the focus is on VM 3; one byte too many */
    }
    type(CTRL_A "0");
    for (size_t i = 0; i < CONSOLE_INQ_POOL / 4; i++) {
        console_input('0');
    }
    assert_int_equal(console_vm_input_pull(3, buf, sizeof(buf)), CONSOLE_INQ_POOL / 4);
    for (size_t i = 0; i < CONSOLE_INQ_POOL / 4; i++) {
        assert_int_equal(buf[i], '3');
    }
    assert_int_equal(console_vm_input_pull(0, buf, sizeof(buf)), CONSOLE_INQ_POOL / 4);
    for (size_t i = 0; i < CONSOLE_INQ_POOL / 4; i++) {
        assert_int_equal(buf[i], '0');
    }
}

static bool vm1_running;

static const char *hook_state(unsigned vm, bool *takes_input)
{
    *takes_input = vm != 1 || vm1_running;
    return *takes_input ? "running" : "stopped";
}

static const struct console_hooks hooks_state = {
    .putc = hook_putc, .input_ready = hook_input, .command = hook_command,
    .vm_state = hook_state,
};

static int setup_state(void **state)
{
    (void)state;
    memset(&rec, 0, sizeof(rec));
    vm1_running = false;
    console_init(&hooks_state);
    assert_int_equal(console_add_vm(0, "linux"), 0);
    assert_int_equal(console_add_vm(1, "rtos"), 0);
    return 0;
}

/* Input to a VM that takes none: one notice (not one per byte), counted, not delivered. */
static void test_notice_stopped(void **state)
{
    struct console_vm_stats vs;
    (void)state;
    type(CTRL_A "1");
    clear_out();
    type("abc");
    expect_out("bulkhead: console: vm rtos is stopped: input not delivered "
               "(Ctrl-A l lists vms)\n");
    assert_int_equal(rec.in_count, 0);
    assert_int_equal(console_get_vm_stats(1, &vs), 0);
    assert_int_equal(vs.in_dropped, 3);
    assert_int_equal(vs.in_bytes, 0);
    /* Once it runs again, input flows; the next refusal gets a new notice. */
    vm1_running = true;
    type("d");
    assert_int_equal(rec.in_count, 1);
    vm1_running = false;
    clear_out();
    type("ef");
    assert_non_null(strstr(rec.out, "vm rtos is stopped"));
    assert_null(strstr(strstr(rec.out, "stopped") + 1, "stopped"));
}

/* Ctrl-A l lists the VMs with their digits and states, and marks the focus. */
static void test_list_key(void **state)
{
    (void)state;
    type(CTRL_A "l");
    expect_out("bulkhead: console: 0 linux           running <- input\n"
               "bulkhead: console: 1 rtos            stopped\n");
    clear_out();
    type(CTRL_A "h");
    assert_non_null(strstr(rec.out, "l = list vms"));
    assert_non_null(strstr(rec.out, "q = power off"));
    type(CTRL_A "q");
    assert_int_equal(rec.cmd_count, 1);
    assert_int_equal(rec.cmds[0].op, CONSOLE_OP_POWEROFF);
}

/* The command mode: prompt, editing, commands to the hook, errors, exit. */
static void test_command_mode(void **state)
{
    char line[200];
    (void)state;

    type(CTRL_A ":");
    assert_true(console_in_command_mode());
    expect_out("bulkhead: console: command mode (help lists commands, exit leaves)\n"
               "bulkhead> ");
    clear_out();
    type("stpo\x7f\x7fop rtos\r\n"); /* two backspaces; CRLF is one Enter */
    assert_int_equal(rec.cmd_count, 1);
    assert_int_equal(rec.cmds[0].op, CONSOLE_OP_STOP);
    assert_int_equal(rec.cmds[0].vm, 1);
    expect_out("stpo\b \b\b \bop rtos\nbulkhead> ");
    /* Typed bytes go nowhere else; VM output ends the prompt line, a key shows it again. */
    assert_int_equal(rec.in_count, 0);
    vm_puts(1, "tick\n");
    clear_out();
    type("ev");
    expect_out("bulkhead> ev");
    type("ents 5\r");
    assert_int_equal(rec.cmds[1].op, CONSOLE_OP_EVENTS);
    assert_int_equal(rec.cmds[1].count, 5);
    clear_out();
    type("bogus\r");
    expect_out("bogus\nbulkhead: console: unknown command (help lists the commands)\n"
               "bulkhead> ");
    clear_out();
    type("list\r");
    assert_non_null(strstr(rec.out, "bulkhead: console: 1 rtos            stopped\n"));
    /* The line is bounded: the rest of a long line is ignored. */
    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    clear_out();
    type(line);
    assert_int_equal(rec.out_len, CONSOLE_CMD_LINE_MAX - 1);
    type("\x03"); /* Ctrl-C drops it */
    clear_out();
    type("help\r");
    assert_non_null(strstr(rec.out, "bulkhead: commands: list"));
    assert_int_equal(rec.cmd_count, 2);
    clear_out();
    type("exit\r");
    assert_false(console_in_command_mode());
    expect_out("exit\nbulkhead: console input -> vm linux\n");
    type("k");
    assert_int_equal(rec.in_count, 1);
    /* Ctrl-D on an empty line leaves too; a focus key leaves as well. */
    type(CTRL_A ":" "\x04");
    assert_false(console_in_command_mode());
    type(CTRL_A ":" CTRL_A "1");
    assert_false(console_in_command_mode());
    assert_int_equal(console_focus(), 1);
}

/* The parser: hostile lines are bounded and refused with a reason. */
static void test_cmd_parse(void **state)
{
    static const char names[CONSOLE_MAX_VMS][CONSOLE_NAME_MAX] = { "linux", "rtos", "", "" };
    static const struct {
        const char *line;
        int ret;
        enum console_op op;
        unsigned vm, count;
    } cases[] = {
        { "", 0, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "   \t ", 0, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "list", 0, CONSOLE_OP_LIST, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "  stats  ", 0, CONSOLE_OP_STATS, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "stats rtos", 0, CONSOLE_OP_STATS, 1, CONSOLE_EVENTS_DEFAULT },
        { "stats 0", 0, CONSOLE_OP_STATS, 0, CONSOLE_EVENTS_DEFAULT },
        { "events", 0, CONSOLE_OP_EVENTS, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "events 64", 0, CONSOLE_OP_EVENTS, CONSOLE_MAX_VMS, 64 },
        { "events 65", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "events 0", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "events 99999999999999999999", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS,
          CONSOLE_EVENTS_DEFAULT },
        { "events -1", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "start linux", 0, CONSOLE_OP_START, 0, CONSOLE_EVENTS_DEFAULT },
        { "stop 1", 0, CONSOLE_OP_STOP, 1, CONSOLE_EVENTS_DEFAULT },
        { "restart\trtos", 0, CONSOLE_OP_RESTART, 1, CONSOLE_EVENTS_DEFAULT },
        { "stop", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "stop 2", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "stop 9", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "stop lin", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "stop linuxx", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "stop linux rtos", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS,
          CONSOLE_EVENTS_DEFAULT },
        { "stop a b c d", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "list x", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "LIST", -BH_EINVAL, CONSOLE_OP_NONE, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "poweroff", 0, CONSOLE_OP_POWEROFF, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "exit", 0, CONSOLE_OP_EXIT, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "help", 0, CONSOLE_OP_HELP, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
        { "?", 0, CONSOLE_OP_HELP, CONSOLE_MAX_VMS, CONSOLE_EVENTS_DEFAULT },
    };
    struct console_cmd cmd;
    const char *why;
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int ret = console_cmd_parse(cases[i].line, strlen(cases[i].line), names, &cmd, &why);
        if (ret != cases[i].ret || cmd.op != cases[i].op || cmd.vm != cases[i].vm ||
            cmd.count != cases[i].count) {
            fail_msg("'%s': ret %d op %d vm %u count %u", cases[i].line, ret, cmd.op, cmd.vm,
                     cmd.count);
        }
        assert_true(ret == 0 ? why == NULL : why != NULL);
    }
    /* Only len bytes are read: the rest of the buffer is not the command. */
    assert_int_equal(console_cmd_parse("stop rtosXYZ", 9, names, &cmd, &why), 0);
    assert_int_equal(cmd.vm, 1);
    assert_int_equal(console_cmd_parse("stop rtos", 0, names, &cmd, &why), 0);
    assert_int_equal(cmd.op, CONSOLE_OP_NONE);
    /* A NUL ends the line. */
    assert_int_equal(console_cmd_parse("list\0junk", 9, names, &cmd, &why), 0);
    assert_int_equal(cmd.op, CONSOLE_OP_LIST);
    assert_int_equal(console_cmd_parse(NULL, 3, names, &cmd, &why), -BH_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_line_with_prefix, setup2),
        cmocka_unit_test_setup(test_partial_lines_do_not_interleave, setup2),
        cmocka_unit_test_setup(test_hypervisor_lines_between, setup2),
        cmocka_unit_test_setup(test_printf_truncation, setup),
        cmocka_unit_test_setup(test_long_line_split, setup2),
        cmocka_unit_test_setup(test_control_chars_escaped, setup2),
        cmocka_unit_test_setup(test_cr_cannot_return_over_prefix, setup2),
        cmocka_unit_test_setup(test_forged_evt_prefixed_and_escaped, setup_rt),
        cmocka_unit_test_setup(test_utf8, setup2),
        cmocka_unit_test_setup(test_long_line_split_keeps_units, setup2),
        cmocka_unit_test_setup(test_flush_unfinished_utf8, setup2),
        cmocka_unit_test_setup(test_prefix_survives_every_byte, setup2),
        cmocka_unit_test_setup(test_flush, setup2),
        cmocka_unit_test_setup(test_unregistered_output, setup2),
        cmocka_unit_test_setup(test_add_vm_errors, setup2),
        cmocka_unit_test_setup(test_set_vm_name, setup2),
        cmocka_unit_test_setup(test_input_default_vm0, setup2_focus0),
        cmocka_unit_test_setup(test_focus_switch, setup2_focus0),
        cmocka_unit_test_setup(test_focus_unregistered, setup2_focus0),
        cmocka_unit_test_setup(test_focus_next, setup2_focus0),
        cmocka_unit_test_setup(test_focus_next_single_and_none, setup),
        cmocka_unit_test_setup(test_escape_commands, setup2_focus0),
        cmocka_unit_test_setup(test_escape_literal_and_unknown, setup2_focus0),
        cmocka_unit_test_setup(test_input_without_vms, setup),
        cmocka_unit_test_setup(test_input_hook_unlocked, setup2_focus0),
        cmocka_unit_test_setup(test_realtime_appends_only, setup_rt),
        cmocka_unit_test_setup(test_realtime_then_hypervisor, setup_rt),
        cmocka_unit_test_setup(test_realtime_ring_full, setup_rt),
        cmocka_unit_test_setup(test_realtime_without_drainer, setup2),
        cmocka_unit_test_setup(test_focused_partial_echo, setup2_focus0),
        cmocka_unit_test_setup(test_focused_interleave, setup2_focus0),
        cmocka_unit_test(test_echo_window),
        cmocka_unit_test(test_paste_4k_through_fifo),
        cmocka_unit_test(test_paste_beyond_queue_held),
        cmocka_unit_test(test_hold_expires),
        cmocka_unit_test(test_quiet_prompt_shows),
        cmocka_unit_test(test_queue_full_drops),
        cmocka_unit_test(test_input_pool_shared),
        cmocka_unit_test_setup(test_notice_stopped, setup_state),
        cmocka_unit_test_setup(test_list_key, setup_state),
        cmocka_unit_test_setup(test_command_mode, setup_state),
        cmocka_unit_test(test_cmd_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
