// SPDX-License-Identifier: MIT
/*
 * bhmgmtd's API (bhmgmtd.h, docs/MANAGEMENT.md "Remote API"): every route is a bhctl command
 * run with --json on the daemon's transport, so the JSON and the decisions are bhctl's, and
 * its exit status becomes the HTTP status. The token is checked before anything else is
 * looked at, in constant time; the events route is the one that needs more than bhctl_run
 * (one batch from a given cursor, not the whole log).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bhmgmtd.h"

struct route {
    const char *prefix; /* "/v1/vms": the rest is "", "/NAME" or "/NAME/OP" */
    enum bhhttp_method method;
};

int bhmgmtd_set_token(struct bhmgmtd *d, const char *s, size_t len, char *err, size_t errlen)
{
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r')) {
        len--;
    }
    if (!bhhttp_token_valid(s, len)) {
        snprintf(err, errlen, "the token must be %u..%u visible ASCII bytes (it has %zu)",
                 BHHTTP_TOKEN_MIN, BHHTTP_TOKEN_MAX, len);
        return -1;
    }
    memcpy(d->token, s, len);
    d->token[len] = '\0';
    d->token_len = len;
    return 0;
}

const char *bhmgmtd_cmdline_token(const char *cmdline, size_t *len)
{
    static const char key[] = "bh.mgmt_token=";

    for (const char *p = cmdline; (p = strstr(p, key)) != NULL; p += sizeof(key) - 1) {
        if (p != cmdline && p[-1] != ' ' && p[-1] != '\t') {
            continue; /* part of another word, e.g. xbh.mgmt_token= */
        }
        const char *v = p + sizeof(key) - 1;
        *len = strcspn(v, " \t\n");
        return v;
    }
    return NULL;
}

int bhmgmtd_status_of_exit(int exit_code)
{
    static const int status[] = {
        [BHCTL_EXIT_OK] = 200,      [BHCTL_EXIT_ERROR] = 500,
        [BHCTL_EXIT_USAGE] = 400,   [BHCTL_EXIT_DENIED] = 403,
        [BHCTL_EXIT_NOENT] = 404,   [BHCTL_EXIT_STATE] = 409,
        [BHCTL_EXIT_NODEV] = 503,   [BHCTL_EXIT_BUSY] = 503,
        [BHCTL_EXIT_UNSUPPORTED] = 501, [BHCTL_EXIT_AUTH] = 401,
    };
    if (exit_code >= 0 && (size_t)exit_code < sizeof(status) / sizeof(status[0])) {
        return status[exit_code];
    }
    return 500;
}

/* {"error":"<msg>","exit":N}\n, or msg and exit folded into an object bhctl printed. */
static void error_body(FILE *f, const char *out, size_t out_len, const char *msg, int exit_code)
{
    if (out_len >= 3 && out[0] == '{' && !strcmp(out + out_len - 2, "}\n") &&
        !memchr(out, '\n', out_len - 1)) {
        fwrite(out, 1, out_len - 2, f); /* bhctl's object, one line: add to it */
        fputs(",\"error\":", f);
    } else {
        fputs("{\"error\":", f);
    }
    bhctl_json_str(f, msg, 512);
    if (!strstr(out_len ? out : "", "\"exit\":")) {
        fprintf(f, ",\"exit\":%d", exit_code);
    }
    fputs("}\n", f);
}

/* bhctl's error text without "bhctl: " and line ends (several lines joined by "; "). */
static void clean_err(char *e)
{
    char *w = e;

    for (const char *r = e; *r;) {
        if (!strncmp(r, "bhctl: ", 7)) {
            r += 7;
            continue;
        }
        if (*r == '\n') {
            r++;
            if (*r) {
                *w++ = ';';
                *w++ = ' ';
            }
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
}

/* Run bhctl with args a (JSON) on the daemon's transport; the HTTP status. */
static int run_bhctl(struct bhmgmtd *d, struct bhctl_args *a, FILE *body)
{
    char *out = NULL, *err = NULL;
    size_t olen = 0, elen = 0;
    FILE *o = open_memstream(&out, &olen), *e = open_memstream(&err, &elen);

    if (!o || !e) {
        if (o) {
            fclose(o);
        }
        free(out);
        fputs("{\"error\":\"out of memory\",\"exit\":1}\n", body);
        return 500;
    }
    a->json = true;
    a->interval_ms = BHCTL_DEF_FOLLOW_MS;
    struct bhctl_env env = { .t = d->t, .out = o, .err = e, .sleep_ms = NULL, .stop = NULL };
    int r = bhctl_run(a, &env);
    fclose(o);
    fclose(e);
    if (r == 0) {
        fwrite(out, 1, olen, body);
    } else {
        clean_err(err);
        error_body(body, out, olen, err[0] ? err : "error", r);
    }
    free(out);
    free(err);
    return bhmgmtd_status_of_exit(r);
}

static int json_error(FILE *body, int status, int exit_code, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fputs("{\"error\":", body);
    bhctl_json_str(body, msg, sizeof(msg));
    fprintf(body, ",\"exit\":%d}\n", exit_code);
    return status;
}

/* GET /v1/events?cursor=N: one batch of records from N, as bhctl --json prints them. */
static int events(struct bhmgmtd *d, const char *query, FILE *body)
{
    static struct bhctl_snap names;
    static struct bhctl_evbatch b;
    char line[BH_MGMT_EVT_TEXT_MAX * 6 + 256];
    uint64_t cursor = 0;

    if (query[0]) {
        const char *v = !strncmp(query, "cursor=", 7) ? query + 7 : NULL;
        size_t n = v ? strlen(v) : 0;
        bool ok = v && n >= 1 && n <= 19 && strspn(v, "0123456789") == n;
        if (!ok) {
            return json_error(body, 400, BHCTL_EXIT_USAGE,
                              "the only parameter is cursor=N (decimal, < 10^19)");
        }
        cursor = strtoull(v, NULL, 10);
    }
    int r = d->t->open(d->t);
    if (r == 0) {
        r = d->t->snapshot(d->t, &names);
        r = r ? r : d->t->events(d->t, cursor, &b);
        if (r) {
            d->t->close(d->t);
        }
    }
    if (r) {
        return json_error(body, bhmgmtd_status_of_exit(r), r, "events: %s", d->t->err);
    }
    d->t->close(d->t);
    fprintf(body, "{\"first\":%llu,\"next\":%llu,\"missed\":%llu,\"log_next\":%llu,\"events\":[",
            (unsigned long long)b.first, (unsigned long long)b.next,
            (unsigned long long)b.missed, (unsigned long long)b.log_next);
    for (uint32_t i = 0; i < b.count; i++) {
        size_t n = bhctl_format_event(line, sizeof(line), &b.ev[i], &names, true);
        fprintf(body, "%s%.*s", i ? "," : "", n ? (int)n - 1 : 0, line); /* without its \n */
    }
    fputs("]}\n", body);
    return 200;
}

/* A path segment naming a VM, decoded into name; false if malformed. */
static bool vm_segment(const char *seg, size_t len, char *name, size_t namelen)
{
    char raw[BHHTTP_TARGET_MAX + 1];

    if (len == 0 || len >= sizeof(raw)) {
        return false;
    }
    memcpy(raw, seg, len);
    raw[len] = '\0';
    return bhhttp_pct_decode(raw, name, namelen) && name[0];
}

static int lifecycle_cmd(const char *op)
{
    static const char *const ops[] = { "start", "stop", "restart", "pause", "resume",
                                       "shutdown" };
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (!strcmp(op, ops[i])) {
            return BHCTL_CMD_START + (int)i;
        }
    }
    return -1;
}

/* The routes. *allow is set for a known path with another method (405). */
static int route(struct bhmgmtd *d, const struct bhhttp_req *req, FILE *body, const char **allow)
{
    static char name[BHHTTP_TARGET_MAX + 1];
    struct bhctl_args a;
    const char *p = req->path;
    bool get = req->method == BHHTTP_GET, post = req->method == BHHTTP_POST;

    memset(&a, 0, sizeof(a));
    if (!strcmp(p, "/v1/vms") || !strcmp(p, "/v1/stats") || !strcmp(p, "/v1/events") ||
        !strcmp(p, "/v1/daemon")) {
        *allow = "GET";
        if (!get) {
            return 405;
        }
        if (!strcmp(p, "/v1/events")) {
            return events(d, req->query, body);
        }
        if (!strcmp(p, "/v1/daemon")) {
            fprintf(body, "{\"requests\":%llu,\"auth_failures\":%llu,\"bad_requests\":%llu,"
                          "\"timeouts\":%llu,\"refused\":%llu}\n",
                    (unsigned long long)d->requests, (unsigned long long)d->auth_failures,
                    (unsigned long long)d->bad_requests, (unsigned long long)d->timeouts,
                    (unsigned long long)d->refused);
            return 200;
        }
        a.cmd = p[4] == 'v' ? BHCTL_CMD_LIST : BHCTL_CMD_STATS;
        return run_bhctl(d, &a, body);
    }
    bool vms = !strncmp(p, "/v1/vms/", 8), stats = !strncmp(p, "/v1/stats/", 10);
    if (!vms && !stats) {
        return json_error(body, 404, BHCTL_EXIT_USAGE, "no such resource: %s", p);
    }
    const char *seg = p + (vms ? 8 : 10), *slash = strchr(seg, '/');
    size_t seglen = slash ? (size_t)(slash - seg) : strlen(seg);
    if (!vm_segment(seg, seglen, name, BH_MGMT_NAME_MAX * 2)) {
        return json_error(body, 404, BHCTL_EXIT_USAGE, "no such resource: %s", p);
    }
    a.vm = name;
    if (!slash) { /* /v1/vms/NAME, /v1/stats/NAME */
        *allow = "GET";
        if (!get) {
            return 405;
        }
        a.cmd = vms ? BHCTL_CMD_INFO : BHCTL_CMD_STATS;
        return run_bhctl(d, &a, body);
    }
    int cmd = vms ? lifecycle_cmd(slash + 1) : -1;
    if (cmd < 0) {
        return json_error(body, 404, BHCTL_EXIT_USAGE, "no such resource: %s", p);
    }
    *allow = "POST";
    if (!post) {
        return 405;
    }
    a.cmd = (enum bhctl_cmd)cmd;
    return run_bhctl(d, &a, body);
}

void bhmgmtd_handle(struct bhmgmtd *d, const struct bhhttp_req *req,
                    struct bhmgmtd_answer *ans)
{
    const char *allow = NULL, *tok = req->auth_too_long ? NULL : bhhttp_bearer(req->auth);
    int status;

    memset(ans, 0, sizeof(*ans));
    FILE *f = open_memstream(&ans->body, &ans->len);
    if (!f) {
        ans->status = 500;
        return;
    }
    d->requests++;
    if (!tok || !bhhttp_token_eq(tok, d->token, d->token_len)) {
        d->auth_failures++;
        /* a line for the 1st, 2nd, 4th, 8th... failure: seen, but no log flood */
        if (d->log && (d->auth_failures & (d->auth_failures - 1)) == 0) {
            fprintf(d->log, "bhmgmtd: %s request refused: %s (%llu so far)\n", req->method_str,
                    tok ? "wrong token" : "no bearer token",
                    (unsigned long long)d->auth_failures);
        }
        status = json_error(f, 401, BHCTL_EXIT_AUTH, "%s",
                            tok ? "wrong token" : "no bearer token (Authorization: Bearer ...)");
    } else {
        status = route(d, req, f, &allow);
        if (status == 405) {
            json_error(f, 405, BHCTL_EXIT_USAGE, "%s %s: use %s", req->method_str, req->path,
                       allow);
        }
    }
    fclose(f);
    ans->status = status;
    ans->allow = status == 405 ? allow : NULL;
}
