// SPDX-License-Identifier: MIT
/*
 * tg.mode=mgmttick: tg.mode=spin's tg.hz timer (the train's old `tick` VM, before the
 * hypervisor's round-robin slice replaced it: docs/VIRTUAL-CPU.md) that is also a manager (docs/MANAGEMENT.md): every
 * tg.every_ms it restarts tg.target= (default "ui") through the management device, tg.restarts
 * times, and checks each time that the target had come back since the last restart (running,
 * its console grew), that RESTART answered BH_OK and that the target runs again with one more
 * start and restart counted. Then it prints its summary and ticks on forever (it stays up
 * beside the real-time VMs until the test ends). Between restarts it does nothing but the
 * tick's interrupt: the train tests are sensitive to timing (t-train-managed.test).
 */
#include <string.h>

#include <bulkhead/abi.h>
#include <bulkhead/mgmt.h>

#include "bootargs.h"
#include "mgmt_dev.h"
#include "mmio.h"
#include "report.h"
#include "tests.h"
#include "timer.h"

#define TICK_HZ_DEFAULT   1000u
#define EVERY_MS_DEFAULT  6000u
#define RESTARTS_DEFAULT  3u
#define RESTARTS_MAX      100u   /* the restart limit is 20 in 10 s: the period keeps below it */
#define EVERY_MS_MAX      600000u

/* What the manager looks at of its target in a snapshot. */
struct target_view {
    uint32_t state;
    uint64_t starts, restarts, tx;
};

/* A fresh snapshot's view of VM id (false: not in it). Only this vCPU writes the area. */
static bool view_of(uint32_t id, struct target_view *out)
{
    int32_t n = (int32_t)mmio_read32(MGMT_REG(BH_MGMT_REG_SNAPSHOT));
    const volatile struct bh_mgmt_vm *v = (const volatile void *)(MGMT_SNAP + 1);

    for (int32_t i = 0; i < n; i++) {
        if (v[i].id == id) {
            out->state = v[i].state;
            out->starts = v[i].starts;
            out->restarts = v[i].restarts;
            out->tx = v[i].uart_tx_bytes;
            return true;
        }
    }
    return false;
}

static bool ticks_reached(const void *arg)
{
    return READ_ONCE(this_cpu()->timer_ticks) >= *(const uint32_t *)arg;
}

/* Sleep (WFI between the periodic ticks) until the tick count reaches target. */
static void wait_ticks(uint32_t target, uint32_t every_ms)
{
    while (!wait_irq_cond(ticks_reached, &target, (uint64_t)every_ms + MS_PER_S)) {
        report_info("mgmttick: tick %u not reached in %u ms", target, every_ms + MS_PER_S);
    }
}

/* The target is back: running, and it wrote to its console since tx_mark. */
static void check_back(const char *name, uint32_t id, uint64_t tx_mark, unsigned after)
{
    struct target_view v = { 0 };

    report(view_of(id, &v) && v.state == BH_MGMT_STATE_RUNNING && v.tx > tx_mark,
           "mgmttick: %s running after restart %u (state %u, %lu console bytes since)", name,
           after, v.state, (unsigned long)(v.tx - tx_mark));
}

void mode_mgmttick(void)
{
    char name[BH_MGMT_NAME_MAX] = "ui";
    uint32_t hz = (uint32_t)bootarg_get_u64("tg.hz", TICK_HZ_DEFAULT);
    uint64_t every_ms = bootarg_get_u64("tg.every_ms", EVERY_MS_DEFAULT);
    uint64_t restarts = bootarg_get_u64("tg.restarts", RESTARTS_DEFAULT);

    bootarg_get("tg.target", name, sizeof(name));
    if (hz < 2 || hz > 100000 || every_ms == 0 || every_ms > EVERY_MS_MAX ||
        restarts > RESTARTS_MAX) {
        tg_fatal("mgmttick: tg.hz=%u (2..100000), tg.every_ms=%lu (1..%u) or tg.restarts=%lu "
                 "(0..%u) out of range", hz, (unsigned long)every_ms, EVERY_MS_MAX,
                 (unsigned long)restarts, RESTARTS_MAX);
    }
    uint32_t id = mgmt_find_vm(name);
    mmio_write32(MGMT_REG(BH_MGMT_REG_TARGET), id);
    uint32_t rights = mmio_read32(MGMT_REG(BH_MGMT_REG_RIGHTS));
    if (!report(id != MGMT_NONE && (rights & BH_MGMT_RIGHT_CONTROL) != 0,
                "mgmttick: %s found (id %u), rights 0x%x include control", name, id, rights)) {
        tg_finish();
    }
    tg_print("mgmttick: ticking at %u Hz, restarting %s every %lu ms, %lu times", hz, name,
             (unsigned long)every_ms, (unsigned long)restarts);

    uint32_t step = (uint32_t)(every_ms * hz / MS_PER_S), target = 0;
    uint64_t tx_mark = 0;
    timer_start_periodic(hz);
    for (unsigned i = 1; i <= restarts; i++) {
        target += step;
        wait_ticks(target, (uint32_t)every_ms);
        check_back(name, id, tx_mark, i - 1);
        struct target_view before = { 0 }, after = { 0 };
        (void)view_of(id, &before);
        int32_t r = mgmt_op(BH_MGMT_REG_RESTART, id);
        bool seen = view_of(id, &after);
        report(r == BH_OK && seen && after.state == BH_MGMT_STATE_RUNNING &&
                   after.starts == before.starts + 1 && after.restarts == before.restarts + 1,
               "mgmttick: restart %u/%lu of %s -> %d (%s) state=%u starts=%lu restarts=%lu", i,
               (unsigned long)restarts, name, (int)r, r == BH_OK ? "OK" : "error", after.state,
               (unsigned long)after.starts, (unsigned long)after.restarts);
        tx_mark = after.tx;
    }
    target += step;
    wait_ticks(target, (uint32_t)every_ms);
    check_back(name, id, tx_mark, (unsigned)restarts);
    (void)tg_summary();
    for (;;) { /* the time slice goes on: the real-time VMs need it until they end */
        target += step;
        wait_ticks(target, (uint32_t)every_ms);
    }
}
