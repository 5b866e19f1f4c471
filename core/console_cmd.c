// SPDX-License-Identifier: MIT
/*
 * The command mode's parser (docs/CONSOLE.md "Command mode"): one typed line to a
 * console_cmd. The line comes from whoever sits at the serial port, which on a board in the
 * field is not necessarily its owner, so it is parsed as hostile input: bounded by its length,
 * words bounded, no number overflow, a VM named only among the registered ones.
 */
#include <stdbool.h>
#include <stddef.h>

#include <core/console.h>
#include <lib/string.h>

#define CMD_WORDS_MAX 3 /* a command and at most two arguments (one is used) */

struct word {
    const char *s;
    size_t len;
};

struct cmd_def {
    const char *name;
    enum console_op op;
    enum { ARG_NONE, ARG_VM, ARG_VM_OPT, ARG_COUNT_OPT } arg;
};

static const struct cmd_def cmd_defs[] = {
    { "help", CONSOLE_OP_HELP, ARG_NONE },
    { "?", CONSOLE_OP_HELP, ARG_NONE },
    { "exit", CONSOLE_OP_EXIT, ARG_NONE },
    { "list", CONSOLE_OP_LIST, ARG_NONE },
    { "stats", CONSOLE_OP_STATS, ARG_VM_OPT },
    { "events", CONSOLE_OP_EVENTS, ARG_COUNT_OPT },
    { "start", CONSOLE_OP_START, ARG_VM },
    { "stop", CONSOLE_OP_STOP, ARG_VM },
    { "restart", CONSOLE_OP_RESTART, ARG_VM },
    { "poweroff", CONSOLE_OP_POWEROFF, ARG_NONE },
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Split line into words; false if there are more than max. */
static bool split(const char *line, size_t len, struct word *w, unsigned max, unsigned *n)
{
    size_t i = 0;

    *n = 0;
    while (i < len) {
        while (i < len && is_space(line[i])) {
            i++;
        }
        if (i == len) {
            break;
        }
        if (*n == max) {
            return false;
        }
        w[*n].s = &line[i];
        while (i < len && !is_space(line[i]) && line[i] != '\0') {
            i++;
        }
        w[*n].len = (size_t)(&line[i] - w[*n].s);
        (*n)++;
        if (i < len && line[i] == '\0') {
            break; /* a NUL ends the line */
        }
    }
    return true;
}

static bool word_is(const struct word *w, const char *s)
{
    size_t n = strlen(s);

    return w->len == n && memcmp(w->s, s, n) == 0;
}

/* A registered VM by name or digit; CONSOLE_MAX_VMS if none. */
static unsigned find_vm(const struct word *w, const char (*names)[CONSOLE_NAME_MAX])
{
    for (unsigned i = 0; i < CONSOLE_MAX_VMS; i++) {
        if (names[i][0] != '\0' && w->len < CONSOLE_NAME_MAX &&
            strnlen(names[i], CONSOLE_NAME_MAX) == w->len && memcmp(names[i], w->s, w->len) == 0) {
            return i;
        }
    }
    if (w->len == 1 && w->s[0] >= '0' && w->s[0] < '0' + CONSOLE_MAX_VMS &&
        names[w->s[0] - '0'][0] != '\0') {
        return (unsigned)(w->s[0] - '0');
    }
    return CONSOLE_MAX_VMS;
}

/* A decimal count 1..CONSOLE_EVENTS_MAX (at most 3 digits: no overflow). */
static bool parse_count(const struct word *w, unsigned *out)
{
    unsigned v = 0;

    if (w->len == 0 || w->len > 3) {
        return false;
    }
    for (size_t i = 0; i < w->len; i++) {
        if (w->s[i] < '0' || w->s[i] > '9') {
            return false;
        }
        v = v * 10 + (unsigned)(w->s[i] - '0');
    }
    if (v == 0 || v > CONSOLE_EVENTS_MAX) {
        return false;
    }
    *out = v;
    return true;
}

static int parse_arg(const struct cmd_def *d, const struct word *w, unsigned n,
                     const char (*names)[CONSOLE_NAME_MAX], struct console_cmd *out,
                     const char **why)
{
    if (n > 2 || (n == 2 && d->arg == ARG_NONE)) {
        *why = "too many words (help lists the commands)";
        return -BH_EINVAL;
    }
    switch (d->arg) {
    case ARG_VM:
        if (n < 2) {
            *why = "which vm? (list shows them)";
            return -BH_EINVAL;
        }
        /* fall through */
    case ARG_VM_OPT:
        if (n == 2) {
            out->vm = find_vm(&w[1], names);
            if (out->vm == CONSOLE_MAX_VMS) {
                *why = "no such vm (list shows them)";
                return -BH_EINVAL;
            }
        }
        break;
    case ARG_COUNT_OPT:
        if (n == 2 && !parse_count(&w[1], &out->count)) {
            *why = "the count must be 1 to 64";
            return -BH_EINVAL;
        }
        break;
    case ARG_NONE:
        break;
    }
    return 0;
}

_Static_assert(CONSOLE_EVENTS_MAX == 64, "the message above names the limit");

int console_cmd_parse(const char *line, size_t len, const char (*names)[CONSOLE_NAME_MAX],
                      struct console_cmd *out, const char **why)
{
    struct word w[CMD_WORDS_MAX];
    unsigned n;

    *out = (struct console_cmd){ .op = CONSOLE_OP_NONE, .vm = CONSOLE_MAX_VMS,
                                 .count = CONSOLE_EVENTS_DEFAULT };
    *why = NULL;
    if (line == NULL || names == NULL) {
        *why = "no line";
        return -BH_EINVAL;
    }
    if (!split(line, len, w, CMD_WORDS_MAX, &n)) {
        *why = "too many words (help lists the commands)";
        return -BH_EINVAL;
    }
    if (n == 0) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(cmd_defs) / sizeof(cmd_defs[0]); i++) {
        if (word_is(&w[0], cmd_defs[i].name)) {
            int ret = parse_arg(&cmd_defs[i], w, n, names, out, why);
            if (ret == 0) {
                out->op = cmd_defs[i].op;
            } else {
                out->op = CONSOLE_OP_NONE;
            }
            return ret;
        }
    }
    *why = "unknown command (help lists the commands)";
    return -BH_EINVAL;
}
