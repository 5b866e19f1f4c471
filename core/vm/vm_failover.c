// SPDX-License-Identifier: MIT
/*
 * Failover to a standby (docs/MANAGEMENT.md "Failover"). A VM with standby-for = "<primary>"
 * is built at boot with its primary's channel memberships (the configuration checks that it
 * holds the same rights on every channel, core/config/config_life.c) and left defined. When
 * the primary stops for good because it failed, the standby is started: the queues its
 * primary served are its queues too, so requests waiting in them and every later one reach
 * it, and its peers keep working without knowing. Nothing is re-wired at run time.
 */
#include <core/vm/vm_power.h>

#include <core/vm/vm_ctl.h>
#include <lib/string.h>

bool vm_stop_is_failure(const char *reason, bool restart_refused)
{
    static const char *const failures[] = { "fault", "fault_loop", "watchdog" };

    if (restart_refused) {
        return true;
    }
    for (unsigned i = 0; i < sizeof(failures) / sizeof(failures[0]); i++) {
        if (strcmp(reason, failures[i]) == 0) {
            return true;
        }
    }
    return false;
}

void vm_failover(struct vm *vm, const char *reason)
{
    for (unsigned i = 0; i < vm_count; i++) {
        struct vm *s = &vms[i];
        if (s == vm || !s->cfg || s->cfg->standby_for != vm->id) {
            continue;
        }
        /* One standby per primary (config): at most one takeover per failure. */
        vm_event_always(s, "failover", "primary=%s reason=%s", vm->name, reason);
        int r = vm_ctl_start(s);
        if (r != 0) { /* already running (a manager started it), or refused */
            vm_event_always(s, "failover", "primary=%s result=%s", vm->name,
                            r == -BH_EBUSY ? "busy" : "not_startable");
        }
        return;
    }
}
