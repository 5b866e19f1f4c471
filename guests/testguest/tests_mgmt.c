// SPDX-License-Identifier: MIT
/*
 * tg.mode=mgmt: a manager VM driving the management device directly (include/bulkhead/mgmt.h,
 * docs/MANAGEMENT.md), in the scenario tests/scenarios/m-mgmt.dts: `worker` (observe +
 * control, a spinning test guest with autostart off: defined until this starts it),
 * `watched` (observe only) and `rt` (manageable = <0>: no grant). Checks the registers, snapshots and
 * their seqlock, every lifecycle operation and its refusal, that a paused VM executes nothing
 * (its counters stand still) and continues where it was, tg.cycles stop/start cycles with no
 * leak (memory, events, its peers unaffected), and the event log under a flood of lifecycle
 * records (missed counted exactly). Operations are reads of registers: values are BH_* codes.
 */
#include <string.h>

#include <bulkhead/abi.h>
#include <bulkhead/mgmt.h>

#include "bootargs.h"
#include "ipc.h"
#include "mgmt_dev.h"
#include "mmio.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define SETTLE_MS  50
#define FLOOD_PAIRS 160 /* pause + resume: 2 lifecycle records + 2 mgmt records each */

static uint64_t exits_of(const struct bh_mgmt_vm *v)
{
    uint64_t sum = 0;

    for (unsigned c = 0; c < BH_MGMT_EXIT_CLASSES; c++) {
        sum += v->exits[c];
    }
    return sum;
}

static void check_registers(uint32_t *vm_count, uint32_t *self)
{
    report(mmio_read32(MGMT_REG(BH_MGMT_REG_MAGIC)) == BH_MGMT_MAGIC, "mgmt: magic");
    report(mmio_read32(MGMT_REG(BH_MGMT_REG_VERSION)) == BH_MGMT_VERSION, "mgmt: version");
    *vm_count = mmio_read32(MGMT_REG(BH_MGMT_REG_VM_COUNT));
    *self = mmio_read32(MGMT_REG(BH_MGMT_REG_SELF));
    report(*vm_count == 4 && *self < *vm_count, "mgmt: %u VMs, self %u", *vm_count, *self);
    int32_t n = (int32_t)mmio_read32(MGMT_REG(BH_MGMT_REG_SNAPSHOT));
    report(n == 3, "mgmt: the snapshot lists self and the 2 VMs granted (%d)", (int)n);
    report(MGMT_SNAP->magic == BH_MGMT_SNAP_MAGIC && MGMT_SNAP->vm_size == sizeof(struct bh_mgmt_vm) &&
               MGMT_SNAP->ipc_size == sizeof(struct bh_mgmt_ipc) && (MGMT_SNAP->seq & 1) == 0,
           "mgmt: snapshot header (magic, sizes, complete seq %lu)", (unsigned long)MGMT_SNAP->seq);
    uint64_t s1 = MGMT_SNAP->seq;
    (void)mmio_read32(MGMT_REG(BH_MGMT_REG_SNAPSHOT));
    report(MGMT_SNAP->seq == s1 + 2, "mgmt: each snapshot advances seq by 2 (seqlock)");
}

static uint32_t check_rights(uint32_t vm_count, uint32_t self, uint32_t worker,
                             uint32_t watched)
{
    uint32_t rt = MGMT_NONE;

    for (uint32_t t = 0; t < vm_count; t++) {
        if (t != self && t != worker && t != watched) {
            rt = t;
        }
    }
    mmio_write32(MGMT_REG(BH_MGMT_REG_TARGET), worker);
    report(mmio_read32(MGMT_REG(BH_MGMT_REG_RIGHTS)) ==
               (BH_MGMT_RIGHT_OBSERVE | BH_MGMT_RIGHT_CONTROL), "mgmt: rights on worker");
    mmio_write32(MGMT_REG(BH_MGMT_REG_TARGET), watched);
    report(mmio_read32(MGMT_REG(BH_MGMT_REG_RIGHTS)) == BH_MGMT_RIGHT_OBSERVE,
           "mgmt: rights on watched: observe");
    mmio_write32(MGMT_REG(BH_MGMT_REG_TARGET), rt);
    report(rt != MGMT_NONE && mmio_read32(MGMT_REG(BH_MGMT_REG_RIGHTS)) == 0, "mgmt: no rights on rt");
    report(mgmt_op(BH_MGMT_REG_STOP, watched) == BH_E_DENIED, "mgmt: stop without control: DENIED");
    report(mgmt_op(BH_MGMT_REG_PAUSE, watched) == BH_E_DENIED, "mgmt: pause without control: DENIED");
    report(mgmt_op(BH_MGMT_REG_RESTART, rt) == BH_E_DENIED, "mgmt: restart unmanageable rt: DENIED");
    report(mgmt_op(BH_MGMT_REG_STOP, self) == BH_E_DENIED, "mgmt: stop itself: DENIED");
    report(mgmt_op(BH_MGMT_REG_STOP, vm_count) == BH_E_NOENT, "mgmt: no such VM: NOENT");
    struct bh_mgmt_vm v;
    report(!mgmt_snap_vm(rt, &v), "mgmt: rt is not in the snapshot");
    report(mgmt_snap_vm(watched, &v) && v.state == BH_MGMT_STATE_RUNNING && v.mem_bytes != 0 &&
               v.uptime_ns != 0, "mgmt: observe: statistics of watched");
    report(mgmt_snap_vm(worker, &v) && v.state == BH_MGMT_STATE_DEFINED && v.uptime_ns == 0 &&
               v.starts == 0, "mgmt: worker (autostart off) reads defined");
    report(mgmt_op(BH_MGMT_REG_RESUME, worker) == BH_E_INVAL, "mgmt: resume a defined VM: INVAL");
    report(mgmt_op(BH_MGMT_REG_START, worker) == BH_OK, "mgmt: start the defined VM worker");
    report(mgmt_op(BH_MGMT_REG_START, worker) == BH_E_INVAL, "mgmt: start it again: INVAL");
    report(mgmt_snap_vm(worker, &v) && v.state == BH_MGMT_STATE_RUNNING && v.starts == 1,
           "mgmt: worker reads running");
    return rt;
}

static void check_pause(uint32_t worker)
{
    struct bh_mgmt_vm a, b, c;

    timer_delay_ms(SETTLE_MS);
    report(mgmt_op(BH_MGMT_REG_RESUME, worker) == BH_E_INVAL, "mgmt: resume a running VM: INVAL");
    report(mgmt_op(BH_MGMT_REG_PAUSE, worker) == BH_OK, "mgmt: pause worker");
    report(mgmt_op(BH_MGMT_REG_PAUSE, worker) == BH_E_INVAL, "mgmt: pause it again: INVAL");
    mgmt_snap_vm(worker, &a);
    timer_delay_ms(4 * SETTLE_MS);
    mgmt_snap_vm(worker, &b);
    report(a.state == BH_MGMT_STATE_PAUSED && b.state == BH_MGMT_STATE_PAUSED,
           "mgmt: worker reads paused");
    report(exits_of(&a) == exits_of(&b),
           "mgmt: paused: exits stand still (%lu, %lu)", (unsigned long)exits_of(&a),
           (unsigned long)exits_of(&b));
    report(a.vcpu[0].run_ns == b.vcpu[0].run_ns && b.vcpu[0].paused_ns > a.vcpu[0].paused_ns,
           "mgmt: paused: CPU time stands still (run %lu ns)", (unsigned long)b.vcpu[0].run_ns);
    report(b.uptime_ns > a.uptime_ns, "mgmt: paused: uptime goes on");
    report(mgmt_op(BH_MGMT_REG_RESUME, worker) == BH_OK, "mgmt: resume worker");
    timer_delay_ms(2 * SETTLE_MS);
    mgmt_snap_vm(worker, &c);
    report(c.state == BH_MGMT_STATE_RUNNING && exits_of(&c) > exits_of(&b) &&
               c.vcpu[0].run_ns > b.vcpu[0].run_ns,
           "mgmt: resumed: it runs again (exits %lu)", (unsigned long)exits_of(&c));
    report(c.starts == a.starts && c.restarts == a.restarts && c.vcpu[0].paused_ns > 0,
           "mgmt: resumed where it was (not restarted; paused %lu ns)",
           (unsigned long)c.vcpu[0].paused_ns);
    /* The worker ticks at 200 Hz and waits in WFI, which traps (it has no priority): most of
     * its time is idle, and it makes no IPC call. */
    const struct bh_mgmt_vcpu *w = &c.vcpu[0];
    report(c.exits[BH_MGMT_EXIT_WFI] > 0 && w->idle_ns > 4 * w->run_ns && w->run_ns > 0 &&
               w->blocked_ns == 0,
           "mgmt: idle time measured (run %lu ns, idle %lu ns, %lu WFIs)",
           (unsigned long)w->run_ns, (unsigned long)w->idle_ns,
           (unsigned long)c.exits[BH_MGMT_EXIT_WFI]);
}

static void check_cycles(uint32_t worker, uint32_t watched)
{
    uint32_t cycles = (uint32_t)bootarg_get_u64("tg.cycles", 20);
    struct bh_mgmt_vm w0, w1, p0, p1;
    uint32_t bad = 0;

    mgmt_snap_vm(worker, &w0);
    mgmt_snap_vm(watched, &p0);
    for (uint32_t i = 0; i < cycles; i++) {
        struct bh_mgmt_vm s;
        bad += mgmt_op(BH_MGMT_REG_STOP, worker) != BH_OK;
        bad += !mgmt_snap_vm(worker, &s) || s.state != BH_MGMT_STATE_STOPPED;
        bad += mgmt_op(BH_MGMT_REG_STOP, worker) != BH_E_INVAL;
        bad += mgmt_op(BH_MGMT_REG_START, worker) != BH_OK;
        bad += !mgmt_snap_vm(worker, &s) || s.state != BH_MGMT_STATE_RUNNING;
        timer_delay_ms(5);
    }
    mgmt_snap_vm(worker, &w1);
    mgmt_snap_vm(watched, &p1);
    report(bad == 0, "mgmt: %u stop/start cycles of worker (%u wrong answers)", cycles, bad);
    report(w1.starts == w0.starts + cycles && w1.mem_bytes == w0.mem_bytes &&
               w1.faults == w0.faults && w1.denials == w0.denials,
           "mgmt: no leak: starts +%lu, memory 0x%lx, no fault or denial",
           (unsigned long)(w1.starts - w0.starts), (unsigned long)w1.mem_bytes);
    report(p1.state == BH_MGMT_STATE_RUNNING && p1.starts == p0.starts && p1.faults == 0,
           "mgmt: the peer watched kept running, untouched");
    report(mgmt_op(BH_MGMT_REG_RESTART, worker) == BH_OK, "mgmt: restart worker");
    mgmt_snap_vm(worker, &w0);
    report(w0.restarts == w1.restarts + 1 && w0.state == BH_MGMT_STATE_RUNNING,
           "mgmt: restart counted");
}

/* Read everything from cursor on; returns the records seen, sets *missed and *kinds_seen. */
static uint64_t read_events(uint64_t cursor, uint64_t *missed, uint32_t worker, uint32_t rt,
                            bool *saw_rt, uint32_t *pauses)
{
    uint64_t seen = 0;

    *missed = 0;
    mmio_write32(MGMT_REG(BH_MGMT_REG_CURSOR_LO), (uint32_t)cursor);
    mmio_write32(MGMT_REG(BH_MGMT_REG_CURSOR_HI), (uint32_t)(cursor >> 32));
    for (int batch = 0; batch < 64; batch++) {
        int32_t n = (int32_t)mmio_read32(MGMT_REG(BH_MGMT_REG_EVENTS));
        const volatile struct bh_mgmt_event *e = (const volatile void *)(MGMT_EVTS + 1);
        *missed += MGMT_EVTS->missed;
        for (int32_t i = 0; i < n; i++) {
            *saw_rt = *saw_rt || e[i].vm == rt;
            *pauses += e[i].vm == worker && strcmp((const char *)e[i].kind, "pause") == 0;
        }
        seen += (uint64_t)n;
        if (MGMT_EVTS->next >= MGMT_EVTS->log_next) {
            break;
        }
    }
    return seen;
}

/* The log from its start: the pause of check_pause is there, rt's records are not. */
static uint64_t check_event_log(uint32_t worker, uint32_t rt)
{
    uint64_t missed;
    bool saw_rt = false;
    uint32_t pauses = 0;

    (void)read_events(0, &missed, worker, rt, &saw_rt, &pauses);
    report(MGMT_EVTS->magic == BH_MGMT_EVT_MAGIC && pauses == 1 && missed == 0,
           "mgmt: event log from 0: worker's pause seen once, nothing missed");
    report(!saw_rt, "mgmt: no record of the VM it may not observe");
    return MGMT_EVTS->next;
}

/* A flood of lifecycle records (never dropped) overwrites the log: missed, counted exactly. */
static void check_event_flood(uint32_t worker, uint32_t rt, uint64_t cursor)
{
    uint64_t missed;
    bool saw_rt = false;
    uint32_t pauses = 0;

    for (int i = 0; i < FLOOD_PAIRS; i++) {
        (void)mgmt_op(BH_MGMT_REG_PAUSE, worker);
        (void)mgmt_op(BH_MGMT_REG_RESUME, worker);
    }
    mmio_write32(MGMT_REG(BH_MGMT_REG_CURSOR_LO), (uint32_t)cursor);
    mmio_write32(MGMT_REG(BH_MGMT_REG_CURSOR_HI), (uint32_t)(cursor >> 32));
    (void)mmio_read32(MGMT_REG(BH_MGMT_REG_EVENTS));
    uint64_t log_next = MGMT_EVTS->log_next;
    uint64_t first_missed = MGMT_EVTS->missed;
    uint64_t seen = read_events(cursor, &missed, worker, rt, &saw_rt, &pauses);
    report(first_missed > 0 && missed == first_missed,
           "mgmt: after the flood: %lu records missed, counted once", (unsigned long)missed);
    report(seen > 0 && pauses > 0 && pauses < FLOOD_PAIRS,
           "mgmt: the newest records are read (%lu, %u pauses)", (unsigned long)seen, pauses);
    report(missed + seen <= log_next - cursor,
           "mgmt: missed + read within the log (%lu + %lu of %lu)", (unsigned long)missed,
           (unsigned long)seen, (unsigned long)(log_next - cursor));
    report(!saw_rt, "mgmt: still no record of rt");
    struct bh_mgmt_vm a, b;
    mgmt_snap_vm(worker, &a);
    timer_delay_ms(4 * SETTLE_MS);
    mgmt_snap_vm(worker, &b);
    report(b.state == BH_MGMT_STATE_RUNNING && exits_of(&b) > exits_of(&a),
           "mgmt: worker runs on after the flood (state %u, vcpu %u, exits %lu -> %lu)",
           b.state, b.vcpu[0].state, (unsigned long)exits_of(&a), (unsigned long)exits_of(&b));
}

/* Blocked time: the manager waits 20 ms on its own semaphore (channel 0, "mgr-idle", which
 * nobody posts), and its own snapshot shows the wait as blocked time, not run or idle. */
static void check_blocked(uint32_t self)
{
    struct bh_mgmt_vm a, b;
    bool ok = mgmt_snap_vm(self, &a);
    int64_t r = ipc_sem_wait(0, 20 * UINT64_C(1000000));

    ok = ok && mgmt_snap_vm(self, &b);
    uint64_t blocked = b.vcpu[0].blocked_ns - a.vcpu[0].blocked_ns;
    uint64_t idle = b.vcpu[0].idle_ns - a.vcpu[0].idle_ns;
    report(ok && r == BH_E_TIMEOUT && blocked >= 19000000 && blocked < 30000000 &&
               idle < 1000000,
           "mgmt: blocked time measured (a 20 ms semaphore wait: blocked +%lu ns, idle +%lu ns)",
           (unsigned long)blocked, (unsigned long)idle);
}

void tests_mgmt(void)
{
    uint32_t vm_count, self;

    check_registers(&vm_count, &self);
    uint32_t worker = mgmt_find_vm("worker"), watched = mgmt_find_vm("watched");
    report(worker != MGMT_NONE && watched != MGMT_NONE, "mgmt: VMs found by name");
    uint32_t rt = check_rights(vm_count, self, worker, watched);
    check_pause(worker);
    check_blocked(self);
    uint64_t cursor = check_event_log(worker, rt);
    check_cycles(worker, watched);
    check_event_flood(worker, rt, cursor);
    tg_finish();
}
