// SPDX-License-Identifier: MIT
/*
 * tg.mode=mgmtshut: a manager VM's graceful shutdowns (docs/MANAGEMENT.md "Graceful
 * shutdown"), in tests/scenarios/m-shutdown.dts: `obeyer` (tg.mode=power: powers off when its
 * button is pressed), `ignorer` (tg.mode=power tg.power=ignore, shutdown-timeout-ms = 300:
 * stopped by force) and `nobutton` (power-button = <0>). Checks the answers (OK, BUSY while
 * pending, NOT_SUPPORTED without a button, INVAL when paused or stopped), the states, the
 * time each took, the event records (requested, done by the guest, forced), and that a
 * restarted VM gets a released button and can be shut down again.
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

#define BOOT_MS    100  /* a test guest is waiting for its button by then */
#define FORCED_MS  300  /* ignorer's shutdown-timeout-ms */
#define OBEYER_MS  10000 /* obeyer's shutdown-timeout-ms: off before it, by itself */
/* How long a stop may take to be seen beyond its cause: these scenarios run without -icount,
 * and on a loaded host a vCPU thread can wait seconds for a core (CI). The order of events and
 * the records say what happened; wall-clock upper bounds below only catch "never". */
#define LATE_MS    5000

static uint32_t state_of(uint32_t id)
{
    int32_t n = (int32_t)mmio_read32(MGMT_REG(BH_MGMT_REG_SNAPSHOT));
    const volatile struct bh_mgmt_vm *v = (const volatile void *)(MGMT_SNAP + 1);

    for (int32_t i = 0; i < n; i++) {
        if (v[i].id == id) {
            return v[i].state;
        }
    }
    return 0;
}

/* Poll until id reads stopped, at most max_ms: the time it took in ms, or -1. */
static int64_t wait_stopped(uint32_t id, uint64_t max_ms)
{
    uint64_t t0 = timer_now(), end = t0 + timer_ms_to_ticks(max_ms);

    while (timer_now() < end) {
        if (state_of(id) == BH_MGMT_STATE_STOPPED) {
            return (int64_t)((timer_now() - t0) / timer_ms_to_ticks(1));
        }
        timer_delay_ms(5);
    }
    return -1;
}

/* Whether needle occurs in text (the guest's libc has no strstr). */
static bool contains(const char *text, const char *needle)
{
    size_t n = strlen(needle);

    for (; *text; text++) {
        if (strncmp(text, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether the event log from cursor 0 holds a record of vm with kind and text containing
 * every one of the NULL-terminated needles (the log holds 128: this run makes far fewer). */
static bool log_has(uint32_t vm, const char *kind, const char *a, const char *b)
{
    mmio_write32(MGMT_REG(BH_MGMT_REG_CURSOR_LO), 0);
    mmio_write32(MGMT_REG(BH_MGMT_REG_CURSOR_HI), 0);
    for (int batch = 0; batch < 8; batch++) {
        int32_t n = (int32_t)mmio_read32(MGMT_REG(BH_MGMT_REG_EVENTS));
        const volatile struct bh_mgmt_event *e = (const volatile void *)(MGMT_EVTS + 1);
        for (int32_t i = 0; i < n; i++) {
            const char *text = (const char *)e[i].text;
            if (e[i].vm == vm && strcmp((const char *)e[i].kind, kind) == 0 &&
                contains(text, a) && (!b || contains(text, b))) {
                return true;
            }
        }
        if (n <= 0 || MGMT_EVTS->next >= MGMT_EVTS->log_next) {
            break;
        }
    }
    return false;
}

static void check_obeyer(uint32_t obeyer)
{
    report(mgmt_op(BH_MGMT_REG_SHUTDOWN, obeyer) == BH_OK, "shutdown: obeyer asked");
    int32_t again = mgmt_op(BH_MGMT_REG_SHUTDOWN, obeyer);
    report(again == BH_E_BUSY || again == BH_E_INVAL,
           "shutdown: asked again while pending: BUSY (or INVAL once stopped): %d", (int)again);
    int64_t ms = wait_stopped(obeyer, OBEYER_MS);
    report(ms >= 0 && ms < OBEYER_MS, "shutdown: obeyer powered itself off (%ld ms)", (long)ms);
    report(mgmt_op(BH_MGMT_REG_SHUTDOWN, obeyer) == BH_E_INVAL, "shutdown: a stopped VM: INVAL");
    report(log_has(obeyer, "shutdown", "phase=requested", "timeout_ms=10000") &&
               log_has(obeyer, "shutdown", "phase=done by=guest", "reason=system_off"),
           "shutdown: obeyer's records: requested, done by the guest");
    report(!log_has(obeyer, "shutdown", "phase=forced", NULL), "shutdown: obeyer not forced");
}

static void check_ignorer(uint32_t ignorer)
{
    uint64_t t0 = timer_now();

    report(mgmt_op(BH_MGMT_REG_SHUTDOWN, ignorer) == BH_OK, "shutdown: ignorer asked");
    timer_delay_ms(FORCED_MS / 3);
    report(state_of(ignorer) == BH_MGMT_STATE_RUNNING, "shutdown: ignorer runs on meanwhile");
    report(mgmt_op(BH_MGMT_REG_SHUTDOWN, ignorer) == BH_E_BUSY, "shutdown: pending: BUSY");
    int64_t ms = wait_stopped(ignorer, FORCED_MS + LATE_MS);
    uint64_t total = (timer_now() - t0) / timer_ms_to_ticks(1);
    report(ms >= 0 && total >= FORCED_MS && total < FORCED_MS + LATE_MS,
           "shutdown: ignorer stopped by force after its timeout (%lu ms, timeout %u)",
           (unsigned long)total, FORCED_MS);
    report(log_has(ignorer, "shutdown", "phase=forced", "timeout_ms=300") &&
               !log_has(ignorer, "shutdown", "phase=done", NULL),
           "shutdown: ignorer's records: forced, never done by the guest");
}

/* Started again, the obeyer has a released button and a fresh shutdown works; a paused VM
 * cannot answer (INVAL). */
static void check_again(uint32_t obeyer, uint32_t ignorer)
{
    report(mgmt_op(BH_MGMT_REG_START, ignorer) == BH_OK, "shutdown: ignorer started again");
    timer_delay_ms(BOOT_MS);
    report(mgmt_op(BH_MGMT_REG_PAUSE, ignorer) == BH_OK &&
               mgmt_op(BH_MGMT_REG_SHUTDOWN, ignorer) == BH_E_INVAL &&
               mgmt_op(BH_MGMT_REG_RESUME, ignorer) == BH_OK,
           "shutdown: a paused VM: INVAL");
    report(mgmt_op(BH_MGMT_REG_STOP, ignorer) == BH_OK, "shutdown: ignorer stopped by the manager");
    report(mgmt_op(BH_MGMT_REG_START, obeyer) == BH_OK, "shutdown: obeyer started again");
    timer_delay_ms(BOOT_MS);
    report(mgmt_op(BH_MGMT_REG_SHUTDOWN, obeyer) == BH_OK, "shutdown: obeyer asked again");
    int64_t ms = wait_stopped(obeyer, OBEYER_MS);
    report(ms >= 0 && ms < OBEYER_MS, "shutdown: obeyer powered off again (%ld ms)", (long)ms);
}

void tests_mgmt_shutdown(void)
{
    uint32_t obeyer = mgmt_find_vm("obeyer"), ignorer = mgmt_find_vm("ignorer");
    uint32_t nobutton = mgmt_find_vm("nobutton");

    report(obeyer != MGMT_NONE && ignorer != MGMT_NONE && nobutton != MGMT_NONE, "shutdown: VMs found");
    timer_delay_ms(BOOT_MS);
    report(mgmt_op(BH_MGMT_REG_SHUTDOWN, nobutton) == BH_E_NOT_SUPPORTED,
           "shutdown: no power button: NOT_SUPPORTED");
    report(state_of(nobutton) == BH_MGMT_STATE_RUNNING, "shutdown: nobutton runs on");
    check_obeyer(obeyer);
    check_ignorer(ignorer);
    check_again(obeyer, ignorer);
    report(mgmt_op(BH_MGMT_REG_STOP, nobutton) == BH_OK, "shutdown: nobutton stopped");
    tg_finish();
}

/* The console bytes VM id wrote so far (observe right). */
static uint64_t tx_bytes_of(uint32_t id)
{
    int32_t n = (int32_t)mmio_read32(MGMT_REG(BH_MGMT_REG_SNAPSHOT));
    const volatile struct bh_mgmt_vm *v = (const volatile void *)(MGMT_SNAP + 1);

    for (int32_t i = 0; i < n; i++) {
        if (v[i].id == id) {
            return v[i].uart_tx_bytes;
        }
    }
    return 0;
}

/*
 * tg.mode=mgmtoff tg.target=<vm>: shut a booted guest down gracefully (l-linux-shutdown: a
 * Linux VM whose gpio-keys + acpid answer the power button). "Booted" is its console: more
 * than tg.min_tx bytes, then quiet for tg.quiet_ms.
 */
void tests_mgmt_poweroff(void)
{
    char name[BH_MGMT_NAME_MAX] = "linux";
    uint64_t quiet_ms = bootarg_get_u64("tg.quiet_ms", 3000);
    uint64_t min_tx = bootarg_get_u64("tg.min_tx", 2000);
    uint64_t last = 0, quiet = 0;

    bootarg_get("tg.target", name, sizeof(name));
    uint32_t t = mgmt_find_vm(name);
    report(t != MGMT_NONE, "poweroff: target %s found", name);
    for (int i = 0; i < 600 && quiet < quiet_ms; i++) { /* 600 x 200 ms: 2 minutes at most */
        timer_delay_ms(200);
        uint64_t now = tx_bytes_of(t);
        quiet = now == last && now > min_tx ? quiet + 200 : 0;
        last = now;
    }
    report(quiet >= quiet_ms, "poweroff: %s booted (%lu console bytes, then quiet)", name,
           (unsigned long)last);
    report(mgmt_op(BH_MGMT_REG_SHUTDOWN, t) == BH_OK, "poweroff: shutdown asked");
    int64_t ms = wait_stopped(t, 60000);
    report(ms >= 0, "poweroff: %s stopped (%ld ms)", name, (long)ms);
    report(log_has(t, "shutdown", "phase=done by=guest", "reason=system_off") &&
               !log_has(t, "shutdown", "phase=forced", NULL),
           "poweroff: %s powered itself off: shutdown done by the guest, not forced", name);
    tg_finish();
}
