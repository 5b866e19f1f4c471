/* SPDX-License-Identifier: MIT */
/*
 * The vCPU scheduler of one shared pCPU (docs/SCHEDULING.md), portable and unit-tested on the
 * host: which of the pCPU's vCPUs runs, for how long, and the time each spent running, waiting
 * and throttled. Times are counter ticks (arch_ticks). The arch layer (arch/aarch64/sched_cpu.c)
 * calls it with the pCPU's own lock-free state, always on that pCPU with interrupts masked;
 * other pCPUs only set wake-up bits and kick it.
 *
 * Policies:
 * - priority: the highest-priority runnable vCPU with budget left runs. A vCPU with a budget is
 *   a deferrable server: it consumes its budget while it runs, is throttled when it is gone
 *   and gets it back at every period boundary (unused budget does not carry over; time it
 *   ran past its budget because a decision came late is taken from the next budget).
 *   Equal priorities take turns every SCHED_RR quantum while both are runnable.
 * - partitions: a major frame of windows, each owned by one VM: only the owner's vCPUs run in
 *   its window (by priority, then in turns), otherwise the pCPU idles. The frame starts at
 *   sched_cpu_init; a window that starts late (the pCPU was in the hypervisor) is counted as
 *   jitter, and the frame is never shifted by it.
 * An idle (blocked) vCPU gives the pCPU away at once; it becomes runnable again by
 * sched_wake or when its wake_at time passes (its timer).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define SCHED_MAX_ENTS    8       /* vCPUs one shared pCPU takes */
#define SCHED_MAX_WINDOWS 16
#define SCHED_NONE        0xffu
#define SCHED_NEVER       UINT64_MAX

enum sched_policy {
    SCHED_POLICY_PRIORITY = 1,   /* the values of enum cfg_sched_policy */
    SCHED_POLICY_PARTITIONS = 2,
};

enum sched_state {
    SCHED_OFF,      /* not started, or stopped */
    SCHED_RUNNABLE, /* running or ready */
    SCHED_BLOCKED,  /* idle (WFI) or waiting in the hypervisor */
};

struct sched_ent {
    uint8_t state;       /* enum sched_state */
    uint8_t vm;          /* VM index: the owner of partition windows */
    uint32_t prio;       /* higher runs first */
    uint64_t budget;     /* per period, in ticks; 0: none */
    uint64_t period;
    uint64_t remaining;  /* budget left in this period */
    uint64_t overrun;    /* run past the budget, still to be paid from the next ones */
    uint64_t period_end; /* the next replenishment */
    uint64_t wake_at;    /* blocked: when it becomes runnable by itself; SCHED_NEVER: never */
    uint64_t ran_at;     /* when it was last picked (turns among equals) */
    /* Accounting, in ticks: running; runnable and not running (waiting); runnable with its
     * budget gone (throttled). */
    uint64_t run_ticks;
    uint64_t wait_ticks;
    uint64_t throttled_ticks;
    uint64_t throttles;  /* how often its budget ran out */
};

struct sched_cpu {
    uint8_t policy;           /* enum sched_policy */
    uint8_t n;                /* entities */
    uint8_t cur;              /* the running one, or SCHED_NONE */
    uint64_t quantum;         /* turns among equals, in ticks */
    uint64_t acct_at;         /* when sched_account last ran */
    struct sched_ent ent[SCHED_MAX_ENTS];
    /* partitions */
    uint64_t frame;           /* the major frame, ticks */
    uint64_t frame_start;     /* start of the current major frame */
    uint8_t nwin;
    uint8_t win;              /* the current window */
    uint64_t win_start[SCHED_MAX_WINDOWS]; /* offset in the frame */
    uint64_t win_len[SCHED_MAX_WINDOWS];
    uint8_t win_vm[SCHED_MAX_WINDOWS];
    uint64_t win_entries;     /* windows entered */
    uint64_t win_skipped;     /* windows passed over entirely (the pCPU was busy elsewhere) */
    uint64_t jitter_max;      /* latest window start seen, ticks after its planned start */
    uint64_t jitter_sum;
    /* per entity: switched out while it could have run on (a higher priority, the end of its
     * turn or of its partition window). Apart from struct sched_ent, whose 96 bytes the
     * decisions index cheaply (make bench: sched_decide/switch). */
    uint64_t preemptions[SCHED_MAX_ENTS];
};

/* Set c up empty for policy at time now; quantum in ticks (> 0). */
void sched_cpu_init(struct sched_cpu *c, enum sched_policy policy, uint64_t quantum, uint64_t now);

/* Add a vCPU (off) of VM vm with priority prio and budget per period (ticks; 0/0 none, else
 * 0 < budget <= period). Returns its index, or SCHED_NONE when c is full or the budget bad. */
unsigned sched_add(struct sched_cpu *c, unsigned vm, uint32_t prio, uint64_t budget,
                   uint64_t period, uint64_t now);

/* Partitions: append a window of len ticks owned by VM vm; the frame is the sum of the windows
 * in order. false when full or len is 0. */
bool sched_add_window(struct sched_cpu *c, unsigned vm, uint64_t len);

/* Charge the time since the last call: to the running entity (run time, budget), to the
 * others (waiting or throttled). Then replenish the budgets whose period ended. */
void sched_account(struct sched_cpu *c, uint64_t now);

/* Entity i changes state (accounted first). Blocked: wake_at is when it wakes by itself. */
void sched_set_state(struct sched_cpu *c, unsigned i, enum sched_state s, uint64_t wake_at,
                     uint64_t now);

/* Blocked entities whose wake_at passed become runnable (after sched_account). */
void sched_wake_due(struct sched_cpu *c, uint64_t now);

/* Whether entity i may run now: runnable and not throttled. */
bool sched_is_eligible(const struct sched_cpu *c, unsigned i);

/*
 * Decide who runs from now on (after sched_account and sched_wake_due): the entity index, or
 * SCHED_NONE to idle. Makes it c->cur. Partitions: moves to the window that contains now and
 * records the window's start jitter.
 */
unsigned sched_pick(struct sched_cpu *c, uint64_t now);

/* Entity i's accounting (sched_ent's counters) as it stands at now: the time since the last
 * sched_account charged as that would charge it, without changing c. For readers on other
 * pCPUs (management statistics): each word is read once, so a read racing a decision is an
 * estimate, never below what was accounted. Zeroes for a bad i. */
struct sched_times {
    uint64_t run, wait, throttled; /* ticks */
    uint64_t throttles, preemptions;
};
void sched_ent_times(const struct sched_cpu *c, unsigned i, uint64_t now, struct sched_times *t);

/* When the decision must be made again at the latest (budget gone, replenishment, window end,
 * turn over, a blocked entity's wake_at); SCHED_NEVER: only on a wake-up. After sched_pick. */
uint64_t sched_next_event(const struct sched_cpu *c, uint64_t now);
