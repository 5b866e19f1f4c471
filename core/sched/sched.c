// SPDX-License-Identifier: MIT
/*
 * The decisions of a shared pCPU's vCPU scheduler (sched.h, docs/SCHEDULING.md): fixed
 * priorities with deferrable-server budgets, or ARINC 653-style partition windows. At most
 * SCHED_MAX_ENTS entities, so every decision is a bounded loop over them; nothing here reads
 * guest memory, and the times come from the pCPU's own counter.
 */
#include <core/sched/sched.h>

#include <lib/string.h>

void sched_cpu_init(struct sched_cpu *c, enum sched_policy policy, uint64_t quantum, uint64_t now)
{
    memset(c, 0, sizeof(*c));
    c->policy = (uint8_t)policy;
    c->cur = SCHED_NONE;
    c->quantum = quantum ? quantum : 1;
    c->acct_at = now;
    c->frame_start = now;
    c->win = SCHED_NONE;
}

unsigned sched_add(struct sched_cpu *c, unsigned vm, uint32_t prio, uint64_t budget,
                   uint64_t period, uint64_t now)
{
    if (c->n >= SCHED_MAX_ENTS || budget > period || (budget == 0) != (period == 0)) {
        return SCHED_NONE;
    }
    struct sched_ent *e = &c->ent[c->n];

    memset(e, 0, sizeof(*e));
    e->state = SCHED_OFF;
    e->vm = (uint8_t)vm;
    e->prio = prio;
    e->budget = budget;
    e->period = period;
    e->remaining = budget;
    e->period_end = period ? now + period : SCHED_NEVER;
    e->wake_at = SCHED_NEVER;
    return c->n++;
}

bool sched_add_window(struct sched_cpu *c, unsigned vm, uint64_t len)
{
    if (c->nwin >= SCHED_MAX_WINDOWS || len == 0) {
        return false;
    }
    c->win_start[c->nwin] = c->frame;
    c->win_len[c->nwin] = len;
    c->win_vm[c->nwin] = (uint8_t)vm;
    c->frame += len;
    c->nwin++;
    c->win = SCHED_NONE; /* the first pick enters a window */
    return true;
}

static bool is_throttled(const struct sched_ent *e)
{
    return e->budget != 0 && e->remaining == 0;
}

bool sched_is_eligible(const struct sched_cpu *c, unsigned i)
{
    return i < c->n && c->ent[i].state == SCHED_RUNNABLE && !is_throttled(&c->ent[i]);
}

static void replenish(struct sched_ent *e, uint64_t now)
{
    if (e->budget == 0 || now < e->period_end) {
        return;
    }
    /* every boundary passed meanwhile at once: no loop over missed periods */
    e->period_end += ((now - e->period_end) / e->period + 1) * e->period;
    /* what it ran past its budget (a late decision) is paid from the new one, so that over
     * time it never gets more than its budget (as seL4's MCS charges overruns) */
    e->remaining = e->budget - (e->overrun < e->budget ? e->overrun : e->budget);
    e->overrun -= e->budget - e->remaining;
}

void sched_account(struct sched_cpu *c, uint64_t now)
{
    uint64_t dt = now > c->acct_at ? now - c->acct_at : 0;

    for (unsigned i = 0; i < c->n; i++) {
        struct sched_ent *e = &c->ent[i];
        if (i == c->cur) {
            e->run_ticks += dt;
            if (e->budget != 0) {
                uint64_t used = dt < e->remaining ? dt : e->remaining;
                e->overrun += dt - used;
                e->remaining -= used;
                e->throttles += used != 0 && e->remaining == 0;
            }
        } else if (e->state == SCHED_RUNNABLE) {
            if (is_throttled(e)) {
                e->throttled_ticks += dt;
            } else {
                e->wait_ticks += dt;
            }
        }
        replenish(e, now);
    }
    c->acct_at = now > c->acct_at ? now : c->acct_at;
}

void sched_set_state(struct sched_cpu *c, unsigned i, enum sched_state s, uint64_t wake_at,
                     uint64_t now)
{
    (void)now;
    if (i >= c->n) {
        return;
    }
    c->ent[i].state = (uint8_t)s;
    c->ent[i].wake_at = s == SCHED_BLOCKED ? wake_at : SCHED_NEVER;
    if (i == c->cur && s != SCHED_RUNNABLE) {
        c->cur = SCHED_NONE; /* not charged from here on */
    }
}

void sched_wake_due(struct sched_cpu *c, uint64_t now)
{
    for (unsigned i = 0; i < c->n; i++) {
        if (c->ent[i].state == SCHED_BLOCKED && c->ent[i].wake_at <= now) {
            c->ent[i].state = SCHED_RUNNABLE;
            c->ent[i].wake_at = SCHED_NEVER;
        }
    }
}

/* Partitions: the window that contains now (frame_start advanced past whole frames). */
static void enter_window(struct sched_cpu *c, uint64_t now)
{
    if (c->nwin == 0 || now < c->frame_start) {
        return;
    }
    if (now - c->frame_start >= c->frame) {
        c->frame_start += (now - c->frame_start) / c->frame * c->frame;
    }
    uint64_t off = now - c->frame_start;
    unsigned w = 0;

    while (w + 1u < c->nwin && off >= c->win_start[w] + c->win_len[w]) {
        w++;
    }
    if (w == c->win) {
        return;
    }
    if (c->win != SCHED_NONE && w != (c->win + 1u) % c->nwin) {
        c->win_skipped++;
    }
    uint64_t late = off - c->win_start[w];
    c->win = (uint8_t)w;
    c->win_entries++;
    c->jitter_sum += late;
    c->jitter_max = late > c->jitter_max ? late : c->jitter_max;
}

/* The turn order among equal priorities: the running one keeps its quantum, then goes last;
 * the others by when they last ran. */
static uint64_t turn_key(const struct sched_cpu *c, unsigned i, uint64_t now)
{
    return i == c->cur ? now : c->ent[i].ran_at;
}

/* Whether i beats best (SCHED_NONE: anything eligible does) at time now. */
static bool beats(const struct sched_cpu *c, unsigned i, unsigned best, uint64_t now)
{
    if (best == SCHED_NONE || c->ent[i].prio != c->ent[best].prio) {
        return best == SCHED_NONE || c->ent[i].prio > c->ent[best].prio;
    }
    if (c->cur != SCHED_NONE && now - c->ent[c->cur].ran_at < c->quantum &&
        (i == c->cur || best == c->cur)) {
        return i == c->cur;
    }
    return turn_key(c, i, now) < turn_key(c, best, now);
}

unsigned sched_pick(struct sched_cpu *c, uint64_t now)
{
    unsigned best = SCHED_NONE;
    unsigned prev = c->cur;

    if (c->policy == SCHED_POLICY_PARTITIONS) {
        enter_window(c, now);
    }
    for (unsigned i = 0; i < c->n; i++) {
        if (!sched_is_eligible(c, i)) {
            continue;
        }
        if (c->policy == SCHED_POLICY_PARTITIONS &&
            (c->win >= c->nwin || c->ent[i].vm != c->win_vm[c->win])) {
            continue;
        }
        if (beats(c, i, best, now)) {
            best = i;
        }
    }
    if (best != SCHED_NONE && (best != c->cur || now - c->ent[best].ran_at >= c->quantum)) {
        c->ent[best].ran_at = now;
    }
    /* the one that ran goes out while it could still run: preempted (a block cleared cur,
     * a throttle is not eligible). 14 EL2 instructions of a decision that switches (make
     * bench: sched_decide 223 -> 237), none on one that does not. */
    if (prev != best && sched_is_eligible(c, prev)) {
        c->preemptions[prev]++;
    }
    c->cur = (uint8_t)best;
    return best;
}

static uint64_t load64(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void sched_ent_times(const struct sched_cpu *c, unsigned i, uint64_t now, struct sched_times *t)
{
    *t = (struct sched_times){ 0 };
    if (i >= c->n) {
        return;
    }
    const struct sched_ent *e = &c->ent[i];
    uint64_t at = load64(&c->acct_at);
    uint64_t dt = now > at ? now - at : 0;
    uint8_t st = __atomic_load_n(&e->state, __ATOMIC_RELAXED);
    bool cur = __atomic_load_n(&c->cur, __ATOMIC_RELAXED) == i;
    uint64_t remaining = load64(&e->remaining);

    t->run = load64(&e->run_ticks);
    t->wait = load64(&e->wait_ticks);
    t->throttled = load64(&e->throttled_ticks);
    t->throttles = load64(&e->throttles);
    t->preemptions = load64(&c->preemptions[i]);
    if (cur) {
        t->run += dt; /* its budget's end is a decision: dt is within it (or the latency) */
    } else if (st == SCHED_RUNNABLE && e->budget != 0 && remaining == 0) {
        t->throttled += dt;
    } else if (st == SCHED_RUNNABLE) {
        t->wait += dt;
    }
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

uint64_t sched_next_event(const struct sched_cpu *c, uint64_t now)
{
    uint64_t t = SCHED_NEVER;
    bool rival = false;

    if (c->policy == SCHED_POLICY_PARTITIONS && c->win < c->nwin) {
        t = c->frame_start + c->win_start[c->win] + c->win_len[c->win];
    }
    for (unsigned i = 0; i < c->n; i++) {
        const struct sched_ent *e = &c->ent[i];
        if (e->state == SCHED_BLOCKED) {
            t = min_u64(t, e->wake_at);
        } else if (e->state == SCHED_RUNNABLE && e->budget != 0 &&
                   (i == c->cur || is_throttled(e))) {
            t = min_u64(t, e->period_end); /* a throttled one gets its budget back */
        }
        rival |= i != c->cur && c->cur != SCHED_NONE && sched_is_eligible(c, i) &&
                 e->prio == c->ent[c->cur].prio &&
                 (c->policy != SCHED_POLICY_PARTITIONS || e->vm == c->ent[c->cur].vm);
    }
    if (c->cur != SCHED_NONE) {
        const struct sched_ent *e = &c->ent[c->cur];
        if (e->budget != 0) {
            t = min_u64(t, now + e->remaining);
        }
        if (rival) {
            t = min_u64(t, e->ran_at + c->quantum);
        }
    }
    return t;
}
