// SPDX-License-Identifier: MIT
/*
 * The event log on the manager's side (bhctl.h): reading the hypervisor's ring with a cursor,
 * batch after batch, into stdout or a file that is rotated by size (FILE, FILE.1 .. FILE.keep,
 * like logrotate's numbering: FILE.1 is the newest old file). Records the manager fell too far
 * behind for come out as one "missed" line each time, with the exact count the device gives.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bhctl.h"

/* Batches per drain: the ring holds 128 records and a batch up to 110, so a drain that is
 * not starved by a flood ends within 2; more only under a flood, and then we come back. */
#define DRAIN_BATCHES 16
#define LINE_MAX_LEN  (BH_MGMT_EVT_TEXT_MAX * 6 + 256) /* JSON may escape every byte */

int bhctl_rotlog_open(struct bhctl_rotlog *l, const char *path, uint64_t limit, uint32_t keep)
{
    memset(l, 0, sizeof(*l));
    if (strlen(path) + 4 >= sizeof(l->path) || limit == 0 || keep > BHCTL_MAX_KEEP) {
        errno = EINVAL;
        return -1;
    }
    snprintf(l->path, sizeof(l->path), "%s", path);
    l->limit = limit;
    l->keep = keep;
    l->f = fopen(path, "a");
    if (!l->f) {
        return -1;
    }
    if (fseek(l->f, 0, SEEK_END) == 0) {
        long pos = ftell(l->f);
        l->size = pos > 0 ? (uint64_t)pos : 0;
    }
    return 0;
}

static int rotate(struct bhctl_rotlog *l)
{
    char from[BHCTL_PATH_MAX + 16], to[BHCTL_PATH_MAX + 16];

    fclose(l->f);
    l->f = NULL;
    if (l->keep == 0) {
        remove(l->path);
    } else {
        snprintf(to, sizeof(to), "%s.%u", l->path, l->keep);
        remove(to);
        for (uint32_t i = l->keep - 1; i >= 1; i--) {
            snprintf(from, sizeof(from), "%s.%u", l->path, i);
            snprintf(to, sizeof(to), "%s.%u", l->path, i + 1);
            if (rename(from, to) != 0 && errno != ENOENT) {
                return -1;
            }
        }
        snprintf(to, sizeof(to), "%s.1", l->path);
        if (rename(l->path, to) != 0 && errno != ENOENT) {
            return -1;
        }
    }
    l->f = fopen(l->path, "w");
    l->size = 0;
    l->rotations++;
    return l->f ? 0 : -1;
}

int bhctl_rotlog_write(struct bhctl_rotlog *l, const char *line, size_t len)
{
    if (!l->f) {
        errno = EBADF;
        return -1;
    }
    if (l->size > 0 && (len > l->limit || l->size > l->limit - len) && rotate(l) != 0) {
        return -1;
    }
    if (fwrite(line, 1, len, l->f) != len || fflush(l->f) != 0) {
        return -1;
    }
    l->size += len;
    return 0;
}

void bhctl_rotlog_close(struct bhctl_rotlog *l)
{
    if (l->f) {
        fclose(l->f);
        l->f = NULL;
    }
}

static int emit(struct bhctl_env *env, struct bhctl_rotlog *log, const char *line, size_t len)
{
    if (log) {
        if (bhctl_rotlog_write(log, line, len) != 0) {
            fprintf(env->err, "bhctl: %s: %s\n", log->path, strerror(errno));
            return BHCTL_EXIT_ERROR;
        }
        return 0;
    }
    fwrite(line, 1, len, env->out);
    return 0;
}

int bhctl_events_drain(struct bhctl_env *env, const struct bhctl_args *a, uint64_t *cursor,
                       const struct bhctl_snap *names, struct bhctl_rotlog *log,
                       uint64_t *records)
{
    static struct bhctl_evbatch b;
    char line[LINE_MAX_LEN];
    int r;

    for (unsigned batch = 0; batch < DRAIN_BATCHES; batch++) {
        r = env->t->events(env->t, *cursor, &b);
        if (r) {
            fprintf(env->err, "bhctl: events: %s\n", env->t->err);
            return r;
        }
        if (b.missed) {
            uint64_t at = b.count ? b.ev[0].seq : b.next;
            r = emit(env, log, line, bhctl_format_missed(line, sizeof(line), b.missed, at,
                                                         a->json));
            if (r) {
                return r;
            }
        }
        for (uint32_t i = 0; i < b.count; i++) {
            r = emit(env, log, line, bhctl_format_event(line, sizeof(line), &b.ev[i], names,
                                                        a->json));
            if (r) {
                return r;
            }
            ++*records;
        }
        bool progress = b.next > *cursor;
        *cursor = b.next;
        if (!progress || b.next >= b.log_next) {
            break;
        }
    }
    fflush(env->out);
    return 0;
}
