// SPDX-License-Identifier: MIT
/*
 * bhctl's commands on a transport (bhctl.h). The device decides every lifecycle operation
 * (rights, state): bhctl only turns its answer into an exit status and one line on stderr,
 * so a refusal is recorded by the hypervisor (mgmt_deny) exactly as for any other manager.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bhctl.h"

static struct bhctl_snap snap_a, snap_b;

static bool stopped(const struct bhctl_env *env)
{
    return env->stop && *env->stop;
}

static int take(struct bhctl_env *env, struct bhctl_snap *s)
{
    int r = env->t->snapshot(env->t, s);

    if (r) {
        fprintf(env->err, "bhctl: snapshot: %s\n", env->t->err);
    }
    return r;
}

static const struct bh_mgmt_vm *find_or_complain(struct bhctl_env *env,
                                                 const struct bhctl_snap *s, const char *vm)
{
    const struct bh_mgmt_vm *v = bhctl_find_vm(s, vm);

    if (!v) {
        fprintf(env->err, "bhctl: unknown VM '%s' (not in this manager's grants)\n", vm);
    }
    return v;
}

static int cmd_show(const struct bhctl_args *a, struct bhctl_env *env)
{
    const struct bh_mgmt_vm *v = NULL;
    int r = take(env, &snap_a);

    if (r) {
        return r;
    }
    if (a->vm && !(v = find_or_complain(env, &snap_a, a->vm))) {
        return BHCTL_EXIT_NOENT;
    }
    switch (a->cmd) {
    case BHCTL_CMD_LIST: bhctl_print_list(env->out, &snap_a, a->json); break;
    case BHCTL_CMD_INFO: bhctl_print_info(env->out, &snap_a, v, a->json); break;
    default: bhctl_print_stats(env->out, &snap_a, v, a->json); break;
    }
    return 0;
}

static int cmd_top(const struct bhctl_args *a, struct bhctl_env *env)
{
    struct bhctl_snap *prev = &snap_a, *cur = &snap_b, *tmp;
    int r = take(env, prev);

    for (uint32_t frame = 0; !r && (a->iterations == 0 || frame < a->iterations); frame++) {
        env->sleep_ms(a->interval_ms);
        if (stopped(env)) {
            break;
        }
        r = take(env, cur);
        if (r) {
            break;
        }
        if (a->clear) {
            fputs("\033[H\033[2J", env->out);
        }
        bhctl_print_top(env->out, prev, cur, a->json);
        fputs(a->json ? "" : "\n", env->out);
        fflush(env->out);
        tmp = prev;
        prev = cur;
        cur = tmp;
    }
    return r;
}

static int cmd_events(const struct bhctl_args *a, struct bhctl_env *env)
{
    struct bhctl_rotlog log;
    uint64_t cursor, records = 0;
    int r = take(env, &snap_a); /* VM names, and the log's end for --new */

    if (r) {
        return r;
    }
    cursor = a->from_now ? snap_a.evt_next : 0;
    if (a->out_file && bhctl_rotlog_open(&log, a->out_file, (uint64_t)a->rotate_kb * 1024,
                                         a->keep) != 0) {
        fprintf(env->err, "bhctl: %s: %s\n", a->out_file, strerror(errno));
        return BHCTL_EXIT_ERROR;
    }
    struct bhctl_rotlog *sink = a->out_file ? &log : NULL;
    r = bhctl_events_drain(env, a, &cursor, &snap_a, sink, &records);
    for (uint32_t i = 0; !r && a->follow && (a->iterations == 0 || i < a->iterations); i++) {
        env->sleep_ms(a->interval_ms);
        if (stopped(env)) {
            break;
        }
        r = bhctl_events_drain(env, a, &cursor, &snap_a, sink, &records);
    }
    if (sink) {
        bhctl_rotlog_close(sink);
    }
    return r;
}

static int op_result(const struct bhctl_args *a, struct bhctl_env *env, enum bhctl_op op,
                     const char *name, int32_t res)
{
    static const struct {
        int32_t res;
        int exit;
        const char *word, *why;
    } answers[] = {
        { BH_OK, BHCTL_EXIT_OK, "ok", "" },
        { BH_E_DENIED, BHCTL_EXIT_DENIED, "denied", " (no control right on it)" },
        { BH_E_NOENT, BHCTL_EXIT_NOENT, "unknown VM", "" },
        { BH_E_INVAL, BHCTL_EXIT_STATE, "wrong state", "" },
        { BH_E_BUSY, BHCTL_EXIT_BUSY, "busy", " (stopping or reloading: try again)" },
        { BH_E_NOT_SUPPORTED, BHCTL_EXIT_UNSUPPORTED, "not supported", " by this hypervisor" },
    };
    const char *word = "error", *why = "";
    char state[40] = "";
    int exit_code = BHCTL_EXIT_ERROR;

    for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
        if (answers[i].res == res) {
            word = answers[i].word;
            why = answers[i].why;
            exit_code = answers[i].exit;
        }
    }
    if (res == BH_E_INVAL && env->t->snapshot(env->t, &snap_b) == 0) {
        const struct bh_mgmt_vm *v = bhctl_find_vm(&snap_b, name);
        if (v) {
            snprintf(state, sizeof(state), " (it is %s)", bhctl_state_name(v->state));
        }
    }
    if (a->json) {
        fprintf(env->out, "{\"op\":\"%s\",\"vm\":", bhctl_op_name(op));
        bhctl_json_str(env->out, name, BH_MGMT_NAME_MAX);
        fprintf(env->out, ",\"result\":\"%s\",\"code\":%d,\"exit\":%d}\n", word, (int)res,
                exit_code);
    } else if (res == BH_OK) {
        fprintf(env->out, "%s %s: ok\n", bhctl_op_name(op), name);
    }
    if (res != BH_OK) {
        fprintf(env->err, "bhctl: %s %s: %s%s%s", bhctl_op_name(op), name, word, why, state);
        if (exit_code == BHCTL_EXIT_ERROR) {
            fprintf(env->err, " (answer %d)", (int)res);
        }
        fputc('\n', env->err);
    }
    return exit_code;
}

static int cmd_op(const struct bhctl_args *a, struct bhctl_env *env)
{
    enum bhctl_op op = (enum bhctl_op)(a->cmd - BHCTL_CMD_START);
    int r = take(env, &snap_a);

    if (r) {
        return r;
    }
    const struct bh_mgmt_vm *v = find_or_complain(env, &snap_a, a->vm);
    if (!v) {
        return BHCTL_EXIT_NOENT;
    }
    char name[BH_MGMT_NAME_MAX];
    snprintf(name, sizeof(name), "%s", v->name);
    return op_result(a, env, op, name, env->t->op(env->t, v->id, op));
}

int bhctl_run(const struct bhctl_args *a, struct bhctl_env *env)
{
    int r;

    if (a->help) {
        bhctl_usage(env->out);
        return 0;
    }
    r = env->t->open(env->t);
    if (r) {
        fprintf(env->err, "bhctl: %s\n", env->t->err);
        return r;
    }
    switch (a->cmd) {
    case BHCTL_CMD_LIST:
    case BHCTL_CMD_INFO:
    case BHCTL_CMD_STATS: r = cmd_show(a, env); break;
    case BHCTL_CMD_TOP: r = cmd_top(a, env); break;
    case BHCTL_CMD_EVENTS: r = cmd_events(a, env); break;
    case BHCTL_CMD_START:
    case BHCTL_CMD_STOP:
    case BHCTL_CMD_RESTART:
    case BHCTL_CMD_PAUSE:
    case BHCTL_CMD_RESUME:
    case BHCTL_CMD_SHUTDOWN: r = cmd_op(a, env); break;
    default: r = BHCTL_EXIT_USAGE; break;
    }
    fflush(env->out);
    env->t->close(env->t);
    return r;
}
