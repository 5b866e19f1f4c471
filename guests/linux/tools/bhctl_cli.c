// SPDX-License-Identifier: MIT
/* bhctl's command line (bhctl.h): options may stand before or after the command; numbers are
 * checked (digits only, within their limits) so a typo is a usage error, not a zero. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bhctl.h"

struct cmd_name {
    const char *name;
    enum bhctl_cmd cmd;
    int vm_arg; /* 0: none, 1: optional, 2: required */
};

static const struct cmd_name cmds[] = {
    { "list", BHCTL_CMD_LIST, 0 },       { "info", BHCTL_CMD_INFO, 2 },
    { "stats", BHCTL_CMD_STATS, 1 },     { "top", BHCTL_CMD_TOP, 0 },
    { "events", BHCTL_CMD_EVENTS, 0 },   { "start", BHCTL_CMD_START, 2 },
    { "stop", BHCTL_CMD_STOP, 2 },       { "restart", BHCTL_CMD_RESTART, 2 },
    { "pause", BHCTL_CMD_PAUSE, 2 },     { "resume", BHCTL_CMD_RESUME, 2 },
    { "shutdown", BHCTL_CMD_SHUTDOWN, 2 },
};

void bhctl_usage(FILE *out)
{
    fputs("usage: bhctl [--json] [--remote HOST:PORT [--token FILE] [--cert FILE]] COMMAND [ARGS]\n"
          "  list                       VMs this manager may see, with their states\n"
          "  info VM                    one VM in detail (vCPUs, counters)\n"
          "  stats [VM]                 counters: VMs, exits, vCPU times, IPC, console\n"
          "  top [-n N] [-d SECS] [-c]  refreshing view (-n frames, -c clears the screen)\n"
          "  events [-f] [--new] [-n N] [-i MS] [-o FILE [-r|--rotate-kb KB] [-k|--keep N]]\n"
          "                             the event log (-f follows every -i ms, -n rounds;\n"
          "                             -o writes FILE, rotated at KB into FILE.1..FILE.N)\n"
          "  start|stop|restart|pause|resume|shutdown VM\n"
          "exit status: 0 ok, 1 error, 2 usage, 3 denied, 4 unknown VM, 5 wrong state,\n"
          "             6 no management device, 7 busy, 8 not supported,\n"
          "             9 token refused (--remote)\n"
          "--remote: bhmgmtd on HOST:PORT instead of this VM's management device; the\n"
          "          token from --token FILE or $BHCTL_TOKEN; --cert FILE: TLS, and the\n"
          "          daemon must hold the key of that (PEM) certificate\n",
          out);
}

static int usage_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return BHCTL_EXIT_USAGE;
}

/* Decimal digits only, at most max. */
static bool parse_u32(const char *s, uint32_t max, uint32_t *v)
{
    uint64_t x = 0;

    if (!s || !*s) {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
        x = x * 10 + (uint64_t)(*s - '0');
        if (x > max) {
            return false;
        }
    }
    *v = (uint32_t)x;
    return true;
}

/* An option taking a number: the value is the next argument. */
static int opt_num(int argc, char *const argv[], int *i, uint32_t max, uint32_t *v, char *err,
                   size_t errlen)
{
    const char *opt = argv[*i];

    if (*i + 1 >= argc) {
        return usage_err(err, errlen, "%s needs a value", opt);
    }
    if (!parse_u32(argv[++*i], max, v)) {
        return usage_err(err, errlen, "%s: '%s' is not a number in 0..%u", opt, argv[*i], max);
    }
    return 0;
}

/* One option at argv[*i]: 0, 1 if it is not an option, or a usage error. */
static int parse_opt(int argc, char *const argv[], int *i, struct bhctl_args *a, char *err,
                     size_t errlen)
{
    const char *o = argv[*i];
    uint32_t secs;
    int r;

    if (o[0] != '-' || o[1] == '\0') {
        return 1;
    }
    if (!strcmp(o, "--json") || !strcmp(o, "-j")) {
        a->json = true;
    } else if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
        a->help = true;
    } else if (!strcmp(o, "-f") || !strcmp(o, "--follow")) {
        a->follow = true;
    } else if (!strcmp(o, "--new")) {
        a->from_now = true;
    } else if (!strcmp(o, "-c") || !strcmp(o, "--clear")) {
        a->clear = true;
    } else if (!strcmp(o, "-n")) {
        return opt_num(argc, argv, i, UINT32_MAX, &a->iterations, err, errlen);
    } else if (!strcmp(o, "-d")) {
        r = opt_num(argc, argv, i, BHCTL_MAX_INTERVAL_MS / 1000, &secs, err, errlen);
        if (r == 0 && secs == 0) {
            return usage_err(err, errlen, "-d: at least 1 second");
        }
        a->interval_ms = secs * 1000u;
        return r;
    } else if (!strcmp(o, "-i")) {
        r = opt_num(argc, argv, i, BHCTL_MAX_INTERVAL_MS, &a->interval_ms, err, errlen);
        if (r == 0 && a->interval_ms < 10) {
            return usage_err(err, errlen, "-i: at least 10 ms");
        }
        return r;
    } else if (!strcmp(o, "--rotate-kb") || !strcmp(o, "-r")) {
        r = opt_num(argc, argv, i, BHCTL_MAX_ROTATE_KB, &a->rotate_kb, err, errlen);
        if (r == 0 && a->rotate_kb == 0) {
            return usage_err(err, errlen, "--rotate-kb: at least 1");
        }
        return r;
    } else if (!strcmp(o, "--keep") || !strcmp(o, "-k")) {
        return opt_num(argc, argv, i, BHCTL_MAX_KEEP, &a->keep, err, errlen);
    } else if (!strcmp(o, "--remote") || !strcmp(o, "--token") || !strcmp(o, "--cert")) {
        if (*i + 1 >= argc || !argv[*i + 1][0]) {
            return usage_err(err, errlen, "%s needs a value", o);
        }
        *(o[2] == 'r' ? &a->remote : o[2] == 't' ? &a->token_file : &a->cert_file) = argv[++*i];
    } else if (!strcmp(o, "-o")) {
        if (*i + 1 >= argc || !argv[*i + 1][0]) {
            return usage_err(err, errlen, "-o needs a file name");
        }
        a->out_file = argv[++*i];
        if (strlen(a->out_file) + 4 >= BHCTL_PATH_MAX) { /* room for ".NN" */
            return usage_err(err, errlen, "-o: file name too long");
        }
    } else {
        return usage_err(err, errlen, "unknown option '%s'", o);
    }
    return 0;
}

/* Options that only make sense with some commands. */
static int check_combination(const struct bhctl_args *a, bool rotate_set, bool keep_set,
                             char *err, size_t errlen)
{
    if (a->cmd != BHCTL_CMD_EVENTS && (a->follow || a->out_file || a->from_now || rotate_set ||
                                       keep_set)) {
        return usage_err(err, errlen, "-f, -o, --new, --rotate-kb and --keep are for events");
    }
    if ((a->token_file || a->cert_file) && !a->remote) {
        return usage_err(err, errlen, "--token and --cert are for --remote");
    }
    if ((rotate_set || keep_set) && !a->out_file) {
        return usage_err(err, errlen, "--rotate-kb and --keep need -o FILE");
    }
    if (a->clear && a->cmd != BHCTL_CMD_TOP) {
        return usage_err(err, errlen, "-c is for top");
    }
    if ((a->iterations || a->interval_ms) && a->cmd != BHCTL_CMD_TOP &&
        a->cmd != BHCTL_CMD_EVENTS) {
        return usage_err(err, errlen, "-n, -d and -i are for top and events");
    }
    return 0;
}

int bhctl_parse_args(int argc, char *const argv[], struct bhctl_args *a, char *err,
                     size_t errlen)
{
    const struct cmd_name *c = NULL;
    int positional = 0;
    int r;

    memset(a, 0, sizeof(*a));
    a->rotate_kb = UINT32_MAX; /* "not given", for check_combination */
    a->keep = UINT32_MAX;
    err[0] = '\0';
    for (int i = 1; i < argc; i++) {
        r = parse_opt(argc, argv, &i, a, err, errlen);
        if (r != 1) {
            if (r) {
                return r;
            }
            continue;
        }
        if (!c) {
            for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
                if (!strcmp(argv[i], cmds[k].name)) {
                    c = &cmds[k];
                }
            }
            if (!c) {
                return usage_err(err, errlen, "unknown command '%s'", argv[i]);
            }
        } else if (positional++ == 0 && c->vm_arg) {
            a->vm = argv[i];
        } else {
            return usage_err(err, errlen, "%s: unexpected argument '%s'", c->name, argv[i]);
        }
    }
    if (a->help) {
        return 0;
    }
    if (!c) {
        return usage_err(err, errlen, "no command (bhctl --help lists them)");
    }
    a->cmd = c->cmd;
    if (c->vm_arg == 2 && !a->vm) {
        return usage_err(err, errlen, "%s needs a VM", c->name);
    }
    bool rotate_set = a->rotate_kb != UINT32_MAX, keep_set = a->keep != UINT32_MAX;
    r = check_combination(a, rotate_set, keep_set, err, errlen);
    if (!rotate_set) {
        a->rotate_kb = BHCTL_DEF_ROTATE_KB;
    }
    if (!keep_set) {
        a->keep = BHCTL_DEF_KEEP;
    }
    if (!a->interval_ms) {
        a->interval_ms = a->cmd == BHCTL_CMD_TOP ? BHCTL_DEF_TOP_MS : BHCTL_DEF_FOLLOW_MS;
    }
    return r;
}
