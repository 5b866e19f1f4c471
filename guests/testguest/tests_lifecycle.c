// SPDX-License-Identifier: MIT
/*
 * Hostile lifecycle modes (issue 9): each does one thing a guest must not be able to turn
 * against the hypervisor or its neighbours, and the scenario test checks the console:
 *   evtflood  floods unknown hypercalls, then faults fatally: the fault and stop records must
 *             still appear, followed by evt_dropped (core/event.h);
 *   offat     powers off at an absolute counter time, so that two VMs do it at once: the
 *             platform must power off exactly once (core/vm/vm.c vm_stop);
 *   vbarbad   points VBAR_EL1 outside RAM, then faults with fault-policy "abort": the
 *             injected abort cannot be delivered, the VM must stop (core/vm/vm_fault.h);
 *   dbstorm   rings a doorbell in a tight loop (tg.db=ring) at a receiver that keeps the SPI
 *             disabled (tg.db=idle): the receiver must not be made to exit, and with a
 *             rate-limit the sender must get BH_E_BUSY.
 */
#include "bootargs.h"
#include "ipc.h"
#include "platform.h"
#include "psci.h"
#include "report.h"
#include "sysreg.h"
#include "tests.h"
#include "timer.h"

#define MIB                     0x100000UL
#define OUTSIDE_RAM_OFFSET      (16 * MIB) /* past the end of RAM: unmapped at stage 2 */
#define UNKNOWN_VENDOR_HVC      0xC600FFFFU /* vendor hypervisor range, unassigned */
#define DEFAULT_HVC_COUNT       65536
#define DEFAULT_RING_COUNT      200000
#define DB_POLL_MS              20
#define DB_WAIT_MS              120000
#define VBAR_ALIGN              0x800UL /* VBAR_EL1 bits [10:0] are RES0 */

static uintptr_t outside_ram(void)
{
    return (uintptr_t)(platform_mem_highest_end() + OUTSIDE_RAM_OFFSET);
}

/* tg.hvc_count unknown hypercalls (each refused with NOT_SUPPORTED and an hvc_unknown
 * record), then a read outside RAM, fatal under fault-policy "stop". */
void mode_evtflood(void)
{
    uint64_t n = bootarg_get_u64("tg.hvc_count", DEFAULT_HVC_COUNT);
    uint64_t refused = 0;

    tg_print("evtflood: %lu unknown hypercalls", n);
    for (uint64_t i = 0; i < n; i++) {
        refused += smccc_hvc(UNKNOWN_VENDOR_HVC, i, 0, 0) == SMCCC_RET_NOT_SUPPORTED;
    }
    report(refused == n, "evtflood: %lu of %lu unknown hypercalls returned NOT_SUPPORTED",
           refused, n);
    tg_print("evtflood: fatal read of 0x%lx", outside_ram());
    (void)*(volatile uint32_t *)outside_ram();
    tg_fatal("evtflood: the read outside RAM did not fault");
}

/* SYSTEM_OFF once the (shared, CNTVOFF = 0) virtual counter reaches tg.off_at_ms: the last
 * stretch is a busy wait so that VMs on different CPUs call it within microseconds. */
void mode_offat(void)
{
    uint64_t at = timer_ms_to_ticks(bootarg_get_u64("tg.off_at_ms", 3000));
    uint64_t early = timer_ms_to_ticks(2);

    tg_print("offat: SYSTEM_OFF at counter %lu", at);
    while (timer_now() + early < at) {
        timer_delay_ms(1);
    }
    while (timer_now() < at) {
    }
    psci_system_off();
    tg_fatal("offat: SYSTEM_OFF returned");
}

/* VBAR_EL1 outside RAM, then a fault: the abort the hypervisor injects goes to a vector
 * it cannot fetch. Nothing after the read may run. */
void mode_vbarbad(void)
{
    uintptr_t vbar = outside_ram() & ~(VBAR_ALIGN - 1);

    tg_print("vbarbad: VBAR_EL1 = 0x%lx, then a read of 0x%lx", vbar, outside_ram() + MIB);
    __asm__ volatile("msr daifset, #0xf" ::: "memory"); /* no interrupt through it either */
    write_sysreg(vbar, vbar_el1);
    isb();
    (void)*(volatile uint32_t *)(outside_ram() + MIB);
    tg_fatal("vbarbad: survived a fault with VBAR_EL1 outside RAM");
}

/* The flag in the shared page the ringing side sets when it is done. */
static volatile uint32_t *db_done_flag(void)
{
    struct ipc_obj shm;

    ipc_dt_need("done", &shm);
    return (volatile uint32_t *)(uintptr_t)shm.shm_ipa;
}

/* Ring doorbell "db" tg.db_count times back to back; tg.db_busy=1: some must be refused with
 * BH_E_BUSY (a rate-limit), otherwise none may. */
static void db_ring(void)
{
    uint64_t n = bootarg_get_u64("tg.db_count", DEFAULT_RING_COUNT);
    bool want_busy = bootarg_get_u64("tg.db_busy", 0) != 0;
    volatile uint32_t *done = db_done_flag();
    uint64_t ok = 0, busy = 0, other = 0;
    struct ipc_obj db;

    ipc_dt_need("db", &db);
    tg_print("dbstorm: ringing doorbell %u %lu times", db.id, n);
    for (uint64_t i = 0; i < n; i++) {
        int64_t r = ipc_ring(db.id);
        ok += r == BH_OK;
        busy += r == BH_E_BUSY;
        other += r != BH_OK && r != BH_E_BUSY;
    }
    tg_print("dbstorm: rings=%lu ok=%lu busy=%lu other=%lu", n, ok, busy, other);
    report(other == 0, "dbstorm: every ring returned OK or BUSY");
    if (want_busy) {
        report(busy > 0 && ok > 0, "dbstorm: the rate-limit refused some rings (BH_E_BUSY)");
    } else {
        report(busy == 0, "dbstorm: no rate-limit, no ring refused");
    }
    *done = 1;
    tg_finish();
}

/* Keep the doorbell's SPI disabled (as after reset) and sleep until the ringing side is done;
 * the harness reads this VM's interrupt exits from its STATS line. */
static void db_idle(void)
{
    volatile uint32_t *done = db_done_flag();
    struct ipc_obj db;
    uint64_t waited = 0;

    ipc_dt_need("db", &db);
    tg_print("dbstorm: idle with SPI %u disabled", db.intid);
    while (!*done && waited < DB_WAIT_MS) {
        timer_delay_ms(DB_POLL_MS);
        waited += DB_POLL_MS;
    }
    report(*done != 0, "dbstorm: the ringing side finished within %u ms", DB_WAIT_MS);
    tg_finish();
}

void mode_dbstorm(void)
{
    char role[8] = "";

    bootarg_get("tg.db", role, sizeof(role));
    if (role[0] == 'r') {
        db_ring();
    }
    if (role[0] == 'i') {
        db_idle();
    }
    tg_fatal("dbstorm: tg.db=%s is neither ring nor idle", role);
}
