// SPDX-License-Identifier: MIT
/*
 * tg.mode=ipc: inter-VM communication through the hypervisor (docs/ABI.md "Inter-VM
 * communication"). The role comes from tg.ipc=; every role first checks the /bulkhead-ipc node
 * of its device tree, then runs its part of a scenario (tests/scenarios/i-*.dts).
 */
#include <string.h>

#include "bootargs.h"
#include "report.h"
#include "tests.h"
#include "tests_ipc.h"

#define ROLE_MAX 16

static const struct {
    const char *name;
    void (*run)(void);
} roles[] = {
    { "producer", ipc_role_producer }, { "consumer", ipc_role_consumer },
    { "sync-a", ipc_role_sync_a },     { "sync-b", ipc_role_sync_b },
    { "sync-c", ipc_role_sync_c },     { "robust", ipc_role_robust },
    { "deny", ipc_role_deny },         { "deny-peer", ipc_role_deny_peer },
    { "lxpeer", ipc_role_lxpeer },     { "prio-low", ipc_role_prio_low },
    { "prio-high", ipc_role_prio_high }, { "prio-post", ipc_role_prio_post },
};

bool ipc_expect(int64_t got, int64_t want, const char *what)
{
    return report(got == want, "%s: %ld (%s), expected %ld (%s)", what, got, ipc_err_name(got),
                  want, ipc_err_name(want));
}

void tests_ipc(void)
{
    char role[ROLE_MAX] = "";

    ipc_irq_init();
    bootarg_get("tg.ipc", role, sizeof(role));
    tg_print("ipc role %s", role);
    if (!ipc_dt_check()) {
        tg_finish();
    }
    for (size_t i = 0; i < ARRAY_SIZE(roles); i++) {
        if (!strncmp(role, roles[i].name, sizeof(role))) {
            roles[i].run();
        }
    }
    tg_fatal("unknown tg.ipc=%s", role);
}
